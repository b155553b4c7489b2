"""table: search results for a person at a terminal, fitted to its width.

From 100 columns: a grid (rank, date, id, title, snippet by default), the
title and snippet wrapped at word boundaries within their columns. Narrower:
a block per hit, its title on the first line, date and id on the second,
the snippet (at most three lines) below. Either way no line is wider than
the terminal, and a footer says which hits these are of how many."""
from __future__ import annotations

from . import Format, View, cell
from .facets import render_facets
from .text import clean, cut, display_width, wrap

DEFAULT = ("rank", "date", "id", "title", "snippet")
GRID_FROM = 100  # columns from which the default layout is a grid
FLEXIBLE = {"title": 2, "snippet": 3, "authors": 1, "tags": 1, "path": 1}  # shares of the room left
MAX_ID = 30
GAP = "  "
SNIPPET_LINES = 3


class Table(Format):
    name = "table"
    human = True
    shows_facets = True

    def result(self, result, view: View) -> str:
        parts = []
        if result.hits:
            cols = view.columns or DEFAULT
            grid = view.columns is not None or view.width >= GRID_FROM
            parts.append(_grid(result, cols, view) if grid else _blocks(result, view))
            parts.append(footer(result))
        if result.facets:
            parts.append(render_facets(result.facets, width=view.width))
        return "\n\n".join(parts)

    def batch_result(self, qno: int, result, view: View) -> str:
        body = self.result(result, view) or "(no results)"
        return f"# {clean(result.query, newlines=False)}\n{body}\n"

    def batch_error(self, qno: int, query: str, error: str, view: View) -> str:
        return f"# {clean(query, newlines=False)}\nerror: {error}\n"


def footer(result) -> str:
    first, last = result.hits[0].rank, result.hits[-1].rank
    return f"{first}-{last} of {result.total} results ({result.took_ms:.0f} ms)"


def _text(hit, result, col: str) -> tuple[str, list]:
    """A cell's text on one line, and its highlighted spans."""
    if col == "snippet":
        return clean(hit.snippet.text, newlines=False), hit.snippet.spans
    if col == "title":
        return clean(hit.article.title, newlines=False), hit.title_spans
    text = clean(cell(hit, result, col), newlines=False)
    if col == "id" and len(text) > MAX_ID:  # the end of a long id tells ids apart
        text = "…" + text[-(MAX_ID - 1):]
    return text, []


def _grid(result, cols, view: View) -> str:
    texts = [[_text(h, result, c) for c in cols] for h in result.hits]
    natural = [max([display_width(c)] + [display_width(row[i][0]) for row in texts])
               for i, c in enumerate(cols)]
    widths = list(natural)
    room = view.width - display_width(GAP) * (len(cols) - 1)
    flexible = [i for i, c in enumerate(cols) if c in FLEXIBLE]
    fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
    if not flexible and fixed > room:  # only fixed columns: the widest ones give way
        flexible = sorted(range(len(cols)), key=lambda i: -widths[i])[:1]
        fixed = sum(w for i, w in enumerate(widths) if i not in flexible)
    left = max(room - fixed, 8 * max(len(flexible), 1))
    shares = sum(FLEXIBLE.get(cols[i], 1) for i in flexible) or 1
    for i in flexible:
        widths[i] = max(6, min(natural[i], left * FLEXIBLE.get(cols[i], 1) // shares))
    # room a narrow flexible column leaves goes to the others
    spare = left - sum(widths[i] for i in flexible)
    for i in flexible:
        if spare <= 0:
            break
        grow = min(spare, natural[i] - widths[i])
        widths[i] += grow
        spare -= grow
    # too narrow for the columns asked for: the widest give way (a cell wraps,
    # a long word or number is cut across lines)
    over = sum(widths) - room
    while over > 0 and max(widths) > 4:
        i = widths.index(max(widths))
        widths[i] -= 1
        over -= 1
    lines = [GAP.join(cut(c, w).ljust(w) for c, w in zip(cols, widths)).rstrip(),
             GAP.join("-" * w for w in widths)]
    for n, row in enumerate(texts):
        if n:
            lines.append("")  # (rows of several lines read better apart)
        cells = [wrap(t, spans, w, view.color, SNIPPET_LINES if c == "snippet" else None)
                 for (t, spans), c, w in zip(row, cols, widths)]
        for k in range(max(map(len, cells))):
            parts = []
            for cl, w, (t, _) in zip(cells, widths, row):
                line = cl[k] if k < len(cl) else ""
                plain = _plain_width(line)
                parts.append(line + " " * max(0, w - plain))
            lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def _blocks(result, view: View) -> str:
    out = []
    indent = max(len(str(h.rank)) for h in result.hits) + 2
    w = max(view.width - indent, 10)
    for hit in result.hits:
        title, spans = _text(hit, result, "title")
        title_lines = wrap(title or "(untitled)", spans, w, view.color)
        out.append(f"{hit.rank:>{indent - 2}}  {title_lines[0]}")
        out += [" " * indent + line for line in title_lines[1:]]
        meta = " · ".join(x for x in (hit.article.date, clean(hit.id, newlines=False)) if x)
        out += [" " * indent + line for line in wrap(meta, [], w, False)]
        snippet, sspans = _text(hit, result, "snippet")
        if snippet:
            out += [" " * indent + line for line in wrap(snippet, sspans, w, view.color, SNIPPET_LINES)]
        out.append("")
    return "\n".join(out).rstrip("\n")


def _plain_width(line: str) -> int:
    """Columns of a line that may hold colour codes."""
    import re

    return display_width(re.sub(r"\x1b\[[0-9;]*m", "", line))


TABLE = Table()
