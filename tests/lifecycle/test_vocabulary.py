"""The spelling vocabulary (vocab.tsv) holds every word of the indexed texts,
lowercase, with how often it occurs, whether one process or several built it."""
from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest

from searchidx import Index

from support import PLAIN_SEED, TAZ_SEED, WIKINEWS, vocabulary_of

_WORD = re.compile(r"[^\W\d_]{3,40}")
TEXTS = ("title", "kicker", "lead", "image_caption", "body", "location")


def _expected(ix: Index) -> Counter:
    counts: Counter = Counter()
    s = ix.searcher()
    for d in range(s.reader.max_doc):
        art = s._article(d)
        for text in [getattr(art, name) for name in TEXTS] + art.tags + art.authors:
            counts.update(_WORD.findall(text.lower()))
    return counts


@pytest.mark.parametrize("jobs", [1, 2])
def test_vocabulary_counts_the_words_of_the_indexed_texts(tmp_path, jobs):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for src in (TAZ_SEED, PLAIN_SEED, WIKINEWS):
        shutil.copy(src, corpus / src.name)
    with Index(str(tmp_path / "ix")) as ix:
        assert ix.index([str(corpus)], jobs=jobs).added == 1000
        vocab = vocabulary_of(ix)
        assert vocab == _expected(ix)
        assert vocab["putin"] > 10 and "Putin" not in vocab
