"""Checksums of the files an index writes, and the error naming a damaged one.

Every file carries a CRC-32 of its contents: JSON files (segment
descriptions, a generation's meta.json) a `crc32` key over the rest of the
object, text files (CURRENT, the vocabulary) a checksum line, array files
one per array in their directory. A reader that finds a checksum wrong, or a
file cut short or garbled, raises Damaged with the file's path, so the user
is told which file is damaged rather than getting a wrong answer.

Files are written beside their final name, synced, and renamed over it
(write_atomic): a crash leaves the old file or the new one, and a full disk
leaves neither a half-written file nor an error without a path.
"""
from __future__ import annotations

import json
import os
import zlib


class Damaged(ValueError):
    """An index file whose contents are not what was written: `path` names it."""

    def __init__(self, path: str, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


def crc(data: bytes) -> int:
    return zlib.crc32(data)


def _canonical(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(body: dict) -> dict:
    """`body` with a `crc32` key over the rest (as canonical JSON)."""
    return {**body, "crc32": crc(_canonical(body))}


def unseal(data, path: str) -> dict:
    """The body of a sealed object; Damaged if it is not one or its checksum is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("crc32"), int):
        raise Damaged(path, "no checksum")
    body = {k: v for k, v in data.items() if k != "crc32"}
    if crc(_canonical(body)) != data["crc32"]:
        raise Damaged(path, "checksum mismatch")
    return body


def parse_json(raw: bytes, path: str):
    """JSON from bytes; Damaged if they are not UTF-8 JSON."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise Damaged(path, f"not JSON ({type(e).__name__})") from None


def read_json(path: str) -> dict:
    """A sealed JSON file's body (FileNotFoundError if it is missing)."""
    with open(path, "rb") as f:
        raw = f.read()
    return unseal(parse_json(raw, path), path)


def write_json(path: str, body: dict) -> None:
    write_atomic(path, json.dumps(seal(body), separators=(",", ":"), ensure_ascii=False).encode())


def line(text: str) -> str:
    """`text` (one line, no tab) followed by its checksum: `text<TAB>crc32`."""
    return f"{text}\t{crc(text.encode()):08x}\n"


def check_line(raw: bytes, path: str) -> str:
    """The text of a file written as line(text); Damaged otherwise."""
    try:
        text, _, digest = raw.decode("utf-8").rstrip("\n").rpartition("\t")
    except UnicodeDecodeError:
        raise Damaged(path, "not UTF-8 text") from None
    if not digest or digest != f"{crc(text.encode()):08x}":
        raise Damaged(path, "checksum mismatch")
    return text


def write_atomic(path: str, data: bytes) -> None:
    """Writes `data` to `path` atomically: beside it, synced, renamed over it.
    On failure the file beside is removed and the OSError names `path`."""
    tmp = path + ".tmp"  # (one writer at a time: the writer lock)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        remove(tmp)
        raise with_path(e, path) from None
    except BaseException:
        remove(tmp)
        raise


def with_path(error: OSError, path: str) -> OSError:
    """`error` naming `path` if it names no file (a write to an open file names none)."""
    if error.filename or error.errno is None:
        return error
    return OSError(error.errno, error.strerror or str(error), path)


def remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
