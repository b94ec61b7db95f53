#!/usr/bin/env bash
# Scores the engine on the ACLSum dataset (human-written summaries of ACL papers, MIT licence,
# shipped inside the `aclsum` package on PyPI) against the LEAD-3 baseline.
# Usage: ./scripts/eval-engine.sh [test|val|train] (default test). Writes test-results/engine-eval-SPLIT.json.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_rust
split="${1:-test}"
cache="${KYROS_CACHE_DIR:-$REPO_ROOT/.cache}/aclsum-0.1.2"
if [ ! -f "$cache/aclsum/dataset/$split.jsonl" ]; then
  log "downloading the aclsum 0.1.2 package from PyPI"
  mkdir -p "$cache"
  python3 -m pip download --quiet --no-deps --dest "$cache" aclsum==0.1.2
  python3 -m zipfile -e "$cache/aclsum-0.1.2-py3-none-any.whl" "$cache"
fi
mkdir -p test-results
cargo run --release --quiet --manifest-path backend/Cargo.toml -p kyros -- eval "$cache/aclsum/dataset/$split.jsonl" \
  | tee "test-results/engine-eval-$split.json"
