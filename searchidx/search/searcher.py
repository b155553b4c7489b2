"""Running queries against one open index: parse, correct, expand, filter,
rank (BM25F), page, facet, and build snippets."""
from __future__ import annotations

import heapq
import re
import time
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as Q, scoring, sorting

from .. import engine
from ..analysis import german_analyzer, name_analyzer
from ..model import Article
from ..engine.postings import TermTable
from ..errors import NotFound, QueryError
from . import expand, parse, plain, spelling, words
from .direct import DirectScorer
from .snippets import Matches, Snippet, make_snippet, marked_words

SPLIT_BOOST = 0.4  # a two-word phrase scores about twice one word: keep it below the word as written
_PLAIN_WORD = re.compile(r"[^\W\d_]{2,}")
FACETS = {"tags": "facet_tag", "authors": "facet_author", "year": "year"}
SORTS = ("relevance", "date")
MAX_ARTICLES = 1000  # stored articles kept for the next queries


@dataclass
class Hit:
    rank: int
    id: str
    score: float
    article: Article
    snippet: Snippet
    title_spans: list[tuple[int, int]]

    def to_dict(self) -> dict:
        a = self.article
        return {"rank": self.rank, "id": self.id, "score": round(self.score, 4),
                "title": a.title, "date": a.date or None, "authors": a.authors,
                "tags": a.tags, "path": a.path, "snippet": self.snippet.text,
                "spans": [list(s) for s in self.snippet.spans]}


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    suggestion: str | None = None
    took_ms: float = 0.0
    facets: dict[str, list[tuple]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {"query": self.query, "total": self.total,
             "results": [h.to_dict() for h in self.hits],
             "suggestion": self.suggestion, "took_ms": round(self.took_ms, 2)}
        if self.facets:
            d["facets"] = {k: [{"value": v, "count": c} for v, c in rows]
                           for k, rows in self.facets.items()}
        return d


class Searcher:
    def __init__(self, ix, gen_path: str):
        self.ix = ix
        self.searcher = ix.searcher(weighting=scoring.BM25F())
        self.reader = self.searcher.reader()
        self.text_analyzer = german_analyzer()
        self.word_forms = words.WordForms(self.text_analyzer)
        self.parser = parse.make_parser(ix.schema, self.word_forms)
        self.text_words = engine.word_cache(self.text_analyzer)
        self.names_analyzer = name_analyzer()
        self.corrector = spelling.Corrector(gen_path, self.is_known)
        self.terms = TermTable(self.reader)  # shared by spelling, expansion, scoring
        self.direct = DirectScorer(self.searcher, self.terms)
        self._articles: dict[int, Article] = {}  # docnum -> article, shared by hits: read-only

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """The reader's document frequency, from the term table."""
        return self.terms.doc_frequency(fieldname, text)

    def _article(self, docnum: int) -> Article:
        """The stored article, remembered: batch queries find the same articles."""
        art = self._articles.get(docnum)
        if art is None:
            if len(self._articles) >= MAX_ARTICLES:
                del self._articles[next(iter(self._articles))]  # the oldest
            art = self._articles[docnum] = engine.stored_article(self.searcher.stored_fields(docnum))
        return art

    def close(self):
        self.searcher.close()

    def is_known(self, word: str) -> bool:
        """True if the index holds the word in any of the forms a query accepts."""
        df = self.doc_frequency
        alternatives = self.word_forms.alternatives(word)
        if not alternatives:  # a stop word: nothing to find, nothing to correct
            return True
        return any(all(any(df(f, t) for f in engine.DEFAULT_FIELDS) for t in terms)
                   for terms, _ in alternatives)

    def search(self, text: str, *, limit: int = 10, offset: int = 0, since: str | None = None,
               until: str | None = None, authors=(), tags=(), sort: str = "relevance",
               facets=(), correct: bool = True) -> SearchResult:
        t0 = time.perf_counter()
        if limit < 0 or offset < 0:
            raise QueryError("--limit and --offset must not be negative")
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
        parse.check_length(text)
        plain, ranges, excluded = parse.split_dates(parse.drop_question_marks(text))
        if since:
            ranges.append(parse.DateRange(start=parse.date_bound(since, end=False)))
        if until:
            ranges.append(parse.DateRange(end=parse.date_bound(until, end=True)))

        q, suggestion = Q.NullQuery, None
        if plain.strip():
            suggestion = self.corrector.correct(plain) if correct else None
            q = self._parse(suggestion or plain)
        filters = [f for f in (r.query() for r in ranges) if f is not None]
        filters += [self._name_filter("authors", a) for a in authors]
        filters += [self._name_filter("tags", t) for t in tags]
        if q is Q.NullQuery:
            if not filters and not excluded:
                return SearchResult(text, 0, [], suggestion, _ms(t0))
            q = Q.Every()
        else:
            q = expand.expand(q, self.doc_frequency)
        flt = Q.And(filters) if filters else None
        exclude = [x for x in (r.query() for r in excluded) if x is not None]

        try:
            ranked, total = self._ranked(q, flt, exclude, offset + limit, sort)
            facet_counts = self._facets(q, flt, exclude, facets) if facets else {}
        except Exception as e:  # e.g. a wildcard that expands to too many terms
            raise QueryError(f"cannot run query {parse.shorten(text)}: {e}") from None
        terms = self._highlight_terms(q)
        matches = Matches(terms, self.text_words) if terms else None
        hits = []
        for rank, (docnum, score) in enumerate(ranked[offset:offset + limit], offset + 1):
            hits.append(self._hit(rank, self._article(docnum), score, terms, matches))
        return SearchResult(text, total, hits, suggestion, _ms(t0), facet_counts)

    def _scores(self, q, flt, exclude) -> dict[int, float]:
        """docnum -> relevance score of every match, filters applied."""
        scores = self.direct.scores(q)
        if flt is not None:
            allowed = set(self.searcher.docs_for_query(flt))
            scores = {d: v for d, v in scores.items() if d in allowed}
        for x in exclude:
            banned = set(self.searcher.docs_for_query(x))
            scores = {d: v for d, v in scores.items() if d not in banned}
        return scores

    def _ranked(self, q, flt, exclude, top: int, sort: str):
        """(docnum, score) in the requested order, and the number of matches.
        Ties go to the lower document number, as in Whoosh."""
        scores = self._scores(q, flt, exclude)
        if not top:
            return [], len(scores)
        if sort == "date":  # newest first (undated hold 0), then by relevance
            dates = self.reader.column_reader("sort_date")
            key = lambda kv: (dates[kv[0]], kv[1], -kv[0])  # noqa: E731
            return heapq.nlargest(top, scores.items(), key=key), len(scores)
        items = scores.items()
        if len(scores) > top:  # the top scores without a key call per match
            lowest = heapq.nlargest(top, scores.values())[-1]
            items = [(d, v) for d, v in items if v >= lowest]
        return sorted(items, key=lambda kv: (kv[1], -kv[0]), reverse=True)[:top], len(scores)

    def _facets(self, q, flt, exclude, facets) -> dict[str, list[tuple]]:
        """Counts per facet value over all matches (Whoosh's grouping)."""
        mask = Q.Or(exclude) if exclude else None
        # Tags and authors are many per article; year is one column value.
        groupedby = {name: sorting.FieldFacet(FACETS[name], allow_overlap=name != "year",
                                              maptype=sorting.Count) for name in facets}
        results = self.searcher.search(q, limit=1, filter=flt, mask=mask, groupedby=groupedby)
        out = {}
        for name in facets:
            rows = sorted(results.groups(name).items(), key=lambda kv: (-kv[1], str(kv[0])))
            out[name] = [(v, c) for v, c in rows if v not in (None, 0, "")]
        return out

    def _parse(self, text: str) -> Q.Query:
        groups = self._spacing_groups(text)
        names = self.parser.fieldnames
        if groups and all(plain.is_plain(a, names) for g in groups for a in g if isinstance(a, str)):
            return plain.words_query(self.parser, groups)  # the same query, faster
        return parse.parse(self.parser, _with_variants(text, groups))

    def _spacing_variants(self, text: str) -> str:
        """The query text with its spacing variants (see _spacing_groups)."""
        return _with_variants(text, self._spacing_groups(text))

    def _spacing_groups(self, text: str) -> list[list[str | plain.Phrase]] | None:
        """Words written together or apart: `Hong Kong` also looks for `Hongkong`
        (when the index knows it), `Hongkong` also for the phrase `"Hong Kong"`.
        Each variant joins its word's group, so coordination still counts words.
        None unless the text is plain words only."""
        tokens = text.split()
        if not tokens or len(tokens) > 12 or not all(_PLAIN_WORD.fullmatch(t) for t in tokens):
            return None
        groups: list[list[str | plain.Phrase]] = [[t] for t in tokens]
        for i, (a, b) in enumerate(zip(tokens, tokens[1:])):
            joined = a + b.lower()
            if self._knows_whole(joined):
                groups[i].append(joined)
                groups[i + 1].append(joined)
        for i, t in enumerate(tokens):
            if len(t) >= 2 * spelling.MIN_SPLIT and (halves := self._split_known(t)):
                groups[i].append(plain.Phrase(halves, SPLIT_BOOST))
        return groups

    def _split_known(self, word: str) -> str | None:
        """`Hongkong` -> `Hong Kong` if the index knows both halves as words."""
        if len(self.word_forms.alternatives(word)) > 1:
            return None  # a compound the decompounder already splits
        return spelling.split_in_two(word, self._knows_whole)

    def _knows_whole(self, word: str) -> bool:
        terms = self.word_forms.query_terms(word)
        return len(terms) == 1 and any(self.doc_frequency(f, terms[0])
                                       for f in engine.DEFAULT_FIELDS)

    def _name_filter(self, fieldname: str, value: str) -> Q.Query:
        terms = [t.text for t in self.names_analyzer(value)]
        if not terms:
            raise QueryError(f"empty {fieldname[:-1]} filter")
        return Q.Phrase(fieldname, terms) if len(terms) > 1 else Q.Term(fieldname, terms[0])

    def _highlight_terms(self, q) -> set[str]:
        out = set()
        for fieldname, text in q.iter_all_terms():
            if fieldname in engine.GERMAN_FIELDS and isinstance(text, str):
                out.add(text)
        return out

    def _hit(self, rank, art: Article, score: float, terms: set[str], matches=None) -> Hit:
        text = "\n\n".join(x for x in (art.lead, art.body) if x)
        snippet = make_snippet(text, terms, self.text_words, matches)
        title_spans = marked_words(art.title, terms, self.text_words, matches)
        return Hit(rank, art.id, score, art, snippet, title_spans)

    # -- single documents ---------------------------------------------------
    def docnum(self, article_id: str) -> int:
        # File names may be stored composed or decomposed (macOS): accept either.
        for form in dict.fromkeys([article_id, unicodedata.normalize("NFC", article_id),
                                   unicodedata.normalize("NFD", article_id)]):
            docnum = self.searcher.document_number(id=form)
            if docnum is not None:
                return docnum
        raise NotFound(f"no article with id {article_id!r} in the index")

    def show(self, article_id: str) -> Article:
        return engine.stored_article(self.searcher.stored_fields(self.docnum(article_id)))

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        t0 = time.perf_counter()
        docnum = self.docnum(article_id)
        art = engine.stored_article(self.searcher.stored_fields(docnum))
        text = " ".join((art.title, art.kicker, art.lead, art.body))
        results = self.searcher.more_like(docnum, "body", text=text, top=limit, numterms=25)
        hits = [self._hit(rank, engine.stored_article(h.fields()), h.score or 0.0, set())
                for rank, h in enumerate(results, 1)]
        return SearchResult(f"similar:{article_id}", len(results), hits, None, _ms(t0))


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _with_variants(text: str, groups) -> str:
    """`text` as query syntax with its spacing-variant groups, if it has any."""
    if groups is None:
        return text
    return " ".join(g[0] if len(g) == 1 else "(" + " OR ".join(
        a if isinstance(a, str) else f'"{a.text}"^{a.boost}' for a in g) + ")" for g in groups)
