"""News JSON Lines: one article per line as a JSON object. The bundled sample
archive uses this form, and it is what export tools commonly produce.

Keys read: `id` (else the line number), `title`, `kicker`, `lead`, `text` or
`body`, `date`, `authors`/`author`, `tags`, `location`, `links`. Each record's
article id is the file's id plus `/` plus the record id, e.g. `wikinews/746`.
"""
from __future__ import annotations

import json
from typing import BinaryIO, Callable, Iterator

from ...model import Article, unique
from ..decode import BinaryContent, decode
from ..dates import parse_iso

NAME = "jsonl"
SUFFIX = ".jsonl"


def read_stream(stream: BinaryIO, file_id: str, path: str, max_bytes: int,
                warn: Callable[[str], None], skipped: list | None = None) -> Iterator[Article]:
    """Parse line by line, so a large dump is never held in memory whole.
    Each record skipped (with a warning) adds one to skipped[0]."""
    seen: set[str] = set()
    skipped = skipped if skipped is not None else [0]
    for lineno, raw in enumerate(_lines(stream, max_bytes, path, warn), start=1):
        if raw is None:
            skipped[0] += 1
            continue
        if not raw.strip():
            continue
        try:
            record = json.loads(decode(raw).text)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            record = _scrub(record, f"{path}:{lineno}", warn)
            art = _article(record, lineno, file_id, path)
        except (ValueError, BinaryContent, TypeError, RecursionError) as e:
            warn(f"{path}:{lineno}: skipped record: {_reason(e)}")
            skipped[0] += 1
            continue
        if art.id in seen:
            warn(f"{path}:{lineno}: skipped record: duplicate id {art.id}")
            skipped[0] += 1
            continue
        seen.add(art.id)
        yield art


def _lines(stream: BinaryIO, max_bytes: int, path: str, warn) -> Iterator[bytes | None]:
    lineno = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            warn(f"{path}:{lineno}: skipped record larger than {max_bytes} bytes")
            while line and not line.endswith(b"\n"):  # drain the rest of the line
                line = stream.readline(1 << 20)
            yield None
            continue
        yield line


def _article(r: dict, lineno: int, file_id: str, path: str) -> Article:
    rid = str(r.get("id", lineno)).strip() or str(lineno)
    authors = r.get("authors", r.get("author", []))
    return Article(
        id=f"{file_id}/{rid}", path=path, format=NAME,
        title=_text(r.get("title")), kicker=_text(r.get("kicker")), lead=_text(r.get("lead")),
        body=_text(r.get("text", r.get("body"))), location=_text(r.get("location")),
        date=parse_iso(_text(r.get("date"))[:10]),
        authors=unique(_text(a) for a in _list(authors)),
        tags=unique(_text(t) for t in _list(r.get("tags", []))),
        links=[{"number": i, "target": _text(t)} for i, t in enumerate(_list(r.get("links", [])), 1)],
    )


def _scrub(record: dict, where: str, warn) -> dict:
    """JSON may escape lone surrogates (\\ud800), which no file or index can hold."""
    blob = json.dumps(record, ensure_ascii=False)
    try:
        blob.encode("utf-8")
        return record
    except UnicodeEncodeError:
        warn(f"{where}: invalid characters (lone surrogates) replaced")
        return json.loads(blob.encode("utf-8", "replace").decode("utf-8"))


def _reason(e: Exception) -> str:
    if isinstance(e, RecursionError):
        return "nested too deeply"
    if isinstance(e, json.JSONDecodeError):
        return f"not valid JSON ({e.msg} at column {e.colno})"
    return str(e)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return str(value).replace("\r\n", "\n").strip()


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
