"""Builders for hostile files and tokens, made in memory with the standard library.

Every builder streams its compressed output so that the suite itself never holds the
decompressed size (hundreds of MiB) in memory: the point is to see what the server does
with the bomb, not to run the test machine out of memory first.
"""

import base64
import hashlib
import hmac
import io
import json
import re
import time
import uuid
import zipfile
import zlib
from pathlib import Path

# The smallest parts a word processor needs to call a .docx a document.
CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
ROOT_RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)
DOCUMENT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOCUMENT_TAIL = "</w:body></w:document>"


def _docx_skeleton(zf: zipfile.ZipFile) -> None:
    zf.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
    zf.writestr("_rels/.rels", ROOT_RELS_XML)


def small_docx(text: str = "A small, ordinary paragraph about baking bread at home.") -> bytes:
    """A valid one-paragraph .docx: the control for the malformed ones."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        _docx_skeleton(zf)
        zf.writestr("word/document.xml", f"{DOCUMENT_HEAD}<w:p><w:r><w:t>{text}</w:t></w:r></w:p>{DOCUMENT_TAIL}")
    return buffer.getvalue()


def docx_bomb(compressed_target: int = 1 << 20) -> tuple[bytes, int]:
    """A .docx whose word/document.xml is one <w:t> run of repeated text.

    Deflate compresses a repeated 1 KiB block about 1000:1, so ~1 MiB of zip expands to
    ~1 GiB of XML. The entry is written chunk by chunk (zip64) and we stop once the
    compressed size reaches the target. Returns (bytes, uncompressed size of the XML).
    """
    chunk = ("bomb text " * 6554).encode()  # ~64 KiB of highly compressible text
    buffer = io.BytesIO()
    written = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _docx_skeleton(zf)
        with zf.open("word/document.xml", "w", force_zip64=True) as entry:
            head = (DOCUMENT_HEAD + "<w:p><w:r><w:t>").encode()
            entry.write(head)
            written += len(head)
            # Bounded: at most 2 GiB of XML whatever the compression ratio turns out to be.
            for _ in range((2 << 30) // len(chunk)):
                entry.write(chunk)
                written += len(chunk)
                if buffer.tell() >= compressed_target:
                    break
            tail = ("</w:t></w:r></w:p>" + DOCUMENT_TAIL).encode()
            entry.write(tail)
            written += len(tail)
    return buffer.getvalue(), written


def docx_with_entries(entries: dict[str, bytes | str], skeleton: bool = True) -> bytes:
    """A zip named like a .docx holding exactly the given entries (plus the skeleton)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        if skeleton:
            _docx_skeleton(zf)
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def docx_billion_laughs() -> bytes:
    """word/document.xml declaring nested entities (the classic "billion laughs")."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{("&lol%d;" % (level - 1)) * 10}">')
    xml = (
        '<?xml version="1.0"?><!DOCTYPE w:document [' + "".join(entities) + "]>"
        + DOCUMENT_HEAD.split("?>", 1)[1]
        + "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
        + DOCUMENT_TAIL
    )
    return docx_with_entries({"word/document.xml": xml})


def docx_deep_xml(depth: int = 100_000) -> bytes:
    """word/document.xml nesting <w:p> elements `depth` levels deep."""
    xml = DOCUMENT_HEAD + "<w:p>" * depth + "<w:r><w:t>deep</w:t></w:r>" + "</w:p>" * depth + DOCUMENT_TAIL
    return docx_with_entries({"word/document.xml": xml})


def pdf_bomb(expanded_bytes: int = 200 << 20, content: str = "text") -> tuple[bytes, int]:
    """A one-page PDF whose content stream inflates to `expanded_bytes`.

    `content` is "text" (repeated show-text operators, which an extractor turns into text)
    or "zeros" (NUL bytes). The stream is compressed with zlib level 9 through a streaming
    compressobj, so only the compressed bytes (~200 KiB) are ever held.
    """
    if content == "text":
        block = b"BT /F1 12 Tf 72 712 Td (All work and no play makes a dull bomb) Tj ET\n" * 900
    else:
        block = bytes(64 * 1024)
    compressor = zlib.compressobj(9)
    parts = []
    produced = 0
    for _ in range(expanded_bytes // len(block) + 1):  # bounded by the target size
        if produced >= expanded_bytes:
            break
        parts.append(compressor.compress(block))
        produced += len(block)
    parts.append(compressor.flush())
    stream = b"".join(parts)

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue(), produced


def multipart(
    field: str, file_name: str, data: bytes, content_type: str = "application/octet-stream"
) -> tuple[bytes, str]:
    """A multipart/form-data body with one file field; returns (body, content-type header)."""
    boundary = "----hostile" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{file_name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_hs256(claims: dict, secret: str) -> str:
    """A compact HS256 JWT, signed like the server signs its access tokens."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def ghost_token(secret: str, role: str = "user", issuer: str = "kyros") -> str:
    """A valid-looking access token for a random user id that was never registered."""
    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "role": role, "iss": issuer, "iat": now, "exp": now + 600}
    return sign_hs256(claims, secret)


def development_jwt_secret(repo_root: Path) -> str | None:
    """The development signing key, read from the server's config source (never printed)."""
    config = repo_root / "backend" / "crates" / "server" / "src" / "config.rs"
    try:
        match = re.search(r'DEV_JWT_SECRET:\s*&str\s*=\s*"([^"]+)"', config.read_text())
    except OSError:
        return None
    return match.group(1) if match else None


def teredo_address(server: str, client_ipv4: str, flags: int = 0x8000, port: int = 0x9c40) -> str:
    """A Teredo address (2001:0::/32) wrapping `client_ipv4`.

    RFC 4380: the last 32 bits hold the client's IPv4 address XOR 0xffffffff and the
    16 bits before them the port XOR 0xffff.
    """
    def ipv4_int(text: str) -> int:
        a, b, c, d = (int(part) for part in text.split("."))
        return (a << 24) | (b << 16) | (c << 8) | d

    s = ipv4_int(server)
    obfuscated = ipv4_int(client_ipv4) ^ 0xFFFFFFFF
    groups = [0x2001, 0x0000, s >> 16, s & 0xFFFF, flags, port ^ 0xFFFF, obfuscated >> 16, obfuscated & 0xFFFF]
    return ":".join(f"{group:x}" for group in groups)
