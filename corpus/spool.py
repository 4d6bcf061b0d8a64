"""Where a build keeps the articles it parsed while it works across them.

Version detection, alignment and speaker identities need each article once
or twice, never all at once; what they need of every article at once is
small (its language, its anchors). :class:`Spool` keeps the parsed articles
and their paragraph features on disk, pickled and compressed in a SQLite file
(2-3 KB an article instead of some 130 KB of Python objects), so a
rebuild's memory does not grow with the articles' text. :class:`Shelf` keeps
them as objects, for a small folder or an API caller. Both are read-only
mappings from id to :class:`Article`, iterated in id order.
"""

from __future__ import annotations

import errno
import os
import pickle
import sqlite3
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

import numpy as np

from . import meaning
from .evidence import DocProfile, anchor_keys
from .models import Article
from .versions import Leads


class SpoolError(OSError):
    """The spool could not be written (its disk is full, say)."""


class Shelf(Mapping[str, Article]):
    """Articles and version-detection profiles held as objects."""

    def __init__(self) -> None:
        self._articles: dict[str, Article] = {}
        self._profiles: dict[str, DocProfile] = {}
        self.langs: dict[str, str] = {}  # id -> language, of every article
        self.profiled: set[str] = set()  # ids of the articles with a profile
        self.paragraphs = 0

    def add(self, article: Article, profile: DocProfile | None = None) -> None:
        self._articles[article.id] = article
        self._count(article, profile)
        if profile is not None:
            self._profiles[article.id] = profile

    def _count(self, article: Article, profile: DocProfile | None) -> None:
        if article.id in self.langs:
            raise ValueError(f"{article.id}: shelved twice")
        self.langs[article.id] = article.lang
        self.paragraphs += len(article.paragraphs)
        if profile is not None:
            self.profiled.add(article.id)

    def __getitem__(self, aid: str) -> Article:
        return self._articles[aid]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._articles))

    def __len__(self) -> int:
        return len(self._articles)

    def ordered(self) -> Iterator[Article]:
        """Every article, in id order."""
        return (self._articles[aid] for aid in sorted(self._articles))

    def profile(self, aid: str) -> DocProfile | None:
        return self._profiles.get(aid)

    def close(self) -> None:
        pass


_BATCH = 500  # articles written to the file per transaction


class Spool(Shelf):
    """Articles and profiles pickled, compressed, in a SQLite file of
    ``folder`` that is removed on :meth:`close`. Readable from several
    threads at once (each read opens its own cursor under a lock; a
    streaming read has a connection of its own)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        fd, name = tempfile.mkstemp(prefix="spool-", suffix=".sqlite", dir=folder)
        os.close(fd)
        self.path = Path(name)
        self._conn = sqlite3.connect(name, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=OFF")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.execute("CREATE TABLE spool (id TEXT PRIMARY KEY, article BLOB, profile BLOB) WITHOUT ROWID")
        self._lock = threading.Lock()
        self._pending: list[tuple[str, bytes, bytes | None]] = []
        self.profile = lru_cache(maxsize=2048)(self._profile)  # type: ignore[method-assign]

    def add(self, article: Article, profile: DocProfile | None = None) -> None:
        self._count(article, profile)
        self._pending.append((article.id, _pack(article), None if profile is None else _pack(profile)))
        if len(self._pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        with self._lock:
            if not self._pending:
                return
            try:
                with self._conn:
                    self._conn.execute("BEGIN")
                    self._conn.executemany("INSERT INTO spool VALUES (?,?,?)", self._pending)
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc
            self._pending.clear()
        self.profile.cache_clear()  # type: ignore[attr-defined]

    def __getitem__(self, aid: str) -> Article:
        self._flush()
        with self._lock:
            row = self._conn.execute("SELECT article FROM spool WHERE id = ?", (aid,)).fetchone()
        if row is None:
            raise KeyError(aid)
        return _unpack(row[0])

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.langs))

    def __len__(self) -> int:
        return len(self.langs)

    def __contains__(self, aid: object) -> bool:
        return aid in self.langs

    def ordered(self) -> Iterator[Article]:
        self._flush()
        conn = sqlite3.connect(self.path, check_same_thread=False)
        try:
            for (blob,) in conn.execute("SELECT article FROM spool ORDER BY id"):
                yield _unpack(blob)
        finally:
            conn.close()

    def keep_leads(self, leads: Leads) -> SpooledLeads:
        """The opening vectors moved into the spool's file: after version
        detection a build needs them once more, to store them in the index,
        and held until then they were 1 KB an article through every later
        stage (300 MB at 300,000 articles). What stays in memory is their ids."""
        ids = list(leads)
        with self._lock:
            try:
                with self._conn:
                    self._conn.execute("CREATE TABLE lead (block INTEGER PRIMARY KEY, vectors BLOB)")
                    self._conn.execute("BEGIN")
                    for block, (_ids, vecs) in enumerate(leads.blocks(LEADS_ROWS)):
                        self._conn.execute("INSERT INTO lead VALUES (?, ?)", (block, vecs.tobytes()))
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc
        return SpooledLeads(self.path, ids)

    def _failed(self, exc: sqlite3.Error) -> SpoolError:
        full = isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)
        return SpoolError(errno.ENOSPC if full else errno.EIO, f"{self.path}: {exc}")

    def _profile(self, aid: str) -> DocProfile | None:
        self._flush()
        with self._lock:
            row = self._conn.execute("SELECT profile FROM spool WHERE id = ?", (aid,)).fetchone()
        return None if row is None or row[0] is None else _unpack(row[0])

    def close(self) -> None:
        """Remove the file (again: harmless)."""
        self._conn.close()
        self.path.unlink(missing_ok=True)


LEADS_ROWS = 4096  # opening vectors a row of the spool's table lead holds (4 MB of float16)


class SpooledLeads(Mapping[str, np.ndarray]):
    """Opening vectors that :meth:`Spool.keep_leads` keeps in the spool's
    file, read a block at a time (:meth:`blocks`, as :class:`Leads` gives
    them); reading one by id reads its block. Each read has a connection
    of its own: the side store reads them from a thread of its own."""

    def __init__(self, path: Path, ids: list[str]) -> None:
        self._path = path
        self._ids = ids
        self._row: dict[str, int] | None = None  # made when first read by id

    def _stored(self) -> Iterator[np.ndarray]:
        conn = sqlite3.connect(self._path, check_same_thread=False)
        try:
            for (blob,) in conn.execute("SELECT vectors FROM lead ORDER BY block"):
                yield np.frombuffer(blob, dtype=np.float16).reshape(-1, meaning.DIM)
        finally:
            conn.close()

    def blocks(self, size: int) -> Iterator[tuple[list[str], np.ndarray]]:
        """``(ids, float16 rows)``, ``size`` at a time in the order they were given."""
        return _reblocked(self._ids, self._stored(), size)

    def __getitem__(self, aid: str) -> np.ndarray:
        if self._row is None:
            self._row = {a: i for i, a in enumerate(self._ids)}
        row = self._row[aid]
        conn = sqlite3.connect(self._path, check_same_thread=False)
        try:
            (blob,) = conn.execute("SELECT vectors FROM lead WHERE block = ?", (row // LEADS_ROWS,)).fetchone()
        finally:
            conn.close()
        return np.frombuffer(blob, dtype=np.float16).reshape(-1, meaning.DIM)[row % LEADS_ROWS].astype(np.float32)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def _reblocked(ids: Sequence[str], stored: Iterable[np.ndarray], size: int) -> Iterator[tuple[list[str], np.ndarray]]:
    """Rows given in blocks of any sizes, yielded ``size`` at a time with their ids."""
    pending: list[np.ndarray] = []
    held = start = 0
    for block in stored:
        pending.append(block)
        held += len(block)
        while held >= size:
            rows = np.concatenate(pending) if len(pending) > 1 else pending[0]
            yield list(ids[start:start + size]), rows[:size]
            pending, held, start = [rows[size:]], held - size, start + size
    if held:
        yield list(ids[start:]), np.concatenate(pending)


class Profiles(Mapping[str, DocProfile]):
    """The version-detection profiles a shelf holds, by id in id order
    (read from the shelf when asked for)."""

    def __init__(self, shelf: Shelf) -> None:
        self._shelf = shelf
        self._ids = sorted(shelf.profiled)

    def __getitem__(self, aid: str) -> DocProfile:
        found = self._shelf.profile(aid)
        if found is None:
            raise KeyError(aid)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, aid: object) -> bool:
        return aid in self._shelf.profiled


class Anchors(Mapping[str, frozenset[str]]):
    """Each profiled article's version-detection anchors
    (:func:`corpus.align.anchor_keys`), worked out when asked for."""

    def __init__(self, profiles: Profiles) -> None:
        self._profiles = profiles

    def __getitem__(self, aid: str) -> frozenset[str]:
        return anchor_keys(self._profiles[aid])

    def __iter__(self) -> Iterator[str]:
        return iter(self._profiles)

    def __len__(self) -> int:
        return len(self._profiles)


class Streamed(Sequence[Article]):
    """A shelf's articles in id order, each passed through ``finish``
    (final speakers, versions) as it is read: iterating reads the shelf
    again, one article at a time."""

    def __init__(self, shelf: Shelf, finish: Callable[[Article], Article]) -> None:
        self._shelf = shelf
        self._finish = finish
        self._ids = list(shelf)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    def __iter__(self) -> Iterator[Article]:
        return map(self._finish, self._shelf.ordered())

    @overload
    def __getitem__(self, i: int) -> Article: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Article]: ...
    def __getitem__(self, i: int | slice) -> Article | Sequence[Article]:
        if isinstance(i, slice):
            return [self._finish(self._shelf[aid]) for aid in self._ids[i]]
        return self._finish(self._shelf[self._ids[i]])


def _pack(obj: Any) -> bytes:
    return zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes) -> Any:
    return pickle.loads(zlib.decompress(blob))  # noqa: S301 - written by this process, in its own build folder
