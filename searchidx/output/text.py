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
import textwrap
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


def wrap(text: str, spans, width_: int, color: bool, max_lines: int | None = None) -> list[str]:
    """`text` (one paragraph) in lines of at most `width_` columns, broken at
    spaces (a word longer than a line is cut), highlighted spans kept;
    with `max_lines`, the last line kept ends in `…`."""
    width_ = max(width_, 4)
    lines = textwrap.wrap(text, width_, break_long_words=True, break_on_hyphens=False,
                          drop_whitespace=True) or [""]
    # where each line starts in `text` (textwrap drops the spaces between lines)
    out, pos = [], 0
    cut = max_lines is not None and len(lines) > max_lines
    if cut:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[:width_ - 1].rstrip() if display_width(last) >= width_ else last) + "…"
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
