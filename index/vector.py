"""Boolean queries of terms answered over whole posting lists at once.

Whoosh finds the best hits of a term by skipping posting blocks whose best
possible score cannot enter the top N. That bound cannot see filters, masks
or the other side of a conjunction: for ``kind:turn 广州`` every block holds
some paragraph that names Guangzhou more often than the best turns do, for
``创新 AND 人才`` or ``شنتشن OR قوانغتشو`` every block can hold a document
matching both, so Whoosh scores match after match in Python (at 100,000
articles: 0.3–0.8 s).

Here such a query is evaluated with numpy instead: each term's posting list
is decoded once into arrays of document numbers and weights (kept, most
recently used first, up to :data:`CACHE_BYTES`), the tree of ``AND``/``OR``/
``NOT`` becomes array operations over all documents, filters and masks are
bitmaps, and the best N are chosen by partial sorting. Scores are those of
:mod:`index.ranking` (ties broken by document number, as in Whoosh), and the
count of matches is exact.

Only queries made of terms are handled (phrases need positions, which the
Whoosh path checks); :func:`supported` says which.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.query import And, Not, Or, Query, Term

from .bitsets import DocBits, DocIds, Flags, Ranks, Weights
from .ranking import K1
from .sidecar import Sidecar

CACHE_BYTES = 32 << 20  # decoded posting lists kept per open index


def supported(q: Query) -> bool:
    """A tree of terms under AND / OR, with NOT only inside an AND."""
    if type(q) is Term:
        return True
    if type(q) in (And, Or):
        positive = [x for x in q.subqueries if not isinstance(x, Not)]
        negative = [x.query for x in q.subqueries if isinstance(x, Not)]
        return bool(positive) and (not negative or type(q) is And) and all(map(supported, positive + negative))
    return False


def terms_of(q: Query) -> list[Term]:
    if type(q) is Term:
        return [q]
    if isinstance(q, Not):
        return terms_of(q.query)
    return [t for x in getattr(q, "subqueries", ()) for t in terms_of(x)]


class PostingCache:
    """Decoded posting lists of one index generation, shared by its
    searchers: the most recently used kept, up to ``budget`` bytes."""

    def __init__(self, ranked: Callable[[str], bool], budget: int = CACHE_BYTES, folder: Path | None = None) -> None:
        self.ranked = ranked
        self.budget = budget
        self.folder = folder  # the generation's: its segments' sidecars (index/sidecar.py)
        self._lists: OrderedDict[tuple[str, bytes], tuple[DocIds, Weights]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._sidecars: dict[str, Sidecar | None] = {}

    def sidecar(self, segment_id: str) -> Sidecar | None:
        """The raw arrays of one segment, or None (written by an older briefing)."""
        with self._lock:
            if segment_id not in self._sidecars:
                self._sidecars[segment_id] = Sidecar.open(self.folder, segment_id) if self.folder else None
            return self._sidecars[segment_id]

    def close(self) -> None:
        with self._lock:
            found, self._sidecars = self._sidecars, {}
        for s in found.values():
            if s is not None:
                s.close()

    def get(self, key: tuple[str, bytes], touch: bool = True) -> tuple[DocIds, Weights] | None:
        with self._lock:
            hit = self._lists.get(key)
            if hit is not None and touch:
                self._lists.move_to_end(key)
            return hit

    def put(self, key: tuple[str, bytes], lists: tuple[DocIds, Weights]) -> tuple[DocIds, Weights]:
        with self._lock:
            if key in self._lists:  # decoded meanwhile by another thread
                return self._lists[key]
            self._lists[key] = lists
            self._bytes += lists[0].nbytes + lists[1].nbytes
            while self._bytes > self.budget and len(self._lists) > 1:
                _k, (a, b) = self._lists.popitem(last=False)
                self._bytes -= a.nbytes + b.nbytes
        return lists


class Postings:
    """A generation's posting lists, read through one caller's searcher."""

    def __init__(self, cache: PostingCache, searcher: Any) -> None:
        self.cache = cache
        self.searcher = searcher
        self.reader = searcher.reader()
        self.docs = searcher.doc_count_all()
        self.ranked = cache.ranked

    def _key(self, t: Term) -> tuple[str, bytes]:
        text = t.text if isinstance(t.text, bytes) else self.searcher.schema[t.fieldname].to_bytes(t.text)
        return t.fieldname, text

    def ids(self, t: Term) -> DocIds:
        """The documents of one term, ascending (for a filter bitmap, which the
        caller keeps: not cached here, where it would push out scored lists)."""
        key = self._key(t)
        hit = self.cache.get(key, touch=False)
        return hit[0] if hit is not None else _decode(self.reader, *key, self.cache.sidecar)[0]

    def ranks(self, field: str) -> Ranks:
        """Each document's rank among the sorted terms of ``field``, the
        smallest 1 (0: the document has none): for dates written
        YYYY-MM-DD, the later the higher. One pass over the field's postings."""
        out = np.zeros(self.docs, np.int32)
        for i, text in enumerate(sorted(self.reader.lexicon(field)), 1):
            out[_decode(self.reader, field, text, self.cache.sidecar)[0]] = i
        return out

    def scores(self, t: Term) -> tuple[DocIds, Weights]:
        """(document numbers, scores) of one term."""
        field, text = self._key(t)
        key = (field, text)
        ids, weights = self.cache.get(key) or self.cache.put(key, _decode(self.reader, field, text, self.cache.sidecar))
        if self.ranked(field):
            idf = self.searcher.idf(field, text)
            scores = idf * ((weights * (K1 + 1)) / (weights + K1))  # index/ranking.py, elementwise
        else:
            scores = weights
        return ids, scores * t.boost if t.boost != 1 else scores


def _decode(reader: Any, field: str, text: bytes,
            sidecar: Callable[[str], Sidecar | None] = lambda _segment: None) -> tuple[DocIds, Weights]:
    """Every posting of a term across the segments: document numbers
    (ascending) and weights, as arrays; from a segment's sidecar when it has
    one (``sidecar(segment id)``), else from Whoosh's blocks."""
    ids_parts: list[DocIds] = []
    w_parts: list[Weights] = []
    for sub, offset in reader.leaf_readers():
        segment = sub.segment()
        arrays = sidecar(segment.segment_id()) if segment is not None else None
        if arrays is not None:
            ids, ws = arrays.get(field, text)
            if not len(ids):
                continue
        elif (field, text) not in sub:
            continue
        else:
            ids, ws = segment_postings(sub, field, text)
        if sub.has_deletions():  # briefing's updates retire documents instead, but an index may have some
            live = np.fromiter((not sub.is_deleted(int(d)) for d in ids), bool, len(ids))
            ids, ws = ids[live], ws[live]
        ids_parts.append(ids + offset)
        w_parts.append(ws)
    if not ids_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(ids_parts), np.concatenate(w_parts)


def segment_postings(sub: Any, field: str, text: bytes) -> tuple[DocIds, Weights]:
    """One segment's postings of a term, decoded from Whoosh's blocks."""
    m = sub.postings(field, text)
    return _blocks(m) if hasattr(m, "_read_data") else _generic(m)


def _blocks(m: Any) -> tuple[DocIds, Weights]:
    """Read Whoosh's on-disk blocks directly (whoosh.codec.whoosh3
    W3LeafMatcher: each block a pickled tuple of delta-coded ids, weights
    and values), skipping the per-posting Python of its matcher."""
    ids_parts: list[DocIds] = []
    w_parts: list[Weights] = []
    while m.is_active():
        if m._data is None:
            m._read_data()
        raw_ids, raw_w = m._data[0], m._data[1]
        n = m._blocklength
        ids = np.asarray(raw_ids, dtype=np.int64)
        if not m._byteids:
            ids = np.cumsum(ids)
        ids_parts.append(ids)
        if raw_w is None:
            w_parts.append(np.ones(n, np.float64))
        elif isinstance(raw_w, float):
            w_parts.append(np.full(n, raw_w, np.float64))
        else:
            w_parts.append(np.asarray(raw_w, dtype=np.float64))
        m._next_block()
    return np.concatenate(ids_parts), np.concatenate(w_parts)


def _generic(m: Any) -> tuple[DocIds, Weights]:
    ids: list[int] = []
    ws: list[float] = []
    while m.is_active():
        ids.append(m.id())
        ws.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(ws, dtype=np.float64)


def _evaluate(q: Query, p: Postings) -> tuple[Flags, Weights]:
    """(matches as a boolean array over all documents, scores). A term's
    scores are added into its parent's array: one float per document per
    operator, not per term (8 MB per million documents each)."""
    if type(q) is Term:
        ids, scores = p.scores(q)
        score = np.zeros(p.docs, np.float64)
        score[ids] = scores
        return _flags(ids, p.docs), score
    conjunction = type(q) is And
    match: Flags | None = None
    score = np.zeros(p.docs, np.float64)
    for x in q.subqueries:
        if isinstance(x, Not):
            continue
        if type(x) is Term:
            ids, scores = p.scores(x)
            score[ids] += scores
            m2 = _flags(ids, p.docs)
        else:
            m2, s2 = _evaluate(x, p)
            score += s2
            del s2
        match = m2 if match is None else (match & m2 if conjunction else match | m2)
    assert match is not None  # supported(): an AND or OR has a positive part
    for x in q.subqueries:
        if isinstance(x, Not):
            match &= ~_evaluate(x.query, p)[0]
            score += x.boost  # Whoosh's inverse matcher scores its boost wherever it matches
    score[~match] = 0.0  # a parent OR adds the scores of its parts
    if q.boost != 1:
        score *= q.boost
    return match, score


def _flags(ids: DocIds, docs: int) -> Flags:
    out = np.zeros(docs, bool)
    out[ids] = True
    return out


def top(q: Query, p: Postings, limit: int, allow: DocBits | None, exclude: DocBits | None,
        first: Ranks | None = None) -> tuple[list[tuple[float, int]], int]:
    """The best ``limit`` (score, docnum) of ``q`` within ``allow`` and
    outside ``exclude`` (index/bitsets.py, or None), best first, ties by
    document number; and the exact number of matches. With ``first`` (a
    number per document, such as :meth:`Postings.ranks`), the highest of it
    come first and the score orders only among equals."""
    match, score = _evaluate(q, p)
    if allow is not None:
        match &= allow.flags(p.docs)
    if exclude is not None:
        match &= ~exclude.flags(p.docs)
    found = np.flatnonzero(match)
    total = len(found)
    if first is not None:
        if total > limit:
            f = first[found]
            found = found[f >= np.partition(f, total - limit)[total - limit]]
        order = np.lexsort((found, -score[found], -first[found]))[:limit]
        return [(float(score[d]), int(d)) for d in found[order]], total
    if total > limit:
        s = score[found]
        kth = np.partition(s, total - limit)[total - limit]  # the limit-th best score
        found = found[s >= kth]
    order = np.lexsort((found, -score[found]))[:limit]
    return [(float(score[d]), int(d)) for d in found[order]], total


def worth_it(q: Query, p: Postings, allow: DocBits | None, exclude: DocBits | None) -> bool:
    """Whether this query should be evaluated here: it is made of terms, and
    something (a second term, a filter, a sizeable mask) keeps Whoosh from
    skipping blocks. (A single term alone Whoosh answers by skipping blocks.)
    Small posting lists cost little either way; here the count is exact."""
    if not supported(q):
        return False
    return len(terms_of(q)) > 1 or allow is not None or (exclude is not None and len(exclude) * 100 > p.docs)
