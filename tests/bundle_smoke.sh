#!/usr/bin/env bash
# Runs the bundled xrole (stand-in for the compiled binary) from an empty directory: --version,
# --help, an argument error (exit 2), and `buckets` against the simulator (src/sim/serve.ts).
set -euo pipefail
bundle=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$(dirname "$bundle")"
export NO_COLOR=1 DENO_NO_UPDATE_CHECK=1

deno run --no-prompt "$bundle" --version | grep -q '^xrole '
deno run --no-prompt "$bundle" --help | grep -q 'Usage'
status=0
deno run --no-prompt "$bundle" buckets --role-arn not-an-arn 2>/dev/null || status=$?
[ "$status" -eq 2 ] || { echo "bundle: bad ARN exited $status, not 2"; exit 1; }

# The simulator prints its URL on the first line of stdout.
work=$(mktemp -d)
sim_out="$work/sim.out"
deno run --no-prompt --allow-net=127.0.0.1 "$root/src/sim/serve.ts" --port 0 --world demo \
  >"$sim_out" 2>/dev/null &
sim_pid=$!
cleanup() { kill "$sim_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
url=""
for _ in $(seq 1 100); do
  url=$(head -n 1 "$sim_out" 2>/dev/null || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bundle: the simulator did not start"; exit 1; }

# The demo world's source user and dev role (src/sim/demo_world.ts).
out=$(env -i PATH="$PATH" HOME="$work" NO_COLOR=1 DENO_NO_UPDATE_CHECK=1 \
  AWS_ACCESS_KEY_ID=AKIAXROLEDEMO0SOURCE \
  AWS_SECRET_ACCESS_KEY=xroleDemoSecretKey0000000000000000000000 \
  AWS_REGION=eu-west-1 XROLE_CONFIG_DIR="$work/xrole" \
  deno run --no-prompt --allow-env --allow-read="$work" --allow-net=127.0.0.1 --allow-sys=osRelease \
  "$bundle" buckets --endpoint-url "$url" \
  --role-arn arn:aws:iam::222222222222:role/DeveloperAccess --external-id xrole-demo-dev \
  --format csv)
echo "$out" | head -n 1 | grep -q '^name,region,created' || { echo "bundle: no CSV header"; exit 1; }
echo "$out" | grep -q '^acme-dev-app-assets,us-east-1,' || { echo "bundle: bucket rows missing"; exit 1; }
echo "bundle smoke: $(($(echo "$out" | wc -l) - 1)) buckets listed through the bundle"
