"""Posting lists as raw arrays beside Whoosh's segments.

Whoosh keeps a term's postings in pickled, zlib-compressed blocks, and
decoding them costs about 0.2 µs a posting in Python: on a large index a
query's first run spent most of its time there. So once a segment is
written, every term of it is decoded one time and written out as arrays:

- ``<segment>.vec``: per term, its document numbers within the segment
  (``uint32``, ascending) and then its weights (``float32`` when that is
  exact, as term frequencies are, else ``float64``);
- ``<segment>.vix``: a table sorted by a 64-bit hash of (field, term), with a
  32-bit check of the term, the offset in ``.vec``, the count and the
  weights' width.

A first run then reads a term's postings with two ``pread`` calls (no memory
map: the pages read are not kept resident in the reader). The files are
written before a generation is published, so its checksums cover them; a
segment without them (an index written by an older briefing) is read from
Whoosh's blocks as before.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .bitsets import DocIds, Weights

INDEX_DTYPE = np.dtype([("hash", "<u8"), ("check", "<u4"), ("count", "<u4"), ("offset", "<u8"), ("wide", "<u1")])


def _key(field: str, text: bytes) -> tuple[int, int]:
    raw = field.encode() + b"\0" + text
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little"), zlib.crc32(raw)


def paths(folder: Path, segment_id: str) -> tuple[Path, Path]:
    return folder / f"{segment_id}.vec", folder / f"{segment_id}.vix"


def write(folder: Path, segment: Any, decode: Callable[[Any, str, bytes], tuple[DocIds, Weights]]) -> None:
    """Write the sidecar of one segment reader (every term of every field
    that has postings); ``decode(reader, field, text)`` gives a term's arrays."""
    vec, vix = paths(folder, segment.segment().segment_id())
    rows: list[tuple[int, int, int, int, int]] = []
    offset = 0
    with open(vec, "wb") as out:
        for field, text in _terms(segment):
            ids, weights = decode(segment, field, text)
            w32 = weights.astype(np.float32)
            exact = bool(np.array_equal(w32, weights))
            blob = ids.astype(np.uint32).tobytes() + (w32 if exact else weights.astype(np.float64)).tobytes()
            out.write(blob)
            h, check = _key(field, text)
            rows.append((h, check, len(ids), offset, 4 if exact else 8))
            offset += len(blob)
    table = np.array(rows, dtype=INDEX_DTYPE)
    table.sort(order="hash", kind="stable")
    with open(vix, "wb") as out:
        out.write(table.tobytes())


def _terms(segment: Any) -> Iterator[tuple[str, bytes]]:
    yield from segment.all_terms()


class Sidecar:
    """One segment's arrays, read on demand (thread-safe: ``pread``)."""

    def __init__(self, vec: Path, vix: Path) -> None:
        self._table = np.fromfile(vix, dtype=INDEX_DTYPE)
        self._fd = os.open(vec, os.O_RDONLY)

    @classmethod
    def open(cls, folder: Path, segment_id: str) -> Sidecar | None:
        vec, vix = paths(folder, segment_id)
        return cls(vec, vix) if vix.is_file() and vec.is_file() else None

    def get(self, field: str, text: bytes) -> tuple[DocIds, Weights]:
        """The term's document numbers (within the segment) and weights;
        empty arrays when the segment does not hold it."""
        h, check = _key(field, text)
        i = int(np.searchsorted(self._table["hash"], h))
        table = self._table
        while i < len(table) and int(table["hash"][i]) == h:
            row = table[i]
            if int(row["check"]) == check:
                n, off, wide = int(row["count"]), int(row["offset"]), int(row["wide"])
                data = os.pread(self._fd, n * (4 + wide), off)
                ids = np.frombuffer(data, np.uint32, n).astype(np.int64)
                weights = np.frombuffer(data, np.float32 if wide == 4 else np.float64, n, n * 4)
                return ids, weights.astype(np.float64)
            i += 1
        return np.zeros(0, np.int64), np.zeros(0, np.float64)

    def close(self) -> None:
        os.close(self._fd)
