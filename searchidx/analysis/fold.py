"""German spelling folding: one canonical spelling for umlauts, their ASCII
transliterations and ß, so `Muenchen`, `München` and `Munchen` meet.

The rules follow Lucene's GermanNormalizationFilter (the German2 snowball
heuristics): ä/ö/ü -> a/o/u, ß -> ss, ae/oe -> a/o, and ue -> u unless a
vowel or `q` precedes the `u` (`Quelle`, `bauen`, `neuen` keep their `ue`).
Input is expected lowercase.
"""
import re

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})
_DIGRAPHS = re.compile(r"(?<![aeiouyq])ue|ae|oe")


def fold(word: str) -> str:
    """Return the canonical spelling of a lowercase German word."""
    if word.isascii() and "e" not in word:
        return word
    return _DIGRAPHS.sub(lambda m: m.group(0)[0], word.translate(_UMLAUTS))
