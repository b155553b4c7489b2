"""Facet counts as small tables: value and count, the 20 most frequent;
with a width, values too long for it are cut (`…`)."""
from __future__ import annotations

from .text import clean, shorten

SHOWN = 20


def render_facets(facets: dict, table: bool = True, width: int | None = None) -> str:
    from tabulate import tabulate

    blocks = []
    for name, rows in facets.items():
        rows = rows[:SHOWN]
        # (tabulate pads a header by two: the count column is at least 7 wide)
        room = None if width is None else \
            max(width - 2 - max([len("count") + 2] + [len(str(c)) for _, c in rows]), 6)
        blocks.append(tabulate([[_cut(clean(str(v), newlines=False), room), c] for v, c in rows],
                               headers=[name, "count"], tablefmt="simple" if table else "plain",
                               disable_numparse=True))
    return "\n\n".join(blocks)


def _cut(text: str, room: int | None) -> str:
    return text if room is None else shorten(text, room)
