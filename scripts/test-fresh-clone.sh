#!/usr/bin/env bash
# README's two commands on a fresh clone of the committed HEAD (issue 6):
#   command 2: swift test
#   command 1: make demo, then `mfctl recommend 42` must print 10 titled items
# The demo daemon runs under MemoryDenyWriteExecute's W^X rules (mdwe-exec),
# and the clone's release build is then used for the installed-layout test.
# ../shared is linked beside the clone so MovieLens tests run, not skip.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
base=$(mktemp -d /tmp/mfd-clone.XXXXXX)
clone=$base/mfd
cleanup() { [ -d "$clone" ] && (cd "$clone" && scripts/demo.sh stop >/dev/null 2>&1 || true); rm -rf "$base"; }
trap cleanup EXIT
git clone -q "$root" "$clone"
[ -d "$root/../shared" ] && ln -s "$(realpath "$root/../shared")" "$base/shared"
cd "$clone"
echo "== fresh clone of $(git rev-parse --short HEAD) in $clone"

echo "== README command 2: swift test"
swift test 2>&1 | tail -n 5

echo "== README command 1: make demo (mfd under MemoryDenyWriteExecute W^X rules)"
mkdir -p "$base/bin"
"${CC:-cc}" -O2 -o "$base/bin/mdwe-exec" scripts/mdwe/mdwe-exec.c
export MFD_DEMO_RUN=$base/run
MFD_WRAPPER="$base/bin/mdwe-exec seccomp" make demo
export PATH="$clone/.build/release:$PATH" MFD_SOCKET=$base/run/mfd.sock
out=$(mfctl recommend 42)
echo "$out"
titled=$(echo "$out" | grep -cE '\([0-9]{4}\)' || true)
[ "$titled" -eq 10 ] || { echo "test-fresh-clone: expected 10 titled recommendations, got $titled"; exit 1; }
make demo-stop

echo "== installed layout + socket activation"
scripts/test-install.sh
echo "test-fresh-clone: PASSED"
