#!/usr/bin/env bash
# 100k hostile request lines through the real daemon (incl. 10 MB lines); replies, crashes, peak RSS, stored data unchanged.
# Full size by default; extra arguments go to `mfreliability fuzz` (see `mfreliability fuzz --help`).
# Prints mfreliability's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/fuzz.sh [ARGS...]        MFRELIABILITY_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFRELIABILITY" fuzz "$@"
