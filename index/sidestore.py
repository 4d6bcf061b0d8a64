"""The side store: one generation's parsed articles, alignments and derived
summaries, in SQLite files beside the Whoosh segments.

Whoosh stores no long text; snippets and the reader take paragraphs from
here. A reader keeps only the article list (:class:`ArticleInfo`) in memory
and loads an article's paragraphs when a hit or the reader needs them, so
memory and opening time do not grow with the corpus's text.

Like Whoosh's segments, it is split so that an update copies only what is
small:

- ``side.sqlite``: the article list, file states, links, alignments,
  nearest neighbours, summaries. Every generation has its own copy.
- parts, ``side.0001.sqlite`` …: what each article alone owns and what grows
  with the text (paragraphs, place and speaker references, version-detection
  anchors, opening vectors, summary shares). A part is written once, by the
  build that made its articles, and later generations share it by hard link.
  A rebuild writes one part; an update writes one more with the articles it
  changed or added, and records the rows it replaced in older parts as stale
  (table ``stale``). Past :data:`MAX_PARTS`, an update folds the live rows
  of every part but the first into its own. Stale rows stay until the next
  rebuild, which an update starts once a fifth of the paragraphs changed
  (index/build.py).

Written once per build (:meth:`SideStore.create`, the ``put_*`` methods,
:meth:`SideStore.finish`) or patched per changed article by ``update``
(:meth:`SideStore.patch`, on a copy of ``side.sqlite``): a published
generation's files are never modified, so readers open them ``immutable``.
"""

from __future__ import annotations

import heapq
import itertools
import os
import sqlite3
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import orjson

from corpus import Article, ArticleInfo, Kind, Paragraph
from corpus.aggregate import Rank, city_partial, speaker_partial
from corpus.align import Alignment
from corpus.evidence import Link
from corpus.identity import names_as_written
from corpus.spool import SpooledLeads
from corpus.versions import Leads

from .integrity import SIDE_PARTS
from .results import Census

_SCHEMA = """
CREATE TABLE article(
  id TEXT PRIMARY KEY, path TEXT NOT NULL, lang TEXT NOT NULL, title TEXT NOT NULL, date TEXT,
  encoding TEXT NOT NULL, sha256 TEXT NOT NULL, source TEXT, translations TEXT NOT NULL,
  paragraph_count INTEGER NOT NULL,
  unregistered INTEGER NOT NULL,   -- names a speaker the registry does not know
  part TEXT NOT NULL               -- the part that holds its own rows
);
-- the reader's article list, read a page at a time: newest first (undated last), or by language
CREATE INDEX article_date ON article(date DESC, id);
CREATE INDEX article_lang ON article(lang, date DESC, id);
-- every file the build saw, so an update re-reads only what changed
CREATE TABLE file(path TEXT PRIMARY KEY, id TEXT, sha256 TEXT, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
  reason TEXT);
CREATE TABLE link(a TEXT NOT NULL, b TEXT NOT NULL, confidence REAL NOT NULL, declared INTEGER NOT NULL,
  PRIMARY KEY(a, b));
CREATE TABLE alignment(source TEXT NOT NULL, target TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY(source, target));
-- each article detection pairs: its nearest article in every other language, by opening vector
CREATE TABLE nearest(article TEXT NOT NULL, lang TEXT NOT NULL, other TEXT NOT NULL, sim REAL NOT NULL,
  PRIMARY KEY(article, lang));
-- the Speakers and Places panes: one row per entity, merged from its shares; an update changes only the
-- entities its articles touch. Ordered by (grp, w1 DESC, w2 DESC, name, entity): corpus.aggregate.Rank.
-- light: what the panes show; state: what an update changes it by (corpus.aggregate.summary_state: counts and
-- each name's first article, never the list of articles); world: the GeoNames entry of a place the curated
-- gazetteer lacks (what queries expand it to)
CREATE TABLE summary(kind TEXT NOT NULL, entity TEXT NOT NULL, grp INTEGER NOT NULL, w1 INTEGER NOT NULL,
  w2 INTEGER NOT NULL, name TEXT NOT NULL, light TEXT NOT NULL, state TEXT NOT NULL, world TEXT,
  PRIMARY KEY(kind, entity)) WITHOUT ROWID;
CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- the parts of this generation, oldest first; and the rows of a part that a later one replaced or removed
CREATE TABLE part(name TEXT PRIMARY KEY);
CREATE TABLE stale(part TEXT NOT NULL, article TEXT NOT NULL, PRIMARY KEY(part, article)) WITHOUT ROWID;
"""

_PART_SCHEMA = """
CREATE TABLE body(id TEXT PRIMARY KEY, paragraphs BLOB NOT NULL);  -- zlib of their JSON: 2.5 times smaller
-- where each speaker speaks and each place is mentioned (the Speakers and Cities panes)
CREATE TABLE ref(kind TEXT NOT NULL, entity TEXT NOT NULL, article TEXT NOT NULL, n INTEGER NOT NULL,
  start INTEGER NOT NULL, stop INTEGER NOT NULL, PRIMARY KEY(kind, entity, article, n, start, stop)) WITHOUT ROWID;
-- version-detection keys of the articles detection pairs (see corpus.align.anchor_keys)
CREATE TABLE anchor(key TEXT NOT NULL, article TEXT NOT NULL);
CREATE INDEX anchor_key ON anchor(key);
-- the opening vectors of the articles detection pairs (corpus.meaning), so update embeds only new files: up to
-- LEADS_BLOCK articles a row, their ids (a JSON list) and their vectors (float16, row by row, in the ids' order)
CREATE TABLE lead(block INTEGER PRIMARY KEY, ids BLOB NOT NULL, vectors BLOB NOT NULL);
-- each article's share of an entity's summary (corpus.aggregate's partials), one row per entity and article
CREATE TABLE share(kind TEXT NOT NULL, entity TEXT NOT NULL, article TEXT NOT NULL, lang TEXT NOT NULL,
  data TEXT NOT NULL, PRIMARY KEY(kind, entity, article)) WITHOUT ROWID;
CREATE INDEX share_article ON share(article);
"""

LEADS_BLOCK = 8192  # opening vectors a row of table lead holds (8 MB of float16)
MAX_PARTS = 8  # parts of a generation before an update folds all but the first into its own
PART_NAME = "side.{:04d}.sqlite"


def _info(aid: str, path: str, lang: str, title: str, date: str | None, encoding: str, count: int,
          source: str | None, translations: str) -> ArticleInfo:
    return ArticleInfo(aid, path, sys.intern(lang), title, date, sys.intern(encoding), count, source,
                       tuple(_loads(translations)) if translations != "[]" else ())


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


# A part's tables of a row per article or less: (name, columns, placeholders, index of the article column), for
# folding parts. (Table lead, a block of articles a row, is folded by :meth:`SideStore.fold` itself.)
_PART_TABLES = (("body", "id, paragraphs", "?,?", 0),
                ("ref", "kind, entity, article, n, start, stop", "?,?,?,?,?,?", 2),
                ("anchor", "key, article", "?,?", 1),
                ("share", "kind, entity, article, lang, data", "?,?,?,?,?", 2))


def _put_lead_blocks(conn: sqlite3.Connection, ids: list[str], vecs: np.ndarray) -> None:
    """Rows of table lead for ``ids`` and their vectors (rows of ``vecs``), :data:`LEADS_BLOCK` a row."""
    (block,) = conn.execute("SELECT coalesce(max(block) + 1, 0) FROM lead").fetchone()
    for start in range(0, len(ids), LEADS_BLOCK):
        conn.execute("INSERT INTO lead VALUES (?,?,?)", (block, orjson.dumps(ids[start:start + LEADS_BLOCK]),
                                                          np.ascontiguousarray(vecs[start:start + LEADS_BLOCK],
                                                                               dtype=np.float16).tobytes()))
        block += 1


def _lead_blocks(conn: sqlite3.Connection, gone: Set[str], skip: Set[str] = frozenset(),
                 alive: Set[str] | None = None) -> Iterator[tuple[list[str], np.ndarray]]:
    """A part's opening vectors, a stored block at a time: ``(ids, float16
    rows)``, without those of ``gone`` and ``skip``, and only those of
    ``alive`` when given."""
    for ids_json, blob in conn.execute("SELECT ids, vectors FROM lead ORDER BY block"):
        ids = orjson.loads(ids_json)
        vecs = np.frombuffer(blob, dtype=np.float16).reshape(len(ids), -1)
        if gone or skip or alive is not None:
            keep = [aid not in gone and aid not in skip and (alive is None or aid in alive) for aid in ids]
            if not all(keep):
                ids = [aid for aid, k in zip(ids, keep, strict=True) if k]
                vecs = vecs[np.fromiter(keep, dtype=bool, count=len(keep))]
        if ids:
            yield ids, vecs


def _without(rows: Iterable[tuple[Any, ...]], gone: set[str]) -> Iterator[tuple[Any, ...]]:
    """The rows whose last column (their article) is not in ``gone``."""
    return (r for r in rows if r[-1] not in gone)


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """``items`` in lists of at most ``size`` (the parameters of one statement)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _rows_in(conn: sqlite3.Connection, query: str, ids: Iterable[str], *params: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query``, whose ``{}`` stands for the placeholders of
    ``ids`` (after ``params``), a statement per :func:`_chunks`."""
    for chunk in _chunks(list(dict.fromkeys(ids))):
        yield from conn.execute(query.format(",".join("?" * len(chunk))), (*params, *chunk))


def _json(data: Any) -> bytes:
    """Compact JSON, UTF-8 (orjson: the summaries of places that most
    articles name are megabytes each, and every article is stored as JSON)."""
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


def _dumps(data: Any) -> str:
    return _json(data).decode("utf-8")


_loads = orjson.loads


FRESH_S = 2  # a file modified this recently may change again within its mtime's tick: the next update hashes it
PACK_LEVEL = 1  # zlib's fastest: 2.5 times smaller on news paragraphs' JSON; level 6 only reaches 2.8


def _packed(data: Any) -> bytes:
    return zlib.compress(_json(data), PACK_LEVEL)


def _refs(article: Article) -> Iterator[tuple[str, str, str, int, int, int]]:
    """``(kind, entity, article, n, start, stop)``: a speaker's turns and the
    paragraphs that quote them; every place mention outside boilerplate."""
    for p in article.paragraphs:
        for sid in p.voices:
            yield "speaker", sid, article.id, p.n, 0, 0
        if p.kind is not Kind.BOILERPLATE:
            for cid, s, e in p.mentions:
                yield "city", cid, article.id, p.n, s, e


class FileState(NamedTuple):  # a tuple: an update reads one per corpus file
    """A corpus file as the last build saw it; ``id`` None: it was skipped
    (``reason``). ``mtime_ns`` 0: hash it next time whatever its stat says."""

    path: str
    id: str | None
    sha256: str | None
    size: int
    mtime_ns: int
    reason: str | None = None


def file_state(root: Path, rel: str, aid: str | None, sha: str | None, reason: str | None = None,
               fresh_after: int | None = None) -> FileState:
    """A file's state for the next update. A file modified after
    ``fresh_after`` (ns; default FRESH_S seconds ago) may change again within
    the same mtime tick, so it gets mtime 0: the next update hashes it."""
    if fresh_after is None:
        fresh_after = time.time_ns() - FRESH_S * 1_000_000_000
    try:
        st = os.stat(root / rel)
    except OSError:
        return FileState(rel, aid, sha, -1, 0, reason)
    return FileState(rel, aid, sha, st.st_size, 0 if st.st_mtime_ns >= fresh_after else st.st_mtime_ns, reason)


class SideStore:
    """One generation's side store: ``side.sqlite`` and its parts. Not
    thread-safe: callers hold their lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path, writable: bool = False) -> None:
        self._conn = conn
        self.path = path
        self._writable = writable
        self._parts: dict[str, sqlite3.Connection] = {}  # opened as needed
        self._stale: dict[str, set[str]] | None = None  # part -> its articles that a later part replaced
        self._written: str | None = None  # the part this store writes, once it has one
        self._folded: list[str] = []  # parts folded into the written one, to delete when finished

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path: Path) -> SideStore:
        """A new, empty store at ``path``. Parts already beside it (links to
        an older generation's, which a full update's copy brings) go first."""
        for old in path.parent.glob(SIDE_PARTS):
            old.unlink()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        return cls(conn, path, writable=True)

    @classmethod
    def patch(cls, path: Path) -> SideStore:
        """Open a private copy of ``side.sqlite`` (an update's new
        generation) for writing; the parts beside it stay as they are, and
        what changes goes into a new one."""
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        return cls(conn, path, writable=True)

    @classmethod
    def open(cls, path: Path) -> SideStore:
        """Read-only; a published generation never changes, so no locking."""
        conn = _read_only(path)
        conn.execute("SELECT count(*) FROM article").fetchone()  # fails here, not later, on a damaged file
        return cls(conn, path)

    def close(self) -> None:
        for conn in self._parts.values():
            conn.close()
        self._parts.clear()
        self._conn.close()

    def finish(self, analyze: bool = True) -> None:
        """Make a written store durable before its generation is published.
        ``analyze``: gather the query planner's statistics (a whole pass: an
        update's patched copy keeps those of the build it copied, and its
        part, small, needs none)."""
        if analyze:
            self._conn.execute("ANALYZE")
            if self._written is not None:
                self._parts[self._written].execute("ANALYZE")
        durable = [self.path.name, *([self._written] if self._written else [])]
        self.close()
        for name in self._folded:
            (self.path.parent / name).unlink(missing_ok=True)
        for name in durable:
            fd = os.open(self.path.parent / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    # -- parts -------------------------------------------------------------
    def part_names(self) -> list[str]:
        return [name for (name,) in self._conn.execute("SELECT name FROM part ORDER BY name")]

    def _part(self, name: str) -> sqlite3.Connection:
        conn = self._parts.get(name)
        if conn is None:
            conn = self._parts[name] = _read_only(self.path.parent / name)
        return conn

    def _writer(self) -> tuple[str, sqlite3.Connection]:
        """The part this store writes its articles' own rows to, made when first needed."""
        if self._written is None:
            if not self._writable:
                raise PermissionError(f"{self.path} is opened read-only")
            names = self.part_names()
            name = PART_NAME.format(int(names[-1].split(".")[1]) + 1 if names else 1)
            target = self.path.parent / name
            target.unlink(missing_ok=True)  # never written through: it could be a link to a published part
            conn = sqlite3.connect(target, isolation_level=None)
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _PART_SCHEMA)
            self._conn.execute("INSERT INTO part VALUES (?)", (name,))
            self._parts[name], self._written = conn, name
        return self._written, self._parts[self._written]

    def _stale_rows(self) -> dict[str, set[str]]:
        if self._stale is None:
            self._stale = defaultdict(set)
            for name, aid in self._conn.execute("SELECT part, article FROM stale"):
                self._stale[name].add(aid)
        return self._stale

    def _live(self, table: str, columns: str, where: str = "", params: tuple[Any, ...] = (),
              order: str = "") -> Iterator[tuple[str, Iterator[tuple[Any, ...]]]]:
        """``(part, rows)`` for each part: ``SELECT columns FROM table`` there,
        without the rows of its stale articles (the last column selected is
        the row's article)."""
        stale = self._stale_rows()
        for name in self.part_names():
            rows = self._part(name).execute(f"SELECT {columns} FROM {table}{where}{order}", params)
            gone = stale.get(name)
            yield name, _without(rows, gone) if gone else rows

    def fold(self, most: int | None = None) -> None:
        """With ``most`` parts (default :data:`MAX_PARTS`) besides the one this
        store writes, move the live rows of every part but the first into
        it, so that a generation never has more than ``most`` (their files
        are deleted from this generation's folder when it is finished). Call
        it after the articles this store replaces are deleted: a part holds
        one version of an article."""
        names = [n for n in self.part_names() if n != self._written]
        if len(names) < (MAX_PARTS if most is None else most):
            return
        small = set(names[1:])
        stale = self._stale_rows()
        name, conn = self._writer()
        for old in sorted(small):
            src = self._part(old)
            gone = stale.get(old, set())
            with conn:
                conn.execute("BEGIN")
                for table, columns, marks, article in _PART_TABLES:
                    rows = (r for r in src.execute(f"SELECT {columns} FROM {table}") if r[article] not in gone)
                    conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
                for ids, vecs in _lead_blocks(src, gone):
                    _put_lead_blocks(conn, ids, vecs)
        with self._conn:
            self._conn.execute("BEGIN")
            marks = ",".join("?" * len(small))
            self._conn.execute(f"UPDATE article SET part = ? WHERE part IN ({marks})", (name, *sorted(small)))
            self._conn.execute(f"DELETE FROM stale WHERE part IN ({marks})", sorted(small))
            self._conn.execute(f"DELETE FROM part WHERE name IN ({marks})", sorted(small))
        for old in small:
            self._parts.pop(old).close()
            stale.pop(old, None)
        self._folded.extend(sorted(small))

    # -- writing -----------------------------------------------------------
    def put_articles(self, articles: Iterable[Article], registered: Callable[[str], bool],
                     anchors: Mapping[str, frozenset[str]]) -> None:
        """Insert articles (an update deletes the ones it replaces first),
        with their paragraphs, references, summary shares and (for those
        detection pairs) anchors. ``registered`` tells whether a name as
        written is in the people registry."""
        name, conn = self._writer()
        rows: list[tuple[Any, ...]] = []
        bodies: list[tuple[str, bytes]] = []
        refs: list[tuple[Any, ...]] = []
        keys: list[tuple[str, str]] = []
        shares: list[tuple[str, str, str, str, str]] = []
        for a in articles:
            unregistered = any(not registered(written) for written in names_as_written(a))
            rows.append((a.id, a.path, a.lang, a.title, a.date, a.encoding, a.sha256, a.source, _dumps(a.translations),
                         len(a.paragraphs), int(unregistered), name))
            bodies.append((a.id, _packed([p.to_dict() for p in a.paragraphs])))
            refs.extend(_refs(a))
            keys.extend((k, a.id) for k in sorted(anchors.get(a.id, ())))
            for kind, partial in (("speaker", speaker_partial(a)), ("city", city_partial(a))):
                shares.extend((kind, entity, a.id, a.lang, _dumps(entry)) for entity, entry in partial.items())
        with conn:
            conn.execute("BEGIN")
            conn.executemany("INSERT OR REPLACE INTO body VALUES (?,?)", bodies)
            conn.executemany("INSERT OR REPLACE INTO share VALUES (?,?,?,?,?)", shares)
            conn.executemany("INSERT OR IGNORE INTO ref VALUES (?,?,?,?,?,?)", refs)
            conn.executemany("INSERT INTO anchor VALUES (?,?)", keys)
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO article VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    def delete_articles(self, ids: Iterable[str]) -> None:
        """Remove articles with everything that refers to them: their rows
        in ``side.sqlite``, and (as stale) their part's."""
        rows = [(i,) for i in ids]
        stale = self._stale_rows()
        with self._conn:
            self._conn.execute("BEGIN")
            for (aid,) in rows:
                got = self._conn.execute("SELECT part FROM article WHERE id = ?", (aid,)).fetchone()
                if got is not None:
                    self._conn.execute("INSERT OR IGNORE INTO stale VALUES (?, ?)", (got[0], aid))
                    stale[got[0]].add(aid)
            for table, column in (("article", "id"), ("nearest", "article")):
                self._conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", rows)
            self._conn.executemany("DELETE FROM alignment WHERE source = ?1 OR target = ?1", rows)
            self._conn.executemany("DELETE FROM link WHERE a = ?1 OR b = ?1", rows)

    def put_leads(self, leads: Mapping[str, np.ndarray]) -> None:
        """The opening vectors of articles this store has just written (a
        part holds only its own articles' rows)."""
        if not leads:
            return
        matrix = leads if isinstance(leads, (Leads, SpooledLeads)) else Leads(leads)
        _name, conn = self._writer()
        with conn:
            conn.execute("BEGIN")
            for ids, vecs in matrix.blocks(LEADS_BLOCK):
                _put_lead_blocks(conn, ids, vecs)

    def put_nearest(self, nearest: Mapping[tuple[str, str], tuple[str, float]]) -> None:
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO nearest VALUES (?,?,?,?)",
                                   ((a, lang, o, sim) for (a, lang), (o, sim) in nearest.items()))

    def nearest(self) -> dict[tuple[str, str], tuple[str, float]]:
        return {(a, lang): (o, sim) for a, lang, o, sim in self._conn.execute("SELECT * FROM nearest")}

    def nearest_of(self, ids: Iterable[str]) -> dict[str, dict[str, tuple[str, float]]]:
        """The rows of these articles: ``article -> language -> (nearest, similarity)``."""
        out: dict[str, dict[str, tuple[str, float]]] = {}
        for a, lang, o, sim in _rows_in(self._conn, "SELECT * FROM nearest WHERE article IN ({})", ids):
            out.setdefault(a, {})[lang] = (o, sim)
        return out

    def nearest_to(self, ids: Iterable[str]) -> list[tuple[str, str, str, float]]:
        """``(article, language, nearest, similarity)`` of the rows whose
        nearest is one of ``ids`` (one pass over the table in SQLite, which is
        not indexed by it)."""
        return list(_rows_in(self._conn, "SELECT * FROM nearest WHERE other IN ({})", ids))

    def nearest_in(self, lang: str) -> dict[str, tuple[str, float]]:
        """Each article's nearest of language ``lang``, by article."""
        return {a: (o, sim) for a, o, sim in
                self._conn.execute("SELECT article, other, sim FROM nearest WHERE lang = ?", (lang,))}

    def nearest_sims(self, lang: str) -> dict[str, float]:
        """Each article's similarity with its nearest of language ``lang``, by article."""
        return dict(self._conn.execute("SELECT article, sim FROM nearest WHERE lang = ?", (lang,)))

    def delete_nearest(self, ids: Iterable[str]) -> None:
        """Remove the rows of these articles (an update works them out again)."""
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("DELETE FROM nearest WHERE article = ?", [(i,) for i in ids])

    def delete_links(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Remove detected links (and their alignments) that an update re-decides."""
        rows = list(pairs)
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("DELETE FROM link WHERE a = ? AND b = ?", rows)
            self._conn.executemany(
                "DELETE FROM alignment WHERE (source = ?1 AND target = ?2) OR (source = ?2 AND target = ?1)", rows
            )

    def leads(self, alive: Set[str] | None = None, skip: Set[str] = frozenset()) -> Leads:
        """The stored opening vectors (of the articles in ``alive``, when
        given, and not in ``skip``), read into the matrix a stored block of
        articles at a time: one array per block, not one per article."""
        out = Leads()
        stale = self._stale_rows()
        for name in self.part_names():
            for ids, vecs in _lead_blocks(self._part(name), stale.get(name, set()), skip, alive):
                out.put(ids, vecs)
        return out

    def put_files(self, files: Iterable[FileState]) -> None:
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO file VALUES (?,?,?,?,?,?)",
                                   ((f.path, f.id, f.sha256, f.size, f.mtime_ns, f.reason) for f in files))

    def delete_files(self, paths: Iterable[str]) -> None:
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("DELETE FROM file WHERE path = ?", [(p,) for p in paths])

    def put_links(self, links: Iterable[Link]) -> None:
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("INSERT OR REPLACE INTO link VALUES (?,?,?,?)",
                                   ((lk.a, lk.b, lk.confidence, int(lk.declared)) for lk in links))

    def set_translations(self, versions: dict[str, tuple[str, ...]]) -> None:
        with self._conn:
            self._conn.execute("BEGIN")
            self._conn.executemany("UPDATE article SET translations = ? WHERE id = ?",
                                   [(_dumps(v), aid) for aid, v in versions.items()])

    def put_alignments(self, alignments: Iterable[Alignment], replace_all: bool = False) -> None:
        with self._conn:
            self._conn.execute("BEGIN")
            if replace_all:
                self._conn.execute("DELETE FROM alignment")
            self._conn.executemany("INSERT OR REPLACE INTO alignment VALUES (?,?,?)",
                                   ((al.source, al.target, _dumps(al.to_dict())) for al in alignments))

    def put(self, key: str, value: Any) -> None:
        self._conn.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, _dumps(value)))

    # -- reading -----------------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return _loads(row[0]) if row else default

    _INFO = "SELECT id, path, lang, title, date, encoding, paragraph_count, source, translations FROM article"
    ORDERS = {"date": "date DESC, id", "lang": "lang, date DESC, id", "id": "id"}

    def infos(self, order: str = "id", offset: int = 0, limit: int = -1) -> list[ArticleInfo]:
        """Articles without their paragraphs, in ``order`` (:data:`ORDERS`),
        ``limit`` of them from ``offset`` (-1: all)."""
        rows = self._conn.execute(f"{self._INFO} ORDER BY {self.ORDERS[order]} LIMIT ? OFFSET ?", (limit, offset))
        return [_info(*row) for row in rows]

    def info(self, aid: str) -> ArticleInfo | None:
        row = self._conn.execute(f"{self._INFO} WHERE id = ?", (aid,)).fetchone()
        return _info(*row) if row else None

    def langs(self) -> dict[str, str]:
        """Every article's language, by id."""
        return dict(self._conn.execute("SELECT id, lang FROM article"))

    def translations_of(self, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """The versions of these articles (those stored), by id."""
        return {aid: tuple(_loads(t)) for aid, t in
                _rows_in(self._conn, "SELECT id, translations FROM article WHERE id IN ({})", ids)}

    def versioned(self) -> list[ArticleInfo]:
        """The articles that have language versions, by id."""
        return [_info(*r) for r in self._conn.execute(f"{self._INFO} WHERE translations != '[]' ORDER BY id")]

    def find(self, text: str, limit: int) -> list[ArticleInfo]:
        """Articles whose id or title contains ``text`` (any case), by id."""
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._conn.execute(f"{self._INFO} WHERE id LIKE ?1 ESCAPE '\\' OR title LIKE ?1 ESCAPE '\\'"
                                  " ORDER BY id LIMIT ?2", (like, limit))
        return [_info(*row) for row in rows]

    def census(self) -> Census:
        """How many articles, per language, and their dates' span: as the
        build stored it (:meth:`count`), so that a reader opens without a
        pass over the article list; counted now in a store that lacks it."""
        stored = self.get("census")
        if stored is not None:
            return Census(stored["articles"], tuple((lang, n) for lang, n in stored["languages"]), stored["first"],
                          stored["last"], stored["undated"])
        return self._counted()

    def count(self) -> None:
        """Count the articles (:meth:`census`) and store the counts: the last
        step of a build or update that changed them."""
        c = self._counted()
        self.put("census", {"articles": c.articles, "languages": c.languages, "first": c.first, "last": c.last,
                            "undated": c.undated})

    def _counted(self) -> Census:
        langs = self._conn.execute("SELECT lang, count(*) FROM article GROUP BY lang ORDER BY 2 DESC, 1").fetchall()
        first, last, undated = self._conn.execute(
            "SELECT min(date), max(date), sum(date IS NULL) FROM article").fetchone()
        return Census(sum(n for _lang, n in langs), tuple(langs), first, last, undated or 0)

    def fingerprints(self) -> dict[str, str]:
        """Every article's content hash (SHA-256 of its file), by id."""
        return dict(self._conn.execute("SELECT id, sha256 FROM article"))

    def article(self, aid: str) -> Article | None:
        row = self._conn.execute(
            "SELECT id, path, lang, title, date, encoding, sha256, source, translations, part"
            " FROM article WHERE id = ?", (aid,)).fetchone()
        if row is None:
            return None
        body = self._part(row[9]).execute("SELECT paragraphs FROM body WHERE id = ?", (aid,)).fetchone()
        if body is None:
            raise KeyError(f"{row[9]} has no paragraphs of {aid}")  # a damaged part: see index.integrity
        return Article(id=row[0], path=row[1], lang=row[2], title=row[3], date=row[4], encoding=row[5], sha256=row[6],
                       source=row[7], translations=tuple(_loads(row[8])),
                       paragraphs=tuple(Paragraph.from_dict(p) for p in _loads(zlib.decompress(body[0]))))

    def articles(self) -> Iterator[Article]:
        for (aid,) in self._conn.execute("SELECT id FROM article ORDER BY id").fetchall():
            article = self.article(aid)
            if article is not None:
                yield article

    def alignment(self, source: str, target: str) -> Alignment | None:
        row = self._conn.execute("SELECT data FROM alignment WHERE source = ? AND target = ?",
                                 (source, target)).fetchone()
        return Alignment.from_dict(_loads(row[0])) if row else None

    def totals(self) -> tuple[int, int, list[str]]:
        """Articles, paragraphs, languages."""
        n, paras = self._conn.execute("SELECT count(*), coalesce(sum(paragraph_count), 0) FROM article").fetchone()
        langs = [r[0] for r in self._conn.execute("SELECT DISTINCT lang FROM article ORDER BY lang")]
        return n, paras, langs

    _FILE = "SELECT path, id, sha256, size, mtime_ns, reason FROM file"  # a FileState a row

    def stamps(self) -> dict[str, tuple[int, int]]:
        """Every file's ``(size, mtime_ns)`` as the last build saw it, by path
        (what an update compares; :meth:`file_states` for the few that differ)."""
        return {path: (size, mtime) for path, size, mtime in
                self._conn.execute("SELECT path, size, mtime_ns FROM file")}

    def file_states(self, paths: Iterable[str]) -> dict[str, FileState]:
        """The stored states of these files (those it has), by path."""
        return {r[0]: FileState(*r) for r in _rows_in(self._conn, f"{self._FILE} WHERE path IN ({{}})", paths)}

    def skipped_files(self) -> dict[str, FileState]:
        """The files the last build skipped, by path."""
        return {r[0]: FileState(*r) for r in self._conn.execute(f"{self._FILE} WHERE id IS NULL")}

    def links(self) -> list[Link]:
        return [Link(a, b, conf, bool(decl)) for a, b, conf, decl in
                self._conn.execute("SELECT a, b, confidence, declared FROM link ORDER BY a, b")]

    def unregistered(self, ids: Iterable[str]) -> bool:
        """Does any of these articles name a speaker the registry does not know?"""
        return any(self._conn.execute("SELECT 1 FROM article WHERE id = ? AND unregistered", (i,)).fetchone()
                   for i in ids)

    def anchor_postings(self, key: str, limit: int) -> list[str] | None:
        """Articles with this anchor; None when more than ``limit`` have it."""
        found: list[str] = []
        for _name, rows in self._live("anchor", "article", " WHERE key = ?", (key,)):
            found.extend(aid for (aid,) in itertools.islice(rows, limit + 1 - len(found)))
            if len(found) > limit:
                return None
        return found

    def shares_of(self, ids: Iterable[str]) -> dict[tuple[str, str, str], tuple[str, str]]:
        """The summary shares of the articles ``ids``: ``(kind, entity,
        article) -> (lang, share as stored)``."""
        by_part: dict[str, list[str]] = defaultdict(list)
        for aid, name in _rows_in(self._conn, "SELECT id, part FROM article WHERE id IN ({})", ids):
            by_part[name].append(aid)
        out: dict[tuple[str, str, str], tuple[str, str]] = {}
        for name, aids in by_part.items():
            rows = _rows_in(self._part(name),
                            "SELECT kind, entity, article, lang, data FROM share WHERE article IN ({})", aids)
            out.update(((kind, entity, aid), (lang, data)) for kind, entity, aid, lang, data in rows)
        return out

    def shares(self, kind: str, entities: Iterable[str] | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """``(article id, lang, {entity: share})`` of ``kind`` ("speaker" or
        "city"), entity by entity and each entity's articles in id order:
        every entity's, or only those of ``entities``."""
        if entities is None:
            batches: list[tuple[str, list[str]]] = [("", [])]
        else:
            batches = [(f" AND entity IN ({','.join('?' * len(chunk))})", chunk)
                       for chunk in _chunks(sorted(set(entities)))]
        for where, chunk in batches:
            parts = [rows for _name, rows in self._live("share", "entity, lang, data, article",
                                                         f" WHERE kind = ?{where}", (kind, *chunk),
                                                         " ORDER BY entity, article")]
            for entity, lang, data, aid in heapq.merge(*parts, key=lambda r: (r[0], r[3])):
                yield aid, lang, {entity: _loads(data)}

    def put_summaries(self, kind: str, rows: Iterable[tuple[Rank, dict[str, Any], dict[str, Any],
                                                             dict[str, Any] | None]],
                      replacing: Iterable[str] | None = None) -> None:
        """Store ``kind``'s summaries ``(rank, light, state, world entry)``,
        first dropping those of ``replacing`` (every one of ``kind`` when None)."""
        with self._conn:
            self._conn.execute("BEGIN")
            if replacing is None:
                self._conn.execute("DELETE FROM summary WHERE kind = ?", (kind,))
            else:
                self._conn.executemany("DELETE FROM summary WHERE kind = ? AND entity = ?",
                                       [(kind, e) for e in replacing])
            self._conn.executemany(
                "INSERT INTO summary VALUES (?,?,?,?,?,?,?,?,?)",
                [(kind, r.entity, r.group, r.first, r.second, r.name, _dumps(light), _dumps(state),
                  None if world is None else _dumps(world)) for r, light, state, world in rows])

    def summary_states(self, kind: str, entities: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored states (corpus.aggregate.summary_state) of these entities of ``kind``, by entity."""
        return {entity: _loads(state) for entity, state in _rows_in(
            self._conn, "SELECT entity, state FROM summary WHERE kind = ? AND entity IN ({})", entities, kind)}

    def summaries(self, kind: str) -> list[dict[str, Any]]:
        """``kind``'s light summaries (what the panes show) in their pane's order."""
        return [_loads(d) for (d,) in self._conn.execute(
            "SELECT light FROM summary WHERE kind = ? ORDER BY grp, w1 DESC, w2 DESC, name, entity", (kind,))]

    def world_places(self) -> list[dict[str, Any]]:
        """The GeoNames entries of the places this corpus names that the
        curated gazetteer lacks, by id (the first of two places with one name
        is what a query expands that name to)."""
        return [_loads(d) for (d,) in self._conn.execute(
            "SELECT world FROM summary WHERE kind = 'city' AND world IS NOT NULL ORDER BY entity")]

    def alignments(self) -> list[Alignment]:
        return [Alignment.from_dict(_loads(d)) for (d,) in self._conn.execute("SELECT data FROM alignment")]

    def refs(self, kind: str, entity: str, limit: int) -> tuple[int, list[tuple[str, int, int, int]]]:
        """How many references ``entity`` has, and the first ``limit`` as
        ``(article, n, start, stop)`` in corpus order."""
        total = 0
        stale = self._stale_rows()
        for name in self.part_names():
            conn, gone = self._part(name), sorted(stale.get(name, ()))
            (count,) = conn.execute("SELECT count(*) FROM ref WHERE kind = ? AND entity = ?", (kind, entity)).fetchone()
            total += count
            total -= sum(n for (n,) in _rows_in(  # less the references of its stale articles
                conn, "SELECT count(*) FROM ref WHERE kind = ? AND entity = ? AND article IN ({})", gone, kind, entity))
        firsts = [[(r[3], r[0], r[1], r[2]) for r in itertools.islice(rows, limit)]
                  for _name, rows in self._live("ref", "n, start, stop, article", " WHERE kind = ? AND entity = ?",
                                                (kind, entity), " ORDER BY article, n, start")]
        return total, list(itertools.islice(heapq.merge(*firsts), limit))
