"""The picture at the top of the README, drawn by the reader itself:
``python -m tui.screenshot docs/reader.svg`` (``make screenshot``).

It indexes the bundled corpus in a temporary folder, opens the reader at
120×36, opens the newest article, puts its Arabic version beside it and
moves five paragraphs down, then saves Textual's own SVG of the screen."""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from corpus import BUNDLED_DIR

SIZE = (120, 36)
_TEXT = re.compile(r'(<text [^>]*textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')
KEYS = ("enter", "t", *"jjjjj")


async def shoot(out: Path, index_dir: Path) -> None:
    from .app import create_app
    from .config import Settings
    from .widgets.panes import ArticlesPane
    from .widgets.rows import RowItem

    app = create_app(Settings(BUNDLED_DIR, index_dir, "terminal"))  # the browser orders Arabic itself
    async with app.run_test(size=SIZE) as pilot:
        async def until(done: Callable[[], bool]) -> None:
            for _ in range(600):
                await pilot.pause(0.05)
                if done():
                    await pilot.pause(0.3)
                    return
            raise SystemExit("briefing: the reader never reached the state to picture")

        await until(lambda: len(app.main.query_one(ArticlesPane).rows()) == 5)
        await pilot.press(*KEYS)
        await until(lambda: len(app.query(RowItem)) > 0 and app.main.current_paragraph() == 6)
        out.write_text(wide_characters(app.export_screenshot()), encoding="utf-8")


def wide_characters(svg: str) -> str:
    """Rich's SVG gives each run of text ``len(text)`` cells, so a Chinese
    line is squeezed into half its width (Textualize/rich#2742, open): give
    each run its terminal width instead."""
    from rich.cells import cell_len

    def fix(m: re.Match[str]) -> str:
        text = html.unescape(m.group(4)).replace("\xa0", " ")
        if not text:
            return m.group(0)
        width = float(m.group(2)) / len(text) * cell_len(text)
        return f"{m.group(1)}{width:g}{m.group(3)}{m.group(4)}{m.group(5)}"

    return _TEXT.sub(fix, svg)


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m tui.screenshot OUT.svg")
    out = Path(argv[0]).resolve()
    from index import rebuild

    with tempfile.TemporaryDirectory() as tmp:
        rebuild(BUNDLED_DIR, Path(tmp) / "index")
        asyncio.run(shoot(out, Path(tmp) / "index"))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
