#!/usr/bin/env bash
# Creates the demo user demo@kyros.local (password kyros-demo-password) with example jobs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_rust
cargo run --release --quiet --manifest-path backend/Cargo.toml -p kyros -- seed
