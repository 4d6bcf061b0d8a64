"""``briefing watch``: saved searches that report what is new."""

from __future__ import annotations

import sys
from typing import Any

import click

from .complete import watch_names
from .group import cli
from .output import EXIT_USAGE, cell, emit_json, fail, print_line, print_table, say
from .session import current_index, errors


@cli.group("watch")
def watch_group() -> None:
    """Saved searches that report what is new (for a cron job after
    `briefing index update`). Adding a watch records what it matches now."""


def _load_watches() -> list[Any]:
    from .. import watches

    with errors():
        return watches.load()


@watch_group.command("add")
@click.argument("query")
@click.option("--name", help="The watch's name (default: made from the query's words).")
def watch_add(query: str, name: str | None) -> None:
    """Save QUERY as a watch; its current hits count as seen."""
    from index import QueryError

    from .. import watches

    if not query.strip():
        fail("bad query '': the query has no words to search for", EXIT_USAGE)
    ix = current_index()
    with errors():
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
        emit_json([asdict(w) for w in rows])
        return
    if not rows:
        say("no watches yet: briefing watch add QUERY [--name NAME]")
        return
    print_table(("name", "query", "added"), [(w.name, w.query, w.added) for w in rows], ids=(0,), wide=(1,))


@watch_group.command("remove")
@click.argument("name", shell_complete=watch_names)
def watch_remove(name: str) -> None:
    """Remove the watch NAME and what it had seen."""
    from .. import watches

    with errors():
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

    from .. import watches

    found = _load_watches()
    ix = current_index()
    reports, bad = [], []
    for w in found:
        with errors():
            try:
                reports.append(watches.check(ix, w))
            except QueryError as exc:
                bad.append(f"watch {w.name}: bad query {w.query!r}: {exc} (fix it in {watches.watches_path()})")
    for problem in bad:
        say("briefing: " + problem)
    if as_json:
        emit_json([r.to_dict() for r in reports])
    else:
        if not found:
            say("no watches yet: briefing watch add QUERY [--name NAME]")
        for r in reports:
            since = f"since {r.since}" if r.since else "(first run)"
            print_line(f"{r.watch.name}: {len(r.new)} new {'hit' if len(r.new) == 1 else 'hits'} {since} · "
                        f"{r.watch.query}")
            if r.new:
                print_table(("article", "¶", "lang", "date", "article is", "snippet"),
                            [(h.article, str(h.paragraph), h.lang, h.date or "", h.article_is or "unchanged",
                              cell(h.snippet)) for h in r.new], ids=(0,), wide=(5,),
                            title=f"watch: {r.watch.name}")
    if bad:
        sys.exit(EXIT_USAGE)

