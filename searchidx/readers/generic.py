"""Any other readable text: the first non-empty line is the title, the rest the body."""
from __future__ import annotations

import re

from ..article import Article
from .plain_dated import derive_title

NAME = "generic"


def matches(text: str) -> bool:
    return True


def read(text: str, article_id: str, path: str) -> list[Article]:
    lines = text.lstrip("\ufeff").strip().split("\n")
    title = lines[0].strip().lstrip("#").strip() if lines else ""
    rest = "\n".join(lines[1:])
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", rest) if p.strip()]
    return [Article(id=article_id, path=path, title=derive_title(title, 160),
                    body="\n\n".join(paragraphs), format=NAME)]
