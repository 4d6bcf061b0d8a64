"""The ``briefing`` command: a thin click layer over the corpus and index APIs.

Exit codes: 0 success; 1 failure (the previous index is untouched);
2 usage error (a bad option, query, id or YAML file); 3 index built but
some files were skipped (they are named).

Output rules, whatever the command:

- Everything printed goes through :class:`SafeConsole` or :func:`_json`:
  control and escape characters from corpus text, file names, ids or
  arguments never reach the terminal (JSON escapes them as ``\\u`` codes).
- On a terminal, tables wrap their text to the width and keep ids whole;
  piped, they are tab-separated rows of full lines (a header row first), so
  ``grep``, ``cut`` and ``sort`` see every character.
- A closed pipe (``| head``) ends the command quietly with status 0; a
  locale that cannot show a character gets a replacement, never a crash.
- ``--help`` and ``--version`` load neither Whoosh, jieba nor numpy: the
  index layer is imported by the commands that use it.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .config import MODES, Settings, load_config

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from index import BuildReport, Index

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3

EPILOG = """\b
Examples:
  briefing                              open the reader on the corpus
  briefing --corpus ~/news index rebuild
  briefing search 深圳 --lang zh         search, as a table
  briefing search '"双城联动" -广州' --json
  briefing search 'Shenzhen date:2020-05' --sort date
  briefing search - --json < queries.txt
  briefing show 002 | grep 深圳
  briefing align 002 000
  briefing clip 002 7 --note "the founding quote"
  briefing export --format html -o briefing.html
  briefing watch add 'Shenzhen date:2020..' --name shenzhen
  briefing index update && briefing watch run --json

\b
Queries:
  words (all must match)   "an exact phrase"   a OR b   a NOT b   -b
  ( ... )   lang:zh   city:Shenzhen   speaker:"Hu Gang"   article:002
  kind:turn   (kinds: title meta heading body turn boilerplate)
  date:2020-05-18   date:2020-05   date:2020   date:2020-05-01..2020-05-31   date:..2020-05-17
  (articles without a date never match date:)

\b
Exit codes:
  0 success   1 failure (the previous index is untouched)
  2 usage error: a bad option, query, id or YAML file (named with its line)
  3 index built, but some files were skipped (each one is named)
"""


# -- output ----------------------------------------------------------------
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


def _print_line(text: str) -> None:
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


def _json(data: Any) -> None:
    """One JSON document on a line. Strings are kept whole; characters that
    a terminal would act on (C1 controls, bidi overrides; C0 are escaped by
    JSON itself) are written as \\u escapes, which decode to the same text.
    On a stdout that cannot encode UTF-8, all of it is ASCII escapes."""
    ascii_only = not _utf8(sys.stdout)
    text = json.dumps(data, ensure_ascii=ascii_only)
    write((text if ascii_only else _escape_unsafe(text)) + "\n")


def _escape_unsafe(json_text: str) -> str:
    """JSON text with the characters a terminal would act on (C1 controls,
    bidi overrides) written as ``\\u`` escapes, which decode to the same text."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def _utf8(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def _cell(text: str | None) -> Text:
    """Corpus text for a table cell: never markup, never control characters."""
    from rich.text import Text

    from corpus.text import printable

    return Text(printable(text or ""))


def _plain(cell: Any) -> str:
    from corpus.text import printable

    s = cell.plain if hasattr(cell, "plain") else str(cell)
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
            write(f"# {_plain(title)}\n")
        write("\t".join(_plain(h) for h in headers) + "\n")
        for row in rows:
            write("\t".join(_plain(c) for c in row) + "\n")
        return
    from rich.cells import cell_len  # terminal columns: a Chinese character takes two
    from rich.table import Table

    def widest(i: int) -> int:
        items = (item for r in rows for item in (_plain(r[i]).split(", ") if i in id_lists else [_plain(r[i])]))
        return max(cell_len(headers[i]), *(cell_len(x) for x in items))

    whole = [widest(i) for i in (*ids, *id_lists)]
    if out.width < sum(whole) + 3 * len(headers) + 6 * (len(headers) - len(whole)):
        # Too narrow for the columns: one block per row, one "key: value" line per column (as psql's \x).
        from rich.text import Text

        if title is not None:
            out.print(_cell(title), style="bold")
        key_width = max(len(h) for h in headers)
        for n, row in enumerate(rows):
            if n:
                out.print()
            for header, cell in zip(headers, row, strict=True):
                line = Text()
                line.append(f"{header:>{key_width}}  ", style="bold")
                line.append(cell if hasattr(cell, "plain") else _cell(str(cell)))
                out.print(line)
        return
    table = Table(show_edge=False, title=_cell(title) if title else None, title_justify="left")
    for i, header in enumerate(headers):
        if i in ids:
            table.add_column(_cell(header), no_wrap=True, overflow="fold", min_width=widest(i))
        elif i in id_lists:
            table.add_column(_cell(header), overflow="fold", min_width=widest(i))
        elif i in wide:
            table.add_column(_cell(header), ratio=1, overflow="fold")
        else:
            table.add_column(_cell(header), overflow="fold")
    for row in rows:
        table.add_row(*(c if hasattr(c, "plain") else _cell(str(c)) for c in row))
    out.print(table)


# -- errors and the index ---------------------------------------------------
@contextmanager
def _errors() -> Iterator[None]:
    """Every known failure becomes one clear line on stderr and an exit code."""
    from corpus.yamlio import ConfigError
    from index.errors import IndexError_

    try:
        yield
    except ConfigError as exc:
        fail(str(exc), EXIT_USAGE)
    except (IndexError_, FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted; the previous index is untouched", 130)


def _progress_callback() -> Any:
    """A rich progress bar on a terminal; silent when stderr is piped."""
    err = consoles()[1]
    if not err.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err, transient=True)
    tasks: dict[str, Any] = {}

    def cb(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)

    return bar, cb


def _check_corpus(settings: Settings) -> None:
    if not settings.corpus.is_dir():
        what = "is a file, not a folder" if settings.corpus.exists() else "does not exist"
        fail(f"--corpus {settings.corpus}: {what} (option --corpus or BRIEFING_CORPUS)", EXIT_USAGE)


def run_build(settings: Settings, mode: str) -> BuildReport:
    from index import rebuild, update

    _check_corpus(settings)
    bar, cb = _progress_callback()
    fn = rebuild if mode == "rebuild" else update
    if bar is None:
        return fn(settings.corpus, settings.index, cb)
    with bar:
        return fn(settings.corpus, settings.index, cb)


def check_same_corpus(settings: Settings, built_from: str | None = None) -> None:
    """Refuse an index that was built from another corpus folder (an
    ``--index`` or ``BRIEFING_INDEX`` left over from other work). Without
    ``built_from``, the live generation's meta says (no Index is opened)."""
    if built_from is None:
        from index.store import built_from as recorded

        built_from = recorded(settings.index)
    if built_from and Path(built_from).resolve() != settings.corpus:
        fail(f"the index at {settings.index} was built from {built_from}, not from {settings.corpus}; "
             f"to index this corpus there, run: briefing --corpus {settings.corpus} --index {settings.index} "
             "index rebuild (or choose another --index)", EXIT_USAGE)


def open_index(settings: Settings) -> Index:
    """Open the index, building it first if there is none yet."""
    from index import Index, IndexMissing

    try:
        ix = Index(settings.index)
    except IndexMissing:
        _check_corpus(settings)
        say(f"briefing: no index yet for {settings.corpus}; building it at {settings.index}")
        report = run_build(settings, "rebuild")
        _report_notes(report)
        ix = Index(settings.index)
    check_same_corpus(settings, ix.status().corpus)
    return ix


def _current_index() -> Index:
    """The index of the current command's settings, with errors reported."""
    ctx = click.get_current_context()
    settings: Settings = ctx.obj
    with _errors():
        ix = open_index(settings)
    ctx.call_on_close(ix.close)
    return ix


def _report_notes(report: BuildReport) -> None:
    from corpus.loader import describe_unread

    for path, reason in report.skipped:
        say(f"briefing: skipped {path}: {reason}")
    if report.unread:
        say(f"briefing: not read: {describe_unread(report.unread)} (only .txt, .md, .html and .htm files are "
            "articles; --json and index status list them)")
    for note in report.notes:
        say(f"briefing: note: {note}")


def _unknown_article(ix: Index, aid: str) -> NoReturn:
    known = ", ".join(a.id for a in ix.articles(limit=20))
    fail(f"no article {aid!r}; known ids: {known or 'none (the corpus has no articles)'}", EXIT_USAGE)


# -- the command group -------------------------------------------------------
@click.group(invoke_without_command=True, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--corpus", type=click.Path(file_okay=False, exists=True, path_type=Path), envvar="BRIEFING_CORPUS",
              help="Corpus folder (default: the bundled corpus). Env: BRIEFING_CORPUS.")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="BRIEFING_INDEX",
              help="Index folder (default: one per corpus in the user data dir). Env: BRIEFING_INDEX.")
@click.option("--bidi", type=click.Choice(MODES), envvar="BRIEFING_BIDI",
              help="For the reader only: how Arabic is drawn. 'visual' reorders for terminals that do not "
                   "(most), 'terminal' leaves it to terminals that do (mlterm, Konsole), 'auto' guesses. "
                   "Config key: bidi. Env: BRIEFING_BIDI.")
@click.version_option(None, "-V", "--version", package_name="briefing")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None, index_dir: Path | None, bidi: str | None) -> None:
    """Read, search and compare multilingual news briefings.

    With no command, opens the reader on the corpus.
    """
    with _errors():
        config = load_config()
    for option, path in (("--corpus", corpus), ("--index", index_dir)):
        if path is not None:
            from corpus.text import undecodable

            shown = undecodable(str(path))
            if shown is not None:
                fail(f"{option} {shown}: the path is not UTF-8 (a legacy encoding?); rename the folder, or link it "
                     "under a UTF-8 name (ln -s)", EXIT_USAGE)
    ctx.obj = Settings(corpus, index_dir, bidi or config.get("bidi"), config.get("briefing"))
    if ctx.invoked_subcommand is not None:
        if bidi and ctx.get_parameter_source("bidi") is click.core.ParameterSource.COMMANDLINE:
            say("briefing: note: --bidi is for the reader only; commands print text in logical order "
                "(pipe it to a bidi-aware viewer, or use --json)")
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the reader needs a terminal (stdin and stdout are not one); in scripts use a command, "
             "e.g. briefing search QUERY --json (see briefing --help)", EXIT_USAGE)
    with _errors():
        check_same_corpus(ctx.obj)
        if not (ctx.obj.index / "current").exists():
            _check_corpus(ctx.obj)  # the reader is about to build it
        from .app import run_app

        run_app(ctx.obj)


@cli.group("index")
def index_group() -> None:
    """Build, update and inspect the search index."""


def _build_command(mode: str, as_json: bool) -> None:
    settings: Settings = click.get_current_context().obj
    with _errors():
        if mode == "update":
            check_same_corpus(settings)
        report = run_build(settings, mode)
    if as_json:
        _json(report.to_dict())
    else:
        _report_notes(report)
        diff = f"+{len(report.added)} ~{len(report.changed)} -{len(report.removed)}" if mode == "update" else ""
        if report.incremental:
            diff += " (changed files only)"
        say(f"{report.mode}: {report.articles} articles, {report.paragraphs} paragraphs "
            f"{diff} in {report.seconds:.2f}s -> {report.index_dir}".replace("  ", " "))
    sys.exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


@index_group.command("rebuild")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def index_rebuild(as_json: bool) -> None:
    """Index the whole corpus afresh; the live index is swapped in atomically."""
    _build_command("rebuild", as_json)


@index_group.command("update")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def index_update(as_json: bool) -> None:
    """Re-index only added, changed and removed files (by size, mtime and content hash)."""
    _build_command("update", as_json)


@index_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def index_check(as_json: bool) -> None:
    """Verify every file of the index against the checksum written with it,
    and SQLite's quick_check of the side store. Read-only (the result is kept
    for `index status`). Exit 0 when clean, 1 when damaged."""
    from index import Index, IndexCorrupt, integrity

    settings: Settings = click.get_current_context().obj
    started = time.monotonic()
    with _errors():
        try:
            with Index(settings.index) as ix:
                damage = ix.check()
                generation = ix.status().generation
        except IndexCorrupt:
            # It does not open: check the generation's files directly, to name them all.
            from index.store import current_generation

            gen = current_generation(settings.index)
            generation = gen.name
            damage = integrity.check(gen)
    result = {"index": str(settings.index), "generation": generation, "checked": integrity.now(),
              "seconds": round(time.monotonic() - started, 3), "ok": not damage,
              "damaged": [d.to_dict() for d in damage]}
    integrity.save_check(settings.index, result)
    if as_json:
        _json(result)
    else:
        for d in damage:
            say(f"briefing: damaged: {d}")
        say(f"index check: {'clean' if not damage else f'{len(damage)} damaged'} ({generation}, "
            f"{result['seconds']:.2f}s)" + ("" if not damage else "; rebuild it with: briefing index rebuild"))
    sys.exit(EXIT_OK if not damage else EXIT_FAIL)


@index_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def index_status(as_json: bool) -> None:
    """Say where the index is, when it was built and what it holds."""
    from index import Index

    settings: Settings = click.get_current_context().obj
    with _errors(), Index(settings.index) as ix:
        status = ix.status()
    from index.integrity import last_check

    shown = status.to_dict()
    check = last_check(settings.index)
    shown["last_check"] = None if check is None else {
        k: check.get(k) for k in ("checked", "generation", "ok", "damaged")}
    if as_json:
        _json(shown)
        return
    rows = []
    for key, value in shown.items():
        if key == "last_check":
            value = "never (briefing index check)" if value is None else (
                f"{value['checked']}: " + ("clean" if value["ok"] else "; ".join(
                    f"{d['file']}: {d['problem']}" for d in value["damaged"])) +
                ("" if value["generation"] == status.generation else f" (generation {value['generation']})"))
        elif key == "skipped":
            value = "; ".join(f"{s['path']} ({s['reason']})" for s in value) or "none"
        elif key == "unread":
            value = ", ".join(value) or "none"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        rows.append((key, str(value)))
    print_table(("key", "value"), rows, ids=(0,), wide=(1,))


@cli.command("articles")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def articles_cmd(as_json: bool) -> None:
    """List the articles: id, language, date, title, versions."""
    ix = _current_index()
    rows = [
        {"id": a.id, "path": a.path, "lang": a.lang, "title": a.title, "date": a.date,
         "paragraphs": a.paragraph_count, "translations": list(a.translations), "encoding": a.encoding,
         "versions": [{"id": v, "lang": info.lang if (info := ix.info(v)) else None,
                       "confidence": ix.version_confidence(a.id, v)} for v in a.translations]}
        for a in ix.articles()
    ]
    if as_json:
        _json(rows)
        return
    print_table(("id", "lang", "date", "¶", "versions", "title"),
                [(r["id"], r["lang"], r["date"] or "", str(r["paragraphs"]),
                  ", ".join(f"{v['id']} {v['confidence']:.2f}" for v in r["versions"]),
                  r["title"]) for r in rows], ids=(0,), id_lists=(4,), wide=(5,))


@cli.command("versions")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--below", type=click.FloatRange(0.0, 1.0), default=None, metavar="X",
              help="Only groups whose weakest link is below X (0..1): the ones to audit.")
def versions_cmd(as_json: bool, below: float | None) -> None:
    """List the groups of language versions with their links' confidences,
    weakest first. Correct them in overrides.yaml (versions: link / unlink)."""
    ix = _current_index()
    groups = [g for g in ix.versions() if below is None or g.weakest < below]
    if as_json:
        _json([g.to_dict() for g in groups])
        return
    rows = []
    for g in groups:
        langs = dict(zip(g.ids, g.langs, strict=True))
        links = "; ".join(f"{lk.a}~{lk.b} {'declared' if lk.declared else f'{lk.confidence:.2f}'}" for lk in g.links)
        rows.append((", ".join(g.ids), " ".join(langs[i] for i in g.ids), f"{g.weakest:.2f}", links))
    print_table(("articles", "languages", "weakest", "links"), rows, ids=(), id_lists=(0,), wide=(3,))
    say(
        f"{len(groups)} of {len(ix.versions())} version groups"
        + (f" with a link below {below}" if below is not None else "")
    )


@cli.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show_cmd(article_id: str, as_json: bool) -> None:
    """Print one article by paragraph, with kinds, speakers and cities."""
    from rich.text import Text

    ix = _current_index()
    with _errors():
        article = ix.article(article_id)
    if article is None:
        _unknown_article(ix, article_id)
    if as_json:
        _json({"id": article.id, "lang": article.lang, "title": article.title, "date": article.date,
               "path": article.path, "translations": list(article.translations),
               "paragraphs": [{"n": p.n, "kind": p.kind.value, "text": p.text, "speaker": p.voice,
                               "speakers": list(p.voices), "label": p.label, "cities": list(p.cities)}
                              for p in article.paragraphs]})
        return
    out = consoles()[0]
    out.print(_cell(f"{article.title}  [{article.id} · {article.lang} · {article.date or 'no date'} · {article.path}]"))
    for p in article.paragraphs:
        tag = p.kind.value + (f" · {p.voice}" if p.voice else "")
        line = Text(f"{p.n:>4} ", style="dim")
        line.append(f"{tag:<22} ", style="cyan")
        line.append(_cell(p.text))
        out.print(line)


SNIPPET_COLUMN = 120  # characters of a hit's snippet in the table (centred on its first match)


def _print_result(result: Any, label: bool, dated: bool = False) -> None:
    from corpus.text import window

    for note in result.notes:
        say("note: " + note)
    for exp in result.expanded:
        say("expanded: " + exp)
    out = consoles()[0]
    # On a terminal the snippet is cut around its first match to what a row shows; piped, it is whole.
    room = min(SNIPPET_COLUMN, max(30, out.width - 40)) if out.is_terminal else None
    rows = []
    for h in result.hits:
        text, spans = window(h.snippet, h.highlights, room) if room else (h.snippet, h.highlights)
        snippet = _cell(text)
        for s, e in spans:
            snippet.stylize("bold reverse", s, e)
        row = (h.article, str(h.paragraph), h.lang, f"{h.score:.2f}", h.speaker or "", snippet)
        rows.append((h.date or "", *row) if dated else row)
    headers = ("article", "¶", "lang", "score", "speaker", "snippet")
    print_table(
        ("date", *headers) if dated else headers,
        rows,
        ids=(1,) if dated else (0,),
        wide=(6,) if dated else (5,),
        title=f"query: {result.query}" if label else None,
    )
    footer = f"{result.total_text} matching paragraphs, {len(result.hits)} shown"
    if result.in_boilerplate:
        count = f"{'' if result.in_boilerplate_exact else '≈'}{result.in_boilerplate:,}"
        it = "it" if result.in_boilerplate == 1 else "them"
        footer += f"; {count} {'hit' if result.in_boilerplate == 1 else 'hits'} in boilerplate: --all shows {it}"
    say(footer)


def _stdin_queries() -> Iterator[tuple[int, str | None]]:
    """``(line number, query)`` per line of stdin; None for a line that is
    not UTF-8. A byte-order mark and CR line ends are dropped."""
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield n, None


@cli.command("search")
@click.argument("query")
@click.option(
    "--lang", multiple=True, help="Only articles in this language (zh, ar, de, ru, en ...); repeat it for several."
)
@click.option(
    "--limit", type=click.IntRange(min=1, max=10_000), default=20, show_default=True, help="Most hits to show."
)
@click.option("--exact", is_flag=True, help="Do not expand city and person names into other languages.")
@click.option(
    "--all", "include_boilerplate", is_flag=True, help="Also search boilerplate (promotions, headline lists)."
)
@click.option("--sort", type=click.Choice(("score", "date")), default="score", show_default=True,
              help="Order of the hits: best first, or newest article first (undated last).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; with QUERY '-', one JSON line per input line.")
def search_cmd(query: str, lang: tuple[str, ...], limit: int, exact: bool, include_boilerplate: bool,
               sort: str, as_json: bool) -> None:
    """Search paragraphs. QUERY supports AND/OR/NOT (or -word), "phrases" and
    the filters lang:, city:, speaker:, article:, kind:, date:. Use '-' to read one
    query per line from stdin: JSON gives one line per input line (a blank or
    non-UTF-8 line gets an "error"); tables are titled with their query."""
    from index import QueryError

    ix = _current_index()
    many = query == "-"
    queries = _stdin_queries() if many else iter([(0, query)])
    failed = False
    for n, q in queries:
        if not many and not (q or "").strip():
            fail("bad query '': the query has no words to search for", EXIT_USAGE)
        if q is None or not q.strip():
            if many and as_json:
                problem = f"line {n} is not UTF-8 text" if q is None else "empty query"
                _json({"query": q or "", "error": problem})
            elif q is None:
                say(f"briefing: line {n} of stdin is not UTF-8 text")
            if q is None:
                failed = True
            continue
        try:
            with _errors():
                result = ix.search(q, lang=lang, limit=limit, exact=exact, include_boilerplate=include_boilerplate,
                                   sort=sort)
        except QueryError as exc:
            failed = True
            if many and as_json:
                _json({"query": q, "error": str(exc)})
                continue
            say(f"briefing: bad query {q!r}: {exc}")
            if not many:
                sys.exit(EXIT_USAGE)
            continue
        if as_json:
            _json(result.to_dict())
        else:
            _print_result(result, label=many, dated=sort == "date")
    if failed:
        sys.exit(EXIT_USAGE)


@cli.command("speakers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def speakers_cmd(as_json: bool) -> None:
    """List the people who speak in the corpus, across languages."""
    ix = _current_index()
    rows = ix.speakers(full=True)
    if as_json:
        _json([r.to_dict() for r in rows])
        return
    print_table(("id", "name", "as written", "turns", "articles", "roles"),
                [(r.id, r.name, " · ".join(f for forms in r.names.values() for f in forms), str(r.turns),
                  ", ".join(r.articles), "; ".join(r.roles)) for r in rows], ids=(0,), id_lists=(4,), wide=(5,))


@cli.command("places")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def places_cmd(as_json: bool) -> None:
    """List the places the articles mention (cities, then regions and
    countries), with their country and counts per article. Also: cities."""
    ix = _current_index()
    with _errors():
        rows = ix.cities(full=True)
    if as_json:
        _json([r.to_dict() for r in rows])
        return
    print_table(("id", "name", "kind", "country", "as written", "mentions", "articles"),
                [(r.id, r.name, r.kind, r.country, " · ".join(f for forms in r.names.values() for f in forms),
                  str(r.mentions), ", ".join(f"{a}:{n}" for a, n in r.articles.items())) for r in rows], ids=(0,),
                id_lists=(6,), wide=(4,))


cli.add_command(places_cmd, name="cities")


@cli.command("align")
@click.argument("source")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--width", type=click.IntRange(min=20, max=400), default=60, show_default=True,
              help="Characters of each paragraph shown per column in the table (piped: every character).")
def align_cmd(source: str, target: str, as_json: bool, width: int) -> None:
    """Align the paragraphs of SOURCE and TARGET, two language versions of one
    article, and flag pairs whose numbers, cities or people disagree. Linked
    versions were aligned at index time; any other pair is aligned now, and
    its confidence says how likely the two are versions at all."""
    from corpus.text import window

    if source == target:
        fail(f"align needs two different articles, not {source!r} twice (its versions: briefing show {source})",
             EXIT_USAGE)
    ix = _current_index()
    with _errors():
        src, tgt = ix.article(source), ix.article(target)
        if src is None:
            _unknown_article(ix, source)
        if tgt is None:
            _unknown_article(ix, target)
        al = ix.alignment(source, target)
    if as_json:
        _json(al.to_dict())
        return
    piped = not consoles()[0].is_terminal

    def texts(article: Any, ns: tuple[int, ...]) -> Text:
        joined = " ⏎ ".join(article.paragraph(n).text for n in ns)
        return _cell(joined if piped else window(joined, (), width)[0])

    rows = [(",".join(map(str, b.source)), texts(src, b.source), ",".join(map(str, b.target)), texts(tgt, b.target),
             f"{b.score:.2f}" if b.source and b.target else "", "; ".join(f.describe() for f in b.flags))
            for b in al.beads]
    print_table(("¶", source, "¶", target, "score", "flags"), rows, ids=(0, 2), wide=(1, 3),
                title=f"{source} ({src.lang}) ↔ {target} ({tgt.lang}) · confidence {al.confidence:.2f} · "
                      f"{len(al.beads)} pairs")


# -- briefings -----------------------------------------------------------------
def _briefing_name(name: str, option: str = "--briefing") -> str:
    from .briefings import check_name

    try:
        return check_name(name)
    except ValueError as exc:
        fail(f"{option} {name}: {exc}", EXIT_USAGE)


def _load_briefing(name: str) -> Any:
    from . import briefings

    with _errors():
        return briefings.load(name)


@cli.command("clip")
@click.argument("article_id")
@click.argument("paragraph", type=click.IntRange(min=1))
@click.option("--briefing", "name", default="default", show_default=True, help="The briefing to add the clip to.")
@click.option("--note", default="", help="A note kept with the clip.")
@click.option("--query", default="", help="The query that found the passage, kept with the clip.")
def clip_cmd(article_id: str, paragraph: int, name: str, note: str, query: str) -> None:
    """Clip paragraph PARAGRAPH of ARTICLE_ID to a briefing, with the aligned
    paragraphs of every language version of the article and their
    divergence flags. The briefing is a YAML file under the data folder."""
    from . import briefings

    _briefing_name(name)
    ix = _current_index()
    with _errors():
        if ix.info(article_id) is None:
            _unknown_article(ix, article_id)
        try:
            clip = briefings.make_clip(ix, article_id, paragraph, query=query, note=note)
        except KeyError as exc:
            fail(str(exc.args[0]), EXIT_USAGE)
        b = _load_briefing(name).add(clip)
        path = briefings.save(b)
    langs = ", ".join(f"{v.lang} ¶{','.join(map(str, v.paragraphs)) or '—'}" for v in clip.versions)
    say(f"clipped {article_id} ¶{paragraph} ({clip.lang}{'; with ' + langs if langs else ''}) "
        f"as clip {len(b.clips)} of {name}: {path}")


@cli.command("briefings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def briefings_cmd(as_json: bool) -> None:
    """List the briefings: name, clips, languages, file."""
    from . import briefings

    rows = []
    for name in briefings.names():
        b = _load_briefing(name)
        langs = sorted({c.lang for c in b.clips} | {v.lang for c in b.clips for v in c.versions})
        rows.append({"name": name, "clips": len(b.clips), "languages": langs, "path": str(b.path)})
    if as_json:
        _json(rows)
        return
    if not rows:
        say(f"no briefings yet under {briefings.data_dir() / 'briefings'}; "
            "clip a paragraph with b in the reader or: briefing clip ARTICLE N")
        return
    print_table(("name", "clips", "languages", "file"),
                [(r["name"], str(r["clips"]), ", ".join(r["languages"]), r["path"]) for r in rows], ids=(0,), wide=(3,))


@cli.command("export")
@click.argument("name", default="default")
@click.option("--format", "fmt", type=click.Choice(("md", "html", "json")), default="md", show_default=True,
              help="Markdown, one self-contained HTML file, or the clips as stored (JSON).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of stdout.")
def export_cmd(name: str, fmt: str, output: Path | None) -> None:
    """Write briefing NAME out: each clip quoted with its translations, the
    flags of its bead and its note, under a citation (title, date,
    language, ¶, path). Clips whose article changed or went since they were
    clipped say so, and keep their text as clipped."""
    from index.files import write_text

    from . import briefings, export

    _briefing_name(name, "NAME")
    if name not in briefings.names():
        known = ", ".join(briefings.names()) or "none yet"
        fail(f"no briefing {name!r}; briefings: {known}", EXIT_USAGE)
    b = _load_briefing(name)
    settings: Settings = click.get_current_context().obj
    ix = _index_if_any(settings)
    text = export.render(b, fmt, lambda c: briefings.status(ix, c), export.place_map(ix, b, fmt))
    if output is None:
        write(_escape_unsafe(text) if fmt == "json" else text)
        return
    target = output.resolve()
    if not target.parent.is_dir():
        fail(f"-o {output}: the folder {target.parent} does not exist", EXIT_USAGE)
    try:
        write_text(target, text)
    except OSError as exc:
        fail(f"-o {output}: cannot write it: {exc.strerror or exc}; nothing was written")
    say(f"exported {name} ({len(b.clips)} clips, {fmt}) to {output}")


def _index_if_any(settings: Settings) -> Index | None:
    """The index, to tell which clips changed; None when there is none
    (a briefing is exported without it)."""
    from index import Index, IndexError_

    try:
        ix = Index(settings.index)
    except IndexError_:
        return None
    click.get_current_context().call_on_close(ix.close)
    return ix


# -- watches -------------------------------------------------------------------
@cli.group("watch")
def watch_group() -> None:
    """Saved searches that report what is new (for a cron job after
    `briefing index update`). Adding a watch records what it matches now."""


def _load_watches() -> list[Any]:
    from . import watches

    with _errors():
        return watches.load()


@watch_group.command("add")
@click.argument("query")
@click.option("--name", help="The watch's name (default: made from the query's words).")
def watch_add(query: str, name: str | None) -> None:
    """Save QUERY as a watch; its current hits count as seen."""
    from index import QueryError

    from . import watches

    if not query.strip():
        fail("bad query '': the query has no words to search for", EXIT_USAGE)
    ix = _current_index()
    with _errors():
        try:
            w = watches.add(ix, query, name)
        except QueryError as exc:
            fail(f"bad query {query!r}: {exc}", EXIT_USAGE)
        except ValueError as exc:
            fail(f"--name: {exc}", EXIT_USAGE)
    say(f"watching {w.query!r} as {w.name}; briefing watch run reports what is new")


@watch_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def watch_list(as_json: bool) -> None:
    """List the watches: name, query, when added."""
    from dataclasses import asdict

    rows = _load_watches()
    if as_json:
        _json([asdict(w) for w in rows])
        return
    if not rows:
        say("no watches yet: briefing watch add QUERY [--name NAME]")
        return
    print_table(("name", "query", "added"), [(w.name, w.query, w.added) for w in rows], ids=(0,), wide=(1,))


@watch_group.command("remove")
@click.argument("name")
def watch_remove(name: str) -> None:
    """Remove the watch NAME and what it had seen."""
    from . import watches

    with _errors():
        try:
            watches.remove(name)
        except KeyError as exc:
            fail(str(exc.args[0]), EXIT_USAGE)
    say(f"removed watch {name}")


@watch_group.command("run")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document: every watch with its new hits.")
def watch_run(as_json: bool) -> None:
    """Run every watch and report the hits that are new since it last ran:
    article, paragraph, snippet, and whether the article is new or changed.
    Exit 0 whether or not there is news; 2 when a watch's query is bad."""
    from index import QueryError

    from . import watches

    found = _load_watches()
    ix = _current_index()
    reports, bad = [], []
    for w in found:
        with _errors():
            try:
                reports.append(watches.check(ix, w))
            except QueryError as exc:
                bad.append(f"watch {w.name}: bad query {w.query!r}: {exc} (fix it in {watches.watches_path()})")
    for problem in bad:
        say("briefing: " + problem)
    if as_json:
        _json([r.to_dict() for r in reports])
    else:
        if not found:
            say("no watches yet: briefing watch add QUERY [--name NAME]")
        for r in reports:
            since = f"since {r.since}" if r.since else "(first run)"
            _print_line(f"{r.watch.name}: {len(r.new)} new {'hit' if len(r.new) == 1 else 'hits'} {since} · "
                        f"{r.watch.query}")
            if r.new:
                print_table(("article", "¶", "lang", "date", "article is", "snippet"),
                            [(h.article, str(h.paragraph), h.lang, h.date or "", h.article_is or "unchanged",
                              _cell(h.snippet)) for h in r.new], ids=(0,), wide=(5,),
                            title=f"watch: {r.watch.name}")
    if bad:
        sys.exit(EXIT_USAGE)


# -- the entry point -----------------------------------------------------------
def _tolerant_streams() -> None:
    """A locale that cannot encode every character (LC_ALL=de_DE.ISO-8859-1)
    gets a replacement character instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if not _utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> None:
    """``briefing``: click's command line, with its errors printed safely,
    and a closed pipe treated as the end of the output."""
    _tolerant_streams()
    try:
        try:
            code = cli.main(args=list(argv) if argv is not None else None, prog_name="briefing",
                            standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
        except click.ClickException as exc:
            buf = io.StringIO()
            exc.show(file=buf)
            say(buf.getvalue().rstrip("\n"))
            code = exc.exit_code
        except click.Abort:
            say("briefing: interrupted")
            code = 130
        sys.stdout.flush()
    except (BrokenPipeError, PipeClosed):
        # The reader of our output has gone (| head): nothing is lost, so leave
        # quietly, and keep Python from complaining when it flushes stdout.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code if isinstance(code, int) else (0 if code is None else 1))
