# Sourced by scripts/crash-test.sh, fuzz.sh, load-test.sh, access-test.sh:
# builds the release binaries (as `make release`) unless MFBENCH_DEBUG=1, and sets $MFBENCH.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
if [ "${MFBENCH_DEBUG:-0}" = 1 ]; then
  swift build --product mfd >&2 && swift build --product mfbench >&2
  MFBENCH=.build/debug/mfbench
else
  swift build -c release --product mfd >&2 && swift build -c release --product mfbench >&2
  MFBENCH=.build/release/mfbench
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 2; }
