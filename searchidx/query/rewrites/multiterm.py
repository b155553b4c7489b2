"""Prefix, Wildcard, Fuzzy -> TermSet: the index terms they match, at most
ctx.max_expansion (more is an error that names the limit: a query such as
`*a*` would otherwise visit most of the index). The limit holds for the
whole query, as Lucene's maxClauseCount does: `a* e* i* o* u*` would
otherwise visit as much as `*a*`."""
from __future__ import annotations

from ...analysis.fold import fold
from ...analysis.words import PART_MARK
from ...indexing import fields as F
from ...errors import QueryError
from .. import tree as T
from ..syntax import MAX_FUZZY_EDITS


def expand(node, ctx):
    from ...backend.base import QueryTooCostly

    expanded = 0  # terms of the query's TermSets so far

    def visit(n):
        nonlocal expanded
        kind = type(n)
        if kind not in (T.Prefix, T.Wildcard, T.Fuzzy):
            return n
        targets = F.targets(n.field)
        if kind is T.Prefix:
            shown, how, pattern = f"{n.text}*", "prefix", fold(n.text.lower())
        elif kind is T.Wildcard:
            shown, how, pattern = n.pattern, "wildcard", fold(n.pattern.lower())
        else:
            edits = min(n.edits, MAX_FUZZY_EDITS)
            terms = F.analyzer_of(n.field).query_terms(n.text)
            if not terms:
                return T.Bool()  # a stop word: nothing to search
            shown, how, pattern = f"{n.text}~{edits}", "fuzzy", f"{terms[0]}~{edits}"
        if how != "fuzzy" and not pattern.strip("*?"):  # (`kicker:*` is a HasField)
            raise QueryError(f"{shown!r} alone matches every word; add letters to it")
        terms: set[str] = set()
        try:
            for field in dict.fromkeys(t.field for t in targets):
                terms.update(ctx.reader.expand(field, how, pattern, ctx.max_expansion))
                if how == "fuzzy":  # as the word itself, the compounds it ends
                    terms.update(ctx.reader.expand(field, how, PART_MARK + pattern,
                                                   ctx.max_expansion))
        except QueryTooCostly:
            raise QueryError(f"{shown} matches more than {ctx.max_expansion:,} words in the index; "
                             "make it longer") from None
        if len(terms) > ctx.max_expansion:
            raise QueryError(f"{shown} matches more than {ctx.max_expansion:,} words in the index; "
                             "make it longer")
        expanded += len(terms)
        if expanded > ctx.max_expansion:
            raise QueryError(f"the query's wildcards match more than {ctx.max_expansion:,} words "
                             "in the index together; use fewer, or make them longer")
        return T.TermSet(shown, targets, tuple(sorted(terms)), n.boost)  # (none: nothing matches)

    return T.transform(node, visit)
