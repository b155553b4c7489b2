"""`title:`, `kicker:`, `lead:` and `caption:` queries search one part of the
`head` field: they find exactly the articles with the word in that part,
whatever the query shape (word, compound, phrase, prefix, fuzzy, `*`)."""
from __future__ import annotations

import re

import pytest

from searchidx.analysis import words


def _terms(text: str) -> set[str]:
    return set(words.german().positions(text))


def _findable(word: str) -> set[str]:
    """The terms a word finds: its own, and as a part of compounds (`_hand`)."""
    return _terms(word) | {"_" + t for t in _terms(word)}


@pytest.fixture(scope="module")
def articles(searcher):
    return [searcher._article(d) for d in range(searcher.reader.max_doc)]


def _found(searcher, query: str) -> set[str]:
    result = searcher.search(query, limit=5000, correct=False)
    assert result.total == len(result.hits)
    return {h.id for h in result.hits}


def _title_words(articles, n: int) -> list[str]:
    """Words of the titles that analyse to one term (no compound parts), and
    that also occur outside the titles, so that a miss would show."""
    words = []
    for art in articles[::7]:
        for w in re.findall(r"[^\W\d_]{4,}", art.title):
            if len(_terms(w)) == 1 and w not in words:
                words.append(w)
                break
    return words[:n]


def test_title_words_find_exactly_the_articles_with_them_in_the_title(searcher, articles):
    words = _title_words(articles, 25)
    assert len(words) == 25
    for word in words:
        (term,) = _terms(word)
        # the word, or a compound with it as a part (`_wahl` in Landtagswahlen)
        want = {a.id for a in articles if {term, "_" + term} & _terms(a.title)}
        assert _found(searcher, f"title:{word}") == want, word
        # the word also occurs elsewhere: a default search finds more
        assert want <= _found(searcher, word)


def test_each_part_is_searched_on_its_own(searcher, articles):
    taz = next(a for a in articles if a.kicker and a.lead and a.image_caption)
    parts = {"title": taz.title, "kicker": taz.kicker, "lead": taz.lead,
             "caption": taz.image_caption}
    missed = set()
    for field, text in parts.items():
        for word in re.findall(r"[^\W\d_]{3,}", text):
            if len(_terms(word)) != 1:
                continue
            assert taz.id in _found(searcher, f"{field}:{word}"), (field, word)
            for other, other_text in parts.items():
                if not _findable(word) & _terms(other_text):
                    assert taz.id not in _found(searcher, f"{other}:{word}"), (other, word)
                    missed.add(other)
    assert missed == set(parts)  # every part was asked for a word it lacks


def test_compounds_and_aliases(searcher, articles):
    for field, alias in [("title", "titel"), ("image_caption", "bild"), ("kicker", "dachzeile")]:
        arts = [a for a in articles if getattr(a, field)]
        word = next(w for a in arts for w in re.findall(r"[^\W\d_]{5,}", getattr(a, field))
                    if len(_terms(w)) == 1)
        assert _found(searcher, f"{alias}:{word}") == _found(searcher, f"{field.replace('image_', '')}:{word}")
    # a compound finds its parts within the part
    assert _found(searcher, "title:Waffenlieferungen") == {
        a.id for a in articles if {"waff", "liefer"} <= _terms(a.title) or "waffenliefer" in _terms(a.title)}


def test_phrases_stay_within_the_part(searcher, articles):
    art = next(a for a in articles if len(re.findall(r"[^\W\d_]{4,}", a.title)) >= 3 and a.lead)
    first, second = re.findall(r"[^\W\d_]{4,}", art.title)[:2]
    title_words = art.title.split()
    i = title_words.index(first)
    if title_words[i + 1] != second:  # two adjacent words of the title
        first, second = title_words[i], title_words[i + 1]
    assert art.id in _found(searcher, f'title:"{first} {second}"')
    assert art.id not in _found(searcher, f'lead:"{first} {second}"') or \
        f"{first} {second}" in art.lead
    # the title's last word and the lead's first word are not a phrase
    last = art.title.split()[-1]
    lead_first = next(w for w in art.lead.split() if _terms(w))
    assert art.id not in _found(searcher, f'title:"{last} {lead_first}"')


def test_prefix_fuzzy_and_every(searcher, articles):
    want = {a.id for a in articles if any(t.startswith("rak") for t in _terms(a.title))}
    assert want and _found(searcher, "title:Rak*") == want
    assert _found(searcher, "title:K?ieg") == {
        a.id for a in articles if any(re.fullmatch("k.ieg", t) for t in _terms(a.title))} != set()
    traktor = {a.id for a in articles if "traktor" in _terms(a.title)}
    assert traktor and _found(searcher, "title:Trakor~") >= traktor
    # a word finds the compounds it ends (Raketen: Atomraketen), fuzzy or not
    raketen = {a.id for a in articles if _terms(a.title) & {"raket", "_raket"}}
    assert raketen and _found(searcher, "title:Raketen") == raketen
    assert _found(searcher, "title:Rakten~") >= raketen
    with_kicker = {a.id for a in articles if a.kicker}
    assert with_kicker and _found(searcher, "kicker:*") == with_kicker
    assert _found(searcher, "Raketen -kicker:*") == _found(searcher, "Raketen") - with_kicker


def test_part_queries_combine_with_others(searcher, articles):
    words = _title_words(articles, 2)
    a, b = (_found(searcher, f"title:{w}") for w in words)
    assert _found(searcher, f"title:{words[0]} OR title:{words[1]}") == a | b
    assert _found(searcher, f"title:({words[0]} OR {words[1]})") == a | b
    assert _found(searcher, f"{words[0]} -title:{words[0]}") == _found(searcher, words[0]) - a
    assert _found(searcher, f"title:{words[0]} AND body:{words[0]}") <= a
