"""The reader's panes. Each pane draws what it is given and says what the
analyst chose in it with a message; the app (tui/app.py) owns the state
(the index, the query, the open article) and answers those messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rich.text import Text
from textual import on
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input, ListView, OptionList

from corpus import Article, ArticleInfo
from corpus.aggregate import CitySummary, SpeakerSummary
from corpus.align import Alignment

from .overview import OverviewItem
from .rows import ArticleItem, CityItem, HitItem, Line, ParagraphItem, RowItem, SpeakerItem, fill

Spans = dict[tuple[str, int], tuple[tuple[int, int], ...]]


class Room(NamedTuple):
    """What a list pane's rows have: ``width`` cells each, ``height`` in
    view, and a scroll bar ``bar`` cells wide when there are more."""

    width: int
    height: int
    bar: int

    def row_width(self, rows: int) -> int:
        """The cells a row may fill when the pane shows ``rows`` rows."""
        return max(1, self.width - (self.bar if rows > self.height else 0))


class OpenArticle(Message):
    """Open ``article`` at ``paragraph`` (Enter on an article, hit, turn or mention)."""

    def __init__(self, article: str, paragraph: int = 1) -> None:
        super().__init__()
        self.article, self.paragraph = article, paragraph


class SearchBar(Input):
    """The search bar. Textual's Input keeps its text's width as its virtual
    size, a reactive that lays the whole screen out again, and so draws every
    pane and scroll bar, on each keystroke. The bar's own size is fixed
    (app.tcss) and it has no scroll bar, so a repaint is enough, as for
    :class:`RowList`."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class RowList(OptionList):
    """A list of one-line rows (:class:`Row`), the cursor on one of them;
    Enter (or a click) chooses it. Corpus text in a row is never markup."""

    # The pane's size is fixed by the screen's grid, so a list that grows or
    # shrinks needs a repaint, not a new layout of the whole screen (which
    # Widget's own virtual_size asks for, and which then repaints every
    # pane). A scroll bar that comes or goes still lays the screen out.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, markup=False)

    def rows(self) -> list[Any]:
        """The rows shown, top to bottom."""
        return list(self.options)

    def current(self) -> Any:
        """The row under the cursor, or None."""
        return self.highlighted_option

    def __len__(self) -> int:
        return self.option_count


class ArticlesPane(RowList):
    """The articles, or in their place a query's hits, a speaker's turns or
    a city's mentions; Enter opens the one under the cursor. The article
    list is shown a page at a time (``paged``): moving the cursor past
    either end, or Home / End, asks for another page (:class:`Turn`)."""

    class Turn(Message):
        """Show the article list around ``row``, counted from this page's first row."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class Resized(Message):
        """The pane's rows now have ``width`` cells, ``height`` of them in
        view, less ``bar`` cells of width when there are more (the scroll
        bar): a query's hits are cut to fit (:func:`Room.width`)."""

        def __init__(self, room: Room) -> None:
            super().__init__()
            self.room = room

    paged = False
    room: Room | None = None

    def on_resize(self) -> None:
        region = self.content_region
        room = Room(region.width, region.height, self.styles.scrollbar_size_vertical)
        if room != self.room:
            self.room = room
            self.post_message(self.Resized(room))

    def show(self, title: str, lines: Sequence[Line], cursor: int = 0) -> None:
        self.border_title = title
        self.border_subtitle = None
        self.paged = False
        fill(self, lines, cursor)

    def show_articles(self, title: str, articles: list[ArticleInfo], bidi: str, paged: bool = False,
                      cursor: int = 0) -> None:
        self.show(title, [ArticleItem.of(a, bidi) for a in articles], cursor)
        self.paged = paged

    def _or_turn(self, step: int, move: Callable[[], None]) -> None:
        """``move`` the cursor within the list; but from the page's last row
        down (``step`` 1) or its first row up (-1), turn the page instead."""
        edge, row = (len(self) - 1, len(self)) if step > 0 else (0, -1)
        if self.paged and self.highlighted == edge:
            self.post_message(self.Turn(row))
        else:
            move()

    def action_cursor_down(self) -> None:
        self._or_turn(1, super().action_cursor_down)

    def action_cursor_up(self) -> None:
        self._or_turn(-1, super().action_cursor_up)

    def action_page_down(self) -> None:
        self._or_turn(1, super().action_page_down)

    def action_page_up(self) -> None:
        self._or_turn(-1, super().action_page_up)

    def action_first(self) -> None:
        if self.paged:
            self.post_message(self.Turn(-(1 << 40)))  # the screen stops at the first article
        else:
            super().action_first()

    def action_last(self) -> None:
        if self.paged:
            self.post_message(self.Turn(1 << 40))
        else:
            super().action_last()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item: Any = event.option
        if isinstance(item, ArticleItem):
            self.post_message(OpenArticle(item.article_id))
        elif isinstance(item, HitItem):
            self.post_message(OpenArticle(item.article_id, item.paragraph))


class EntityPane(RowList):
    """Speakers or cities: Enter lists the chosen one's paragraphs."""

    class Chosen(Message):
        def __init__(self, kind: str, entity: str) -> None:
            super().__init__()
            self.kind, self.entity = kind, entity

    kind = ""
    title = ""  # the border's, before the count

    _shown: tuple[tuple[tuple[str, Any], ...], ...] | None = None  # the rows' fields, as last filled

    def show(self, lines: Sequence[Line]) -> None:
        """Fill the pane with ``lines``; the same rows as it shows (the next
        keystroke of a word often finds the same people and places) are left
        as they are, the cursor where it was."""
        self.border_title = f"{self.title} {len(lines)}"
        shown = tuple(line.fields for line in lines)
        if shown != self._shown:
            self._shown = shown
            fill(self, lines)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item: Any = event.option
        entity = getattr(item, "speaker_id", None) or getattr(item, "city_id", None)
        if entity is not None:
            self.post_message(self.Chosen(self.kind, entity))


class SpeakersPane(EntityPane):
    kind, title = "speaker", "Speakers"

    @staticmethod
    def lines(speakers: list[SpeakerSummary], counts: dict[str, int] | None, bidi: str) -> list[Line]:
        return [SpeakerItem.of(s, counts.get(s.id) if counts is not None else None, bidi) for s in speakers]


class CitiesPane(EntityPane):
    """The Places pane: cities first, then regions and countries, each with its country."""

    kind, title = "city", "Places"

    @staticmethod
    def lines(cities: list[CitySummary], counts: dict[str, int] | None,
              curated: dict[str, dict[str, list[str]]], bidi: str) -> list[Line]:
        return [CityItem.of(c, counts.get(c.id) if counts is not None else None, curated.get(c.id), bidi)
                for c in cities]


class ReaderPane(ListView):
    """One article by paragraph, or two versions side by side by bead; the
    corpus overview until an article is opened."""

    def show_overview(self, text: Text) -> None:
        self.clear()
        self.append(OverviewItem(text))
        self.border_title = "Overview"

    def show_article(self, article: Article, paragraph: int, spans: Spans, bidi: str) -> None:
        self.clear()
        self.extend(ParagraphItem(article, p.n, spans.get((article.id, p.n), ()), bidi) for p in article.paragraphs)
        self.index = paragraph - 1
        self.border_title = f"{article.id} {article.lang}"

    def show_pair(self, article: Article, other: Article, al: Alignment, paragraph: int, spans: Spans,
                  bidi: str) -> None:
        self.clear()
        rows = [RowItem(article, other, b.source, b.target, "; ".join(f.describe() for f in b.flags), spans, bidi)
                for b in al.beads]
        self.extend(rows)
        self.index = next((i for i, r in enumerate(rows) if paragraph in r.source), 0)
        # How sure the index is that these are versions of one text (1.00: declared or linked by hand).
        self.border_title = f"{article.id} {article.lang} ⇄ {other.id} {other.lang} · conf {al.confidence:.2f}"

    def paragraph(self, alignment: Callable[[], Alignment | None]) -> int | None:
        """The paragraph under the cursor (the source side when side by side;
        for a bead with no source, the nearest aligned one)."""
        item: Any = self.highlighted_child
        if isinstance(item, ParagraphItem):
            return item.n
        if isinstance(item, RowItem):
            if item.source:
                return item.source[0]
            al = alignment()  # asked for only here: it may be computed
            return al.flipped().nearest(item.target[0]) if al else None
        return None
