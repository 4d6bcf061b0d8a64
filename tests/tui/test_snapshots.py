"""SVG snapshots of each screen state (pytest-textual-snapshot).
Update on purpose only: ``pytest tests/tui/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from corpus import BUNDLED_DIR
from tests.conftest import rows
from tui.app import create_app
from tui.config import Settings
from tui.widgets.overview import OverviewItem
from tui.widgets.rows import ArticleItem, HitItem, ParagraphItem

SIZE = (120, 36)


async def _until(pilot, predicate) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``predicate()`` holds (then let the screen settle); fail
    after 30 s (a loaded machine, parallel tests) rather than snapshot a
    screen that never got there."""
    for _ in range(600):
        await pilot.pause(0.05)
        if predicate():
            await pilot.pause(0.2)
            return
    raise AssertionError("the screen never reached the state to snapshot")


def _keys_snapshot(snap_compare, bundled_index: Path, keys: tuple[str, ...], done) -> bool:  # type: ignore[no-untyped-def]
    """Open the reader, press ``keys``, wait for ``done(app)``, compare."""
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "visual"))

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(rows(app, ArticleItem)) == 5 and bool(app.query(OverviewItem)))
        await pilot.press(*keys)
        await _until(pilot, lambda: done(app))
        app.query_one("#search", Input).cursor_blink = False  # the cursor shown, whatever the blink phase
        await pilot.pause(0.05)

    return bool(snap_compare(app, terminal_size=SIZE, run_before=run))


def test_first_screen(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    assert _keys_snapshot(snap_compare, bundled_index, (), lambda app: True)


def test_results(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    assert _keys_snapshot(snap_compare, bundled_index, ("slash", *"city:Zhongshan"),
                          lambda app: len(rows(app, HitItem)) == 6)


def test_reader(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "visual"))

    async def read(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(rows(app, ArticleItem)) == 5 and bool(app.query(OverviewItem)))
        await pilot.press("enter")
        await _until(pilot, lambda: len(app.query(ParagraphItem)) == 63)
        await pilot.press(*"jjjjjjjjjjjjjjjj")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=read)


def test_side_by_side_with_arabic(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    from tui.widgets.rows import RowItem

    assert _keys_snapshot(snap_compare, bundled_index, ("enter", "t", *"jjjjj"),
                          lambda app: len(app.query(RowItem)) == 76 and app.main.current_paragraph() == 6)


def test_speaker_turns(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    assert _keys_snapshot(snap_compare, bundled_index, ("s", "down", "enter"),
                          lambda app: app.query_one("#articles").border_title.startswith("Turns"))


def test_city_mentions(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    assert _keys_snapshot(snap_compare, bundled_index, ("c", *["down"] * 4, "enter"),
                          lambda app: app.query_one("#articles").border_title == "Mentions 7")


def test_help(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.help import HelpScreen

    assert _keys_snapshot(
        snap_compare, bundled_index, ("question_mark",), lambda app: isinstance(app.screen, HelpScreen)
    )


def test_world_map(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    """The map of the corpus's places (key m): land from the gazetteer's cities, places sized by mentions."""
    from tui.screens.map import MapScreen

    assert _keys_snapshot(snap_compare, bundled_index, ("m",), lambda app: isinstance(app.screen, MapScreen))


def test_missing_index_modal(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The first-run modal in the state that stays: no index, and the corpus
    folder cannot be read (a fixed path, so the snapshot is stable)."""
    from tui.screens.index import IndexScreen

    app = create_app(Settings(Path("/nonexistent/briefing-corpus"), tmp_path / "ix", "visual"))

    async def wait(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(
            pilot, lambda: isinstance(app.screen, IndexScreen) and not app.screen.query_one("ProgressBar").display
        )

    assert snap_compare(app, terminal_size=SIZE, run_before=wait)


def test_damaged_index_modal(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The modal for an index found damaged at open, naming the file (fixed
    paths and a fixed generation name, so the snapshot is stable)."""
    import os
    import shutil

    from index import rebuild
    from tests.conftest import write
    from tui.screens.index import IndexScreen

    corpus, ix = Path("/tmp/briefing-snapshot-corpus"), Path("/tmp/briefing-snapshot-index")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(ix, ignore_errors=True)
    write(corpus / "a.txt", "Erster Artikel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    rebuild(corpus, ix)
    gen = (ix / "current").resolve()
    gen.rename(ix / "gen-snapshot")
    (ix / "current").unlink()
    os.symlink("gen-snapshot", ix / "current")
    with open(ix / "gen-snapshot" / "side.sqlite", "r+b") as fh:
        fh.truncate(100)
    app = create_app(Settings(corpus, ix, "visual"))

    async def wait(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: isinstance(app.screen, IndexScreen) and bool(app.screen.query("#index-message")))

    assert snap_compare(app, terminal_size=SIZE, run_before=wait)


def test_hits_hidden_in_boilerplate(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    assert _keys_snapshot(snap_compare, bundled_index, ("slash", *"研学营"),
                          lambda app: "boilerplate" in str(app.query_one("#status", Static).render()))


# -- issue 17: sorting, clips, the briefing, watches ------------------------------
SNAPSHOT_DATA = Path("/tmp/briefing-snapshot-data")  # a fixed path: the briefing screen shows its file


@pytest.fixture
def snapshot_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    shutil.rmtree(SNAPSHOT_DATA, ignore_errors=True)
    monkeypatch.setenv("XDG_DATA_HOME", str(SNAPSHOT_DATA))
    return SNAPSHOT_DATA


def test_hits_by_date(snap_compare, bundled_index: Path) -> None:  # type: ignore[no-untyped-def]
    assert _keys_snapshot(snap_compare, bundled_index, ("slash", *"Guangzhou", "escape", "o"),
                          lambda app: (app.query_one("#articles").border_title or "").endswith("newest first"))


@pytest.mark.xdist_group("snapshot-data")  # one fixed data folder (shown on screen): one worker
def test_clip_note_prompt(snap_compare, bundled_index: Path, snapshot_data: Path) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.note import NoteScreen

    assert _keys_snapshot(snap_compare, bundled_index, ("enter", *"jjjjjj", "b", *"the launch"),
                          lambda app: isinstance(app.screen, NoteScreen))


@pytest.mark.xdist_group("snapshot-data")  # one fixed data folder (shown on screen): one worker
def test_briefing_screen(snap_compare, bundled_index: Path, snapshot_data: Path) -> None:  # type: ignore[no-untyped-def]
    from index import Index
    from tui import briefings
    from tui.screens.briefing import BriefingScreen, ClipItem

    with Index(bundled_index) as ix:
        b = briefings.Briefing("default")
        for aid, n, note in (("002", 7, "the channel's launch"), ("000", 12, ""), ("004", 1, "Zhongshan's pitch")):
            b = b.add(briefings.make_clip(ix, aid, n, query="Guangzhou", note=note))
        briefings.save(b)
    assert _keys_snapshot(snap_compare, bundled_index, ("B",),
                          lambda app: isinstance(app.screen, BriefingScreen) and len(app.screen.query(ClipItem)) == 3)


@pytest.mark.xdist_group("snapshot-data")  # one fixed data folder (shown on screen): one worker
def test_watches_screen(snap_compare, bundled_index: Path, snapshot_data: Path) -> None:  # type: ignore[no-untyped-def]
    from index import Index
    from tui import watches
    from tui.screens.watches import WatchesScreen, WatchItem

    with Index(bundled_index) as ix:
        watches.add(ix, "Zhongshan", "zhongshan")
        watches.add(ix, "深圳 date:2020-05")
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "visual"))

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(rows(app, ArticleItem)) == 5 and bool(app.query(OverviewItem)))
        app.main.show_watches()
        await _until(pilot, lambda: isinstance(app.screen, WatchesScreen) and len(app.screen.query(WatchItem)) == 2
                     and all("new" in it.shown.plain for it in app.screen.query(WatchItem)))
        app.query_one("#search", Input).cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_article_list_paged_by_language(snap_compare, tmp_path: Path,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A list longer than a page, turned once and ordered by language: the
    title says where in the list the page is. Built without the encoder:
    its similarities' last bits are the machine's BLAS's, and a borderline
    version link of these made-up articles came and went with them."""
    from index import rebuild
    from tests.paged import write_many

    write_many(tmp_path / "corpus", 450)
    monkeypatch.setenv("BRIEFING_ENCODER", "off")
    rebuild(tmp_path / "corpus", tmp_path / "ix")
    monkeypatch.delenv("BRIEFING_ENCODER")
    app = create_app(Settings(tmp_path / "corpus", tmp_path / "ix", "visual"))

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _until(pilot, lambda: len(rows(app, ArticleItem)) == 200 and bool(app.query(OverviewItem)))
        pane = app.query_one("#articles")
        await pilot.press("o")
        await _until(pilot, lambda: pane.border_title.endswith("by language"))
        pane.highlighted = 199
        await pilot.press("down", "down")
        await _until(pilot, lambda: pane.border_title == "Articles 101–300 of 450 · by language")
        app.query_one("#search", Input).cursor_blink = False
        await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_meaning_results(snap_compare, float32_index: Path) -> None:  # type: ignore[no-untyped-def]
    """A ~ query: hits by meaning, each led by its similarity; the panes narrowed to them."""
    assert _keys_snapshot(snap_compare, float32_index, ("slash", *"~universities and districts cooperating"),
                          lambda app: app.query_one("#articles").border_title == "Similar 20")


def test_like_this(snap_compare, float32_index: Path) -> None:  # type: ignore[no-untyped-def]
    """l in the reader: paragraphs like the one under the cursor, in other articles."""
    assert _keys_snapshot(snap_compare, float32_index, ("enter", *"jjjj", "l"),
                          lambda app: (app.query_one("#articles").border_title or "").startswith("Like 002 ¶5"))
