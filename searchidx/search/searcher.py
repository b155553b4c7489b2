"""Running queries against one open index: parse, rewrite (the German
steps), hand the analysed tree to the backend, then read the top articles
and make their snippets."""
from __future__ import annotations

import time
import unicodedata
from collections import Counter

import numpy as np

from ..analysis import words
from ..backend.base import QueryTooCostly
from ..errors import NotFound, QueryError
from ..indexing import fields as F
from ..indexing import vocabulary
from ..indexing.documents import stored_article
from ..model import Article
from ..query import syntax, tree as T
from ..query.rewrites import Context, forms, rewrite
from ..query.rewrites.spelling import Corrector
from .results import Explained, Hit, Matching, SearchResult
from .snippets import Matches, make_snippet, marked_words

SORTS = ("relevance", "date")
FACETS = {"tags": "tags", "authors": "authors", "year": F.YEAR}
MAX_ARTICLES = 1000  # stored articles kept for the next queries
DEFAULT_TIMEOUT = 3.0  # seconds a query may run (ordinary ones take under 0.3 s at 300k articles)
SIMILAR_TERMS = 25


class Searcher:
    def __init__(self, reader, gen_path: str):
        self.reader = reader
        self.gen_path = gen_path
        self.german = words.german()
        self.corrector = Corrector(self._vocabulary, self.is_known,
                                   lambda word: forms.has_parts(word, self._ctx))
        self._ctx = Context(reader)  # (its document frequencies are shared by all queries)
        self._articles: dict[int, Article] = {}  # docnum -> article: read-only, shared by hits

    def _vocabulary(self) -> Counter:
        # (a missing or damaged file: the index's own words; the next index run writes them back)
        return vocabulary.of_reader(self.reader, self.gen_path)

    def is_known(self, word: str) -> bool:
        return forms.known(word, self._ctx)

    def close(self):
        self.reader.close()

    def _article(self, docnum: int) -> Article:
        art = self._articles.get(docnum)
        if art is None:
            if len(self._articles) >= MAX_ARTICLES:
                del self._articles[next(iter(self._articles))]  # the oldest
            art = self._articles[docnum] = stored_article(self.reader.stored(docnum))
        return art

    # -- searching ---------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 10, offset: int = 0, since: str | None = None,
               until: str | None = None, authors=(), tags=(), sort: str = "relevance",
               facets=(), correct: bool = True, explain: bool = False,
               timeout: float | None = DEFAULT_TIMEOUT) -> SearchResult:
        t0 = time.perf_counter()
        if limit < 0 or offset < 0:
            raise QueryError("--limit and --offset must not be negative")
        _check_sort(sort)
        for name in facets:
            if name not in FACETS:
                raise QueryError(f"unknown facet {name!r} (choose from {', '.join(FACETS)})")
        parsed, ctx, query, suggestion = self._prepare(text, since, until, authors, tags, correct)
        if query is None:
            result = SearchResult(text, 0, [], suggestion, _ms(t0), notices=_notices(ctx))
            if explain:
                result.explained = Explained(T.show(parsed), [str(n) for n in ctx.notes],
                                             "(nothing to search: stop words only)")
            return result
        top = self._top(text, query, offset + limit, sort, tuple(FACETS[f] for f in facets), timeout)
        terms = highlight_terms(query)
        matches = Matches(terms, self.german) if terms else None
        hits = []
        for rank, (docnum, score) in enumerate(zip(top.docnums[offset:].tolist(),
                                                   top.scores[offset:].tolist()), offset + 1):
            hit = self._hit(rank, self._article(docnum), score, terms, matches)
            if explain:
                hit.explanation = self.reader.explain(query, docnum).lines()
            hits.append(hit)
        facet_counts = {name: top.facets[FACETS[name]] for name in facets}
        result = SearchResult(text, top.total, hits, suggestion, _ms(t0), facet_counts, _notices(ctx))
        if explain:
            result.explained = Explained(T.show(parsed), [str(n) for n in ctx.notes], T.show(query))
        return result

    def _prepare(self, text: str, since, until, authors, tags, correct: bool):
        """(parsed tree, rewrite context, the tree to search or None, the
        corrected query or None) of a query text and the option filters."""
        parsed = syntax.parse(text)
        filters = self._filters(since, until, authors, tags)
        ctx = Context(self.reader, _df=self._ctx._df)
        ctx.corrector = self.corrector if correct else None
        final = rewrite(parsed, ctx, correct=correct)
        suggestion = (syntax.unparse(ctx.corrected)
                      if any(n.step == "spelling" for n in ctx.notes) else None)
        return parsed, ctx, _with_filters(final, filters), suggestion

    def analyse(self, text: str, *, correct: bool = True) -> Matching:
        """The analysed tree of `text` (with its suggestion and notices), not
        evaluated: .tree, and no documents. For combining queries as trees."""
        _, ctx, query, suggestion = self._prepare(text, None, None, (), (), correct)
        return Matching(text, np.zeros(0, np.int64), 0, suggestion, _notices(ctx),
                        query if query is not None else T.Bool())

    def matching(self, text: str, *, limit: int | None = None, sort: str = "relevance",
                 since: str | None = None, until: str | None = None, authors=(), tags=(),
                 correct: bool = True, timeout: float | None = DEFAULT_TIMEOUT,
                 tree=None) -> Matching:
        """The articles `text` matches, as search() finds them, without reading
        any: their document numbers (all, or the first `limit`) best or
        newest first, and the analysed tree. For counting them (trend) and
        reading them in order (kwic). `tree`: an analysed tree (analyse())
        searched instead of `text` (then only a name)."""
        _check_sort(sort)
        if tree is None:
            _, ctx, query, suggestion = self._prepare(text, since, until, authors, tags, correct)
            notices = _notices(ctx)
        else:
            query = _with_filters(tree, self._filters(since, until, authors, tags))
            suggestion, notices = None, []
        if query is None:
            return Matching(text, np.zeros(0, np.int64), 0, suggestion, notices)
        top = self._top(text, query, self.reader.max_doc if limit is None else limit, sort, (),
                        timeout)
        return Matching(text, top.docnums, top.total, suggestion, notices, query)

    def _top(self, text: str, query, limit: int, sort: str, facets: tuple, timeout):
        """The backend's top `limit` of an analysed query, within the time budget."""
        deadline = time.monotonic() + timeout if timeout else None
        try:
            return self.reader.search(query, limit=limit, sort=sort, facets=facets,
                                      deadline=deadline)
        except QueryTooCostly as e:
            raise QueryError(f"query {_shorten(text)}: {e} (--timeout {timeout:g} s)") from None

    def _filters(self, since, until, authors, tags) -> list:
        out = []
        if since or until:
            out.append(T.DateRange(syntax.date_bound(since, False) if since else None,
                                   syntax.date_bound(until, True) if until else None))
        for field_name, values in (("authors", authors), ("tags", tags)):
            for value in values:
                found = words.names().phrase(value)
                if not found:
                    raise QueryError(f"empty {field_name[:-1]} filter")
                out.append(T.Phrase(tuple(value.split()), field_name))
        if not out:
            return []
        ctx = Context(self.reader, _df=self._ctx._df)
        return [rewrite(f, ctx, correct=False) for f in out]

    def _hit(self, rank, art: Article, score: float, terms, matches=None) -> Hit:
        text = "\n\n".join(x for x in (art.lead, art.body) if x)
        snippet = make_snippet(text, terms, self.german, matches)
        title_spans = marked_words(art.title, terms, self.german, matches)
        return Hit(rank, art.id, score, art, snippet, title_spans)

    # -- single documents ------------------------------------------------------------------

    def docnum(self, article_id: str) -> int:
        # File names may be stored composed or decomposed (macOS): accept either.
        for form in dict.fromkeys([article_id, unicodedata.normalize("NFC", article_id),
                                   unicodedata.normalize("NFD", article_id)]):
            docnum = self.reader.docnum(form)
            if docnum is not None:
                return docnum
        raise NotFound(f"no article with id {article_id!r} in the index")

    def show(self, article_id: str) -> Article:
        return stored_article(self.reader.stored(self.docnum(article_id)))

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """More like this: the article's most distinctive body terms (tf-idf), any of them."""
        t0 = time.perf_counter()
        docnum = self.docnum(article_id)
        art = self.show(article_id)
        text = " ".join((art.title, art.kicker, art.lead, art.body))
        counts = {t: len(p) for t, p in self.german.positions(text).items()}
        n = max(self.reader.doc_count(), 1)
        weighted = []
        for term, tf in counts.items():
            df = self.reader.doc_freq(F.BODY, term)
            if df:
                weighted.append((tf * _idf(n, df), term))
        weighted.sort(reverse=True)
        body = (T.Target(F.BODY),)
        clauses = tuple(T.WordQuery(t, body, (T.Form(T.WHOLE, (t,)),))
                        for _, t in weighted[:SIMILAR_TERMS])
        if not clauses:
            return SearchResult(f"similar:{article_id}", 0, [], None, _ms(t0))
        query = T.Bool(should=clauses, coord=False)
        top = self.reader.search(query, limit=limit + 1)
        hits = []
        for docnum_, score in zip(top.docnums.tolist(), top.scores.tolist()):
            if docnum_ == docnum or len(hits) == limit:
                continue
            hits.append(self._hit(len(hits) + 1, self._article(docnum_), score, set()))
        total = top.total - 1 if docnum in top.docnums.tolist() or top.total > len(top.docnums) else top.total
        return SearchResult(f"similar:{article_id}", max(total, len(hits)), hits, None, _ms(t0))


def _idf(n: int, df: int) -> float:
    from math import log

    return log(n / (df + 1)) + 1


def _with_filters(query, filters: list):
    """The query with the option filters (dates, authors, tags); None if
    there is nothing to search at all."""
    empty = T.is_empty(query)
    if empty and not filters:
        return None
    if not filters:
        if type(query) is T.Bool and not query.must and not query.should and not query.must_not \
                and query.filter:
            return T.Bool(must=(T.MatchAll(),), filter=query.filter)
        return query
    return T.Bool(must=(T.MatchAll(),) if empty else (query,), filter=tuple(filters))


def highlight_terms(query) -> dict[str, tuple[int, float]]:
    """The terms of the German fields a query looks for (every form): the words
    a snippet marks; each with its query word (a number) and weight, 1 for the
    word itself, LOOSE_WEIGHT for a form that finds something else (a part of
    another word, a derivation) and for one term of several (a piece of a
    phrase or of a compound written apart), by which a snippet's fragment is
    chosen."""
    out: dict[str, tuple[int, float]] = {}

    def add(term, word, weight):
        if out.get(term, (0, 0.0))[1] < weight:
            out[term] = (word, weight)

    for word, node in enumerate(T.walk(query)):
        kind = type(node)
        targets = getattr(node, "targets", ())
        if not any(t.field in F.GERMAN_FIELDS for t in targets):
            continue
        if kind is T.WordQuery:
            for form in node.forms:
                # (one term of several, `20` of "G 20", is not the word either)
                weight = LOOSE_WEIGHT if form.kind in T.LOOSE or len(form.terms) > 1 else 1.0
                for term in form.all_terms():
                    add(term, word, weight)
        elif kind in (T.PhraseQuery, T.TermSet):
            for term in node.terms:
                add(term, word, 1.0)
    return out


LOOSE_WEIGHT = 0.5  # (as scoring's LOOSE_CREDIT)


def _notices(ctx: Context) -> list[str]:
    """The changes a user must be told of (variants that only add matches are not)."""
    return [f"{n.before} -> {n.after}: {n.why}" for n in ctx.notes if n.step in NOTICED]


NOTICED = ("absent",)  # (a correction is told by the suggestion)


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")


def _shorten(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000
