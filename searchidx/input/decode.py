"""Bytes to text for corpus files: UTF-8 (with or without BOM), then
Windows-1252 for legacy German text; binary content is refused."""
from __future__ import annotations

from typing import NamedTuple


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we read."""


class Decoded(NamedTuple):
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"


# Control characters that do not occur in text files (tab, LF, FF, CR do).
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))
_CONTROL_TABLE = bytes.maketrans(b"", b"")


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes, normalising CRLF and CR line endings to LF."""
    if b"\x00" in data:
        raise BinaryContent("contains NUL bytes")
    controls = len(data) - len(data.translate(_CONTROL_TABLE, _CONTROL))
    if controls > max(8, len(data) // 100):
        raise BinaryContent("mostly control characters")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as e:  # the five bytes cp1252 leaves undefined
                raise BinaryContent("undecodable as UTF-8 or Windows-1252") from e
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Stray byte-order marks (doubled, or after a space) are not text.
    text = text.replace("\ufeff", "")
    return Decoded(text, encoding)
