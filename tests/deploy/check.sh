#!/usr/bin/env bash
# Validates the deployment files without a container engine or a cluster, with the tools that read them:
#   deploy/compose   Debian's docker-compose (`config` resolves and validates the file), promtool for the
#                    Prometheus configuration, nginx -t for the caching proxy's configuration;
#   deploy/k8s       the Kubernetes API types of npm kubernetes-types (generated from the Kubernetes OpenAPI),
#                    checked by the TypeScript compiler (npm typescript) through tests/deploy/validate_k8s.py,
#                    base and overlays, plus the example Secret.
# Each check also runs on a deliberately broken copy, which must be rejected: a validator that accepts
# everything fails here. Prints PASS/FAIL per check and a closing line in dotnet test's summary format, which
# tests/run.sh adds to the suite's count. Exit status 1 when a check failed.
# Needs: docker-compose prometheus nginx-light python3-yaml (Debian) and kubernetes-types + typescript from
# tests/tools/package-lock.json (npm ci --prefix tests/tools); tests/run.sh installs them all.
set -uo pipefail
cd "$(dirname "$0")/../.."
python=/usr/bin/python3
node_modules=tests/tools/node_modules
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2" | head -40; failed=$((failed + 1)); }
need() { command -v "$1" >/dev/null || { fail "$2" "$1 not found: apt-get install $3"; return 1; }; }

# ---- compose -------------------------------------------------------------------------------------------------
compose=deploy/compose/docker-compose.yml
name="compose file resolves with docker-compose config"
if need docker-compose "$name" docker-compose; then
  if out=$(docker-compose -f "$compose" config 2>&1); then
    printf '%s\n' "$out" > "$work/compose.resolved.yml"
    pass "$name"
  else
    fail "$name" "$out"
  fi
fi

name="compose stack: two replicas on S3 with Redis, seeded MinIO, nginx and Prometheus aimed at both"
if [ -s "$work/compose.resolved.yml" ]; then
  if out=$("$python" - "$work/compose.resolved.yml" <<'EOF' 2>&1
import json, os, re, sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
services = config["services"]
problems = []
def need(condition, message):
    if not condition:
        problems.append(message)
replicas = [s for s in ("tiles-a", "tiles-b") if s in services]
need(len(replicas) == 2, f"replicas tiles-a and tiles-b expected, found {sorted(services)}")
for name in replicas:
    s = services[name]
    env = s.get("environment", {})
    need(env.get("TileServer__S3__ServiceUrl") == "http://minio:9000", f"{name}: S3 endpoint is not MinIO")
    need(env.get("TileServer__TileCache__Redis", "").startswith("redis:6379"), f"{name}: no Redis tier")
    need(env.get("TileServer__S3__AccessKey") == services["minio"]["environment"]["MINIO_ROOT_USER"], f"{name}: S3 key differs from MinIO's")
    need(s.get("read_only") is True and "/tmp" in s.get("tmpfs", []), f"{name}: root file system not read-only with /tmp in tmpfs")
    need(s["depends_on"].get("minio-seed", {}).get("condition") == "service_completed_successfully", f"{name}: does not wait for the seeded bucket")
    mounts = {v["target"]: v["source"] for v in s.get("volumes", []) if isinstance(v, dict)} or \
             {v.split(":")[1]: v.split(":")[0] for v in s.get("volumes", []) if isinstance(v, str)}
    catalog = mounts.get(env.get("TileServer__CatalogFile"))
    need(catalog and os.path.isfile(catalog), f"{name}: TileServer__CatalogFile is not a mounted file")
    if catalog and os.path.isfile(catalog):
        datasets = json.load(open(catalog))["Datasets"]
        for dataset_id, d in datasets.items():
            m = re.fullmatch(r"s3://zarr/(.+)", d["Path"])
            need(m and os.path.isdir(os.path.join("data/demo", m.group(1))), f"catalog {dataset_id}: {d['Path']} is not a data/demo store seeded into the bucket")
seed = services.get("minio-seed", {})
seed_mounts = [v["source"] if isinstance(v, dict) else v.split(":")[0] for v in seed.get("volumes", [])]
need(any(os.path.normpath(p).endswith(os.path.join("data", "demo")) for p in seed_mounts), "minio-seed does not mount data/demo")
need("mc mirror" in " ".join(seed.get("command", [])), "minio-seed does not mirror the data into the bucket")
nginx = open("deploy/compose/nginx/nginx.conf").read()
need(all(f"server {r}:8080" in nginx for r in replicas), "nginx upstream does not list both replicas")
need("proxy_cache_revalidate on" in open("deploy/compose/nginx/tile-cache.conf").read(), "nginx does not revalidate")
prometheus = yaml.safe_load(open("deploy/compose/prometheus/prometheus.yml"))
targets = [t for job in prometheus["scrape_configs"] for sc in job.get("static_configs", []) for t in sc["targets"]]
need(all(f"{r}:8080" in targets for r in replicas), "Prometheus does not scrape both replicas")
need("redis" in services and "prometheus" in services and "nginx" in services, "redis, nginx or prometheus missing")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
  ); then pass "$name"; else fail "$name" "$out"; fi
else
  fail "$name" "the compose file did not resolve (see above)"
fi

name="docker-compose rejects a broken compose file (control)"
if command -v docker-compose >/dev/null; then
  mkdir -p "$work/compose-broken" && cp -r deploy/compose/. "$work/compose-broken/"
  sed -i 's/condition: service_completed_successfully/condition: service_finished/' "$work/compose-broken/docker-compose.yml"
  if out=$(docker-compose -f "$work/compose-broken/docker-compose.yml" config 2>&1); then
    fail "$name" "an unknown depends_on condition was accepted"
  else
    pass "$name"
  fi
fi

name="promtool accepts the Prometheus configuration"
if need promtool "$name" prometheus; then
  if out=$(promtool check config deploy/compose/prometheus/prometheus.yml 2>&1); then pass "$name"; else fail "$name" "$out"; fi
  sed 's/scrape_interval: 15s/scrape_interval: 15 seconds/' deploy/compose/prometheus/prometheus.yml > "$work/prometheus-broken.yml"
  if promtool check config "$work/prometheus-broken.yml" >/dev/null 2>&1; then
    fail "promtool rejects a broken Prometheus configuration (control)" "accepted"
  else
    pass "promtool rejects a broken Prometheus configuration (control)"
  fi
fi

# The compose proxy's nginx.conf as Debian's nginx reads it on loopback (tests/deploy/nginx-loopback.sh).
name="nginx -t accepts the caching proxy configuration"
if need nginx "$name" nginx-light; then
  bash tests/deploy/nginx-loopback.sh "$work/nginx" 18100 18101 18102
  if out=$(nginx -t -q -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
  sed 's/proxy_cache_revalidate on;/proxy_cache_revalidate yes please;/' deploy/compose/nginx/tile-cache.conf > "$work/tile-cache-broken.conf"
  bash tests/deploy/nginx-loopback.sh "$work/nginx-broken" 18100 18101 18102 "$work/tile-cache-broken.conf"
  if nginx -t -q -p "$work/nginx-broken" -e "$work/nginx-broken/error.log" -c "$work/nginx-broken/nginx.conf" >/dev/null 2>&1; then
    fail "nginx -t rejects a broken cache directive (control)" "accepted"
  else
    pass "nginx -t rejects a broken cache directive (control)"
  fi
fi

# ---- Kubernetes ----------------------------------------------------------------------------------------------
k8s_ok=1
"$python" -c 'import yaml' 2>/dev/null || { k8s_ok=0; fail "Kubernetes manifests" "python3-yaml missing for $python: apt-get install python3-yaml"; }
need node "Kubernetes manifests" nodejs || k8s_ok=0
for package in kubernetes-types typescript; do
  [ -f "$node_modules/$package/package.json" ] || { k8s_ok=0; fail "Kubernetes manifests" "$node_modules/$package missing: npm ci --prefix tests/tools"; }
done
if [ "$k8s_ok" -eq 1 ]; then
  name="Kubernetes base, redis overlay and example Secret type-check against the Kubernetes $(node -p "require('./$node_modules/kubernetes-types/package.json').version") API types"
  if out=$("$python" tests/deploy/validate_k8s.py "$node_modules" deploy/k8s/base deploy/k8s/overlays/redis deploy/k8s/secret-s3.example.yaml 2>&1); then
    pass "$name"; sed 's/^/    /' <<<"$out"
  else
    fail "$name" "$out"
  fi

  # Each breakage alone in a fresh copy; the validator must name it.
  broken() { # $1 = description, $2 = file under deploy/k8s, $3 = sed expression, $4 = text the report must contain
    rm -rf "$work/k8s" && cp -r deploy/k8s "$work/k8s"
    sed -i "$3" "$work/k8s/$2"
    if cmp -s "deploy/k8s/$2" "$work/k8s/$2"; then fail "validator rejects $1 (control)" "the sed expression changed nothing"; return; fi
    if out=$("$python" tests/deploy/validate_k8s.py "$node_modules" "$work/k8s/overlays/redis" 2>&1); then
      fail "validator rejects $1 (control)" "accepted: $out"
    elif grep -qF -- "$4" <<<"$out"; then
      pass "validator rejects $1 (control)"
    else
      fail "validator rejects $1 (control)" "rejected for another reason: $out"
    fi
  }
  broken "a string where the type wants an integer" base/deployment.yaml 's/containerPort: 8080/containerPort: http/' "containerPort: TS2322: Type 'string' is not assignable to type 'number'"
  broken "a misspelt field" base/deployment.yaml 's/readinessProbe:/readynessProbe:/' "'\"readynessProbe\"' does not exist in type 'Container'"
  broken "an API version Kubernetes no longer serves" base/hpa.yaml 's#autoscaling/v2$#autoscaling/v2beta2#' "'autoscaling/v2beta2', 'HorizontalPodAutoscaler') is not served by Kubernetes"
  broken "a missing required field" base/hpa.yaml '/maxReplicas:/d' "Property 'maxReplicas' is missing"
  broken "a Service that selects no pods" base/service.yaml 's/component: server/component: sever/' "matches no Deployment's pods"
  broken "a subPath catalog mount (never updated)" base/deployment.yaml 's#mountPath: /config/catalog$#mountPath: /config/catalog\n              subPath: catalog.json#' "subPath"
  broken "a Redis address that is no Service" overlays/redis/redis-env.yaml 's/tileserver-redis:6379/tileserver-cache:6379/' "which is no Service here"
  broken "a writable root file system" base/deployment.yaml 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' "read-only"
fi

total=$((passed + failed))
if [ "$failed" -eq 0 ]; then verdict="Passed!"; else verdict="Failed!"; fi
printf '%s - Failed: %5d, Passed: %5d, Skipped: %5d, Total: %5d - tests/deploy/check.sh (deployment files)\n' "$verdict" "$failed" "$passed" 0 "$total"
[ "$failed" -eq 0 ]
