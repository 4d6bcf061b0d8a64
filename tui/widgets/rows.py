"""The rows of the reader's lists: articles, hits, speakers, cities, the
paragraphs of one article and the beads of two side by side.

Corpus text is data: every row shows it through :func:`printable` as inert
rich ``Text`` (never markup), and Arabic through :mod:`tui.bidi`.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Label, ListItem, ListView, Static

from corpus import Article, ArticleInfo, Kind
from corpus.aggregate import CitySummary, SpeakerSummary
from corpus.text import printable

from ..bidi import for_display, has_rtl, piece, visual_line

RTL = {"ar", "fa", "he", "ur"}
SNIPPET_CHARS = 110  # a hit line shows about this much of its snippet
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


class Row(ListItem):
    """One line of a list whose content another row of the same kind can
    replace in place (:func:`fill`): updating a label costs far less than
    unmounting a widget and mounting, styling and laying out a new one."""

    FIELDS: tuple[str, ...] = ("plain",)  # what a row is, besides its line

    def __init__(self, line: Text) -> None:
        # Kept, not queried: a row added a moment ago may not have mounted
        # its label yet when the next list replaces its line.
        self._label = Label(line, markup=False)
        super().__init__(self._label)
        self.line = line

    def take(self, other: Row) -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(other, name))
        if other.line != self.line:
            self.line = other.line
            # One line whatever the text (app.tcss): nothing to lay out again.
            self._label.update(other.line, layout=False)


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
    for cur, new in zip(old[:same], rows[:same], strict=True):
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
        line = Text(f"{article.date or '          '} {article.lang} {marker} ")
        self.plain = line.plain + printable(article.title)
        line.append(piece(printable(article.title), bidi))
        super().__init__(line)
        self.article_id = article.id


class HitItem(Row):
    """One hit on one line: where it is, then the snippet around the first
    match (cut to what a line can show; Enter opens the whole paragraph)."""

    FIELDS = ("plain", "article_id", "paragraph")

    def __init__(self, article_id: str, paragraph: int, lang: str, snippet: str, spans: tuple[tuple[int, int], ...],
                 bidi: str = "terminal", date: str | None = None) -> None:
        where = f"{article_id} ¶{paragraph} {lang} "
        line = Text(f"{date} {where}" if date else where, style="bold", no_wrap=True, overflow="ellipsis")
        clean = printable(snippet)
        snip = Text(clean)
        if len(clean) == len(snippet):
            for s, e in spans:
                snip.stylize("reverse", s, e)
        start = max(0, min(spans[0][0] - 20, len(clean) - SNIPPET_CHARS)) if spans and len(clean) == len(snippet) else 0
        snip = snip[start : start + SNIPPET_CHARS]
        if bidi == "visual" and has_rtl(snip.plain):
            snip = visual_line(snip, lang in RTL)
        line.append_text(snip)
        super().__init__(line)
        self.article_id, self.paragraph = article_id, paragraph
        self.plain = (f"{date} " if date else "") + f"{article_id} ¶{paragraph} {lang} {clean}"


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

