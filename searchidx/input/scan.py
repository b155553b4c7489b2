"""Finding article files under corpus roots, read-only.

Only files the readers know (`.txt`, `.jsonl`) are considered; others are
ignored quietly. Problems (dangling links, unreadable files, folders named like
files, binary or oversized content) become one warning each, never an error.
"""
from __future__ import annotations

import os
import stat
from array import array
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


class Scan:
    """The candidate files under the roots, column by column (a no-op run of
    a large archive creates no object per file): each file's key, name (its
    path below the root as the file system spells it), root, mtime and size."""

    def __init__(self, roots: list[str]):
        self.roots = roots
        self.keys: list[str] = []
        self.names: list[str] = []
        self.root_of = array("H")
        self.mtimes = array("q")
        self.sizes = array("q")

    def __len__(self) -> int:
        return len(self.keys)

    def file(self, i: int) -> CorpusFile:
        root = self.roots[self.root_of[i]]
        return CorpusFile(self.keys[i], root, os.path.join(root, self.names[i]),
                          self.mtimes[i], self.sizes[i])

    def __iter__(self) -> Iterator[CorpusFile]:
        return map(self.file, range(len(self)))


def scan(roots: list[str], warn: Callable[[str], None], follow_links: bool = False) -> Scan:
    """Every candidate file under the roots, in a stable order: a folder's
    files (sorted), then its folders (sorted).

    A link to a file is followed where it leads inside a root; a link leading
    outside is skipped with a warning (a corpus must not index /etc/passwd
    because someone linked it there), unless `follow_links`. A link to a
    folder of the corpus is not followed (its files are indexed where they
    are); to a folder outside, only with `follow_links`."""
    out = Scan([os.path.abspath(r) for r in roots])
    real_roots = [os.path.realpath(r) for r in out.roots]
    inside = tuple(r.rstrip(os.sep) + os.sep for r in real_roots)
    seen_dirs: set = set()
    for n, root in enumerate(out.roots):
        if os.path.isfile(root):
            parent = os.path.dirname(root)
            out.roots[n] = parent
            _files(out, n, parent, "", [os.path.basename(root)], warn, inside, follow_links, {})
            continue
        try:
            st = os.stat(root)
            seen_dirs.add((st.st_dev, st.st_ino))
        except OSError:
            pass
        _walk(out, n, root, "", warn, inside, follow_links, seen_dirs)
    return out


def _walk(out: Scan, n: int, folder: str, prefix: str, warn, inside, follow_links, seen_dirs):
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        warn(f"{readable_name(folder)}: cannot list folder: {e.strerror}")
        return
    files, dirs, links = [], [], {}
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            is_dir = e.is_dir(follow_symlinks=False)
            link = e.is_symlink()
        except OSError:
            continue
        if link:
            links[e.name] = os.path.realpath(e.path)
            try:
                is_dir = os.path.isdir(e.path)
            except OSError:
                is_dir = False
        if is_dir:
            if e.name.lower().endswith(formats.SUFFIXES):
                # folders named like article files would be skipped silently otherwise
                warn(f"{readable_name(e.path)}: is a folder, not an article file")
            dirs.append(e)
        elif e.name.lower().endswith(formats.SUFFIXES):
            files.append(e.name)
    _files(out, n, folder, prefix, files, warn, inside, follow_links, links)
    for e in dirs:
        target = links.get(e.name)
        if target is not None:
            if (target + os.sep).startswith(inside):
                continue  # a link to a folder of the corpus: indexed where it is
            if not follow_links:
                warn(f"{readable_name(e.path)}: a link to a folder outside the corpus "
                     f"({readable_name(target)}), skipped; --follow-links indexes it")
                continue
        try:
            st = os.stat(e.path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:  # a link back up: a cycle
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        _walk(out, n, e.path, prefix + e.name + "/", warn, inside, follow_links, seen_dirs)


def _files(out: Scan, n: int, folder: str, prefix: str, names: list[str], warn, inside,
           follow_links, links: dict):
    """Stats the files of one folder (relative to its descriptor: no path is
    joined or walked per file) and adds the regular ones."""
    if not names:
        return
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError as e:
        warn(f"{readable_name(folder)}: cannot list folder: {e.strerror}")
        return
    keys, fs_names, mtimes, sizes = out.keys, out.names, out.mtimes, out.sizes
    try:
        for name in names:
            target = links.get(name)
            if target is not None and not follow_links and not target.startswith(inside):
                warn(f"{readable_name(os.path.join(folder, name))}: a link to a file outside the "
                     f"corpus ({readable_name(target)}), skipped; --follow-links indexes it")
                continue
            try:
                st = os.stat(name, dir_fd=dfd)
            except FileNotFoundError:
                warn(f"{readable_name(os.path.join(folder, name))}: dangling symbolic link skipped")
                continue
            except OSError as e:
                warn(f"{readable_name(os.path.join(folder, name))}: cannot read: {e.strerror}")
                continue
            if not stat.S_ISREG(st.st_mode):
                warn(f"{readable_name(os.path.join(folder, name))}: not a regular file, skipped")
                continue
            rel = prefix + name
            keys.append(readable_name(rel))
            fs_names.append(rel)
            mtimes.append(st.st_mtime_ns)
            sizes.append(st.st_size)
    finally:
        os.close(dfd)
    out.root_of.extend([n] * (len(keys) - len(out.root_of)))
