"""Messages the reader's workers post to the app, and the guard that turns
a damaged index into one of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.message import Message
from textual.screen import Screen

from index import Index, IndexCorrupt, IndexOutdated, SearchResult

from .widgets.rows import Line


class Opened(Message):
    """The index is open (posted from the loading worker). ``modal``: the
    screen that built it, dismissed in the same handler that swaps the index
    in, so no report from the damaged index it replaces lands in between."""

    def __init__(self, index: Index, modal: Screen[Any] | None = None) -> None:
        super().__init__()
        self.index = index
        self.modal = modal


class IndexChanged(Message):
    """Another process published a new index generation; it is now loaded."""


class IndexBroken(Message):
    """Reading the index failed because it is damaged (or was replaced by an
    outdated one): the modal that rebuilds it takes over. ``source``: the
    index that failed; a report from one already replaced is stale."""

    def __init__(self, error: Exception, source: Any = None) -> None:
        super().__init__()
        self.error = error
        self.source = unguarded(source)


class SearchDone(Message):
    """A query's answer, with the rows that show it made in the worker
    (``hits``: the Articles pane's; ``speakers``, ``cities``: those in the
    hits, with counts), so the event loop only puts them on screen."""

    def __init__(self, query: str, result: SearchResult | None, error: str | None, sort: str = "score",
                 hits: Sequence[Line] = (), speakers: Sequence[Line] = (), cities: Sequence[Line] = (),
                 like: str | None = None) -> None:
        super().__init__()
        self.query, self.result, self.error, self.sort = query, result, error, sort
        self.hits, self.speakers, self.cities = hits, speakers, cities
        self.like = like  # "002 ¶12": paragraphs like this one (l), not the search bar's query


def unguarded(index: Any) -> Any:
    """The index itself under a :class:`GuardedIndex` (or ``index`` as it is)."""
    return getattr(index, "unguarded", index)


class GuardedIndex:
    """The reader's view of the index: a read that finds the index damaged
    (or replaced by an outdated one) posts :class:`IndexBroken`, for the
    modal that rebuilds it, and gives what "nothing there" gives (no
    article, no mentions), so a key handler never dies on it."""

    NOTHING: dict[str, Any] = {
        "article": None, "alignment": None, "cities": [], "speakers": [], "matches_in": (),
        "speaker_paragraphs": (0, []), "city_mentions": (0, []),
    }

    def __init__(self, index: Index, broken: Callable[[Exception], object]) -> None:
        self.unguarded = index
        self._broken = broken

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.unguarded, name)
        if name not in self.NOTHING:
            return attr

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except (IndexCorrupt, IndexOutdated) as exc:
                self._broken(exc)
                return self.NOTHING[name]

        return guarded
