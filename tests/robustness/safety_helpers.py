"""Helpers for the safety tests (issue 19): a small index built once and
copied per test, and damaging its files."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from searchidx import Index

from robust_helpers import copy_seeds

WORD = "Zitronenfalter"  # in three articles of the small corpus


def make_corpus(c: Path) -> Path:
    copy_seeds(c)
    for i, text in enumerate(["Der Zitronenfalter fliegt über die Wiese.",
                              "Ein Zitronenfalter sitzt auf der Blüte, der Schmetterling ruht.",
                              "Zitronenfalter und Tagpfauenauge im Garten.",
                              "Der Bundestag berät über das Wetter."]):
        (c / f"art{i}.txt").write_text(f"Titel {i}\n\n{text}\n", encoding="utf-8")
    return c


def build(base: Path) -> tuple[Path, Path]:
    """(corpus, index): two commits, so the live generation has two segments
    and a deletions file."""
    corpus = make_corpus(base / "corpus")
    ix = base / "index"
    with Index(str(ix)) as index:
        index.index([str(corpus)], jobs=1)
        (corpus / "art3.txt").write_text("Titel 3\n\nDer Bundestag berät über den Sturm.\n",
                                         encoding="utf-8")
        (corpus / "art4.txt").write_text("Titel 4\n\nNoch ein Zitronenfalter.\n", encoding="utf-8")
        index.index([str(corpus)], jobs=1)
    return corpus, ix


def gen_of(ix: Path) -> Path:
    return ix / (ix / "CURRENT").read_text().split()[0]


def segment_files(ix: Path, suffix: str) -> list[Path]:
    return sorted(p for p in gen_of(ix).iterdir() if p.name.startswith("s") and p.name.endswith(suffix))


def array_span(dat: Path, name: str) -> tuple[int, int]:
    """(offset, bytes) of an array of a segment's data file."""
    import numpy as np

    meta = json.loads(dat.with_suffix(".json").read_text())
    off, dtype, count, _ = meta["arrays"][name]
    return off, count * np.dtype(dtype).itemsize


def flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def files(ix: Path) -> dict[str, bytes]:
    """Every file of an index folder but the lock, with its contents."""
    return {str(p.relative_to(ix)): p.read_bytes() for p in sorted(ix.rglob("*"))
            if p.is_file() and p.name != "writer.lock"}


def copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def total(ix: Path, query: str = WORD) -> int:
    with Index(str(ix)) as index:
        return index.search(query).total


def env_without_index() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("SEARCHIDX_DEBUG", "SEARCHIDX_INDEX")}
