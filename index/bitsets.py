"""Sets of document numbers, and the array types the vector code works in.

A filter (``lang:zh``, ``kind:turn``) or a mask (boilerplate, retired
paragraphs) is a :class:`DocBits`: a bitmap of one bit per document, 125 KB
for a million documents where a Python set of ints takes 50 MB. Whoosh's
searcher takes it as a ``filter=`` or ``mask=`` (it is a Whoosh ``DocIdSet``);
index/vector.py reads it as a boolean array over all documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from whoosh.idsets import DocIdSet

DocIds: TypeAlias = npt.NDArray[np.int64]  # document numbers, ascending
Weights: TypeAlias = npt.NDArray[np.float64]  # one per posting, or one per document
Flags: TypeAlias = npt.NDArray[np.bool_]  # one per document
Ranks: TypeAlias = npt.NDArray[np.int32]  # one per document (index/vector.py Postings.ranks)


def bitmap(ids: DocIds, docs: int) -> bytearray:
    """Document numbers as a little-endian bitmap of ``docs // 8 + 1`` bytes."""
    flags = np.zeros((docs // 8 + 1) * 8, bool)
    flags[ids] = True
    return bytearray(np.packbits(flags, bitorder="little").tobytes())


class DocBits(DocIdSet):  # Whoosh has no type information: DocIdSet is Any
    """A set of document numbers as a bitmap."""

    def __init__(self, docs: Iterable[int] | DocIds = (), size: int = 0, bits: bytearray | None = None) -> None:
        if bits is None:
            ids = docs if isinstance(docs, np.ndarray) else np.fromiter(docs, np.int64)
            bits = bitmap(ids, size)
        self.bits = bits
        self._len = int.from_bytes(bits, "little").bit_count()
        self._flags: Flags | None = None

    def flags(self, docs: int) -> Flags:
        """The set as a boolean array over ``docs`` documents, made once."""
        if self._flags is None or len(self._flags) != docs:
            raw = np.frombuffer(bytes(self.bits), dtype=np.uint8)
            self._flags = np.unpackbits(raw, bitorder="little")[:docs].astype(bool)
        return self._flags

    def __contains__(self, d: object) -> bool:
        return isinstance(d, int) and 0 <= d >> 3 < len(self.bits) and bool(self.bits[d >> 3] >> (d & 7) & 1)

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[int]:
        bits = self.bits
        return (i for i in range(len(bits) * 8) if bits[i >> 3] >> (i & 7) & 1)

    def _combine(self, other: DocBits, op: Callable[[int, int], int]) -> DocBits:
        n = max(len(self.bits), len(other.bits))
        value = op(int.from_bytes(self.bits, "little"), int.from_bytes(other.bits, "little"))
        return DocBits(bits=bytearray(value.to_bytes(n, "little")))

    def __and__(self, other: DocBits) -> DocBits:
        return self._combine(other, int.__and__)

    def __or__(self, other: DocBits) -> DocBits:
        return self._combine(other, int.__or__)
