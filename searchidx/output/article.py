"""`show`: one article for reading, wrapped to the terminal's width."""
from __future__ import annotations

import textwrap

from .text import clean


def render_article(art, width: int) -> str:
    width = max(width, 20)

    def para(text: str) -> str:
        return "\n\n".join(textwrap.fill(p, width, break_on_hyphens=False)
                           for p in clean(text).split("\n") if p.strip())

    head = [f"{art.kicker}: {art.title}" if art.kicker else art.title]
    meta = [x for x in (art.date, ", ".join(art.authors), art.location) if x]
    if meta:
        head.append(" | ".join(meta))
    parts = ["\n".join(para(line) for line in head)]
    parts += [para(x) for x in (art.lead, art.image_caption and f"Caption: {art.image_caption}",
                                art.body) if x]
    if art.tags:
        parts.append(para("Tags: " + ", ".join(art.tags)))
    if art.links:
        parts.append("Links:\n" + "\n".join(
            textwrap.fill(f"[{link['number']}] {clean(str(link['target']))}", width,
                          initial_indent="  ", subsequent_indent="      ")
            for link in art.links))
    if art.related:
        parts.append("Related:\n" + "\n".join(
            textwrap.fill(f"- {clean(r.get('title', ''))}", width, initial_indent="  ",
                          subsequent_indent="    ") for r in art.related))
    parts.append(para(f"({art.id} \u2014 {art.path})"))
    return "\n\n".join(p for p in parts if p)
