"""A build's memory budget, over all its processes (``--memory``).

A rebuild runs in stages, one at a time: parse workers read the files, this
process works out versions and identities, index writers analyse the
paragraphs, embedding workers encode them. Each stage decides how many
processes it starts, and how much Whoosh's writers may buffer, from what is
left of the budget beside this process as it is then (its resident memory,
read from ``/proc``), so that the budget holds at any corpus size: a larger
corpus makes this process larger and the stage narrower, never the sum
larger. One worker is no faster than this process doing the work itself, so
a stage that cannot fit two does it here.

The sizes below were measured on generated corpora of 10,000 and 100,000
articles (``bench.child rebuild``, each process's RSS sampled every second);
docs/benchmark.md gives the runs. This module is read by the CLI at start-up,
without importing the build.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

MEMORY_MB = 2048  # a build's budget over all its processes, unless given another (``--memory``)
MIN_MEMORY_MB = 512  # below this a build cannot hold this process and one writer

PARSE_WORKER_MB = 560  # a parse worker: the recognisers' tables and caches, jieba (535 MB at the end of 100,000 files)
EMBED_WORKER_MB = 260  # an embedding or aligning worker: the encoder's weights and one batch (195 MB measured)
WRITER_BASE_MB = 40  # a spawned index writer before it buffers: Python, Whoosh, the analysers (30 MB measured)
# What a writer's RSS grows by per MB of the buffer Whoosh is given: Whoosh
# counts a posting's tuple, not what Python spends on it.
WRITER_GROWTH = 1.3
# What it holds per paragraph of its segment whatever the buffer (lengths,
# stored fields' offsets...). Measured: 297 MB with 218 MB of buffer and
# 50,000 paragraphs (10,000 articles, two writers); 400 MB with 100 MB and
# 500,000 paragraphs (100,000 articles).
WRITER_KB_PER_PARAGRAPH = 0.5
# The most paragraphs one writer's segment takes. What a writer holds per
# paragraph ends with its segment, so a larger build is written in rounds of
# fresh writers, each round committing a segment per writer: at 300,000
# articles (3 million paragraphs) two writers fit, where one segment per
# writer left one writer in this process with the least buffer.
SEGMENT_PARAGRAPHS = 600_000
MIN_WRITER_MB = 32  # Whoosh's buffer below which spilling dominates
GOOD_WRITER_MB = 64  # below this, fewer writers with more buffer each are faster
MAX_WRITER_MB = 1024  # more buffer gains nothing measurable
# What this process may still grow by while a stage runs (the side store is
# written beside the index writers; the spool is read back).
MAIN_GROWTH_MB = 250
# While the parse workers run, it keeps each parsed file's place in the
# spool (ids, languages, counts): 267 -> 330 MB over 100,000 files. Version
# detection's own state grows after they have gone (to 712 MB at 100,000).
PARSING_GROWTH_MB = 150
PARSING_GROWTH_KB_PER_FILE = 1


def own_mb() -> float:
    """This process's resident memory now, in MB (its peak where ``/proc`` is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cores() -> int:
    """The processes a stage may use at most: one per core, up to four."""
    return min(os.cpu_count() or 1, 4)


@dataclass(frozen=True)
class Budget:
    """``mb``: the megabytes that all of a build's processes may hold at once."""

    mb: int = MEMORY_MB

    def __post_init__(self) -> None:
        if self.mb < MIN_MEMORY_MB:
            raise ValueError(f"a build's memory must be at least {MIN_MEMORY_MB} MB, not {self.mb}")

    def room(self, grows_mb: float = MAIN_GROWTH_MB) -> float:
        """What the budget leaves beside this process as it is now, and as it may grow by ``grows_mb``."""
        return self.mb - own_mb() - grows_mb

    def workers(self, each_mb: float, most: int | None = None, grows_mb: float = MAIN_GROWTH_MB) -> int:
        """How many worker processes of ``each_mb`` to start: up to ``most``
        (one per core) that fit beside this process as it may grow while
        they run (``grows_mb``), or 0 (work in this process) when fewer than two do."""
        n = min(cores() if most is None else most, int(self.room(grows_mb) // each_mb))
        return n if n >= 2 else 0

    def reading(self, stage: str, files: int) -> int:
        """How many workers to start for a stage of reading ``files`` files
        (:data:`corpus.loader.Processes`): ``parse`` workers, while this
        process gathers what version detection needs of each file, then
        ``embed`` workers for the opening vectors and the alignments."""
        if stage == "parse":
            return self.workers(PARSE_WORKER_MB, grows_mb=PARSING_GROWTH_MB + files * PARSING_GROWTH_KB_PER_FILE / 1024)
        return self.workers(EMBED_WORKER_MB)

    def writers(self, paragraphs: int, most: int | None = None) -> tuple[int, int]:
        """``(processes, buffer_mb)`` for the index writers of ``paragraphs``
        paragraphs: as many as fit with :data:`GOOD_WRITER_MB` of buffer
        each, up to ``most`` (one per core); else one, in this process,
        with what is left. Each writer holds its share up to
        :data:`SEGMENT_PARAGRAPHS` (:func:`rounds`)."""
        room = self.room()
        for procs in range(cores() if most is None else most, 1, -1):
            buffer = (room / procs - WRITER_BASE_MB - _held_mb(paragraphs / procs)) / WRITER_GROWTH
            if buffer >= GOOD_WRITER_MB:
                return procs, min(int(buffer), MAX_WRITER_MB)
        return 1, max(MIN_WRITER_MB, min(int((room - _held_mb(paragraphs)) / WRITER_GROWTH), MAX_WRITER_MB))


def _held_mb(paragraphs: float) -> float:
    """What one writer holds for its share of ``paragraphs``, whatever its
    buffer: its segment takes :data:`SEGMENT_PARAGRAPHS` at most."""
    return min(paragraphs, SEGMENT_PARAGRAPHS) * WRITER_KB_PER_PARAGRAPH / 1024


def rounds(paragraphs: int, procs: int) -> int:
    """In how many rounds ``procs`` writers index ``paragraphs``, no
    writer's segment over :data:`SEGMENT_PARAGRAPHS`."""
    return max(1, -(-paragraphs // (procs * SEGMENT_PARAGRAPHS)))


_current: ContextVar[Budget | None] = ContextVar("budget", default=None)


def current() -> Budget:
    """The budget of the build running in this context (:func:`using`)."""
    return _current.get() or Budget()


@contextmanager
def using(mb: int | None) -> Iterator[Budget]:
    """The builds in this block hold ``mb`` over all their processes (None: :data:`MEMORY_MB`)."""
    token = _current.set(Budget(MEMORY_MB if mb is None else mb))
    try:
        yield current()
    finally:
        _current.reset(token)
