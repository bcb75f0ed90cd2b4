#!/usr/bin/env bash
# The Python client (clients/python) as a user gets it: a fresh venv under
# /tmp, `pip install ./clients/python pytest` (plus pandas when pip can install
# it, for the DataFrame tests), then its pytest suite against a real
# `mfd --demo` that the tests' fixture starts. The tests import the installed
# package, not the source tree.
# mfd comes from $MFD_BIN_DIR, else .build/release, else .build/debug; with
# none this script fails (the tests alone would only skip).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bin=${MFD_BIN_DIR:-}
if [ -z "$bin" ]; then
  for d in .build/release .build/debug; do
    if [ -x "$d/mfd" ]; then bin=$repo/$d; break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin/mfd" ]; then
  echo "test-python-client: no mfd binary in ${bin:-.build/release or .build/debug} (build with 'swift build -c release', or set MFD_BIN_DIR)" >&2
  exit 1
fi
venv=$(mktemp -d /tmp/mfd-pyclient.XXXXXX)
# setuptools builds in the source tree (build/, *.egg-info): start without stale
# copies of modules, and leave none behind.
clean_build() { rm -rf "$repo/clients/python/build" "$repo"/clients/python/*.egg-info; }
trap 'rm -rf "$venv"; clean_build' EXIT
clean_build
python3 -m venv "$venv"
"$venv/bin/pip" install -q "$repo/clients/python" pytest
if ! "$venv/bin/pip" install -q pandas; then
  echo "test-python-client: note: pip could not install pandas; the DataFrame tests will be skipped" >&2
fi
cd "$venv"
installed=$("$venv/bin/python" -c 'import mfdclient; print(mfdclient.__version__, mfdclient.__file__)')
echo "mfdclient $installed; mfd from $bin"
case $installed in *"$venv"/*) ;; *) echo "test-python-client: mfdclient was not imported from the venv" >&2; exit 1 ;; esac
MFD_BIN_DIR=$bin "$venv/bin/pytest" -p no:cacheprovider -rs "$repo/clients/python/tests"
