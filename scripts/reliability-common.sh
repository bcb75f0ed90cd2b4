# Sourced by scripts/crash-test.sh, fuzz.sh, load-test.sh, access-test.sh:
# builds mfd and mfreliability (release, as `make release`) unless MFRELIABILITY_DEBUG=1, and sets $MFRELIABILITY.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
if [ "${MFRELIABILITY_DEBUG:-0}" = 1 ]; then
  swift build --product mfd >&2 && swift build --product mfreliability >&2
  MFRELIABILITY=.build/debug/mfreliability
else
  swift build -c release --product mfd >&2 && swift build -c release --product mfreliability >&2
  MFRELIABILITY=.build/release/mfreliability
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 2; }
