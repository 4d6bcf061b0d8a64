"""One published generation of an index, opened whole.

A :class:`Generation` is built completely in its constructor from one
folder: Whoosh's index, the side store, the article count, the speakers,
the retired paragraphs, the name expander. Nothing in it changes afterwards
except its caches (decoded posting lists, filter bitmaps, recently read
articles), which hold only what the generation's files already say. The
article list stays in the side store and is read a page at a time.

Whoosh's searchers are not thread-safe ("use one searcher per thread"), so a
generation lends each caller a searcher of its own (:meth:`searcher`): an
idle one, or a new one when all are lent. The side store is one SQLite
connection, used under a lock. :class:`index.search.Index` holds one
generation at a time and swaps it when another process publishes a new one;
a generation that is swapped out closes when its last user returns.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as windex
from whoosh.query import Query, Term

from corpus import Article, ArticleInfo
from corpus.aggregate import SpeakerSummary
from corpus.entities import UNKNOWN_PREFIX

from . import integrity, meaning, store, vector
from .bitsets import DocBits, Ranks
from .errors import IndexCorrupt, IndexOutdated
from .planner import Planner, Strategy
from .query import Expander
from .ranking import TfBM25
from .schema import SCHEMA_VERSION, is_ranked
from .sidestore import SideStore

WEIGHTING = TfBM25(is_ranked)  # BM25 with B=0 (index/ranking.py)
ARTICLE_CACHE = 256  # articles kept in memory with their paragraphs
INFO_CACHE = 4096  # articles kept in memory without them
T = TypeVar("T")


class Generation:
    """The live files of one generation, opened, checked and read once."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.path = gen = store.current_generation(index_dir)
        damage = integrity.verify(gen, full=False)  # sizes, and the checksums of the small files
        if damage:
            schema = store.schema_of(gen)
            if schema is not None and schema != SCHEMA_VERSION:
                raise IndexOutdated(index_dir, schema, SCHEMA_VERSION)  # an older briefing's: no checksums
            raise IndexCorrupt(index_dir, integrity.describe(damage))
        self.meta = store.check_generation(gen, index_dir)
        if self.meta.get("schema") != SCHEMA_VERSION:
            raise IndexOutdated(index_dir, self.meta.get("schema"), SCHEMA_VERSION)
        self._lock = threading.Lock()  # the side store, the caches and the searchers lent
        self._idle: list[Any] = []  # searchers not lent out now
        self._users = 0
        self._retired_from_use = False
        self.closed = False
        self._side: SideStore | None = None
        try:
            self._side = SideStore.open(gen / store.SIDE_DB)
            self.knowledge: dict[str, Any] = store.read_json(gen / store.KNOWLEDGE)
            self.speakers = tuple(SpeakerSummary.from_dict(d) for d in self._side.summaries("speaker"))
            retired = self._side.get("retired", [])
            ix = windex.open_dir(str(gen))
            self._idle.append(ix.searcher(weighting=WEIGHTING))
        except Exception as exc:
            # Damage the open-time check could not see (a changed byte in a
            # large file) is found by checking every file; anything else is a bug.
            self.close()
            damage = integrity.damage_behind(exc, gen)
            if not damage:
                raise
            raise IndexCorrupt(index_dir, integrity.describe(damage)) from None
        self._ix = ix
        self.schema = ix.schema
        self.text_fields = tuple(f for f in ix.schema.names() if f.startswith("text_"))
        self.languages: tuple[str, ...] = tuple(self.meta.get("languages", ()))
        self.docs: int = self._idle[0].doc_count_all()
        self.census = self._side.census()
        self.retired = DocBits(retired, self.docs) if retired else None
        unregistered = {
            s.id: [s.name, s.id.removeprefix(UNKNOWN_PREFIX), *(f for fs in s.names.values() for f in fs)]
            for s in self.speakers
            if not s.known
        }
        # The world gazetteer's places this corpus names join the curated ones for expansion.
        places = self._side.world_places()
        self.expander = Expander({**self.knowledge, "cities": [*self.knowledge.get("cities", []), *places]},
                                 unregistered)
        self.postings = vector.PostingCache(is_ranked, folder=gen)
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._infos: OrderedDict[str, ArticleInfo | None] = OrderedDict()
        self._filters: dict[str, DocBits] = {}
        self._once: dict[str, Any] = {}

    # -- lending ---------------------------------------------------------
    @contextmanager
    def searcher(self) -> Iterator[Any]:
        """A Whoosh searcher for the caller alone, returned when done."""
        with self._lock:
            s = self._idle.pop() if self._idle else None
        try:
            if s is None:
                s = self._ix.searcher(weighting=WEIGHTING)
            yield s
        finally:
            with self._lock:
                if s is not None:
                    if self.closed:
                        s.close()
                    else:
                        self._idle.append(s)

    def side(self, read: Callable[[SideStore], T]) -> T:
        """``read`` applied to the side store, under its lock."""
        with self._lock:
            assert self._side is not None
            return read(self._side)

    @contextmanager
    def in_use(self) -> Iterator[Generation]:
        """Count a user, so that a swapped-out generation closes after it."""
        with self._lock:
            self._users += 1
        try:
            yield self
        finally:
            with self._lock:
                self._users -= 1
                last = self._users == 0 and self._retired_from_use
            if last:
                self.close()

    def retire(self) -> None:
        """No new users will come (a newer generation is live): close now,
        or when the last user is done."""
        with self._lock:
            self._retired_from_use = True
            idle = self._users == 0
        if idle:
            self.close()

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            idle, self._idle = self._idle, []
            side, self._side = self._side, None
        for s in idle:
            s.close()
        if side is not None:
            side.close()
        if hasattr(self, "postings"):  # not when the open failed before it was made
            self.postings.close()

    # -- cached reads ----------------------------------------------------
    def article(self, aid: str) -> Article | None:
        """One article with its paragraphs (the most recently used stay in memory)."""
        with self._lock:
            article = self._articles.get(aid)
            if article is not None:
                self._articles.move_to_end(aid)
                return article
            assert self._side is not None
            article = self._side.article(aid)
            if article is not None:
                self._articles[aid] = article
                if len(self._articles) > ARTICLE_CACHE:
                    self._articles.popitem(last=False)
            return article

    def info(self, aid: str) -> ArticleInfo | None:
        """One article without its paragraphs (the most recently asked for
        stay in memory: the article list itself is read a page at a time)."""
        with self._lock:
            if aid in self._infos:
                self._infos.move_to_end(aid)
                return self._infos[aid]
            assert self._side is not None
            found = self._infos[aid] = self._side.info(aid)
            if len(self._infos) > INFO_CACHE:
                self._infos.popitem(last=False)
            return found

    def once(self, key: str, make: Callable[[], T]) -> T:
        """A value derived from the generation's files, made on first use."""
        with self._lock:
            if key in self._once:
                return self._once[key]
        value = make()
        with self._lock:
            return self._once.setdefault(key, value)

    def docs_matching(self, q: Query, searcher: Any) -> DocBits:
        """The documents a filter query matches, cached: building the set
        costs a pass over the postings, once instead of per search."""
        key = repr(q)
        with self._lock:
            found = self._filters.get(key)
        if found is None:
            # A term's posting list is decoded at once: half the time of Whoosh's iteration.
            docs = vector.Postings(self.postings, searcher).ids(q) if type(q) is Term else searcher.docs_for_query(q)
            found = DocBits(docs, self.docs)
            with self._lock:
                found = self._filters.setdefault(key, found)
        return found

    def docset(self, queries: list[Query], all_of: bool, searcher: Any) -> DocBits | None:
        """The documents all (or any) of these filter queries match, cached."""
        if not queries:
            return None
        if len(queries) == 1:
            return self.docs_matching(queries[0], searcher)
        key = ("&" if all_of else "|") + "".join(sorted(repr(x) for x in queries))
        with self._lock:
            found = self._filters.get(key)
        if found is None:
            sets = [self.docs_matching(x, searcher) for x in queries]
            found = sets[0]
            for other in sets[1:]:
                found = found & other if all_of else found | other
            with self._lock:
                found = self._filters.setdefault(key, found)
        return found

    def mask(self, excluded: list[Query], searcher: Any) -> DocBits | None:
        """Documents a search leaves out: those the queries match, and the
        paragraphs an update retired (index/build.py ``_retire``)."""
        more = self.docset(excluded, all_of=False, searcher=searcher)
        if self.retired is None or more is None:
            return more if self.retired is None else self.retired
        key = "retired|" + "".join(sorted(repr(x) for x in excluded))
        with self._lock:
            found = self._filters.get(key)
            if found is None:
                found = self._filters[key] = self.retired | more
        return found

    def planner(self, searcher: Any, strategy: Strategy = "auto") -> Planner:
        """A planner that evaluates queries with ``searcher`` (one of this
        generation's, lent by :meth:`searcher`) and the shared posting cache."""
        return Planner(searcher, vector.Postings(self.postings, searcher), self.text_fields, strategy)

    def vectors(self, searcher: Any) -> tuple[meaning.Segment, ...] | None:
        """The paragraph vectors of every segment (index/meaning.py), opened
        on first use; None when the generation was built without them."""
        return self.once("vectors", lambda: meaning.open_segments(self.path, searcher.reader()))

    def date_ranks(self, searcher: Any) -> Ranks:
        """Each document's date rank, for sorting by date (made when first asked)."""
        return self.once("date ranks", lambda: vector.Postings(self.postings, searcher).ranks("date"))
