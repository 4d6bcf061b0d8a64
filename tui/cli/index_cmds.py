"""``briefing index``: rebuild, update, check, status."""

from __future__ import annotations

import sys
import time

import click

from index.budget import MEMORY_MB, MIN_MEMORY_MB

from ..config import Settings
from .group import cli
from .output import EXIT_FAIL, EXIT_OK, EXIT_SKIPPED, emit_json, print_table, say
from .session import check_same_corpus, errors, report_notes, run_build


@cli.group("index")
def index_group() -> None:
    """Build, update and inspect the search index."""


def _build_command(mode: str, as_json: bool, memory_mb: int | None, cluster: str | None = None) -> None:
    from index.errors import ClusterError

    settings: Settings = click.get_current_context().obj
    with errors():
        if mode == "update":
            check_same_corpus(settings)
        try:
            report = run_build(settings, mode, memory_mb, cluster)
        except ClusterError as exc:
            raise ClusterError(f"--cluster: {exc}") from exc
    if as_json:
        emit_json(report.to_dict())
    else:
        report_notes(report)
        diff = f"+{len(report.added)} ~{len(report.changed)} -{len(report.removed)}" if mode == "update" else ""
        if report.incremental:
            diff += " (changed files only)"
        say(f"{report.mode}: {report.articles} articles, {report.paragraphs} paragraphs "
            f"{diff} in {report.seconds:.2f}s -> {report.index_dir}".replace("  ", " "))
    sys.exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


_MEMORY = click.option(
    "--memory", "memory_mb", type=click.IntRange(min=MIN_MEMORY_MB), default=None, metavar="MB",
    help=f"What all the build's processes may hold at once (default {MEMORY_MB}, or the config file's "
         "memory): more allows more worker processes, up to one per core, and bigger index buffers.")


@index_group.command("rebuild")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@_MEMORY
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Run the heavy stages on a Dask cluster's workers (its scheduler's address, "
                   "e.g. tcp://10.0.0.5:8786); they must reach the corpus and index folders at the same paths.")
def index_rebuild(as_json: bool, memory_mb: int | None, cluster: str | None) -> None:
    """Index the whole corpus afresh; the live index is swapped in atomically."""
    _build_command("rebuild", as_json, memory_mb, cluster)


@index_group.command("update")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@_MEMORY
def index_update(as_json: bool, memory_mb: int | None) -> None:
    """Re-index only added, changed and removed files (by size, mtime and content hash)."""
    _build_command("update", as_json, memory_mb)


@index_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def index_check(as_json: bool) -> None:
    """Verify every file of the index against the checksum written with it,
    and SQLite's quick_check of the side store. Read-only (the result is kept
    for `index status`). Exit 0 when clean, 1 when damaged."""
    from index import Index, IndexCorrupt, integrity

    settings: Settings = click.get_current_context().obj
    started = time.monotonic()
    with errors():
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
        emit_json(result)
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
    with errors(), Index(settings.index) as ix:
        status = ix.status()
    from index.integrity import last_check

    shown = status.to_dict()
    check = last_check(settings.index)
    shown["last_check"] = None if check is None else {
        k: check.get(k) for k in ("checked", "generation", "ok", "damaged")}
    if as_json:
        emit_json(shown)
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

