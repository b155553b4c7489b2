"""Typo correction: the nearest known word, as over the whole vocabulary."""
import random

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from searchidx import Index
from searchidx.analysis.fold import fold
from searchidx.analysis.stopwords import GERMAN
from searchidx.query.rewrites import spelling


def _reference_choices(vocab):
    by_fold = {}
    for w, count in vocab.items():
        entry = by_fold.setdefault(fold(w), [w, count, 0])
        entry[2] += count
        if count > entry[1]:
            entry[0], entry[1] = w, count
    return by_fold


def _reference_closest(by_fold, is_known, word):
    """The plain algorithm: every folded word, the top 20 by rapidfuzz (never a stop word)."""
    keys = list(by_fold)
    limit = spelling.max_edits(word)
    if not limit:
        return None
    found = process.extract(fold(word.lower()), keys, scorer=OSA.distance,
                            score_cutoff=limit, limit=20)
    best = None
    for _, dist, i in found:
        spelling_, _, total = by_fold[keys[i]]
        rank = (dist, -total)
        if (best is None or rank < best[0]) and is_known(spelling_) \
                and spelling_.lower() not in GERMAN:
            best = (rank, spelling_)
    return None if best is None else (spelling._match_case(best[1], word), best[0][0])


def _typos(words, rnd):
    for w in words:
        i = rnd.randrange(len(w))
        yield rnd.choice([w[:i] + w[i + 1:], w[:i] + "e" + w[i:], w[:i] + w[i:i + 2][::-1] + w[i + 2:],
                          w[:i] + "x" + w[i + 1:], w.capitalize(), w + "n"])


@pytest.mark.parametrize("known", ["all", "some"])
def test_closest_equals_the_whole_vocabulary_search(news_index, known):
    with Index(str(news_index)) as ix:
        vocab = ix.searcher()._vocabulary()
    # some: a deterministic half of the words, so ties among the 20 nearest matter
    is_known = (lambda w: True) if known == "all" else (lambda w: sum(map(ord, w)) % 2 == 0)
    corrector = spelling.Corrector(lambda: vocab, is_known)
    rnd = random.Random(6)
    words = rnd.sample(sorted(vocab), 300) + ["ab", "Pjöngjnag", "Rakten", "Muenchen", "Strasse"]
    by_fold = _reference_choices(vocab)
    for typo in list(_typos(words, rnd)) + words:
        assert corrector._closest(typo) == _reference_closest(by_fold, is_known, typo), typo


def test_empty_vocabulary(tmp_path):
    assert spelling.Corrector(dict, lambda w: True)._closest("Beispiel") is None

