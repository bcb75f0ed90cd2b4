#!/usr/bin/env bash
# SIGKILL mfd at random moments under 16 writers (20 cycles); verify every acknowledged write and the restart time.
# Full size by default; extra arguments go to `mfreliability crash` (see `mfreliability crash --help`).
# Prints mfreliability's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/crash-test.sh [ARGS...]        MFRELIABILITY_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFRELIABILITY" crash "$@"
