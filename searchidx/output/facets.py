"""Facet counts as small tables: value and count, the 20 most frequent."""
from __future__ import annotations

from .text import clean

SHOWN = 20


def render_facets(facets: dict, table: bool = True) -> str:
    from tabulate import tabulate

    blocks = []
    for name, rows in facets.items():
        blocks.append(tabulate([[clean(str(v), newlines=False), c] for v, c in rows[:SHOWN]],
                               headers=[name, "count"], tablefmt="simple" if table else "plain",
                               disable_numparse=True))
    return "\n\n".join(blocks)
