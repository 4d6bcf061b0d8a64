"""The reader, driven through Textual's Pilot with literal expectations."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, ListView, Static

from corpus import BUNDLED_DIR
from tests.conftest import write
from tui.app import ArticleItem, HitItem, ParagraphItem, create_app
from tui.cli import Settings

SIZE = (120, 36)


def text_of(widget) -> str:  # type: ignore[no-untyped-def]
    return str(widget.query_one(Static).render()) if not isinstance(widget, Static) else str(widget.render())


async def wait_for(pilot, predicate, tries: int = 100) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        await pilot.pause(0.05)
        if predicate():
            return
    raise AssertionError("condition not reached")


async def test_first_screen_lists_articles(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 5)
        assert [i.article_id for i in app.query(ArticleItem)] == ["000", "001", "002", "003", "004"]
        assert str(app.query_one("#status", Static).render()) == "5 articles · 187 paragraphs · ar, de, ru, zh"
        assert "⇄ zh 2020-05-18 “广深科创1+1”云桌会" in str(app.query(ArticleItem)[2].query_one("Label").render())


async def test_search_as_you_type_then_open_hit(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 5)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"Zhongshan")
        await wait_for(pilot, lambda: len(app.query(HitItem)) > 0)
        status = str(app.query_one("#status", Static).render())
        assert status.startswith("7 hits · Zhongshan → 中山 · تشونغشان")
        # 004 (Чжуншань); 002 only through the literal 中山 of 中山大学
        assert sorted(h.article_id for h in app.query(HitItem)) == ["002"] + ["004"] * 6
        await pilot.press("escape")
        assert app.focused is app.query_one("#articles", ListView)
        first = app.query(HitItem)[0]
        expected = 63 if first.article_id == "002" else 7
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == expected)
        reader = app.query_one("#reader", ListView)
        assert app.focused is reader
        assert reader.index == first.paragraph - 1
        assert app.current is not None and app.current.id == first.article_id


async def test_query_error_is_shown_inline(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 5)
        await pilot.press("slash", *'"Shen')
        await wait_for(pilot, lambda: "Query error" in str(app.query_one("#status", Static).render()))
        assert str(app.query_one("#status", Static).render()) == (
            'Query error: unbalanced quote at character 1: close the phrase with "'
        )


async def test_open_article_and_move_with_j_k(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 5)
        await pilot.press("a", "down", "down", "enter")
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
        assert app.focused is app.query_one("#articles", ListView)
        await pilot.press("r")
        assert app.focused is reader


async def test_first_run_builds_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Erster Artikel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    app = create_app(Settings(corpus, tmp_path / "ix"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 1)
        assert str(app.query_one("#status", Static).render()) == "1 articles · 2 paragraphs · de"


async def test_markup_in_corpus_text_is_shown_verbatim(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "evil.txt", "[bold red]Evil[/] title\n\nBody [@click=app.quit]x[/] \x1b[2J end.")
    app = create_app(Settings(corpus, tmp_path / "ix"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.query(ParagraphItem)) == 2)
        assert text_of(app.query(ParagraphItem)[0]) == "  1 [bold red]Evil[/] title"
        assert text_of(app.query(ParagraphItem)[1]) == "  2 Body [@click=app.quit]x[/] \ufffd[2J end."
        assert app.is_running


async def test_q_quits(bundled_index: Path) -> None:
    app = create_app(Settings(BUNDLED_DIR, bundled_index))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.query(ArticleItem)) == 5)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
