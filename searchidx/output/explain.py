"""`search --explain` for a person: the parsed tree, the rewrites, the tree
searched and each hit's scores, as indented lines (json and jsonl carry
the same in their `explain` keys)."""
from __future__ import annotations

from .text import clean, wrap


def render(result, width: int | None = None) -> str:
    """The parsed tree, the rewrites, the tree searched and each hit's
    scores, as indented lines; with `width`, a longer line goes on below
    itself, indented further."""
    ex = result.explained
    lines = ["explain:", "  parsed:"] + ["    " + x for x in ex.parsed.splitlines()]
    lines += ["  rewrites:"] + (["    " + r for r in ex.rewrites] or ["    (none)"])
    lines += ["  searched:"] + ["    " + x for x in ex.final.splitlines()]
    for hit in result.hits:
        lines += [f"  hit {hit.rank}: {clean(hit.id, newlines=False)}"]
        lines += ["    " + x for x in hit.explanation or []]
    if width:
        fitted = []
        for line in lines:
            indent = len(line) - len(line.lstrip(" "))
            inner = min(indent + 4, width // 2)
            text = line.lstrip(" ")
            first = wrap(text, [], max(width - indent, 8), False)[0]
            fitted.append(" " * indent + first)
            rest = text[len(first):].strip()
            if rest:
                fitted += [" " * inner + x for x in wrap(rest, [], max(width - inner, 8), False)]
        lines = fitted
    return "\n".join(lines)
