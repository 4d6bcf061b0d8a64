"""The reader: a Textual app over the index API.

Layout: a search bar on top, the article list (or, while a query is active,
the ranked hits) on the left, the reader on the right, a status line and the
footer. The index is opened (and built on first run) in a worker, so the
first paint never waits for it; searches run in an exclusive thread worker
and stale results are dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Input, Label, ListItem, ListView, Static

from corpus import Article, Kind
from corpus.text import printable
from index import Index, IndexError_, IndexMissing, QueryError, SearchResult, rebuild

if TYPE_CHECKING:
    from .cli import Settings

_RTL = {"ar", "fa", "he", "ur"}
_DIM = {Kind.META, Kind.BOILERPLATE}


class Opened(Message):
    """The index is open (posted from the loading worker)."""

    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index


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


class ArticleItem(ListItem):
    def __init__(self, article: Article) -> None:
        marker = "⇄" if article.translations else " "
        line = Text(f"{marker} {article.lang} {article.date or '          '} ")
        line.append(printable(article.title))
        super().__init__(Label(line, markup=False))
        self.article_id = article.id


class HitItem(ListItem):
    def __init__(self, article_id: str, paragraph: int, lang: str, snippet: str, spans: tuple[tuple[int, int], ...]) -> None:
        line = Text(f"{article_id} ¶{paragraph} {lang} ", style="bold")
        snip = Text(printable(snippet), style="")
        if len(printable(snippet)) == len(snippet):
            for s, e in spans:
                snip.stylize("reverse", s, e)
        line.append_text(snip)
        super().__init__(Static(line, markup=False))
        self.article_id, self.paragraph, self.spans = article_id, paragraph, spans


class ParagraphItem(ListItem):
    def __init__(self, article: Article, n: int, spans: tuple[tuple[int, int], ...] = ()) -> None:
        gutter = Text(f"{n:>3} ", style="dim")
        gutter.append_text(paragraph_text(article, n, spans))
        super().__init__(Static(gutter, markup=False))
        self.n = n


class BriefingApp(App[None]):
    """Search, list and read the articles of one corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("a", "focus_articles", "Articles", id="articles"),
        Binding("r", "focus_reader", "Reader", id="reader"),
        Binding("escape", "leave_search", "Leave search", show=False, id="leave-search"),
        Binding("j", "cursor('down')", "Down", show=False, id="down"),
        Binding("k", "cursor('up')", "Up", show=False, id="up"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="quit-ctrl"),
    ]

    def __init__(self, settings: Settings, index: Index | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.index: Index | None = index
        self.query_text = ""
        self.current: Article | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search: words, \"phrases\", city:Shenzhen, lang:zh …  (/ to focus)", id="search")
        with Horizontal(id="main"):
            yield ListView(id="articles")
            yield ListView(id="reader")
        yield Static("Opening the index…", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.index is None:
            self.open_index()
        else:
            self.post_message(Opened(self.index))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_index(self) -> None:
        try:
            index = Index(self.settings.index)
        except IndexMissing:
            self.call_from_thread(self._status, f"Building the index for {self.settings.corpus} (first run)…")
            report = rebuild(self.settings.corpus, self.settings.index,
                             lambda phase, done, total: self.call_from_thread(self._status, f"Building the index: {phase} {done}/{total}"))
            index = Index(self.settings.index)
            if report.skipped:
                names = ", ".join(p for p, _ in report.skipped)
                self.call_from_thread(self.notify, f"Skipped: {names}", severity="warning")
        except IndexError_ as exc:
            self.call_from_thread(self._status, f"{exc}")
            return
        self.post_message(Opened(index))

    def on_opened(self, message: Opened) -> None:
        self.index = message.index
        self._show_articles()
        st = self.index.status()
        self._status(f"{st.articles} articles · {st.paragraphs} paragraphs · {', '.join(st.languages)}")
        self.query_one("#articles", ListView).focus()

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    def _show_articles(self) -> None:
        assert self.index is not None
        lv = self.query_one("#articles", ListView)
        lv.clear()
        lv.extend(ArticleItem(a) for a in self.index.articles())
        lv.index = 0

    # -- search ------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self.index is None:
            return
        if not event.value.strip():
            self._show_articles()
            self._status(f"{len(self.index.articles())} articles")
            return
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        assert self.index is not None
        try:
            self.index.refresh()
            result = self.index.search(query, limit=100)
        except QueryError as exc:
            self.post_message(SearchDone(query, None, str(exc)))
            return
        self.post_message(SearchDone(query, result, None))

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.query_text:
            return  # stale
        if message.error:
            self._status(f"Query error: {message.error}")
            return
        result = message.result
        assert result is not None
        lv = self.query_one("#articles", ListView)
        lv.clear()
        lv.extend(HitItem(h.article, h.paragraph, h.lang, h.snippet, h.highlights) for h in result.hits)
        lv.index = 0 if result.hits else None
        status = f"{result.total} hits"
        if result.expanded:
            status += " · " + " ; ".join(result.expanded)
        self._status(status)

    # -- opening -----------------------------------------------------------
    @on(ListView.Selected, "#articles")
    def _open_selected(self, event: ListView.Selected) -> None:
        item: Any = event.item
        if isinstance(item, ArticleItem):
            self.open_article(item.article_id)
        elif isinstance(item, HitItem):
            self.open_article(item.article_id, item.paragraph, item.spans)

    def open_article(self, article_id: str, paragraph: int = 1, spans: tuple[tuple[int, int], ...] = ()) -> None:
        assert self.index is not None
        article = self.index.article(article_id)
        if article is None:
            self.notify(f"No article {article_id}", severity="error")
            return
        self.current = article
        reader = self.query_one("#reader", ListView)
        reader.clear()
        reader.extend(ParagraphItem(article, p.n, spans if p.n == paragraph else ()) for p in article.paragraphs)
        reader.index = paragraph - 1
        reader.focus()
        self._status(f"{article.id} · {article.lang} · {article.date or 'no date'} · {printable(article.title)}")

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

    def action_cursor(self, direction: str) -> None:
        focused = self.focused
        if isinstance(focused, ListView):
            focused.action_cursor_down() if direction == "down" else focused.action_cursor_up()


def create_app(settings: Settings, index: Index | None = None) -> BriefingApp:
    """The one app factory, shared by the CLI and the tests."""
    return BriefingApp(settings, index)


def run_app(settings: Settings) -> None:
    create_app(settings).run()
