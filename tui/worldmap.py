"""A world map in Braille cells: where the corpus, or a query's hits, is about.

The land is drawn from the world gazetteer's cities themselves (34,000 dots
at their coordinates outline the inhabited world well enough to read the
continents); the places an index names are drawn over it, each a dot whose
size says how often it is mentioned. Equirectangular, latitudes 75° N to
55° S (where nearly everyone lives), so that the terminal's rows are spent
on land.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text

NORTH, SOUTH = 75.0, -55.0
# Braille dot bits by (row, column) inside a 2x4 cell.
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
MARKERS = ("·", "•", "●", "⬤")  # by mentions: fewest to most


@dataclass(frozen=True)
class Spot:
    """A place to mark: its name, coordinates and how often it is mentioned."""

    name: str
    lat: float
    lon: float
    count: int


def cell_of(lat: float, lon: float, width: int, height: int) -> tuple[int, int, int, int] | None:
    """(column, row, dot column, dot row) of a coordinate on a map of
    ``width`` x ``height`` cells, or None outside the latitudes drawn."""
    if not SOUTH <= lat <= NORTH:
        return None
    x = int((lon + 180.0) / 360.0 * width * 2)
    y = int((NORTH - lat) / (NORTH - SOUTH) * height * 4)
    x, y = min(max(x, 0), width * 2 - 1), min(max(y, 0), height * 4 - 1)
    return x // 2, y // 4, x % 2, y % 4


def render(land: Iterable[tuple[float, float]], spots: Sequence[Spot], width: int, height: int) -> list[Text]:
    """The map's rows: land as dim Braille dots, each spot as a marker sized
    by its share of the most mentioned spot's count."""
    cells = [[0] * width for _ in range(height)]
    for lat, lon in land:
        at = cell_of(lat, lon, width, height)
        if at is not None:
            c, r, dx, dy = at
            cells[r][c] |= _BITS[dy][dx]
    marks: dict[tuple[int, int], str] = {}
    top = max((s.count for s in spots), default=1) or 1
    for spot in sorted(spots, key=lambda s: s.count):  # the most mentioned is drawn last, on top
        at = cell_of(spot.lat, spot.lon, width, height)
        if at is not None:
            share = spot.count / top
            marks[(at[1], at[0])] = MARKERS[min(len(MARKERS) - 1, int(share * len(MARKERS)))]
    rows = []
    for r in range(height):
        line = Text(no_wrap=True)
        for c in range(width):
            mark = marks.get((r, c))
            if mark:
                line.append(mark, style="bold yellow")
            else:
                line.append(chr(0x2800 + cells[r][c]), style="dim green")
        rows.append(line)
    return rows


SVG_SCALE = 2.0  # SVG units per degree
SVG_LAND_STEP = 2.0  # degrees: the land is drawn in squares of this size


def svg(land: Iterable[tuple[float, float]], spots: Sequence[Spot], title: str) -> str:
    """The same map as one inline SVG for an HTML page: land as grey squares
    (one per ``SVG_LAND_STEP`` degrees that holds a gazetteer city), each
    spot a circle whose area says its share of mentions, named in a
    tooltip. Names are escaped: corpus text is data."""
    from html import escape

    from corpus.text import printable

    width, height = 360 * SVG_SCALE, (NORTH - SOUTH) * SVG_SCALE
    step = SVG_LAND_STEP
    cells = {(int((lon + 180) // step), int((NORTH - lat) // step)) for lat, lon in land if SOUTH <= lat <= NORTH}
    side = step * SVG_SCALE
    path = "".join(f"M{x * side:g} {y * side:g}h{side:g}v{side:g}h-{side:g}z" for x, y in sorted(cells))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" role="img" '
           f'aria-label="{escape(printable(title), quote=True)}">',
           f"<title>{escape(printable(title))}</title>",
           f'<rect width="{width:g}" height="{height:g}" fill="#f4f7fb"/>',
           f'<path d="{path}" fill="#d5dae0"/>']
    top = max((s.count for s in spots), default=1) or 1
    for spot in sorted(spots, key=lambda s: -s.count):  # the most mentioned first, the small drawn over it
        if not SOUTH <= spot.lat <= NORTH:
            continue
        x, y = (spot.lon + 180) * SVG_SCALE, (NORTH - spot.lat) * SVG_SCALE
        r = 2.5 + 7.5 * (spot.count / top) ** 0.5
        label = escape(printable(f"{spot.name}: {spot.count}"))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#b8860b" fill-opacity="0.75" '
                   f'stroke="#5a4100"><title>{label}</title></circle>')
    out.append("</svg>")
    return "\n".join(out)
