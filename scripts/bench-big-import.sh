#!/usr/bin/env bash
# A big import through mfctl, as a user runs it, and reads during it.
# Figures: docs/benchmarks.md ("A big import while serving").
#   scripts/bench-big-import.sh CSV USERS
# A release mfd (--retrain manual) imports CSV with `mfctl import ratings` at
# its default flags (exit status, committed count, wall time, peak RSS), trains
# once, then imports CSV again while `mfbench serve` sends recommend at
# 1,000/s open loop in 10 s phases (one before the import, as the baseline);
# each phase prints p50/p99 with the import's stage when it ended (`mfctl
# status`; `loading` after the commit, while mfd reloads its lists), mfd's RSS and the
# load average then. SKIP_BUILD=1 uses the release binaries as they are; BIN=DIR takes
# them from DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
CSV=${1:?usage: scripts/bench-big-import.sh CSV USERS}
USERS=${2:?usage: scripts/bench-big-import.sh CSV USERS}
[ "${SKIP_BUILD:-0}" = 1 ] || [ -n "${BIN:-}" ] || make release >&2
BIN=${BIN:-.build/release}
W=$(mktemp -d /tmp/mfd-bigimport.XXXXXX)
MFD=
trap '[ -n "$MFD" ] && kill -9 $MFD 2>/dev/null; rm -rf "$W"' EXIT
export MFD_SOCKET=$W/s.sock

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.1f", $1 - $2 }'; }
mib() { awk '/^'"$1"':/ { print int($2 / 1024) }' "/proc/$MFD/status"; }  # VmRSS / VmHWM in MiB
fig() { echo "bigimport $1 $2"; }
loaded() { ! "$BIN/mfctl" status | grep -q '^loading:'; }
wait_for() { until "$@" >/dev/null 2>&1; do sleep 0.1; done; }
stage() {  # the first open import's stage, "loading:STAGE" while mfd reloads after it, or "none"
  "$BIN/mfctl" status --json | python3 -c 'import json,sys; s=json.load(sys.stdin); i=s.get("imports") or []; l=s.get("loading"); print(i[0]["progress"]["stage"] if i else "loading:" + l["stage"].replace(" ", "_") if l else "none")'
}
phase() {  # phase T0: one 10 s recommend phase at 1,000/s open loop
  local r
  r=$("$BIN/mfbench" serve --socket "$MFD_SOCKET" --users "$USERS" --seconds 10 --phase recommend \
        --connections 4 --rate 1000 --json | python3 -c 'import json,sys; s=json.load(sys.stdin)["recommend"]; print("%.0f %.0f %d" % (s["p50_us"], s["p99_us"], s["requests"]))')
  echo "bigimport phase t=$(since "$1")s stage=$(stage) p50_us,p99_us,requests=$r rss_mib=$(mib VmRSS) load=$(cut -d' ' -f1 /proc/loadavg)"
}

"$BIN/mfd" --db "$W/db.sqlite" --retrain manual >>"$W/mfd.log" 2>&1 &
MFD=$!
wait_for "$BIN/mfctl" ping

t0=$(now)
set +e; "$BIN/mfctl" import ratings "$CSV" >"$W/import1.out" 2>"$W/import1.err"; rc=$?; set -e
fig first_import_exit "$rc"
fig first_import_s "$(since "$t0")"
fig first_import_result "\"$(cat "$W/import1.out")\""
fig first_import_hwm_mib "$(mib VmHWM)"
wait_for loaded
fig first_import_loaded_s "$(since "$t0")"
"$BIN/mfctl" train --wait >/dev/null 2>&1
fig trained_rss_mib "$(mib VmRSS)"

phase "$(now)"  # the baseline: no import
echo 5 >"/proc/$MFD/clear_refs"  # VmHWM from here on: the second import's peak
t0=$(now)
"$BIN/mfctl" import ratings "$CSV" >"$W/import2.out" 2>"$W/import2.err" &
IMPORT=$!
while kill -0 "$IMPORT" 2>/dev/null; do phase "$t0"; done
wait "$IMPORT"; fig second_import_exit "$?"
fig second_import_s "$(since "$t0")"
fig second_import_result "\"$(cat "$W/import2.out")\""
fig second_import_hwm_mib "$(mib VmHWM)"
while ! loaded; do phase "$t0"; done
fig second_import_loaded_s "$(since "$t0")"
fig second_import_loaded_hwm_mib "$(mib VmHWM)"
grep -E 'import commit started|import committed|reload' "$W/mfd.log" | sed 's/^/bigimport log /'
