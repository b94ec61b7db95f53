"""The hostile probes, grouped in families. Each case is a function taking a `Case` (see run.py)
and stating what the intended behaviour is; the global rules (no 5xx, problem documents,
/healthz latency, RSS, the process alive) are checked by the runner on top.

Expectations are written for the behaviour the API should have, not for what it does today.
"""

import json
import random
import re
import socket
import struct
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import payloads

ARTICLE = (
    "Our bakery moved to a four-day week in March. We close on Mondays now and open an hour "
    "earlier from Tuesday to Saturday. Sales stayed flat while staff sick days fell by a third. "
    "The ovens run fewer hours, so the gas bill dropped by twelve percent. Customers told us they "
    "prefer the earlier opening because they can buy bread before work. Two bakers said the long "
    "weekend let them take a pastry course. We will review the trial again in September and share "
    "the numbers with the neighbourhood association."
)
TERMINAL = {"needs_review", "done", "failed"}
JOB_WAIT_S = 30.0
# Script URLs count where something would follow them: a Markdown link, an autolink or an
# attribute. The words "javascript:alert(1)" as plain text in a post are inert everywhere.
FORBIDDEN_IN_EXPORTS = (
    "<script", "onerror=", "](javascript:", "<javascript:", "href=\"javascript:", "href='javascript:",
    "href=javascript:", "data:text/html",
)
LIVE_TAG = re.compile(r"<\s*[a-zA-Z!/?]")


# ---------------------------------------------------------------------------------------------
# Shared state: accounts and fixtures made on first use and reused by later cases.
# ---------------------------------------------------------------------------------------------


class World:
    """Accounts and long-lived fixtures; survives a server restart (same SQLite file)."""

    def __init__(self, client, repo_root):
        self.client = client
        self.repo_root = repo_root
        self.tokens: dict[str, str] = {}
        self.run_id = uuid.uuid4().hex[:8]
        self._reviewed: dict | None = None
        self._feed_token: str | None = None
        self.lock = threading.Lock()

    def token(self, who: str = "alice") -> str:
        with self.lock:
            if who not in self.tokens:
                email = f"{who}-{self.run_id}@example.com"
                password = f"hostile-{self.run_id}-pw"
                self.client.post("/auth/register", {"email": email, "password": password})
                login = self.client.post("/auth/login", {"email": email, "password": password})
                body = login.json() or {}
                if "access_token" not in body:
                    raise AssertionError(f"could not sign in {who}: {login.brief()}")
                self.tokens[who] = body["access_token"]
            return self.tokens[who]

    def job_body(self, name: str = "Hostile", source: dict | None = None, channels=None) -> dict:
        body = {"name": name, "source": source or {"type": "text", "content": ARTICLE}}
        body["channels"] = channels if channels is not None else ["linkedin", "x", "newsletter", "blog"]
        return body

    def wait_job(self, job_id: str, token: str, wait_s: float = JOB_WAIT_S) -> dict | None:
        """Polls GET /jobs/{id} until a terminal status (bounded in time and count)."""
        deadline = time.monotonic() + wait_s
        detail = None
        for _ in range(int(wait_s / 0.25) + 1):
            response = self.client.get(f"/jobs/{job_id}", token)
            detail = response.json() if response.status == 200 else None
            if detail and detail.get("status") in TERMINAL:
                return detail
            if time.monotonic() > deadline or response.status is None:
                break
            time.sleep(0.25)
        return detail

    def reviewed_job(self) -> dict:
        """Alice's job with four variants waiting for review (made once)."""
        if self._reviewed is None:
            token = self.token()
            created = self.client.post("/jobs", self.job_body("Fixture job"), token)
            if created.status != 201:
                raise AssertionError(f"fixture job not created: {created.brief()}")
            detail = self.wait_job(created.json()["id"], token)
            if not detail or detail.get("status") != "needs_review" or len(detail.get("variants", [])) < 4:
                raise AssertionError(f"fixture job did not reach needs_review: {detail and detail.get('status')}")
            self._reviewed = detail
        return self._reviewed

    def variant(self, channel: str) -> dict:
        for variant in self.reviewed_job()["variants"]:
            if variant["channel"] == channel:
                return variant
        raise AssertionError(f"fixture job has no {channel} variant")

    def accepted_variant_id(self) -> str:
        variant = self.variant("linkedin")
        response = self.client.put(f"/variants/{variant['id']}", {"accepted": True}, self.token())
        if response.status != 200:
            raise AssertionError(f"could not accept the fixture variant: {response.brief()}")
        return variant["id"]

    def feed_token(self) -> str:
        if self._feed_token is None:
            response = self.client.post("/schedule/feed-token", None, self.token())
            if response.status != 201:
                raise AssertionError(f"no calendar feed token: {response.brief()}")
            self._feed_token = response.json()["token"]
        return self._feed_token

    def export_formats(self) -> list[str]:
        """The export formats the OpenAPI document lists (so a new format is covered too)."""
        document = self.client.get("/openapi.json").json() or {}
        schema = document.get("components", {}).get("schemas", {}).get("ExportFormat", {})
        return schema.get("enum") or ["txt", "md", "html", "json"]


# ---------------------------------------------------------------------------------------------
# Small expectation helpers
# ---------------------------------------------------------------------------------------------


def expect_status(t, response, allowed, what: str) -> bool:
    ok = response.status in allowed
    t.check(ok, f"{what}: expected {'/'.join(map(str, sorted(allowed)))}, got {response.brief()}")
    return ok


def expect_field(t, response, field: str, what: str) -> None:
    """A 422 whose errors[] names `field` (a suffix match, e.g. `url` matches `source.url`)."""
    if not expect_status(t, response, {422}, what):
        return
    fields = response.field_names()
    # `channels[3]` names `channels`; `source.url` names `url`.
    bare = [re.sub(r"\[\d*\]", "", name).lower() for name in fields]
    t.check(
        any(name == field.lower() or name.endswith("." + field.lower()) for name in bare),
        f"{what}: 422 does not name `{field}` in errors[].field (fields: {fields or 'none'})",
    )


def create_and_settle(t, body: dict, token: str, what: str, allowed=frozenset({201, 422})) -> None:
    """POST /jobs; a 201 must then reach a terminal status in bounded time."""
    response = t.client.post("/jobs", body, token, timeout=20)
    if not expect_status(t, response, allowed, what):
        return
    if response.status == 201:
        detail = t.world.wait_job(response.json()["id"], token)
        status = detail and detail.get("status")
        t.check(status in TERMINAL, f"{what}: job still {status!r} after {JOB_WAIT_S:.0f} s")
        reason = detail and detail.get("failure_reason")
        t.note(f"{what}: 201, job ended {status}{' (' + reason + ')' if reason else ''}")
    else:
        t.note(f"{what}: {response.brief()}")


def upload(t, token: str, file_name: str, data: bytes, timeout: float = 20):
    body, content_type = payloads.multipart("file", file_name, data)
    return t.client.post("/uploads", body, token, headers={"content-type": content_type}, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# Family: nested markup
# ---------------------------------------------------------------------------------------------

NESTED = {
    "p-b-30000": "<p><b>" * 30000,
    "div-10000": "<div>" * 10000,
    "a-20000": "<a>" * 20000,
    "table-5000": "<table><tr><td>" * 5000 + "cell",
}


def nested_html_source(key):
    def case(t):
        body = t.world.job_body(f"nested {key}", {"type": "html", "content": NESTED[key]})
        create_and_settle(t, body, t.world.token(), f"html source {key}")
    return case


def nested_html_upload(key):
    def case(t):
        token = t.world.token()
        response = upload(t, token, f"nested-{key}.html", NESTED[key].encode())
        if expect_status(t, response, {201, 422}, f"upload nested-{key}.html") and response.status == 201:
            body = t.world.job_body(f"nested upload {key}", {"type": "upload", "upload_id": response.json()["id"]})
            create_and_settle(t, body, token, f"job from nested-{key}.html")
    return case


def nested_pasted(kind, content, label):
    def case(t):
        body = t.world.job_body(f"nested {label}", {"type": kind, "content": content})
        create_and_settle(t, body, t.world.token(), f"{kind} source {label}")
    return case


# ---------------------------------------------------------------------------------------------
# Family: bombs (uploads)
# ---------------------------------------------------------------------------------------------

_built: dict[str, bytes] = {}


def built(name: str, maker) -> bytes:
    """Builds a payload once (in the case's preparation, outside its measured time)."""
    if name not in _built:
        _built[name] = maker()
    return _built[name]


BOMBS = {
    "docx-bomb": ("bomb.docx", lambda: payloads.docx_bomb()[0]),
    "pdf-bomb-text-operators": ("bomb-text.pdf", lambda: payloads.pdf_bomb(content="text")[0]),
    "pdf-bomb-zeros": ("bomb-zeros.pdf", lambda: payloads.pdf_bomb(content="zeros")[0]),
    "docx-billion-laughs": ("laughs.docx", payloads.docx_billion_laughs),
    "docx-deep-xml": ("deep.docx", payloads.docx_deep_xml),
    "docx-nested-bomb-in-embeddings": (
        "nested.docx",
        lambda: payloads.docx_with_entries(
            {
                "word/document.xml": payloads.DOCUMENT_HEAD + "<w:p><w:r><w:t>Outer text.</w:t></w:r></w:p>"
                + payloads.DOCUMENT_TAIL,
                "word/embeddings/inner.docx": payloads.docx_bomb(256 << 10)[0],
            }
        ),
    ),
}


def bomb_prepare(key):
    file_name, maker = BOMBS[key]
    return lambda: built(key, maker)


def bomb_upload(key):
    """A bomb may be refused (413/415/422) or read with bounded text; a 201 then feeds a job."""
    file_name, maker = BOMBS[key]

    def case(t):
        token = t.world.token()
        data = built(key, maker)
        t.check(len(data) < 10 << 20, f"payload is {len(data)} bytes, not under the 10 MiB upload limit")
        response = upload(t, token, file_name, data)
        if not expect_status(t, response, {201, 413, 415, 422}, f"upload {file_name} ({len(data) >> 10} KiB)"):
            return
        t.note(f"upload {file_name}: {response.brief()}")
        if response.status == 201:
            characters = (response.json() or {}).get("characters", 0)
            t.note(f"extracted {characters} characters")
            body = t.world.job_body(f"bomb {key}", {"type": "upload", "upload_id": response.json()["id"]})
            create_and_settle(t, body, token, f"job from {file_name}")
    return case


def docx_missing_document(t):
    data = payloads.docx_with_entries({"word/styles.xml": "<w:styles/>"})
    expect_field(t, upload(t, t.world.token(), "missing.docx", data), "file", "docx without word/document.xml")


def docx_zip_in_zip(t):
    """word/document.xml is itself a zip archive, not XML."""
    data = payloads.docx_with_entries({"word/document.xml": payloads.small_docx()})
    expect_field(t, upload(t, t.world.token(), "zip-in-zip.docx", data), "file", "docx whose document.xml is a zip")


def docx_control(t):
    """A valid small .docx is accepted: the malformed ones are refused for the right reason."""
    response = upload(t, t.world.token(), "ok.docx", payloads.small_docx())
    expect_status(t, response, {201}, "a valid .docx")


# ---------------------------------------------------------------------------------------------
# Family: giant fields
# ---------------------------------------------------------------------------------------------


def body_over_limit(size):
    def case(t):
        body = json.dumps(t.world.job_body("big", {"type": "text", "content": "a" * size}))
        response = t.client.post("/jobs", body, t.world.token(), timeout=20)
        expect_status(t, response, {413}, f"{len(body)}-byte JSON body")
    return case


def job_name_1m(t):
    response = t.client.post("/jobs", t.world.job_body("n" * 1_000_000), t.world.token())
    expect_field(t, response, "name", "1,000,000-char job name")


def channels_100k_duplicates(t):
    response = t.client.post("/jobs", t.world.job_body("channels", channels=["linkedin"] * 100_000), t.world.token())
    if expect_status(t, response, {201, 422}, "100,000 x `linkedin` channels") and response.status == 422:
        expect_field(t, response, "channels", "100,000 channels")


def channels_100k_unknown(t):
    channels = [f"c{i}" for i in range(100_000)]
    response = t.client.post("/jobs", t.world.job_body("channels", channels=channels), t.world.token())
    expect_field(t, response, "channels", "100,000 unknown channels")
    t.check(len(response.body) < 256 << 10, f"the 422 body is {len(response.body)} bytes: one error per entry?")


def preset_huge_fields(t):
    token = t.world.token()
    huge = "p" * 1_000_000
    base = {"name": "Preset", "channels": ["linkedin"], "tone": "friendly", "params": {}}
    for field, body in (
        ("name", {**base, "name": huge}),
        ("tone", {**base, "tone": huge}),
        ("params.call_to_action", {**base, "params": {"call_to_action": huge}}),
        ("channels", {**base, "channels": ["linkedin"] * 100_000 + ["nope"]}),
    ):
        expect_field(t, t.client.post("/presets", body, token), field.split(".")[-1], f"preset with huge {field}")


def deep_json(prefix: str, label: str):
    def case(t):
        body = prefix + "[" * 100_000
        response = t.client.post("/jobs", body, t.world.token())
        expect_status(t, response, {400, 413, 422}, f"{label}: 100,000 nested arrays")
    return case


def long_query(size):
    def case(t):
        path = "/jobs?q=" + "a" * size
        response = t.client.get(path, t.world.token())
        expect_status(t, response, {200, 414, 422, 431}, f"GET /jobs with a {size}-char query")
    return case


def many_query_params(t):
    path = "/jobs?" + "&".join(f"p{i}=1" for i in range(10_000)) + "&q=x"
    response = t.client.get(path, t.world.token())
    expect_status(t, response, {200, 414, 422, 431}, "GET /jobs with 10,000 query parameters")


# ---------------------------------------------------------------------------------------------
# Family: NUL bytes
# ---------------------------------------------------------------------------------------------

NUL = "\u0000"


def nul_job_name(t):
    response = t.client.post("/jobs", t.world.job_body(f"bad{NUL}name"), t.world.token())
    expect_field(t, response, "name", "job name with NUL")


def nul_preset_name(t):
    body = {"name": f"pre{NUL}set", "channels": ["linkedin"]}
    expect_field(t, t.client.post("/presets", body, t.world.token()), "name", "preset name with NUL")


def nul_call_to_action(t):
    body = {"name": "CTA", "channels": ["linkedin"], "params": {"call_to_action": f"Book{NUL} now"}}
    response = t.client.post("/presets", body, t.world.token())
    expect_field(t, response, "call_to_action", "call to action with NUL")


def nul_token_name(t):
    body = {"name": f"tok{NUL}en", "scopes": ["read"]}
    expect_field(t, t.client.post("/me/tokens", body, t.world.token()), "name", "API token name with NUL")


def nul_list_query(t):
    response = t.client.get("/jobs?q=" + urllib.parse.quote(f"a{NUL}b"), t.world.token())
    expect_field(t, response, "q", "GET /jobs?q= with NUL")


def nul_variant_edit(t):
    variant = t.world.variant("x")
    response = t.client.put(f"/variants/{variant['id']}", {"content": f"Edited{NUL} text"}, t.world.token())
    expect_field(t, response, "content", "variant edit with NUL")


# ---------------------------------------------------------------------------------------------
# Family: SSRF address forms (URL sources and webhook targets)
# ---------------------------------------------------------------------------------------------


class Canary:
    """A loopback listener on one port (IPv4 and IPv6): any connection means the server
    reached an address it should have refused."""

    def __init__(self):
        self.port = None
        self.hits = 0
        self.sockets = []
        self.stop = threading.Event()

    def start(self):
        v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        v4.bind(("127.0.0.1", 0))
        self.port = v4.getsockname()[1]
        self.sockets.append(v4)
        try:
            v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            v6.bind(("::1", self.port))
            self.sockets.append(v6)
        except OSError:
            pass  # no IPv6 loopback here
        for sock in self.sockets:
            sock.listen(16)
            sock.settimeout(0.2)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock):
        page = b"<html><body><article><p>" + ARTICLE.encode() + b"</p></article></body></html>"
        while not self.stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            self.hits += 1
            try:
                conn.settimeout(1)
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
                    % len(page) + page
                )
            except OSError:
                pass
            finally:
                conn.close()

    def close(self):
        self.stop.set()
        for sock in self.sockets:
            sock.close()


CANARY = Canary()

# (label, host as written in the URL, whether it points at this machine's loopback)
SSRF_HOSTS = [
    ("ipv4-loopback", "127.0.0.1", True),
    ("ipv6-loopback", "[::1]", True),
    ("ipv4-compatible", "[::127.0.0.1]", True),
    ("ipv4-mapped", "[::ffff:127.0.0.1]", True),
    ("6to4", "[2002:7f00:1::]", True),
    ("nat64", "[64:ff9b::7f00:1]", True),
    ("teredo", "[" + payloads.teredo_address("65.54.227.120", "127.0.0.1") + "]", True),
    ("hex-short", "0x7f.1", True),
    ("decimal", "2130706433", True),
    ("octal", "017700000001", True),
    ("short-dotted", "127.1", True),
    ("localhost-trailing-dot", "localhost.", True),
    ("cloud-metadata", "169.254.169.254", False),
    ("link-local-zone", "[fe80::1%25eth0]", False),
]


def ssrf(label, host, loopback):
    def case(t):
        if CANARY.port is None:
            CANARY.start()
        token = t.world.token("ssrf")
        urls = [f"http://{host}/"]
        if loopback:
            urls.append(f"http://{host}:{CANARY.port}/")
        hits_before = CANARY.hits
        for url in urls:
            body = t.world.job_body(f"ssrf {label}", {"type": "url", "url": url}, channels=["x"])
            response = t.client.post("/jobs", body, token, timeout=15)
            expect_field(t, response, "url", f"URL source {url}")
            response = t.client.put("/connectors/webhook", {"url": url}, token, timeout=15)
            expect_field(t, response, "url", f"webhook {url}")
        contacted = CANARY.hits - hits_before
        t.check(contacted == 0, f"the server connected to the loopback canary {contacted} time(s)")
    return case


# ---------------------------------------------------------------------------------------------
# Family: XSS through stored text and every export format
# ---------------------------------------------------------------------------------------------

XSS_EDITS = {
    "escaped-script": "x &lt;script&gt;alert(1)&lt;/script&gt; y",
    "escaped-img-onerror": "a &lt;img src=x onerror=alert(1)&gt;",
    "raw-script": "<script>alert(1)</script>",
    "markdown-javascript-link": "[this](javascript:alert(1))",
    "data-url-link": '<a href="data:text/html,<script>alert(1)</script>">click</a> and more text',
    "tag-then-escaped-script": "<b>bold</b> then &lt;script&gt;alert(1)&lt;/script&gt;",
    "autolink-javascript": "see <javascript:alert(1)> now",
}


# Sources carrying script: generation reuses source sentences, so they reach the variants.
XSS_SOURCES = {
    "text-source": {"type": "text", "content": (
        ARTICLE + " Click <img src=x onerror=alert(1)> for details. Read [more](javascript:alert(1)) today. "
        'Open <a href="data:text/html,<script>alert(1)</script>">this</a> link.')},
    "markdown-source": {"type": "markdown", "content": (
        "# Four-day week\n\n" + ARTICLE + "\n\n<script>alert(1)</script>\n\n"
        "[more](javascript:alert(1)) and <img src=x onerror=alert(1)>\n")},
    "html-source": {"type": "html", "content": (
        "<html><body><article><h1>Four-day week</h1><p>" + ARTICLE + "</p>"
        '<p><a href="javascript:alert(1)">javascript:alert(1)</a> &lt;script&gt;alert(1)&lt;/script&gt;</p>'
        "<script>alert(1)</script></article></body></html>")},
}


def check_text(t, text: str, where: str) -> None:
    lowered = text.lower()
    for needle in FORBIDDEN_IN_EXPORTS:
        t.check(needle not in lowered, f"{where} contains {needle!r}: {excerpt(text, needle)}")


def excerpt(text: str, needle: str) -> str:
    at = text.lower().find(needle)
    return repr(text[max(0, at - 30): at + 50])


def check_exports(t, variant_id: str, token: str, label: str) -> None:
    """Downloads the variant in every format; none may carry live script or script URLs."""
    for fmt in t.world.export_formats():
        response = t.client.post(f"/export/{variant_id}", {"format": fmt}, token)
        if not expect_status(t, response, {200}, f"{label}: export {fmt}"):
            continue
        body = response.body.decode("utf-8", "replace")
        if fmt == "json" and response.json() is not None:
            # Decoded, so that `\u003cscript` escapes are caught as well.
            body = json.dumps(response.json(), ensure_ascii=False)
        check_text(t, body, f"{label}: {fmt} export")


def check_stored_variant(t, variant_id: str, token: str, label: str) -> None:
    stored = t.client.get(f"/variants/{variant_id}", token).json() or {}
    content = stored.get("content", "")
    match = LIVE_TAG.search(content)
    if match:
        t.check(False, f"{label}: stored variant text keeps markup {excerpt(content, match.group(0).lower())}")
    check_text(t, content, f"{label}: stored variant text")


def xss_edit(key):
    def case(t):
        token = t.world.token()
        variant_id = t.world.variant("blog")["id"]
        reset = t.client.put(f"/variants/{variant_id}", {"content": "A clean paragraph."}, token)
        expect_status(t, reset, {200}, "reset the variant to clean text")
        response = t.client.put(f"/variants/{variant_id}", {"content": XSS_EDITS[key]}, token)
        if expect_status(t, response, {200, 422}, f"edit to {XSS_EDITS[key]!r}"):
            t.note(f"edit: {response.brief()}")
        check_stored_variant(t, variant_id, token, key)
        check_exports(t, variant_id, token, key)
    return case


def xss_generated(label, job_name, source, preset_cta=None):
    """Payloads that reach variants through generation: job name, call to action, source."""
    def case(t):
        token = t.world.token("xss")
        body = t.world.job_body(job_name, source)
        if preset_cta is not None:
            preset_body = {"name": f"xss {label}", "channels": ["linkedin", "blog"],
                           "params": {"call_to_action": preset_cta}}
            preset = t.client.post("/presets", preset_body, token)
            if not expect_status(t, preset, {201, 422}, "preset with a script call to action") or preset.status == 422:
                return
            body["preset_id"] = preset.json()["id"]
            body.pop("channels")
        created = t.client.post("/jobs", body, token)
        if not expect_status(t, created, {201, 422}, "job with script payloads") or created.status == 422:
            return
        detail = t.world.wait_job(created.json()["id"], token)
        status = detail and detail.get("status")
        if not t.check(status == "needs_review", f"job ended {status}"):
            return
        for variant in detail["variants"]:
            check_stored_variant(t, variant["id"], token, f"{label}/{variant['channel']}")
            check_exports(t, variant["id"], token, f"{label}/{variant['channel']}")
    return case


# ---------------------------------------------------------------------------------------------
# Family: recurrence bombs
# ---------------------------------------------------------------------------------------------

ALL_MINUTES = ",".join(str(m) for m in range(60))
ALL_HOURS = ",".join(str(h) for h in range(24))


def tomorrow_at_nine() -> str:
    return time.strftime("%Y-%m-%dT09:00", time.gmtime(time.time() + 86400))


RECURRENCES = {
    # Plausible rules that are accepted: the calendar must still not walk 574 years of them.
    "hourly": ("FREQ=HOURLY", None),
    "daily-every-hour": (f"FREQ=DAILY;BYHOUR={ALL_HOURS}", None),
    "hourly-every-minute": (f"FREQ=HOURLY;BYMINUTE={ALL_MINUTES}", None),
    "daily-every-hour-and-minute": (f"FREQ=DAILY;BYHOUR={ALL_HOURS};BYMINUTE={ALL_MINUTES}", None),
    "minutely": ("FREQ=MINUTELY", None),
    "secondly": ("FREQ=SECONDLY", None),
    "never-matching": ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", None),
    "secondly-since-1970": ("FREQ=SECONDLY", "1970-01-01T00:00:00Z"),
}


def recurrence(key):
    rule, run_at = RECURRENCES[key]

    def case(t):
        token = t.world.token()
        body = {"variant_id": t.world.accepted_variant_id(), "run_at": run_at or tomorrow_at_nine(), "timezone": "UTC",
                "recurrence": rule}
        created = t.client.post("/schedule", body, token)
        expect_status(t, created, {201, 422}, f"schedule {rule}")
        t.note(f"create: {created.brief()}")
        try:
            for query in (
                "from=2600-01-01&to=2700-01-01",
                "from=2600-01-01T00:00:00Z&to=2700-01-01T00:00:00Z",
                "from=2600-01-01T00:00:00Z&to=2601-01-01T00:00:00Z",
                "",
            ):
                response = t.client.get(f"/schedule?{query}", token)
                expect_status(t, response, {200, 422}, f"GET /schedule?{query}")
                t.note(response.brief())
            feed = t.client.get(f"/schedule.ics?token={t.world.feed_token()}", None)
            expect_status(t, feed, {200}, "GET /schedule.ics")
        finally:
            if created.status == 201:
                t.client.delete(f"/schedule/{created.json()['id']}", token)
    return case


# ---------------------------------------------------------------------------------------------
# Family: concurrent writes on SQLite
# ---------------------------------------------------------------------------------------------


def run_together(calls, workers: int):
    """Runs the calls at (nearly) the same moment, released by a barrier."""
    barrier = threading.Barrier(len(calls), timeout=20)

    def go(call):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return call()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(go, calls))


def concurrent_jobs(t):
    tokens = [t.world.token(name) for name in ("carol", "dave", "erin")]
    calls = [lambda tok=tokens[i % 3], i=i: t.client.post("/jobs", t.world.job_body(f"burst {i}"), tok, timeout=20)
             for i in range(30)]
    statuses = [r.status for r in run_together(calls, 30)]
    t.note(f"statuses: {sorted(statuses, key=str)}")
    t.check(all(s in (201, 202, 429) for s in statuses), f"30 concurrent POST /jobs: {statuses}")


def make_drafts(t, token, count):
    ids = []
    for i in range(count):
        draft = t.client.post("/jobs", {"name": f"draft {i}"}, token)
        if not expect_status(t, draft, {201}, "create a draft"):
            continue
        job_id = draft.json()["id"]
        patch = t.client.patch(f"/jobs/{job_id}", {"source": {"type": "text", "content": ARTICLE}}, token)
        if expect_status(t, patch, {200}, "give the draft a source"):
            ids.append(job_id)
    return ids


def concurrent_submits(t):
    token = t.world.token("frank")
    ids = make_drafts(t, token, 10)
    calls = [lambda job_id=job_id: t.client.post(f"/jobs/{job_id}/submit", None, token, timeout=20) for job_id in ids]
    statuses = [r.status for r in run_together(calls, 10)]
    t.note(f"statuses: {statuses}")
    t.check(all(s in (201, 202, 429) for s in statuses), f"10 concurrent draft submits: {statuses}")


def concurrent_same_submit(t):
    token = t.world.token("frank")
    ids = make_drafts(t, token, 1)
    if not ids:
        return
    calls = [lambda: t.client.post(f"/jobs/{ids[0]}/submit", None, token, timeout=20) for _ in range(10)]
    statuses = [r.status for r in run_together(calls, 10)]
    t.note(f"statuses: {statuses}")
    t.check(statuses.count(202) == 1, f"one draft submitted 10 times at once: {statuses.count(202)} accepted")
    t.check(all(s in (202, 409, 429) for s in statuses), f"others must be 409: {statuses}")


def concurrent_variant_edits(t):
    token = t.world.token()
    variants = t.world.reviewed_job()["variants"]
    calls = []
    for i in range(20):
        variant = variants[i % len(variants)]
        body = {"accepted": True} if i % 2 else {"content": f"Concurrent edit {i} of the {variant['channel']} post."}
        calls.append(lambda v=variant, b=body: t.client.put(f"/variants/{v['id']}", b, token, timeout=20))
    responses = run_together(calls, 20)
    statuses = [r.status for r in responses]
    t.note(f"statuses: {statuses}")
    # Every edit lands; an accept may be refused, but only because the text it would accept
    # (a racing one-line edit) fails a check: accepted means safe to publish.
    edits_ok = all(r.status == 200 for i, r in enumerate(responses) if i % 2 == 0)
    accepts_ok = all(
        r.status == 200
        or r.status == 422 and (r.json() or {}).get("type") == "https://kyros.dev/problems/checks-failed"
        for i, r in enumerate(responses)
        if i % 2
    )
    t.check(edits_ok and accepts_ok, f"20 concurrent variant edits/accepts: {statuses}")


# ---------------------------------------------------------------------------------------------
# Family: cancelled requests
# ---------------------------------------------------------------------------------------------


def raw_request(method: str, path: str, token: str, body: bytes) -> bytes:
    head = (
        f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {token}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def cancelled_requests(t):
    """100 requests whose client hangs up at a random moment (some before the body is complete)."""
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    t.note(f"random seed {seed}")
    token = t.world.token()
    variants = t.world.reviewed_job()["variants"]
    sent = 0
    started = time.monotonic()
    for i in range(100):
        if time.monotonic() - started > 60:
            t.check(False, f"only {i} cancelled requests sent within 60 s")
            break
        kind = i % 3
        variant = variants[rng.randrange(len(variants))]
        if kind == 0:
            data = raw_request("POST", "/jobs", token, json.dumps(t.world.job_body(f"cancel {i}")).encode())
        elif kind == 1:
            edit = json.dumps({"content": f"Cancelled edit {i}."}).encode()
            data = raw_request("PUT", f"/variants/{variant['id']}", token, edit)
        else:
            data = raw_request("PUT", f"/variants/{variant['id']}", token, b'{"accepted": true}')
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data) // 2, len(data))]  # hang up mid-body
        try:
            with socket.create_connection(("127.0.0.1", t.server.port), timeout=2) as sock:
                sock.sendall(data)
                time.sleep(rng.uniform(0, 0.05))
                if rng.random() < 0.5:  # half end with a reset (linger 0), half with an orderly close
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sent += 1
        except OSError as exc:
            t.check(False, f"cancelled request {i}: could not connect ({exc})")
            break
    t.note(f"{sent} requests cancelled")


def after_cancellations(t):
    """The API still answers reads and a new job is generated after the hang-ups."""
    token = t.world.token()
    expect_status(t, t.client.get("/jobs?limit=100", token), {200}, "GET /jobs")
    job = t.world.reviewed_job()
    expect_status(t, t.client.get(f"/jobs/{job['id']}", token), {200}, "GET /jobs/{id}")
    created = t.client.post("/jobs", t.world.job_body("after the storm"), token)
    if expect_status(t, created, {201}, "POST /jobs"):
        detail = t.world.wait_job(created.json()["id"], token, wait_s=60)
        t.check(detail and detail.get("status") == "needs_review", f"new job ended {detail and detail.get('status')}")


# ---------------------------------------------------------------------------------------------
# Family: idempotency
# ---------------------------------------------------------------------------------------------


def idempotency_different_body(t):
    token = t.world.token()
    key = f"hostile-{uuid.uuid4()}"
    first = t.client.post("/jobs", t.world.job_body("first body"), token, headers={"idempotency-key": key})
    expect_status(t, first, {201}, "first request")
    second = t.client.post("/jobs", t.world.job_body("a different body"), token, headers={"idempotency-key": key})
    expect_status(t, second, {422}, "same Idempotency-Key, different body")


def idempotency_replay(t):
    token = t.world.token()
    key = f"hostile-{uuid.uuid4()}"
    body = t.world.job_body("replayed body")
    first = t.client.post("/jobs", body, token, headers={"idempotency-key": key})
    second = t.client.post("/jobs", body, token, headers={"idempotency-key": key})
    if expect_status(t, first, {201}, "first request") and expect_status(t, second, {201}, "replay"):
        t.check(second.headers.get("idempotent-replayed") == "true", "the replay lacks `idempotent-replayed: true`")
        t.check(first.json()["id"] == second.json()["id"], "the replay returned another job")


def idempotency_concurrent(t):
    token = t.world.token()
    key = f"hostile-{uuid.uuid4()}"
    body = t.world.job_body("raced body")
    headers = {"idempotency-key": key}
    calls = [lambda: t.client.post("/jobs", body, token, headers=headers, timeout=20) for _ in range(8)]
    responses = run_together(calls, 8)
    statuses = [r.status for r in responses]
    ids = {r.json()["id"] for r in responses if r.status == 201}
    t.note(f"statuses: {statuses}")
    t.check(all(s in (201, 409) for s in statuses), f"8 racing requests with one key: {statuses}")
    t.check(len(ids) <= 1, f"one key created {len(ids)} jobs")


# ---------------------------------------------------------------------------------------------
# Family: forged and orphaned tokens
# ---------------------------------------------------------------------------------------------


def ghost_token_case(role, calls):
    def case(t):
        secret = payloads.development_jwt_secret(t.world.repo_root)
        if not t.check(secret is not None, "the development JWT secret was not found in the server config"):
            return
        token = payloads.ghost_token(secret, role=role)
        for method, path, body in calls:
            response = t.client.request(method, path, body=body, token=token)
            expect_status(t, response, {401}, f"{method} {path} with a signed token for a missing user")
    return case


def unsigned_token(t):
    claims = {"sub": str(uuid.uuid4()), "role": "admin", "iss": "kyros", "exp": int(time.time()) + 600}
    header = payloads._b64url(b'{"alg":"none","typ":"JWT"}')
    token = f"{header}.{payloads._b64url(json.dumps(claims).encode())}."
    expect_status(t, t.client.get("/admin/users", token), {401}, "GET /admin/users with alg=none")


# ---------------------------------------------------------------------------------------------
# The catalogue, in running order: (family, name, function, preparation or None)
# ---------------------------------------------------------------------------------------------


def catalogue():
    cases = []

    def add(family, name, fn, prepare=None):
        cases.append((family, name, fn, prepare))

    add("tokens", "ghost-user-token", ghost_token_case("user", [
        ("GET", "/jobs", None), ("POST", "/jobs", {"name": "ghost", "source": {"type": "text", "content": ARTICLE}}),
        ("POST", "/presets", {"name": "ghost", "channels": ["x"]})]))
    add("tokens", "ghost-admin-token", ghost_token_case("admin", [
        ("GET", "/admin/users", None), ("GET", "/admin/audit", None), ("GET", "/me", None)]))
    add("tokens", "unsigned-token", unsigned_token)

    for name, fn in (("job-name", nul_job_name), ("preset-name", nul_preset_name),
                     ("call-to-action", nul_call_to_action), ("api-token-name", nul_token_name),
                     ("list-query", nul_list_query), ("variant-edit", nul_variant_edit)):
        add("nul-bytes", f"nul-{name}", fn)

    add("idempotency", "idempotency-different-body", idempotency_different_body)
    add("idempotency", "idempotency-replay", idempotency_replay)
    add("idempotency", "idempotency-concurrent-same-key", idempotency_concurrent)

    add("giant-fields", "json-body-2mib-plus", body_over_limit(2 * 1024 * 1024 + 1024))
    add("giant-fields", "json-body-3mib", body_over_limit(3 * 1024 * 1024))
    add("giant-fields", "job-name-1m-chars", job_name_1m)
    add("giant-fields", "channels-100k-duplicates", channels_100k_duplicates)
    add("giant-fields", "channels-100k-unknown", channels_100k_unknown)
    add("giant-fields", "preset-huge-fields", preset_huge_fields)
    add("giant-fields", "deep-json-body", deep_json("", "body"))
    add("giant-fields", "deep-json-field", deep_json('{"name":"deep","channels":', "field"))
    add("giant-fields", "query-16k", long_query(16 * 1024))
    add("giant-fields", "query-256k", long_query(256 * 1024))
    add("giant-fields", "query-10k-params", many_query_params)

    for label, host, loopback in SSRF_HOSTS:
        add("ssrf", f"ssrf-{label}", ssrf(label, host, loopback))

    for key in XSS_EDITS:
        add("xss", f"xss-edit-{key}", xss_edit(key))
    add("xss", "xss-job-name", xss_generated("job-name", "<script>alert(1)</script><img src=x onerror=alert(1)>", None))
    add("xss", "xss-call-to-action", xss_generated(
        "cta", "CTA job", None, preset_cta="<script>alert(1)</script> [book](javascript:alert(1))"))
    for label, source in XSS_SOURCES.items():
        add("xss", f"xss-{label}", xss_generated(label, f"{label} job", source))

    for key in RECURRENCES:
        add("recurrence", f"rrule-{key}", recurrence(key))

    for key in NESTED:
        add("nested-markup", f"html-source-{key}", nested_html_source(key))
    for key in ("p-b-30000", "table-5000"):
        add("nested-markup", f"html-upload-{key}", nested_html_upload(key))
    add("nested-markup", "markdown-div-10000", nested_pasted("markdown", NESTED["div-10000"], "div-10000"))
    blockquotes = "> " * 10000 + "quote"
    add("nested-markup", "markdown-blockquote-10000", nested_pasted("markdown", blockquotes, "blockquote-10000"))
    add("nested-markup", "markdown-list-20000", nested_pasted("markdown", "* " * 20000 + "item", "list-20000"))
    add("nested-markup", "text-a-20000", nested_pasted("text", NESTED["a-20000"], "a-20000"))
    add("nested-markup", "text-p-b-30000", nested_pasted("text", NESTED["p-b-30000"], "p-b-30000"))

    add("bombs", "docx-control", docx_control)
    for key in BOMBS:
        add("bombs", key, bomb_upload(key), bomb_prepare(key))
    add("bombs", "docx-missing-document-xml", docx_missing_document)
    add("bombs", "docx-zip-in-zip", docx_zip_in_zip)

    add("concurrency", "concurrent-post-jobs-3-users", concurrent_jobs)
    add("concurrency", "concurrent-draft-submits", concurrent_submits)
    add("concurrency", "concurrent-submits-same-draft", concurrent_same_submit)
    add("concurrency", "concurrent-variant-edits", concurrent_variant_edits)

    add("cancelled", "cancelled-requests-100", cancelled_requests)
    add("cancelled", "after-cancellations-still-serving", after_cancellations)
    return cases
