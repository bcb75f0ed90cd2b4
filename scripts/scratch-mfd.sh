# Sourced (not run) by scripts that drive a throw-away mfd.
#   start_scratch_mfd BIN WORK NAME [mfd args...]
# starts BIN/mfd on WORK/mfd.sqlite with socket WORK/s.sock (exported as
# MFD_SOCKET) and log WORK/mfd.log, stops it and removes WORK on exit, and
# returns once `mfctl ping` answers; NAME prefixes the error lines.
start_scratch_mfd() {
  local bin=$1 work=$2 name=$3; shift 3
  export MFD_SOCKET=$work/s.sock
  "$bin/mfd" --db "$work/mfd.sqlite" --socket "$MFD_SOCKET" "$@" >"$work/mfd.log" 2>&1 &
  scratch_mfd_pid=$!
  scratch_work=$work
  trap 'kill $scratch_mfd_pid 2>/dev/null; wait $scratch_mfd_pid 2>/dev/null; rm -rf "$scratch_work"' EXIT
  local deadline=$((SECONDS + 60))
  until "$bin/mfctl" ping >/dev/null 2>&1; do
    kill -0 $scratch_mfd_pid 2>/dev/null || { cat "$work/mfd.log"; echo "$name: mfd exited during startup"; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "$name: mfd did not answer ping within 60 s"; exit 1; }
    sleep 0.1  # poll interval, bounded by the deadline
  done
}
