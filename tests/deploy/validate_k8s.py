#!/usr/bin/python3
"""Validates kustomize-style Kubernetes manifests against the types of the Kubernetes API.

Usage: validate_k8s.py TOOLS_NODE_MODULES KUSTOMIZATION_DIR|MANIFEST.yaml [...]

For each directory, the resources of its kustomization.yaml (files, or directories with their own
kustomization.yaml, recursively) are collected; a kustomization using any other field fails, so nothing is
silently skipped. Every object is checked against the type the npm package kubernetes-types (generated from the
Kubernetes API's OpenAPI definitions of one Kubernetes version) declares for its apiVersion/kind: each object
becomes a TypeScript object literal of that type, and the TypeScript compiler (npm typescript) rejects what the
type does not allow. That makes the check strict the way `kubectl apply --validate=strict` is: a field the type
does not declare is an error (TypeScript's excess-property check, at every depth), so is a value of the wrong type
(a string where an integer is wanted; int-or-string fields take either) and a missing required field; an
apiVersion/kind the package has no type for is not served by that Kubernetes version. Formats, patterns, enum
values and numeric ranges are not checked (the types do not carry them; the API server does).
Then the references between objects are checked: selectors match pod labels, scale targets, ConfigMaps and
Services exist, and the tile server's Deployment has what running it in production needs.

Exit status 0 when everything is valid; 1 with one line per problem otherwise.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

ALLOWED_KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "resources"}


class KubernetesTypes:
    """The kubernetes-types package of a node_modules folder: one .d.ts file per API group and version."""

    def __init__(self, node_modules):
        self.root = os.path.abspath(os.path.join(node_modules, "kubernetes-types"))
        self.tsc = os.path.abspath(os.path.join(node_modules, "typescript", "bin", "tsc"))
        for path in (os.path.join(self.root, "package.json"), self.tsc):
            if not os.path.isfile(path):
                raise SystemExit(f"{path} missing: npm ci --prefix tests/tools")
        with open(os.path.join(self.root, "package.json"), encoding="utf-8") as f:
            self.version = json.load(f)["version"]

    def module(self, api_version, kind):
        """The module declaring the top-level type of apiVersion/kind, or None when this version serves none."""
        group, _, version = api_version.rpartition("/") if isinstance(api_version, str) else ("", "", "")
        if not version or not isinstance(kind, str) or not re.fullmatch(r"[A-Za-z0-9]+", kind):
            return None
        # The package names a module after the group's first label; the core group ("v1") is core/.
        module = os.path.join(group.split(".")[0] if group else "core", version)
        path = os.path.join(self.root, module + ".d.ts")
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as f:
            text = f.read()
        # A served kind is an interface whose kind field is that very name (not a nested type of the same name).
        body = re.search(r"^export interface " + kind + r" \{\n(.*?)^\}", text, re.S | re.M)
        if body is None or f'kind?: "{kind}";' not in body.group(1) or f'apiVersion?: "{api_version}";' not in body.group(1):
            return None
        return module


def literal(value, path, lines, where, indent=""):
    """value as a TypeScript object literal, one member a line; where[line number] = its path in the object."""
    if isinstance(value, dict) and value:
        lines[-1] += "{"
        for i, (key, item) in enumerate(value.items()):
            lines.append(f"{indent}  {json.dumps(str(key))}: ")
            where[len(lines)] = path + [key]
            literal(item, path + [key], lines, where, indent + "  ")
            if i < len(value) - 1:
                lines[-1] += ","
        lines.append(indent + "}")
    elif isinstance(value, list) and value:
        lines[-1] += "["
        for i, item in enumerate(value):
            lines.append(indent + "  ")
            where[len(lines)] = path + [i]
            literal(item, path + [i], lines, where, indent + "  ")
            if i < len(value) - 1:
                lines[-1] += ","
        lines.append(indent + "]")
    else:
        lines[-1] += json.dumps(value, default=str)


def validate_schema(objects, types, problems):
    """Each object as a typed constant: TypeScript checks excess properties only on fresh object literals, so the
    objects are written out as literals (not parsed JSON) for the compiler to see every unknown field."""
    lines, where, labels, modules = [], {}, {}, {}
    declarations = []
    for i, (source, obj) in enumerate(objects):
        if not isinstance(obj, dict):
            problems.append(f"{source}: a document that is not an object")
            continue
        key = (obj.get("apiVersion"), obj.get("kind"))
        label = f"{source}: {key[1]} {(obj.get('metadata') or {}).get('name')}"
        module = types.module(*key)
        if module is None:
            problems.append(f"{label}: apiVersion/kind {key} is not served by Kubernetes {types.version} (kubernetes-types)")
            continue
        alias = modules.setdefault(module, f"k{len(modules)}")
        first = len(lines) + 1
        lines.append(f"export const o{i}: {alias}.{key[1]} = ")
        literal(obj, [], lines, where)
        lines[-1] += ";"
        for n in range(first, len(lines) + 1):
            labels[n] = label
        declarations.append(i)
    if not declarations:
        return
    imports = [f'import type * as {alias} from {json.dumps(os.path.join(types.root, module))};' for module, alias in modules.items()]
    offset = len(imports)
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "manifests.ts")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(imports + lines) + "\n")
        result = subprocess.run(
            ["node", types.tsc, "--noEmit", "--strict", "--skipLibCheck", "--pretty", "false", "--target", "es2022",
             "--module", "es2022", "--moduleResolution", "bundler", path],
            capture_output=True, text=True)
    report = result.stdout + result.stderr
    errors = re.findall(r"^.*?manifests\.ts\((\d+),\d+\): error (TS\d+: .*(?:\n(?!\S*manifests\.ts\().*)*)", report, re.M)
    for line, message in errors:
        n = int(line) - offset
        trail = where.get(n, [])
        message = " ".join(message.split())
        problems.append(f"{labels.get(n, 'manifests')}: at /{'/'.join(str(p) for p in trail)}: {message}")
    if result.returncode != 0 and not errors:
        problems.append(f"tsc failed without a report on the manifests: {report.strip()}")


def collect(directory, problems, seen=None):
    """Objects of a kustomization directory, each as (source file, object)."""
    seen = seen or set()
    directory = os.path.normpath(directory)
    if directory in seen:
        problems.append(f"{directory}: kustomization cycle")
        return []
    seen.add(directory)
    kustomization_path = os.path.join(directory, "kustomization.yaml")
    if not os.path.isfile(kustomization_path):
        problems.append(f"{directory}: no kustomization.yaml")
        return []
    with open(kustomization_path, encoding="utf-8") as f:
        kustomization = yaml.safe_load(f) or {}
    unknown = set(kustomization) - ALLOWED_KUSTOMIZATION_FIELDS
    if unknown:
        problems.append(f"{kustomization_path}: fields this check does not render: {sorted(unknown)}")
    objects = []
    for resource in kustomization.get("resources", []):
        path = os.path.join(directory, resource)
        if os.path.isdir(path):
            objects.extend(collect(path, problems, seen))
        elif os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                try:
                    docs = [d for d in yaml.safe_load_all(f) if d is not None]
                except yaml.YAMLError as e:
                    problems.append(f"{path}: not YAML: {e}")
                    continue
            objects.extend((path, d) for d in docs)
        else:
            problems.append(f"{kustomization_path}: resource {resource} does not exist")
    return objects


def index(objects):
    return {(o.get("kind"), o.get("metadata", {}).get("name")): o for _, o in objects if isinstance(o, dict)}


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_references(objects, problems):
    """What the schemas cannot see: objects that point at each other."""
    by_key = index(objects)
    names = {(k, n) for k, n in by_key}
    workloads = [o for o in by_key.values() if o.get("kind") == "Deployment"]
    for (kind, name), obj in by_key.items():
        spec = obj.get("spec", {})
        if kind == "Deployment":
            selector = spec.get("selector", {}).get("matchLabels", {})
            labels = spec.get("template", {}).get("metadata", {}).get("labels", {})
            if not matches(selector, labels):
                problems.append(f"Deployment {name}: selector {selector} does not match its pod labels {labels}")
            pod = spec.get("template", {}).get("spec", {})
            for volume in pod.get("volumes", []):
                ref = volume.get("configMap")
                if ref and ("ConfigMap", ref.get("name")) not in names and not ref.get("optional"):
                    problems.append(f"Deployment {name}: volume {volume['name']} needs ConfigMap {ref.get('name')}")
            for container in pod.get("containers", []):
                for source in container.get("envFrom", []):
                    ref = source.get("configMapRef")
                    if ref and ("ConfigMap", ref.get("name")) not in names and not ref.get("optional"):
                        problems.append(f"Deployment {name}: envFrom needs ConfigMap {ref.get('name')}")
        elif kind in ("Service", "PodDisruptionBudget"):
            selector = spec.get("selector", {}) if kind == "Service" else spec.get("selector", {}).get("matchLabels", {})
            if not any(matches(selector, w["spec"]["template"]["metadata"].get("labels", {})) for w in workloads):
                problems.append(f"{kind} {name}: selector {selector} matches no Deployment's pods")
        elif kind == "HorizontalPodAutoscaler":
            target = spec.get("scaleTargetRef", {})
            if (target.get("kind"), target.get("name")) not in names:
                problems.append(f"HorizontalPodAutoscaler {name}: scale target {target} does not exist")
    return by_key


def check_tile_server(by_key, problems):
    """The production settings of the tile server's Deployment (docs in deploy/README.md)."""
    deployment = by_key.get(("Deployment", "tileserver"))
    if deployment is None:
        problems.append("no Deployment named tileserver")
        return
    pod = deployment["spec"]["template"]["spec"]
    container = next((c for c in pod.get("containers", []) if c.get("name") == "tileserver"), None)
    if container is None:
        problems.append("Deployment tileserver: no container named tileserver")
        return

    def need(condition, message):
        if not condition:
            problems.append("Deployment tileserver: " + message)

    probes = {p: container.get(p, {}).get("httpGet", {}).get("path") for p in ("livenessProbe", "readinessProbe", "startupProbe")}
    need(probes == {"livenessProbe": "/healthz", "readinessProbe": "/readyz", "startupProbe": "/healthz"},
         f"probes must be liveness /healthz, readiness /readyz, startup /healthz (are {probes})")
    security = container.get("securityContext", {})
    need(pod.get("securityContext", {}).get("runAsNonRoot") is True or security.get("runAsNonRoot") is True, "must run as non-root")
    need(security.get("readOnlyRootFilesystem") is True, "root file system must be read-only")
    need(security.get("allowPrivilegeEscalation") is False, "must not allow privilege escalation")
    resources = container.get("resources", {})
    for part in ("requests", "limits"):
        need("memory" in resources.get(part, {}), f"resources.{part}.memory must be set")
    need("cpu" in resources.get("requests", {}), "resources.requests.cpu must be set (the autoscaler works on it)")
    pre_stop = container.get("lifecycle", {}).get("preStop", {})
    need("exec" in pre_stop or "sleep" in pre_stop, "needs a preStop pause so endpoints drop the pod before SIGTERM")
    need(pod.get("terminationGracePeriodSeconds", 30) >= 30, "terminationGracePeriodSeconds must leave time to drain")
    mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    tmp = mounts.get("/tmp")
    need(tmp is not None and "emptyDir" in volumes.get(tmp["name"], {}), "/tmp must be an emptyDir (read-only root)")
    env = {e["name"]: e for e in container.get("env", [])}
    catalog_file = env.get("TileServer__CatalogFile", {}).get("value", "")
    catalog_mount = mounts.get(os.path.dirname(catalog_file))
    need(catalog_mount is not None and "configMap" in volumes.get(catalog_mount["name"], {}),
         f"TileServer__CatalogFile ({catalog_file or 'unset'}) must lie in a directory mounted from a ConfigMap")
    need(catalog_mount is None or "subPath" not in catalog_mount,
         "the catalog ConfigMap must be mounted as a directory: a subPath mount never sees updates")
    if catalog_mount is not None:
        config_map = by_key.get(("ConfigMap", volumes[catalog_mount["name"]]["configMap"]["name"]))
        text = (config_map or {}).get("data", {}).get(os.path.basename(catalog_file))
        try:
            datasets = json.loads(text or "").get("Datasets")
            need(isinstance(datasets, dict) and all(isinstance(d, dict) and d.get("Path") for d in datasets.values()),
                 "the catalog must be {\"Datasets\": {\"id\": {\"Path\": ...}}}")
        except ValueError as e:
            problems.append(f"Deployment tileserver: catalog {os.path.basename(catalog_file)} is not JSON: {e}")
    for (kind, name), obj in by_key.items():
        redis = (obj.get("data") or {}).get("TileServer__TileCache__Redis") if kind == "ConfigMap" else None
        host = (redis or "").split(",")[0].rsplit(":", 1)[0]
        # A bare name is a Service of this kustomization; a dotted one may be outside (managed Redis, other namespace).
        need(not host or "." in host or ("Service", host) in by_key,
             f"ConfigMap {name} points TileServer__TileCache__Redis at {host}, which is no Service here")
    for key in ("TileServer__S3__AccessKey", "TileServer__S3__SecretKey"):
        need("secretKeyRef" in env.get(key, {}).get("valueFrom", {}), f"{key} must come from a Secret")


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2])
        return 2
    types = KubernetesTypes(argv[1])
    failed = False
    for directory in argv[2:]:
        problems = []
        if os.path.isfile(directory):
            # A lone manifest (an example outside the kustomizations): its schema only.
            with open(directory, encoding="utf-8") as f:
                objects = [(directory, d) for d in yaml.safe_load_all(f) if d is not None]
            validate_schema(objects, types, problems)
            by_key = index(objects)
        else:
            objects = collect(directory, problems)
            validate_schema(objects, types, problems)
            by_key = check_references(objects, problems)
            check_tile_server(by_key, problems)
        if problems:
            failed = True
            for problem in problems:
                print(f"INVALID {directory}: {problem}")
        else:
            kinds = sorted(f"{k}/{n}" for k, n in by_key)
            print(f"VALID {directory}: {len(objects)} objects against Kubernetes {types.version} (kubernetes-types): {', '.join(kinds)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
