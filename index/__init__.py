"""briefing's index layer: the only code that touches Whoosh.

Public API (all results are plain frozen data):

- :func:`rebuild`, :func:`update` -> :class:`BuildReport`
- :class:`Index` (``search``, ``articles``, ``article``, ``status``, ``refresh``)
- :func:`default_index_dir`
- errors: :class:`QueryError`, :class:`IndexMissing`, :class:`IndexOutdated`,
  :class:`IndexCorrupt`, :class:`IndexBusy`, :class:`StorageError`,
  :class:`ClusterError`

Names are imported when first used (PEP 562): the errors and
``default_index_dir`` do not load Whoosh or numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus.lazy import lazy_exports

_WHERE = {
    "BuildReport": "build",
    "rebuild": "build",
    "update": "build",
    "ClusterError": "errors",
    "IndexBusy": "errors",
    "IndexCorrupt": "errors",
    "IndexError_": "errors",
    "IndexMissing": "errors",
    "IndexOutdated": "errors",
    "QueryError": "errors",
    "StorageError": "errors",
    "Census": "results",
    "Hit": "results",
    "Index": "search",
    "IndexStatus": "results",
    "SearchResult": "results",
    "default_index_dir": "store",
}

__all__ = [
    "BuildReport",
    "ClusterError",
    "Census",
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

if TYPE_CHECKING:
    from .build import BuildReport, rebuild, update
    from .errors import (
        ClusterError,
        IndexBusy,
        IndexCorrupt,
        IndexError_,
        IndexMissing,
        IndexOutdated,
        QueryError,
        StorageError,
    )
    from .results import Census, Hit, IndexStatus, SearchResult
    from .search import Index
    from .store import default_index_dir


__getattr__ = lazy_exports(__name__, _WHERE)
