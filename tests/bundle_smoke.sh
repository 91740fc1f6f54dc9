#!/usr/bin/env bash
# Runs the bundled xrole (stand-in for the compiled binary) from an empty directory.
set -euo pipefail
bundle=$1
cd "$(dirname "$bundle")"
deno run --no-prompt "$bundle" --version | grep -q '^xrole '
deno run --no-prompt "$bundle" --help | grep -q 'Usage'
