"""The modal shown when there is no usable index: while the first one is
built, when one is damaged or outdated (r rebuilds it), or when building fails."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from corpus.text import printable


class IndexScreen(ModalScreen[None]):
    """No usable index: shown while the first one is built, when one is
    damaged or outdated (r rebuilds it), or when building fails."""

    BINDINGS = [Binding("q", "app.quit", "Quit"), Binding("r", "rebuild", "Rebuild")]

    def __init__(self, corpus: str, problem: str | None = None) -> None:
        super().__init__()
        self.corpus, self.problem = corpus, problem

    def compose(self) -> ComposeResult:
        with Vertical(id="index-modal"):
            if self.problem:
                text = (f"{printable(self.problem)}\n\nPress r to rebuild it now from\n{self.corpus}\n"
                        "(the corpus files are only read), or q to quit.")
            else:
                text = f"No index yet for\n{self.corpus}\n\nBuilding it now (as `briefing index rebuild` would)…"
            yield Static(Text(text), id="index-message", markup=False)
            bar = ProgressBar(total=None, show_eta=False, id="index-progress")
            bar.display = not self.problem
            yield bar

    def action_rebuild(self) -> None:
        if self.problem:
            self.problem = None
            self.app.rebuild_in_modal(self)  # type: ignore[attr-defined]

    def building(self) -> None:
        self.query_one(ProgressBar).display = True
        self.query_one("#index-message", Static).update(Text(f"Building the index for\n{self.corpus}…"))

    def progress(self, phase: str, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#index-message", Static).update(
            Text(f"Building the index for\n{self.corpus}\n\n{phase.capitalize()} {done}/{total}…")
        )

    def failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#index-message", Static).update(
            Text(f"Cannot build the index for\n{self.corpus}\n\n{printable(message)}\n\n"
                 "Nothing was changed. Fix the problem, then run: briefing index rebuild\nq quits.")
        )

