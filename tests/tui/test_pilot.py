"""The reader, driven through Textual's Pilot with literal expectations."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, ListView, Static

from corpus import BUNDLED_DIR
from tests.conftest import rows, write
from tests.queries import queries
from tui.app import create_app
from tui.config import Settings
from tui.widgets.overview import OverviewItem
from tui.widgets.panes import RowList
from tui.widgets.rows import ArticleItem, HitItem, ParagraphItem, Row

SIZE = (120, 36)


def text_of(widget) -> str:  # type: ignore[no-untyped-def]
    """What a widget, or a row of a one-line list (an option, not a widget), shows."""
    if isinstance(widget, Row):
        return str(widget.prompt)
    return str(widget.query_one(Static).render()) if not isinstance(widget, Static) else str(widget.render())


async def wait_for(pilot, predicate, tries: int = 300) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``predicate()`` holds; fail after ``tries`` × 50 ms (15 s:
    a loaded machine running tests in parallel)."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if predicate():
            return
    raise AssertionError("condition not reached")


async def test_first_screen_lists_articles(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5 and bool(app.query(OverviewItem)))
        # newest first, the undated after them by id
        assert [i.article_id for i in rows(app, ArticleItem)] == ["002", "000", "001", "003", "004"]
        assert app.query_one("#articles", RowList).border_title == "Articles 5: zh 2 ar 1 de 1 ru 1"
        assert str(app.query_one("#status", Static).render()) == "5 articles · 187 paragraphs · ar, de, ru, zh"
        assert str(rows(app, ArticleItem)[0].prompt).startswith(
            "2020-05-18 zh ⇄ “广深科创1+1”云桌会")
        assert str(rows(app, ArticleItem)[4].prompt).startswith(
            "           ru   Чжуншань привлекает")
        # the reader shows the overview until an article is opened
        shown = app.query_one(OverviewItem).shown.plain
        assert app.query_one("#reader", ListView).border_title == "Overview"
        assert "5 articles · 187 paragraphs\n  zh 2 · ar 1 · de 1 · ru 1\n" in shown
        assert "Dates: 2020-05-17 … 2020-05-18 (3 undated)" in shown
        assert "  Shenzhen  231 mentions · 4 articles" in shown
        assert "  Lin Na  6 turns · 2 articles" in shown
        assert "Version groups: 1\n  000 ar ⇄ 002 zh" in shown
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.query(OverviewItem) and app.main.current is not None)
        assert app.main.current.id == "002"


async def test_search_as_you_type_then_open_hit(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"Zhongshan")
        await wait_for(pilot, lambda: len(rows(app, HitItem)) > 0)
        status = str(app.query_one("#status", Static).render())
        assert status.startswith("6 hits · Zhongshan → 中山 · تشونغشان")
        # 004 (Чжуншань, Чжуншаню); not 002's 中山大学, a university
        assert sorted(h.article_id for h in rows(app, HitItem)) == ["004"] * 6
        await pilot.press("escape")
        assert app.focused is app.query_one("#articles", RowList)
        first = rows(app, HitItem)[0]
        expected = 7
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == expected)
        reader = app.query_one("#reader", ListView)
        assert app.focused is reader
        assert reader.index == first.paragraph - 1
        assert app.main.current is not None and app.main.current.id == first.article_id


async def palette(pilot, command: str) -> None:  # type: ignore[no-untyped-def]
    """Run ``command`` from the command palette (ctrl+p), as typed, once the
    palette offers it first."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*command)

    def offered() -> bool:
        found = pilot.app.screen.query(CommandList)
        if not found or not found.first().option_count:
            return False
        first = found.first().get_option_at_index(0).prompt
        return command.lower() in str(getattr(first, "plain", first)).lower()

    await wait_for(pilot, offered)
    await pilot.press("enter")


async def typed(pilot, app, text: str, shown: str) -> str:  # type: ignore[no-untyped-def]
    """Type ``text`` into the search bar of a reader that lists the bundled
    five; the status line once it holds ``shown``."""
    await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
    await pilot.press("slash", *text)
    await wait_for(pilot, lambda: shown in str(app.query_one("#status", Static).render()))
    return str(app.query_one("#status", Static).render())


async def test_query_error_is_shown_inline(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        assert await typed(pilot, app, '"Shen', "Query error") == (
            'Query error: unbalanced quote at character 1: close the phrase with "'
        )


async def test_open_article_and_move_with_j_k(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("a", "enter")  # 002, the newest
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == 63)
        reader = app.query_one("#reader", ListView)
        await pilot.press("j", "j", "j")
        assert reader.index == 3
        await pilot.press("k")
        assert reader.index == 2
        assert str(app.query_one("#status", Static).render()).startswith("002 · zh · 2020-05-18 · “广深科创1+1”")
        para17 = app.query(ParagraphItem)[16]
        assert text_of(para17).startswith(" 17 胡刚:广州、深圳两座城市有共性")
        await pilot.press("a")
        assert app.focused is app.query_one("#articles", RowList)
        await pilot.press("r")
        assert app.focused is reader


async def test_first_run_builds_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Erster Artikel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 1)
        assert str(app.query_one("#status", Static).render()) == "1 articles · 2 paragraphs · de"


@pytest.mark.parametrize(
    ("text", "shown", "stored"),
    [
        # Rich/Textual markup is shown as the characters it is; CSI clear-screen never reaches the terminal.
        ("[bold red]Evil[/] title\n\nBody [@click=app.quit]x[/] \x1b[2J end.",
         ["  1 [bold red]Evil[/] title", "  2 Body [@click=app.quit]x[/] \ufffd[2J end."],
         "Body [@click=app.quit]x[/] \x1b[2J end."),
        # OSC title change and OSC 52 clipboard write, a bidi override, a zero-width space.
        ("Title \x1b]0;pwned\x07 here\n\nA \u202eevil\u202c and zero\u200bwidth \x1b]52;c;aGk=\x07 [link=http://x]x[/link].",
         ["  1 Title \ufffd]0;pwned\ufffd here", "  2 A evil and zerowidth \ufffd]52;c;aGk=\ufffd [link=http://x]x[/link]."],
         "A \u202eevil\u202c and zero\u200bwidth \x1b]52;c;aGk=\x07 [link=http://x]x[/link]."),
    ],
)
async def test_hostile_text_is_shown_inert_and_kept_verbatim(
    tmp_path: Path, text: str, shown: list[str], stored: str
) -> None:
    corpus = tmp_path / "c"
    write(corpus / "evil.txt", text)
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == 2)
        assert [text_of(p) for p in app.query(ParagraphItem)] == shown
        assert app.main.current.paragraph(2).text == stored
        assert app.is_running


async def test_q_quits(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def _open_interview(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
    await pilot.press("enter")  # 002, the newest
    await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == 63)


async def test_side_by_side_keeps_aligned_paragraphs_on_one_row(bundled_index: Path) -> None:
    from tui.widgets.rows import RowItem

    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await _open_interview(app, pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: len(app.query(RowItem)) == 76)
        reader = app.query_one("#reader", ListView)
        assert reader.border_title == "002 zh ⇄ 000 ar · conf 1.00"
        await pilot.press(*"jjjjj")
        row = reader.highlighted_child
        assert isinstance(row, RowItem) and (row.source, row.target) == ((6,), (4,))
        assert app.main.current.paragraph(6).text.startswith("广深如何从你追我赶")
        assert app.main.other.paragraph(4).text.startswith("كيف تنتقل Guangshen")
        # 广东 is unnamed in 002; the Arabic names it only inside the Greater Bay Area's name
        assert row.flags == "city shenzhen only in source"
        await pilot.press("t")  # back to one column, same paragraph
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == 63)
        assert app.main.current_paragraph() == 6


async def test_version_keys_and_go_to_other_version(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await _open_interview(app, pilot)
        await pilot.press(*"jjjjjjjjjjjjjjjj")  # 002¶17, Hu Gang's first turn
        assert app.main.current_paragraph() == 17
        await pilot.press("right_square_bracket")  # the next version beside it
        await wait_for(pilot, lambda: app.main.side_by_side)
        assert app.main.side_by_side and app.main.other is not None and app.main.other.id == "000"
        assert app.main.current_paragraph() == 17
        await pilot.press("left_square_bracket")  # only one other version: still 000
        await pilot.pause()
        assert app.main.other.id == "000"
        await pilot.press("g")
        await wait_for(pilot, lambda: app.main.current.id == "000")
        assert (app.main.current.id, app.main.other.id, app.main.current_paragraph()) == ("000", "002", 15)
        assert app.query_one("#reader", ListView).border_title == "000 ar ⇄ 002 zh · conf 1.00"


async def test_speaker_and_city_panes(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        speakers = app.query_one("#speakers", RowList)
        assert speakers.border_title == "Speakers 10"
        assert str(speakers.rows()[0].prompt).startswith("Lin Na لين نا  6")
        await pilot.press("s")
        assert app.focused is speakers
        await pilot.press("enter")  # Lin Na: her turns and continuations in both languages
        await wait_for(pilot, lambda: app.query_one("#articles", RowList).border_title == "Turns 14")
        assert [(h.article_id, h.paragraph) for h in rows(app, HitItem)][:3] == [("000", 21), ("000", 25), ("000", 26)]
        await pilot.press("c")
        cities = app.query_one("#cities", RowList)
        assert app.focused is cities
        assert str(cities.rows()[4].prompt) == "Zhongshan CN 中山 · تشونغشان · Чжуншань  7"
        assert cities.border_title == "Places 17"
        await pilot.press("down", "down", "down", "down", "enter")
        await wait_for(pilot, lambda: app.query_one("#articles", RowList).border_title == "Mentions 7")
        first = rows(app, HitItem)[0]
        assert (first.article_id, first.paragraph) == ("004", 1)
        assert "Чжуншаню" in text_of(first)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.main.current is not None and app.main.current.id == "004")
        assert app.main.current_paragraph() == 1


async def test_search_narrows_panes_and_n_moves_between_hits(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("slash", *"Чжуншань")
        await wait_for(pilot, lambda: len(rows(app, HitItem)) == 6)  # 004; 中山大学 in 002 is a university
        assert app.query_one("#articles", RowList).border_title == "Hits 6"
        assert app.query_one("#speakers", RowList).border_title == "Speakers 1"  # Lei Yuelong
        assert str(app.query_one("#cities", RowList).rows()[0].prompt).startswith("Zhongshan")
        first_004 = [h.article_id for h in rows(app, HitItem)].index("004")
        await pilot.press("escape", *["down"] * first_004, "enter")
        await wait_for(pilot, lambda: app.main.current is not None and app.main.current.id == "004")
        hits = [n for n, _ in app.main.hits["004"]]
        assert hits == [1, 2, 3, 5, 6, 7]
        start = app.main.current_paragraph()
        await pilot.press("n")
        assert app.main.current_paragraph() == hits[(hits.index(start) + 1) % len(hits)]
        await pilot.press("N", "N")
        assert app.main.current_paragraph() == hits[(hits.index(start) - 1) % len(hits)]


async def test_copy_with_citation_and_help(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await _open_interview(app, pilot)
        await pilot.press(*"jjjjjjjjjjjjjjjj", "t", "y")
        await wait_for(pilot, lambda: "[000]" in app.clipboard)
        assert app.clipboard.startswith("胡刚:广州、深圳两座城市有共性")
        assert "— “广深科创1+1”云桌会,“双城联动”助力广深比翼双飞, 2020-05-18, zh, ¶17 [002]" in app.clipboard
        assert "هو قانغ: قوانغتشو وشنتشن" in app.clipboard and ", ar, ¶15 [000]" in app.clipboard
        from tui.screens.help import HelpScreen

        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))

        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one(Static).render())
        for key in ("/", "a s c", "Tab", "Enter", "t", "[ ]", "g", "n N", "y", "?", "q ctrl+q"):
            assert f"{key:>12}  " in help_text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_visual_bidi_reorders_arabic_for_display_only(bundled_index: Path) -> None:
    from rich.console import Console

    from tui.bidi import VisualBidi

    app = create_app(Settings(BUNDLED_DIR, bundled_index, "visual"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("down", "enter")  # 000, Arabic
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == 64)
        shown = app.query(ParagraphItem)[61].shown  # 000¶62
        assert isinstance(shown, VisualBidi)
        # Logical " 62 الكشف المجاني عن الأحماض النووية في ووهان", drawn right to left,
        # wrapped first so the first words stay on the first line.
        assert list(shown.lines(Console(width=80), 80)) == ["ناهوو يف ةيوونلا ضامحألا نع يناجملا فشكلا 62 "]
        assert list(shown.lines(Console(width=80), 20)) == ["نع يناجملا فشكلا 62 ", "يف ةيوونلا ضامحألا", "ناهوو"]
        # Storage and copy keep logical order.
        assert app.main.current.paragraph(62).text == "الكشف المجاني عن الأحماض النووية في ووهان"
        app.query_one("#reader", ListView).index = 61
        await wait_for(pilot, lambda: app.main.current_paragraph() == 62)
        await pilot.press("y")
        assert app.clipboard.startswith("الكشف المجاني عن الأحماض النووية في ووهان")


def test_config_file_and_option_choose_bidi(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import BRIEFING
    from tui.config import load_config

    good = write(tmp_path / "config.yaml", "bidi: terminal\n")
    assert load_config(good) == {"bidi": "terminal"}
    bad = write(tmp_path / "bad.yaml", "# mine\nbidi: sideways\n")
    r = subprocess.run([BRIEFING, "index", "status"], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "BRIEFING_CONFIG": str(bad), "HOME": str(tmp_path)})
    assert r.returncode == 2
    assert f"{bad}:2: bidi must be one of auto, visual, terminal, not 'sideways'" in r.stderr
    r = subprocess.run([BRIEFING, "--bidi", "sideways", "index", "status"], capture_output=True, text=True)
    assert r.returncode == 2 and "'sideways' is not one of 'auto', 'visual', 'terminal'" in r.stderr


async def test_a_corpus_that_cannot_be_indexed_gets_a_modal(tmp_path: Path) -> None:
    from tui.screens.index import IndexScreen

    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Title\n\nBody.")
    write(corpus / "briefing.yaml", "articles:\n  - id: a\n    file: a.txt\n    colour: red\n")
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, IndexScreen)
                and "Cannot build" in text_of(app.screen.query_one("#index-message", Static))
            ),
        )
        message = text_of(app.screen.query_one("#index-message", Static))
        assert f"{corpus / 'briefing.yaml'}:4: unknown key 'colour' in a manifest entry" in message
        assert "Nothing was changed. Fix the problem, then run: briefing index rebuild" in message
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert (corpus / "a.txt").read_text(encoding="utf-8") == "Title\n\nBody."


async def test_tab_cycles_focus_and_the_mouse_opens_articles(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        assert app.focused is app.query_one("#articles", RowList)
        await pilot.press("tab")
        assert app.focused is app.query_one("#speakers", RowList)
        await pilot.press("tab")
        assert app.focused is app.query_one("#cities", RowList)
        await pilot.click("#articles", offset=(5, 1))  # the first article (002, the newest), below the border
        await pilot.click("#articles", offset=(5, 5))  # 004
        await wait_for(pilot, lambda: app.main.current is not None)
        assert app.main.current.id == "004"


async def test_command_palette_opens_articles_and_switches_language(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await palette(pilot, "Open 002")
        await wait_for(pilot, lambda: app.main.current is not None and app.main.current.id == "002")
        await palette(pilot, "Switch language to ar")
        await wait_for(pilot, lambda: app.main.side_by_side)
        assert app.main.other is not None and app.main.other.id == "000"


def _one_article_reader(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A corpus of one German article, indexed, and a reader on it."""
    from index import rebuild

    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Erster Artikel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    rebuild(corpus, tmp_path / "ix")
    return corpus, create_app(Settings(corpus, tmp_path / "ix", "terminal"))


async def test_an_index_rebuilt_elsewhere_is_picked_up(tmp_path: Path) -> None:
    from index import rebuild

    corpus, app = _one_article_reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 1)
        write(corpus / "b.txt", "Zweiter Artikel\n\nHongkong und Macao.")
        rebuild(corpus, tmp_path / "ix")  # as `briefing index rebuild` in another terminal would
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 2, tries=120)
        assert [i.article_id for i in rows(app, ArticleItem)] == ["a", "b"]


async def test_focus_keys_and_ctrl_q(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("s")
        assert app.focused is app.query_one("#speakers", RowList)
        await pilot.press("r")
        assert app.focused is app.query_one("#reader", ListView)
        await pilot.press("a")
        assert app.focused is app.query_one("#articles", RowList)
        await pilot.press("slash", "s")  # in the search bar a letter is text, not a key
        assert app.focused is app.query_one("#search", Input) and app.query_one("#search", Input).value == "s"
        await pilot.press("escape", "t")  # t with nothing open says so
        await wait_for(pilot, lambda: any("Open an article first" in str(n.message) for n in app._notifications))
        assert not app.main.side_by_side
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qs=st.lists(queries, min_size=3, max_size=6))
@pytest.mark.slow
def test_search_bar_survives_any_query(bundled_index: Path, qs: list[str]) -> None:
    """Property: whatever is typed, the reader answers (hits or an inline query
    error) and keeps running; the UI never freezes on a query."""
    import asyncio

    async def run() -> None:
        app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
            search = app.query_one("#search", Input)
            for q in qs:
                search.value = q[:2000]
                await pilot.pause(0.05)
            await wait_for(
                pilot, lambda: not app.workers._workers or all(w.is_finished for w in app.workers), tries=600
            )
            await pilot.press("escape", "j", "k")
            assert app.is_running
            status = text_of(app.query_one("#status", Static))
            last = qs[-1][:2000]
            if last.strip():  # (a query by meaning, "~0", counts its most similar paragraphs instead)
                assert status.startswith("Query error: ") or " hits" in status or \
                    last.lstrip().startswith("~") and "most similar paragraphs, by meaning" in status
            await pilot.press("q")

    asyncio.run(run())


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
async def test_a_damaged_index_offers_a_rebuild(tmp_path: Path) -> None:
    from index import rebuild, store
    from tui.screens.index import IndexScreen

    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Erster Artikel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    rebuild(corpus, tmp_path / "ix")
    for seg in store.current_generation(tmp_path / "ix").glob("*.trm"):
        seg.write_bytes(seg.read_bytes()[:100])
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, IndexScreen) and bool(app.screen.query("#index-message")))
        message = text_of(app.screen.query_one("#index-message", Static))
        assert "is damaged" in message and "Press r to rebuild it now" in message
        assert ".trm: is 100 bytes; it was written with" in message  # the file, named
        await pilot.press("r")
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 1, tries=600)
        assert not isinstance(app.screen, IndexScreen)
        assert text_of(app.query_one("#status", Static)) == "1 articles · 2 paragraphs · de"


@pytest.mark.slow
async def test_the_reader_keeps_reading_while_another_process_rebuilds(tmp_path: Path) -> None:
    import asyncio

    from index import rebuild
    from tests.conftest import BRIEFING, env_for
    from tests.index.test_build import make_corpus

    corpus = make_corpus(tmp_path / "c", 120)
    rebuild(corpus, tmp_path / "ix")
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 120)
        write(corpus / "late.txt", "Late\n\nlatecomerword Shenzhen")
        proc = await asyncio.create_subprocess_exec(BRIEFING, "index", "rebuild", env=env_for(corpus, tmp_path / "ix"))
        searches = 0
        while proc.returncode is None:
            await pilot.press("slash", *"marker00007", "escape")
            await wait_for(pilot, lambda: len(rows(app, HitItem)) == 1, tries=600)
            app.query_one("#search", Input).value = ""
            searches += 1
            try:
                await asyncio.wait_for(proc.wait(), timeout=0.2)
            except TimeoutError:
                pass
        assert proc.returncode == 0 and searches >= 1
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 121, tries=600)


async def test_palette_rebuilds_the_index_from_a_worker(tmp_path: Path) -> None:
    corpus, app = _one_article_reader(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 1)
        write(corpus / "b.txt", "Zweiter Artikel\n\nHongkong.")
        await palette(pilot, "Rebuild index")
        await wait_for(
            pilot, lambda: text_of(app.query_one("#status", Static)).startswith("Rebuilt: 2 articles"), tries=600
        )
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 2, tries=600)


async def test_hits_are_highlighted_in_full_paragraphs_on_both_sides(bundled_index: Path) -> None:
    """Highlights sit on the matched words of the whole paragraph (not on the
    snippet's offsets), in the article and in the version beside it."""
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("slash", *"Shenzhen")
        await wait_for(pilot, lambda: app.main.shown_query == "Shenzhen")
        await pilot.press("escape")
        app.main.open_article("002", 35)
        await wait_for(pilot, lambda: app.main.current_paragraph() == 35 and 35 in dict(app.main.matches("002")))
        zh, ar = app.index.article("002"), app.index.article("000")
        found = dict(app.main.matches("002"))
        text = zh.paragraph(35).text
        assert len(text) > 240  # longer than a snippet
        assert [text[s:e] for s, e in found[35]] == [
            text[s:e] for _c, s, e in zh.paragraph(35).mentions if _c == "shenzhen"
        ]
        assert all(text[s:e] in ("深圳", "广深", "深广", "深港") for s, e in found[35])
        await pilot.press("t")
        await wait_for(pilot, lambda: 33 in dict(app.main.matches("000")))
        beside = dict(app.main.matches("000"))
        assert [ar.paragraph(33).text[s:e] for s, e in beside[33]] == ["شينزين", "وشنتشن"]  # two spellings, one clitic


async def test_hits_hidden_in_boilerplate_and_query_notes_are_in_the_status(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        assert await typed(pilot, app, "研学营", "boilerplate") == (
            "0 hits · 1 hit in boilerplate (promotions, headline lists) not shown: "
            "--all or kind:boilerplate shows it")
        for _ in "研学营":
            await pilot.press("backspace")
        await pilot.press(*"研学营 kind:boilerplate")
        await wait_for(pilot, lambda: len(rows(app, HitItem)) == 1)
        assert [(h.article_id, h.paragraph) for h in rows(app, HitItem)] == [("002", 57)]
        app.query_one("#search", Input).value = "深圳 -广州"
        await wait_for(pilot, lambda: str(app.query_one("#status", Static).render()).startswith("36 hits"))
        assert {h.article_id for h in rows(app, HitItem)} <= {"000", "001", "002", "003"}


@pytest.mark.parametrize("how", ["search", "open"])
async def test_damage_found_while_reading_opens_the_modal(tmp_path: Path, how: str) -> None:
    """The index is damaged after the reader opened it: a search (in its
    worker) or opening a city's mentions (in a key handler) shows the modal instead
    of stale hits or a traceback, and r brings back a working index."""
    from index import rebuild, store
    from tui.screens.index import IndexScreen

    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Erster Artikel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    write(corpus / "b.txt", "Zweiter Artikel\n\nZhongshan wächst schnell.")
    rebuild(corpus, tmp_path / "ix")
    gen = store.current_generation(tmp_path / "ix")
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 2)
        target = gen / "side.sqlite" if how == "open" else next(gen.glob("*.pst"))
        data = target.read_bytes()
        target.write_bytes(data[:4096] + bytes(b ^ 0x5A for b in data[4096:]) if how == "open"
                           else bytes(b ^ 0x5A for b in data))
        if how == "search":
            await pilot.press("slash", *"Zhongshan")
        else:
            await pilot.press("c", "enter")  # a place's mentions: read from the side store in the key handler
        await wait_for(pilot, lambda: isinstance(app.screen, IndexScreen) and bool(app.screen.query("#index-message")))
        message = text_of(app.screen.query_one("#index-message", Static))
        assert f"{gen.name}/{target.name}: its content changed since it was written (checksum)" in message
        assert text_of(app.query_one("#status", Static)) == "The index cannot be used: press r to rebuild it."
        await pilot.press("r")
        await wait_for(pilot, lambda: not isinstance(app.screen, IndexScreen), tries=600)
        if how == "search":  # the query typed is searched again in the rebuilt index
            await wait_for(pilot, lambda: len(rows(app, HitItem)) == 1, tries=600)
            assert text_of(app.query_one("#status", Static)).startswith("1 hits · Zhongshan → 中山")
        else:
            await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 2, tries=600)
            assert text_of(app.query_one("#status", Static)) == "2 articles · 4 paragraphs · de"


# -- clips, the briefing, sorting and watches (issue 17) ---------------------------
@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "briefing"


@pytest.mark.slow
async def test_b_clips_with_a_note_and_B_reorders_deletes_annotates_and_jumps(bundled_index: Path,
                                                                              data_home: Path) -> None:
    from tui import briefings
    from tui.screens.briefing import BriefingScreen, ClipItem
    from tui.screens.note import NoteScreen

    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("b")  # nothing open yet
        await wait_for(pilot, lambda: any("Nothing to clip" in str(n.message) for n in app._notifications))
        await pilot.press("slash", *"双城联动")
        await wait_for(pilot, lambda: len(rows(app, HitItem)) > 0)
        await pilot.press("escape", "enter")  # the best hit: 002 ¶7
        await wait_for(pilot, lambda: app.main.current is not None and app.main.current_paragraph() == 7)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert text_of(app.screen.query_one("#note-prompt", Static)) == \
            "Clip 002 ¶7 to briefing default. Note (optional):"
        await pilot.press(*"launch", "enter")
        await wait_for(pilot, lambda: (data_home / "briefings" / "default.yaml").exists())
        await pilot.press("j", "b")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press("escape")  # cancelled: nothing clipped
        await pilot.press("j", "b")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press("enter")  # no note
        await wait_for(pilot, lambda: len(briefings.load("default").clips) == 2)
        saved = briefings.load("default")
        assert [(c.article, c.paragraph, c.note, c.query) for c in saved.clips] == [
            ("002", 7, "launch", "双城联动"), ("002", 9, "", "双城联动")]
        assert [(v.article, v.paragraphs, v.flags) for v in saved.clips[0].versions] == [
            ("000", (5,), ("city guangdong only in ar (000)",))]

        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefingScreen) and len(app.screen.query(ClipItem)) == 2)
        clips = [it.shown.plain for it in app.screen.query(ClipItem)]
        assert clips[0].startswith(" 1. 2020-05-18 zh 002 ¶7 “广深科创1+1”云桌会")
        assert "\n    with ar ¶5\n    ✎ launch" in clips[0]
        assert str(app.screen.query_one("#briefing-title", Static).render()).startswith("Briefing default: 2 clips")
        await pilot.press("J")  # move the first clip down
        await wait_for(pilot, lambda: [c.paragraph for c in briefings.load("default").clips] == [9, 7])
        await pilot.press("x")  # delete it (¶7, under the cursor)
        await wait_for(pilot, lambda: [c.paragraph for c in briefings.load("default").clips] == [9])
        await pilot.press("u")  # and bring it back
        await wait_for(pilot, lambda: [c.paragraph for c in briefings.load("default").clips] == [9, 7])
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        assert app.screen.query_one("#note", Input).value == "launch"
        await pilot.press("end", *" day", "enter")
        await wait_for(pilot, lambda: briefings.load("default").clips[1].note == "launch day")
        await pilot.press("a", "t")  # the reader's keys are off here
        assert isinstance(app.screen, BriefingScreen) and not app.main.side_by_side
        await pilot.press("k", "enter")  # jump to the source of clip 1 (002 ¶9)
        await wait_for(pilot, lambda: not isinstance(app.screen, BriefingScreen))
        assert app.main.current is not None and app.main.current.id == "002" and app.main.current_paragraph() == 9
        await pilot.press("B", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BriefingScreen))
        await palette(pilot, "Export briefing as Markdown")
        exported = data_home / "exports" / "default.md"
        await wait_for(pilot, exported.exists)
        assert exported.read_text(encoding="utf-8").startswith("# Briefing: default\n\n2 clips\n")
        assert "**Note:** launch day" in exported.read_text(encoding="utf-8")


async def test_o_orders_hits_by_date(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("slash", *"Guangzhou", "escape")
        await wait_for(pilot, lambda: len(rows(app, HitItem)) == 20)
        assert {h.article_id for h in rows(app, HitItem)} != {"002"}
        await pilot.press("o")
        pane = app.query_one("#articles", RowList)
        await wait_for(pilot, lambda: pane.border_title.endswith("· newest first"))
        shown = [h.plain for h in rows(app, HitItem)]
        assert all(line.startswith("2020-05-18 002 ¶") for line in shown)  # 002 is the newest; it has 20 and more
        await pilot.press("o")
        await wait_for(pilot, lambda: pane.border_title is not None and not pane.border_title.endswith("first"))
        assert not rows(app, HitItem)[0].plain.startswith("2020")


async def test_watches_palette_lists_new_hits_and_runs_the_query(tmp_path: Path, data_home: Path) -> None:
    import shutil

    from index import rebuild, update
    from tui import watches
    from tui.screens.watches import WatchesScreen, WatchItem

    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, corpus)
    rebuild(corpus, tmp_path / "ix")
    from index import Index

    with Index(tmp_path / "ix") as ix:
        watches.add(ix, "Zhongshan", "zs")
        watches.add(ix, "Guangzhou", "gz")
    write(corpus / "port.txt", "Zhongshan port\n\nZhongshan opened a port.\n")
    update(corpus, tmp_path / "ix")
    app = create_app(Settings(corpus, tmp_path / "ix", "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 6)
        await palette(pilot, "Watches")
        await wait_for(pilot, lambda: isinstance(app.screen, WatchesScreen))
        await wait_for(pilot, lambda: all("new" in it.shown.plain for it in app.screen.query(WatchItem)))
        assert [it.shown.plain for it in app.screen.query(WatchItem)] == [
            "zs  Zhongshan  2 new",
            "gz  Guangzhou  0 new",
        ]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.query_one("#search", Input).value == "Zhongshan")
        await wait_for(pilot, lambda: len(rows(app, HitItem)) == 8)
    # looking does not move a watch on: the cron job still reports both hits
    with Index(tmp_path / "ix") as ix:
        assert len(watches.check(ix, watches.load()[0]).new) == 2


# -- the article list, a page at a time (issue 16) -----------------------------------
@pytest.fixture(scope="module")
def many_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from index import rebuild
    from tests.paged import write_many

    root = tmp_path_factory.mktemp("many")
    made = write_many(root / "corpus", 450)
    rebuild(root / "corpus", root / "ix")
    return root / "corpus", root / "ix", made


def _listed(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.article_id for i in rows(app, ArticleItem)]


async def test_article_list_pages_through_every_article(many_index) -> None:  # type: ignore[no-untyped-def]
    from tests.paged import by_date, by_lang

    corpus, ix, made = many_index
    dated = by_date(made)
    app = create_app(Settings(corpus, ix, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 200)
        pane = app.query_one("#articles", RowList)
        assert pane.border_title == "Articles 1–200 of 450"
        assert pane.border_subtitle == "ar 150 de 150 ru 150"
        assert _listed(app) == dated[:200]
        # Down past the last row: the page around the next article, the cursor on it
        pane.highlighted = 199
        await pilot.press("down")
        await wait_for(pilot, lambda: pane.border_title == "Articles 101–300 of 450")
        assert _listed(app) == dated[100:300] and pane.highlighted == 100
        assert pane.current().article_id == dated[200]
        # PgDn moves a screenful within the page; at the page's last row it turns the page too
        await pilot.press("pagedown")
        assert pane.highlighted > 100 and pane.border_title == "Articles 101–300 of 450"
        pane.highlighted = 199
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: pane.border_title == "Articles 201–400 of 450")
        assert pane.current().article_id == dated[300]
        pane.highlighted = 0
        await pilot.press("pageup")
        await wait_for(pilot, lambda: pane.border_title == "Articles 100–299 of 450")
        assert pane.current().article_id == dated[199]
        await pilot.press("end")
        await wait_for(pilot, lambda: pane.border_title == "Articles 251–450 of 450")
        assert _listed(app) == dated[250:] and pane.current().article_id == dated[-1] == "n0440"
        await pilot.press("up")
        assert pane.current().article_id == dated[-2]
        await pilot.press("home")
        await wait_for(pilot, lambda: pane.border_title == "Articles 1–200 of 450")
        assert pane.highlighted == 0 and _listed(app) == dated[:200]
        await pilot.press("up")  # at the very first article: nothing before it
        await pilot.pause(0.1)
        assert pane.highlighted == 0 and _listed(app) == dated[:200]
        # o with no query: by language (then newest first), and back
        await pilot.press("o")
        await wait_for(pilot, lambda: pane.border_title.endswith("· by language"))
        assert _listed(app) == by_lang(made)[:200] and pane.border_title == "Articles 1–200 of 450 · by language"
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: app.main.current is not None)
        assert app.main.current.id == by_lang(made)[-1]
        assert str(app.query_one("#status", Static).render()) == "n0430 · ru · no date · Доклад о порте 430"
        await pilot.press("a", "o")
        await wait_for(pilot, lambda: not pane.border_title.endswith("by language"))
        assert _listed(app) == dated[:200]


async def test_m_opens_the_world_map_of_the_places_pane(bundled_index: Path) -> None:
    from tui.screens.map import MapScreen

    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MapScreen))
        title = str(app.screen.query_one("#map-title", Static).render())
        assert title == "Map · 10 places · the whole corpus"
        legend = str(app.screen.query_one("#map-legend", Static).render())
        assert legend.startswith("● Shenzhen 231   ● Guangzhou 155   ● Hong Kong 47")
        assert "7 places without coordinates (curated regions) are not drawn" in legend
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, MapScreen))
        await pilot.press("slash", *"Boston")  # a query: the map shows its hits' places
        await wait_for(pilot, lambda: app.query_one("#articles", RowList).border_title == "Hits 1")
        await pilot.press("escape", "m")
        await wait_for(pilot, lambda: isinstance(app.screen, MapScreen))
        assert str(app.screen.query_one("#map-title", Static).render()).endswith("places · the hits of Boston")
        assert "● Boston 1" in str(app.screen.query_one("#map-legend", Static).render())


async def test_a_meaning_query_n_and_l_find_paragraphs_by_meaning(float32_index: Path) -> None:
    # the float32 index: its similarities are the same to the second decimal on every CPU
    app = create_app(Settings(BUNDLED_DIR, float32_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        await pilot.press("slash", *"~universities and districts cooperating")
        articles = app.query_one("#articles", RowList)
        await wait_for(pilot, lambda: articles.border_title == "Similar 20")
        assert str(app.query_one("#status", Static).render()) == "20 most similar paragraphs, by meaning"
        shown = [h.plain for h in rows(app, HitItem)]
        # an English query, Chinese and Arabic hits: each row leads with its similarity
        assert shown[:2] == ["0.37 003 ¶12 zh 亮点二:共建粤港澳国际教育合作示范区",
                             "0.36 003 ¶8 zh 协议深度解读:“八大亮点”开创政府与大学合作新模式"]
        assert shown[2].startswith("0.36 002 ¶53 zh 现在粤港澳大湾区的高等教育整体水平并不差,")
        assert all(r[:2] == "0." and r[4] == " " for r in shown)
        await pilot.press("escape", "enter")
        await wait_for(pilot, lambda: app.main.current is not None and app.main.current_paragraph() == 12)
        assert app.main.current.id == "003"
        await pilot.press("n")  # the next paragraph of this article among the hits (7, 8, 9 and 10 come before)
        assert app.main.current_paragraph() == 24
        await pilot.press("l")
        await wait_for(pilot, lambda: articles.border_title == "Like 003 ¶24 · 20")
        assert str(app.query_one("#status", Static).render()) == (
            "20 paragraphs like 003 ¶24 in other articles, by meaning")
        shown = [h.plain for h in rows(app, HitItem)]
        assert shown[0].startswith("0.48 002 ¶36 zh 谈产业合作:聚广深优势发力新基建,由市场")
        assert not [r for r in shown if " 003 ¶" in r]  # the article itself is left out
        assert app.focused is articles


async def test_hits_are_cut_to_the_pane_and_again_when_it_is_resized(bundled_index: Path) -> None:
    from rich.cells import cell_len

    app = create_app(Settings(BUNDLED_DIR, bundled_index, "visual"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        app.query_one("#search", Input).value = "Zhongshan"
        await wait_for(pilot, lambda: len(rows(app, HitItem)) == 6)
        pane = app.query_one("#articles", RowList)
        inner = pane.content_region.width  # 6 hits: no scroll bar
        first = text_of(rows(app, HitItem)[0])
        assert first == "004 ¶5 ru …годы Чжуншаню удалось дост…" and cell_len(first) == inner
        assert all(cell_len(text_of(r)) <= inner for r in rows(app, HitItem))
        pane.highlighted = 2
        await pilot.resize_terminal(160, 36)
        await wait_for(pilot, lambda: text_of(rows(app, HitItem)[0]) != first)
        wider = pane.content_region.width
        assert wider > inner
        assert text_of(rows(app, HitItem)[0]) == "004 ¶5 ru За последние годы Чжуншаню удалось достич…"
        assert all(cell_len(text_of(r)) <= wider for r in rows(app, HitItem))
        assert pane.highlighted == 2  # the cursor stays on its hit


async def test_the_entity_panes_are_left_alone_when_the_next_query_finds_the_same(bundled_index: Path) -> None:
    from tui.widgets.panes import CitiesPane, SpeakersPane

    app = create_app(Settings(BUNDLED_DIR, bundled_index, "terminal"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(rows(app, ArticleItem)) == 5)
        bar = app.query_one("#search", Input)
        bar.value = "Zhongshan"
        await wait_for(pilot, lambda: app.main.shown_query == "Zhongshan")
        places = app.query_one(CitiesPane)
        before = places.rows()
        assert str(before[0].prompt) == "Zhongshan CN 中山 · تشونغشان · Чжуншань  6" and len(before) == 7
        speakers = app.query_one(SpeakersPane).rows()
        bar.value = "Zhongshan Чжуншань"  # the same six hits
        await wait_for(pilot, lambda: app.main.shown_query == "Zhongshan Чжуншань")
        assert places.rows() == before and all(a is b for a, b in zip(places.rows(), before, strict=True))
        assert app.query_one(SpeakersPane).rows() == speakers
        bar.value = "Shenzhen"  # other hits, other places: refilled
        await wait_for(pilot, lambda: app.main.shown_query == "Shenzhen")
        assert str(places.rows()[0].prompt).startswith("Shenzhen CN 深圳")
        assert places.border_title == f"Places {len(places.rows())}"
