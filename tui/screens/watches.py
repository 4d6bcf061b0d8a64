"""The Watches screen (from the command palette): each saved search with
the number of hits new since it last ran; Enter runs its query in the reader.
Looking does not count as a run: only ``briefing watch run`` moves a watch on."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ListItem, ListView, Static

from corpus.text import printable
from corpus.yamlio import ConfigError

from .. import watches
from ..watches import Report, Watch


class WatchItem(ListItem):
    """A watch and, once counted, its new hits."""

    def __init__(self, watch: Watch) -> None:
        self.saved = watch
        self.shown = self._line(None, None)
        super().__init__(Static(self.shown, markup=False))

    def _line(self, report: Report | None, error: str | None) -> Text:
        line = Text(f"{printable(self.saved.name)}  ", style="bold")
        line.append(printable(self.saved.query))
        if error:
            line.append(f"  {printable(error)}", style="red")
        elif report is None:
            line.append("  …", style="dim")
        else:
            count = len(report.new)
            line.append(f"  {count} new", style="bold green" if count else "dim")
        return line

    def show(self, report: Report | None, error: str | None = None) -> None:
        self.shown = self._line(report, error)
        self.query_one(Static).update(self.shown)


class WatchesScreen(ModalScreen[str | None]):
    """Dismissed with the query of the watch chosen, or None."""

    BINDINGS = [Binding("escape,q", "dismiss_none", "Close")]

    def __init__(self, index: Any) -> None:
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        with Vertical(id="watches-modal"):
            yield Static(id="watches-title", markup=False)
            yield ListView(id="watches")

    def on_mount(self) -> None:
        try:
            found = watches.load()
        except (ConfigError, OSError) as exc:  # a ConfigError names the file and line
            self.query_one("#watches-title", Static).update(Text(f"Cannot read the watches: {exc}"))
            return
        title = Text("Watches", style="bold")
        title.append(f" {len(found)}: new hits since each last ran (briefing watch run moves them on). "
                     "Enter searches.", style="")
        if not found:
            title.append("\nNo watches yet: briefing watch add QUERY [--name NAME]")
        self.query_one("#watches-title", Static).update(title)
        lv = self.query_one("#watches", ListView)
        items = [WatchItem(w) for w in found]
        lv.extend(items)
        lv.focus()
        if found:
            lv.index = 0
            self.count(items)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def count(self, items: list[WatchItem]) -> None:
        """Count each watch's new hits (a search each), off the main thread;
        the rows are updated in place as the counts come."""
        from index import IndexError_, QueryError

        for item in items:
            try:
                report, error = watches.check(self.index, item.saved, advance=False), None
            except (QueryError, IndexError_) as exc:
                report, error = None, f"cannot run: {exc}"
            self.app.call_from_thread(item.show, report, error)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        item: Any = event.item
        self.dismiss(item.saved.query)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
