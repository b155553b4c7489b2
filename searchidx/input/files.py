"""Reading one corpus file into articles, and its content hash."""
from __future__ import annotations

import codecs
import hashlib
from typing import Callable

from ..model import Article
from . import formats
from .decode import UTF16_BOMS, BinaryContent
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


class _Utf16Lines:
    """A UTF-16 file (after its byte-order mark) read line by line as UTF-8,
    hashing its bytes as they are read: a JSON Lines file saved as "Unicode"
    by a Windows editor is read record by record, as any other."""

    def __init__(self, fh, encoding: str, head: bytes):
        self.fh, self.hash = fh, _hasher(head)
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self.buf, self.pos, self.eof = "", 0, False

    def _fill(self) -> None:
        block = self.fh.read(1 << 16)
        self.hash.update(block)
        self.buf = self.buf[self.pos:] + self.decoder.decode(block, final=not block)
        self.pos, self.eof = 0, not block

    def readline(self, size: int = -1) -> bytes:
        while True:
            i = self.buf.find("\n", self.pos)
            if i >= 0 or self.eof or (size >= 0 and len(self.buf) - self.pos > size):
                break
            self._fill()
        end = i + 1 if i >= 0 else len(self.buf)
        if size >= 0:  # (characters for bytes: a line cut here is told as too long)
            end = min(end, self.pos + size)
        line, self.pos = self.buf[self.pos:end], end
        return line.encode("utf-8", "surrogatepass")


def read_articles(f: CorpusFile, max_bytes: int,
                  warn: Callable[[str], None]) -> tuple[list[Article], str, int]:
    """Parse one file into articles; also the digest of the bytes parsed (a
    second read could see a newer version), and how many of its records were
    skipped. Raises SkipFile with the reason."""
    try:
        if f.is_jsonl:
            with open(f.path, "rb") as fh:
                head = fh.read(2)
                encoding = dict(UTF16_BOMS).get(head)
                if encoding:
                    stream = _Utf16Lines(fh, encoding, head)
                else:
                    fh.seek(0)
                    stream = _Hashing(fh)
                skipped = [0]
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
