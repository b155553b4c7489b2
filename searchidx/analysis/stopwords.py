"""German stop words: Whoosh's German list, folded like every other token."""
from __future__ import annotations

from whoosh.lang.stopwords import stoplists

from .fold import fold

GERMAN = frozenset(stoplists["de"]) | frozenset(fold(w) for w in stoplists["de"])
