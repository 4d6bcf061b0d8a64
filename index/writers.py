"""Whoosh's multiprocess writer, with its sub-writers started afresh.

Whoosh's ``MpWriter`` forks its sub-writers from the building process. By the
time a rebuild indexes, that process holds the whole corpus's version
detection, identities and summaries, the recognisers' tables and jieba's
dictionary: each forked sub-writer maps all of it, so that the processes'
summed memory counts it once more per sub-writer, and a page either side
writes to is copied for real. Forking a process that runs other threads can
also copy a held lock into the child. Here the sub-writers are the same
Whoosh ``SubWriterTask``, started by ``spawn``: a fresh interpreter that
imports Whoosh and the schema's analysers and nothing else, and reads its
documents from the job files as Whoosh's own sub-writers do.

Past its buffer, a writer's posting pool (Whoosh's external merge sort) writes
sorted runs to disk and merges them back: :class:`BatchedPostingPool` writes
and reads each run in marshalled blocks rather than a marshal call per posting,
which was half of a sub-writer's time at 10,000 articles.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from marshal import dump, load
from typing import Any, BinaryIO

from whoosh.filedb.filestore import FileStorage
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

from corpus.processes import follow_parent

_SPAWN = multiprocessing.get_context("spawn")


_RUN_BLOCK = 1024  # postings per marshalled block of a run (a merge holds one block per run: 128 runs, 20 MB)


class BatchedPostingPool(PostingPool):
    """Whoosh's posting pool, its runs written and read a block of postings
    at a time: the same items in the same order, for a C call per block."""

    def _write_run(self, f: BinaryIO, items: Iterable[Any]) -> None:
        block: list[Any] = []
        try:
            for item in items:
                block.append(item)
                if len(block) == _RUN_BLOCK:
                    dump(block, f, 2)
                    block = []
            if block:
                dump(block, f, 2)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    block = load(f)
                except EOFError:
                    return
                yield from block
        finally:
            f.close()
            self._remove_run(path)


def batched_runs(writer: Any) -> Any:
    """``writer`` (a ``SegmentWriter`` with nothing added yet) with a
    :class:`BatchedPostingPool` of the same buffer."""
    pool = writer.pool
    if type(pool) is PostingPool:
        assert not pool.current and not pool.runs, "the pool is swapped before the first document"
        batched = BatchedPostingPool(pool.tempstore, pool.segment)
        batched.limit = pool.limit
        writer.pool = batched
    return writer


class _SpawnedSubWriter(SubWriterTask):
    _Popen = staticmethod(_SPAWN.Process._Popen)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.parent = os.getpid()

    def run(self) -> None:
        follow_parent(self.parent)  # a killed rebuild's sub-writer would wait on its queue for good
        super().run()

    def _process_file(self, filename: str, doc_count: int) -> None:
        batched_runs(self.writer)  # (Whoosh makes the writer in run(), before its first job)
        super()._process_file(filename, doc_count)


class SpawningWriter(MpWriter):
    """``MpWriter`` whose sub-writers are spawned processes (see the module's note)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # A queue shared with a spawned process must come from its context.
        self.jobqueue = _SPAWN.Queue(self.procs * 4)
        self.resultqueue = _SPAWN.Queue()

    def _new_task(self) -> Any:
        # A storage of its own: the parent's holds the index's lock files.
        storage = FileStorage(self.storage.folder, supports_mmap=self.storage.supports_mmap)
        task = _SpawnedSubWriter(storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                                 self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        """Stop the sub-writers as well: Whoosh's own ``cancel`` flags them
        in this process only, and they would wait for jobs that never come
        (and the interpreter for them, at exit)."""
        try:
            for task in self.tasks:
                task.terminate()
            for task in self.tasks:
                task.join()
        finally:
            SegmentWriter.cancel(self)
