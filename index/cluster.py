"""A rebuild spread over a Dask distributed cluster (``briefing index rebuild --cluster ADDRESS``).

The heavy stages run as tasks on the cluster's workers, which reach the
corpus and index folders at the same paths as this process (shared storage):

- reading and parsing each file (language detection, speakers, places) and
  its version-detection profile, embedding articles' openings and aligning
  linked versions: :class:`DaskWorkers`, the :class:`corpus.loader.Workers`
  that the local build's process pool otherwise is;
- writing the index: one :class:`SegmentTask` per worker, a Dask actor that
  holds a Whoosh ``SegmentWriter`` as Whoosh's multiprocess writer holds one
  in each sub-process. It analyses the paragraphs it is sent, embeds the
  searchable ones, and when the stream ends writes its segment, the
  segment's posting sidecar and its paragraph vectors, and returns Whoosh's
  ``Segment``.

This process (the coordinator) works out versions, identities and the side
store as a local rebuild does, and publishes one generation: Whoosh's own
TOC lists the workers' segments (:class:`_Publisher`, the commit of
Whoosh's multiprocess writer). The result is the local rebuild's: the same
documents, speakers, places, versions and alignments; only the split of
paragraphs into segments differs.

Dask is imported here only; a build without ``--cluster`` never loads it.
"""

from __future__ import annotations

import ctypes
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from distributed import Client
from distributed.diagnostics.plugin import WorkerPlugin
from whoosh import index as windex
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from corpus import meaning

from . import meaning as meaning_index
from . import sidecar, vector
from .errors import ClusterError
from .schema import Codec
from .writers import batched_runs

CONNECT_SECONDS = 10  # how long a scheduler has to answer
IN_FLIGHT = 2  # chunks (or paragraph batches) queued per worker thread
BATCH_PARAGRAPHS = 1_000  # paragraphs sent to a segment writer at a time
# What a worker's segment writer buffers before it spills to disk. A worker's
# memory is the Dask worker's own (``dask worker --memory-limit``), not the
# coordinator's ``--memory``.
WORKER_WRITER_MB = 256


@contextmanager
def connect(address: str) -> Iterator[DaskWorkers]:
    """The cluster's workers, for one build. Raises :class:`ClusterError`
    naming the address when no scheduler answers or it has no workers."""
    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"no Dask scheduler answers at {address} ({exc}); start one with: dask scheduler") from exc
    try:
        if not client.nthreads():
            try:
                client.wait_for_workers(1, timeout=CONNECT_SECONDS)
            except TimeoutError as exc:
                raise ClusterError(f"the Dask scheduler at {address} has no workers; "
                                   f"start one with: dask worker {address}") from exc
        yield DaskWorkers(client)
    finally:
        client.close()


class _Setup(WorkerPlugin):
    """Runs a build's initializer on every worker, also on one that joins later."""

    def __init__(self, initializer: Callable[..., None], args: tuple[Any, ...]) -> None:
        self.initializer, self.args = initializer, args

    def setup(self, worker: Any) -> None:
        _malloc_as_glibc()
        self.initializer(*self.args)


# glibc's mallopt parameters, and the largest thresholds its own dynamic
# adjustment reaches on 64-bit machines.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_TRIM_BYTES, _MMAP_BYTES = 64 << 20, 32 << 20


def _malloc_as_glibc() -> None:
    """Undo the ``MALLOC_TRIM_THRESHOLD_`` that a Dask nanny gives its
    workers (64 kB, so that they hand freed memory back at once): setting it
    also turns off glibc's adaptive thresholds, so every array over 128 kB
    is mapped and unmapped afresh. The sentence encoder frees and allocates
    such arrays for each paragraph, and ran 2.4 times slower. Nothing to do
    on a worker started without it or on another C library."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES)
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES)
    except (OSError, AttributeError):
        pass


def _run_chunk(fn: Callable[[Any], Any], chunk: list[Any]) -> list[Any]:
    return [fn(item) for item in chunk]


def _sees(paths: list[str]) -> list[str]:
    """The paths this worker cannot reach, or cannot write where it must."""
    missing = [p for p in paths[:-1] if not os.path.isdir(p)]
    if not os.access(paths[-1], os.W_OK):
        missing.append(paths[-1])
    return missing


class DaskWorkers:
    """A cluster's workers as the build's :class:`corpus.loader.Workers`."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @property
    def addresses(self) -> list[str]:
        return sorted(self.client.nthreads())

    def threads(self) -> int:
        return sum(self.client.nthreads().values()) or 1

    def start(self, initializer: Callable[..., None], *args: Any) -> None:
        self.client.register_plugin(_Setup(initializer, args), name="briefing-build")

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], chunksize: int = 1) -> Iterator[Any]:
        """``fn`` of each item, in order: ``chunksize`` items a task, with at
        most :data:`IN_FLIGHT` tasks per worker thread queued at a time, so
        that neither the scheduler nor this process holds the whole job."""
        window = IN_FLIGHT * self.threads()
        pending: deque[Any] = deque()
        source = iter(items)
        try:
            while chunk := list(islice(source, max(1, chunksize))):
                pending.append(self.client.submit(_run_chunk, fn, chunk, pure=False))
                while len(pending) > window:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            self.client.cancel(list(pending))

    def check_paths(self, *folders: Path) -> None:
        """Raise :class:`ClusterError` naming each worker that cannot read
        the first folders or write the last (they must be shared storage)."""
        paths = [str(Path(f).resolve()) for f in folders]
        seen = self.client.run(_sees, paths)
        blind = {worker: missing for worker, missing in seen.items() if missing}
        if blind:
            named = "; ".join(f"{w} cannot reach {', '.join(m)}" for w, m in sorted(blind.items()))
            raise ClusterError(f"the cluster's workers must reach the corpus and index folders at the same paths "
                               f"(shared storage): {named}")


class SegmentTask:
    """One worker's Whoosh segment, written as paragraphs arrive (a Dask actor)."""

    def __init__(self, folder: str, vectors: bool) -> None:
        self.folder = Path(folder)
        self.ix = windex.open_dir(folder)
        # _lk=False: the coordinator holds the index's lock, as the parent of
        # Whoosh's own sub-writers does.
        self.writer = batched_runs(SegmentWriter(self.ix, _lk=False, limitmb=WORKER_WRITER_MB, compound=False,
                                                 codec=Codec()))
        self.vectors = meaning_index.SegmentVectors(self.folder) if vectors else None
        self.docs = 0

    def add(self, docs: list[dict[str, Any]]) -> int:
        keys: list[int] = []
        texts: list[str] = []
        for doc in docs:
            self.writer.add_document(**doc)
            text = next((v for k, v in doc.items() if k.startswith("text_")), "")
            if meaning_index.searchable(doc["kind"], text):
                keys.append(self.docs)
                texts.append(text)
            self.docs += 1
        if self.vectors is not None and texts:
            self.vectors.add(keys, meaning.embed(texts))
        return len(docs)

    def finish(self) -> Any:
        """Write the segment, its sidecar and its vectors; Whoosh's ``Segment``, or None when given nothing."""
        # The writers share the index's temporary folder (Whoosh names it
        # after the index): none removes it; the coordinator's commit does.
        if not self.docs:
            self.writer._close_segment()
            if self.vectors is not None:
                self.vectors.discard()
            return None
        segment = self.writer._finalize_segment()
        reader = SegmentReader(self.ix.storage, self.ix.schema, segment)
        try:
            sidecar.write(self.folder, reader, vector.segment_postings)
        finally:
            reader.close()
        if self.vectors is not None:
            self.vectors.save(self.folder, segment.segment_id())
        return segment


class _Publisher(SegmentWriter):
    """Commits segments written elsewhere into the index's TOC: what
    Whoosh's multiprocess writer does with its sub-writers' segments."""

    def commit_segments(self, segments: Sequence[Any]) -> None:
        self._check_state()
        self._close_segment()
        self._commit_toc([*self.segments, *segments])
        self._finish()


def write_index(workers: DaskWorkers, folder: Path, docs: Iterable[list[dict[str, Any]]], vectors: bool,
                progress: Callable[[int], None] | None = None) -> int:
    """Send each article's Whoosh documents (``docs``, in order) to the
    workers' segment writers, a batch of about :data:`BATCH_PARAGRAPHS` at a
    time to whichever has the fewest in flight, then commit their segments
    into the index at ``folder``. Returns the segments written."""
    client = workers.client
    with client.as_current():  # where the actors' proxies find the client
        segments = _stream(client, workers.addresses, folder, docs, vectors, progress)
    ix = windex.open_dir(str(folder))
    writer = _Publisher(ix, compound=False, codec=Codec())
    try:
        writer.commit_segments(segments)
    except BaseException:
        writer.cancel()
        raise
    return len(segments)


def _stream(client: Client, addresses: list[str], folder: Path, docs: Iterable[list[dict[str, Any]]],
            vectors: bool, progress: Callable[[int], None] | None) -> list[Any]:
    actors = [client.submit(SegmentTask, str(folder), vectors, workers=[address], actor=True,
                            pure=False).result()
              for address in addresses]
    pending: list[deque[Any]] = [deque() for _ in actors]
    batch: list[dict[str, Any]] = []

    def send(batch: list[dict[str, Any]]) -> None:
        for queue in pending:
            while queue and queue[0].done():
                queue.popleft().result()  # raises what the worker raised
        i = min(range(len(actors)), key=lambda j: len(pending[j]))  # the first, on a tie: deterministic
        if len(pending[i]) >= IN_FLIGHT:
            pending[i].popleft().result()
        pending[i].append(actors[i].add(batch))

    for done, article_docs in enumerate(docs, start=1):
        batch.extend(article_docs)
        if len(batch) >= BATCH_PARAGRAPHS:
            send(batch)
            batch = []
        if progress and done % 50 == 0:
            progress(done)
    if batch:
        send(batch)
    for queue in pending:
        while queue:
            queue.popleft().result()
    return [s for s in (actor.finish().result() for actor in actors) if s is not None]

