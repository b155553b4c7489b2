"""Any other readable text: the first non-empty line is the title, the rest the body."""
from __future__ import annotations

import re

from ...model import Article
from .plain_dated import derive_title

NAME = "generic"


def matches(text: str) -> bool:
    return True


def read(text: str, article_id: str, path: str) -> list[Article]:
    lines = text.strip().split("\n")
    first = lines[0].strip().lstrip("#").strip()
    title = derive_title(first, 160)
    rest = "\n".join(lines[1:])
    if title != first:  # a long first line: its text stays in the body, all of it
        rest = f"{first}\n\n{rest}"
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", rest) if p.strip()]
    return [Article(id=article_id, path=path, title=title,
                    body="\n\n".join(paragraphs), format=NAME)]
