#!/usr/bin/env bash
# `make deb`'s packaging step: dist/mfd_VERSION_ARCH.deb from what `make deb`
# built in DIR (release, --static-swift-stdlib, man pages, completions).
# Contents: `make install PREFIX=/usr` less mfbench (a benchmark tool, not
# part of the service), binaries stripped, man pages gzipped, mfd.env.example
# as the conffile /etc/mfd/mfd.env, the maintainer scripts and control file of
# packaging/deb, Depends: from dpkg-shlibdeps. Ends with lintian when present.
# Usage: scripts/build-deb.sh [DIR]
# Env:   DEB_MAINTAINER="Name <address>"  OUT=dist
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022
dir=${1:-.build-deb}
out=${OUT:-dist}
bin=$dir/release
[ -x "$bin/mfd" ] && [ -x "$bin/mfctl" ] || { echo "build-deb: no binaries in $bin: run 'make deb'"; exit 1; }
if ldd "$bin/mfd" "$bin/mfctl" | grep -q libswiftCore; then
  echo "build-deb: $bin links the Swift runtime dynamically; build with --static-swift-stdlib ('make deb')"; exit 1
fi
version=$("$bin/mfctl" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-mfd developers <mfd@example.org>}
# Reproducible file dates and changelog: the last commit's time.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

# The tree dpkg-shlibdeps expects: DIR/debian/control and the package in DIR/debian/mfd.
root=$dir/debian/mfd
rm -rf "$dir/debian" && mkdir -p "$root/DEBIAN"
printf 'Source: mfd\n\nPackage: mfd\nArchitecture: any\n' >"$dir/debian/control"
make -s install DESTDIR="$root" PREFIX=/usr SYSCONFDIR=/etc RELEASE_DIR="$bin" GEN="$dir/gen" >/dev/null
rm "$root/usr/bin/mfbench" "$root/usr/share/man/man1/mfbench.1"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/mfd" "$root/usr/bin/mfctl"
gzip -9n "$root"/usr/share/man/man*/*
# Completion files are sourced, not run: no #! line.
sed -i '1{/^#!/d}' "$root/usr/share/bash-completion/completions/mfctl"

# The settings file, every line commented out: a conffile dpkg keeps across upgrades.
install -d "$root/etc/mfd"
sed 's/^# Copy this file there and uncomment what you change;/# Uncomment what you change;/' \
  "$root/usr/share/doc/mfd/mfd.env.example" >"$root/etc/mfd/mfd.env"
rm "$root/usr/share/doc/mfd/mfd.env.example"

doc=$root/usr/share/doc/mfd
{
  cat packaging/deb/copyright
  for c in "$dir"/checkouts/*/; do
    name=$(basename "$c"); lic=$(ls "$c" | grep -m1 -E '^(LICENSE|LICENCE|COPYING)' || true)
    [ -n "$lic" ] || { echo "build-deb: $name has no license file"; exit 1; }
    if grep -q 'Apache License' "$c/$lic"; then echo "  $name: Apache License 2.0"
    elif grep -q 'Permission is hereby granted, free of charge' "$c/$lic"; then echo "  $name: MIT"
    else echo "build-deb: $name: unrecognised license in $lic"; exit 1; fi
  done
  for c in "$dir"/checkouts/*/; do
    lic=$(ls "$c" | grep -m1 -E '^(LICENSE|LICENCE|COPYING)')
    if grep -q 'Permission is hereby granted, free of charge' "$c/$lic"; then
      printf '\n%s (MIT):\n\n' "$(basename "$c")"; sed 's/^/  /' "$c/$lic"
    fi
  done
} >"$doc/copyright"
changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
printf 'mfd (%s) unstable; urgency=medium\n\n  * Built from the mfd source tree (commit %s).\n\n -- %s  %s\n' \
  "$version" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$maintainer" "$changelog_date" \
  | gzip -9n >"$doc/changelog.gz"

# Depends: the shared libraries the binaries really load, as dpkg-shlibdeps finds them.
depends=$(cd "$dir" && dpkg-shlibdeps -O debian/mfd/usr/bin/mfd debian/mfd/usr/bin/mfctl | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no libraries"; exit 1; }

install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$root/DEBIAN/"
echo /etc/mfd/mfd.env >"$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' \
  | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$size|" -e "s|@DEPENDS@|$depends|" packaging/deb/control >"$root/DEBIAN/control"

mkdir -p "$out"
deb=$out/mfd_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "build-deb: $deb ($(du -h "$deb" | cut -f1)); Depends: $depends"
if command -v lintian >/dev/null; then
  lintian --fail-on error "$deb"
else
  echo "build-deb: lintian not installed (apt-get install lintian) — not checked"
fi
