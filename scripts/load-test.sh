#!/usr/bin/env bash
# 64 clients, mixed reads/writes, across 3 retrains; errors, whole-model consistency, p99 during retrain.
# Full size by default; extra arguments go to `mfreliability load` (see `mfreliability load --help`).
# Prints mfreliability's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/load-test.sh [ARGS...]        MFRELIABILITY_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFRELIABILITY" load "$@"
