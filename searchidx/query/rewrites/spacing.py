"""Words written apart or together: `Hong Kong` also finds `Hongkong`, and
`Hongkong` also finds the phrase `Hong Kong`.

A pair of neighbouring words gains their joined form when the index holds
it as one word (not a stop word: `in der` is not `Inder`; nor across one:
`Energie als Begriff` is not `Energiebegriff`). A long word that the
decompounder does not split gains the phrase of its two halves, weighted
lower, when the index holds that phrase somewhere (a positional check:
`Regie Rung` is never searched for `Regierung`). A word of letters and
digits is spaced at their boundaries the same way (`Windows7`: "Windows 7",
`X37B`: "X 37B", as `X-37B` is indexed), and a number joins the word before
it (`Windows 7`: Windows7). The split joins the word's
own forms; joined neighbours become one word: either way coordination counts
each word once."""
from __future__ import annotations

import re
from itertools import combinations
from math import ceil

from ...analysis.stopwords import GERMAN as STOP_WORDS
from ...indexing import fields as F
from .. import tree as T
from .forms import word_query
from .spelling import MIN_SPLIT, split_in_two

SPLIT_WEIGHT = 0.4  # a two-word phrase scores about twice one word: keep it below the word
MAX_WORDS = 12
_PLAIN = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")  # `U Bahn`: a letter before a word is a hyphen lost (U-Bahn)
# letters and digits, both: `Windows7`, `X37B`, `G20`; and their runs
_LETTERS_DIGITS = re.compile(r"(?=\w*\d)(?=\w*[^\W\d_])[^\W_]+")
_RUNS = re.compile(r"\d+|[^\W\d_]+")
_DIGITS = re.compile(r"\d+")  # `Windows 7`: the archive may write Windows7
MAX_RUNS = 5
# A number stands beside a word by chance too, across a sentence's end (`statt
# Windows. 7 Mitarbeiter`: positions know no punctuation): a word and number
# are one name where the phrase holds at least this share of the articles of
# its rarer part (`Windows 7`, `G 20`; not `Euro 50` in a big archive).
COLLOCATION = 0.01


def add_variants(node, ctx):
    typed = _typed_neighbours(ctx.corrected if ctx.corrected is not None else node)

    def visit(n):
        if type(n) is T.Bool and n.coord:
            should = list(n.should)
            _join_neighbours(should, ctx, typed)
            should = [_with_split(q, ctx) for q in should]
            return T.Bool(n.must, tuple(should), n.must_not, n.filter, n.coord, n.boost)
        return n

    node = T.transform(node, visit)
    return _with_split(node, ctx) if type(node) is T.WordQuery else node


def _plain(q, pattern=_PLAIN) -> bool:
    return (type(q) is T.WordQuery and q.targets == F.DEFAULT_TARGETS
            and pattern.fullmatch(q.text) is not None)


def _typed_neighbours(node) -> set:
    """(word, word) of each two words typed side by side: after the stop
    words are gone, `Energie als Begriff` has Energie and Begriff as
    neighbours, which were never typed together."""
    out = set()
    for n in T.walk(node):
        if type(n) is T.Bool:
            for a, b in zip(n.should, n.should[1:]):
                if type(a) is T.Word and type(b) is T.Word:
                    out.add((a.text, b.text))
    return out


def _join_neighbours(should: list, ctx, typed: set):
    """Two neighbours the archive also writes as one word become one word,
    as if typed with a hyphen (`Hong-Kong`: both, joined, or each alone,
    lower): one clause, so that coordination counts the name once."""
    if len(should) > MAX_WORDS:
        return
    i = 0
    while i < len(should) - 1:
        a, b = should[i], should[i + 1]
        i += 1
        if not ((_plain(a) or _plain(a, _LETTER)) and (_plain(b) or _plain(b, _DIGITS))) \
                or a.boost != b.boost:
            continue
        if (a.text, b.text) not in typed:  # (a stop word stood between them)
            continue
        if a.text.lower() in STOP_WORDS or b.text.lower() in STOP_WORDS:
            continue
        joined = a.text + b.text.lower()
        if _single_term(joined, ctx) is None:
            continue
        one = word_query(T.Word(f"{a.text}-{b.text}", None, a.boost), ctx)
        if one is None:
            continue
        ctx.note("spacing", f"{a.text} {b.text}", joined, "the archive writes it as one word")
        should[i - 1:i + 1] = [one]


def _with_split(q, ctx):
    if _plain(q, _LETTERS_DIGITS):
        return _split_at_digits(q, ctx)
    if not _plain(q) or len(q.text) < 2 * MIN_SPLIT:
        return q
    if any(f.kind == T.PARTS for f in q.forms):
        return q  # a compound the decompounder splits already
    halves = split_in_two(q.text, lambda w: _single_term(w, ctx) is not None)
    if halves is None:
        return q
    return _with_spaced(q, halves.split(), ctx) or q


def _split_at_digits(q, ctx):
    """`Windows7` -> "Windows 7", `X37B` -> "X 37B" (as `X-37B` is indexed):
    the first way of spacing it at its letter/digit boundaries that the
    archive writes, fewest words first."""
    runs = _RUNS.findall(q.text)
    if len(runs) > MAX_RUNS:
        return q
    cuts = range(1, len(runs))
    for n in range(1, len(runs)):
        for chosen in combinations(cuts, n):
            bounds = (0, *chosen, len(runs))
            words = ["".join(runs[a:b]) for a, b in zip(bounds, bounds[1:])]
            spaced = _with_spaced(q, words, ctx, COLLOCATION)
            if spaced is not None:
                return spaced
    return q


def _with_spaced(q, words: list[str], ctx, share: float = 0.0):
    """q with the phrase of `words` as a form, if the archive has that phrase
    (in at least `share` of the articles of its rarest word)."""
    analyzer = F.analyzer_of(None)
    terms = tuple(t for w in words for t in analyzer.query_terms(w))
    if len(terms) != len(words):
        return None
    text = " ".join(words)
    phrase = T.PhraseQuery(text, F.DEFAULT_TARGETS, terms, tuple(range(len(terms))))
    need = 1
    if share:
        rarest = min(max(ctx.df(f, t) for f in F.GERMAN_FIELDS) for t in terms)
        need = max(1, ceil(share * rarest))
    if ctx.reader.count(phrase, limit=need) < need:  # (not together, or by chance only)
        return None
    ctx.note("spacing", q.text, text, "the archive also writes it as separate words")
    return _add_form(q, T.Form(T.SPLIT, terms, SPLIT_WEIGHT, tuple(range(len(terms))),
                               why=f'as "{text}"'))


def _single_term(word: str, ctx) -> str | None:
    """The word's one term if the index holds it (in head or body)."""
    terms = F.analyzer_of(None).query_terms(word)
    if len(terms) == 1 and any(ctx.df(f, terms[0]) for f in F.GERMAN_FIELDS):
        return terms[0]
    return None


def _add_form(q: T.WordQuery, form: T.Form) -> T.WordQuery:
    if any(f.terms == form.terms and f.positions == form.positions for f in q.forms):
        return q
    return T.WordQuery(q.text, q.targets, q.forms + (form,), q.boost)
