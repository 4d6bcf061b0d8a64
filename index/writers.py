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
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

_SPAWN = multiprocessing.get_context("spawn")


class _SpawnedSubWriter(SubWriterTask):
    _Popen = staticmethod(_SPAWN.Process._Popen)


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
