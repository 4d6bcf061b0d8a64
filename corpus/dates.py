"""Find a publication date in text: ISO, Chinese, and day-month-year with the
month names from ``cues.yaml`` (``17 مايو 2020``, ``17. Mai 2020``, ``May 17, 2020``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_patterns(months: dict[str, tuple[str, ...]]) -> list[tuple[re.Pattern[str], dict[str, int]]]:
    out = []
    for names in months.values():
        lookup = {n.lower(): i + 1 for i, n in enumerate(names)}
        alt = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
        day_first = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+({alt})\w*\.?\s+((?:19|20)\d{{2}})(?!\d)", re.IGNORECASE)
        month_first = re.compile(rf"\b({alt})\w*\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d{{2}})(?!\d)", re.IGNORECASE)
        out.append((day_first, lookup))
        out.append((month_first, lookup))
    return out


def _month_number(word: str, lookup: dict[str, int]) -> int | None:
    word = word.lower()
    best = max((n for n in lookup if word.startswith(n)), key=len, default=None)
    return lookup[best] if best else None


def find_date(texts: Iterable[str], months: dict[str, tuple[str, ...]]) -> str | None:
    """The first valid date in ``texts``, as ISO 8601, or None."""
    patterns = _month_patterns(months)
    for text in texts:
        for m in _ISO.finditer(text):
            if iso := _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))):
                return iso
        for pat, lookup in patterns:
            for m in pat.finditer(text):
                a, b, year = m.groups()
                if a.isdigit():
                    day, month = int(a), _month_number(b, lookup)
                else:
                    day, month = int(b), _month_number(a, lookup)
                if month and (iso := _valid(int(year), month, day)):
                    return iso
    return None
