"""Output for every command: the safe console, tables, JSON, pipe manners.

- Everything printed goes through :class:`SafeConsole` or :func:`emit_json`:
  control and escape characters from corpus text, file names, ids or
  arguments never reach the terminal (JSON escapes them as ``\\u`` codes).
- On a terminal, tables wrap their text to the width and keep ids whole;
  piped, they are tab-separated rows of full lines (a header row first), so
  ``grep``, ``cut`` and ``sort`` see every character.
- A closed pipe (``| head``) ends the command quietly with status 0; a
  locale that cannot show a character gets a replacement, never a crash.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3

class PipeClosed(Exception):
    """The reader of stdout has gone (``| head``). Not an OSError: click
    turns a broken pipe into exit status 1, and this is no failure."""


def write(text: str) -> None:
    """Write to stdout, as every command's plain output does."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise PipeClosed from None

@lru_cache(maxsize=1)
def _safe_console_class() -> type[Console]:
    from rich.console import Console
    from rich.segment import Segment

    from corpus.text import printable

    class SafeConsole(Console):
        """A rich Console whose every text segment is made printable as it
        is written: whatever a table or message carries (a file name, an
        id, an argument), no escape sequence reaches the terminal."""

        def on_broken_pipe(self) -> None:
            # rich's own handler exits with 1: a reader that stopped early (| head) is no failure
            raise PipeClosed

        def _render_buffer(self, buffer: Any) -> str:
            return str(super()._render_buffer(
                seg if seg.control else Segment(printable(seg.text), seg.style, None) for seg in buffer
            ))

    return SafeConsole


@lru_cache(maxsize=1)
def consoles() -> tuple[Console, Console]:
    """(stdout, stderr). Piped output is never wrapped to a guessed width."""
    cls = _safe_console_class()
    out = cls(highlight=False, markup=False, emoji=False)
    out.soft_wrap = not out.is_terminal
    err = cls(stderr=True, soft_wrap=True, highlight=False, markup=False, emoji=False)
    return out, err


def print_line(text: str) -> None:
    """One line on stdout, as given (made printable)."""
    from rich.text import Text

    consoles()[0].print(Text(text))


def say(message: str) -> None:
    """One line on stderr, as given (made printable)."""
    from rich.text import Text

    consoles()[1].print(Text(message))


def fail(message: str, code: int = EXIT_FAIL) -> NoReturn:
    say("briefing: " + message)
    sys.exit(code)


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def emit_json(data: Any) -> None:
    """One JSON document on a line. Strings are kept whole; characters that
    a terminal would act on (C1 controls, bidi overrides; C0 are escaped by
    JSON itself) are written as \\u escapes, which decode to the same text.
    On a stdout that cannot encode UTF-8, all of it is ASCII escapes."""
    ascii_only = not utf8(sys.stdout)
    text = json.dumps(data, ensure_ascii=ascii_only)
    write((text if ascii_only else escape_unsafe(text)) + "\n")


def escape_unsafe(json_text: str) -> str:
    """JSON text with the characters a terminal would act on (C1 controls,
    bidi overrides) written as ``\\u`` escapes, which decode to the same text."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def utf8(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def cell(text: str | None) -> Text:
    """Corpus text for a table cell: never markup, never control characters."""
    from rich.text import Text

    from corpus.text import printable

    return Text(printable(text or ""))


def plain(value: Any) -> str:
    from corpus.text import printable

    s = value.plain if hasattr(value, "plain") else str(value)
    return printable(s).replace("\n", " ")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], ids: Sequence[int] = (0,),
                title: str | None = None, wide: Sequence[int] = (), id_lists: Sequence[int] = ()) -> None:
    """A table: on a terminal, rich's, with the ``ids`` columns never cut or
    wrapped, and ``id_lists`` columns (``a:3, b:1``) wrapped only between
    their items; piped, a header row and tab-separated rows of full text.
    ``wide`` columns take the room that is left (their text wraps)."""
    out = consoles()[0]
    if not out.is_terminal:
        if title is not None:
            write(f"# {plain(title)}\n")
        write("\t".join(plain(h) for h in headers) + "\n")
        for row in rows:
            write("\t".join(plain(c) for c in row) + "\n")
        return
    from rich.cells import cell_len  # terminal columns: a Chinese character takes two
    from rich.table import Table

    def widest(i: int) -> int:
        items = (item for r in rows for item in (plain(r[i]).split(", ") if i in id_lists else [plain(r[i])]))
        return max(cell_len(headers[i]), *(cell_len(x) for x in items))

    whole = [widest(i) for i in (*ids, *id_lists)]
    if out.width < sum(whole) + 3 * len(headers) + 6 * (len(headers) - len(whole)):
        # Too narrow for the columns: one block per row, one "key: value" line per column (as psql's \x).
        from rich.text import Text

        if title is not None:
            out.print(cell(title), style="bold")
        key_width = max(len(h) for h in headers)
        for n, row in enumerate(rows):
            if n:
                out.print()
            for header, value in zip(headers, row, strict=True):
                line = Text()
                line.append(f"{header:>{key_width}}  ", style="bold")
                line.append(value if hasattr(value, "plain") else cell(str(value)))
                out.print(line)
        return
    table = Table(show_edge=False, title=cell(title) if title else None, title_justify="left")
    for i, header in enumerate(headers):
        if i in ids:
            table.add_column(cell(header), no_wrap=True, overflow="fold", min_width=widest(i))
        elif i in id_lists:
            table.add_column(cell(header), overflow="fold", min_width=widest(i))
        elif i in wide:
            table.add_column(cell(header), ratio=1, overflow="fold")
        else:
            table.add_column(cell(header), overflow="fold")
    for row in rows:
        table.add_row(*(c if hasattr(c, "plain") else cell(str(c)) for c in row))
    out.print(table)

