#!/usr/bin/env bash
# The Debian package, installed and started: `make deb` (builds only what is
# missing; SKIP_BUILD=1 uses dist/ as it is), lintian without errors, then
# `dpkg --root` into a fresh root with the maintainer scripts run chrootless
# (DPKG_ROOT set, as dpkg does): every file of the package checked (type,
# mode, md5sum), the conffile registered, the mfd user and group created, the
# socket unit enabled, no dependency on the Swift toolchain; then the
# installed mfd started from its unit through systemd-socket-activate on the
# demo data, where `mfctl recommend 42` must print 10 titled items; last,
# remove and purge. Needs root (dpkg), dpkg-dev, lintian, systemd (for
# systemd-sysusers and systemd-socket-activate; it need not be running).
# Exit 0 = passed.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "test-deb: $*" >&2; exit 1; }
for t in dpkg-deb lintian systemd-socket-activate systemd-sysusers python3; do
  command -v $t >/dev/null || fail "$t not found (apt-get install dpkg-dev lintian systemd python3)"
done
tmp=$(mktemp -d /tmp/mfd-deb.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

[ "${SKIP_BUILD:-0}" = 1 ] || make -s deb >/dev/null
arch=$(dpkg --print-architecture)
deb=$(ls -t dist/mfd_*_"$arch".deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no dist/mfd_*_$arch.deb"
echo "test-deb: $deb"
lintian --fail-on error "$deb" || fail "lintian reports errors"
depends=$(dpkg-deb -f "$deb" Depends)
echo "test-deb: Depends: $depends"
[[ $depends == *libsqlite3-0* && $depends == *libc6* ]] || fail "Depends lacks libsqlite3-0 or libc6"
[[ $depends != *swift* ]] || fail "Depends names the Swift toolchain"

# A fresh root: an empty dpkg database and nothing else.
root=$tmp/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status"
dpkgr=(dpkg --root="$root" --log="$tmp/dpkg.log" --force-script-chrootless)
# --force-depends: the fresh root's database does not list libc6 and the others the host has.
"${dpkgr[@]}" --force-depends -i "$deb" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "dpkg -i failed"; }

# Every file and directory of the package, with its type and mode.
checked=0
while read -r perms _ _ _ _ path rest; do
  path=${path#./}
  [ -n "$path" ] || continue
  [ -e "$root/$path" ] || [ -L "$root/$path" ] || fail "$path not installed"
  have=$(stat -c %A "$root/$path")
  [ "$have" = "$perms" ] || fail "$path: mode $have, package says $perms"
  checked=$((checked + 1))
done < <(dpkg-deb -c "$deb")
"${dpkgr[@]}" --verify mfd || fail "dpkg --verify: installed files differ from the package"
for f in usr/bin/mfd usr/bin/mfctl usr/share/man/man8/mfd.8.gz usr/share/man/man1/mfctl.1.gz \
         usr/lib/sysusers.d/mfd.conf usr/lib/tmpfiles.d/mfd.conf etc/mfd/mfd.env \
         usr/share/bash-completion/completions/mfctl usr/share/zsh/site-functions/_mfctl \
         usr/share/fish/vendor_completions.d/mfctl.fish usr/share/doc/mfd/copyright; do
  [ -e "$root/$f" ] || fail "$f not in the package"
done
unitdir=$(dirname "$(cd "$root" && find . -name mfd.service -path '*systemd/system/*' | head -1 | cut -c2-)")
[ -f "$root$unitdir/mfd.socket" ] || fail "no mfd.socket beside mfd.service ($unitdir)"
grep -qx 'ExecStart=/usr/bin/mfd' "$root$unitdir/mfd.service" || fail "ExecStart is not /usr/bin/mfd"
echo "test-deb: $checked paths installed as packaged; units in $unitdir"

dpkg-query --root="$root" -W -f='${Conffiles}\n' mfd | grep -q '^ /etc/mfd/mfd.env ' || fail "/etc/mfd/mfd.env is not a conffile"
grep -q '^mfd:' "$root/etc/passwd" || fail "postinst created no user mfd"
grep -q '^mfd:' "$root/etc/group" || fail "postinst created no group mfd"
wants=$root/etc/systemd/system/sockets.target.wants/mfd.socket
[ -L "$wants" ] || fail "postinst did not enable mfd.socket"
ldd "$root/usr/bin/mfd" "$root/usr/bin/mfctl" >"$tmp/ldd.txt"
! grep -q 'not found' "$tmp/ldd.txt" || { cat "$tmp/ldd.txt"; fail "unresolved libraries"; }
! grep -qi swift "$tmp/ldd.txt" || { cat "$tmp/ldd.txt"; fail "the binaries load the Swift toolchain's libraries"; }
echo "test-deb: user and group mfd, mfd.socket enabled, conffile registered; $("$root/usr/bin/mfd" --version)"

# The packaged mfd from its unit, on the demo catalogue, with the shipped settings file's values.
grep -v '^#' "$root/etc/mfd/mfd.env" | grep -q . && fail "the shipped mfd.env sets something"
# shellcheck source=lib/socket-activated.sh
. scripts/lib/socket-activated.sh
start_socket_activated test-deb "$root" "$unitdir" "$tmp" MFD_DEMO=1
MFD_SOCKET=$SA_SOCK "$root/usr/bin/mfctl" recommend 42 >"$tmp/recommend.txt"
cat "$tmp/recommend.txt"
titled=$(grep -cE '\([0-9]{4}\)' "$tmp/recommend.txt" || true)
[ "$titled" -eq 10 ] || fail "expected 10 titled recommendations, got $titled"
MFD_SOCKET=$SA_SOCK "$root/usr/bin/mfctl" status | head -1
stop_socket_activated test-deb "$tmp"

# Remove keeps the conffile, purge removes it; the maintainer scripts run again.
"${dpkgr[@]}" -r mfd >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; fail "dpkg -r failed"; }
[ ! -e "$root/usr/bin/mfd" ] || fail "dpkg -r left /usr/bin/mfd"
[ -e "$root/etc/mfd/mfd.env" ] || fail "dpkg -r removed the conffile"
"${dpkgr[@]}" -P mfd >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "dpkg -P failed"; }
[ ! -e "$root/etc/mfd/mfd.env" ] || fail "dpkg -P left the conffile"
[ ! -e "$wants" ] || fail "purge left mfd.socket enabled"
echo "test-deb: PASSED"
