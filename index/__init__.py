"""briefing's index layer: the only code that touches Whoosh.

Public API (all results are plain frozen data):

- :func:`rebuild`, :func:`update` -> :class:`BuildReport`
- :class:`Index` (``search``, ``articles``, ``article``, ``status``, ``refresh``)
- :func:`default_index_dir`
- errors: :class:`QueryError`, :class:`IndexMissing`, :class:`IndexOutdated`,
  :class:`IndexCorrupt`, :class:`IndexBusy`, :class:`StorageError`
"""

from .build import BuildReport, rebuild, update
from .errors import IndexBusy, IndexCorrupt, IndexError_, IndexMissing, IndexOutdated, QueryError, StorageError
from .search import Hit, Index, IndexStatus, SearchResult
from .store import default_index_dir

__all__ = [
    "BuildReport",
    "Hit",
    "Index",
    "IndexBusy",
    "IndexCorrupt",
    "IndexError_",
    "IndexMissing",
    "IndexOutdated",
    "IndexStatus",
    "QueryError",
    "SearchResult",
    "StorageError",
    "default_index_dir",
    "rebuild",
    "update",
]
