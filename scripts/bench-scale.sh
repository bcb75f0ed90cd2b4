#!/usr/bin/env bash
# mfd at scale, driven through mfctl as a user would, beside cmfrec's strongest
# model (and implicit's ALS) on the same data in the same run. Figures: docs/benchmarks.md ("Scale").
#   scripts/bench-scale.sh [5m|25m]...        (default: 5m)
# 5m:  ../shared/anchors/gen_synth.py defaults (100k users, 20k items, 5M ratings);
# 25m: shaped like MovieLens-25M (162k users, 62k items, 25M ratings).
# Data sets are made once under ${SCALE_DATA:-.build/scale-data} (needs numpy and
# pandas); the anchor needs cmfrec, scipy and threadpoolctl too: set PYTHON to an
# interpreter that has them (../shared/anchors/README.md makes such a venv).
# ANCHOR=0 skips cmfrec; SKIP_BUILD=1 uses the release binaries as they are.
# Each figure is one line `scale NAME KEY VALUE`, then a summary with the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
PY=${PYTHON:-python3}
DATA=${SCALE_DATA:-.build/scale-data}
SETS=${*:-5m}
[ "${SKIP_BUILD:-0}" = 1 ] || make release >&2
BIN=.build/release
W=$(mktemp -d /tmp/mfd-scale.XXXXXX)
MFD=
trap '[ -n "$MFD" ] && kill -9 $MFD 2>/dev/null; rm -rf "$W"' EXIT
export MFD_SOCKET=$W/s.sock

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.2f", $1 - $2 }'; }
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$MFD/stat"; }  # mfd's user + system CPU seconds (USER_HZ 100)
kib() { awk -v k="$1" '/^'"$1"':/ { print int($2 / 1024) }' "/proc/$MFD/status"; }  # VmRSS / VmHWM in MiB
fig() { echo "scale $1 $2 $3"; }

start_mfd() {  # start_mfd: mfd on $W/db.sqlite (manual retrain: each phase is timed alone)
  "$BIN/mfd" --db "$W/db.sqlite" --socket "$MFD_SOCKET" --retrain manual >>"$W/mfd.log" 2>&1 &
  MFD=$!
}
wait_for() {  # wait_for CMD...: polls CMD every 10 ms for up to 10 minutes
  local deadline=$((SECONDS + 600))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$MFD" 2>/dev/null || { cat "$W/mfd.log" >&2; echo "bench-scale: mfd exited" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "bench-scale: timed out waiting for $*" >&2; exit 1; }
    sleep 0.01
  done
}
loaded() { ! "$BIN/mfctl" status | grep -q '^loading:'; }
restart_figures() {  # restart_figures NAME HOW: time to ping, to a recommend and to the end of loading
  local name=$1 how=$2 t0
  t0=$(now); start_mfd
  wait_for "$BIN/mfctl" ping; fig "$name" "${how}_restart_ping_s" "$(since "$t0")"
  wait_for "$BIN/mfctl" recommend 42; fig "$name" "${how}_restart_recommend_s" "$(since "$t0")"
  wait_for loaded; fig "$name" "${how}_restart_loaded_s" "$(since "$t0")"
}
serve() {  # serve NAME USERS LABEL ARGS...: one mfbench serve phase over every user
  local name=$1 users=$2 label=$3; shift 3
  "$BIN/mfbench" serve --socket "$MFD_SOCKET" --users "$users" --seconds 10 --phase recommend --json "$@" \
    | "$PY" -c 'import json,sys; s=json.load(sys.stdin)["recommend"]; print("%.0f %.0f %.0f" % (s["per_second"], s["p50_us"], s["p99_us"]))' \
    | { read -r rate p50 p99; fig "$name" "${label}_per_s" "$rate"; fig "$name" "${label}_p50_us" "$p50"; fig "$name" "${label}_p99_us" "$p99"; }
}
cache_hit_rate() {
  "$BIN/mfctl" metrics | awk '/^mfd_recommend_cache_hits_total /{h=$2} /^mfd_recommend_cache_misses_total /{m=$2} END { printf "%.3f", (h+m) ? h/(h+m) : 0 }'
}

run_set() {  # run_set NAME USERS ITEMS RATINGS
  local name=$1 users=$2 items=$3 ratings=$4 dir csv t0 hwm=0
  dir=$DATA/$name; csv=$dir/ratings.csv
  if [ ! -f "$csv" ]; then
    mkdir -p "$dir"
    "$PY" ../shared/anchors/gen_synth.py --out "$dir" --users "$users" --items "$items" --ratings "$ratings" >&2
  fi
  rm -rf "$W"/db.sqlite* "$W/mfd.log"  # the database, its -wal/-shm and its -spool directory
  start_mfd; wait_for "$BIN/mfctl" ping
  t0=$(now); "$BIN/mfctl" import ratings "$csv" >/dev/null 2>&1
  local import_s; import_s=$(since "$t0")
  fig "$name" import_s "$import_s"; fig "$name" import_ratings_per_s "$(echo "$ratings $import_s" | awk '{ printf "%.0f", $1 / $2 }')"
  fig "$name" import_hwm_mib "$(kib VmHWM)"
  local c0; c0=$(cpu)
  t0=$(now); "$BIN/mfctl" train --wait >/dev/null 2>&1
  local train_s train_cpu; train_s=$(since "$t0"); train_cpu=$(echo "$(cpu) $c0" | awk '{ printf "%.2f", $1 - $2 }')
  fig "$name" train_s "$train_s"; fig "$name" train_cpu_s "$train_cpu"; fig "$name" train_hwm_mib "$(kib VmHWM)"; fig "$name" trained_rss_mib "$(kib VmRSS)"
  # A retrain after 1 % of the ratings changed (every 100th rating re-rated):
  # mfd starts it from the serving model (`warm_iterations` sweeps).
  awk -F, 'NR == 1 || NR % 100 == 0 { if (NR > 1) $3 = ($3 >= 3 ? $3 - 1 : $3 + 1); print }' OFS=, "$csv" >"$W/changed.csv"
  t0=$(now); "$BIN/mfctl" import ratings "$W/changed.csv" >/dev/null 2>&1; wait_for loaded
  fig "$name" update_import_loaded_s "$(since "$t0")"; fig "$name" update_hwm_mib "$(kib VmHWM)"
  c0=$(cpu)
  t0=$(now); "$BIN/mfctl" train --wait >/dev/null 2>&1
  local retrain_s retrain_cpu; retrain_s=$(since "$t0"); retrain_cpu=$(echo "$(cpu) $c0" | awk '{ printf "%.2f", $1 - $2 }')
  fig "$name" retrain_s "$retrain_s"; fig "$name" retrain_cpu_s "$retrain_cpu"; fig "$name" retrain_hwm_mib "$(kib VmHWM)"
  fig "$name" retrain_warm_start_model "$("$BIN/mfctl" status --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["last_training"]["metrics"].get("warm_start_model", "none"))')"
  "$BIN/mfctl" metrics >/dev/null
  serve "$name" "$users" closed16 --connections 16
  serve "$name" "$users" open5000 --connections 16 --rate 5000
  fig "$name" recommend_cache_hit_rate "$(cache_hit_rate)"
  fig "$name" serving_hwm_mib "$(kib VmHWM)"
  kill -TERM "$MFD"; wait "$MFD" || true
  restart_figures "$name" clean
  sleep 2; fig "$name" restarted_rss_mib "$(kib VmRSS)"; fig "$name" restarted_hwm_mib "$(kib VmHWM)"
  kill -9 "$MFD"; wait "$MFD" 2>/dev/null || true
  restart_figures "$name" kill9
  kill -TERM "$MFD"; wait "$MFD" || true; MFD=
  if [ "${ANCHOR:-1}" = 1 ]; then
    local line fit fit_cpu
    line=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" scripts/scale_cmfrec_strong.py --data "$csv" --threads 2)
    echo "$line" | awk -v n="$name" '{ for (i = 2; i < NF; i += 2) print "scale", n, "cmfrec_strong_" $i, $(i + 1) }'
    fit=$(echo "$line" | awk '{ print $3 }'); fit_cpu=$(echo "$line" | awk '{ print $5 }')
    # CPU seconds as well: on a shared machine they hold where wall times do not.
    fig "$name" train_cpu_over_cmfrec_strong "$(echo "$train_cpu $fit_cpu" | awk '{ printf "%.2f", $1 / $2 }')"
    fig "$name" retrain_cpu_over_cmfrec_strong "$(echo "$retrain_cpu $fit_cpu" | awk '{ printf "%.2f", $1 / $2 }')"
    fig "$name" train_over_cmfrec_strong "$(echo "$train_s $fit" | awk '{ printf "%.2f", $1 / $2 }')"
    fig "$name" retrain_over_cmfrec_strong "$(echo "$retrain_s $fit" | awk '{ printf "%.2f", $1 / $2 }')"
    # implicit's ALS (k = 64, 15 iterations, every rating as an interaction), as ../shared/anchors/bench_scale.py fits it.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" ../shared/anchors/bench_scale.py --data "$csv" --lib implicit \
      --threads 2 --out "$W/implicit.json" >&2
    "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print("scale", sys.argv[2], "implicit_fit_s", r["fit_s"]); print("scale", sys.argv[2], "implicit_maxrss_mib", r["ru_maxrss_mib"])' \
      "$W/implicit.json" "$name"
  fi
}

for s in $SETS; do
  case $s in
    5m) run_set 5m 100000 20000 5000000 ;;
    25m) run_set 25m 162000 62000 25000000 ;;
    *) echo "bench-scale: unknown set $s (5m or 25m)" >&2; exit 2 ;;
  esac
done
