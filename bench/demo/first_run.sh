#!/usr/bin/env bash
# From a fresh clone to a served demo, as a newcomer runs it: `./dev demo` with an empty
# PROBLEMSPACE_HOME, an empty model cache (the int8 model is made on first use) and no pip
# cache. Prints when each step ended, in seconds from the clone.
#
#     bench/demo/first_run.sh [PORT]
#
# The server is stopped once it answers; the clone and its virtual environment are removed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${1:-8765}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

start=$(date +%s.%N)
stamp() { printf '%7.1f s  %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$1"; }

git clone --quiet "$repo" "$work/problemspace"
stamp "cloned"
cd "$work/problemspace"
export PROBLEMSPACE_HOME="$work/home" PROBLEMSPACE_CACHE_DIR="$work/cache" PIP_NO_CACHE_DIR=1
./dev demo --port "$port" >"$work/demo.log" 2>&1 &
server=$!
seen=""
while kill -0 "$server" 2>/dev/null; do
    for marker in "installing problemspace" "Built the demo workspace" "ready in" "problems in"; do
        if [[ "$seen" != *"$marker"* ]] && grep -q "$marker" "$work/demo.log"; then
            seen="$seen|$marker"
            stamp "$(grep -m1 "$marker" "$work/demo.log" | sed 's/^ *//')"
        fi
    done
    if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login/" | grep -q 200; then
        stamp "served: http://127.0.0.1:$port/login/ answers 200"
        break
    fi
    sleep 0.5
done
echo
echo "What the newcomer saw (head of the output):"
grep -v '^    ' "$work/demo.log" | head -n 40
