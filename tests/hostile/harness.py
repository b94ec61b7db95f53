"""The machinery around the hostile cases: the server process, the monitors, an HTTP client
that records every answer, and the per-case bookkeeping.

Global rules (no 5xx, 4xx bodies are problem documents, /healthz fast, RSS bounded, the
process alive) are checked here for every response and charged to the case that was running,
so a case's verdict covers both its own expectations and these rules.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field

HEALTHZ_LIMIT_MS = 100.0
HEALTHZ_INTERVAL_S = 0.05
RSS_LIMIT_MIB = 500.0
RSS_INTERVAL_S = 0.1
DEFAULT_TIMEOUT_S = 10.0
PROBLEM_TYPE = "application/problem+json"


def free_port() -> int:
    """A free TCP port on loopback (the kernel picks one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    """One HTTP exchange as the suite saw it; `status` is None when no answer came back."""

    method: str
    path: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    elapsed_ms: float
    error: str | None = None

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def field_names(self) -> list[str]:
        """`errors[].field` of a problem document, if any."""
        body = self.json()
        if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
            return []
        return [str(item.get("field")) for item in body["errors"] if isinstance(item, dict) and "field" in item]

    def brief(self) -> str:
        if self.status is None:
            return f"{self.method} {self.path[:80]} -> no response ({self.error}) after {self.elapsed_ms:.0f} ms"
        detail = ""
        body = self.json()
        if isinstance(body, dict) and self.status >= 400:
            fields = self.field_names()
            detail = f" [{body.get('title', '')}{'; fields=' + ','.join(fields) if fields else ''}]"
        return f"{self.method} {self.path[:80]} -> {self.status}{detail} in {self.elapsed_ms:.0f} ms"


@dataclass
class CaseResult:
    name: str
    family: str
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    responses: int = 0
    seconds: float = 0.0
    healthz_max_ms: float = 0.0
    rss_max_mib: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


class Server:
    """A `kyros serve` on a free loopback port, in a temporary directory with its own SQLite file.

    The binary is copied into the directory first so that a rebuild of the original cannot
    replace it while the suite runs.
    """

    def __init__(self, binary: str, extra_env: dict[str, str] | None = None):
        self.workdir = tempfile.mkdtemp(prefix="kyros-hostile-")
        self.binary = os.path.join(self.workdir, "kyros")
        shutil.copy2(binary, self.binary)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update(
            {
                "DATABASE_URL": "sqlite://./kyros.db?mode=rwc",
                "HOST": "127.0.0.1",
                "PORT": str(self.port),
                "RUST_LOG": "warn",
                "LOG_FORMAT": "json",
                "RATE_LIMIT_REQUESTS_PER_MINUTE": "0",
                "AUTH_RATE_LIMIT_PER_MINUTE": "0",
                "QUOTA_JOBS_PER_DAY_USER": "0",
                "QUOTA_CHARS_PER_MONTH_USER": "0",
                "URL_FETCH_ALLOWLIST": "",
                "WEBHOOK_ALLOWLIST": "",
                # Short outbound timeouts: a refused address must be refused, not waited on.
                "URL_FETCH_TIMEOUT_SECONDS": "3",
                "WEBHOOK_TIMEOUT_SECONDS": "3",
                "CONNECTOR_OUTBOX_DIR": "./outbox",
            }
        )
        for name in ("OPENAI_API_KEY", "REDIS_URL", "JWT_SECRET", "KYROS_ENV"):
            self.env.pop(name, None)
        self.env.update(extra_env or {})
        self.process: subprocess.Popen | None = None
        self.log_path = os.path.join(self.workdir, "server.log")
        self.deaths: list[str] = []

    def start(self, wait_s: float = 60.0) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [self.binary, "serve"], cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kyros serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"kyros serve did not answer /healthz within {wait_s:.0f} s")

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def exit_description(self) -> str:
        code = self.process.returncode if self.process else None
        if code is not None and code < 0:
            return f"killed by signal {-code}"
        return f"exit code {code}"

    def log_tail(self, entries: int = 6) -> str:
        """The last few log entries, short: panics and aborts verbatim, JSON lines as
        `LEVEL message: first line of the error`."""
        try:
            with open(self.log_path, "rb") as handle:
                tail = deque(handle, maxlen=60)
        except OSError:
            return ""
        lines = []
        for raw in tail:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                lines.append(line[:200])
                continue
            if isinstance(entry, dict):
                error = str(entry.get("error", "")).split("\n", 1)[0]
                summary = f"{entry.get('level', '?')} {entry.get('message', '')}"
                lines.append((summary + (": " + error if error else ""))[:200])
        return "\n".join(lines[-entries:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill(self) -> None:
        """Stops at once (SIGKILL): used when the process is stuck on a hostile request."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


class Monitor:
    """Two background samplers: /healthz latency every ~50 ms and the server's VmRSS.

    Each sample is tagged with the case running at the time, so a slow /healthz or a memory
    spike is charged to the case that caused it.
    """

    def __init__(self, server: Server):
        self.server = server
        self.case = "(startup)"
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.healthz: list[tuple[str, float, str | None]] = []  # (case, ms, error)
        self.rss: list[tuple[str, float]] = []  # (case, MiB)
        self.threads = [
            threading.Thread(target=self._poll_healthz, name="healthz", daemon=True),
            threading.Thread(target=self._sample_rss, name="rss", daemon=True),
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=5)

    def _poll_healthz(self) -> None:
        while not self.stop_event.is_set():
            case = self.case
            started = time.perf_counter()
            error = None
            if self.server.alive():
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
                    conn.request("GET", "/healthz")
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    if response.status != 200:
                        error = f"status {response.status}"
                except OSError as exc:
                    error = type(exc).__name__
                elapsed = (time.perf_counter() - started) * 1000
                with self.lock:
                    self.healthz.append((case, elapsed, error))
            self.stop_event.wait(HEALTHZ_INTERVAL_S)

    def _sample_rss(self) -> None:
        while not self.stop_event.is_set():
            pid = self.server.pid
            if pid and self.server.alive():
                try:
                    with open(f"/proc/{pid}/status") as status:
                        for line in status:
                            if line.startswith("VmRSS:"):
                                with self.lock:
                                    self.rss.append((self.case, int(line.split()[1]) / 1024))
                                break
                except OSError:
                    pass
            self.stop_event.wait(RSS_INTERVAL_S)

    def latest_rss(self) -> float:
        with self.lock:
            return self.rss[-1][1] if self.rss else 0.0

    def samples_for(self, case: str) -> tuple[list[tuple[float, str | None]], list[float]]:
        with self.lock:
            health = [(ms, error) for name, ms, error in self.healthz if name == case]
            rss = [mib for name, mib in self.rss if name == case]
        return health, rss


class Client:
    """A small HTTP/1.1 client over http.client that records every exchange for the checks."""

    def __init__(self, server: Server, recorder):
        self.server = server
        self.recorder = recorder

    def request(
        self,
        method: str,
        path: str,
        body=None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        record: bool = True,
    ) -> Response:
        all_headers = {"accept": "application/json, application/problem+json, */*"}
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            all_headers["content-type"] = "application/json"
        elif isinstance(body, str):
            body = body.encode()
            all_headers["content-type"] = "application/json"
        if token:
            all_headers["authorization"] = f"Bearer {token}"
        all_headers.update(headers or {})
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        send_error = None
        try:
            try:
                conn.request(method, path, body=body, headers=all_headers)
            except (BrokenPipeError, ConnectionResetError) as exc:
                # The server may answer (413) and close before reading a huge body: still
                # try to read what it said.
                send_error = type(exc).__name__
            raw = conn.getresponse()
            data = raw.read()
            response = Response(
                method, path, raw.status, {k.lower(): v for k, v in raw.getheaders()}, data,
                (time.perf_counter() - started) * 1000,
            )
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:160]
            if send_error:
                error = f"{send_error} while sending; then {error}"
            response = Response(method, path, None, {}, b"", (time.perf_counter() - started) * 1000, error)
        finally:
            conn.close()
        if record:
            self.recorder(response)
        return response

    def get(self, path: str, token: str | None = None, **kwargs) -> Response:
        return self.request("GET", path, token=token, **kwargs)

    def post(self, path: str, body=None, token: str | None = None, **kwargs) -> Response:
        return self.request("POST", path, body=body, token=token, **kwargs)

    def put(self, path: str, body=None, token: str | None = None, **kwargs) -> Response:
        return self.request("PUT", path, body=body, token=token, **kwargs)

    def patch(self, path: str, body=None, token: str | None = None, **kwargs) -> Response:
        return self.request("PATCH", path, body=body, token=token, **kwargs)

    def delete(self, path: str, token: str | None = None, **kwargs) -> Response:
        return self.request("DELETE", path, token=token, **kwargs)


# A request line or header block over the HTTP parser's buffer is refused by the parser itself
# (414 URI Too Long, 431 Request Header Fields Too Large), with no body: the application never
# sees the request, so it cannot answer with a problem document.
TRANSPORT_REFUSALS = {414, 431}


def response_rule_violations(response: Response) -> list[str]:
    """The rules every answer must follow, whatever the case expects."""
    problems = []
    if response.status is None:
        problems.append(f"no HTTP answer: {response.brief()}")
    elif response.status >= 500:
        problems.append(f"server error: {response.brief()}")
    elif 400 <= response.status < 500:
        if response.status in TRANSPORT_REFUSALS and not response.content_type:
            pass  # answered by the HTTP parser itself, before any route runs
        elif not response.content_type.startswith(PROBLEM_TYPE):
            problems.append(
                f"{response.status} without a problem document "
                f"(content-type {response.content_type or 'none'!r}): {response.method} {response.path[:80]}"
            )
        elif not isinstance(response.json(), dict):
            problems.append(
                f"{response.status} problem body is not a JSON object: {response.method} {response.path[:80]}"
            )
    return problems
