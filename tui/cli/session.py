"""What every command shares besides output: known errors as one line and
an exit code, the settings' index (opened, or built first), build reports."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..config import Settings
from .output import EXIT_USAGE, consoles, fail, say

if TYPE_CHECKING:
    from index import BuildReport, Index

@contextmanager
def errors() -> Iterator[None]:
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


def progress_callback() -> Any:
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


def check_corpus(settings: Settings) -> None:
    if not settings.corpus.is_dir():
        what = "is a file, not a folder" if settings.corpus.exists() else "does not exist"
        fail(f"--corpus {settings.corpus}: {what} (option --corpus or BRIEFING_CORPUS)", EXIT_USAGE)


def run_build(settings: Settings, mode: str, memory_mb: int | None = None, cluster: str | None = None) -> BuildReport:
    """Rebuild or update the settings' index, with a progress bar on a
    terminal. ``memory_mb``: the build's budget (``--memory``); else the
    config file's, else :data:`index.budget.MEMORY_MB`."""
    from functools import partial

    from index import rebuild, update

    check_corpus(settings)
    bar, cb = progress_callback()
    fn = partial(rebuild, cluster=cluster) if mode == "rebuild" else update
    build = partial(fn, settings.corpus, settings.index, cb, memory_mb=memory_mb or settings.memory)
    try:
        if bar is None:
            return build()
        with bar:
            return build()
    except BrokenExecutor:
        # a worker process killed from outside (the kernel's out-of-memory killer, most often)
        fail(f"a worker process of the {mode} ended abruptly, killed perhaps for lack of memory (a smaller "
             f"--memory budget starts fewer of them); the index at {settings.index} is left as it was")


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
        check_corpus(settings)
        say(f"briefing: no index yet for {settings.corpus}; building it at {settings.index}")
        report = run_build(settings, "rebuild")
        report_notes(report)
        ix = Index(settings.index)
    check_same_corpus(settings, ix.status().corpus)
    return ix


def current_index() -> Index:
    """The index of the current command's settings, with errors reported."""
    ctx = click.get_current_context()
    settings: Settings = ctx.obj
    with errors():
        ix = open_index(settings)
    ctx.call_on_close(ix.close)
    return ix


def report_notes(report: BuildReport) -> None:
    from corpus.loader import describe_unread

    for path, reason in report.skipped:
        say(f"briefing: skipped {path}: {reason}")
    if report.unread:
        say(f"briefing: not read: {describe_unread(report.unread)} (only .txt, .md, .html and .htm files are "
            "articles; --json and index status list them)")
    for note in report.notes:
        say(f"briefing: note: {note}")


def unknown_article(ix: Index, aid: str) -> NoReturn:
    known = ", ".join(a.id for a in ix.articles(limit=20))
    fail(f"no article {aid!r}; known ids: {known or 'none (the corpus has no articles)'}", EXIT_USAGE)


def index_if_any(settings: Settings) -> Index | None:
    """The index, to tell which clips changed; None when there is none
    (a briefing is exported without it)."""
    from index import Index, IndexError_

    try:
        ix = Index(settings.index)
    except IndexError_:
        return None
    click.get_current_context().call_on_close(ix.close)
    return ix

