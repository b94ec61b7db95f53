#!/usr/bin/env python3
"""Hostile-input suite: starts a real `kyros serve` on SQLite and throws hostile input at it.

While the cases run, one thread polls GET /healthz every ~50 ms and another samples the
server's RSS. Each case passes only if its own expectations hold and, while it ran, the
process stayed alive, no answer was a 5xx, every 4xx was a problem document, /healthz
answered within 100 ms and RSS stayed under 500 MiB. If the server dies it is restarted on
the same database so the remaining cases still say something.

Usage: run.py [--bin PATH] [--only SUBSTRING ...] [--junit PATH]
The binary defaults to $KYROS_BIN, then backend/target/debug/kyros. Exit status 1 on any
failed case; the last line is `N passed, N failed`.
"""

import argparse
import os
import signal
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree

import cases  # noqa: E402
from harness import (  # noqa: E402
    HEALTHZ_LIMIT_MS,
    RSS_LIMIT_MIB,
    CaseResult,
    Client,
    Monitor,
    Server,
    response_rule_violations,
)

REPO_ROOT = HERE.parent.parent
CASE_BUDGET_S = 45.0  # a case taking longer than this is a failure (it would be a hang)


class Case:
    """What a case function sees: the client, the shared world, and check/note."""

    def __init__(self, result: CaseResult, client: Client, world, server: Server):
        self.result = result
        self.client = client
        self.world = world
        self.server = server

    def check(self, condition, message: str) -> bool:
        if not condition:
            self.result.failures.append(message)
        return bool(condition)

    def note(self, message: str) -> None:
        self.result.notes.append(message)


class Runner:
    def __init__(self, binary: str):
        self.server = Server(binary)
        self.monitor = Monitor(self.server)
        self.current: CaseResult | None = None
        self.client = Client(self.server, self.record)
        self.world = cases.World(self.client, REPO_ROOT)
        self.results: list[CaseResult] = []

    def record(self, response) -> None:
        """Every answer is held to the global rules and charged to the running case."""
        current = self.current
        if current is None:
            return
        current.responses += 1
        for problem in response_rule_violations(response):
            if len(current.failures) < 40:  # keep reports readable
                current.failures.append(problem)

    def run_case(self, family: str, name: str, function, prepare) -> CaseResult:
        result = CaseResult(name=name, family=family)
        if prepare is not None:
            self.monitor.case = f"(prepare {name})"
            prepare()
        if not self.server.alive():
            try:
                self.restart(result)
            except RuntimeError as exc:
                result.failures.append(f"the server could not be restarted: {exc}")
                self.results.append(result)
                self.print_result(result)
                return result
        self.current = result
        rss_before = self.monitor.latest_rss()
        self.monitor.case = name
        started = time.monotonic()
        try:
            function(Case(result, self.client, self.world, self.server))
        except Exception as exc:  # a broken expectation in the case itself is a failure, not a crash
            result.failures.append(f"{type(exc).__name__}: {exc}")
            if os.environ.get("HOSTILE_TRACEBACK"):
                traceback.print_exc()
        time.sleep(0.15)  # let the samplers see the aftermath of the last request
        result.seconds = time.monotonic() - started
        self.monitor.case = "(between cases)"
        self.current = None
        if result.seconds > CASE_BUDGET_S:
            result.failures.append(f"took {result.seconds:.0f} s (budget {CASE_BUDGET_S:.0f} s)")
        self.apply_monitors(result, rss_before)
        if not self.server.alive():
            how = self.server.exit_description()
            result.failures.insert(0, f"SERVER DIED ({how}); last log entries:\n{self.server.log_tail()}")
            self.server.deaths.append(f"{name}: {how}")
        elif self.monitor.latest_rss() > RSS_LIMIT_MIB or any("timed out" in f for f in result.failures):
            # A server still chewing on a timed-out request, or holding GiBs its allocator will
            # not give back, would be charged to the next cases: start it afresh instead.
            result.notes.append("server restarted after this case (still busy or over the RSS limit)")
            self.server.kill()
            try:
                self.server.start()
            except RuntimeError as exc:
                result.failures.append(f"the server could not be restarted: {exc}")
        self.results.append(result)
        self.print_result(result)
        return result

    def apply_monitors(self, result: CaseResult, rss_before: float) -> None:
        health, rss = self.monitor.samples_for(result.name)
        if health:
            result.healthz_max_ms = max(ms for ms, _ in health)
            slow = [ms for ms, error in health if ms > HEALTHZ_LIMIT_MS and not error]
            errors = [error for _, error in health if error]
            if slow:
                result.failures.append(
                    f"/healthz over {HEALTHZ_LIMIT_MS:.0f} ms in {len(slow)}/{len(health)} polls "
                    f"(max {max(slow):.0f} ms)"
                )
            if errors:
                result.failures.append(
                    f"/healthz failed in {len(errors)}/{len(health)} polls ({', '.join(sorted(set(errors)))})"
                )
        if rss:
            result.rss_max_mib = max(rss)
            # Charged to the case during which RSS went over the limit, not to later ones.
            if result.rss_max_mib > RSS_LIMIT_MIB and result.rss_max_mib > rss_before + 16:
                result.failures.append(
                    f"RSS reached {result.rss_max_mib:.0f} MiB (limit {RSS_LIMIT_MIB:.0f} MiB; "
                    f"{rss_before:.0f} MiB before the case)"
                )

    def restart(self, result: CaseResult) -> None:
        result.notes.append("server restarted before this case (it died in an earlier one)")
        self.server.start()

    @staticmethod
    def print_result(result: CaseResult) -> None:
        verdict = "PASS" if result.passed else "FAIL"
        print(
            f"{verdict} {result.family}/{result.name} ({result.seconds:.1f} s, {result.responses} responses, "
            f"healthz max {result.healthz_max_ms:.0f} ms, RSS max {result.rss_max_mib:.0f} MiB)",
            flush=True,
        )
        for failure in result.failures:
            print("     - " + failure.replace("\n", "\n       "), flush=True)
        if os.environ.get("HOSTILE_VERBOSE"):
            for note in result.notes:
                print("     . " + note, flush=True)


def write_junit(results: list[CaseResult], path: str) -> None:
    suite = ET.Element(
        "testsuite", name="hostile", tests=str(len(results)),
        failures=str(sum(not r.passed for r in results)), time=f"{sum(r.seconds for r in results):.1f}",
    )
    for result in results:
        case = ET.SubElement(suite, "testcase", classname=f"hostile.{result.family}", name=result.name,
                             time=f"{result.seconds:.2f}")
        if not result.passed:
            failure = ET.SubElement(case, "failure", message=result.failures[0][:200])
            failure.text = "\n".join(result.failures)
        if result.notes:
            ET.SubElement(case, "system-out").text = "\n".join(result.notes)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    root = ET.Element("testsuites", name="hostile")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def interrupt(signum, frame):
    """SIGTERM (e.g. a CI timeout) takes the same clean-up path as Ctrl-C."""
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.environ.get("KYROS_BIN", str(REPO_ROOT / "backend/target/debug/kyros")))
    parser.add_argument("--only", nargs="*", default=[], help="run only cases whose name contains one of these")
    parser.add_argument("--junit", default=os.environ.get("HOSTILE_JUNIT"), help="write a JUnit XML report here")
    args = parser.parse_args()
    if not os.access(args.bin, os.X_OK):
        print(f"kyros binary not found or not executable: {args.bin} (set KYROS_BIN or --bin)", file=sys.stderr)
        return 2

    runner = Runner(args.bin)
    signal.signal(signal.SIGTERM, interrupt)
    started = time.monotonic()
    try:
        runner.server.start()
        runner.monitor.start()
        print(f"kyros serve on 127.0.0.1:{runner.server.port} (pid {runner.server.pid})", flush=True)
        for family, name, function, prepare in cases.catalogue():
            if args.only and not any(part in name or part == family for part in args.only):
                continue
            runner.run_case(family, name, function, prepare)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        runner.monitor.stop()
        cases.CANARY.close()
        runner.server.cleanup()

    results = runner.results
    failed = [r for r in results if not r.passed]
    health = [r for r in results if r.healthz_max_ms]
    print()
    if health:
        worst = max(health, key=lambda r: r.healthz_max_ms)
        print(f"/healthz max {worst.healthz_max_ms:.0f} ms during {worst.name} (limit {HEALTHZ_LIMIT_MS:.0f} ms)")
        fattest = max(results, key=lambda r: r.rss_max_mib)
        print(f"RSS max {fattest.rss_max_mib:.0f} MiB during {fattest.name} (limit {RSS_LIMIT_MIB:.0f} MiB)")
    print(f"server deaths: {', '.join(runner.server.deaths) if runner.server.deaths else 'none'}")
    print(f"total time {time.monotonic() - started:.0f} s")
    if failed:
        print("failed cases: " + ", ".join(f"{r.family}/{r.name}" for r in failed))
    if args.junit:
        write_junit(results, args.junit)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
