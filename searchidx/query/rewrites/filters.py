"""DateRange and HasField -> conditions on integer columns.

An article's date covers [date_start, date_end] (a month-precision date
covers the month), so a range matches when the two overlap."""
from __future__ import annotations

from ...errors import QueryError
from ...indexing import fields as F
from .. import tree as T


def to_columns(node, ctx):
    def visit(n):
        kind = type(n)
        if kind is T.DateRange:
            conds = []
            if n.end is not None:  # (from 1: an undated article has 0, and no date)
                conds.append(T.ColumnRange(F.DATE_START, 1, n.end))
            if n.start is not None:
                conds.append(T.ColumnRange(F.DATE_END, n.start, None))
            return T.Bool(filter=tuple(conds)) if conds else T.MatchAll()
        if kind is T.HasField:
            if n.field in F.HEAD_WEIGHTS:  # (each has its bit: documents.py)
                return T.ColumnBits(F.PARTS, F.part_bit(n.field), n.boost)
            raise QueryError(f"{n.field}:* would match nearly every article; "
                             f"search the {n.field} for words instead")
        return n

    return T.transform(node, visit)
