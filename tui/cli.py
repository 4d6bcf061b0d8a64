"""The ``briefing`` command: a thin click layer over the corpus and index APIs.

Exit codes: 0 success; 1 failure (the previous index is untouched);
2 usage error; 3 index built but some files were skipped (they are named).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from corpus import BUNDLED_DIR, ConfigError
from corpus.text import printable
from index import (
    BuildReport,
    Index,
    IndexError_,
    IndexMissing,
    QueryError,
    default_index_dir,
    rebuild,
    update,
)

from .bidi import MODES
from .config import load_config

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3

out = Console(soft_wrap=False, highlight=False, markup=False, emoji=False)
err = Console(stderr=True, soft_wrap=True, highlight=False, markup=False, emoji=False)


class Settings:
    """Resolved global options, shared by every command and the reader."""

    def __init__(self, corpus: Path | None, index: Path | None, bidi: str | None = None) -> None:
        self.corpus = (corpus or BUNDLED_DIR).resolve()
        self.index = (index or default_index_dir(self.corpus)).resolve()
        self.bidi = bidi or "auto"  # auto | visual | terminal; the config file fills it in main()


def fail(message: str, code: int = EXIT_FAIL) -> NoReturn:
    err.print(Text("briefing: " + message))
    sys.exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Every known failure becomes one clear line on stderr and an exit code."""
    try:
        yield
    except ConfigError as exc:
        fail(str(exc))
    except (IndexError_, FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted; the previous index is untouched", 130)


def _progress_callback() -> Any:
    """A rich progress bar on a terminal; silent when stderr is piped."""
    if not err.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)
    tasks: dict[str, Any] = {}

    def cb(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)

    return bar, cb


def run_build(settings: Settings, mode: str) -> BuildReport:
    bar, cb = _progress_callback()
    fn = rebuild if mode == "rebuild" else update
    if bar is None:
        return fn(settings.corpus, settings.index, cb)
    with bar:
        return fn(settings.corpus, settings.index, cb)


def open_index(settings: Settings) -> Index:
    """Open the index, building it first if there is none yet."""
    try:
        return Index(settings.index)
    except IndexMissing:
        err.print(Text(f"briefing: no index yet for {settings.corpus}; building it at {settings.index}"))
        report = run_build(settings, "rebuild")
        _report_skipped(report)
        return Index(settings.index)


def _current_index() -> Index:
    """The index of the current command's settings, with errors reported."""
    settings: Settings = click.get_current_context().obj
    with _errors():
        return open_index(settings)


def _report_skipped(report: BuildReport) -> None:
    for path, reason in report.skipped:
        err.print(Text(f"briefing: skipped {path}: {reason}"))
    for note in report.notes:
        err.print(Text(f"briefing: note: {note}"))


def _json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


def _cell(text: str | None, limit: int | None = None) -> Text:
    """Corpus text for a table cell: never markup, never control characters."""
    s = printable(text or "")
    if limit and len(s) > limit:
        s = s[: limit - 1] + "…"
    return Text(s)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), envvar="BRIEFING_CORPUS",
              help="Corpus folder (default: the bundled corpus). Env: BRIEFING_CORPUS.")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), envvar="BRIEFING_INDEX",
              help="Index folder (default: one per corpus in the user data dir). Env: BRIEFING_INDEX.")
@click.option("--bidi", type=click.Choice(MODES), envvar="BRIEFING_BIDI",
              help="Arabic display: 'visual' reorders for terminals that do not (most), 'terminal' leaves it "
                   "to terminals that do (mlterm, Konsole), 'auto' guesses. Config key: bidi. Env: BRIEFING_BIDI.")
@click.version_option(package_name="briefing")
@click.pass_context
def main(ctx: click.Context, corpus: Path | None, index_dir: Path | None, bidi: str | None) -> None:
    """Read, search and compare multilingual news briefings.

    With no command, opens the reader on the corpus.
    """
    with _errors():
        config = load_config()
    ctx.obj = Settings(corpus, index_dir, bidi or config.get("bidi"))
    if ctx.invoked_subcommand is None:
        from .app import run_app

        with _errors():
            run_app(ctx.obj)


@main.group("index")
def index_group() -> None:
    """Build, update and inspect the search index."""


def _build_command(mode: str, as_json: bool) -> None:
    settings: Settings = click.get_current_context().obj
    with _errors():
        report = run_build(settings, mode)
    if as_json:
        _json(report.to_dict())
    else:
        _report_skipped(report)
        diff = f"+{len(report.added)} ~{len(report.changed)} -{len(report.removed)}" if mode == "update" else ""
        if report.incremental:
            diff += " (changed files only)"
        err.print(Text(f"{report.mode}: {report.articles} articles, {report.paragraphs} paragraphs "
                       f"{diff} in {report.seconds:.2f}s -> {report.index_dir}".replace("  ", " ")))
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


@index_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def index_status(as_json: bool) -> None:
    """Say where the index is, when it was built and what it holds."""
    settings: Settings = click.get_current_context().obj
    with _errors():
        status = Index(settings.index).status()
    if as_json:
        _json(status.to_dict())
        return
    table = Table.grid(padding=(0, 2))
    for key, value in status.to_dict().items():
        if key == "skipped":
            value = ", ".join(f"{s['path']} ({s['reason']})" for s in value) or "none"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        table.add_row(Text(key), _cell(str(value)))
    out.print(table)


@main.command("articles")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def articles_cmd(as_json: bool) -> None:
    """List the articles: id, language, date, title, versions."""
    ix = _current_index()
    rows = [
        {"id": a.id, "path": a.path, "lang": a.lang, "title": a.title, "date": a.date,
         "paragraphs": a.paragraph_count, "translations": list(a.translations), "encoding": a.encoding}
        for a in ix.articles()
    ]
    if as_json:
        _json(rows)
        return
    table = Table("id", "lang", "date", "¶", "versions", "title", show_edge=False)
    for r in rows:
        table.add_row(_cell(r["id"]), r["lang"], r["date"] or "", str(r["paragraphs"]),
                      _cell(", ".join(r["translations"])), _cell(r["title"], 80))
    out.print(table)


@main.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show_cmd(article_id: str, as_json: bool) -> None:
    """Print one article by paragraph, with kinds, speakers and cities."""
    ix = _current_index()
    article = ix.article(article_id)
    if article is None:
        known = ", ".join(a.id for a in ix.articles()[:20])
        fail(f"no article {article_id!r}; known ids: {known}", EXIT_USAGE)
    if as_json:
        _json({"id": article.id, "lang": article.lang, "title": article.title, "date": article.date,
               "path": article.path, "translations": list(article.translations),
               "paragraphs": [{"n": p.n, "kind": p.kind.value, "text": p.text, "speaker": p.speaker,
                               "label": p.label, "cities": list(p.cities)} for p in article.paragraphs]})
        return
    out.print(_cell(f"{article.title}  [{article.lang} · {article.date or 'no date'} · {article.path}]"))
    for p in article.paragraphs:
        tag = p.kind.value + (f" · {p.speaker}" if p.speaker else "")
        line = Text(f"{p.n:>4} ", style="dim")
        line.append(f"{tag:<22} ", style="cyan")
        line.append(_cell(p.text))
        out.print(line)


def _print_result(result: Any) -> None:
    for note in result.notes:
        err.print(Text("note: " + note))
    for exp in result.expanded:
        err.print(_cell("expanded: " + exp))
    table = Table("article", "¶", "lang", "score", "speaker", "snippet", show_edge=False)
    for h in result.hits:
        snippet = _cell(h.snippet)
        for s, e in h.highlights:
            snippet.stylize("bold reverse", s, e)
        table.add_row(_cell(h.article), str(h.paragraph), h.lang, f"{h.score:.2f}", _cell(h.speaker or ""), snippet)
    out.print(table)
    err.print(Text(f"{result.total_text} matching paragraphs, {len(result.hits)} shown"))


@main.command("search")
@click.argument("query")
@click.option("--lang", help="Only articles in this language (zh, ar, de, ru, en ...).")
@click.option("--limit", type=click.IntRange(min=1, max=10_000), default=20, show_default=True, help="Most hits to show.")
@click.option("--exact", is_flag=True, help="Do not expand city and person names into other languages.")
@click.option("--all", "include_boilerplate", is_flag=True, help="Also search boilerplate (promotions, headline lists).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; with QUERY '-', one JSON line per input line.")
def search_cmd(query: str, lang: str | None, limit: int, exact: bool, include_boilerplate: bool, as_json: bool) -> None:
    """Search paragraphs. QUERY supports AND/OR/NOT, "phrases" and the filters
    lang:, city:, speaker:, article:, kind:. Use '-' to read one query per line
    from stdin."""
    ix = _current_index()
    queries = (line.rstrip("\n") for line in sys.stdin) if query == "-" else iter([query])
    failed = False
    for q in queries:
        if query == "-" and not q.strip():
            continue
        try:
            result = ix.search(q, lang=lang, limit=limit, exact=exact, include_boilerplate=include_boilerplate)
        except QueryError as exc:
            failed = True
            if query == "-" and as_json:
                _json({"query": q, "error": str(exc)})
                continue
            err.print(Text(f"briefing: bad query {q!r}: {exc}"))
            if query != "-":
                sys.exit(EXIT_USAGE)
            continue
        if as_json:
            _json(result.to_dict())
        else:
            _print_result(result)
    if failed:
        sys.exit(EXIT_USAGE)


@main.command("speakers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def speakers_cmd(as_json: bool) -> None:
    """List the people who speak in the corpus, across languages."""
    ix = _current_index()
    rows = ix.speakers()
    if as_json:
        _json([r.to_dict() for r in rows])
        return
    table = Table("id", "name", "as written", "turns", "articles", "roles", show_edge=False)
    for r in rows:
        written = " · ".join(f for forms in r.names.values() for f in forms)
        table.add_row(_cell(r.id), _cell(r.name), _cell(written), str(r.turns), ", ".join(r.articles), _cell("; ".join(r.roles), 60))
    out.print(table)


@main.command("cities")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def cities_cmd(as_json: bool) -> None:
    """List the places the articles mention, with counts per article."""
    ix = _current_index()
    rows = ix.cities()
    if as_json:
        _json([r.to_dict() for r in rows])
        return
    table = Table("id", "name", "kind", "as written", "mentions", "articles", show_edge=False)
    for r in rows:
        written = " · ".join(f for forms in r.names.values() for f in forms)
        per = ", ".join(f"{a}:{n}" for a, n in r.articles.items())
        table.add_row(_cell(r.id), _cell(r.name), r.kind, _cell(written, 60), str(r.mentions), per)
    out.print(table)


@main.command("align")
@click.argument("source")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--width", type=click.IntRange(min=20, max=400), default=60, show_default=True,
              help="Characters of each paragraph shown per column in the table.")
def align_cmd(source: str, target: str, as_json: bool, width: int) -> None:
    """Align the paragraphs of SOURCE and TARGET, two language versions of one
    article, and flag pairs whose numbers, cities or people disagree. Linked
    versions were aligned at index time; any other pair is aligned now, and
    its confidence says how likely the two are versions at all."""
    ix = _current_index()
    for aid in (source, target):
        if ix.article(aid) is None:
            known = ", ".join(a.id for a in ix.articles()[:20])
            fail(f"no article {aid!r}; known ids: {known}", EXIT_USAGE)
    al = ix.alignment(source, target)
    if as_json:
        _json(al.to_dict())
        return
    src, tgt = ix.article(source), ix.article(target)
    assert src is not None and tgt is not None
    out.print(_cell(f"{source} ({src.lang}) ↔ {target} ({tgt.lang}) · confidence {al.confidence:.2f} · {len(al.beads)} pairs"))
    table = Table("¶", source, "¶", target, "score", "flags", show_edge=False)

    def texts(article: Any, ns: tuple[int, ...]) -> Text:
        return _cell(" ⏎ ".join(article.paragraph(n).text for n in ns), width)

    for b in al.beads:
        table.add_row(",".join(map(str, b.source)), texts(src, b.source), ",".join(map(str, b.target)),
                      texts(tgt, b.target), f"{b.score:.2f}" if b.source and b.target else "",
                      _cell("; ".join(f.describe() for f in b.flags)))
    out.print(table)
