#!/usr/bin/env bash
# Prepares a development machine: checks Rust, Node.js, Python, Chromium and the local
# PostgreSQL and Redis, installs what is missing (when it can), installs the console's npm
# packages and the git hooks, then prints the next steps.
# Usage: ./scripts/bootstrap.sh [--check]   (--check reports only and installs nothing)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT" || exit 1

check_only=false
[ "${1:-}" = "--check" ] && check_only=true
missing=0

ok() { printf '  \033[1;32mok\033[0m   %s\n' "$*"; }
miss() { printf '  \033[1;31mmiss\033[0m %s\n' "$*"; missing=1; }

# version_at_least HAVE WANT: true when HAVE >= WANT (dotted numbers).
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

# reachable HOST PORT: a TCP connection succeeds within two seconds.
reachable() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

log "Rust"
rust_wanted="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' backend/Cargo.toml)"
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then export PATH="$HOME/.cargo/bin:$PATH"; fi
if command -v rustc >/dev/null 2>&1; then
  rust_have="$(rustc --version | cut -d' ' -f2)"
  if version_at_least "$rust_have" "$rust_wanted"; then ok "rustc $rust_have"
  elif ! $check_only && command -v rustup >/dev/null 2>&1; then rustup update stable && ok "rustc updated"
  else miss "rustc $rust_have is older than $rust_wanted: rustup update stable"; fi
else
  miss "Rust $rust_wanted+: install it from https://rustup.rs"
fi

log "Node.js"
if command -v node >/dev/null 2>&1 && version_at_least "$(node --version | tr -d v)" 20; then
  ok "node $(node --version)"
  if [ -d frontend/node_modules ]; then ok "frontend/node_modules"
  elif $check_only; then miss "frontend/node_modules: cd frontend && npm ci"
  else (cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) && ok "npm packages installed"; fi
else
  miss "Node.js 20+ with npm (https://nodejs.org or your package manager)"
fi

log "Python 3 (test tooling)"
if command -v python3 >/dev/null 2>&1; then ok "$(python3 --version)"
elif ! $check_only && apt_install python3 python3-venv; then ok "python3 installed"
else miss "python3 with venv"; fi

log "Chromium (end-to-end tests)"
if [ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ]; then ok "${CHROMIUM_PATH:-/usr/bin/chromium}"
elif ! $check_only && apt_install chromium; then ok "chromium installed"
else miss "chromium (apt-get install chromium, or set CHROMIUM_PATH)"; fi
if command -v sqlite3 >/dev/null 2>&1; then ok "sqlite3"
elif ! $check_only && apt_install sqlite3; then ok "sqlite3 installed"
else miss "sqlite3 (apt-get install sqlite3): the queue story edits its e2e database"; fi

log "PostgreSQL and Redis (optional: their tests print SKIPPED without them)"
if reachable 127.0.0.1 5432; then ok "PostgreSQL on 127.0.0.1:5432"
else printf '  --   PostgreSQL not reachable on 127.0.0.1:5432 (e.g. docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16)\n'; fi
if reachable 127.0.0.1 6379; then ok "Redis on 127.0.0.1:6379"
else printf '  --   Redis not reachable on 127.0.0.1:6379 (e.g. docker run -d -p 6379:6379 redis:7)\n'; fi

log "Git hooks (pre-commit and commitlint)"
if $check_only; then
  if [ -f "$(git rev-parse --git-path hooks/pre-commit)" ]; then ok "hooks installed"
  else miss "git hooks: ./scripts/bootstrap.sh installs them"; fi
elif command -v npm >/dev/null 2>&1 &&
  ensure_python_tools "$REPO_ROOT/.cache/delivery-tools" pre-commit==4.7.0 &&
  (cd tools/commitlint && npm ci --no-audit --no-fund --loglevel=error) &&
  pre-commit install; then
  ok "pre-commit and commit-msg hooks installed"
else
  miss "git hooks"
fi

echo
if [ "$missing" -ne 0 ]; then
  warn "some prerequisites are missing (see above)"
  exit 1
fi
cat <<'NEXT'
Next steps:
  ./scripts/start.sh        API on http://localhost:8000 (docs at /docs), console on http://localhost:3001
  ./scripts/seed-dev.sh     demo account demo@kyros.local / kyros-demo-password with example jobs
  ./scripts/run-tests.sh    every suite; results in test-results/
  cp .env.example .env      to change any setting (every variable is documented there)
NEXT
