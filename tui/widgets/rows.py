"""The rows of the reader's lists: articles, hits, speakers, cities, the
paragraphs of one article and the beads of two side by side.

Corpus text is data: every row shows it through :func:`printable` as inert
rich ``Text`` (never markup), and Arabic through :mod:`tui.bidi`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from rich.cells import get_character_cell_size
from rich.console import Group
from rich.text import Text
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ListItem, OptionList, Static
from textual.widgets.option_list import Option

from corpus import Article, ArticleInfo, Kind
from corpus.aggregate import CitySummary, SpeakerSummary
from corpus.text import printable

from ..bidi import for_display, has_rtl, piece, visual_line

RTL = {"ar", "fa", "he", "ur"}
SNIPPET_CHARS = 110  # a hit line shows about this much of its snippet when its width is not known
CONTEXT_CELLS = 20  # at most this many cells of a snippet before its first match (and a third of the row)
_DIM = {Kind.META, Kind.BOILERPLATE}


def paragraph_text(article: Article, n: int, spans: tuple[tuple[int, int], ...] = ()) -> Text:
    """One paragraph as inert rich Text: label styled, cities underlined, hits reversed."""
    p = article.paragraph(n)
    body = printable(p.text)
    text = Text(body, justify="right" if article.lang in RTL else "left", no_wrap=False)
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


class Line(NamedTuple):
    """What one row of a list shows and stands for: the search worker makes
    its hits' lines off the event loop, and :func:`fill` shows them."""

    kind: type[Row]
    text: Content  # made from rich Text where the line is made: in the worker, not on the event loop
    fields: tuple[tuple[str, Any], ...]  # the row's attributes: plain, article_id…

    @classmethod
    def of(cls, kind: type[Row], text: Text, fields: tuple[tuple[str, Any], ...]) -> Line:
        return cls(kind, Content.from_rich_text(text), fields)


class Row(Option):
    """One line of a list of one-line rows (the articles, the hits, the
    speakers and the places): an option of an :class:`OptionList`, drawn as
    a line of the list, not a widget of its own. A widget per row cost a
    new layout of the screen whenever a list grew or shrank, which was most
    of the reader's time from a keystroke to its results."""

    plain = ""  # the row as text (what tests and the export read)

    def __init__(self, line: Line) -> None:
        super().__init__(line.text)  # one line, cut at the pane's edge with "…" (app.tcss)
        for name, value in line.fields:
            setattr(self, name, value)


def fill(pane: OptionList, lines: Sequence[Line], cursor: int = 0) -> None:
    """Show ``lines`` in ``pane``, the cursor on row ``cursor``."""
    pane.set_options([line.kind(line) for line in lines])
    pane.highlighted = min(cursor, len(lines) - 1) if lines else None


class ArticleItem(Row):
    article_id = ""

    @classmethod
    def of(cls, article: ArticleInfo, bidi: str = "terminal") -> Line:
        marker = "⇄" if article.translations else " "
        text = Text(f"{article.date or '          '} {article.lang} {marker} ")
        plain = text.plain + printable(article.title)
        text.append(piece(printable(article.title), bidi))
        return Line.of(cls, text, (("plain", plain), ("article_id", article.id)))


def window(text: str, at: int, room: int) -> tuple[int, int]:
    """The part ``[start, end)`` of ``text`` that a row shows in ``room``
    cells, with a cell for "…" at either end where the text goes on: from its
    start when the first match (at ``at``) is in the row's first half, else
    from a word or so before the match. Cut here, in logical order and before
    any reordering, a right-to-left line drawn in visual order keeps its
    start, and its match, at the row's right, where the reader's eye begins."""
    size = get_character_cell_size
    start = 0
    if sum(map(size, text[:at])) > room // 2:
        start, used, lead = at, 0, min(CONTEXT_CELLS, room // 3) - 1  # a cell for the leading "…"
        while start > 0 and used + size(text[start - 1]) <= lead:
            start -= 1
            used += size(text[start])
        space = text.find(" ", start, at)
        if space != -1:  # begin at a word, not inside one
            start = space + 1
    used = 1 if start else 0
    end = start
    while end < len(text) and used + size(text[end]) <= room - (end < len(text) - 1):
        used += size(text[end])
        end += 1
    while end == len(text) and start > 0:  # the end shown: fill the row from before
        grow = size(text[start - 1]) - (start == 1)  # at the text's start, no "…" before it
        if used + grow > room:
            break
        start -= 1
        used += grow
    return start, end


class HitItem(Row):
    """One hit on one line: where it is, then the snippet around the first
    match, cut to the row's width (Enter opens the whole paragraph)."""

    article_id = ""
    paragraph = 0

    @classmethod
    def of(cls, article_id: str, paragraph: int, lang: str, snippet: str, spans: tuple[tuple[int, int], ...],
           bidi: str = "terminal", date: str | None = None, width: int | None = None) -> Line:
        """``date``: a label before the place (the article's date when hits
        are by date, a meaning hit's similarity). ``width``: the row's cells
        (the pane's inner width; without it, about ``SNIPPET_CHARS``)."""
        where = f"{article_id} ¶{paragraph} {lang} "
        prefix = f"{date} {where}" if date else where
        text = Text(prefix, style="bold", no_wrap=True, overflow="ellipsis")
        clean = printable(snippet)
        if len(clean) != len(snippet):  # offsets no longer valid after sanitising
            spans = ()
        room = SNIPPET_CHARS if width is None else max(8, width - text.cell_len)
        start, end = window(clean, spans[0][0] if spans else 0, room)
        lead = "…" if start else ""
        snip = Text(lead + clean[start:end] + ("…" if end < len(clean) else ""))
        for s, e in spans:
            if s < end and e > start:
                snip.stylize("reverse", max(s, start) - start + len(lead), min(e, end) - start + len(lead))
        if bidi == "visual" and has_rtl(snip.plain):
            snip = visual_line(snip, lang in RTL)
        text.append_text(snip)
        return Line.of(cls, text, (("plain", prefix + clean), ("article_id", article_id), ("paragraph", paragraph)))


class ParagraphItem(ListItem):
    def __init__(
        self, article: Article, n: int, spans: tuple[tuple[int, int], ...] = (), bidi: str = "terminal"
    ) -> None:
        rtl = article.lang in RTL
        gutter = Text(f"{n:>3} ", style="dim", justify="right" if rtl else "left")
        gutter.append_text(paragraph_text(article, n, spans))
        self.shown = for_display(gutter, rtl, bidi)
        super().__init__(Static(self.shown, markup=False))
        self.n = n


class SpeakerItem(Row):
    speaker_id = ""

    @classmethod
    def of(cls, s: SpeakerSummary, count: int | None = None, bidi: str = "terminal") -> Line:
        native = next((f for lang, fs in s.names.items() if lang not in ("en",) for f in fs), "")
        parts = [(printable(s.name), "bold")]
        if native and native != s.name:
            parts.append((" " + printable(native), ""))
        parts.append((f"  {count if count is not None else s.turns}", "cyan"))
        if s.roles and not s.is_role:
            parts.append(("  " + printable(s.roles[0])[:40], "dim"))
        return Line.of(cls, Text.assemble(*((piece(p, bidi), st) for p, st in parts)),
                    (("plain", "".join(p for p, _ in parts)), ("speaker_id", s.id)))


class CityItem(Row):
    city_id = ""
    count = 0  # mentions shown: in the corpus, or in the query's hits

    @classmethod
    def of(cls, c: CitySummary, count: int | None = None, curated: dict[str, list[str]] | None = None,
           bidi: str = "terminal") -> Line:
        names = curated or {}
        natives = [printable(f) for lang in ("zh", "ar", "ru") for f in (names.get(lang) or c.names.get(lang, ()))[:1]]
        count_text = f"  {count if count is not None else c.mentions}"
        # Where it is: its country (cities and regions), or that it is one.
        where = "country" if c.kind == "country" else " ".join(x for x in (c.country, "region" * (c.kind == "region"))
                                                               if x)
        plain = printable(c.name) + (f" {where}" if where else "") + (" " + " · ".join(natives) if natives else "") \
            + count_text
        text = Text(printable(c.name), style="bold")
        if where:
            text.append(f" {where}", style="dim")
        if natives:
            text.append(" " + " · ".join(piece(f, bidi) for f in natives))
        text.append(count_text, style="cyan")
        shown = count if count is not None else c.mentions
        return Line.of(cls, text, (("plain", plain), ("city_id", c.id), ("count", shown)))


class RowItem(ListItem):
    """One bead of an alignment: the source paragraphs left, the target right."""

    def __init__(self, left: Article, right: Article, source: tuple[int, ...], target: tuple[int, ...],
                 flags: str, spans: dict[tuple[str, int], tuple[tuple[int, int], ...]], bidi: str = "terminal") -> None:
        def side(article: Article, ns: tuple[int, ...]) -> Text:
            if not ns:
                return Text("—", style="dim")
            out = Text(justify="right" if article.lang in RTL else "left")
            for i, n in enumerate(ns):
                if i:
                    out.append("\n")
                out.append(f"{n:>3} ", style="dim")
                out.append_text(paragraph_text(article, n, spans.get((article.id, n), ())))
            return out

        shown: list[Any] = [
            for_display(side(a, ns), a.lang in RTL, bidi) for a, ns in ((left, source), (right, target))
        ]
        if flags:  # a line of its own, never reordered with the paragraph
            shown[1] = Group(shown[1], Text("⚑ " + flags, style="bold yellow"))
        super().__init__(Horizontal(Static(shown[0], classes="left", markup=False),
                                    Static(shown[1], classes="right", markup=False), classes="row"))
        self.source, self.target, self.flags = source, target, flags

