#!/usr/bin/env bash
# Lint the systemd units: `systemd-analyze verify` must print nothing at all
# (it exits 0 on unknown keys and bad values, so any output is a failure),
# then print the offline security score (exposure must stay <= 2.0).
#
# verify insists that ExecStart= exists, so the units are checked in a
# temporary copy whose ExecStart= points at MFD_BINARY (default: the release
# build, else the debug build, else /bin/true: the unit syntax is what is tested).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MFD_BINARY:-}
if [ -z "$bin" ]; then
  for c in .build/release/mfd .build/debug/mfd /bin/true; do [ -x "$c" ] && { bin=$(realpath "$c"); break; }; done
fi
tmp=$(mktemp -d /tmp/mfd-units.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sed "s|^ExecStart=/usr/local/bin/mfd|ExecStart=$bin|" systemd/mfd.service >"$tmp/mfd.service"
cp systemd/mfd.socket "$tmp/mfd.socket"
grep -q "^ExecStart=$bin" "$tmp/mfd.service" || { echo "verify-units: ExecStart= line not found in systemd/mfd.service"; exit 1; }
out=$(cd "$tmp" && systemd-analyze verify --man=no mfd.service mfd.socket 2>&1) && rc=0 || rc=$?
if [ $rc -ne 0 ] || [ -n "$out" ]; then
  echo "systemd-analyze verify failed (rc=$rc):"; echo "$out"; exit 1
fi
echo "systemd-analyze verify: clean (mfd.service, mfd.socket; ExecStart=$bin)"
# sysusers.d / tmpfiles.d entries, applied to a scratch root.
mkdir -p "$tmp/root/etc" "$tmp/root/usr/lib/sysusers.d" "$tmp/root/usr/lib/tmpfiles.d"
cp systemd/mfd.sysusers "$tmp/root/usr/lib/sysusers.d/mfd.conf"
cp systemd/mfd.tmpfiles "$tmp/root/usr/lib/tmpfiles.d/mfd.conf"
systemd-sysusers --root="$tmp/root" >/dev/null 2>&1 && grep -q '^mfd:' "$tmp/root/etc/group" \
  || { echo "systemd-sysusers failed on systemd/mfd.sysusers"; exit 1; }
systemd-tmpfiles --root="$tmp/root" --create >/dev/null && [ -d "$tmp/root/run/mfd" ] && [ -d "$tmp/root/var/lib/mfd" ] \
  || { echo "systemd-tmpfiles failed on systemd/mfd.tmpfiles"; exit 1; }
echo "sysusers.d/tmpfiles.d: user+group mfd, /var/lib/mfd and /run/mfd created in a scratch root"
score=$(systemd-analyze security --offline=yes systemd/mfd.service 2>&1) || true
echo "$score" | grep -E '^✗|exposure level'
level=$(echo "$score" | sed -n 's/.*Overall exposure level for mfd.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || { echo "could not read the exposure level"; echo "$score"; exit 1; }
awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || { echo "exposure $level > 2.0"; exit 1; }
