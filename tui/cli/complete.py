"""Shell completion (bash, zsh, fish) through click's own: the values the
index and the user's files hold. Each function answers quickly and never
fails: no index, or a damaged one, completes nothing.

Enable it with ``eval "$(_BRIEFING_COMPLETE=bash_source briefing)"`` (or
``zsh_source``, ``fish_source``); docs/cli.md says where to put it."""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from ..config import Settings


def _index_dir(ctx: click.Context) -> Path:
    """The index the command line names (--index, --corpus or their
    environment variables, which click has parsed by now), or the default."""
    params = ctx.find_root().params
    return Settings(params.get("corpus"), params.get("index_dir")).index


def article_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from index.peek import article_ids as ids

    return [CompletionItem(i, help=title) for i, title in ids(_index_dir(ctx), incomplete)]


def languages(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from index.peek import languages as langs

    return [CompletionItem(lang) for lang in langs(_index_dir(ctx)) if lang.startswith(incomplete.lower())]


def briefing_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from ..briefings import names

    return [CompletionItem(n) for n in names() if n.startswith(incomplete)]


def watch_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from corpus.yamlio import ConfigError

    from ..watches import load

    try:
        found = load()
    except (ConfigError, OSError):  # a broken watches.yaml completes nothing; the commands name its line
        return []
    return [CompletionItem(w.name, help=w.query) for w in found if w.name.startswith(incomplete)]


def query_words(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The last word of a query: a filter's name (``la`` → ``lang:``), or a
    value of ``lang:``, ``kind:`` or ``article:``. Words before it (a
    quoted query) are kept as they are."""
    from corpus.models import Kind
    from index.peek import article_ids as ids
    from index.peek import languages as langs

    head, _, last = incomplete.rpartition(" ")
    head = head + " " if head else ""
    field, colon, value = last.partition(":")
    if colon:
        values: list[tuple[str, str | None]] = []
        if field.lower() == "lang":
            values = [(v, None) for v in langs(_index_dir(ctx))]
        elif field.lower() == "kind":
            values = [(k.value, None) for k in Kind]
        elif field.lower() == "article":
            values = [(i, title) for i, title in ids(_index_dir(ctx), value)]
        return [CompletionItem(f"{head}{field}:{v}", help=h) for v, h in values if v.startswith(value)]
    if not last or last.startswith(("-", '"')):
        return []
    from index.schema import FILTER_FIELDS

    return [CompletionItem(f"{head}{f}:") for f in FILTER_FIELDS if f.startswith(last.lower())]
