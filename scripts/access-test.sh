#!/usr/bin/env bash
# as root, clients as other uids/gids (setpriv) against the access policy.
# Full size by default; extra arguments go to `mfbench access` (see `mfbench access --help`).
# Prints mfbench's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/access-test.sh [ARGS...]        MFBENCH_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFBENCH" access "$@"
