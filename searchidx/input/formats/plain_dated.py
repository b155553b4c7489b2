"""Plain dated text: a first line ` date 2024-06 <teaser>`, then body paragraphs
with short subhead lines. No title or author in the file; the date has month
precision, so the display title is derived from the teaser."""
from __future__ import annotations

import re

from ...model import Article
from ..dates import parse_iso

NAME = "plain_dated"

_FIRST = re.compile(r"^\s*date\s+(\d{4}(?:-\d{2}){0,2})(?:\s+(.*))?$")


def matches(text: str) -> bool:
    m = _FIRST.match(text.lstrip("\ufeff\n").split("\n", 1)[0])
    return m is not None


def read(text: str, article_id: str, path: str) -> list[Article]:
    text = text.lstrip("\ufeff\n")
    first, _, rest = text.partition("\n")
    m = _FIRST.match(first)
    lead = (m.group(2) or "").strip()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", rest) if p.strip()]
    body = "\n\n".join(" ".join(line.strip() for line in p.split("\n")) for p in paragraphs)
    return [Article(id=article_id, path=path, date=parse_iso(m.group(1)), lead=lead,
                    body=body, title=derive_title(lead or body), format=NAME)]


def derive_title(text: str, limit: int = 100) -> str:
    """The first sentence, cut at a word boundary if longer than `limit`."""
    text = " ".join(text.split())
    m = re.search(r"(?<=[^\s.]{3}[.!?])\s+(?=[A-ZÄÖÜ\"„])", text)
    sentence = text[:m.start()] if m else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence.rfind(" ", 0, limit)
    return sentence[:cut if cut > 0 else limit].rstrip(",;:–- ") + " …"
