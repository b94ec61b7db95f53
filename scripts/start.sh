#!/usr/bin/env bash
# Starts everything with the embedded defaults: the API on :8000 (SQLite under ./data, an
# in-process worker) and the console on :3001. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_rust
command -v npm >/dev/null 2>&1 || { warn "Node.js 20+ and npm are required for the console"; exit 1; }
log "building the API (release; the first build takes a few minutes)"
cargo build --release --quiet --manifest-path backend/Cargo.toml -p kyros
backend/target/release/kyros serve &
api=$!
trap 'kill "$api" 2>/dev/null || true' EXIT INT TERM
log "API on http://${HOST:-127.0.0.1}:${PORT:-8000} (docs at /docs); console on http://localhost:3001"
./scripts/start-frontend.sh
