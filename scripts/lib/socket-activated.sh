# Sourced by scripts/test-install.sh and scripts/test-deb.sh: start an
# installed mfd the way systemd would.

# start_socket_activated NAME ROOT UNITDIR TMP [NAME=VALUE...]: the command
# line of ROOT/UNITDIR/mfd.service's ExecStart= (its /usr/bin/ pointed into
# ROOT), socket-activated through systemd-socket-activate on TMP/run/mfd.sock
# (after checking the socket unit's ListenStream=), with STATE_DIRECTORY and
# RUNTIME_DIRECTORY in TMP, Type=notify checked by receiving READY=1 on a
# NOTIFY_SOCKET, and the extra environment given. Returns once mfd answers
# `ping` and has sent READY=1. Sets SA_SOCK and SA_PID (systemd-socket-activate,
# which execs mfd) and appends the helpers' pids to the caller's `pids`.
start_socket_activated() {
  local name=$1 root=$2 unitdir=$3 tmp=$4; shift 4
  local unit=$root$unitdir/mfd.service env=() v
  for v in "$@"; do env+=(-E "$v"); done
  local exec_line listen notify_pid deadline
  exec_line=$(sed -n 's/^ExecStart=//p' "$unit")
  exec_line=${exec_line/\/usr\/bin\//$root/usr/bin/}
  listen=$(sed -n 's/^ListenStream=//p' "$root$unitdir/mfd.socket")
  [ "$listen" = /run/mfd/mfd.sock ] || { echo "$name: unexpected ListenStream=$listen"; return 1; }
  mkdir -p "$tmp/run" "$tmp/state"
  SA_SOCK=$tmp/run/mfd.sock

  # Receive sd_notify datagrams (READY=1) the way systemd does.
  python3 - "$tmp/notify.sock" >"$tmp/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); s.settimeout(120)
print("bound", flush=True)
while True:
    msg = s.recv(4096).decode()
    print(msg.replace("\n", " "), flush=True)
    if "READY=1" in msg.split("\n"): break
PY
  notify_pid=$!
  pids+=("$notify_pid")
  until grep -q bound "$tmp/notify.log" 2>/dev/null; do kill -0 "$notify_pid" || return 1; sleep 0.05; done

  # shellcheck disable=SC2086  # the unit's command line is split like systemd does
  systemd-socket-activate -l "$SA_SOCK" -E STATE_DIRECTORY="$tmp/state" -E RUNTIME_DIRECTORY="$tmp/run" \
    -E NOTIFY_SOCKET="$tmp/notify.sock" -E MFD_LOG_LEVEL=info "${env[@]}" $exec_line >"$tmp/mfd.log" 2>&1 &
  SA_PID=$!
  pids+=("$SA_PID")
  deadline=$((SECONDS + 120))
  # The first connection starts mfd (socket activation); retry until it answers.
  until MFD_SOCKET=$SA_SOCK "$root/usr/bin/mfctl" ping >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "$name: no ping answer in 120s"; cat "$tmp/mfd.log"; return 1; }
    kill -0 "$SA_PID" 2>/dev/null || { echo "$name: mfd exited"; cat "$tmp/mfd.log"; return 1; }
    sleep 0.2  # poll interval, bounded by the deadline
  done
  wait "$notify_pid" || { echo "$name: no READY=1 on NOTIFY_SOCKET"; cat "$tmp/notify.log"; return 1; }
  echo "$name: socket-activated mfd answered ping; notify: $(tail -1 "$tmp/notify.log")"
}

# stop_socket_activated NAME TMP: SIGTERM to mfd, which must exit 0.
stop_socket_activated() {
  local name=$1 tmp=$2 rc
  kill -TERM "$SA_PID"
  wait "$SA_PID" && rc=0 || rc=$?
  [ $rc -eq 0 ] || { echo "$name: mfd exited with $rc on SIGTERM"; cat "$tmp/mfd.log"; return 1; }
}
