"""Text for terminals and pipes: values from articles made safe to print,
highlighting, and wrapping to a width.

Article text comes from files anyone may have written: a control character
(ESC, C1, DEL, bidi overrides ...) printed raw can retitle the terminal,
clear the screen or plant links. Every value a human format prints goes
through `clean`, which replaces them with visible stand-ins."""
from __future__ import annotations

import os
import re
import sys
import unicodedata

import click

DEFAULT_WIDTH = 100  # when the output is not a terminal and COLUMNS is not set

# C0 controls but tab and newline, DEL, C1, and the bidi overrides/isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _visible(m: re.Match) -> str:
    o = ord(m.group())
    if o < 0x20:
        return chr(0x2400 + o)  # ␛ for ESC, ␀ for NUL ...
    if o == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls, bidi overrides: �


def clean(value: str, newlines: bool = True) -> str:
    """`value` with control characters shown, not obeyed, one character for
    one (highlight offsets stay valid); without `newlines`, tabs and
    newlines become spaces too (one-line cells)."""
    value = _CONTROL.sub(_visible, value)
    if not newlines:
        value = value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return value


def escape_field(value: str) -> str:
    """A value for one tab-separated field: backslash, tab, newline and
    carriage return escaped as \\\\ \\t \\n \\r (as PostgreSQL's text format)."""
    value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return _CONTROL.sub(_visible, value)


def mark(text: str, spans, color: bool) -> str:
    """Highlight spans: bold yellow on a colour terminal, plain otherwise."""
    if not color or not spans:
        return text
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], click.style(text[s:e], fg="yellow", bold=True)]
        last = e
    out.append(text[last:])
    return "".join(out)


def width(stream=None) -> int:
    """Columns of the terminal (COLUMNS wins), else DEFAULT_WIDTH."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        fd = (stream or sys.stdout).fileno()
        if os.isatty(fd):
            return os.get_terminal_size(fd).columns or DEFAULT_WIDTH
    except (OSError, ValueError, AttributeError):
        pass
    return DEFAULT_WIDTH


def display_width(text: str) -> int:
    """Terminal columns of plain text (wide East Asian letters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def cut(text: str, width_: int) -> str:
    """The longest start of `text` within `width_` columns."""
    if display_width(text) <= width_:
        return text
    n = 0
    for k, ch in enumerate(text):
        n += display_width(ch)
        if n > width_:
            return text[:k]
    return text


def shorten(text: str, width_: int) -> str:
    """`text` in at most `width_` columns, ending in `…` if cut."""
    return text if display_width(text) <= width_ else cut(text, width_ - 1) + "…"


def _lines(text: str, width_: int) -> list[str]:
    """`text` broken at spaces into lines of at most `width_` columns (a
    word wider than a line is cut), each a slice of `text`, the spaces at
    the breaks dropped (textwrap counts characters, not columns)."""
    out: list[str] = []
    start = end = None
    used = 0
    for m in _WORD.finditer(text):
        s, e = m.span()
        w = display_width(text[s:e])
        if start is not None:
            gap = display_width(text[end:s])
            if used + gap + w <= width_:
                end, used = e, used + gap + w
                continue
            out.append(text[start:end])
            start = None
        while w > width_:  # a word wider than a line: as much as fits on each
            k = max(len(cut(text[s:e], width_)), 1)
            out.append(text[s:s + k])
            s += k
            w = display_width(text[s:e])
        if s < e:
            start, end, used = s, e, w
    if start is not None:
        out.append(text[start:end])
    return out or [""]


_WORD = re.compile(r"\S+")


def wrap(text: str, spans, width_: int, color: bool, max_lines: int | None = None) -> list[str]:
    """`text` (one paragraph) in lines of at most `width_` columns, broken at
    spaces (a word longer than a line is cut), highlighted spans kept;
    with `max_lines`, the last line kept ends in `…`."""
    width_ = max(width_, 4)
    lines = _lines(text, width_)
    # where each line starts in `text` (textwrap drops the spaces between lines)
    out, pos = [], 0
    too_many = max_lines is not None and len(lines) > max_lines
    if too_many:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (cut(last, width_ - 1).rstrip() if display_width(last) >= width_ else last) + "…"
    for line in lines:
        start = text.find(line.rstrip("…") if line.endswith("…") else line, pos)
        if start < 0:
            start = pos
        end = start + len(line.rstrip("…") if line.endswith("…") else line)
        local = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
        body = line[:end - start]
        out.append(mark(body, local, color) + line[end - start:])
        pos = end
    return out


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"
