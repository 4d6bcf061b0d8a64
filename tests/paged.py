"""A folder of many short dated articles, for the paged article list."""

from __future__ import annotations

import datetime
from pathlib import Path

from tests.conftest import write

LANGS = ("de", "ru", "ar")
WORDS = {"de": "Bericht über den Hafen", "ru": "Доклад о порте", "ar": "تقرير عن الميناء"}


def write_many(root: Path, count: int) -> dict[str, tuple[str, str | None]]:
    """``count`` articles declared in a manifest (language and, for nine in
    ten, a date); returns id -> (lang, date)."""
    start = datetime.date(2019, 1, 1)
    entries = ["articles:"]
    made: dict[str, tuple[str, str | None]] = {}
    for i in range(count):
        aid, lang = f"n{i:04d}", LANGS[i % len(LANGS)]
        date = None if i % 10 == 0 else (start + datetime.timedelta(days=(i * 37) % 900)).isoformat()
        write(root / f"{aid}.txt", f"{WORDS[lang]} {i}\n\n{WORDS[lang]} {i} ({aid}).\n")
        entries.append(f"  - {{id: {aid}, file: {aid}.txt, lang: {lang}" + (f", date: {date}" if date else "") + "}")
        made[aid] = (lang, date)
    write(root / "briefing.yaml", "\n".join(entries) + "\n")
    return made


def by_date(made: dict[str, tuple[str, str | None]]) -> list[str]:
    """Newest first, undated last, ties by id."""
    dated = sorted((aid for aid, (_l, d) in made.items() if d), key=lambda a: (-_ordinal(made[a][1]), a))
    return dated + sorted(aid for aid, (_l, d) in made.items() if not d)


def by_lang(made: dict[str, tuple[str, str | None]]) -> list[str]:
    order = by_date(made)
    return sorted(order, key=lambda a: made[a][0])  # stable: newest first within a language


def _ordinal(date: str | None) -> int:
    return datetime.date.fromisoformat(date).toordinal() if date else 0
