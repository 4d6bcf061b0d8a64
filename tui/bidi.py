"""Arabic (and other right-to-left) text for terminals that do not reorder it.

Most terminals draw characters in the order they receive them, so Arabic
arrives reversed. In ``visual`` mode the reader wraps each paragraph to the
width it is given, then reorders every line with the Unicode Bidirectional
Algorithm (python-bidi), keeping each character's style (labels, city
underlines, search hits). This is display only: search, copy and storage keep
logical order. ``terminal`` mode sends logical order for terminals that
reorder by themselves (mlterm, Konsole, …). ``auto`` picks ``terminal`` for
those it recognises and ``visual`` otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping

from bidi import algorithm as uba
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from .config import MODES  # noqa: E402,F401 - one list of modes, for the CLI and the config file

_RTL_CHAR = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def resolve_mode(mode: str, env: Mapping[str, str] | None = None) -> str:
    """``visual`` or ``terminal`` for a configured mode."""
    if mode != "auto":
        return mode
    env = os.environ if env is None else env
    if env.get("MLTERM") or env.get("KONSOLE_VERSION") or env.get("TERM", "").startswith("mlterm"):
        return "terminal"
    return "visual"


def has_rtl(text: str) -> bool:
    return bool(_RTL_CHAR.search(text))


def visual_order(line: str, rtl: bool) -> list[tuple[int, str]]:
    """``(logical index, character)`` in display order, mirrored where the
    algorithm says so (brackets in right-to-left runs)."""
    if not line:
        return []
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(line, storage, False, False)
    for i, ch in enumerate(storage["chars"]):
        ch["i"] = i
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(ch["i"], ch["ch"]) for ch in storage["chars"]]


def _styles(line: Text) -> list[Style | str]:
    per: list[Style | str] = [line.style] * len(line.plain)
    for span in line.spans:
        for i in range(max(0, span.start), min(len(per), span.end)):
            base = per[i]
            per[i] = Style.combine([Style.parse(base) if isinstance(base, str) else base,
                                    Style.parse(span.style) if isinstance(span.style, str) else span.style])
    return per


def visual_line(line: Text, rtl: bool) -> Text:
    """One wrapped line, reordered for display, each character keeping its style."""
    plain = line.plain.rstrip()
    styles = _styles(line)
    out = Text(justify="right" if rtl else "left", no_wrap=True, end="")
    run, run_style = "", None
    for i, ch in visual_order(plain, rtl):
        if run and styles[i] != run_style:
            out.append(run, run_style)
            run = ""
        run, run_style = run + ch, styles[i]
    if run:
        out.append(run, run_style)
    return out


class VisualBidi:
    """A renderable: ``text`` wrapped to the available width, then each line
    reordered. Re-wraps on every render, so resizing stays correct."""

    def __init__(self, text: Text, rtl: bool) -> None:
        self.text = text
        self.rtl = rtl

    def _lines(self, console: Console, width: int) -> list[Text]:
        return [
            visual_line(line, self.rtl)
            for line in self.text.wrap(console, max(1, width), justify="left", overflow="fold")
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self._lines(console, options.max_width)
        for i, line in enumerate(lines):
            yield line
            if i < len(lines) - 1:
                yield Text("\n", end="")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def lines(self, console: Console, width: int) -> Iterator[str]:
        """The display lines as plain strings (for tests and diagnostics)."""
        return (line.plain for line in self._lines(console, width))


def piece(text: str, mode: str) -> str:
    """A short run such as a name in a list line, in display order for ``mode``.
    Reordered on its own, so a count or role beside it stays where it is."""
    if mode != "visual" or not has_rtl(text):
        return text
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    rtl = uba.get_base_level(core) == 1
    return lead + "".join(ch for _, ch in visual_order(core, rtl)) + trail


def for_display(text: Text, rtl: bool, mode: str) -> Text | VisualBidi:
    """``text`` as it should be handed to the terminal in ``mode``."""
    if mode == "visual" and has_rtl(text.plain):
        return VisualBidi(text, rtl)
    return text
