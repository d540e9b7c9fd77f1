#!/usr/bin/python3
"""Validates kustomize-style Kubernetes manifests against the Kubernetes API's own OpenAPI schemas.

Usage: validate_k8s.py SCHEMA.json.gz KUSTOMIZATION_DIR|MANIFEST.yaml [...]

For each directory, the resources of its kustomization.yaml (files, or directories with their own
kustomization.yaml, recursively) are collected; a kustomization using any other field fails, so nothing is
silently skipped. Every object is validated with python3-jsonschema against the definition the API server
publishes for its apiVersion/kind (x-kubernetes-group-version-kind), made strict the way kubeconform's strict
schemas are: an object whose definition lists properties accepts no others (a misspelt field is an error, as
`kubectl apply --validate=strict` makes it), and int-or-string fields take an integer or a string, as the API
server does. Then the references between objects are checked: selectors match pod labels, scale targets,
ConfigMaps and Services exist, and the tile server's Deployment has what running it in production needs.

Exit status 0 when everything is valid; 1 with one line per problem otherwise.
"""
import copy
import gzip
import json
import os
import sys

import jsonschema
import yaml

ALLOWED_KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "resources"}


def load_definitions(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        spec = json.load(f)
    definitions = spec["definitions"]
    by_gvk = {}
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            api_version = gvk["version"] if gvk["group"] == "" else gvk["group"] + "/" + gvk["version"]
            by_gvk[(api_version, gvk["kind"])] = name
    return spec["info"]["version"], strict(definitions), by_gvk


def strict(definitions):
    """The definitions with closed objects and int-or-string as the API server accepts it."""
    result = copy.deepcopy(definitions)

    def visit(node):
        if isinstance(node, dict):
            if node.get("format") == "int-or-string":
                node.pop("type", None)
                node.pop("format", None)
                node["oneOf"] = [{"type": "string"}, {"type": "integer"}]
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


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


def validate_schema(objects, definitions, by_gvk, problems):
    for source, obj in objects:
        if not isinstance(obj, dict):
            problems.append(f"{source}: a document that is not an object")
            continue
        key = (obj.get("apiVersion"), obj.get("kind"))
        definitions_name = by_gvk.get(key)
        label = f"{source}: {key[1]} {obj.get('metadata', {}).get('name')}"
        if definitions_name is None:
            problems.append(f"{label}: apiVersion/kind {key} is not served by this Kubernetes version")
            continue
        schema = {"$ref": "#/definitions/" + definitions_name, "definitions": definitions}
        validator = jsonschema.Draft4Validator(schema)
        for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{label}: at /{where}: {error.message}")


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
    version, definitions, by_gvk = load_definitions(argv[1])
    failed = False
    for directory in argv[2:]:
        problems = []
        if os.path.isfile(directory):
            # A lone manifest (an example outside the kustomizations): its schema only.
            with open(directory, encoding="utf-8") as f:
                objects = [(directory, d) for d in yaml.safe_load_all(f) if d is not None]
            validate_schema(objects, definitions, by_gvk, problems)
            by_key = index(objects)
        else:
            objects = collect(directory, problems)
            validate_schema(objects, definitions, by_gvk, problems)
            by_key = check_references(objects, problems)
            check_tile_server(by_key, problems)
        if problems:
            failed = True
            for problem in problems:
                print(f"INVALID {directory}: {problem}")
        else:
            kinds = sorted(f"{k}/{n}" for k, n in by_key)
            print(f"VALID {directory}: {len(objects)} objects against Kubernetes {version}: {', '.join(kinds)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
