#!/usr/bin/env bash
# as root, clients as other uids/gids (setpriv) against the access policy.
# Full size by default; extra arguments go to `mfreliability access` (see `mfreliability access --help`).
# Prints mfreliability's one-line JSON report; exits non-zero on any failure. Figures: docs/reliability.md.
#   scripts/access-test.sh [ARGS...]        MFRELIABILITY_DEBUG=1 uses the debug build
source "$(dirname "$0")/reliability-common.sh"
exec "$MFRELIABILITY" access "$@"
