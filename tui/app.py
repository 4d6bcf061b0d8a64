"""The reader: a Textual app over the index API.

Layout (tui/screens/main.py): a search bar on top; on the left the Articles
pane (or the ranked hits, a speaker's turns, a city's mentions), the
Speakers and Cities panes; the reader on the right, one article by
paragraph or two language versions side by side on their stored alignment;
a status line and the footer.

The app owns the index. It is opened (and built on first run, under a
modal) in a worker, so the first paint never waits for it; jieba is warmed
up after that; a poll picks up generations published by another process;
damage found while reading opens the modal that rebuilds it.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from corpus import ConfigError
from index import Index, IndexCorrupt, IndexError_, IndexMissing, IndexOutdated, rebuild

from .messages import GuardedIndex, IndexBroken, IndexChanged, Opened, unguarded
from .screens.index import IndexScreen
from .screens.main import MainScreen

if TYPE_CHECKING:
    from .config import Settings


# The reader makes tens of thousands of short-lived objects a frame (Textual's
# strips and segments). Under Python's default thresholds (700, 10, 10) the
# collector ran many times a keystroke, and its passes over the older
# generations were the 60–80 ms outliers of keystroke → results (about
# 25 ms at most with these). Young collections are fewer and larger; cycles
# are still collected. Set when the app mounts, for its process.
GC_THRESHOLDS = (20_000, 20, 20)


class BriefingApp(App[None]):
    """Search, list and read the articles of one corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit-ctrl"),
    ]

    def __init__(self, settings: Settings, index: Index | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.index: Index | None = self._guard(index) if index is not None else None
        self.main = MainScreen(settings)
        self._polling: Any = None  # the timer that picks up generations published by others (one per app)

    def get_default_screen(self) -> Screen[Any]:
        return self.main

    def _status(self, text: str) -> None:
        self.main.show_status(text)

    def on_mount(self) -> None:
        gc.set_threshold(*GC_THRESHOLDS)
        self._watch_terminal()
        if self.index is None:
            self.open_index()
        else:
            self.post_message(Opened(self.index))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_index(self) -> None:
        try:
            index = Index(self.settings.index)
        except IndexMissing:
            screen = IndexScreen(str(self.settings.corpus))
            self.call_from_thread(self.push_screen, screen)
            built = self._build_in(screen)
            if built is not None:
                self.post_message(Opened(built, modal=screen))
            return
        except (IndexCorrupt, IndexOutdated) as exc:
            self.call_from_thread(self.push_screen, IndexScreen(str(self.settings.corpus), problem=str(exc)))
            self.call_from_thread(self._status, "The index cannot be used: press r to rebuild it.")
            return
        except IndexError_ as exc:
            self.call_from_thread(self._status, f"{exc}")
            return
        self.post_message(Opened(index))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def rebuild_in_modal(self, screen: IndexScreen) -> None:
        """The modal's r: rebuild a damaged or outdated index, then open it."""
        built = self._build_in(screen)
        if built is not None:
            self.post_message(Opened(built, modal=screen))

    def _build_in(self, screen: IndexScreen) -> Index | None:
        """Build the index under ``screen`` with a progress bar. On failure the
        modal stays, naming the problem (the corpus on disk is untouched)."""
        self.call_from_thread(screen.building)
        self.call_from_thread(self._status, f"Building the index for {self.settings.corpus}…")
        try:
            report = rebuild(self.settings.corpus, self.settings.index,
                             lambda phase, done, total: self.call_from_thread(screen.progress, phase, done, total),
                             memory_mb=self.settings.memory)
            index = Index(self.settings.index)
        except (IndexError_, ConfigError, OSError) as exc:
            self.call_from_thread(screen.failed, str(exc))
            self.call_from_thread(self._status, "No index: see the message above.")
            return None
        if report.skipped:
            names = ", ".join(p for p, _ in report.skipped)
            self.call_from_thread(self.notify, f"Skipped: {names}", severity="warning")
        return index

    def _watch_terminal(self) -> None:
        """Leave when the terminal goes away. A closed terminal normally ends
        the reader with SIGHUP, but a reader that does not get it (started
        under a wrapper that ignores it, or when the hangup goes elsewhere)
        would spin on its dead input at full CPU for ever."""
        if self.is_headless:
            return
        try:
            fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
            if fd < 0 or not os.isatty(fd):
                return
        except (OSError, ValueError):
            return

        def check() -> None:
            try:
                os.tcgetpgrp(fd)  # a hung-up terminal answers EIO
            except OSError:
                # As if ended by SIGHUP. Textual's own shutdown can block on the
                # dead terminal, so leave for sure a moment later: the reader
                # only reads the index, and a rebuild it started publishes
                # atomically or not at all.
                threading.Timer(2.0, os._exit, args=(129,)).start()
                self.exit(return_code=129)

        self.set_interval(1.0, check, name="terminal-watch")

    def on_unmount(self) -> None:
        if self.index is not None:
            self.index.close()

    def on_opened(self, message: Opened) -> None:
        raw = unguarded(message.index)
        if self.index is not None and unguarded(self.index) is not raw:
            self.index.close()  # a damaged one, replaced by the rebuild
        self.index = self._guard(raw)
        if message.modal is not None and message.modal in self.screen_stack:
            message.modal.dismiss()
        self.main.opened()
        if self._polling is None:
            self._polling = self.set_interval(2.0, self.poll_index, name="poll-index")
        self.warm_up()

    def _guard(self, index: Index) -> Index:
        return cast(Index, GuardedIndex(index, lambda exc: self.post_message(IndexBroken(exc, index))))

    def on_index_broken(self, message: IndexBroken) -> None:
        if message.source is not None and message.source is not unguarded(self.index):
            return  # from the damaged index a rebuild has already replaced
        self.index_broken(message.error)

    def index_broken(self, error: Exception) -> None:
        """Show the modal that names the damage and rebuilds on r (once)."""
        if any(isinstance(s, IndexScreen) for s in self.screen_stack):
            return
        self.push_screen(IndexScreen(str(self.settings.corpus), problem=str(error)))
        self._status("The index cannot be used: press r to rebuild it.")

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def warm_up(self) -> None:
        """Load jieba's dictionary after the first paint, not on the first keystroke."""
        if self.index is not None:
            self.index.warm_up()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll_index(self) -> None:
        """Pick up an index rebuilt by another process (`briefing index rebuild`)."""
        index = self.index
        if index is not None:
            try:
                changed = index.refresh()
            except (IndexCorrupt, IndexOutdated) as exc:
                self.post_message(IndexBroken(exc, index))
                return
            except IndexError_:
                return
            if changed:
                self.post_message(IndexChanged())

    def on_index_changed(self, _message: IndexChanged) -> None:
        self.main.index_changed()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is not self.main:
            return  # the reader's commands act on the main screen's panes
        yield SystemCommand(
            "Rebuild index", "Re-read the corpus folder and rebuild the search index", self.rebuild_index
        )
        yield from self.main.commands()

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def rebuild_index(self) -> None:
        self.call_from_thread(self._status, f"Rebuilding the index for {self.settings.corpus}…")
        try:
            report = rebuild(self.settings.corpus, self.settings.index, memory_mb=self.settings.memory)
        except (IndexError_, ConfigError, OSError) as exc:
            self.call_from_thread(self.notify, f"Rebuild failed; the previous index is untouched: {exc}",
                                  severity="error", timeout=10)
            return
        self.call_from_thread(self._status, f"Rebuilt: {report.articles} articles in {report.seconds:.2f}s")
        self.call_from_thread(self.poll_index)


def create_app(settings: Settings, index: Index | None = None) -> BriefingApp:
    """The one app factory, shared by the CLI and the tests."""
    return BriefingApp(settings, index)


def run_app(settings: Settings) -> None:
    create_app(settings).run()
