#!/usr/bin/env bash
# `make demo` / `make demo-stop`: run mfd in the background on the synthetic
# demo catalogue (Sources/MFServer/Demo), with an embedded SQLite database.
#
#   scripts/demo.sh start   build must exist (make release); idempotent
#   scripts/demo.sh stop
#
# Data and log: .demo/ in the project (mfd.sqlite, mfd.sqlite-spool/, mfd.log, mfd.pid).
# Socket: /tmp/mfd-demo-$UID/mfd.sock (short: sun_path holds 107 bytes; a
# deep checkout path could exceed that). mfctl finds it through MFD_SOCKET,
# which the last line printed tells you to export.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${MFD_BIN_DIR:-$root/.build/release}
data=${MFD_DEMO_DIR:-$root/.demo}
run=${MFD_DEMO_RUN:-/tmp/mfd-demo-$(id -u)}
socket=$run/mfd.sock
pidfile=$data/mfd.pid
deadline_s=${MFD_DEMO_TIMEOUT:-180}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

# Poll `mfctl ping` until it answers, the daemon dies, or the deadline passes.
wait_ready() {
  local until=$((SECONDS + deadline_s))
  # The socket must exist too, so a client that exits 0 without connecting cannot fool us.
  until [ -S "$socket" ] && MFD_SOCKET=$socket "$bin/mfctl" ping >/dev/null 2>&1; do
    if ! running; then
      echo "mfd exited during startup; last log lines ($data/mfd.log):" >&2
      tail -n 20 "$data/mfd.log" >&2
      rm -f "$pidfile"; return 1
    fi
    if [ $SECONDS -ge $until ]; then
      echo "mfd did not answer ping within ${deadline_s}s; see $data/mfd.log" >&2; return 1
    fi
    sleep 0.2  # poll interval, not a guess: the loop is bounded by the deadline
  done
}

start() {
  for b in mfd mfctl; do
    [ -x "$bin/$b" ] || { echo "$bin/$b missing: run 'make release' first" >&2; exit 1; }
  done
  mkdir -p "$data"
  # Private per-user socket directory; refuse one that someone else owns.
  mkdir -p -m 0700 "$run"
  [ -O "$run" ] || { echo "$run is not owned by you; set MFD_DEMO_RUN" >&2; exit 1; }
  if running; then
    echo "mfd demo already running (pid $(cat "$pidfile"))" >&2
  else
    # --demo loads the catalogue into an empty database, trains, then serves;
    # on a later start the existing database is reused as is.
    # MFD_WRAPPER (e.g. scripts/mdwe/mdwe-exec seccomp) prefixes the command: CI
    # runs the demo under MemoryDenyWriteExecute's W^X rules this way.
    # shellcheck disable=SC2086
    nohup ${MFD_WRAPPER:-} "$bin/mfd" --demo --db "$data/mfd.sqlite" --socket "$socket" >>"$data/mfd.log" 2>&1 &
    echo $! >"$pidfile"
    echo "mfd demo starting (pid $!), log: $data/mfd.log" >&2
  fi
  wait_ready
  echo "mfd demo is serving on $socket. Try:" >&2
  echo "  export PATH=\"$bin:\$PATH\" MFD_SOCKET=$socket" >&2
  echo "  mfctl recommend 42" >&2
  echo "Stop it with: make demo-stop" >&2
}

stop() {
  if ! running; then echo "mfd demo is not running" >&2; rm -f "$pidfile"; return 0; fi
  local pid until=$((SECONDS + 60))
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $until ] || { echo "mfd (pid $pid) did not stop within 60s" >&2; exit 1; }
    sleep 0.1  # poll interval, bounded by the deadline above
  done
  rm -f "$pidfile"
  echo "mfd demo stopped; data kept in $data (delete it to start from scratch)" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
