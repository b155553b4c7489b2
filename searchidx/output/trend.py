"""`trend` for a person: a bar chart of Unicode blocks, one row per period,
fitted to the terminal; and csv/json for plotting elsewhere.

One query: a bar per period. Several: side by side, a column each under
its query, on one scale, so bars compare across queries. Where the columns
would be too narrow for bars (many queries, a narrow terminal), each period
takes a row per query instead, marked with the query's number from the legend.
Runs of periods without any match fold into one row, so that one stray date
(a year 0001 from a broken source) does not scroll a chart away.

csv: `period` and one column per query (headed by the query as typed).
json: {"by", "periods", "series": [{"query", "suggestion", "total",
"undated", "imprecise", "counts"}]}, a count per period."""
from __future__ import annotations

import csv
import io
import json

import click

from .text import clean, display_width, shorten, wrap

EIGHTHS = " ▏▎▍▌▋▊▉"  # a bar's last cell, in eighths
FULL = "█"
ASCII_FULL = "#"
COLORS = ("cyan", "magenta", "yellow", "green", "blue", "red")
MIN_BAR = 6  # columns below which side-by-side bars stop reading as bars
FOLD = 3  # runs of this many empty periods or more become one row
GAP = "  "
UNIT = {"year": ("year", "years"), "month": ("month", "months")}


def render_table(trend, width: int, color: bool = False, unicode: bool = True) -> str:
    """The chart; `unicode` False: bars of `#` (a terminal that cannot show blocks)."""
    k = len(trend.series)
    if not trend.periods:  # every match undated (or, by month, dated to the year only)
        return "\n".join(line for s in trend.series if s.total
                         for line in wrap(_summary(s, trend.by, k > 1), [], width, False))
    columns = [trend.column(n) for n in range(k)]
    top = max(max(c) for c in columns) or 1
    label_w = max(len(p) for p in trend.periods)
    count_w = max(len(f"{v:,}") for c in columns for v in c)
    names = [clean(s.query, newlines=False) for s in trend.series]
    # side by side: label, then per query a bar and its count
    bar_w = (width - label_w - len(GAP) * k - k * (1 + count_w)) // k
    side = bar_w >= MIN_BAR or (k == 1 and bar_w >= 1)

    def paint(text: str, n: int) -> str:
        return click.style(text, fg=COLORS[n % len(COLORS)]) if color and text else text

    def cell(value: int, n: int, w: int) -> str:
        bar = _bar(value, top, w, unicode)
        return paint(bar, n) + " " * (w - len(bar)) + " " + f"{value:,}".rjust(count_w)

    lines = []
    if side:
        cell_w = bar_w + 1 + count_w
        heads = [_cut(nm, cell_w) for nm in names]
        lines.append(" " * label_w + "".join(GAP + paint(h, n) + " " * (cell_w - display_width(h))
                                             for n, h in enumerate(heads)))
    else:
        bar_w = max(1, width - label_w - len(GAP) - len(str(k)) - 2 - count_w)
        for n, nm in enumerate(names):
            lines.append(paint(_cut(f"{n + 1} {nm}", width), n))
    for row in _rows(trend, columns):
        if isinstance(row, tuple):  # a run of empty periods
            first, last, count = row
            unit = UNIT[trend.by][count != 1]
            lines.append(_cut(f"{'⋮':>{label_w}}{GAP}{count:,} {unit} without any: {first} to {last}",
                              width))
        elif side:
            lines.append(trend.periods[row] + "".join(GAP + cell(columns[n][row], n, bar_w)
                                                      for n in range(k)))
        else:
            for n in range(k):
                label = trend.periods[row] if n == 0 else ""
                lines.append(f"{label:<{label_w}}{GAP}{n + 1} {cell(columns[n][row], n, bar_w)}")
    lines.append("")
    lines += [line for s in trend.series for line in wrap(_summary(s, trend.by, k > 1), [], width, False)]
    return "\n".join(line.rstrip() for line in lines)


def _rows(trend, columns):
    """Period indexes, with runs of FOLD or more empty periods as (first, last, count)."""
    empty = [not any(c[i] for c in columns) for i in range(len(trend.periods))]
    i = 0
    while i < len(empty):
        j = i
        while j < len(empty) and empty[j]:
            j += 1
        if j - i >= FOLD:
            yield trend.periods[i], trend.periods[j - 1], j - i
            i = j
        else:
            yield i
            i += 1


def _bar(value: int, top: int, width: int, unicode: bool) -> str:
    """A bar of value/top of `width` cells, in eighths of a cell; a count
    above zero shows at least a sliver."""
    eighths = round(value * width * 8 / top)
    if value and not eighths:
        eighths = 1
    if not unicode:
        return ASCII_FULL * max(eighths // 8, 1 if value else 0)
    return FULL * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


def _summary(s, by: str, named: bool) -> str:
    parts = [f"{s.total:,} article{'s' if s.total != 1 else ''}"]
    if s.undated:
        parts.append(f"{s.undated:,} undated")
    if s.imprecise:
        parts.append(f"{s.imprecise:,} dated only to the year (in no month)")
    text = ", ".join(parts)
    return f"{clean(s.query, newlines=False)}: {text}" if named else text


_cut = shorten


def render_csv(trend) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["period"] + [clean(s.query) for s in trend.series])
    columns = [trend.column(n) for n in range(len(trend.series))]
    for i, p in enumerate(trend.periods):
        w.writerow([p] + [c[i] for c in columns])
    return buf.getvalue().rstrip("\n")


def render_json(trend) -> str:
    return json.dumps(trend.to_dict(), ensure_ascii=False, indent=2)
