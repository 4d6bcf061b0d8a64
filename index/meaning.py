"""Paragraph vectors for search by meaning (``~`` queries, "like this").

Every searchable paragraph (a title, heading, body or turn; not
boilerplate) is embedded with the multilingual sentence encoder that
version detection ships (:mod:`corpus.meaning`, USE multilingual v3), so
that a paragraph in any of the corpus's languages lands in one space.

The vectors sit beside Whoosh's segments, one file per segment, written
once the segment is: a rebuild writes one, an update writes only its new
segment's, so it embeds only the paragraphs of the files it re-indexed. The
vectors are int8 (cosine), keyed by the paragraph's document number within
the segment, so a hit is a Whoosh document like any other: the query's
filters, the boilerplate mask and the paragraphs an update retired apply to
it as they do to word hits. The files are published with the generation, so
its checksums cover them (``index check``).

A segment of up to :data:`EXACT_MAX` paragraphs keeps a plain int8 matrix
(``<segment>.mvec.npy``, 512 bytes a row) and each row's document number
(``<segment>.mkey.npy``), searched exactly with usearch's brute-force
kernel: deterministic, no graph to build, and at that size as fast. A larger one is a usearch index with its HNSW graph
(``<segment>.mvec``). A filter that keeps few paragraphs has them compared
exactly in either kind.

``BRIEFING_ENCODER=off`` builds without them; a meaning query then says so.
"""

from __future__ import annotations

import multiprocessing
import os
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corpus import meaning
from corpus.align import CONTENT_KINDS

from .sidestore import SideStore

SUFFIX = ".mvec"
MATRIX_SUFFIX = ".mvec.npy"  # a small segment's vectors × 127, int8, one row per paragraph
KEYS_SUFFIX = ".mkey.npy"  # and each row's document number (uint32, ascending)
DIM = meaning.DIM
EXACT_MAX = 50_000  # vectors of a segment searched exactly, without the graph
EXACT_FILTERED = 20_000  # a filter that keeps this few documents: compare them exactly, whatever the index size
CHUNK_ARTICLES = 2_000  # articles embedded at a time (their texts held in memory)
EMBED_CHUNK = 256  # texts per job sent to a worker
PARALLEL_MIN_TEXTS = 2_000  # fewer texts are embedded in this process
CONNECTIVITY = 16  # the HNSW graph's links per vector (usearch's default)

Progress = Callable[[str, int, int], None]


def path_of(folder: Path, segment_id: str) -> Path:
    """The segment's vectors as a usearch index (segments of more than :data:`EXACT_MAX` paragraphs)."""
    return folder / f"{segment_id}{SUFFIX}"


def matrix_path_of(folder: Path, segment_id: str) -> Path:
    """The segment's vectors as a plain int8 matrix (smaller segments: searched exactly);
    their document numbers beside it (:func:`keys_path_of`)."""
    return folder / f"{segment_id}{MATRIX_SUFFIX}"


def keys_path_of(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{KEYS_SUFFIX}"


def _has_vectors(folder: Path, segment_id: str) -> bool:
    return path_of(folder, segment_id).exists() or matrix_path_of(folder, segment_id).exists()


def enabled() -> bool:
    """Whether builds embed paragraphs (the encoder installed and not turned off)."""
    return meaning.enabled()


def searchable(kind: Any, text: str) -> bool:
    """Whether a paragraph gets a vector: a title, heading, body or turn with text."""
    return kind in CONTENT_KINDS and bool(text.strip())


def write(folder: Path, ix: Any, side: SideStore, progress: Progress | None = None) -> int:
    """Embed the paragraphs of every segment of ``ix`` that has no vectors
    yet (all of a rebuild's; an update's new one) and write their files.
    Returns how many paragraphs were embedded."""
    if not enabled():
        return 0
    done = 0
    with ix.reader() as reader:
        todo = [sub for sub, _offset in reader.leaf_readers()
                if sub.segment() is not None and not _has_vectors(folder, sub.segment().segment_id())]
        total = sum(sub.doc_count_all() for sub in todo)
        seen = 0  # documents read so far (the progress bar's unit: boilerplate counts, though not embedded)
        with _pool(total) as embed:
            for sub in todo:
                done += _write_segment(folder, sub, side, embed, progress, total, seen)
                seen += sub.doc_count_all()
    return done


def _write_segment(folder: Path, sub: Any, side: SideStore, embed: Callable[[Sequence[str]], np.ndarray],
                   progress: Progress | None, total: int, before: int) -> int:
    """Embed one segment's searchable paragraphs (read from the side store) and write them."""
    by_article: dict[str, list[tuple[int, int]]] = {}
    for d in range(sub.doc_count_all()):
        f = sub.stored_fields(d)
        by_article.setdefault(f["article"], []).append((d, f["n"]))
    vectors = SegmentVectors(sub.doc_count_all())
    aids = sorted(by_article)
    seen = 0
    for start in range(0, len(aids), CHUNK_ARTICLES):
        keys: list[int] = []
        texts: list[str] = []
        for aid in aids[start : start + CHUNK_ARTICLES]:
            seen += len(by_article[aid])
            article = side.article(aid)
            if article is None:
                continue
            for d, n in by_article[aid]:
                if 1 <= n <= len(article.paragraphs):
                    p = article.paragraph(n)
                    if searchable(p.kind, p.text):
                        keys.append(d)
                        texts.append(p.text)
        if texts:
            vectors.add(keys, embed(texts))
        if progress:
            progress("embedding", before + seen, total)
    vectors.save(folder, sub.segment().segment_id())
    return vectors.count


class SegmentVectors:
    """One segment's paragraph vectors as they are embedded, keyed by
    document number, then written beside it: up to :data:`EXACT_MAX`
    documents as an int8 matrix (searched exactly; no graph to build), more
    as a usearch index with its HNSW graph. ``docs``: the segment's
    documents when known in advance; otherwise (a segment still being
    written) the rows move into a graph once they pass :data:`EXACT_MAX`."""

    def __init__(self, docs: int | None = None) -> None:
        self._index: Any = None if docs is None or docs <= EXACT_MAX else _graph()
        self._rows: list[tuple[np.ndarray, np.ndarray]] = []
        self.count = 0

    def add(self, keys: Sequence[int], vecs: np.ndarray) -> None:
        if self._index is None and self.count + len(keys) > EXACT_MAX and self._rows:
            self._index = _graph()  # the rows so far join the graph as the vectors they stand for
            for k, v in self._rows:
                self._index.add(k.astype(np.uint64), v.astype(np.float32) / 127.0)
            self._rows = []
        if self._index is not None:
            self._index.add(np.asarray(keys, dtype=np.uint64), vecs)
        else:
            self._rows.append((np.asarray(keys, dtype=np.uint32), np.rint(vecs * 127.0).astype(np.int8)))
        self.count += len(keys)

    def save(self, folder: Path, segment_id: str) -> None:
        if self._index is not None:
            index = self._index
            _save(path_of(folder, segment_id), lambda tmp: index.save(str(tmp)))
            return
        rows = self._rows
        keys_all = np.concatenate([k for k, _v in rows]) if rows else np.zeros(0, dtype=np.uint32)
        vecs_all = np.concatenate([v for _k, v in rows]) if rows else np.zeros((0, DIM), dtype=np.int8)
        order = np.argsort(keys_all, kind="stable")  # by document number: looked up by bisection
        _save(keys_path_of(folder, segment_id), lambda tmp: _npy(tmp, keys_all[order]))
        _save(matrix_path_of(folder, segment_id), lambda tmp: _npy(tmp, np.ascontiguousarray(vecs_all[order])))


def _graph() -> Any:
    from usearch.index import Index as VectorIndex

    return VectorIndex(ndim=DIM, metric="cos", dtype="i8", connectivity=CONNECTIVITY)


def _save(target: Path, write: Callable[[Path], object]) -> None:
    tmp = target.with_name(target.name + ".tmp")
    write(tmp)
    os.replace(tmp, target)


def _npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as out:
        np.save(out, array)


@contextmanager
def _pool(texts: int) -> Iterator[Callable[[Sequence[str]], np.ndarray]]:
    """:func:`corpus.meaning.embed`, spread over worker processes (one BLAS
    thread each) when there is enough to embed."""
    procs = min(os.cpu_count() or 1, 4)
    if procs < 2 or texts < PARALLEL_MIN_TEXTS:
        yield meaning.embed
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=procs, mp_context=ctx, initializer=_one_thread) as pool:

        def embed(batch: Sequence[str]) -> np.ndarray:
            chunks = [list(batch[i : i + EMBED_CHUNK]) for i in range(0, len(batch), EMBED_CHUNK)]
            return np.concatenate(list(pool.map(meaning.embed, chunks)))

        yield embed


def _one_thread() -> None:
    meaning.threads = 1


@dataclass(frozen=True)
class Segment:
    """A large segment's vectors: a usearch index (HNSW), memory-mapped."""

    offset: int  # the segment's first document number in the generation's reader
    docs: int  # its documents (paragraphs), embedded or not
    index: Any

    @property
    def size(self) -> int:
        return len(self.index)

    def search(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        """The ``count`` nearest paragraphs: (document number, cosine similarity)."""
        if not self.size:
            return []
        got = self.index.search(vector, min(count, self.size))
        return [(self.offset + int(k), 1.0 - float(dist)) for k, dist in zip(got.keys, got.distances, strict=True)]

    def vector(self, local: int) -> np.ndarray | None:
        got = self.index.get(np.uint64(local), dtype="f32")
        return None if got is None else np.asarray(got, dtype=np.float32).reshape(-1)

    def similarities(self, vector: np.ndarray, docs: Sequence[int]) -> list[tuple[int, float]]:
        """The cosine similarity of each of ``docs`` (document numbers in
        this segment) that has a vector, computed exactly."""
        keys = np.asarray([d - self.offset for d in docs], dtype=np.uint64)
        if not len(keys):
            return []
        keys = keys[np.asarray(self.index.contains(keys), dtype=bool)]
        if not len(keys):
            return []
        sims = _cosines(np.vstack(self.index.get(keys, dtype="f32")), vector)
        return [(self.offset + int(k), float(x)) for k, x in zip(keys, sims, strict=True)]


@dataclass(frozen=True)
class MatrixSegment(Segment):
    """A small segment's vectors: an int8 matrix and each row's document
    number, memory-mapped, searched exactly (usearch's brute-force kernel):
    deterministic, and at this size as fast as a graph."""

    keys: Any = None  # uint32, ascending

    @property
    def size(self) -> int:
        return len(self.index)

    def search(self, vector: np.ndarray, count: int) -> list[tuple[int, float]]:
        from usearch.index import MetricKind
        from usearch.index import search as brute_force

        n = self.size
        if not n:
            return []
        got = brute_force(self.index, np.rint(vector * 127.0).astype(np.int8), min(count, n), MetricKind.Cos,
                          exact=True)
        rows = np.asarray(got.keys, dtype=np.int64)
        # the found rows' cosines recomputed from the stored vectors and the query as it is
        sims = _cosines(self.index[rows], vector)
        return [(self.offset + int(self.keys[r]), float(x)) for r, x in zip(rows, sims, strict=True)]

    def vector(self, local: int) -> np.ndarray | None:
        i = self._row(local)
        return None if i is None else self.index[i].astype(np.float32) / 127.0

    def similarities(self, vector: np.ndarray, docs: Sequence[int]) -> list[tuple[int, float]]:
        found = [(d, i) for d in docs if (i := self._row(d - self.offset)) is not None]
        if not found:
            return []
        m = self.index[[i for _d, i in found]]
        return [(d, float(x)) for (d, _i), x in zip(found, _cosines(m, vector), strict=True)]

    def _row(self, local: int) -> int | None:
        i = int(np.searchsorted(self.keys, local))
        return i if i < len(self.keys) and int(self.keys[i]) == local else None


def _cosines(m: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Each row's cosine similarity with ``vector``."""
    f = np.asarray(m, dtype=np.float32)
    return (f @ vector) / ((np.linalg.norm(f, axis=1) + 1e-12) * (np.linalg.norm(vector) + 1e-12))


def open_segments(folder: Path, reader: Any) -> tuple[Segment, ...] | None:
    """The generation's vector files, one per Whoosh segment, memory-mapped;
    None when the index was built without them (or a segment lacks its file)."""
    from usearch.index import Index as VectorIndex

    out: list[Segment] = []
    for sub, offset in reader.leaf_readers():
        segment = sub.segment()
        if segment is None:
            return None
        path, matrix = path_of(folder, segment.segment_id()), matrix_path_of(folder, segment.segment_id())
        if path.exists():
            out.append(Segment(offset, sub.doc_count_all(), VectorIndex.restore(str(path), view=True)))
        elif matrix.exists() and keys_path_of(folder, segment.segment_id()).exists():
            # (a missing file the generation lists is damage, named when it is opened; one it never
            # had is a build of another format: no vectors, like a build without them)
            keys = np.load(keys_path_of(folder, segment.segment_id()), mmap_mode="r")
            out.append(MatrixSegment(offset, sub.doc_count_all(), np.load(matrix, mmap_mode="r"), keys))
        else:
            return None
    return tuple(out)


def encode_query(text: str) -> np.ndarray:
    """The query's vector (raises RuntimeError when the encoder is unavailable)."""
    return meaning.embed_query(text)


def nearest(segments: Sequence[Segment], vector: np.ndarray, want: int, keep: Callable[[int], bool],
            among: Collection[int] | None = None) -> list[tuple[int, float]]:
    """The ``want`` most similar paragraphs that ``keep`` (document number)
    allows, most similar first. ``among``: the documents a filter keeps;
    when they are few (:data:`EXACT_FILTERED`), they are compared exactly,
    one by one. Otherwise each segment is asked for more while the filters
    leave too few."""
    if among is not None and len(among) <= EXACT_FILTERED:
        docs = sorted(d for d in among if keep(d))
        found = []
        for s in segments:
            found += s.similarities(vector, docs[bisect_left(docs, s.offset) : bisect_left(docs, s.offset + s.docs)])
        return sorted(found, key=lambda h: (-h[1], h[0]))[:want]
    count = max(want * 4, 40)
    while True:
        found = sorted((hit for s in segments for hit in s.search(vector, count)), key=lambda h: (-h[1], h[0]))
        kept = [h for h in found if keep(h[0])]
        exhausted = all(count >= s.size for s in segments)
        if len(kept) >= want or exhausted:
            return kept[:want]
        count *= 4


def vector_of(segments: Sequence[Segment], docnum: int) -> np.ndarray | None:
    """The stored vector of one paragraph (None: not embedded, as boilerplate is not)."""
    for s in reversed(segments):
        if docnum >= s.offset:
            return s.vector(docnum - s.offset)
    return None
