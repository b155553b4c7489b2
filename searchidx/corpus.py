"""Finding article files under corpus roots and reading them, read-only.

Only files the readers know (`.txt`, `.jsonl`) are considered; others are
ignored quietly. Problems (dangling links, unreadable files, folders named like
files, binary or oversized content) become one warning each, never an error.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from typing import Callable, Iterator

from . import readers
from .model import Article
from .decode import BinaryContent
from .readers import jsonl



@dataclass(frozen=True)
class CorpusFile:
    key: str      # posix path relative to its root, readable: the manifest key
    root: str     # absolute root folder
    path: str     # absolute path, as the file system has it (for opening)
    mtime_ns: int
    size: int

    @property
    def article_id(self) -> str:
        """The file's id: its relative path without the suffix."""
        return self.key.rsplit(".", 1)[0]

    @property
    def display_path(self) -> str:
        return readable_name(self.path)

    @property
    def is_jsonl(self) -> bool:
        return self.key.lower().endswith(jsonl.SUFFIX)


def readable_name(name: str) -> str:
    """File names that are not UTF-8 (old archives: Latin-1/Windows-1252) arrive
    with surrogate escapes; read them as Windows-1252 like legacy file contents."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("cp1252", errors="replace")


class SkipFile(Exception):
    """This file cannot be read as articles; the message says why."""


def scan(roots: list[str], warn: Callable[[str], None]) -> Iterator[CorpusFile]:
    """Every candidate file under the roots, in a stable order."""
    for root in roots:
        root = os.path.abspath(root)
        if os.path.isfile(root):
            parent = os.path.dirname(root)
            yield from _candidates(parent, [os.path.basename(root)], root=parent, warn=warn)
            continue
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: warn(
                f"{e.filename}: cannot list folder: {e.strerror}")):
            dirnames.sort()
            # Folders named like article files would be skipped silently otherwise.
            for d in dirnames:
                if d.lower().endswith(readers.SUFFIXES):
                    warn(f"{readable_name(os.path.join(dirpath, d))}: is a folder, "
                         f"not an article file")
            yield from _candidates(dirpath, sorted(filenames), root=root, warn=warn)


def _candidates(dirpath, names, root, warn):
    # The keys' folder part once per folder (os.path.relpath per file was
    # a third of a no-op run's scan).
    folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
    folder = "" if folder == "." else folder + "/"
    for name in names:
        if not name.lower().endswith(readers.SUFFIXES) or name.startswith("."):
            continue
        path = os.path.join(dirpath, name)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            warn(f"{readable_name(path)}: dangling symbolic link skipped")
            continue
        except OSError as e:
            warn(f"{readable_name(path)}: cannot read: {e.strerror}")
            continue
        if not stat.S_ISREG(st.st_mode):
            warn(f"{readable_name(path)}: not a regular file, skipped")
            continue
        key = readable_name(folder + name)
        yield CorpusFile(key, root, path, st.st_mtime_ns, st.st_size)


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
                  warn: Callable[[str], None]) -> tuple[list[Article], str]:
    """Parse one file into articles; also the digest of the bytes parsed (a
    second read could see a newer version). Raises SkipFile with the reason."""
    try:
        if f.is_jsonl:
            with open(f.path, "rb") as fh:
                stream = _Hashing(fh)
                articles = list(jsonl.read_stream(stream, f.article_id, f.display_path,
                                                  max_bytes, warn))
                return articles, stream.hash.hexdigest()
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
        return (readers.parse_text_file(data, f.article_id, f.display_path, warn),
                _hasher(data).hexdigest())
    except BinaryContent as e:
        raise SkipFile(f"binary file skipped ({e})") from e


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
