"""The Briefing screen: the clips of the current briefing, to reorder,
delete, annotate, export and jump back from."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, ListItem, ListView, Static

from corpus.text import printable

from .. import briefings
from ..bidi import piece
from ..briefings import Briefing, Clip
from .note import NoteScreen


def clip_line(i: int, clip: Clip, state: str, bidi: str) -> Text:
    line = Text(f"{i:>2}. ", style="bold")
    line.append(f"{clip.date or 'no date'} {clip.lang} {clip.article} ¶{clip.paragraph} ", style="bold")
    line.append(piece(printable(clip.title)[:60], bidi))
    if state:
        line.append(f"  ⚠ {state}", style="bold red")
    langs = " · ".join(f"{v.lang} ¶{','.join(map(str, v.paragraphs)) or '—'}" for v in clip.versions)
    line.append(f"\n    {piece(printable(clip.text)[:100], bidi)}", style="")
    if langs:
        line.append(f"\n    with {langs}", style="cyan")
    if clip.note:
        line.append(f"\n    ✎ {printable(clip.note)}", style="italic")
    return line


class ClipItem(ListItem):
    def __init__(self, i: int, clip: Clip, state: str, bidi: str) -> None:
        self.shown = clip_line(i, clip, state, bidi)
        super().__init__(Static(self.shown, markup=False))
        self.clip = clip


class BriefingScreen(Screen[tuple[str, int] | None]):
    """Dismissed with (article, paragraph) to jump back to a clip's source."""

    BINDINGS = [
        Binding("escape,B,q", "close", "Close"),
        Binding("enter", "jump", "Go to source"),
        Binding("e", "note", "Edit note"),
        Binding("K,ctrl+up", "move(-1)", "Move up"),
        Binding("J,ctrl+down", "move(1)", "Move down"),
        Binding("x,delete", "delete", "Delete"),
        Binding("u", "undo", "Undo delete"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    def __init__(self, briefing: Briefing, state: Any, bidi: str) -> None:
        super().__init__()
        self.briefing, self.state, self.bidi = briefing, state, bidi
        self.deleted: list[tuple[int, Clip]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="briefing"):
            yield Static(id="briefing-title", markup=False)
            yield ListView(id="clips")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_clips(0)
        self.query_one("#clips", ListView).focus()

    def refresh_clips(self, at: int) -> None:
        b = self.briefing
        states = [self.state(c) for c in b.clips]
        title = Text(f"Briefing {b.name}: {len(b.clips)} {'clip' if len(b.clips) == 1 else 'clips'}", style="bold")
        changed = sum(1 for s in states if s)
        if changed:
            title.append(f" · {changed} changed or gone since clipped", style="red")
        title.append(f"   {b.path}", style="dim")
        if not b.clips:
            title.append("\nNo clips yet: in the reader, b clips the paragraph under the cursor.", style="")
        self.query_one("#briefing-title", Static).update(title)
        lv = self.query_one("#clips", ListView)
        lv.clear()
        lv.extend(ClipItem(i, c, s, self.bidi) for i, (c, s) in enumerate(zip(b.clips, states, strict=True), 1))
        lv.index = min(at, len(b.clips) - 1) if b.clips else None

    def _at(self) -> int | None:
        return self.query_one("#clips", ListView).index

    def _save(self, briefing: Briefing, at: int) -> None:
        try:
            briefings.save(briefing)
        except OSError as exc:
            self.notify(f"Cannot save {briefing.path}: {exc}; nothing changed", severity="error")
            return
        self.briefing = briefing
        self.refresh_clips(at)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        self.action_jump()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_jump(self) -> None:
        i = self._at()
        if i is not None:
            c = self.briefing.clips[i]
            self.dismiss((c.article, c.paragraph))

    def action_move(self, step: int) -> None:
        i = self._at()
        if i is not None and 0 <= i + step < len(self.briefing.clips):
            self._save(self.briefing.move(i, step), i + step)

    def action_delete(self) -> None:
        i = self._at()
        if i is None:
            return
        self.deleted.append((i, self.briefing.clips[i]))
        self._save(self.briefing.remove(i), i)
        self.notify(f"Deleted clip {i + 1}; u brings it back.")

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.")
            return
        i, clip = self.deleted.pop()
        clips = list(self.briefing.clips)
        clips.insert(i, clip)
        self._save(Briefing(self.briefing.name, tuple(clips)), i)

    def action_note(self) -> None:
        i = self._at()
        if i is None:
            return
        c = self.briefing.clips[i]

        def done(note: str | None) -> None:
            if note is not None:
                self._save(self.briefing.with_note(i, note), i)

        self.app.push_screen(NoteScreen(f"Note for clip {i + 1} ({c.article} ¶{c.paragraph}):", c.note), done)

    def action_cursor(self, direction: str) -> None:
        lv = self.query_one("#clips", ListView)
        lv.action_cursor_down() if direction == "down" else lv.action_cursor_up()
