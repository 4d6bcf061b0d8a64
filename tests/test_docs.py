"""The docs stay true: their links resolve, docs/cli.md names every command
and option the CLI has (and none it lacks), and docs/guide.md every key the
reader's help lists."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LN")
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    body = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)  # not # comments in code
    return {_slug(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", body, flags=re.M)}


def test_the_docs_exist_and_the_readme_is_short() -> None:
    assert {p.name for p in DOCS} >= {"README.md", "guide.md", "cli.md", "benchmark.md", "troubleshooting.md",
                                      "design.md"}
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 250


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(doc: Path) -> None:
    text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
    checked = 0
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):  # http:, mailto:
            continue
        file, _, anchor = target.partition("#")
        path = (doc.parent / file).resolve() if file else doc
        assert path.exists(), f"{doc.name}: link to {target}: no such file"
        if anchor:
            assert anchor in _anchors(path), f"{doc.name}: link to {target}: no such heading in {path.name}"
        checked += 1
    if doc.name == "README.md":
        assert checked >= 6  # the picture and the five guides at least


def test_no_issue_numbers_in_user_docs() -> None:
    for doc in DOCS:
        found = re.findall(r"\bissues? #?\d+", doc.read_text(encoding="utf-8"), flags=re.I)
        assert not found, f"{doc.name}: {found}"


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    ctx = click.Context(group)
    out: dict[tuple[str, ...], click.Command] = {}
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None
        out[(*path, name)] = cmd
        if isinstance(cmd, click.Group):
            out.update(_commands(cmd, (*path, name)))
    return out


def _options(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params if isinstance(p, click.Option) for o in (*p.opts, *p.secondary_opts)}


def test_cli_doc_names_every_command_and_option() -> None:
    from tui.cli import cli

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands(cli)
    assert ("index", "rebuild") in commands and ("watch", "run") in commands
    for path, cmd in commands.items():
        assert f"briefing {' '.join(path)}" in doc, f"docs/cli.md does not show `briefing {' '.join(path)}`"
        for option in _options(cmd) - {"-h", "--help"}:
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", doc), \
                f"docs/cli.md does not name {option} of briefing {' '.join(path)}"
    for option in _options(cli) - {"-h", "--help"}:
        assert option in doc, f"docs/cli.md does not name the global option {option}"


def test_cli_doc_names_nothing_the_cli_lacks() -> None:
    from tui.cli import cli

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands(cli)
    known_options = set().union(*(_options(c) for c in commands.values()), _options(cli), {"-h", "--help"})
    named = set(re.findall(r"`briefing ((?:[a-z]+ ?)+)", doc))
    assert named, "docs/cli.md shows no command"
    for words in named:
        parts = tuple(words.split())
        # the longest prefix that is a command; the rest are arguments (or nothing)
        assert any(parts[:n] in commands for n in range(len(parts), 0, -1)) or parts == (), \
            f"docs/cli.md shows `briefing {words}`, which is no command"
    for option in set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", doc)):
        assert option in known_options, f"docs/cli.md names {option}, which no command has"


def test_guide_names_every_key_of_the_help_screen() -> None:
    from tui.screens.main import KEY_HELP

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    keys = guide[guide.index("### Keys"):]
    for combo, _what in KEY_HELP:
        for key in combo.split():
            assert f"`{key}`" in keys, f"docs/guide.md's keys do not show `{key}` ({combo}: {_what})"
