# Shared helpers for the scripts in this folder. Source it; do not run it.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m!!\033[0m %s\n' "$*" >&2; }

# Runs apt-get only when we are allowed to (root or passwordless sudo).
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      warn "cannot install $* without root; install it yourself"; return 1
    fi
  fi
  if [ -z "${KYROS_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >/dev/null
    export KYROS_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# promtool, which checks the alert rules, taken out of Debian's prometheus package without
# installing it (no service, no dependencies), cached in .cache/promtool.
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  local dir="$REPO_ROOT/.cache/promtool"
  if [ ! -x "$dir/usr/bin/promtool" ]; then
    mkdir -p "$dir" || return 1
    if [ -z "${KYROS_APT_UPDATED:-}" ] && [ "$(id -u)" -eq 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      export KYROS_APT_UPDATED=1
    fi
    (cd "$dir" && apt-get download -qq prometheus >/dev/null 2>&1 && dpkg-deb -x prometheus_*.deb . &&
      rm -f prometheus_*.deb) || { warn "could not fetch promtool"; return 1; }
  fi
  export PATH="$dir/usr/bin:$PATH"
}

# Makes sure cargo is on PATH (rustup installs into ~/.cargo/bin).
ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null 2>&1 || { warn "Rust is required: install it from rustup (https://rustup.rs) and re-run"; exit 1; }
}

# Installs a cargo subcommand from crates.io when it is missing.
ensure_cargo_tool() {
  local binary="$1" crate="$2"
  if ! command -v "$binary" >/dev/null 2>&1; then
    log "installing $crate"
    cargo install --locked --quiet "$crate"
  fi
}

# Installs pinned Python tools (`name==version` …) into a virtualenv, created on first use,
# and puts its bin/ first on PATH.
ensure_python_tools() {
  local venv="$1"; shift
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv" || return 1
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" || return 1
  export PATH="$venv/bin:$PATH"
}

# Installs the local Bluesky network the publishing tests start (tests/bluesky-pds:
# @atproto/dev-env: a PLC directory, a PDS and the AppView). npm 11 runs no install scripts, so
# better-sqlite3's native module is built afterwards from source against the local Node
# headers. Skipped while the lockfile and the Node version are those of the last install.
ensure_bluesky_pds() {
  local dir="$REPO_ROOT/tests/bluesky-pds" stamp
  command -v npm >/dev/null 2>&1 || { warn "Node.js and npm are required for the Bluesky PDS"; return 1; }
  stamp="$(node --version) $(sha256sum "$dir/package-lock.json" | cut -d ' ' -f 1)"
  if [ "$(cat "$dir/node_modules/.kyros-installed" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  log "installing the local Bluesky network (tests/bluesky-pds)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && npm rebuild better-sqlite3 --loglevel=error) || return 1
  printf '%s\n' "$stamp" >"$dir/node_modules/.kyros-installed"
}
