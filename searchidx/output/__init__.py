"""Rendering for people (table, plain) and scripts (json, jsonl, csv, tsv):
one module per format, each a Format; the CLI's --format choices are this
registry's names. Also the renderings of `show` (article), `stats`, facets,
`trend`, `kwic` and `--explain`.

A new output format is one module with a Format, named in formats() and
FORMAT_NAMES."""
from __future__ import annotations

from dataclasses import dataclass

import click

COLUMNS = ("rank", "id", "score", "date", "title", "authors", "tags", "path", "snippet", "spans",
           "suggestion")


@dataclass
class View:
    """How to render: which columns (None: the format's own), colour, width."""
    columns: tuple[str, ...] | None = None
    color: bool = False
    width: int = 100


class Format:
    """A search output format. `result` renders one search; a batch prints
    `batch_header` once, then an answer or an error per query."""
    name = ""
    human = False  # colour and terminal width apply
    shows_facets = False

    def result(self, result, view: View) -> str:
        raise NotImplementedError

    def batch_header(self, view: View) -> str | None:
        return None

    def batch_result(self, qno: int, result, view: View) -> str:
        return self.result(result, view)

    def batch_error(self, qno: int, query: str, error: str, view: View) -> str | None:
        raise NotImplementedError


def formats() -> dict[str, Format]:
    from .delimited import CSV, TSV
    from .jsonfmt import JSON, JSONL
    from .plain import PLAIN
    from .table import TABLE

    return {f.name: f for f in (TABLE, PLAIN, JSON, JSONL, CSV, TSV)}


FORMAT_NAMES = ("table", "plain", "json", "jsonl", "csv", "tsv")  # (formats(), without importing them)


def get(name: str) -> Format:
    return formats()[name]


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    if not text:
        return None
    cols = tuple(c.strip() for c in text.split(",") if c.strip())
    bad = [c for c in cols if c not in COLUMNS]
    if bad:
        raise click.BadParameter(f"unknown field {bad[0]!r} (choose from {', '.join(COLUMNS)})",
                                 param_hint="--fields")
    return cols


def cell(hit, result, col: str, sep: str = "; ") -> str:
    """A hit's value for a column, as text (lists joined; None empty)."""
    if col == "suggestion":
        return result.suggestion or ""
    if col == "spans":
        import json

        return json.dumps([list(s) for s in hit.snippet.spans])
    if col == "snippet":
        return hit.snippet.text
    if col == "title":
        return hit.article.title
    value = hit.to_dict()[col]
    if isinstance(value, list):
        return sep.join(value)
    return "" if value is None else str(value)
