"""plain: one line per hit, fields separated by tabs, for people reading a
pipe (grep, less): rank, date, title, id, snippet by default. Tabs and line
breaks inside values are escaped, so a line is always one hit."""
from __future__ import annotations

from . import Format, View, cell
from .facets import render_facets
from .text import clean, escape_field, mark

DEFAULT = ("rank", "date", "title", "id", "snippet")


class Plain(Format):
    name = "plain"
    human = True
    shows_facets = True

    def result(self, result, view: View) -> str:
        cols = view.columns or DEFAULT
        lines = ["\t".join(_value(h, result, c, view.color) for c in cols) for h in result.hits]
        if result.facets:
            lines.append(render_facets(result.facets, table=False))
        return "\n".join(lines)

    def batch_result(self, qno: int, result, view: View) -> str:
        return f"# {clean(result.query, newlines=False)}\n{self.result(result, view)}\n"

    def batch_error(self, qno: int, query: str, error: str, view: View) -> str:
        return f"# {clean(query, newlines=False)}\nerror: {error}\n"


def _value(hit, result, col: str, color: bool) -> str:
    if col in ("snippet", "title") and color:
        text, spans = (hit.snippet.text, hit.snippet.spans) if col == "snippet" else \
            (hit.article.title, hit.title_spans)
        if "\t" not in text and "\n" not in text and "\\" not in text:  # (escaping moves offsets)
            return mark(clean(text), spans, True)
    return escape_field(cell(hit, result, col))


PLAIN = Plain()
