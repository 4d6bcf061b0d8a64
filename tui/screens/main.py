"""The reader's main screen: the search bar, the Articles (or hits),
Speakers and Cities panes, the reader pane, the status line.

It owns what the analyst is doing: the query and the order of its hits,
the open article and the version beside it, the side-by-side view. The
panes draw what it gives them and tell it what was chosen; the app
(tui/app.py) owns the index and hands it over when it opens or changes.
Its keys are bound here, so they act only while this screen is up.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, ListView, OptionList, Static

from corpus import Article, ConfigError
from corpus.aggregate import KIND_ORDER
from corpus.align import Alignment
from corpus.geo import land_points
from corpus.text import printable
from index import Index, IndexCorrupt, IndexError_, IndexOutdated, QueryError
from index.files import write_text

from .. import briefings
from ..bidi import resolve_mode
from ..messages import IndexBroken, SearchDone
from ..widgets.overview import overview
from ..widgets.panes import ArticlesPane, CitiesPane, EntityPane, OpenArticle, ReaderPane, Room, SearchBar, SpeakersPane
from ..widgets.rows import HitItem, Line
from ..worldmap import Spot
from .briefing import BriefingScreen
from .help import HelpScreen
from .map import MapScreen
from .note import NoteScreen
from .watches import WatchesScreen

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any

    from index import SearchResult

    from ..config import Settings

# Widgets cost time to mount: the lists show this many rows; search narrows.
PAGE = 200  # article rows in the Articles pane at a time; moving past either end turns the page
ORDERS = {"date": "date, newest first", "lang": "language, then newest first"}
HITS_SHOWN = 20
REFS_SHOWN = 500  # rows listed for a speaker or a place


def entity_lines(index: Index, paragraphs: set[tuple[str, int]] | None,
                 bidi: str) -> tuple[list[Line], list[Line]]:
    """The Speakers and Cities panes' lines: every speaker and city, or with
    ``paragraphs`` (a query's hits) those that occur in them, with counts,
    the most frequent first (speakers before roles, cities before regions).
    Reads articles, so the search worker calls it, not the event loop."""
    speakers, cities = index.speakers(), index.cities()
    sp_counts: dict[str, int] | None = None
    ci_counts: dict[str, int] | None = None
    if paragraphs is not None:
        sp_counts, ci_counts = {}, {}
        for aid, n in paragraphs:
            article = index.article(aid)
            if article is None:
                continue
            p = article.paragraph(n)
            for sid in p.voices:
                sp_counts[str(sid)] = sp_counts.get(str(sid), 0) + 1
            for cid in p.cities:
                ci_counts[cid] = ci_counts.get(cid, 0) + 1
        speakers = sorted((s for s in speakers if s.id in sp_counts), key=lambda s: (s.is_role, -sp_counts[s.id]))
        cities = sorted((c for c in cities if c.id in ci_counts), key=lambda c: (KIND_ORDER.get(c.kind, 3),
                                                                                 -ci_counts[c.id]))
    curated = {c["id"]: c.get("names", {}) for c in index.knowledge().get("cities", [])}
    return SpeakersPane.lines(speakers, sp_counts, bidi), CitiesPane.lines(cities, ci_counts, curated, bidi)


KEY_HELP = [
    ("/", "focus the search bar; Escape leaves it"),
    ("a s c", "focus the Articles, Speakers, Places panes"),
    ("r", "focus the reader"),
    ("Tab", "cycle focus"),
    ("Enter", "open the selection"),
    ("↑ ↓ j k", "move the cursor"),
    ("t", "toggle the side-by-side view"),
    ("[ ]", "previous / next language version, same aligned paragraph"),
    ("g", "go to the aligned paragraph in the other version and make it the main one"),
    ("n N", "next / previous search hit in the article"),
    ("y", "copy the paragraph with a citation (OSC 52)"),
    ("o", "order a search's hits by score or by date (newest first)"),
    ("b", "clip the paragraph (with its translations and flags) to the briefing, with a note if wanted"),
    ("B", "the briefing: Enter goes to a clip's source, K J move, e note, x delete, u undo"),
    ("l", "like this: paragraphs like the one under the cursor in other articles, every language, by meaning"),
    ("m", "a world map of the places in the Places pane (the corpus's, or the query's hits'), dots sized by mentions"),
    ("?", "this help"),
    ("q ctrl+q", "quit"),
]


class MainScreen(Screen[None]):
    """Search, list and read."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("a", "focus_articles", "Articles", id="articles"),
        Binding("s", "focus_pane('speakers')", "Speakers", id="speakers"),
        Binding("c", "focus_pane('cities')", "Places", id="cities"),
        Binding("r", "focus_reader", "Reader", id="reader"),
        Binding("t", "toggle_side", "Side by side", id="side"),
        Binding("left_square_bracket", "version(-1)", "Prev version", show=False, id="prev-version"),
        Binding("right_square_bracket", "version(1)", "Next version", show=False, id="next-version"),
        Binding("g", "swap", "Go to version", show=False, id="swap"),
        Binding("n", "hit(1)", "Next hit", show=False, id="next-hit"),
        Binding("N", "hit(-1)", "Prev hit", show=False, id="prev-hit"),
        Binding("y", "copy", "Copy", id="copy"),
        Binding("o", "sort", "Sort", id="sort"),
        Binding("b", "clip", "Clip", id="clip"),
        Binding("B", "briefing", "Briefing", id="briefing"),
        Binding("m", "map", "Map", show=False, id="map"),
        Binding("l", "like", "Like this", show=False, id="like"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("escape", "leave_search", "Leave search", show=False, id="leave-search"),
        Binding("j", "cursor('down')", "Down", show=False, id="down"),
        Binding("k", "cursor('up')", "Up", show=False, id="up"),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.query_text = ""
        self.shown_query = ""  # the query whose results are on screen
        self.current: Article | None = None
        self.other: Article | None = None  # the version shown beside it
        self.side_by_side = False
        self.sort = "score"  # the order of a query's hits: score | date (o)
        self.meaning_hits = False  # the hits shown are by meaning (a ~ query, l): n and N go through them
        self.bidi = resolve_mode(settings.bidi)  # visual | terminal
        self.hits: dict[str, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}  # article -> [(n, spans)]
        self.order = "date"  # the article list's order: date | lang (o, with no query)
        self.page = 0  # the article list's first row shown, counted from the first article
        self.hit_room: Room | None = None  # the Articles pane's rows: hits are cut to fit (ArticlesPane.Resized)
        self._recut: str | None = None  # the query searched again for a resized pane
        self._composed = False  # the panes exist (an index can open before they do)
        self._open_pending = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Under another screen (help, the briefing, a prompt) this screen's
        keys are off, and its footer says so by leaving them out."""
        return self.is_active

    def on_mount(self) -> None:
        self._composed = True
        if self._open_pending:
            self._open_pending = False
            self.opened()

    def on_screen_suspend(self) -> None:
        self.refresh_bindings()  # the footer below a modal shows only what still works

    def on_screen_resume(self) -> None:
        self.refresh_bindings()

    @property
    def index(self) -> Index | None:
        """The app's index (guarded: damage found while reading opens the rebuild modal)."""
        return self.app.index  # type: ignore[attr-defined]

    def opened(self) -> None:
        """The index is open (first, or rebuilt after damage). On a slow
        machine that can happen before the panes are mounted: then it is
        shown as soon as they are."""
        assert self.index is not None
        if not self._composed:
            self._open_pending = True
            return
        self.hits = {}
        self._show_articles()
        if self.current is None:
            self._show_overview()
        st = self.index.status()
        self.show_status(f"{st.articles} articles · {st.paragraphs} paragraphs · {', '.join(st.languages)}")
        self.query_one(ArticlesPane).focus()
        if self.query_text.strip():  # reopened (rebuilt after damage) with a query typed: its hits, not the list
            self.run_search(self.query_text)

    def index_changed(self) -> None:
        """Another process published a new generation: show it, keeping the place."""
        assert self.index is not None
        self.hits = {}
        if self.query_text.strip():
            self.run_search(self.query_text)
        else:
            self._show_articles()
        if self.current is None:
            self._show_overview()
        else:
            article = self.index.article(self.current.id)
            if article is not None:
                n = self.current_paragraph() or 1
                self.current = article
                self.other = self.index.article(self.other.id) if self.other else None
                self._render_reader(min(n, len(article.paragraphs)))
        st = self.index.status()
        self.notify(f"Index updated: {st.articles} articles · {st.paragraphs} paragraphs")

    def commands(self) -> Iterable[SystemCommand]:
        """The palette's commands for this screen."""
        yield SystemCommand("Copy citation", "Copy the current paragraph with its citation (y)", self.action_copy)
        yield SystemCommand("Toggle side by side", "Show the article beside another language version (t)",
                            self.action_toggle_side)
        yield SystemCommand("Help: keys", "Every key of the reader (?)", self.action_help)
        yield SystemCommand(
            "Clip paragraph", "Clip the paragraph under the cursor to the briefing (b)", self.action_clip
        )
        yield SystemCommand("Briefing", f"The clips of briefing {self.settings.briefing} (B)", self.action_briefing)
        yield SystemCommand("Watches", "Saved searches and their new hits; Enter searches", self.show_watches)
        for fmt, what in (("md", "Markdown"), ("html", "HTML"), ("json", "JSON")):
            yield SystemCommand(
                f"Export briefing as {what}",
                f"Write {self.settings.briefing}.{fmt} under the data folder",
                partial(self.export_briefing, fmt),
            )
        if self.index is None:
            return
        for a in self.index.articles(self.order, self.page, PAGE):  # the page listed
            yield SystemCommand(f"Open {a.id} · {a.lang} · {printable(a.title)[:60]}", f"Open article {a.id}",
                                partial(self.open_article, a.id))
        if self.current is not None:
            for vid in self.current.translations:
                other = self.index.article(vid)
                if other is not None:
                    conf = self.index.version_confidence(self.current.id, vid)
                    sure = f" · conf {conf:.2f}" if conf is not None else ""
                    yield SystemCommand(f"Switch language to {other.lang} ({other.id}){sure}",
                                        "Show this version beside the article, on the aligned paragraph",
                                        partial(self.show_version, other.id))

    def compose(self) -> ComposeResult:
        yield SearchBar(placeholder="Search: words, \"phrases\", city:Shenzhen, lang:zh …  (/ to focus)", id="search")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield ArticlesPane(id="articles")
                yield SpeakersPane(id="speakers")
                yield CitiesPane(id="cities")
            yield ReaderPane(id="reader")
        yield Static("Opening the index…", id="status", markup=False)
        yield Footer()

    def show_status(self, text: str) -> None:
        # One line of fixed height (app.tcss): new text never needs a new layout of the screen.
        self.query_one("#status", Static).update(Text(text), layout=False)

    def hit_width(self, rows: int) -> int | None:
        """The cells of one of ``rows`` hit rows in the Articles pane."""
        return self.hit_room.row_width(rows) if self.hit_room else None

    def on_articles_pane_resized(self, message: ArticlesPane.Resized) -> None:
        self.hit_room = message.room
        if self.shown_query and self.index is not None:  # the hits on screen, cut again to the new width
            self._recut = self.query_text
            self.run_search(self.query_text)

    def _show_articles(self, first: int = 0, cursor: int = 0) -> None:
        """A page of the article list (read from the index: the list itself
        can be a million long) from row ``first``, the cursor on ``cursor``."""
        assert self.index is not None
        census = self.index.census()
        first = max(0, min(first, census.articles - PAGE))
        rows = self.index.articles(self.order, first, PAGE)
        self.page = first
        langs = "".join(f" {lang} {n:,}" for lang, n in census.languages)
        paged = len(rows) < census.articles
        # A page says where it is first (a narrow pane cuts the title's end).
        title = f"Articles {first + 1:,}–{first + len(rows):,} of {census.articles:,}" if paged else \
            f"Articles {census.articles:,}:{langs}"
        if self.order != "date":
            title += f" · by {self.order_name()}"
        pane = self.query_one(ArticlesPane)
        pane.show_articles(title, list(rows), self.bidi, paged=paged, cursor=cursor)
        pane.border_subtitle = langs.strip() if paged else None
        self.hits = {}
        self._show_entities()

    def order_name(self) -> str:
        return ORDERS[self.order].split(",")[0]

    def on_articles_pane_turn(self, message: ArticlesPane.Turn) -> None:
        """The cursor left the page of articles shown: show the page around
        where it went, the cursor on the same row of the whole list."""
        if self.index is None or self.shown_query:
            return
        total = self.index.census().articles
        row = max(0, min(self.page + message.row, total - 1))
        first = row - PAGE // 2
        first = max(0, min(first, total - PAGE))
        self._show_articles(first, cursor=row - first)

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def _show_overview(self) -> None:
        """The corpus overview in the reader pane, made off the event loop:
        its version groups read every linked article (seconds at hundreds of
        thousands of articles), and the article list is on screen first."""
        index = self.index
        assert index is not None
        try:
            st = index.status()
            text = overview(index.census(), index.versions(), index.info, st.paragraphs, index.speakers(),
                            index.cities(), self.bidi)
        except (IndexCorrupt, IndexOutdated) as exc:
            self.post_message(IndexBroken(exc, index))
            return
        self.app.call_from_thread(self._overview_made, index, text)

    def _overview_made(self, index: Index, text: Text) -> None:
        if self.current is None and index is self.index:  # not opened an article, not rebuilt, meanwhile
            self.query_one(ReaderPane).show_overview(text)

    def _show_entities(self, speakers: Sequence[Line] | None = None, cities: Sequence[Line] | None = None) -> None:
        """Fill the Speakers and Cities panes: with no lines given, every
        speaker and city of the index."""
        assert self.index is not None
        if speakers is None or cities is None:
            speakers, cities = entity_lines(self.index, None, self.bidi)
        self.query_one(SpeakersPane).show(speakers)
        self.query_one(CitiesPane).show(cities)

    # -- search ------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self.index is None:
            return
        if not event.value.strip():
            self.shown_query = ""
            self.meaning_hits, self.hits = False, {}  # n and N no longer go through a meaning query's hits
            self._show_articles()
            self.show_status(f"{self.index.census().articles:,} articles")
            return
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        index = self.index
        assert index is not None
        sort = self.sort

        def ask() -> SearchResult:
            index.refresh()
            return index.search(query, limit=HITS_SHOWN, sort=sort)

        self._answer(index, query, sort, ask)

    def _answer(self, index: Any, query: str, sort: str, ask: Callable[[], SearchResult],
                like: str | None = None) -> None:
        """Post what ``ask`` (in this worker thread) answers: the rows of its
        hits, its query error, or the damage it met."""
        try:
            result = ask()
        except QueryError as exc:
            self.post_message(SearchDone(query, None, str(exc), sort, like=like))
            return
        except (IndexCorrupt, IndexOutdated) as exc:
            # not stale hits under a damaged index
            self.post_message(IndexBroken(exc, index))
            return
        self.post_message(self._done(index, query, result, sort, like))

    def _done(self, index: Any, query: str, result: SearchResult, sort: str, like: str | None = None) -> SearchDone:
        """The rows that show ``result``, made off the event loop: it only shows them."""
        dated = sort == "date"
        width = self.hit_width(len(result.hits))
        hits = [HitItem.of(h.article, h.paragraph, h.lang, h.snippet, h.highlights, self.bidi,
                           date=f"{h.similarity:.2f}" if h.similarity is not None
                           else (h.date or "no date") if dated else None, width=width)
                for h in result.hits]
        speakers, cities = entity_lines(index, {(h.article, h.paragraph) for h in result.hits}, self.bidi)
        return SearchDone(query, result, None, sort, hits, speakers, cities, like)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_like(self, article_id: str, n: int, query: str, sort: str) -> None:
        index = self.index
        assert index is not None
        self._answer(index, query, sort, lambda: index.like(article_id, n, limit=HITS_SHOWN), f"{article_id} ¶{n}")

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.query_text or message.sort != self.sort:
            return  # stale
        if message.error:
            self.show_status(f"Like {message.like}: {message.error}" if message.like
                             else f"Query error: {message.error}")
            return
        result = message.result
        assert result is not None
        self.shown_query = "" if message.like else message.query
        self.hits = {}  # per article, filled when an article is shown (matches_in)
        if result.meaning:  # n and N go from hit to hit in an article; no words to highlight
            for h in result.hits:
                self.hits.setdefault(h.article, []).append((h.paragraph, ()))
            self.hits = {aid: sorted(found) for aid, found in self.hits.items()}
            self.meaning_hits = True
        else:
            self.meaning_hits = False
        dated = self.sort == "date" and not result.meaning
        title = (f"Like {message.like} · {len(result.hits)}" if message.like
                 else f"Similar {len(result.hits)}" if result.meaning
                 else f"Hits {result.total_text}" + (" · newest first" if dated else ""))
        pane = self.query_one(ArticlesPane)
        # The same hits cut again to a resized pane: the cursor stays on its hit.
        recut, self._recut = self._recut == message.query, None
        pane.show(title, message.hits, pane.highlighted or 0 if recut else 0)
        if message.like:
            pane.focus()
        self._show_entities(message.speakers, message.cities)
        status = (f"{len(result.hits)} paragraphs like {message.like} in other articles, by meaning" if message.like
                  else f"{len(result.hits)} most similar paragraphs, by meaning" if result.meaning
                  else f"{result.total_text} hits")
        if result.expanded:
            status += " · " + " ; ".join(result.expanded)
        for note in result.notes:  # hits hidden in boilerplate, lower-case operators, filters that exclude each other
            status += " · " + note
        self.show_status(status)

    # -- opening -----------------------------------------------------------

    def on_open_article(self, message: OpenArticle) -> None:
        self.open_article(message.article, message.paragraph)

    @on(EntityPane.Chosen)
    def _entity_chosen(self, message: EntityPane.Chosen) -> None:
        assert self.index is not None
        rows = []
        if message.kind == "speaker":
            total, refs = self.index.speaker_paragraphs(message.entity, limit=REFS_SHOWN)
            width = self.hit_width(len(refs))
            for aid, n in refs:
                article = self.index.article(aid)
                if article is not None:
                    rows.append(HitItem.of(aid, n, article.lang, article.paragraph(n).text[:160], (), self.bidi,
                                           width=width))
            title = self._refs_title("Turns", total)
        else:
            total, mentions = self.index.city_mentions(message.entity, limit=REFS_SHOWN)
            width = self.hit_width(len(mentions))
            for aid, n, s, e in mentions:
                article = self.index.article(aid)
                if article is None:
                    continue
                text = article.paragraph(n).text
                start = max(0, s - 30)
                kwic = ("…" if start else "") + text[start : e + 40]
                off = s - start + (1 if start else 0)
                rows.append(HitItem.of(aid, n, article.lang, kwic, ((off, off + e - s),), self.bidi,
                                       width=width))
            title = self._refs_title("Mentions", total)
        pane = self.query_one(ArticlesPane)
        pane.show(title, list(rows))
        pane.focus()

    @staticmethod
    def _refs_title(what: str, total: int) -> str:
        return f"{what} {total:,}" if total <= REFS_SHOWN else f"{what} {total:,} (first {REFS_SHOWN:,})"

    def open_article(self, article_id: str, paragraph: int = 1) -> None:
        assert self.index is not None
        article = self.index.article(article_id)
        if article is None:
            self.notify(f"No article {article_id}", severity="error")
            return
        self.current = article
        if self.other is None or self.other.id not in article.translations:
            self.other = self.index.article(article.translations[0]) if article.translations else None
        self._render_reader(paragraph)
        self.query_one(ReaderPane).focus()

    def matches(self, article_id: str) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
        """The active query's matching paragraphs in one article, with spans in
        their full text; asked of the index once per article and query."""
        if self.meaning_hits:
            return self.hits.get(article_id, [])
        if self.index is None or not self.shown_query.strip():
            return []
        if article_id not in self.hits:
            try:
                self.hits[article_id] = list(self.index.matches_in(self.shown_query, article_id))
            except (QueryError, IndexError_):
                self.hits[article_id] = []
        return self.hits[article_id]

    def _spans(self) -> dict[tuple[str, int], tuple[tuple[int, int], ...]]:
        shown = [a for a in (self.current, self.other if self.side_by_side else None) if a is not None]
        return {(a.id, n): sp for a in shown for n, sp in self.matches(a.id)}

    def _alignment(self) -> Alignment | None:
        if self.index is None or self.current is None or self.other is None:
            return None
        return self.index.alignment(self.current.id, self.other.id)

    def _render_reader(self, paragraph: int) -> None:
        """Draw the current article (alone, or beside its other version) with the
        cursor on ``paragraph``."""
        article = self.current
        assert article is not None
        reader = self.query_one(ReaderPane)
        spans = self._spans()
        al = self._alignment() if self.side_by_side else None
        if al is not None and self.other is not None:
            reader.show_pair(article, self.other, al, paragraph, spans, self.bidi)
        else:
            reader.show_article(article, paragraph, spans, self.bidi)
        self.show_status(f"{article.id} · {article.lang} · {article.date or 'no date'} · {printable(article.title)}")

    def current_paragraph(self) -> int | None:
        """The paragraph under the reader's cursor (source side when side by side)."""
        return self.query_one(ReaderPane).paragraph(self._alignment)

    # -- actions -----------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.query_one("#articles").focus()

    def action_focus_articles(self) -> None:
        self.query_one("#articles").focus()

    def action_focus_reader(self) -> None:
        self.query_one("#reader").focus()

    def action_focus_pane(self, name: str) -> None:
        self.query_one(f"#{name}").focus()

    def action_sort(self) -> None:
        """Order a query's hits by score or by date, newest first; with no
        query, the article list by date or by language."""
        if not self.query_text.strip() and self.index is not None:
            self.order = "lang" if self.order == "date" else "date"
            self._show_articles()
            self.notify(f"Articles by {ORDERS[self.order]}.")
            return
        self.sort = "date" if self.sort == "score" else "score"
        if self.query_text.strip() and self.index is not None:
            self.run_search(self.query_text)
        self.notify(f"Hits by {'date, newest first' if self.sort == 'date' else 'score'}.")

    def action_toggle_side(self) -> None:
        if self.current is None:
            self.notify("Open an article first (Enter on the Articles pane).")
            return
        if self.other is None:
            self.notify(f"{self.current.id} has no other language version.")
            return
        n = self.current_paragraph() or 1
        self.side_by_side = not self.side_by_side
        self._render_reader(n)

    def action_version(self, step: int) -> None:
        """Show the previous/next version beside the article, on the aligned paragraph."""
        if self.current is None or not self.current.translations or self.index is None:
            self.notify("No other language version.")
            return
        versions = list(self.current.translations)
        at = versions.index(self.other.id) if self.other and self.other.id in versions else -1
        self.other = self.index.article(versions[(at + step) % len(versions)])
        self.side_by_side = True
        self._render_reader(self.current_paragraph() or 1)

    def action_swap(self) -> None:
        """Jump to the aligned paragraph in the other version and make it the main one."""
        if self.current is None or self.other is None:
            self.notify("No other language version.")
            return
        n = self.current_paragraph() or 1
        al = self._alignment()
        target = (al.nearest(n) if al else None) or 1
        self.current, self.other = self.other, self.current
        self._render_reader(target)

    def action_like(self) -> None:
        """Paragraphs like the one under the reader's cursor, in other
        articles and every language, leaving out its own versions."""
        if self.index is None or self.current is None:
            self.notify("Open an article first: l finds paragraphs like the one under the cursor.")
            return
        n = self.current_paragraph()
        if n is None:
            return
        self.show_status(f"Looking for paragraphs like {self.current.id} ¶{n}…")
        self.run_like(self.current.id, n, self.query_text, self.sort)

    def action_hit(self, step: int) -> None:
        if self.current is None:
            return
        found = [n for n, _ in self.matches(self.current.id)]
        if not found:
            self.notify("No search hits in this article.")
            return
        here = self.current_paragraph() or 0
        later = [n for n in found if (n > here if step > 0 else n < here)]
        n = (later[0] if step > 0 else later[-1]) if later else (found[0] if step > 0 else found[-1])
        self._render_reader(n)

    def citation(self) -> str | None:
        """The current paragraph with its citation and its aligned translation."""
        if self.current is None:
            return None
        n = self.current_paragraph()
        if n is None:
            return None
        a = self.current
        out = f"{a.paragraph(n).text}\n— {a.title}, {a.date or 'no date'}, {a.lang}, ¶{n} [{a.id}]"
        al = self._alignment()
        if al is not None and self.other is not None:
            for m in al.counterpart(n):
                o = self.other
                out += f"\n\n{o.paragraph(m).text}\n— {o.title}, {o.date or 'no date'}, {o.lang}, ¶{m} [{o.id}]"
        return out

    def action_clip(self) -> None:
        """Clip the paragraph under the cursor to the current briefing, after asking for a note."""
        n = self.current_paragraph() if self.current is not None else None
        if self.current is None or n is None or self.index is None:
            self.notify("Nothing to clip: open an article first.")
            return
        aid, name, query = self.current.id, self.settings.briefing, self.shown_query

        def clip(note: str | None) -> None:
            if note is None or self.index is None:
                return
            try:
                clip = briefings.make_clip(self.index, aid, n, query=query, note=note)
                saved = briefings.load(name).add(clip)
                briefings.save(saved)
            except (ConfigError, OSError, KeyError) as exc:
                self.notify(f"Not clipped: {exc}", severity="error", timeout=10)
                return
            self.notify(f"Clipped {aid} ¶{n} to briefing {name} (clip {len(saved.clips)}); B shows it.")

        self.app.push_screen(NoteScreen(f"Clip {aid} ¶{n} to briefing {name}. Note (optional):"), clip)

    def action_briefing(self) -> None:
        try:
            current = briefings.load(self.settings.briefing)
        except ConfigError as exc:
            self.notify(f"Cannot open the briefing: {exc}", severity="error", timeout=10)
            return

        def back(to: tuple[str, int] | None) -> None:
            if to is not None and self.index is not None:
                self.open_article(*to)

        self.app.push_screen(BriefingScreen(current, lambda c: briefings.status(self.index, c), self.bidi), back)

    def show_watches(self) -> None:
        if self.index is None:
            self.notify("The index is not open yet.")
            return

        def run(query: str | None) -> None:
            if query:
                bar = self.query_one("#search", Input)
                bar.value = query  # runs the search (Input.Changed)
                self.query_one(ArticlesPane).focus()

        self.app.push_screen(WatchesScreen(self.index), run)

    def export_briefing(self, fmt: str) -> None:
        from .. import export

        name = self.settings.briefing
        try:
            current = briefings.load(name)
            path = briefings.data_dir() / "exports" / f"{name}.{fmt}"
            write_text(path, export.render(current, fmt, lambda c: briefings.status(self.index, c),
                                               export.place_map(self.index, current, fmt)))
        except (ConfigError, OSError) as exc:
            self.notify(f"Not exported: {exc}", severity="error", timeout=10)
            return
        self.notify(f"Exported {len(current.clips)} clips of {name} to {path}", timeout=10)

    def action_copy(self) -> None:
        text = self.citation()
        if text is None:
            self.notify("Nothing to copy: open an article first.")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied ¶{self.current_paragraph()} with its citation.")

    def show_version(self, article_id: str) -> None:
        if self.index is None or self.current is None:
            return
        self.other = self.index.article(article_id)
        self.side_by_side = True
        self._render_reader(self.current_paragraph() or 1)

    def action_map(self) -> None:
        """A world map of the places in the Places pane: the corpus's, or the query's hits'."""
        if self.index is None:
            self.notify("The index is not open yet.")
            return
        facts = {c.id: c for c in self.index.cities()}
        spots, unplaced = [], 0
        for row in self.query_one(CitiesPane).rows():
            c = facts.get(row.city_id)
            if c is None or c.lat is None or c.lon is None:
                unplaced += 1
                continue
            spots.append(Spot(c.name, c.lat, c.lon, row.count))
        query = self.query_one("#search", Input).value.strip()
        about = f"the hits of {query}" if query else "the whole corpus"
        self.app.push_screen(MapScreen(f"Map · {len(spots)} places · {about}", spots, land_points(), unplaced))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(KEY_HELP))

    def action_cursor(self, direction: str) -> None:
        focused = self.focused
        if isinstance(focused, (ListView, OptionList)):
            focused.action_cursor_down() if direction == "down" else focused.action_cursor_up()
