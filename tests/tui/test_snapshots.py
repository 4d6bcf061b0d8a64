"""SVG snapshots of each screen state (pytest-textual-snapshot).
Update on purpose only: ``pytest tests/tui/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path

from corpus import BUNDLED_DIR
from tui.app import ArticleItem, HitItem, ParagraphItem, create_app
from tui.cli import Settings

SIZE = (120, 36)


async def _until(pilot, predicate) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.pause(0.05)
        if predicate():
            break
    await pilot.pause(0.2)


def test_first_screen(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(BUNDLED_DIR, bundled_index))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(app.query(ArticleItem)) == 5)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_results(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(BUNDLED_DIR, bundled_index))

    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(app.query(ArticleItem)) == 5)
        await pilot.press("slash", *"city:Zhongshan")
        await _until(pilot, lambda: len(app.query(HitItem)) == 6)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_reader(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(BUNDLED_DIR, bundled_index))

    async def read(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(app.query(ArticleItem)) == 5)
        await pilot.press("down", "down", "enter")
        await _until(pilot, lambda: len(app.query(ParagraphItem)) == 63)
        await pilot.press(*"jjjjjjjjjjjjjjjj")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=read)
