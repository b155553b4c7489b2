"""The index schema: the fields an article becomes, how each is analysed,
and where a query word looks by default.

    head      the short parts of an article, each at positions of its own and
              with a weight (title above kicker above lead ...): one BM25F
              field, so a word in the title and the lead saturates once
    body      the text
    authors, tags, location   names: exact words, case and umlauts folded

A part of head (title, kicker, lead, caption) is searched as head's
positions from i * PART_STRIDE (query `title:`), so it is not indexed twice.
Columns (integers per article) hold dates and which head parts an article
has; keyword columns hold the tags and authors to count (facets).
"""
from __future__ import annotations

from ..query.tree import Target

HEAD, BODY = "head", "body"
HEAD_WEIGHTS = {"title": 3.0, "kicker": 2.0, "lead": 1.5, "tags": 1.5, "location": 1.0,
                "authors": 1.0, "image_caption": 0.7}
HEAD_PARTS = ("title", "kicker", "lead", "image_caption")  # parts a query may name
PART_STRIDE = 1 << 24  # positions per head part; words past it in one part are not indexed
NAME_FIELDS = ("authors", "tags", "location")
GERMAN_FIELDS = (HEAD, BODY)
FIELD_BOOSTS = {HEAD: 1.0, BODY: 1.0}
# Head and body are scored as one field (BM25F: a word in both is one piece
# of evidence), and head adds half its own score: a word in the title, kicker
# or lead says what the article is about, which repetition in the text does not
FIELD_BONUS = {HEAD: 0.5, BODY: 0.0}
DEFAULT_TARGETS = tuple(Target(f, FIELD_BOOSTS[f], bonus=FIELD_BONUS[f]) for f in GERMAN_FIELDS)

# integer columns
DATE_START, DATE_END, SORT_DATE, YEAR, PARTS = "date_start", "date_end", "sort_date", "year", "parts"
KEYWORDS = ("tags", "authors")  # counted by facets


def part_index(part: str) -> int:
    return list(HEAD_WEIGHTS).index(part)


def part_bit(part: str) -> int:
    return 1 << part_index(part)


def part_target(part: str) -> Target:
    """A part of head as a target: head's positions of that part, its weight."""
    start = part_index(part) * PART_STRIDE
    return Target(HEAD, 1.0, (start, start + PART_STRIDE), HEAD_WEIGHTS[part], part)


def targets(field: str | None) -> tuple[Target, ...]:
    """Where a word of a field (None: the default fields) is looked for."""
    if field is None:
        return DEFAULT_TARGETS
    if field in HEAD_PARTS:
        return (part_target(field),)
    return (Target(field, 1.0, label=field),)


def analyzer_of(field: str | None):
    from ..analysis import words

    return words.names() if field in NAME_FIELDS else words.german()
