"""The analysis chains, composed in one place and used identically at index
and query time (Whoosh stores them in the schema)."""
from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, StopFilter

from .compounds import CompoundFilter
from .fold import fold
from .stem import GermanStemFilter
from .stopwords import GERMAN
from .tokenize import GermanTokenizer

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
