"""Date strings found in article files, normalised to ISO forms."""
from __future__ import annotations

import re
from datetime import date

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "mär": 3, "maer": 3, "apr": 4, "may": 5, "mai": 5,
           "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11,
           "dec": 12, "dez": 12}
_DMY = re.compile(r"^(\d{1,2})\.?\s+([A-Za-zäÄ]{3,9})\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_day_month_year(text: str) -> str:
    """`13 Sep 2023` or `13. September 2023` -> `2023-09-13`; "" if not a date."""
    m = _DMY.match(text.strip())
    if not m:
        return ""
    month = _MONTHS.get(m.group(2).lower()[:3]) or _MONTHS.get(m.group(2).lower()[:4])
    return _valid(int(m.group(3)), month, int(m.group(1))) if month else ""


def parse_iso(text: str) -> str:
    """`2024`, `2024-06` or `2024-06-19` (checked) -> itself; "" if not a date."""
    m = _ISO.match(text.strip())
    if not m:
        return ""
    year, month, day = (int(g) if g else None for g in m.groups())
    return _valid(year, month, day)


def _valid(year: int, month: int | None, day: int | None) -> str:
    # Years before 1800 are placeholders in real archives (Wikinews has 0001-01-01).
    if year < 1800 or year > 2999:
        return ""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return ""
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def date_bounds(iso: str) -> tuple[int, int] | None:
    """`2024-06` -> (20240601, 20240631): the days (YYYYMMDD) a partial ISO date
    stands for (a month ends on its 31st: the index's dates and the query's
    ranges agree); None for no date."""
    if not iso:
        return None
    parts = iso.split("-")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else None
    d = int(parts[2]) if len(parts) > 2 else None
    return y * 10000 + (m or 1) * 100 + (d or 1), y * 10000 + (m or 12) * 100 + (d or 31)
