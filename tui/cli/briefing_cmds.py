"""Briefings from the command line: clip, briefings, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..config import Settings
from .complete import article_ids, briefing_names
from .group import cli
from .output import EXIT_USAGE, emit_json, escape_unsafe, fail, print_table, say, write
from .session import current_index, errors, index_if_any, unknown_article


def _briefing_name(name: str, option: str = "--briefing") -> str:
    from ..briefings import check_name

    try:
        return check_name(name)
    except ValueError as exc:
        fail(f"{option} {name}: {exc}", EXIT_USAGE)


def _load_briefing(name: str) -> Any:
    from .. import briefings

    with errors():
        return briefings.load(name)


@cli.command("clip")
@click.argument("article_id", shell_complete=article_ids)
@click.argument("paragraph", type=click.IntRange(min=1))
@click.option("--briefing", "name", default="default", show_default=True, shell_complete=briefing_names,
              help="The briefing to add the clip to.")
@click.option("--note", default="", help="A note kept with the clip.")
@click.option("--query", default="", help="The query that found the passage, kept with the clip.")
def clip_cmd(article_id: str, paragraph: int, name: str, note: str, query: str) -> None:
    """Clip paragraph PARAGRAPH of ARTICLE_ID to a briefing, with the aligned
    paragraphs of every language version of the article and their
    divergence flags. The briefing is a YAML file under the data folder."""
    from .. import briefings

    _briefing_name(name)
    ix = current_index()
    with errors():
        if ix.info(article_id) is None:
            unknown_article(ix, article_id)
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
    from .. import briefings

    rows: list[dict[str, Any]] = []
    for name in briefings.names():
        b = _load_briefing(name)
        langs = sorted({c.lang for c in b.clips} | {v.lang for c in b.clips for v in c.versions})
        rows.append({"name": name, "clips": len(b.clips), "languages": langs, "path": str(b.path)})
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say(f"no briefings yet under {briefings.data_dir() / 'briefings'}; "
            "clip a paragraph with b in the reader or: briefing clip ARTICLE N")
        return
    print_table(("name", "clips", "languages", "file"),
                [(r["name"], str(r["clips"]), ", ".join(r["languages"]), r["path"]) for r in rows], ids=(0,), wide=(3,))


@cli.command("export")
@click.argument("name", default="default", shell_complete=briefing_names)
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

    from .. import briefings, export

    _briefing_name(name, "NAME")
    if name not in briefings.names():
        known = ", ".join(briefings.names()) or "none yet"
        fail(f"no briefing {name!r}; briefings: {known}", EXIT_USAGE)
    b = _load_briefing(name)
    settings: Settings = click.get_current_context().obj
    ix = index_if_any(settings)
    text = export.render(b, fmt, lambda c: briefings.status(ix, c), export.place_map(ix, b, fmt))
    if output is None:
        write(escape_unsafe(text) if fmt == "json" else text)
        return
    target = output.resolve()
    if not target.parent.is_dir():
        fail(f"-o {output}: the folder {target.parent} does not exist", EXIT_USAGE)
    try:
        write_text(target, text)
    except OSError as exc:
        fail(f"-o {output}: cannot write it: {exc.strerror or exc}; nothing was written")
    say(f"exported {name} ({len(b.clips)} clips, {fmt}) to {output}")

