"""KWIC (keyword in context): every occurrence of a word in the articles
that match, each with the text before and after it.

A word occurs where search would find it: its inflections, the compounds it
is a part of (`Lieferung` in Waffenlieferungen, the part placed), a
hyphenated word's piece, its corrected spelling. The words are judged by
the snippets' matcher (snippets.Matches) with the keyword's terms: those of
its forms that stand for the word itself; not its own parts apart
(`Bahnhof` as bahn ... hof), nor a piece of it alone (Kim of `Kim-Regime`).

Lines come newest article first, in text order within one; sorted by the
context left or right of the match, the lines of up to MAX_SORTED articles
(the newest) are sorted."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..analysis.fold import fold
from ..analysis.tokenize import WORD
from ..errors import QueryError
from ..indexing import fields as F
from ..indexing.documents import stored_article
from ..query import tree as T
from .snippets import Matches, phrase_spans, word_spans

SORTS = ("date", "left", "right")
CONTEXT = 60  # characters each side, by default
MAX_SORTED = 2000  # articles whose lines --sort left/right reads at most
TEXTS = ("title", "lead", "body")  # where occurrences are looked for
# forms of a word that are the word itself (inflected, joined, inside compounds)
KEYWORD_FORMS = (T.WHOLE, T.JOINED, T.VARIANT, T.PART_OF)
_SPACE = re.compile(r"\s+")


@dataclass
class Line:
    id: str
    date: str
    title: str
    left: str
    match: str
    right: str
    part: tuple[int, int] | None = None  # the matched part of `match` (a compound's)
    field: str = "body"  # title, lead or body

    def to_dict(self) -> dict:
        return {"id": self.id, "date": self.date or None, "title": self.title, "left": self.left,
                "match": self.match, "right": self.right,
                "part": list(self.part) if self.part else None, "field": self.field}


@dataclass
class Concordance:
    query: str
    lines: list[Line]
    articles: int  # articles that match
    read: int  # of which read for these lines
    complete: bool  # every occurrence in every matching article is among the lines
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"query": self.query, "articles": self.articles, "read": self.read,
                "complete": self.complete, "suggestion": self.suggestion,
                "lines": [x.to_dict() for x in self.lines]}


def concordance(searcher, word: str, query: str = "", *, sort: str = "date", limit: int = 50,
                context: int = CONTEXT, **options) -> Concordance:
    """The occurrences of `word` in the articles that match it and `query`
    (if given: articles must match both); at most `limit` lines (0: all),
    `context` characters each side. `options`: since, until, authors, tags,
    correct, timeout (as search's)."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
    if not word.strip():
        raise QueryError("no word given")
    filters = {k: options.pop(k) for k in ("since", "until", "authors", "tags") if k in options}
    # word and query analysed apart (an unclosed quote in one stays in it),
    # searched together as a tree: articles must match both
    correct = options.get("correct", True)
    keyword = searcher.analyse(word, correct=correct)
    terms, phrases = keyword_terms(keyword.tree), keyword_phrases(keyword.tree)
    suggestion = keyword.suggestion
    notices = list(keyword.notices)
    tree = keyword_tree(keyword.tree)
    if query.strip():
        rest = searcher.analyse(query, correct=correct)
        if suggestion or rest.suggestion:
            suggestion = f"{suggestion or word} {rest.suggestion or query}"
        notices += rest.notices
        tree = T.simplify(T.Bool(must=(tree, rest.tree)))
    found = searcher.matching(word, sort="date", tree=tree, **options, **filters)
    if not (terms or phrases) or not found.total:
        return Concordance(word, [], found.total, 0, True, suggestion, notices)
    finder = _Finder(terms, phrases, searcher.german)
    lines: list[Line] = []
    read = 0
    for docnum in found.docnums.tolist():
        if sort == "date" and limit and len(lines) >= limit:
            break
        if sort != "date" and read == MAX_SORTED:
            break
        read += 1
        lines += _lines(stored_article(searcher.reader.stored(docnum)), finder, context)
    complete = read == found.total and (not limit or len(lines) <= limit)
    if sort != "date":
        lines.sort(key=_left_key if sort == "left" else _right_key)
    return Concordance(word, lines[:limit] if limit else lines, found.total, read, complete,
                       suggestion, notices)


def keyword_tree(tree):
    """The keyword's tree with only the forms that are the word itself: the
    articles it matches hold an occurrence (not only its parts apart, a
    piece, a spacing or a derivation: `Russland` is not `russisch`)."""
    def visit(n):
        if type(n) is T.WordQuery:
            own = tuple(f for f in n.forms if f.kind in KEYWORD_FORMS)
            return replace(n, forms=own) if own else T.Bool()
        return n

    return T.simplify(T.transform(tree, visit))


def keyword_terms(tree) -> set[str]:
    """The terms that make a word an occurrence of the keyword: those of the
    keyword's forms that are the word itself, and the words a prefix,
    wildcard or fuzzy keyword stands for."""
    out: set[str] = set()
    for node in T.walk(tree):
        if not any(t.field in F.GERMAN_FIELDS for t in getattr(node, "targets", ())):
            continue
        if type(node) is T.WordQuery:
            for form in node.forms:
                if form.kind in KEYWORD_FORMS and len(form.terms) == 1 and form.positions is None:
                    out.update(form.all_terms())
        elif type(node) is T.TermSet:
            out.update(node.terms)
    return out


def keyword_phrases(tree) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """(terms, positions) of each phrase of the keyword: a line per phrase, not
    per word. A word's phrase forms count too (`Kim-Regime` written `Kim Regime`,
    `Windows 7` joined to one word and still written apart)."""
    out = []
    for node in T.walk(tree):
        if not any(t.field in F.GERMAN_FIELDS for t in getattr(node, "targets", ())):
            continue
        if type(node) is T.PhraseQuery:
            out.append((node.terms, node.positions))
        elif type(node) is T.WordQuery:
            out += [(f.terms, f.positions) for f in node.forms
                    if f.kind in KEYWORD_FORMS and f.positions is not None and len(f.terms) > 1]
    return out


class _Finder:
    """Where the keyword occurs in a text: its words (the snippets' matcher,
    one per concordance, so each distinct word is judged once) and phrases."""

    def __init__(self, terms: set[str], phrases, analyzer):
        self.matches = Matches(terms, analyzer) if terms else None
        self.phrases, self.analyzer = phrases, analyzer

    def spans(self, text: str) -> list[tuple[int, int, tuple[int, int] | None]]:
        """(start, end, the matched part of the word or None), in text order."""
        out = []
        if self.matches is not None:
            out += [(s, e, self.matches.part(text[s:e])) for s, e in word_spans(text, self.matches)]
        for terms, positions in self.phrases:
            out += [(s, e, None) for s, e in phrase_spans(text, terms, positions, self.analyzer)]
        # one line per place: `Kim-Regime` is both its joined word and its phrase
        return sorted({(s, e): (s, e, part) for s, e, part in reversed(out)}.values())


def _lines(art, finder: _Finder, context: int) -> list[Line]:
    out = []
    texts = {name: _SPACE.sub(" ", getattr(art, name) or "").strip() for name in TEXTS}
    if any(texts[x].startswith(texts["title"]) for x in ("lead", "body")):
        del texts["title"]  # (a title made of the text's first words: its lines would repeat)
    for name, text in texts.items():
        for s, e, part in finder.spans(text) if text else ():
            out.append(Line(art.id, art.date, art.title, _left(text[:s], context), text[s:e],
                            _right(text[e:], context), part, name))
    return out


def _left(text: str, n: int) -> str:
    """The last `n` characters of `text`, from a word's start."""
    if len(text) <= n:
        return text
    cut = text[-n:]
    space = cut.find(" ")
    return cut[space + 1:] if 0 <= space < n // 2 else cut


def _right(text: str, n: int) -> str:
    """The first `n` characters of `text`, up to a word's end."""
    if len(text) <= n:
        return text
    cut = text[:n]
    space = cut.rfind(" ")
    return cut[:space] if space > n // 2 else cut


def _words(text: str) -> list[str]:
    return [fold(w.lower()) for w in WORD.findall(text)]


# (ties keep the newest first: the sort is stable)
def _left_key(line: Line):
    """By the words before the match, the nearest first."""
    return _words(line.left)[::-1], fold(line.match.lower())


def _right_key(line: Line):
    """By the words after the match, the nearest first."""
    return _words(line.right), fold(line.match.lower())
