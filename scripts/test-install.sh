#!/usr/bin/env bash
# Installed-layout test: `make install DESTDIR=...`, then start the
# installed mfd the way systemd would: socket-activated through
# systemd-socket-activate on the unit's socket with its path rewritten into a
# temporary directory, with the unit's ExecStart= and STATE_/RUNTIME_DIRECTORY,
# and Type=notify checked by receiving READY=1 on a NOTIFY_SOCKET.
# Runs `make` first (builds only what is missing), then `make install` with
# sudo's secure_path as PATH (no toolchain), as `sudo make install` would.
# Exit 0 = passed.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/mfd-inst.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
dest=$tmp/root

# Without a build, install refuses and says to run make; it never builds.
if make -s install DESTDIR="$tmp/none" RELEASE_DIR="$tmp/no-build" >"$tmp/refused.log" 2>&1; then
  echo "test-install: make install succeeded without built binaries"; exit 1
fi
grep -q "run 'make' first" "$tmp/refused.log" || { echo "test-install: unclear refusal:"; cat "$tmp/refused.log"; exit 1; }
[ ! -e "$tmp/none" ] || { echo "test-install: refused install still wrote files"; exit 1; }

make -s >/dev/null
# Debian's sudo secure_path: the Swift toolchain is not on it.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  make -s install DESTDIR="$dest" PREFIX=/usr SYSCONFDIR=/etc >/dev/null
for f in usr/bin/mfd usr/bin/mfctl usr/bin/mfbench usr/lib/systemd/system/mfd.service \
         usr/lib/systemd/system/mfd.socket usr/lib/sysusers.d/mfd.conf usr/lib/tmpfiles.d/mfd.conf \
         usr/share/man/man8/mfd.8 usr/share/man/man1/mfctl.1 usr/share/man/man1/mfbench.1 \
         usr/share/bash-completion/completions/mfctl \
         usr/share/zsh/site-functions/_mfctl usr/share/fish/vendor_completions.d/mfctl.fish \
         usr/share/doc/mfd/mfd.env.example; do
  [ -e "$dest/$f" ] || { echo "test-install: $f not installed"; exit 1; }
done
unit=$dest/usr/lib/systemd/system/mfd.service
grep -qx 'ExecStart=/usr/bin/mfd' "$unit" || { echo "test-install: ExecStart not rewritten to PREFIX"; exit 1; }
echo "test-install: layout ok under $dest"

# shellcheck source=lib/socket-activated.sh
. scripts/lib/socket-activated.sh
start_socket_activated test-install "$dest" /usr/lib/systemd/system "$tmp"
ls "$tmp/state"/*.sqlite >/dev/null 2>&1 || { echo "test-install: no database under STATE_DIRECTORY"; exit 1; }
stop_socket_activated test-install "$tmp"
[ -S "$SA_SOCK" ] || true  # systemd-socket-activate owns the socket; mfd must not unlink it
make -s uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null
left=$(find "$dest" -type f | wc -l)
[ "$left" -eq 0 ] || { echo "test-install: uninstall left $left files"; find "$dest" -type f; exit 1; }
echo "test-install: PASSED"
