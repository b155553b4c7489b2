"""The analysis chains, composed in one place and used identically at index
and query time (Whoosh stores them in the schema)."""
from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, StopFilter

from .compounds import CompoundFilter
from .fold import fold
from .stem import GermanStemFilter
from .stopwords import GERMAN
from .tokenize import GermanTokenizer, pieces

# Bump when any analysis output changes: an index built with another version
# must be rebuilt (see searchidx.engine).
ANALYSIS_VERSION = 1


class FoldFilter(Filter):
    """Umlaut/ß folding without stemming, for names and tags."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def german_analyzer():
    """Article text: words, hyphen parts, stop words, compound parts, stems."""
    return (GermanTokenizer() | LowercaseFilter()
            | StopFilter(stoplist=GERMAN, minsize=1, renumber=False)
            | CompoundFilter() | GermanStemFilter())


def name_analyzer():
    """Authors, tags, places: exact words, case- and umlaut-insensitive."""
    return GermanTokenizer() | LowercaseFilter() | FoldFilter()


def word_terms(analyzer):
    """For the German chain, a function word -> (((term, relative position),
    ...), width) equal to running `analyzer` over that one word in index mode,
    without Whoosh's Token generators (3x faster on a corpus's distinct
    words; tests check it equals the chain). None for other analyzers."""
    if analyzer != german_analyzer():
        return None
    _, _, stop, compound, stem = analyzer.items
    stops, minsize, maxsize = stop.stops, stop.min, stop.max
    parts_of, stem_of = compound.lookup, stem.lookup

    def terms(word: str):
        ps = pieces(word)
        if len(ps) == 1:
            tokens = [(ps[0][0], 0)]
        else:  # the joined form, then each part (GermanTokenizer)
            tokens = [("".join(p for p, _, _ in ps), 0), *((p, i) for i, (p, _, _) in enumerate(ps))]
        out = []
        for text, pos in tokens:
            text = text.lower()
            if len(text) < minsize or (maxsize is not None and len(text) > maxsize) or text in stops:
                continue
            out.append((stem_of(text), pos))
            parts = parts_of(text)
            if parts:
                out.extend((stem_of(part), pos) for part in parts)
        return tuple(out), len(ps)

    return terms
