#!/usr/bin/env bash
# README command 1 in place: `make demo`, then `mfctl recommend 42` must print
# 10 titled recommendations. The daemon runs under MemoryDenyWriteExecute's W^X
# rules (scripts/mdwe/mdwe-exec), as the systemd unit would run it.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(mktemp -d /tmp/mfd-ci.XXXXXX)
export MFD_DEMO_RUN=$base/run MFD_DEMO_DIR=$base/data
cleanup() { scripts/demo.sh stop >/dev/null 2>&1 || true; rm -rf "$base"; }
trap cleanup EXIT
mkdir -p "$base/bin"
"${CC:-cc}" -O2 -o "$base/bin/mdwe-exec" scripts/mdwe/mdwe-exec.c
MFD_WRAPPER="$base/bin/mdwe-exec seccomp" make demo
export PATH="$PWD/.build/release:$PATH" MFD_SOCKET=$base/run/mfd.sock
out=$(mfctl recommend 42)
echo "$out"
titled=$(echo "$out" | grep -cE '\([0-9]{4}\)' || true)
[ "$titled" -eq 10 ] || { echo "ci-demo: expected 10 titled recommendations, got $titled"; exit 1; }
echo "ci-demo: PASSED"
