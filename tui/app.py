"""The reader: a Textual app over the index API.

Layout: a search bar on top; on the left the Articles pane (or the ranked
hits, a speaker's turns, a city's mentions), the Speakers and Cities panes;
the reader on the right, one article by paragraph or two language versions
side by side on their stored alignment; a status line and the footer.

The index is opened (and built on first run, under a modal) in a worker, so
the first paint never waits for it; jieba is warmed up after that; searches
run in an exclusive thread worker and stale results are dropped; a poll picks
up generations published by another process.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, ListItem, ListView, ProgressBar, Static

from corpus import Article, ArticleInfo, ConfigError, Kind
from corpus.aggregate import CitySummary, SpeakerSummary
from corpus.align import Alignment
from corpus.text import printable
from index import Index, IndexCorrupt, IndexError_, IndexMissing, IndexOutdated, QueryError, SearchResult, rebuild

from .bidi import for_display, has_rtl, piece, resolve_mode, visual_line

if TYPE_CHECKING:
    from .config import Settings

_RTL = {"ar", "fa", "he", "ur"}
# Widgets cost time to mount: the lists show this many rows; search narrows.
ARTICLES_SHOWN = 500
HITS_SHOWN = 20
REFS_SHOWN = 500  # rows listed for a speaker or a place
SNIPPET_CHARS = 110  # a hit line shows about this much of its snippet
_DIM = {Kind.META, Kind.BOILERPLATE}


class Opened(Message):
    """The index is open (posted from the loading worker)."""

    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index


class IndexChanged(Message):
    """Another process published a new index generation; it is now loaded."""


class IndexBroken(Message):
    """Reading the index failed because it is damaged (or was replaced by an
    outdated one): the modal that rebuilds it takes over."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class GuardedIndex:
    """The reader's view of the index: a read that finds the index damaged
    (or replaced by an outdated one) posts :class:`IndexBroken`, for the
    modal that rebuilds it, and gives what "nothing there" gives (no
    article, no mentions), so a key handler never dies on it."""

    NOTHING: dict[str, Any] = {
        "article": None, "alignment": None, "cities": [], "speakers": [], "matches_in": (),
        "speaker_paragraphs": (0, []), "city_mentions": (0, []),
    }

    def __init__(self, index: Index, broken: Callable[[Exception], None]) -> None:
        self.unguarded = index
        self._broken = broken

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.unguarded, name)
        if name not in self.NOTHING:
            return attr

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except (IndexCorrupt, IndexOutdated) as exc:
                self._broken(exc)
                return self.NOTHING[name]

        return guarded


class SearchDone(Message):
    def __init__(self, query: str, result: SearchResult | None, error: str | None) -> None:
        super().__init__()
        self.query, self.result, self.error = query, result, error


def paragraph_text(article: Article, n: int, spans: tuple[tuple[int, int], ...] = ()) -> Text:
    """One paragraph as inert rich Text: label styled, cities underlined, hits reversed."""
    p = article.paragraph(n)
    body = printable(p.text)
    text = Text(body, justify="right" if article.lang in _RTL else "left", no_wrap=False)
    if p.kind in _DIM:
        text.stylize("dim")
    elif p.kind in (Kind.TITLE, Kind.HEADING):
        text.stylize("bold")
    if p.kind is Kind.TURN and p.label:
        text.stylize("bold cyan", 0, len(p.label))
    if len(body) == len(p.text):  # offsets still valid after sanitising
        for _cid, s, e in p.mentions:
            text.stylize("underline", s, e)
        for s, e in spans:
            text.stylize("reverse", s, e)
    return text


class Row(ListItem):
    """One line of a list whose content another row of the same kind can
    replace in place (:func:`fill`): updating a label costs far less than
    unmounting a widget and mounting, styling and laying out a new one."""

    FIELDS: tuple[str, ...] = ("plain",)  # what a row is, besides its line

    def __init__(self, line: Text) -> None:
        super().__init__(Label(line, markup=False))
        self.line = line

    def take(self, other: Row) -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(other, name))
        if other.line != self.line:
            self.line = other.line
            # One line whatever the text (app.tcss): nothing to lay out again.
            self.query_one(Label).update(other.line, layout=False)


def fill(lv: ListView, rows: list[Row]) -> None:
    """Show ``rows`` in ``lv``, reusing the rows already there where they are
    of the same kind, with the cursor on the first."""
    old = list(lv.children)
    same = 0
    while same < min(len(old), len(rows)) and type(old[same]) is type(rows[same]):
        same += 1
    if not same:
        lv.clear()
        lv.extend(rows)
        lv.index = 0 if rows else None
        return
    for cur, new in zip(old[:same], rows[:same]):
        cur.take(new)  # type: ignore[attr-defined]
    lv.index = 0  # a row that stays
    if len(old) > same:
        lv.remove_children(old[same:])
    if len(rows) > same:
        lv.extend(rows[same:])


class ArticleItem(Row):
    FIELDS = ("plain", "article_id")

    def __init__(self, article: ArticleInfo, bidi: str = "terminal") -> None:
        marker = "⇄" if article.translations else " "
        line = Text(f"{marker} {article.lang} {article.date or '          '} ")
        self.plain = line.plain + printable(article.title)
        line.append(piece(printable(article.title), bidi))
        super().__init__(line)
        self.article_id = article.id


class HitItem(Row):
    """One hit on one line: where it is, then the snippet around the first
    match (cut to what a line can show; Enter opens the whole paragraph)."""

    FIELDS = ("plain", "article_id", "paragraph")

    def __init__(self, article_id: str, paragraph: int, lang: str, snippet: str, spans: tuple[tuple[int, int], ...],
                 bidi: str = "terminal") -> None:
        line = Text(f"{article_id} ¶{paragraph} {lang} ", style="bold", no_wrap=True, overflow="ellipsis")
        clean = printable(snippet)
        snip = Text(clean)
        if len(clean) == len(snippet):
            for s, e in spans:
                snip.stylize("reverse", s, e)
        start = max(0, min(spans[0][0] - 20, len(clean) - SNIPPET_CHARS)) if spans and len(clean) == len(snippet) else 0
        snip = snip[start : start + SNIPPET_CHARS]
        if bidi == "visual" and has_rtl(snip.plain):
            snip = visual_line(snip, lang in _RTL)
        line.append_text(snip)
        super().__init__(line)
        self.article_id, self.paragraph = article_id, paragraph
        self.plain = f"{article_id} ¶{paragraph} {lang} {clean}"


class ParagraphItem(ListItem):
    def __init__(self, article: Article, n: int, spans: tuple[tuple[int, int], ...] = (), bidi: str = "terminal") -> None:
        rtl = article.lang in _RTL
        gutter = Text(f"{n:>3} ", style="dim", justify="right" if rtl else "left")
        gutter.append_text(paragraph_text(article, n, spans))
        self.shown = for_display(gutter, rtl, bidi)
        super().__init__(Static(self.shown, markup=False))
        self.n = n


class SpeakerItem(Row):
    FIELDS = ("plain", "speaker_id")

    def __init__(self, s: SpeakerSummary, count: int | None = None, bidi: str = "terminal") -> None:
        native = next((f for lang, fs in s.names.items() if lang not in ("en",) for f in fs), "")
        parts = [(printable(s.name), "bold")]
        if native and native != s.name:
            parts.append((" " + printable(native), ""))
        parts.append((f"  {count if count is not None else s.turns}", "cyan"))
        if s.roles and not s.is_role:
            parts.append(("  " + printable(s.roles[0])[:40], "dim"))
        self.plain = "".join(p for p, _ in parts)
        super().__init__(Text.assemble(*((piece(p, bidi), st) for p, st in parts)))
        self.speaker_id = s.id


class CityItem(Row):
    FIELDS = ("plain", "city_id")

    def __init__(self, c: CitySummary, count: int | None = None, curated: dict[str, list[str]] | None = None,
                 bidi: str = "terminal") -> None:
        names = curated or {}
        natives = [printable(f) for lang in ("zh", "ar", "ru") for f in (names.get(lang) or c.names.get(lang, ()))[:1]]
        count_text = f"  {count if count is not None else c.mentions}"
        self.plain = printable(c.name) + (" " + " · ".join(natives) if natives else "") + count_text
        line = Text(printable(c.name), style="bold")
        if natives:
            line.append(" " + " · ".join(piece(f, bidi) for f in natives))
        line.append(count_text, style="cyan")
        super().__init__(line)
        self.city_id = c.id


class RowItem(ListItem):
    """One bead of an alignment: the source paragraphs left, the target right."""

    def __init__(self, left: Article, right: Article, source: tuple[int, ...], target: tuple[int, ...],
                 flags: str, spans: dict[tuple[str, int], tuple[tuple[int, int], ...]], bidi: str = "terminal") -> None:
        def side(article: Article, ns: tuple[int, ...]) -> Text:
            if not ns:
                return Text("—", style="dim")
            out = Text(justify="right" if article.lang in _RTL else "left")
            for i, n in enumerate(ns):
                if i:
                    out.append("\n")
                out.append(f"{n:>3} ", style="dim")
                out.append_text(paragraph_text(article, n, spans.get((article.id, n), ())))
            return out

        shown: list[Any] = [for_display(side(a, ns), a.lang in _RTL, bidi) for a, ns in ((left, source), (right, target))]
        if flags:  # a line of its own, never reordered with the paragraph
            shown[1] = Group(shown[1], Text("⚑ " + flags, style="bold yellow"))
        super().__init__(Horizontal(Static(shown[0], classes="left", markup=False),
                                    Static(shown[1], classes="right", markup=False), classes="row"))
        self.source, self.target, self.flags = source, target, flags


class IndexScreen(ModalScreen[None]):
    """No usable index: shown while the first one is built, when one is
    damaged or outdated (r rebuilds it), or when building fails."""

    BINDINGS = [Binding("q", "app.quit", "Quit"), Binding("r", "rebuild", "Rebuild")]

    def __init__(self, corpus: str, problem: str | None = None) -> None:
        super().__init__()
        self.corpus, self.problem = corpus, problem

    def compose(self) -> ComposeResult:
        with Vertical(id="index-modal"):
            if self.problem:
                text = (f"{printable(self.problem)}\n\nPress r to rebuild it now from\n{self.corpus}\n"
                        "(the corpus files are only read), or q to quit.")
            else:
                text = f"No index yet for\n{self.corpus}\n\nBuilding it now (as `briefing index rebuild` would)…"
            yield Static(Text(text), id="index-message", markup=False)
            bar = ProgressBar(total=None, show_eta=False, id="index-progress")
            bar.display = not self.problem
            yield bar

    def action_rebuild(self) -> None:
        if self.problem:
            self.problem = None
            self.app.rebuild_in_modal(self)  # type: ignore[attr-defined]

    def building(self) -> None:
        self.query_one(ProgressBar).display = True
        self.query_one("#index-message", Static).update(Text(f"Building the index for\n{self.corpus}…"))

    def progress(self, phase: str, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#index-message", Static).update(Text(f"Building the index for\n{self.corpus}\n\n{phase.capitalize()} {done}/{total}…"))

    def failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#index-message", Static).update(
            Text(f"Cannot build the index for\n{self.corpus}\n\n{printable(message)}\n\n"
                 "Nothing was changed. Fix the problem, then run: briefing index rebuild\nq quits.")
        )


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


KEY_HELP = [
    ("/", "focus the search bar; Escape leaves it"),
    ("a s c", "focus the Articles, Speakers, Cities panes"),
    ("r", "focus the reader"),
    ("Tab", "cycle focus"),
    ("Enter", "open the selection"),
    ("↑ ↓ j k", "move the cursor"),
    ("t", "toggle the side-by-side view"),
    ("[ ]", "previous / next language version, same aligned paragraph"),
    ("g", "go to the aligned paragraph in the other version and make it the main one"),
    ("n N", "next / previous search hit in the article"),
    ("y", "copy the paragraph with a citation (OSC 52)"),
    ("?", "this help"),
    ("q ctrl+q", "quit"),
]


class BriefingApp(App[None]):
    """Search, list and read the articles of one corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("a", "focus_articles", "Articles", id="articles"),
        Binding("s", "focus_pane('speakers')", "Speakers", id="speakers"),
        Binding("c", "focus_pane('cities')", "Cities", id="cities"),
        Binding("r", "focus_reader", "Reader", id="reader"),
        Binding("t", "toggle_side", "Side by side", id="side"),
        Binding("left_square_bracket", "version(-1)", "Prev version", show=False, id="prev-version"),
        Binding("right_square_bracket", "version(1)", "Next version", show=False, id="next-version"),
        Binding("g", "swap", "Go to version", show=False, id="swap"),
        Binding("n", "hit(1)", "Next hit", show=False, id="next-hit"),
        Binding("N", "hit(-1)", "Prev hit", show=False, id="prev-hit"),
        Binding("y", "copy", "Copy", id="copy"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("escape", "leave_search", "Leave search", show=False, id="leave-search"),
        Binding("j", "cursor('down')", "Down", show=False, id="down"),
        Binding("k", "cursor('up')", "Up", show=False, id="up"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit-ctrl"),
    ]

    def __init__(self, settings: Settings, index: Index | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.index: Index | None = self._guard(index) if index is not None else None
        self.query_text = ""
        self.shown_query = ""  # the query whose results are on screen
        self.current: Article | None = None
        self.other: Article | None = None  # the version shown beside it
        self.side_by_side = False
        self.bidi = resolve_mode(settings.bidi)  # visual | terminal
        self.hits: dict[str, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}  # article -> [(n, spans)]
        self._polling: Any = None  # the timer that picks up generations published by others (one per app)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search: words, \"phrases\", city:Shenzhen, lang:zh …  (/ to focus)", id="search")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield ListView(id="articles")
                yield ListView(id="speakers")
                yield ListView(id="cities")
            yield ListView(id="reader")
        yield Static("Opening the index…", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._watch_terminal()
        if self.index is None:
            self.open_index()
        else:
            self.post_message(Opened(self.index))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_index(self) -> None:
        try:
            index = Index(self.settings.index)
        except IndexMissing:
            screen = IndexScreen(str(self.settings.corpus))
            self.call_from_thread(self.push_screen, screen)
            built = self._build_in(screen)
            if built is not None:
                self.post_message(Opened(built))
            return
        except (IndexCorrupt, IndexOutdated) as exc:
            self.call_from_thread(self.push_screen, IndexScreen(str(self.settings.corpus), problem=str(exc)))
            self.call_from_thread(self._status, "The index cannot be used: press r to rebuild it.")
            return
        except IndexError_ as exc:
            self.call_from_thread(self._status, f"{exc}")
            return
        self.post_message(Opened(index))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def rebuild_in_modal(self, screen: IndexScreen) -> None:
        """The modal's r: rebuild a damaged or outdated index, then open it."""
        built = self._build_in(screen)
        if built is not None:
            self.post_message(Opened(built))

    def _build_in(self, screen: IndexScreen) -> Index | None:
        """Build the index under ``screen`` with a progress bar. On failure the
        modal stays, naming the problem (the corpus on disk is untouched)."""
        self.call_from_thread(screen.building)
        self.call_from_thread(self._status, f"Building the index for {self.settings.corpus}…")
        try:
            report = rebuild(self.settings.corpus, self.settings.index,
                             lambda phase, done, total: self.call_from_thread(screen.progress, phase, done, total))
            index = Index(self.settings.index)
        except (IndexError_, ConfigError, OSError) as exc:
            self.call_from_thread(screen.failed, str(exc))
            self.call_from_thread(self._status, "No index: see the message above.")
            return None
        self.call_from_thread(screen.dismiss)
        if report.skipped:
            names = ", ".join(p for p, _ in report.skipped)
            self.call_from_thread(self.notify, f"Skipped: {names}", severity="warning")
        return index

    def _watch_terminal(self) -> None:
        """Leave when the terminal goes away. A closed terminal normally ends
        the reader with SIGHUP, but a reader that does not get it (started
        under a wrapper that ignores it, or when the hangup goes elsewhere)
        would spin on its dead input at full CPU for ever."""
        if self.is_headless:
            return
        try:
            fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
            if fd < 0 or not os.isatty(fd):
                return
        except (OSError, ValueError):
            return

        def check() -> None:
            try:
                os.tcgetpgrp(fd)  # a hung-up terminal answers EIO
            except OSError:
                # As if ended by SIGHUP. Textual's own shutdown can block on the
                # dead terminal, so leave for sure a moment later: the reader
                # only reads the index, and a rebuild it started publishes
                # atomically or not at all.
                threading.Timer(2.0, os._exit, args=(129,)).start()
                self.exit(return_code=129)

        self.set_interval(1.0, check, name="terminal-watch")

    def on_opened(self, message: Opened) -> None:
        raw = getattr(message.index, "unguarded", message.index)
        if self.index is not None and getattr(self.index, "unguarded", self.index) is not raw:
            self.index.close()  # a damaged one, replaced by the rebuild
        self.index = self._guard(raw)
        self.hits = {}
        self._show_articles()
        st = self.index.status()
        self._status(f"{st.articles} articles · {st.paragraphs} paragraphs · {', '.join(st.languages)}")
        self.query_one("#articles", ListView).focus()
        if self._polling is None:
            self._polling = self.set_interval(2.0, self.poll_index, name="poll-index")
        self.warm_up()

    def _guard(self, index: Index) -> Index:
        return cast(Index, GuardedIndex(index, lambda exc: self.post_message(IndexBroken(exc))))

    def on_index_broken(self, message: IndexBroken) -> None:
        self.index_broken(message.error)

    def index_broken(self, error: Exception) -> None:
        """Show the modal that names the damage and rebuilds on r (once)."""
        if any(isinstance(s, IndexScreen) for s in self.screen_stack):
            return
        self.push_screen(IndexScreen(str(self.settings.corpus), problem=str(error)))
        self._status("The index cannot be used: press r to rebuild it.")

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def warm_up(self) -> None:
        """Load jieba's dictionary after the first paint, not on the first keystroke."""
        if self.index is not None:
            self.index.warm_up()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll_index(self) -> None:
        """Pick up an index rebuilt by another process (`briefing index rebuild`)."""
        if self.index is not None:
            try:
                changed = self.index.refresh()
            except (IndexCorrupt, IndexOutdated) as exc:
                self.post_message(IndexBroken(exc))
                return
            except IndexError_:
                return
            if changed:
                self.post_message(IndexChanged())

    def on_index_changed(self, _message: IndexChanged) -> None:
        assert self.index is not None
        self.hits = {}
        if self.query_text.strip():
            self.run_search(self.query_text)
        else:
            self._show_articles()
        if self.current is not None:
            article = self.index.article(self.current.id)
            if article is not None:
                n = self.current_paragraph() or 1
                self.current = article
                self.other = self.index.article(self.other.id) if self.other else None
                self._render_reader(min(n, len(article.paragraphs)))
        st = self.index.status()
        self.notify(f"Index updated: {st.articles} articles · {st.paragraphs} paragraphs")

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    def _show_articles(self) -> None:
        assert self.index is not None
        lv = self.query_one("#articles", ListView)
        articles = self.index.articles()
        shown = articles[:ARTICLES_SHOWN]
        lv.border_title = (f"Articles {len(articles):,}" if len(articles) <= ARTICLES_SHOWN
                           else f"Articles {len(articles):,} (first {ARTICLES_SHOWN}; search to narrow)")
        fill(lv, [ArticleItem(a, self.bidi) for a in shown])
        self.hits = {}
        self._show_entities(None)

    def _show_entities(self, paragraphs: set[tuple[str, int]] | None) -> None:
        """Fill the Speakers and Cities panes; with ``paragraphs`` (a query's
        hits), only those that occur in them, with counts."""
        assert self.index is not None
        speakers, cities = self.index.speakers(), self.index.cities()
        sp_counts: dict[str, int] = {}
        ci_counts: dict[str, int] = {}
        if paragraphs is not None:
            for aid, n in paragraphs:
                article = self.index.article(aid)
                if article is None:
                    continue
                p = article.paragraph(n)
                for sid in p.voices:
                    sp_counts[str(sid)] = sp_counts.get(str(sid), 0) + 1
                for cid in p.cities:
                    ci_counts[cid] = ci_counts.get(cid, 0) + 1
            speakers = sorted((s for s in speakers if s.id in sp_counts), key=lambda s: (s.is_role, -sp_counts[s.id]))
            cities = sorted((c for c in cities if c.id in ci_counts), key=lambda c: (c.kind != "city", -ci_counts[c.id]))
        sv, cv = self.query_one("#speakers", ListView), self.query_one("#cities", ListView)
        sv.border_title = f"Speakers {len(speakers)}"
        cv.border_title = f"Cities {len(cities)}"
        fill(sv, [SpeakerItem(s, sp_counts.get(s.id) if paragraphs is not None else None, self.bidi) for s in speakers])
        curated = {c["id"]: c.get("names", {}) for c in self.index.knowledge().get("cities", [])}
        fill(cv, [CityItem(c, ci_counts.get(c.id) if paragraphs is not None else None, curated.get(c.id), self.bidi)
                  for c in cities])

    # -- search ------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self.index is None:
            return
        if not event.value.strip():
            self.shown_query = ""
            self._show_articles()
            self._status(f"{len(self.index.articles())} articles")
            return
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        assert self.index is not None
        try:
            self.index.refresh()
            result = self.index.search(query, limit=HITS_SHOWN)
        except QueryError as exc:
            self.post_message(SearchDone(query, None, str(exc)))
            return
        except (IndexCorrupt, IndexOutdated) as exc:
            self.post_message(IndexBroken(exc))  # not stale hits under a damaged index
            return
        self.post_message(SearchDone(query, result, None))

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.query_text:
            return  # stale
        self.shown_query = message.query
        if message.error:
            self._status(f"Query error: {message.error}")
            return
        result = message.result
        assert result is not None
        lv = self.query_one("#articles", ListView)
        lv.border_title = f"Hits {result.total_text}"
        fill(lv, [HitItem(h.article, h.paragraph, h.lang, h.snippet, h.highlights, self.bidi) for h in result.hits])
        self.hits = {}  # per article, filled when an article is shown (matches_in)
        self._show_entities({(h.article, h.paragraph) for h in result.hits})
        status = f"{result.total_text} hits"
        if result.expanded:
            status += " · " + " ; ".join(result.expanded)
        for note in result.notes:  # hits hidden in boilerplate, lower-case operators, filters that exclude each other
            status += " · " + note
        self._status(status)

    # -- opening -----------------------------------------------------------
    @on(ListView.Selected, "#articles")
    def _open_selected(self, event: ListView.Selected) -> None:
        item: Any = event.item
        if isinstance(item, ArticleItem):
            self.open_article(item.article_id)
        elif isinstance(item, HitItem):
            self.open_article(item.article_id, item.paragraph)

    @on(ListView.Selected, "#speakers")
    def _speaker_selected(self, event: ListView.Selected) -> None:
        item: Any = event.item
        assert self.index is not None
        total, refs = self.index.speaker_paragraphs(item.speaker_id, limit=REFS_SHOWN)
        rows = []
        for aid, n in refs:
            article = self.index.article(aid)
            if article is not None:
                rows.append(HitItem(aid, n, article.lang, article.paragraph(n).text[:160], (), self.bidi))
        self._list_results(self._refs_title("Turns", total), rows)

    @on(ListView.Selected, "#cities")
    def _city_selected(self, event: ListView.Selected) -> None:
        item: Any = event.item
        assert self.index is not None
        total, refs = self.index.city_mentions(item.city_id, limit=REFS_SHOWN)
        rows = []
        for aid, n, s, e in refs:
            article = self.index.article(aid)
            if article is None:
                continue
            text = article.paragraph(n).text
            start = max(0, s - 30)
            kwic = ("…" if start else "") + text[start : e + 40]
            off = s - start + (1 if start else 0)
            rows.append(HitItem(aid, n, article.lang, kwic, ((off, off + e - s),), self.bidi))
        self._list_results(self._refs_title("Mentions", total), rows)

    @staticmethod
    def _refs_title(what: str, total: int) -> str:
        return f"{what} {total:,}" if total <= REFS_SHOWN else f"{what} {total:,} (first {REFS_SHOWN:,})"

    def _list_results(self, title: str, rows: list[HitItem]) -> None:
        lv = self.query_one("#articles", ListView)
        lv.border_title = title
        fill(lv, list(rows))
        lv.focus()

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
        self.query_one("#reader", ListView).focus()

    def matches(self, article_id: str) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
        """The active query's matching paragraphs in one article, with spans in
        their full text; asked of the index once per article and query."""
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
        reader = self.query_one("#reader", ListView)
        reader.clear()
        spans = self._spans()
        al = self._alignment() if self.side_by_side else None
        if al is not None and self.other is not None:
            rows = [RowItem(article, self.other, b.source, b.target, "; ".join(f.describe() for f in b.flags), spans,
                            self.bidi) for b in al.beads]
            reader.extend(rows)
            reader.index = next((i for i, r in enumerate(rows) if paragraph in r.source), 0)
            reader.border_title = f"{article.id} {article.lang} ⇄ {self.other.id} {self.other.lang}"
        else:
            reader.extend(ParagraphItem(article, p.n, spans.get((article.id, p.n), ()), self.bidi)
                          for p in article.paragraphs)
            reader.index = paragraph - 1
            reader.border_title = f"{article.id} {article.lang}"
        self._status(f"{article.id} · {article.lang} · {article.date or 'no date'} · {printable(article.title)}")

    def current_paragraph(self) -> int | None:
        """The paragraph under the reader's cursor (source side when side by side)."""
        reader = self.query_one("#reader", ListView)
        item: Any = reader.highlighted_child
        if isinstance(item, ParagraphItem):
            return item.n
        if isinstance(item, RowItem):
            if item.source:
                return item.source[0]
            al = self._alignment()
            return al.flipped().nearest(item.target[0]) if al else None
        return None

    # -- actions -----------------------------------------------------------
    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.query_one("#articles", ListView).focus()

    def action_focus_articles(self) -> None:
        self.query_one("#articles", ListView).focus()

    def action_focus_reader(self) -> None:
        self.query_one("#reader", ListView).focus()

    def action_focus_pane(self, name: str) -> None:
        self.query_one(f"#{name}", ListView).focus()

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

    def action_copy(self) -> None:
        text = self.citation()
        if text is None:
            self.notify("Nothing to copy: open an article first.")
            return
        self.copy_to_clipboard(text)
        self.notify(f"Copied ¶{self.current_paragraph()} with its citation.")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Rebuild index", "Re-read the corpus folder and rebuild the search index", self.rebuild_index)
        yield SystemCommand("Copy citation", "Copy the current paragraph with its citation (y)", self.action_copy)
        yield SystemCommand("Toggle side by side", "Show the article beside another language version (t)",
                            self.action_toggle_side)
        yield SystemCommand("Help: keys", "Every key of the reader (?)", self.action_help)
        if self.index is None:
            return
        for a in self.index.articles():
            yield SystemCommand(f"Open {a.id} · {a.lang} · {printable(a.title)[:60]}", f"Open article {a.id}",
                                partial(self.open_article, a.id))
        if self.current is not None:
            for vid in self.current.translations:
                other = self.index.article(vid)
                if other is not None:
                    yield SystemCommand(f"Switch language to {other.lang} ({other.id})",
                                        "Show this version beside the article, on the aligned paragraph",
                                        partial(self.show_version, other.id))

    def show_version(self, article_id: str) -> None:
        if self.index is None or self.current is None:
            return
        self.other = self.index.article(article_id)
        self.side_by_side = True
        self._render_reader(self.current_paragraph() or 1)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def rebuild_index(self) -> None:
        self.call_from_thread(self._status, f"Rebuilding the index for {self.settings.corpus}…")
        try:
            report = rebuild(self.settings.corpus, self.settings.index)
        except (IndexError_, ConfigError, OSError) as exc:
            self.call_from_thread(self.notify, f"Rebuild failed; the previous index is untouched: {exc}",
                                  severity="error", timeout=10)
            return
        self.call_from_thread(self._status, f"Rebuilt: {report.articles} articles in {report.seconds:.2f}s")
        self.call_from_thread(self.poll_index)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(KEY_HELP))

    def action_cursor(self, direction: str) -> None:
        focused = self.focused
        if isinstance(focused, ListView):
            focused.action_cursor_down() if direction == "down" else focused.action_cursor_up()


def create_app(settings: Settings, index: Index | None = None) -> BriefingApp:
    """The one app factory, shared by the CLI and the tests."""
    return BriefingApp(settings, index)


def run_app(settings: Settings) -> None:
    create_app(settings).run()
