"""Reading one corpus file into articles, and its content hash."""
from __future__ import annotations

import hashlib
from typing import Callable

from ..model import Article
from . import formats
from .decode import BinaryContent
from .formats import jsonl
from .scan import CorpusFile


class SkipFile(Exception):
    """This file cannot be read as articles; the message says why."""


def _hasher(data: bytes = b""):
    return hashlib.blake2b(data, digest_size=16)


def digest(f: CorpusFile) -> str:
    """Content hash of the file, read in blocks."""
    h = _hasher()
    try:
        with open(f.path, "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror}") from e
    return h.hexdigest()


class _Hashing:
    """A binary file read line by line, hashing what is read."""

    def __init__(self, fh):
        self.fh, self.hash = fh, _hasher()

    def readline(self, size: int = -1) -> bytes:
        line = self.fh.readline(size)
        self.hash.update(line)
        return line


def read_articles(f: CorpusFile, max_bytes: int,
                  warn: Callable[[str], None]) -> tuple[list[Article], str, int]:
    """Parse one file into articles; also the digest of the bytes parsed (a
    second read could see a newer version), and how many of its records were
    skipped. Raises SkipFile with the reason."""
    try:
        if f.is_jsonl:
            with open(f.path, "rb") as fh:
                stream, skipped = _Hashing(fh), [0]
                articles = list(jsonl.read_stream(stream, f.article_id, f.display_path,
                                                  max_bytes, warn, skipped))
                return articles, stream.hash.hexdigest(), skipped[0]
        if f.size > max_bytes:
            raise SkipFile(f"larger than the {_mb(max_bytes)} article size limit "
                           f"({_mb(f.size)}); raise --max-size to index it")
        with open(f.path, "rb") as fh:
            # Read what stat saw, plus what the file may have grown by, up to the limit.
            data = fh.read(f.size + 1)
            if len(data) > f.size:
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as e:
        raise SkipFile(f"cannot read: {e.strerror}") from e
    if len(data) > max_bytes:  # grew since it was listed
        raise SkipFile(f"larger than the {_mb(max_bytes)} article size limit")
    try:
        return (formats.parse_text_file(data, f.article_id, f.display_path, warn),
                _hasher(data).hexdigest(), 0)
    except BinaryContent as e:
        raise SkipFile(f"binary file skipped ({e})") from e


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
