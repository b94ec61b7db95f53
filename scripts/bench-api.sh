#!/usr/bin/env bash
# Load benchmark of a release build on loopback: GET /jobs/{id} and POST /jobs, on SQLite and
# PostgreSQL. Prints req/s, p50/p99 latency and the server's idle and peak RSS.
# Usage: ./scripts/bench-api.sh [sqlite|postgres|all] (default all). Needs wrk (installed via apt).
# PostgreSQL is measured over loopback TCP (the driver negotiates TLS when the server offers it)
# and, when the server has one, over its Unix socket (BENCH_POSTGRES_SOCKET_DIR).
# Rate limits and quotas are switched off: one user sends thousands of requests a second here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
ensure_rust
command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v curl >/dev/null 2>&1 || apt_install curl

DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
PORT="${BENCH_PORT:-18080}"
BASE="http://127.0.0.1:$PORT"
OUT="$REPO_ROOT/test-results/bench"
mkdir -p "$OUT"
log "building the release binary"
cargo build --release --quiet --manifest-path backend/Cargo.toml -p kyros
KYROS="$REPO_ROOT/backend/target/release/kyros"

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
rss_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

bench_database() {
  local label="$1" url="$2" workdir
  workdir="$(mktemp -d)"
  log "[$label] starting the API"
  (cd "$workdir" && DATABASE_URL="$url" PORT="$PORT" RUST_LOG=warn KYROS_EMBEDDED_WORKER=true \
    RATE_LIMIT_REQUESTS_PER_MINUTE=0 AUTH_RATE_LIMIT_PER_MINUTE=0 QUOTA_JOBS_PER_DAY_USER=0 QUOTA_CHARS_PER_MONTH_USER=0 \
    KYROS_QUEUE_NAME="bench-$label-$$" exec "$KYROS" serve) &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.2; done
  sleep 1
  local idle_rss; idle_rss="$(rss_kib "$pid" VmRSS)"

  local email="bench-$label-$$@example.com" body
  curl -sf "$BASE/auth/register" -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"bench-password\"}" >/dev/null
  local token; token="$(curl -sf "$BASE/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"bench-password\"}" | json_field '["access_token"]')"
  body="$(python3 -c 'import json,sys; print(json.dumps({"name":"bench","source":{"type":"text","content":open(sys.argv[1]).read()},"channels":["linkedin","x","newsletter","blog"]}))' backend/crates/kyros/examples/four-day-week.md)"
  local job_id; job_id="$(curl -sf "$BASE/jobs" -H "authorization: Bearer $token" -H 'content-type: application/json' -d "$body" | json_field '["id"]')"
  until [ "$(curl -sf "$BASE/jobs/$job_id" -H "authorization: Bearer $token" | json_field '["status"]')" = needs_review ]; do sleep 0.2; done

  log "[$label] GET /jobs/{id} for $DURATION with $CONNECTIONS connections"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "authorization: Bearer $token" "$BASE/jobs/$job_id" | tee "$OUT/$label-get.txt"

  log "[$label] POST /jobs for $DURATION with $CONNECTIONS connections"
  printf '%s' "$body" >"$workdir/body.json"
  cat >"$workdir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $token"
local file = io.open("$workdir/body.json", "r")
wrk.body = file:read("*a")
file:close()
LUA
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$workdir/post.lua" "$BASE/jobs" | tee "$OUT/$label-post.txt"
  local peak_rss; peak_rss="$(rss_kib "$pid" VmHWM)"
  printf '%s idle_rss_mib=%s peak_rss_mib=%s\n' "$label" "$((idle_rss / 1024))" "$((peak_rss / 1024))" | tee "$OUT/$label-rss.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$workdir"
}

target="${1:-all}"
if [ "$target" = sqlite ] || [ "$target" = all ]; then
  bench_database sqlite "sqlite://./bench.db?mode=rwc"
fi
if [ "$target" = postgres ] || [ "$target" = all ]; then
  db="kyros_bench_$$"
  socket_dir="${BENCH_POSTGRES_SOCKET_DIR:-/var/run/postgresql}"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
  bench_database postgres "postgres://postgres@127.0.0.1:5432/$db"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $db WITH (FORCE)" postgres
  if [ -S "$socket_dir/.s.PGSQL.5432" ]; then
    psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
    bench_database postgres-socket "postgres://postgres@localhost/$db?host=$socket_dir"
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $db WITH (FORCE)" postgres
  else
    log "no PostgreSQL socket in $socket_dir: skipping the socket run"
  fi
fi
log "results in test-results/bench/"
