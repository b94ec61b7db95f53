#!/usr/bin/env bash
# Starts everything with the embedded defaults: the API on :8000 (SQLite, in-process worker).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
exec ./scripts/start-backend.sh
