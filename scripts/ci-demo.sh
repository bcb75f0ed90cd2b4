#!/usr/bin/env bash
# README command 1 in place, exactly as written (scripts/readme-command.sh 1
# reads it from README.md), in a clean bash (no MFD_* variables), followed by
# `mfctl recommend 42`, which must print 10 titled recommendations; then
# `make demo-stop`.
# Then the same demo again in scratch directories, with the daemon under
# MemoryDenyWriteExecute's W^X rules (scripts/mdwe/mdwe-exec), as the systemd
# unit would run it.
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(mktemp -d /tmp/mfd-ci.XXXXXX)
fail() { echo "ci-demo: $*" >&2; exit 1; }
had_demo_dir=0
[ -e .demo ] && had_demo_dir=1
started=0
cleanup() {
  [ $started = 0 ] || scripts/demo.sh stop >/dev/null 2>&1 || true
  MFD_DEMO_RUN=$base/run MFD_DEMO_DIR=$base/data scripts/demo.sh stop >/dev/null 2>&1 || true
  [ $had_demo_dir = 1 ] || rm -rf .demo
  rm -rf "$base"
}
trap cleanup EXIT

# 10 titled lines ("Title (1997)") in mfctl's output file $1.
check_titled() {
  cat "$1"
  local titled
  titled=$(grep -cE '\([0-9]{4}\)' "$1" || true)
  [ "$titled" -eq 10 ] || fail "expected 10 titled recommendations, got $titled"
}

cmd1=$(scripts/readme-command.sh 1)
# The command's socket is per user; another demo listening there would answer instead of ours.
demo_sock=/tmp/mfd-demo-$(id -u)/mfd.sock
if [ -S "$demo_sock" ] && python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$demo_sock" 2>/dev/null; then
  fail "a daemon already listens on $demo_sock (a 'make demo' elsewhere?): stop it, README command 1 must run as written"
fi
[ $had_demo_dir = 0 ] || echo "ci-demo: note: .demo exists, so command 1 reuses its database"

echo "== README command 1, verbatim: $cmd1"
started=1
unset_mfd=()
for v in $(compgen -e | grep '^MFD_' || true); do unset_mfd+=(-u "$v"); done
# shellcheck disable=SC2016  # $1 and $? belong to the inner shell
env "${unset_mfd[@]}" bash -c "$cmd1"$'\n''rc=$?; [ $rc -eq 0 ] || exit $rc
echo "== mfctl recommend 42"
mfctl recommend 42 >"$1"' ci-demo "$base/recommend.txt" || fail "README command 1 or mfctl recommend 42 failed ($?)"
check_titled "$base/recommend.txt"
make demo-stop

echo "== the demo under MemoryDenyWriteExecute W^X rules (scratch data and socket)"
mkdir -p "$base/bin"
"${CC:-cc}" -O2 -o "$base/bin/mdwe-exec" scripts/mdwe/mdwe-exec.c
MFD_DEMO_RUN=$base/run MFD_DEMO_DIR=$base/data MFD_WRAPPER="$base/bin/mdwe-exec seccomp" scripts/demo.sh start
MFD_SOCKET=$base/run/mfd.sock .build/release/mfctl recommend 42 >"$base/recommend-mdwe.txt"
check_titled "$base/recommend-mdwe.txt"
MFD_DEMO_RUN=$base/run MFD_DEMO_DIR=$base/data scripts/demo.sh stop
echo "ci-demo: PASSED"
