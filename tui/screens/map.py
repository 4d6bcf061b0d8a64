"""The Map screen (key ``m``): where the corpus, or the query's hits, is about."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from corpus.text import printable

from ..worldmap import Spot, render

MAP_WIDTH, MAP_HEIGHT = 100, 24  # cells: 200 x 96 dots
LEGEND = 8  # places named under the map


class MapScreen(ModalScreen[None]):
    """A world map in Braille, the places marked by how often they are mentioned."""

    BINDINGS = [Binding("escape,q,m", "dismiss", "Close")]

    def __init__(self, title: str, spots: Sequence[Spot], land: Sequence[tuple[float, float]],
                 unplaced: int = 0) -> None:
        super().__init__()
        self.title_text, self.spots, self.land, self.unplaced = title, list(spots), land, unplaced

    def compose(self) -> ComposeResult:
        with Vertical(id="map-modal"):
            yield Static(self.title_text, id="map-title", markup=False)
            yield Static(Group(*render(self.land, self.spots, MAP_WIDTH, MAP_HEIGHT)), id="map", markup=False)
            yield Static(self._legend(), id="map-legend", markup=False)

    def _legend(self) -> Text:
        out = Text()
        for spot in sorted(self.spots, key=lambda s: -s.count)[:LEGEND]:
            out.append("● ", style="bold yellow")
            out.append(f"{printable(spot.name)} {spot.count}   ")
        if self.unplaced:
            out.append(f"\n{self.unplaced} places without coordinates (curated regions) are not drawn", style="dim")
        out.append("\nEscape, q or m closes", style="dim")
        return out
