#!/usr/bin/env bash
# Builds and starts the Kyros API on http://localhost:8000 (SQLite under ./data, embedded worker).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_rust
log "building the API (release)"
cargo build --release --quiet --manifest-path backend/Cargo.toml -p kyros
log "starting the API on http://${HOST:-127.0.0.1}:${PORT:-8000} (docs at /docs)"
exec backend/target/release/kyros serve
