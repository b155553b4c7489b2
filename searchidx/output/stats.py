"""`stats` for a person: sizes and dates readable, lists one per line."""
from __future__ import annotations

import datetime
import textwrap

from .text import clean, human_bytes

LABELS = {"documents": "documents", "terms": "terms", "segments": "segments",
          "size_bytes": "size", "index": "index", "roots": "roots",
          "last_update": "last update", "formats": "formats", "date_range": "date range"}


def render_stats(st: dict, width: int | None = None) -> str:
    """`width`: the values wrapped to fit it (long root paths, many formats)."""
    from tabulate import tabulate

    rows = []
    for key, value in st.items():
        if key == "size_bytes":
            value = f"{human_bytes(value)} ({value:,} bytes)"
        elif key == "last_update":
            value = (datetime.datetime.fromtimestamp(value).isoformat(sep=" ", timespec="seconds")
                     if value else "")
        elif key == "date_range":
            value = " .. ".join(value) if value else ""
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v:,}" for k, v in value.items())
        elif isinstance(value, list):
            value = "\n".join(map(str, value))
        elif isinstance(value, int):
            value = f"{value:,}"
        rows.append((LABELS.get(key, key), clean(str(value))))
    if width is not None:  # (wrapped here: tabulate's maxcolwidths parses "1,000" as a number)
        room = max(width - 2 - max(len(label) for label, _ in rows), 10)
        rows = [(label, "\n".join(part for line in value.split("\n")
                                   for part in textwrap.wrap(line, room, break_on_hyphens=False)
                                   or [""]))
                for label, value in rows]
    return tabulate(rows, tablefmt="plain", disable_numparse=True)
