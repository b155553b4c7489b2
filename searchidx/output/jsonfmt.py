"""json and jsonl: the library's result serialised as it is (SearchResult.to_dict)."""
from __future__ import annotations

import json

from . import Format, View


def _select(d: dict, columns) -> dict:
    if columns:
        d["results"] = [{k: r[k] for k in columns if k in r} for r in d["results"]]
    return d


class Json(Format):
    shows_facets = True

    def __init__(self, name: str, indent: int | None):
        self.name, self.indent = name, indent

    def result(self, result, view: View) -> str:
        return json.dumps(_select(result.to_dict(), view.columns), ensure_ascii=False,
                          indent=self.indent)

    def batch_result(self, qno: int, result, view: View) -> str:
        # a batch is one JSON object per line, whichever of the two
        return json.dumps(_select(result.to_dict(), view.columns), ensure_ascii=False)

    def batch_error(self, qno: int, query: str, error: str, view: View) -> str:
        return json.dumps({"query": query, "error": error}, ensure_ascii=False)


JSON = Json("json", 2)
JSONL = Json("jsonl", None)
