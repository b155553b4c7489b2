"""Article readers, one module per input format, chosen by content.

`.txt` files are decoded and offered to each text format in turn
(taz gopher, plain dated, then generic text as the fallback); `.jsonl`
files hold many articles and are streamed record by record.
"""
from __future__ import annotations

from typing import Callable

from ...model import Article
from ..decode import decode
from . import generic, jsonl, plain_dated, taz_gopher

TEXT_FORMATS = (taz_gopher, plain_dated, generic)
SUFFIXES = (".txt", jsonl.SUFFIX)
FORMAT_NAMES = tuple(f.NAME for f in TEXT_FORMATS) + (jsonl.NAME,)


def parse_text_file(data: bytes, article_id: str, path: str,
                    warn: Callable[[str], None]) -> list[Article]:
    """Decode one text file's bytes and parse it with the first format that matches.

    Raises decode.BinaryContent for bytes that are not text."""
    decoded = decode(data)
    if decoded.encoding == "cp1252":
        warn(f"{path}: not UTF-8, read as Windows-1252")
    text = decoded.text
    if not text.strip():
        warn(f"{path}: empty file skipped")
        return []
    for fmt in TEXT_FORMATS:
        if fmt.matches(text):
            return fmt.read(text, article_id, path)
    raise AssertionError("generic matches everything")
