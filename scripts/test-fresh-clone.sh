#!/usr/bin/env bash
# README's two commands on a fresh clone of the committed HEAD, each
# taken from README.md (the line after its marker) and run verbatim:
#   command 2: swift test
#   command 1: make demo && export ..., then `mfctl recommend 42` must print
#              10 titled items, then make demo-stop (scripts/ci-demo.sh, which
#              also runs the demo under MemoryDenyWriteExecute's W^X rules);
# then `make` and the installed-layout test on the clone's build.
# ../shared is linked beside the clone so MovieLens tests run, not skip.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
base=$(mktemp -d /tmp/mfd-clone.XXXXXX)
clone=$base/mfd
cleanup() { rm -rf "$base"; }
trap cleanup EXIT
git clone -q "$root" "$clone"
[ -d "$root/../shared" ] && ln -s "$(realpath "$root/../shared")" "$base/shared"
cd "$clone"
echo "== fresh clone of $(git rev-parse --short HEAD) in $clone"

cmd2=$(scripts/readme-command.sh 2)
echo "== README command 2, verbatim: $cmd2"
bash -c "$cmd2" 2>&1 | tail -n 5

echo "== README command 1 (scripts/ci-demo.sh)"
scripts/ci-demo.sh

echo "== make, then the installed layout + socket activation"
scripts/test-install.sh
echo "test-fresh-clone: PASSED"
