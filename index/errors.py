"""Errors the index layer raises. Each message says what to do next."""

from __future__ import annotations

from pathlib import Path


class IndexError_(Exception):  # noqa: N801 - avoid shadowing the builtin IndexError
    """Base class: something is wrong with the index, not with the query."""


class IndexMissing(IndexError_):
    def __init__(self, index_dir: Path) -> None:
        super().__init__(f"no index at {index_dir}; build it with: briefing index rebuild")
        self.index_dir = index_dir


class IndexOutdated(IndexError_):
    def __init__(self, index_dir: Path, found: object, wanted: int) -> None:
        super().__init__(
            f"the index at {index_dir} has schema version {found}, this briefing needs {wanted}; "
            "rebuild it with: briefing index rebuild"
        )


class IndexCorrupt(IndexError_):
    def __init__(self, index_dir: Path, detail: str) -> None:
        super().__init__(f"the index at {index_dir} is damaged ({detail}); rebuild it with: briefing index rebuild")


class IndexBusy(IndexError_):
    def __init__(self, index_dir: Path, holder: str) -> None:
        super().__init__(
            f"another rebuild is writing the index at {index_dir} ({holder}); wait for it to finish and try again"
        )


class StorageError(IndexError_):
    """Disk full, read-only folder and the like. The previous index is untouched."""


class ClusterError(IndexError_):
    """A rebuild's Dask cluster cannot be reached, or cannot reach the corpus
    and index folders. Nothing was published; the previous index is untouched."""


class QueryError(ValueError):
    """A query that cannot be run; the message says what is wrong and how to fix it."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position
