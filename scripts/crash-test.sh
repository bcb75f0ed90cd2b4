#!/usr/bin/env bash
# SIGKILL mfd at random moments under 16 writers (20 cycles); verify every acknowledged write and the restart time.
# Full size by default; extra arguments go to `mfbench crash` (see `mfbench crash --help`).
# Prints mfbench's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/crash-test.sh [ARGS...]        MFBENCH_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFBENCH" crash "$@"
