"""The word pattern, stated plainly: numbers with separators, or runs of
letters and digits joined by apostrophes and hyphens (tokenize.WORD is the
same pattern with possessive quantifiers, which only make it faster)."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from searchidx.analysis.tokenize import _HYPHENS, WORD

_PLAIN = re.compile(r"\d+(?:[.,:/]\d+)+"
                    rf"|[^\W_]+(?:['’]?[^\W_]+)*(?:[{_HYPHENS}][^\W_]+(?:['’][^\W_]+)*)*")


@settings(max_examples=500)
@given(st.text(alphabet="aZäß19_'’-\u2013.,:/ \n", max_size=30))
def test_word_pattern_finds_what_the_plain_pattern_finds(text):
    assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in _PLAIN.finditer(text)]
