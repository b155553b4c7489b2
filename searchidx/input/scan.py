"""Finding article files under corpus roots, read-only.

Only files the readers know (`.txt`, `.jsonl`) are considered; others are
ignored quietly. Problems (dangling links, unreadable files, folders named like
files, binary or oversized content) become one warning each, never an error.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import Callable, Iterator

from . import formats
from .formats import jsonl


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
                if d.lower().endswith(formats.SUFFIXES):
                    warn(f"{readable_name(os.path.join(dirpath, d))}: is a folder, "
                         f"not an article file")
            yield from _candidates(dirpath, sorted(filenames), root=root, warn=warn)


def _candidates(dirpath, names, root, warn):
    # The keys' folder part once per folder (os.path.relpath per file was
    # a third of a no-op run's scan).
    folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
    folder = "" if folder == "." else folder + "/"
    for name in names:
        if not name.lower().endswith(formats.SUFFIXES) or name.startswith("."):
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
