"""csv and tsv: one row per hit, a header row first.

    columns     --fields, default: rank,id,score,date,title,authors,tags,path,snippet,suggestion
    suggestion  the query as searched when a word was corrected (else empty)
    batch       one header for all queries, with `qno` and `query` first and
                `error` last; a failed query is one row with its error

csv quotes fields with separators, quotes or line breaks (RFC 4180); tsv
escapes backslash, tab, newline and carriage return as \\\\ \\t \\n \\r.
Other control characters are shown as symbols in both (output.text.clean)."""
from __future__ import annotations

import csv
import io

from . import Format, View, cell
from .text import clean, escape_field

DEFAULT = ("rank", "id", "score", "date", "title", "authors", "tags", "path", "snippet", "suggestion")


class Delimited(Format):
    def __init__(self, name: str, delimiter: str):
        self.name, self.delimiter = name, delimiter

    def _rows(self, rows: list[list[str]]) -> str:
        if self.delimiter == "\t":
            return "\n".join("\t".join(escape_field(v) for v in row) for row in rows)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for row in rows:
            w.writerow([clean(v) for v in row])
        return buf.getvalue().rstrip("\n")

    def result(self, result, view: View) -> str:
        cols = view.columns or DEFAULT
        return self._rows([list(cols)] + [[cell(h, result, c) for c in cols] for h in result.hits])

    def batch_header(self, view: View) -> str:
        return self._rows([["qno", "query", *(view.columns or DEFAULT), "error"]])

    def batch_result(self, qno: int, result, view: View) -> str | None:
        cols = view.columns or DEFAULT
        rows = [[str(qno), result.query, *(cell(h, result, c) for c in cols), ""] for h in result.hits]
        return self._rows(rows) if rows else None

    def batch_error(self, qno: int, query: str, error: str, view: View) -> str:
        return self._rows([[str(qno), query, *([""] * len(view.columns or DEFAULT)), error]])


CSV = Delimited("csv", ",")
TSV = Delimited("tsv", "\t")
