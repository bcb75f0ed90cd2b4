#!/usr/bin/env bash
# Does the Swift runtime survive systemd's MemoryDenyWriteExecute=yes?
# systemd is not PID 1 here, so apply the same W^X rules ourselves
# (scripts/mdwe/mdwe-exec.c: the seccomp filter of systemd <= 254 and the
# prctl(PR_SET_MDWE) of systemd >= 255) and run Swift code under them:
#   1. a probe of Foundation/JSON/Dispatch/concurrency/Regex/ICU/dlopen;
#   2. a negative control (a W+X mmap must fail, or the test proves nothing);
#   3. the package's debug test bundle, if built (swift build --build-tests)
#      and MDWE_BUNDLE is not 0;
#   4. any extra command given as arguments, e.g. the real daemon:
#        scripts/check-mdwe.sh .build/release/mfd --version
# Exit status is non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/mdwe.XXXXXX)
trap 'rm -rf "$work"' EXIT
"${CC:-cc}" -O2 -Wall -o "$work/mdwe-exec" scripts/mdwe/mdwe-exec.c
swiftc -O scripts/mdwe/probe.swift -o "$work/probe"
modes=(seccomp)
# PR_SET_MDWE exists from Linux 6.3 on.
if "$work/mdwe-exec" prctl /bin/true 2>/dev/null; then modes+=(prctl); else echo "prctl(PR_SET_MDWE) unsupported on $(uname -r): seccomp mode only"; fi
for mode in "${modes[@]}"; do
  echo "== $mode: probe"
  timeout 120 "$work/mdwe-exec" "$mode" "$work/probe" | tail -1
  echo "== $mode: negative control (W+X mmap must be refused)"
  if timeout 60 "$work/mdwe-exec" "$mode" "$work/probe" --try-jit >/dev/null 2>&1; then
    echo "FAIL: W+X mmap was allowed under $mode"; exit 1
  fi
  echo "refused, as expected"
  bundle=.build/debug/mfdPackageTests.xctest
  if [ -x "$bundle" ] && [ "${MDWE_BUNDLE:-1}" = 1 ]; then
    echo "== $mode: test bundle $bundle"
    timeout 900 "$work/mdwe-exec" "$mode" "$bundle" --testing-library swift-testing 2>&1 | tail -1
  fi
  if [ $# -gt 0 ]; then
    echo "== $mode: $*"
    timeout 300 "$work/mdwe-exec" "$mode" "$@"
  fi
done
echo "MemoryDenyWriteExecute: Swift runtime OK under: ${modes[*]}"
