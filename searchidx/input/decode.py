"""Bytes to text for corpus files: UTF-8 (with or without BOM), UTF-16 with
a BOM (what Windows editors save as "Unicode"), then Windows-1252 for legacy
German text; binary content is refused."""
from __future__ import annotations

import re
from typing import NamedTuple


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we read."""


class Decoded(NamedTuple):
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be" or "cp1252"


# Control characters that do not occur in text files (tab, LF, FF, CR do).
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))
_CONTROL_TABLE = bytes.maketrans(b"", b"")

UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# What other bytes become when read as UTF-16: controls, U+FFFD for halves of
# surrogate pairs, private-use letters. Text has almost none of them.
_NOT_UTF16_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd\ue000-\uf8ff]")


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes, normalising CRLF and CR line endings to LF."""
    for bom, encoding in UTF16_BOMS:  # (before the NUL test: UTF-16 text is full of NULs)
        if data.startswith(bom):
            return _text(_utf16(data[2:], encoding), encoding)
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
    return _text(text, encoding)


def _utf16(data: bytes, encoding: str) -> str:
    text = data.decode(encoding, errors="replace")  # (an odd last byte: one U+FFFD)
    if len(_NOT_UTF16_TEXT.findall(text)) > max(8, len(text) // 100):
        raise BinaryContent("not text, although it starts like UTF-16")
    return text


def _text(text: str, encoding: str) -> Decoded:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Stray byte-order marks (doubled, or after a space) are not text.
    text = text.replace("\ufeff", "")
    return Decoded(text, encoding)
