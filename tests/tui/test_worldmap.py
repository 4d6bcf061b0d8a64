"""The Braille world map: coordinates to cells, markers by mentions."""

from __future__ import annotations

from tui.worldmap import MARKERS, Spot, cell_of, render


def test_coordinates_fall_in_their_cells() -> None:
    assert cell_of(0.0, -180.0, 100, 24) == (0, 13, 0, 3)  # the equator, the date line
    assert cell_of(75.0, 179.9, 100, 24) == (99, 0, 1, 0)  # north-east corner
    assert cell_of(-80.0, 0.0, 100, 24) is None  # south of the map


def test_land_is_braille_and_spots_are_sized_by_mentions() -> None:
    land = [(51.5, -0.1), (51.5, -0.2)]  # two dots in one cell
    spots = [Spot("Shenzhen", 22.5, 114.1, 100), Spot("Boston", 42.4, -71.1, 1)]
    rows = render(land, spots, 100, 24)
    text = "".join(r.plain for r in rows)
    assert len(rows) == 24 and all(len(r.plain) == 100 for r in rows)
    assert MARKERS[-1] in text and MARKERS[0] in text  # the most and the least mentioned
    c, r, _, _ = cell_of(51.5, -0.1, 100, 24) or (0, 0, 0, 0)
    assert 0x2800 < ord(rows[r].plain[c]) <= 0x28FF  # London's cell has dots
