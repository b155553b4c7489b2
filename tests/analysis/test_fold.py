"""Folding, stated as the rule it implements: umlauts and ß to a, o, u, ss, then
drop the `e` of ae/oe, and of ue unless a vowel or q precedes the u."""
from __future__ import annotations

import re

from hypothesis import given, strategies as st

from searchidx.analysis.fold import fold

_RULE = re.compile(r"(?<![aeiouyq])ue|ae|oe")
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})


def _by_rule(word: str) -> str:
    return _RULE.sub(lambda m: m.group(0)[0], word.translate(_UMLAUTS))


@given(st.text(alphabet="aeiouyqäöüßẞbn", max_size=12))
def test_fold_follows_the_rule(word):
    assert fold(word) == _by_rule(word)


def test_fold_on_real_vocabulary():
    words = ["muenchen", "quelle", "bauen", "neuen", "goethe", "aeoe", "ueue", "queue",
             "treue", "aue", "zuerst", "duell", "israel", "poet", "maestro", "weltraumbahnhöfe"]
    assert [fold(w) for w in words] == [_by_rule(w) for w in words]
