"""Query terms widened by what the index holds: name and genitive forms the
stemmer leaves alone (`Nordkorea` <-> `Nordkoreas`, `Kim` <-> `Kims`)."""
from __future__ import annotations

from whoosh import query as Q

from .. import engine

_TEXT_FIELDS = set(engine.DEFAULT_FIELDS)
VARIANT_BOOST = 0.8
MAX_FUZZY_EDITS = 2  # `word~9` would walk most of the lexicon


def expand(q: Q.Query, doc_frequency) -> Q.Query:
    """`doc_frequency(field, text)`: how many documents hold a term."""
    def visit(node):
        if type(node) is Q.Term and node.fieldname in _TEXT_FIELDS:
            node = _with_variants(node, doc_frequency)
        elif isinstance(node, Q.FuzzyTerm) and node.maxdist > MAX_FUZZY_EDITS:
            node.maxdist = MAX_FUZZY_EDITS
        if isinstance(node, Q.Or):
            # Whoosh's automatic choice preloads small indexes into arrays it
            # allocates element by element per Or: most of a query's time here.
            node.matcher_type = Q.Or.DEFAULT_MATCHER
        return node

    return q.accept(visit)


def _with_variants(term: Q.Term, doc_frequency) -> Q.Query:
    text = term.text
    if not isinstance(text, str) or len(text) < 3 or text[-1].isdigit():
        return term
    candidates = [text[:-1]] if text.endswith("s") and not text.endswith("ss") else [text + "s"]
    variants = [Q.Term(term.fieldname, v, boost=term.boost * VARIANT_BOOST)
                for v in candidates if doc_frequency(term.fieldname, v)]
    return Q.Or([term] + variants) if variants else term
