"""The reader's first screen: what the corpus holds, before anything is opened."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.widgets import ListItem, Static

from corpus import ArticleInfo
from corpus.aggregate import CitySummary, SpeakerSummary
from corpus.text import printable
from corpus.versions import VersionGroup
from index import Census

from ..bidi import piece

TOP = 5  # speakers, cities and version groups named
START_KEYS = [
    ("/", "search (words, \"phrases\", lang:zh, city:Shenzhen, date:2020-05)"),
    ("Enter", "open the article or hit under the cursor"),
    ("t  [ ]", "side by side; previous / next language version"),
    ("b  B", "clip the paragraph to the briefing; show the briefing"),
    ("ctrl+p", "commands: watches, export, rebuild …"),
    ("?", "every key"),
]


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def groups(versions: Iterable[VersionGroup], info: Callable[[str], ArticleInfo | None]
           ) -> list[tuple[ArticleInfo, ...]]:
    """Version groups (an article and its versions), largest first, then by id."""
    out = [tuple(m for m in map(info, g.ids) if m is not None) for g in versions]
    return sorted((g for g in out if g), key=lambda g: (-len(g), g[0].id))


def overview(census: Census, versions: Iterable[VersionGroup], info: Callable[[str], ArticleInfo | None],
             paragraphs: int, speakers: list[SpeakerSummary], cities: list[CitySummary], bidi: str) -> Text:
    text = Text()
    text.append("Overview\n\n", style="bold")
    text.append(f"{census.articles:,} articles · {paragraphs:,} paragraphs\n")
    langs = census.languages
    text.append("  " + " · ".join(f"{lang} {n:,}" for lang, n in langs) + "\n" if langs else "")
    if census.first is not None:
        undated = census.undated
        text.append(f"Dates: {census.first} … {census.last}" + (f" ({undated:,} undated)" if undated else "") + "\n")
    else:
        text.append("Dates: none found\n")
    people = sorted((s for s in speakers if not s.is_role), key=lambda s: (-s.turns, s.name))[:TOP]
    if people:
        text.append("\nTop speakers\n", style="bold")
        for s in people:
            text.append(f"  {piece(printable(s.name), bidi)}", style="cyan")
            text.append(f"  {_n(s.turns, 'turn')} · {_n(s.n_articles, 'article')}\n", style="dim")
    places = sorted((c for c in cities if c.kind == "city"), key=lambda c: (-c.mentions, c.name))[:TOP]
    if places:
        text.append("\nTop cities\n", style="bold")
        for c in places:
            text.append(f"  {printable(c.name)}", style="cyan")
            text.append(f"  {_n(c.mentions, 'mention')} · {_n(c.n_articles, 'article')}\n", style="dim")
    found = groups(versions, info)
    text.append(f"\nVersion groups: {len(found):,}\n", style="bold")
    for g in found[:TOP]:
        text.append("  " + " ⇄ ".join(f"{a.id} {a.lang}" for a in g))
        text.append(f"  {piece(printable(g[0].title)[:50], bidi)}\n", style="dim")
    if len(found) > TOP:
        text.append(f"  … and {len(found) - TOP:,} more\n", style="dim")
    text.append("\nStart with\n", style="bold")
    for key, what in START_KEYS:
        text.append(f"  {key:>8}  ", style="bold cyan")
        text.append(what + "\n")
    return text


class OverviewItem(ListItem):
    """The overview, as the reader pane's one row until an article is opened."""

    def __init__(self, text: Text) -> None:
        super().__init__(Static(text, markup=False, id="overview"))
        self.shown = text
