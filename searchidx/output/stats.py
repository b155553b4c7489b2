"""`stats` for a person: sizes and dates readable, lists one per line."""
from __future__ import annotations

import datetime

from .text import clean, human_bytes

LABELS = {"documents": "documents", "terms": "terms", "segments": "segments",
          "size_bytes": "size", "index": "index", "roots": "roots",
          "last_update": "last update", "formats": "formats", "date_range": "date range"}


def render_stats(st: dict) -> str:
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
    return tabulate(rows, tablefmt="plain", disable_numparse=True)
