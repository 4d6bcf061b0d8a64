"""Every key, from the app's bindings (one source of truth)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Every key, from the app's bindings (one source of truth)."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        text = Text("Keys\n\n", style="bold")
        for key, what in self.rows:
            text.append(f"{key:>12}  ", style="bold cyan")
            text.append(what + "\n")
        text.append("\nEscape closes this screen.", style="dim")
        with VerticalScroll(id="help"):
            yield Static(text, markup=False)

