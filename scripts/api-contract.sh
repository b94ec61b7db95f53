#!/usr/bin/env bash
# Contract test: Schemathesis over the whole OpenAPI document of a real `kyros serve`.
# Every operation is called with generated (valid and invalid) input, once signed in as a user
# and once as an administrator, through the examples, coverage, fuzzing and stateful phases
# (the stateful phase chains operations through the document's links, e.g. POST /jobs then
# GET /jobs/{id}). A response fails when it is a 5xx, has a status, content type or body the
# document does not declare for that operation.
#
# Usage: ./scripts/api-contract.sh
#   KYROS_BIN             the binary to test (default backend/target/debug/kyros; build it first)
#   CONTRACT_MAX_EXAMPLES test cases per operation and phase (default 12)
#   CONTRACT_MAX_TIME     time budget in seconds of each of the two runs (default 100)
#   CONTRACT_SEED         replay a run (Schemathesis prints the seed it used)
# Reports: test-results/contract-{user,admin}-junit.xml; exits non-zero on any failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

SCHEMATHESIS_VERSION=4.32.5
KYROS_BIN="${KYROS_BIN:-$REPO_ROOT/backend/target/debug/kyros}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-12}"
MAX_TIME="${CONTRACT_MAX_TIME:-100}"
RESULTS="$REPO_ROOT/test-results"

[ -x "$KYROS_BIN" ] || { warn "no kyros binary at $KYROS_BIN: build it (cargo build -p kyros) or set KYROS_BIN"; exit 2; }
log "installing schemathesis $SCHEMATHESIS_VERSION"
ensure_python_tools "$REPO_ROOT/.cache/contract-tools" "schemathesis==$SCHEMATHESIS_VERSION"
mkdir -p "$RESULTS"

# The server runs from a copy of the binary (a rebuild cannot swap it mid-run) in a fresh
# directory holding its SQLite file and outbox; both go when the script exits.
workdir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$KYROS_BIN" "$workdir/kyros"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$port"

# Limits and quotas off: thousands of generated requests come from two accounts. URL fetches
# and webhooks stay refused for private networks. Job event streams are capped at 5 s so that
# GET /jobs/{id}/events (SSE, which stays open for a draft) answers within the request timeout
# and can be tested like every other operation.
export DATABASE_URL="sqlite://./kyros.db?mode=rwc" HOST=127.0.0.1 PORT="$port" RUST_LOG=warn LOG_FORMAT=json \
  RATE_LIMIT_REQUESTS_PER_MINUTE=0 AUTH_RATE_LIMIT_PER_MINUTE=0 QUOTA_JOBS_PER_DAY_USER=0 QUOTA_CHARS_PER_MONTH_USER=0 \
  URL_FETCH_ALLOWLIST='' WEBHOOK_ALLOWLIST='' URL_FETCH_TIMEOUT_SECONDS=3 WEBHOOK_TIMEOUT_SECONDS=3 \
  JOB_EVENTS_MAX_SECONDS=5 CONNECTOR_OUTBOX_DIR=./outbox NETWORK_TIMEOUT_SECONDS=3
unset OPENAI_API_KEY REDIS_URL JWT_SECRET KYROS_ENV

log "starting the API on $BASE"
(cd "$workdir" && exec ./kyros serve >"$workdir/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 150); do
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$BASE/healthz" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { warn "kyros serve exited"; tail -n 20 "$workdir/server.log" >&2; exit 1; }
  sleep 0.2
done

# sign_in EMAIL PASSWORD [register]: prints an access token (never echoed to the terminal).
sign_in() {
  python3 - "$BASE" "$1" "$2" "${3:-}" <<'PY'
import json, sys, urllib.request
base, email, password, register = sys.argv[1:5]
def post(path):
    request = urllib.request.Request(base + path, json.dumps({"email": email, "password": password}).encode(),
                                     {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
if register:
    post("/auth/register")
print(post("/auth/login")["access_token"])
PY
}

random_secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(18))'; }

suffix="$$-$RANDOM"
user_password="$(random_secret)"
admin_password="$(random_secret)"
log "registering a user and signing in"
user_token="$(sign_in "contract-user-$suffix@example.com" "$user_password" register)"
log "creating an administrator with kyros admin create-user"
printf '%s\n' "$admin_password" |
  (cd "$workdir" && ./kyros admin create-user --email "contract-admin-$suffix@example.com" --password - --role admin) >/dev/null
admin_token="$(sign_in "contract-admin-$suffix@example.com" "$admin_password")"

# run_contract LABEL TOKEN: one Schemathesis run; its JUnit report goes to test-results/.
# Nothing is excluded: /auth/logout only revokes the refresh token it is given (never the
# bearer token used here), and the job event stream is bounded by JOB_EVENTS_MAX_SECONDS.
run_contract() {
  local label="$1" token="$2" output="$workdir/contract-$1.log"
  if contract_once "$label" "$token" 2>&1 | tee "$output"; then
    return 0
  fi
  # A crash inside Schemathesis's own test generation ("Runtime Error") with no check the API
  # failed is the tool's, not the API's: that run is repeated once.
  if grep -q "Runtime Error" "$output" && ! grep -q "Failures:" "$output"; then
    warn "schemathesis itself crashed during the $label run, with no failed check: running it again"
    contract_once "$label" "$token"
    return
  fi
  return 1
}

contract_once() {
  local label="$1" token="$2"
  local seed_args=()
  [ -n "${CONTRACT_SEED:-}" ] && seed_args=(--seed "$CONTRACT_SEED")
  log "schemathesis as the $label (max $MAX_EXAMPLES examples per operation, $MAX_TIME s)"
  (cd "$workdir" && schemathesis --config-file "$REPO_ROOT/tests/contract/schemathesis.toml" run "$BASE/openapi.json" \
    --url "$BASE" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$MAX_TIME" \
    --request-timeout 10 \
    --workers 2 \
    --generation-database none \
    --suppress-health-check all \
    --no-color \
    --report junit --report-junit-path "$RESULTS/contract-$label-junit.xml" \
    "${seed_args[@]}")
}

status=0
run_contract user "$user_token" || status=1
kill -0 "$server_pid" 2>/dev/null || { warn "the API died during the user run"; tail -n 20 "$workdir/server.log" >&2; exit 1; }
run_contract admin "$admin_token" || status=1
kill -0 "$server_pid" 2>/dev/null || { warn "the API died during the admin run"; tail -n 20 "$workdir/server.log" >&2; status=1; }

if [ "$status" -ne 0 ]; then
  warn "the API does not match its OpenAPI document: see the failures above and test-results/contract-*-junit.xml"
  exit 1
fi
log "the API matches its OpenAPI document"
