"""taz.de articles as served over gopher: `# taz.de -- Kicker: Title`, `> `
lead, `(IMG) Bild:` caption, body with `[N][text]` link marks and `## `
subheads, a `13 Sep 2023` date line, then `## LINKS`, `## AUTOREN`, `## TAGS`
and `## ARTIKEL ZUM THEMA` sections of `(DIR)` lines."""
from __future__ import annotations

import re

from ...model import Article, unique
from ..dates import parse_day_month_year

NAME = "taz_gopher"

_HEADER = re.compile(r"^\s*#\s*taz\.de\s+--\s+(.*)$")
_MARKER = re.compile(r"^\s*\((DIR|IMG|TXT|HTM|URL|[A-Z]{3})\)\s?(.*)$")
_LINK_MARK = re.compile(r"\[\d+\]\[([^\]]*)\]")
_LINK_ENTRY = re.compile(r"^\[(\d+)\]\s*(\S.*)$")
_DATELINE = re.compile(r"^([A-ZÄÖÜ][A-ZÄÖÜ./\- ]*[A-ZÄÖÜ.])\s+taz\s*\|\s*")
_SECTIONS = {"LINKS": "links", "AUTOREN": "authors", "AUTORIN": "authors",
             "AUTOR": "authors", "TAGS": "tags", "ARTIKEL ZUM THEMA": "related"}


def _heading(lines: list[str]):
    """(index, match) of the first non-blank line if it is the taz header."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    return first, _HEADER.match(lines[first].replace("\ufeff", "")) if lines else None


def matches(text: str) -> bool:
    return _heading(text[:2000].split("\n"))[1] is not None


def read(text: str, article_id: str, path: str) -> list[Article]:
    lines = text.split("\n")
    first, header = _heading(lines)
    heading = header.group(1).strip()
    kicker, sep, title = heading.partition(": ")
    if not sep:
        kicker, title = "", heading
    art = Article(id=article_id, path=path, kicker=kicker.strip(), title=title.strip(),
                  format=NAME)

    lead, caption, body, section_lines = [], [], [], {}
    section = None  # None = article text; else a key of _SECTIONS' values
    in_caption = False
    for raw in lines[first + 1:]:
        marker = _MARKER.match(raw)
        line = (marker.group(2) if marker else raw).strip()
        if line.startswith("## ") and line[3:].strip().upper() in _SECTIONS:
            section = _SECTIONS[line[3:].strip().upper()]
            section_lines.setdefault(section, [])
            continue
        if section:
            section_lines[section].append((marker.group(1) if marker else None, line))
            continue
        if marker and marker.group(1) == "IMG":
            caption.append(re.sub(r"^Bild:\s*", "", line))
            in_caption = True
            continue
        if in_caption and line:
            caption.append(line)
            continue
        in_caption = False
        if line.startswith(">"):
            lead.append(line[1:].strip())
            continue
        if not art.date and (date := parse_day_month_year(line)):
            art.date = date
            continue
        # `## ` subheads stay in the body as text, without their markup.
        body.append(line[3:].strip() if line.startswith("## ") else line)

    art.lead = " ".join(x for x in lead if x)
    art.image_caption = " ".join(caption).strip()
    paragraphs = _paragraphs(body)
    if paragraphs and (m := _DATELINE.match(paragraphs[0])):
        art.location = m.group(1).strip()
        paragraphs[0] = paragraphs[0][m.end():]
    art.body = "\n\n".join(_LINK_MARK.sub(r"\1", p) for p in paragraphs)
    art.lead = _LINK_MARK.sub(r"\1", art.lead)

    for _, line in section_lines.get("links", []):
        if m := _LINK_ENTRY.match(line):
            art.links.append({"number": int(m.group(1)), "target": m.group(2).strip()})
    art.authors = unique(line for kind, line in section_lines.get("authors", []) if kind)
    art.tags = unique(line for kind, line in section_lines.get("tags", []) if kind)
    art.related = _related(section_lines.get("related", []))
    return [art]


def _paragraphs(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs; blank lines separate them."""
    out, cur = [], []
    for line in lines + [""]:
        if line:
            cur.append(line)
        elif cur:
            out.append(" ".join(cur))
            cur = []
    return out


def _related(entries: list[tuple]) -> list[dict]:
    """Each `(DIR) Title` line starts an entry; the plain lines after it are its teaser."""
    out: list[dict] = []
    for kind, line in entries:
        if kind:
            out.append({"title": line, "teaser": ""})
        elif out and line:
            t = out[-1]
            t["teaser"] = f"{t['teaser']} {line}".strip()
    return out
