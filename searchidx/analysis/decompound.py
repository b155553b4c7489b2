"""German compound splitting (decompounding) for the analysis chain.

``Decompounder().split(word)`` takes a lowercase word already folded with
:func:`searchidx.analysis.fold.fold` and returns its parts, or ``()`` when the
word is not split: ``waffenlieferungen -> ('waffen', 'lieferungen')``,
``weltraumbahnhof -> ('weltraum', 'bahnhof')``, ``regierung -> ()``.

Method: Koehn & Knight (2003), "Empirical methods for compound splitting",
with the frequency lexicon ``searchidx/data/decompound_de.txt.gz`` (wordfreq
frequencies, nouns marked from Wiktionary; CC BY-SA 4.0, see
``searchidx/data/README.md``), plus precision filters:

* every part is a known word of length >= 3 and Zipf frequency >= 2.0; a part
  that is not a noun form must have >= 4 letters and Zipf >= 3.0;
* the last part (the head) must be a noun form: German compounds inherit the
  head's part of speech, and this keeps verbs and adjectives whole
  (``wahrscheinlich``, ``zurückgetreten``);
* a modifier may carry a linking element (Fugenelement) ``s es n en e er ens``
  or have lost its final ``e`` (``schul|buch`` from *Schule*; only for
  modifiers of >= 4 letters and ``erd``);
* closed-class words, verb particles and prefixes (``ab``, ``vor``, ``unter``,
  ``herum``, ``rück`` ...) are never parts, so prefix derivations such as
  ``vorschlag``, ``unternehmen``, ``rücktritt`` stay whole; nor are strings
  that look like derivational suffixes (``innen``, ``isch``, ``ung`` ...), so
  ``bürgerinnen`` is not ``bürger|innen``;
* among the candidate splits the one with the fewest parts wins, ties going
  to the highest geometric mean of part frequencies; the word is split only
  if that mean beats the frequency of the word itself (or of the word minus
  an inflection ending, so ``mitarbeiters`` counts as frequent as
  ``mitarbeiter``).  A lexicalised compound stays whole only when it is
  more frequent than its parts (``flughafen``, ``gegenteil``); ``bahnhof``
  gives ``bahn|hof``, ``krankenhaus`` ``kranken|haus`` and, wrongly for
  meaning, ``hochzeit`` ``hoch|zeit``: the whole word is always indexed too,
  so this costs a little precision for part queries, nothing for exact ones.

Returned parts: the head as it appears in the word; each modifier as it
appears in the word if that is itself a lexicon word (``waffen``,
``bundes``), otherwise with its linking element removed or its elided ``e``
restored (``arbeitsmarkt`` gives ``arbeit`` if ``arbeits`` is unknown,
``schulbuch`` gives ``schule``).  Either way snowball stemming maps both
spellings to the same stem in almost all cases.

Words of 4 characters or fewer and words containing anything but letters
(digits, hyphens) are never split.
"""
from __future__ import annotations

import gzip
import threading
from importlib import resources

from .fold import fold

__all__ = ["Decompounder", "load_lexicon"]

_DATA_PACKAGE = "searchidx.data"
_DATA_FILE = "decompound_de.txt.gz"

MIN_LEN = 5               # words shorter than this are never split
MIN_PART = 3              # shortest part (nouns); other parts need MIN_PART_NONNOUN
MIN_PART_NONNOUN = 4
MIN_ZIPF_NOUN = 20        # in tenths of Zipf
MIN_ZIPF_NONNOUN = 30
MAX_PARTS = 4

# linking elements that a modifier may carry; longest first for no reason but order
_LINKS = ("ens", "es", "en", "er", "s", "n", "e")
# endings stripped when looking up the whole word's own frequency
_INFLECTIONS = ("e", "en", "n", "s", "es", "er", "ern", "em", "nen", "se", "ses")

# closed-class words, verb particles, prefixes: never a part
_NOT_PARTS = frozenset(fold(w) for w in """
der die das des dem den ein eine einer eines einem einen und oder aber doch sondern
denn weil dass wenn als wie ob ich du er sie es wir ihr ihm ihn ihnen sich mich dich
uns euch mein dein sein unser euer mir dir auch nicht noch schon nur sehr mehr ist
sind war hat haben wird werden kann muss soll will aller alle jede jeder man nie nun
so da hier dort wo was wer wem wen dies diese dieser dieses jene
ab an auf aus bei durch für gegen hinter mit nach neben über um unter vor zu wider
zurück zusammen weg her hin fort los miss dar ent ver zer be ge ur un ins im am zum
zur vom beim ans aufs rück nieder wieder herab heran herauf heraus herbei herein
herum herunter hervor herüber hinab hinauf hinaus hinein hinüber hinunter hinweg
voran voraus vorbei vorüber davon dazu daran darauf empor entgegen
""".split())

# strings that are (also) derivational or inflectional suffixes: never a part
_SUFFIX_LIKE = frozenset("""
ung ungen heit heiten keit keiten lich liche lichen licher isch ische ischen ischer
ers ern erin erinnen innen rinnen in en ens esten sten ten ster ling linge lingen nis
nisse sal tum chen lein ler lern ner nern ist isten ismus ion ionen ation ationen
ration rationen ier iere ieren ei eien ente enten gen den sen ige igen igkeit bar
sam lose losen loser loses aren elle ellen eller ren eren ger
""".split())

_NEVER_PARTS = _NOT_PARTS | _SUFFIX_LIKE
# The lexicon's values (Zipf tenths * 2 + is_noun) from which a word is a part
_MIN_NOUN_VALUE, _MIN_NONNOUN_VALUE = 2 * MIN_ZIPF_NOUN, 2 * MIN_ZIPF_NONNOUN
# The linking elements by last letter, each list in _LINKS order (ties keep the first)
_LINKS_BY_LAST = {c: tuple(link for link in _LINKS if link[-1] == c) for c in {l[-1] for l in _LINKS}}

# 3-letter modifiers that may have lost an e (erd|beben from Erde); other
# 3-letter stems + e are mostly wrong (red|akteure is not Rede + Akteure)
_ELIDED_SHORT = frozenset({"erd"})

_lexicon: dict[str, int] | None = None
_lock = threading.Lock()


def load_lexicon() -> dict[str, int]:
    """The shared lexicon: folded word -> Zipf tenths * 2 + is_noun.  Loaded once."""
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                raw = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_bytes()
                lines = gzip.decompress(raw).decode("utf-8").split("\n")
                while lines and lines[0].startswith("#"):
                    del lines[0]
                lex: dict[str, int] = {}
                for i in range(0, len(lines) - 1, 2):
                    lex.update(dict.fromkeys(lines[i + 1].split(" "), int(lines[i])))
                _lexicon = lex
    return _lexicon


def _adjective_suffix(word: str, j: int) -> bool:
    """Whether the head word[j:] is an adjective's suffix, not a noun:
    -atisch (not drama|tisch, thema|tisch), -anisch, -enisch, -inisch ...
    (not afrika|nisch, arme|nisch, ukrai|nisch: Nische). After a consonant
    they are the nouns (Schreib|tisch, Markt|nische)."""
    if word.startswith("tisch", j):
        return word[j - 1] == "a"
    return word.startswith("nisch", j) and word[j - 1] in "aeiouy"


class Decompounder:
    """Splits folded lowercase German compounds into their parts. The lexicon
    is loaded lazily, once per process, on the first ``split()``."""

    def __init__(self) -> None:
        self._lex: dict[str, int] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- lexicon tests -------------------------------------------------------
    # (Run for every new word of an indexing run, so written for speed: one
    # lexicon lookup per string, one set for the words that are never parts.)
    def _part_value(self, s: str) -> int:
        """Zipf tenths of s as a part, or -1 if s cannot be a part."""
        v = self._lex.get(s)
        if v is None or s in _NEVER_PARTS:
            return -1
        if v & 1:
            return v >> 1 if v >= _MIN_NOUN_VALUE else -1
        if v < _MIN_NONNOUN_VALUE or len(s) < MIN_PART_NONNOUN:
            return -1
        return v >> 1

    def _head(self, s: str) -> int:
        v = self._lex.get(s)
        if v is None or not v & 1 or v < _MIN_NOUN_VALUE or s in _NEVER_PARTS:
            return -1
        return v >> 1

    def _modifier(self, s: str) -> tuple[int, str]:
        """(score, output form) of s as a modifier; score -1 if it is none.

        Candidates: s itself, s without a linking element, s plus an elided
        final e (nouns only).  The score is the best candidate's frequency;
        the output form is s if s is itself a possible part, else the best
        candidate."""
        if s in _NOT_PARTS:
            return -1, s  # not "gege" from "gegen"
        part_value = self._part_value
        own = best = part_value(s)
        form = s
        for link in _LINKS_BY_LAST.get(s[-1], ()):
            if s.endswith(link) and len(s) - len(link) >= MIN_PART:
                b = s[: -len(link)]
                v = part_value(b)
                if v > best:
                    best, form = v, b
        if len(s) >= 4 or s in _ELIDED_SHORT:
            e = s + "e"
            if self._lex.get(e, 0) & 1:
                v = part_value(e)
                if v > best:
                    best, form = v, e
        return best, (s if own >= 0 else form)

    # -- splitting -----------------------------------------------------------
    def _modifier_splits(self, s: str, nparts: int, memo: dict) -> list[tuple[int, list[str]]]:
        """All ways to read s as exactly nparts modifiers: (score sum, forms).
        `memo` holds this word's results: its heads and part counts ask for the
        same prefixes again and again."""
        key = (s, nparts)
        if key in memo:
            return memo[key]
        if nparts == 1:
            if len(s) < MIN_PART:
                out = []
            else:
                v, form = self._modifier_cached(s, memo)
                out = [(v, [form])] if v >= 0 else []
        else:
            out = []
            for j in range(MIN_PART * (nparts - 1), len(s) - MIN_PART + 1):
                v, form = self._modifier_cached(s[j:], memo)
                if v < 0:
                    continue
                for sv, forms in self._modifier_splits(s[:j], nparts - 1, memo):
                    out.append((sv + v, forms + [form]))
        memo[key] = out
        return out

    def _modifier_cached(self, s: str, memo: dict) -> tuple[int, str]:
        v = memo.get(s)
        if v is None:
            v = memo[s] = self._modifier(s)
        return v

    def candidate(self, word: str) -> tuple[int, list[str]] | None:
        """The best reading of word as a compound, before comparing with the
        word's own frequency: (sum of part Zipf tenths, parts), or None.
        Fewest parts first, then highest sum (= geometric mean)."""
        if self._lex is None:
            self._lex = load_lexicon()
        n = len(word)
        heads = []
        head = self._head
        for j in range(MIN_PART, n - MIN_PART + 1):
            h = head(word[j:])
            if h >= 0 and not _adjective_suffix(word, j):
                heads.append((j, h))
        if not heads:
            return None
        memo: dict = {}
        for nparts in range(2, MAX_PARTS + 1):
            best = None
            for j, h in heads:
                if j < MIN_PART * (nparts - 1):
                    continue
                for sv, forms in self._modifier_splits(word[:j], nparts - 1, memo):
                    total = sv + h
                    if best is None or total > best[0]:
                        best = (total, forms + [word[j:]])
            if best is not None:
                return best
        return None

    def own_frequency(self, word: str) -> int:
        """Zipf tenths of word, or of word minus an inflection ending if higher."""
        lex = self._lex
        whole = lex.get(word, 0) >> 1
        for e in _INFLECTIONS:
            if word.endswith(e) and len(word) - len(e) >= MIN_LEN - 1:
                whole = max(whole, lex.get(word[: -len(e)], 0) >> 1)
        return whole

    def split(self, word: str) -> tuple[str, ...]:
        """Parts of a folded lowercase word, or () if it is not split."""
        if len(word) < MIN_LEN or not word.isalpha():
            return ()
        best = self.candidate(word)
        if best is None:
            return ()
        total, parts = best
        # geometric mean of the parts' frequencies must beat the word's own
        if total <= self.own_frequency(word) * len(parts):
            return ()
        return tuple(parts)
