"""The index schema: which fields an article becomes, how each is analysed,
and the text fields that index through the per-word analysis cache."""
from __future__ import annotations

from whoosh import columns, fields, formats

from ..analysis import german_analyzer, name_analyzer
from ..analysis.wordcache import WordCache

# The default search runs over two fields: `head`, all the short parts of an
# article with these weights (title and kicker above lead; tags, authors and
# places count too), and `body`. `title:`, `lead:` ... queries search one part
# of `head` (search/parts.py): each part starts at a fixed position, so a
# part's words are told by their positions and are not indexed twice.
HEAD_WEIGHTS = {"title": 3.0, "kicker": 2.0, "lead": 1.5, "tags": 1.5, "location": 1.0,
                "authors": 1.0, "image_caption": 0.7}
HEAD_PARTS = ("title", "kicker", "lead", "image_caption")  # fields served by `head`
PART_STRIDE = 1 << 24  # positions per part; words past it in one part are not indexed
FIELD_BOOSTS = {"head": 1.0, "body": 1.0}
DEFAULT_FIELDS = ("head", "body")  # what a query word searches unless a field is named
GERMAN_FIELDS = DEFAULT_FIELDS + HEAD_PARTS  # stemmed


class GermanText(fields.TEXT):
    """TEXT indexed through a per-word cache of the analysis chain (see
    analysis.wordcache); the same postings as fields.TEXT, several times faster."""

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_cache", None)
        return state

    def words(self) -> WordCache:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = self._cache = word_cache(self.analyzer)
        return cache

    def index(self, value, **kwargs):
        terms, freqs, weights, values = self.doc_postings(value)
        for term, freq, weight, vbytes in zip(terms, freqs, weights, values):
            yield term.encode("utf-8"), freq, weight, vbytes

    def doc_postings(self, value) -> tuple[list, list, list, list]:
        """What index() yields, as lists (terms as str, frequencies, weights,
        value bytes): a writer extends its own lists with them (memwriter)."""
        plists = self.words().positions(value)
        freqs = list(map(len, plists.values()))
        boost = self.format.field_boost
        weights = freqs if boost == 1 else [f * boost for f in freqs]
        return list(plists), freqs, weights, list(map(encode_positions, plists.values()))


class WeightedText(GermanText):
    """One field made of weighted parts, given as {part: text}: a term's
    weight is the weighted sum of its occurrences, so BM25 saturates over all
    parts together (BM25F proper), and a query word costs one term lookup
    instead of one per field. Part i holds positions from i * PART_STRIDE:
    a phrase never runs from one part into the next, and a query can ask for
    one part's words (part_span)."""

    def __init__(self, parts: dict[str, float], **kwargs):
        super().__init__(**kwargs)
        self.parts = dict(parts)

    def part_span(self, part: str) -> tuple[int, int]:
        """The positions of `part`: [start, end)."""
        start = list(self.parts).index(part) * PART_STRIDE
        return start, start + PART_STRIDE

    def doc_postings(self, value: dict[str, str]):
        cache = self.words()
        poses = weights = None
        for i, (part, weight) in enumerate(self.parts.items()):
            text = value.get(part)
            if not text:
                continue
            found = cache.positions(text)
            if len(text) >= PART_STRIDE:  # (a text has fewer positions than characters)
                found = {term: kept for term, plist in found.items()
                         if (kept := [p for p in plist if p < PART_STRIDE])}
            if poses is None and not i:  # the first part (title) as it is
                poses, weights = found, dict(zip(found, map(weight.__mul__, map(len, found.values()))))
                continue
            if poses is None:
                poses, weights = {}, {}
            add = (i * PART_STRIDE).__add__
            for term, plist in found.items():
                old = poses.get(term)
                if old is None:
                    poses[term] = list(map(add, plist))
                    weights[term] = weight * len(plist)
                else:
                    poses[term] = old + list(map(add, plist))
                    weights[term] += weight * len(plist)
        if poses is None:
            return [], [], [], []
        # both dicts got their keys in the same order
        return (list(poses), list(map(len, poses.values())), list(weights.values()),
                list(map(encode_positions, poses.values())))


class HeadPart(GermanText):
    """A part of `head` that queries may name (`title:`): its analyzer and
    format read the query; its words are found in head (search/parts.py),
    so it has no postings of its own."""


_ENCODE = formats.Positions().encode
_ONE_POSITION: dict[int, bytes] = {}
_MAX_SHARED = 1 << 17


def encode_positions(plist: list[int]) -> bytes:
    """formats.Positions.encode; a single position's bytes are made once and
    shared (most terms occur once in a field: faster, and less memory)."""
    if len(plist) != 1:
        return _ENCODE(plist)
    value = _ONE_POSITION.get(plist[0])
    if value is None:
        value = _ENCODE(plist)
        if len(_ONE_POSITION) < _MAX_SHARED:
            _ONE_POSITION[plist[0]] = value
    return value


_CACHES: list = []


def word_cache(analyzer) -> WordCache:
    """One cache for all fields with an equal analyzer."""
    for cache in _CACHES:
        if cache.analyzer == analyzer:
            return cache
    _CACHES.append(WordCache(analyzer))
    return _CACHES[-1]


def word_caches(schema) -> list[WordCache]:
    """The per-word analysis caches of the schema's fields (GermanText), each
    once, in schema order (worker processes rely on the same order)."""
    caches = []
    for _, field in schema.items():
        cache = field.words() if hasattr(field, "words") else None
        if cache is not None and all(cache is not c for c in caches):
            caches.append(cache)
    return caches


def make_schema() -> fields.Schema:
    text = german_analyzer()
    names = name_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        source=fields.STORED(),                 # file key: the record's file (not searched)
        record_hash=fields.STORED(),
        **{part: HeadPart(analyzer=text, phrase=True) for part in HEAD_PARTS},
        body=GermanText(analyzer=text, phrase=True),
        head=WeightedText(HEAD_WEIGHTS, analyzer=text, phrase=True),
        parts=fields.KEYWORD(scorable=False),   # the head parts an article has (`kicker:*`)
        authors=fields.TEXT(analyzer=names, phrase=True),
        tags=fields.TEXT(analyzer=names, phrase=True),
        location=fields.TEXT(analyzer=names),
        # Exact values for facets.
        facet_tag=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        facet_author=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        # Sort and facet columns hold 0 for undated articles, so they come last
        # when newest come first (range filters use date_start/date_end).
        # Columns only (no postings): nothing searches them, they sort and count.
        year=fields.COLUMN(columns.NumericColumn("H", default=0)),
        sort_date=fields.COLUMN(columns.NumericColumn("I", default=0)),
        # A date of month precision covers the whole month: filters compare
        # the query range with [date_start, date_end] (YYYYMMDD integers).
        # shift_step 8: four terms per date instead of eight; ranges stay fast.
        date_start=fields.NUMERIC(int, bits=32, shift_step=8),
        date_end=fields.NUMERIC(int, bits=32, shift_step=8),
        article=fields.STORED(),                # the Article as JSON, for show and snippets
    )
