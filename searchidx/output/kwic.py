"""`kwic` for a person: one line per occurrence, the match in a column near
the middle, the context before it right-aligned and the context after it
left-aligned, both cut at word boundaries to fit the terminal; the date in
front from 80 columns, the article id behind from 120.

The part of a compound that matched is highlighted on a colour terminal and
bracketed without colour: `Waffen[lieferungen]` for Lieferung.

csv: id, date, title, left, match, right. json: {"query", "articles",
"read", "complete", "suggestion", "lines": [{"id", "date", "title", "left",
"match", "right", "part", "field"}]}, `part` the [start, end) of the matched
part in `match` (null: all of it), `field` title, lead or body."""
from __future__ import annotations

import csv
import io
import json

import click

from .text import clean, display_width, wrap

GAP = "  "
DATE_FROM = 80  # columns from which lines start with the date
ID_FROM = 120  # ... and end with the article id
MAX_ID = 24
MAX_MATCH_SHARE = 4  # the match column takes at most a quarter of the line


def render_table(conc, width: int, color: bool = False, context: int | None = None) -> str:
    """`context`: columns of context each side (default: what `width` leaves)."""
    if not conc.lines:
        return ""
    matches = [_match(x, color) for x in conc.lines]
    dates = [x.date or "" for x in conc.lines]
    ids = [_short_id(clean(x.id, newlines=False)) for x in conc.lines]
    date_w = max(map(len, dates)) if width >= DATE_FROM else 0
    id_w = max(map(display_width, ids)) if width >= ID_FROM else 0
    match_w = min(max(w for _, w in matches), max(width // MAX_MATCH_SHARE, 4))
    fixed = (date_w + len(GAP) if date_w else 0) + (id_w + len(GAP) if id_w else 0)
    room = max(width - fixed - match_w - 2 * len(GAP), 2)
    left_w = context if context else room // 2
    right_w = context if context else room - room // 2
    out = []
    for line, (m, mw), date, id_ in zip(conc.lines, matches, dates, ids):
        if mw > match_w:  # (a very long word: cut, unhighlighted)
            m, mw = _head(clean(line.match, newlines=False), match_w), match_w
        left = _tail(clean(line.left, newlines=False), left_w)
        right = _head(clean(line.right, newlines=False), right_w)
        parts = [date.ljust(date_w)] if date_w else []
        parts += [" " * (left_w - display_width(left)) + left,
                  m + " " * (match_w - mw), right + " " * (right_w - display_width(right))]
        if id_w:
            parts.append(id_)
        out.append(GAP.join(parts).rstrip())
    return "\n".join(out + [""] + wrap(_footer(conc), [], width, False))


def _match(line, color: bool) -> tuple[str, int]:
    """The match as shown, and its width: the matched part marked."""
    word = clean(line.match, newlines=False)
    s, e = line.part or (0, len(word))
    if color:
        return word[:s] + click.style(word[s:e], fg="yellow", bold=True) + word[e:], display_width(word)
    shown = word if not line.part else f"{word[:s]}[{word[s:e]}]{word[e:]}"
    return shown, display_width(shown)


def _footer(conc) -> str:
    n = len(conc.lines)
    lines = f"{n:,} line{'s' if n != 1 else ''}"
    if conc.complete:
        return f"{lines}: every occurrence in {conc.articles:,} article{'s' if conc.articles != 1 else ''}"
    return f"{lines} from {conc.read:,} of {conc.articles:,} articles (-n 0 for all)"


def _short_id(text: str) -> str:
    return text if len(text) <= MAX_ID else "…" + text[-(MAX_ID - 1):]


def _tail(text: str, width: int) -> str:
    """The end of `text` in at most `width` columns, from a word's start, `…` before if cut."""
    if display_width(text) <= width:
        return text
    keep = ""
    for ch in reversed(text):
        if display_width(keep) + display_width(ch) > width - 1:
            break
        keep = ch + keep
    space = keep.find(" ")
    if 0 <= space < len(keep) // 2:
        keep = keep[space + 1:]
    return "…" + keep


def _head(text: str, width: int) -> str:
    """The start of `text` in at most `width` columns, to a word's end, `…` after if cut."""
    if display_width(text) <= width:
        return text
    keep = ""
    for ch in text:
        if display_width(keep) + display_width(ch) > width - 1:
            break
        keep += ch
    space = keep.rfind(" ")
    if space > len(keep) // 2:
        keep = keep[:space]
    return keep + "…"


FIELDS = ("id", "date", "title", "left", "match", "right")


def render_csv(conc) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for line in conc.lines:
        w.writerow([clean(getattr(line, f) or "") for f in FIELDS])
    return buf.getvalue().rstrip("\n")


def render_json(conc) -> str:
    return json.dumps(conc.to_dict(), ensure_ascii=False, indent=2)
