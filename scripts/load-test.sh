#!/usr/bin/env bash
# 64 clients, mixed reads/writes, across 3 retrains; errors, whole-model consistency, p99 during retrain.
# Full size by default; extra arguments go to `mfbench load` (see `mfbench load --help`).
# Prints mfbench's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/load-test.sh [ARGS...]        MFBENCH_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFBENCH" load "$@"
