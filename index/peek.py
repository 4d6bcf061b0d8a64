"""Quick looks into the live index without opening it, for shell
completion, which must answer at once and never fail loudly: read-only
SQLite on the generation's side store; no Whoosh, no numpy. Anything that
cannot be read (no index yet, a damaged file) gives nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from .errors import IndexError_
from .integrity import SIDE_DB
from .store import current_generation

_LAST = "\U0010ffff"  # sorts after every character: the end of an id prefix's range


@contextmanager
def _side(index_dir: Path) -> Iterator[sqlite3.Connection]:
    path = current_generation(index_dir) / SIDE_DB
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)) as db:
        yield db


def article_ids(index_dir: Path, prefix: str = "", limit: int = 200) -> list[tuple[str, str]]:
    """``(id, title)`` of up to ``limit`` articles whose id starts with
    ``prefix``, in id order (a range on the primary key: as fast at a
    million articles as at five)."""
    try:
        with _side(index_dir) as db:
            rows = db.execute("SELECT id, title FROM article WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                              (prefix, prefix + _LAST, limit)).fetchall()
    except (IndexError_, sqlite3.Error, OSError, ValueError):
        return []
    return [(str(i), str(t)) for i, t in rows]


def languages(index_dir: Path) -> list[str]:
    """The languages the index holds, by a skip-scan of the language index
    (one lookup per language, not one per article)."""
    try:
        with _side(index_dir) as db:
            rows = db.execute(
                "WITH RECURSIVE l(x) AS (SELECT MIN(lang) FROM article UNION ALL "
                "SELECT (SELECT MIN(lang) FROM article WHERE lang > x) FROM l WHERE x IS NOT NULL) "
                "SELECT x FROM l WHERE x IS NOT NULL").fetchall()
    except (IndexError_, sqlite3.Error, OSError, ValueError):
        return []
    return [str(r[0]) for r in rows]
