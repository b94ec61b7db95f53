#!/usr/bin/env bash
# Load benchmark of a release build on loopback: GET /jobs/{id} and POST /jobs, on SQLite and
# PostgreSQL. Prints req/s, p50/p99 latency and the server's idle and peak RSS.
# Usage: ./scripts/bench-api.sh [logins|generation|sqlite|postgres|reads|instructions|all] (default
# all); KYROS_BIN runs a given binary instead of building the release one. Needs wrk (installed via
# apt). `reads` is the SQLite GET /jobs/{id} run alone, for comparing two builds run after run.
# `instructions` counts the CPU instructions one GET /jobs/{id} costs the SQLite server, under
# valgrind's callgrind: a count, not a time, so two builds compare on a noisy machine (not in `all`).
# The server logs at `warn` (RUST_LOG) unless BENCH_RUST_LOG says otherwise; BENCH_RUST_LOG=
# (empty) runs it with nothing configured, as `kyros serve` starts by default.
# PostgreSQL is measured over loopback TCP (the driver negotiates TLS when the server offers it)
# and, when the server has one, over its Unix socket (BENCH_POSTGRES_SOCKET_DIR).
# Rate limits and quotas are switched off: one user sends thousands of requests a second here.
# `./scripts/bench-api.sh logins` measures memory around a burst of 200 concurrent sign-ins
# (each Argon2 hash holds 19 MiB): the peak RSS during the burst and the RSS once it settles.
# `./scripts/bench-api.sh generation` measures the time from POST /jobs to `needs_review` for a
# 1,000-word article on an idle machine, one job at a time: on SQLite with the embedded worker,
# and on PostgreSQL + Redis with a separate `kyros worker` process.
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
if [ -n "${KYROS_BIN:-}" ]; then
  KYROS="$KYROS_BIN"
else
  log "building the release binary"
  cargo build --release --quiet --manifest-path backend/Cargo.toml -p kyros
  KYROS="$REPO_ROOT/backend/target/release/kyros"
fi

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
rss_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# Sets RUST_LOG for the server from BENCH_RUST_LOG (default warn), or unsets it when that is empty.
server_log_filter() {
  if [ -n "${BENCH_RUST_LOG-warn}" ]; then
    export RUST_LOG="${BENCH_RUST_LOG-warn}"
  else
    unset RUST_LOG
  fi
}

# Reads one generated job, then writes (unless $3 is `reads`), on the database at $2.
bench_database() {
  local label="$1" url="$2" only="${3:-}" workdir
  workdir="$(mktemp -d)"
  log "[$label] starting the API"
  (cd "$workdir" && server_log_filter && DATABASE_URL="$url" PORT="$PORT" KYROS_EMBEDDED_WORKER=true \
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
  if [ "$only" = reads ]; then
    kill $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    rm -rf "$workdir"
    return
  fi

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

  # Clients that give up mid-request must leave nothing behind: read throughput after a burst of
  # abandoned writes is compared with the first read run.
  log "[$label] ${BENCH_ABANDONED:-300} POST /jobs abandoned after 1-50 ms, then GET /jobs/{id} again"
  python3 - "$BASE" "$token" "$workdir/body.json" "${BENCH_ABANDONED:-300}" <<'PY'
import concurrent.futures, random, sys, urllib.request
base, token, body_file, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
body = open(body_file, "rb").read()
def abandon(_):
    request = urllib.request.Request(f"{base}/jobs", body, {"content-type": "application/json", "authorization": f"Bearer {token}"})
    try:
        urllib.request.urlopen(request, timeout=random.uniform(0.001, 0.05)).read()
    except Exception:
        pass
with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
    list(pool.map(abandon, range(count)))
PY
  # The second read run starts once the worker has generated every job the writes queued, so
  # both read runs share the machine with nothing else.
  local waited=0
  while [ "$waited" -lt "${BENCH_DRAIN_SECONDS:-900}" ]; do
    local pending=0 status
    for status in queued running; do
      pending=$((pending + $(curl -sf "$BASE/jobs?status=$status&limit=1" -H "authorization: Bearer $token" |
        json_field '["items"].__len__()')))
    done
    [ "$pending" -eq 0 ] && break
    sleep 5; waited=$((waited + 5))
  done
  log "[$label] the queue drained after ${waited}s"
  if [[ "$url" == postgres* ]]; then
    printf '%s connections idle in a transaction: %s\n' "$label" "$(psql "${url%%\?*}" -tAc \
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")" |
      tee "$OUT/$label-idle-in-transaction.txt"
  fi
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "authorization: Bearer $token" "$BASE/jobs/$job_id" | tee "$OUT/$label-get-after-abandoned.txt"
  local peak_rss; peak_rss="$(rss_kib "$pid" VmHWM)"
  printf '%s idle_rss_mib=%s peak_rss_mib=%s\n' "$label" "$((idle_rss / 1024))" "$((peak_rss / 1024))" | tee "$OUT/$label-rss.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$workdir"
}

# Memory around a burst of concurrent sign-ins on the embedded default.
bench_login_burst() {
  local workdir logins="${BENCH_LOGINS:-200}"
  workdir="$(mktemp -d)"
  log "[logins] starting the API"
  (cd "$workdir" && DATABASE_URL="sqlite://./bench.db?mode=rwc" PORT="$PORT" RUST_LOG=warn \
    RATE_LIMIT_REQUESTS_PER_MINUTE=0 AUTH_RATE_LIMIT_PER_MINUTE=0 exec "$KYROS" serve) &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.2; done
  sleep 1
  local idle_before; idle_before="$(rss_kib "$pid" VmRSS)"
  curl -sf "$BASE/auth/register" -H 'content-type: application/json' \
    -d '{"email":"burst@example.com","password":"bench-password"}' >/dev/null  # pragma: allowlist secret
  log "[logins] $logins concurrent sign-ins"
  python3 - "$BASE" "$logins" <<'PY'
import concurrent.futures, json, sys, time, urllib.request
base, count = sys.argv[1], int(sys.argv[2])
body = json.dumps({"email": "burst@example.com", "password": "bench-password"}).encode()  # pragma: allowlist secret
def login(_):
    request = urllib.request.Request(f"{base}/auth/login", body, {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status
started = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
    statuses = list(pool.map(login, range(count)))
print(f"{statuses.count(200)}/{count} sign-ins answered 200 in {time.monotonic() - started:.1f}s")
PY
  local peak; peak="$(rss_kib "$pid" VmHWM)"
  sleep "${BENCH_SETTLE_SECONDS:-10}"
  local settled; settled="$(rss_kib "$pid" VmRSS)"
  printf 'logins idle_before_mib=%s peak_rss_mib=%s settled_rss_mib=%s\n' \
    "$((idle_before / 1024))" "$((peak / 1024))" "$((settled / 1024))" | tee "$OUT/logins-rss.txt"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$workdir"
}

# Time from POST /jobs to needs_review, one job at a time on an idle server.
bench_generation() {
  local label="$1" url="$2" redis="$3" workdir
  workdir="$(mktemp -d)"
  local env=(DATABASE_URL="$url" PORT="$PORT" RUST_LOG=warn RATE_LIMIT_REQUESTS_PER_MINUTE=0
    QUOTA_JOBS_PER_DAY_USER=0 QUOTA_CHARS_PER_MONTH_USER=0 KYROS_QUEUE_NAME="bench-gen-$label-$$")
  [ -n "$redis" ] && env+=(REDIS_URL="$redis" KYROS_EMBEDDED_WORKER=false)
  log "[$label] starting the API${redis:+ and a separate worker}"
  (cd "$workdir" && env "${env[@]}" "$KYROS" migrate up >/dev/null)
  (cd "$workdir" && exec env "${env[@]}" "$KYROS" serve) &
  local pid=$! worker_pid=""
  if [ -n "$redis" ]; then
    (cd "$workdir" && exec env "${env[@]}" "$KYROS" worker) &
    worker_pid=$!
  fi
  trap 'kill $pid $worker_pid 2>/dev/null || true' RETURN
  until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.2; done
  sleep 2
  python3 - "$BASE" "$label" "${BENCH_JOBS:-50}" backend/crates/kyros/tests/fixtures/marketing/23-18f-notalone-gov.md <<'PY' | tee "$OUT/$label-generation.txt"
import json, sys, time, urllib.request
base, label, count, article = sys.argv[1], sys.argv[2], int(sys.argv[3]), open(sys.argv[4]).read()
def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(base + path, data, headers, method=method)) as response:
        return json.load(response)
email = f"gen-{label}-{time.time_ns()}@example.com"
call("POST", "/auth/register", {"email": email, "password": "bench-password"})  # pragma: allowlist secret
token = call("POST", "/auth/login", {"email": email, "password": "bench-password"})["access_token"]  # pragma: allowlist secret
body = {"name": "bench", "source": {"type": "text", "content": article}, "channels": ["linkedin", "x", "newsletter", "blog"]}
samples = []
for _ in range(count):
    started = time.monotonic()
    job = call("POST", "/jobs", body, token)
    while call("GET", f"/jobs/{job['id']}", token=token)["status"] != "needs_review":
        time.sleep(0.002)
    samples.append((time.monotonic() - started) * 1000)
    time.sleep(0.3)  # idle between jobs, as a person between two clicks
samples.sort()
pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
print(f"{label} generation jobs={count} p50_ms={pick(0.5):.0f} p99_ms={pick(0.99):.0f} max_ms={samples[-1]:.0f}")
PY
  kill $pid $worker_pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  rm -rf "$workdir"
}

# Instructions one GET /jobs/{id} costs the server on SQLite, counted by callgrind: the requests
# are sent one after another on one connection once the server is warm, counters are zeroed
# before and dumped after them, and the same count over an idle interval as long (the
# scheduler's ticks, the worker's polls) is subtracted.
bench_instructions() {
  local workdir requests="${BENCH_REQUESTS:-1000}"
  command -v valgrind >/dev/null 2>&1 || apt_install valgrind
  workdir="$(mktemp -d)"
  log "[instructions] starting the API under callgrind"
  (cd "$workdir" && server_log_filter && DATABASE_URL="sqlite://./bench.db?mode=rwc" PORT="$PORT" \
    RATE_LIMIT_REQUESTS_PER_MINUTE=0 AUTH_RATE_LIMIT_PER_MINUTE=0 QUOTA_JOBS_PER_DAY_USER=0 \
    QUOTA_CHARS_PER_MONTH_USER=0 exec valgrind --tool=callgrind --callgrind-out-file="$workdir/callgrind.%p" \
    "$KYROS" serve >/dev/null 2>"$workdir/valgrind.log") &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  until curl -sf "$BASE/healthz" >/dev/null; do sleep 1; done
  python3 - "$BASE" "$pid" "$requests" "$workdir" backend/crates/kyros/examples/four-day-week.md <<'PY' | tee "$OUT/instructions.txt"
import glob, http.client, json, os, re, subprocess, sys, time, urllib.parse
base, pid, count, workdir, article = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], open(sys.argv[5]).read()
address = urllib.parse.urlparse(base)
connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    data = response.read()
    assert response.status < 300, (path, response.status, data[:200])
    return json.loads(data)
def counted(action):
    """Instructions the whole server ran during `action`, and how long it took."""
    subprocess.run(["callgrind_control", "--zero", pid], check=True, capture_output=True)
    started = time.monotonic()
    action()
    elapsed = time.monotonic() - started
    for old in glob.glob(f"{workdir}/callgrind.{pid}.*"):
        os.remove(old)
    subprocess.run(["callgrind_control", "--dump", pid], check=True, capture_output=True)
    dumps = glob.glob(f"{workdir}/callgrind.{pid}.*")
    totals = [int(re.search(r"^(?:totals|summary): (\d+)", open(dump).read(), re.M).group(1)) for dump in dumps]
    return sum(totals), elapsed
email = f"instructions-{time.time_ns()}@example.com"
call("POST", "/auth/register", {"email": email, "password": "bench-password"})  # pragma: allowlist secret
token = call("POST", "/auth/login", {"email": email, "password": "bench-password"})["access_token"]  # pragma: allowlist secret
body = {"name": "bench", "source": {"type": "text", "content": article}, "channels": ["linkedin", "x", "newsletter", "blog"]}
job = call("POST", "/jobs", body, token)
while call("GET", f"/jobs/{job['id']}", token=token)["status"] != "needs_review":
    time.sleep(0.5)
for _ in range(100):  # warm: pooled connections, prepared statements, caches
    call("GET", f"/jobs/{job['id']}", token=token)
def reads():
    for _ in range(count):
        call("GET", f"/jobs/{job['id']}", token=token)
busy, elapsed = counted(reads)
idle, _ = counted(lambda: time.sleep(elapsed))
print(f"instructions requests={count} seconds={elapsed:.0f} busy={busy} idle={idle} "
      f"per_request={(busy - idle) / count:.0f}")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$workdir"
}

target="${1:-all}"
if [ "$target" = generation ] || [ "$target" = all ]; then
  bench_generation sqlite "sqlite://./bench.db?mode=rwc" ""
  db="kyros_bench_gen_$$"
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
  bench_generation postgres-redis "postgres://postgres@127.0.0.1:5432/$db" "redis://127.0.0.1:6379"
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $db WITH (FORCE)" postgres
fi
if [ "$target" = logins ] || [ "$target" = all ]; then
  bench_login_burst
fi
if [ "$target" = sqlite ] || [ "$target" = all ]; then
  bench_database sqlite "sqlite://./bench.db?mode=rwc"
fi
if [ "$target" = reads ]; then
  bench_database sqlite-reads "sqlite://./bench.db?mode=rwc" reads
fi
if [ "$target" = instructions ]; then
  bench_instructions
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
