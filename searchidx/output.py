"""Formatting search results for people (table, plain) and scripts (json,
jsonl, csv, tsv). JSON is the library's result serialised as it is."""
from __future__ import annotations

import csv
import io
import json

import click

FORMATS = ("table", "plain", "json", "jsonl", "csv", "tsv")
COLUMNS = ("rank", "id", "score", "date", "title", "authors", "tags", "path", "snippet")
DEFAULT_COLUMNS = {"table": ("rank", "date", "title", "snippet"),
                   "plain": ("rank", "date", "title", "id", "snippet")}


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    if not text:
        return None
    cols = tuple(c.strip() for c in text.split(",") if c.strip())
    bad = [c for c in cols if c not in COLUMNS]
    if bad:
        raise click.BadParameter(f"unknown field {bad[0]!r} (choose from {', '.join(COLUMNS)})",
                                 param_hint="--fields")
    return cols


def mark(text: str, spans, color: bool) -> str:
    """Highlight spans: bold yellow on a colour terminal, plain otherwise."""
    if not color or not spans:
        return text
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], click.style(text[s:e], fg="yellow", bold=True)]
        last = e
    out.append(text[last:])
    return "".join(out)


def _cell(hit, col: str, color: bool, sep: str = "; ") -> str:
    d = hit.to_dict()
    if col == "snippet":
        return mark(hit.snippet.text, hit.snippet.spans, color)
    if col == "title":
        return mark(d["title"], hit.title_spans, color)
    value = d[col]
    if isinstance(value, list):
        return sep.join(value)
    if value is None:
        return ""
    return str(value)


def render(result, fmt: str, columns=None, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(_select(result.to_dict(), columns), ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return json.dumps(_select(result.to_dict(), columns), ensure_ascii=False)
    cols = columns or DEFAULT_COLUMNS.get(fmt, COLUMNS)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(cols)
        for hit in result.hits:
            w.writerow([_cell(hit, c, False) for c in cols])
        return buf.getvalue().rstrip("\n")
    lines = []
    if result.suggestion:
        lines.append(f"Showing results for: {result.suggestion}")
    if fmt == "table":
        lines.append(_table(result, cols, color))
    else:
        lines += ["\t".join(_cell(hit, c, color) for c in cols) for hit in result.hits]
    if result.facets:
        lines.append(render_facets(result.facets, fmt))
    return "\n".join(x for x in lines if x)


def _table(result, cols, color: bool) -> str:
    from tabulate import tabulate

    if not result.hits:
        return ""
    widths = {"title": 40, "snippet": 70, "path": 40, "tags": 30, "authors": 24}
    rows = [[_cell(hit, c, color) for c in cols] for hit in result.hits]
    table = tabulate(rows, headers=list(cols), tablefmt="simple",
                     maxcolwidths=[widths.get(c) for c in cols], disable_numparse=True)
    shown = f"{result.hits[0].rank}-{result.hits[-1].rank}"
    return f"{table}\n\n{shown} of {result.total} results ({result.took_ms:.0f} ms)"


def render_facets(facets: dict, fmt: str) -> str:
    from tabulate import tabulate

    blocks = []
    for name, rows in facets.items():
        blocks.append(tabulate([[v, c] for v, c in rows[:20]], headers=[name, "count"],
                               tablefmt="simple" if fmt == "table" else "plain"))
    return "\n\n".join(blocks)


def _select(d: dict, columns) -> dict:
    if columns:
        d["results"] = [{k: r[k] for k in columns if k in r} for r in d["results"]]
    return d
