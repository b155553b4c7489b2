"""How one query word becomes a query: the word itself, or its compound parts
together, or its hyphen parts together, or the hyphenated word written joined.

    Waffenlieferungen -> waffenliefer OR (waff AND liefer)^0.6
    Kim-Regime        -> (kim AND regim) OR kimregim
    Wagenknecht       -> wagenknecht OR (wag AND knecht)^0.6

Requiring all parts keeps a name like `Wagenknecht` from matching every `Wagen`.
"""
from __future__ import annotations

from whoosh import query as Q

PARTS_BOOST = 0.6


def alternatives(analyzer, word: str) -> list[tuple[list[str], float]]:
    """(terms that must all match, boost) for each way the index may hold `word`."""
    primaries: list[str] = []
    parts: dict[int, list[str]] = {}
    joined: list[str] = []
    last_primary = -1
    for t in analyzer(word, positions=True, mode="index"):
        if t.stopped:
            continue
        if not t.variant:
            primaries.append(t.text)
            last_primary = t.pos
        elif t.pos == last_primary:
            parts.setdefault(len(primaries) - 1, []).append(t.text)
        else:
            joined.append(t.text)  # the joined form comes before the first part
    if not primaries:
        return []
    out = [(primaries, 1.0)]
    if len(primaries) == 1 and 0 in parts:
        out.append((parts[0], PARTS_BOOST))
    out += [([j], 1.0) for j in joined]
    return out


MAX_CACHED = 100_000  # words; cleared when full


class WordForms:
    """Analyses remembered per word for one analyzer: a query word is analysed
    for the typo check, the spacing variants and once per field, spacing
    variants try every split of a word, and batch queries share words.
    Values are shared: never change them."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self._alternatives: dict[str, list[tuple[list[str], float]]] = {}
        self._query_terms: dict[str, tuple[str, ...]] = {}

    def alternatives(self, word: str) -> list[tuple[list[str], float]]:
        alts = self._alternatives.get(word)
        if alts is None:
            alts = _remember(self._alternatives, word, alternatives(self.analyzer, word))
        return alts

    def query_terms(self, word: str) -> tuple[str, ...]:
        """The terms of `word` as a phrase query sees them (no parts, no stop words)."""
        terms = self._query_terms.get(word)
        if terms is None:
            terms = _remember(self._query_terms, word,
                              tuple(t.text for t in self.analyzer(word, mode="query")))
        return terms


def _remember(cache: dict, key, value):
    if len(cache) >= MAX_CACHED:
        cache.clear()
    cache[key] = value
    return value


def word_query(analyzer, fieldname: str, word: str, boost: float = 1.0,
               forms: WordForms | None = None):
    """`forms`: a WordForms for `analyzer`, to reuse its analyses."""
    alts = forms.alternatives(word) if forms is not None else alternatives(analyzer, word)
    if not alts:
        return None
    queries = []
    for terms, b in alts:
        qs = [Q.Term(fieldname, t) for t in dict.fromkeys(terms)]
        q = qs[0] if len(qs) == 1 else Q.And(qs)
        q.boost = b
        queries.append(q)
    q = queries[0] if len(queries) == 1 else Q.Or(queries)
    q.boost *= boost
    return q
