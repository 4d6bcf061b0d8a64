"""Shell completion through click's environment variable, as bash, zsh and
fish drive it: the candidates come from the index and the user's files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from tests.conftest import BRIEFING, env_for


def complete(words: str, env: dict[str, str], shell: str = "bash", quoted: bool = False) -> list[str]:
    """The candidates ``briefing`` offers for the last word of ``words``
    (an empty last word when ``words`` ends with a space)."""
    parts = words.split(" ")
    # bash and zsh give the index of the word being completed; fish gives the word itself
    # (a quoted last word holds one space here)
    cword = parts[-1] if shell == "fish" else str(len(parts) - 1 - quoted)
    env = env | {"COMP_WORDS": words, "COMP_CWORD": cword, "_BRIEFING_COMPLETE": f"{shell}_complete"}
    r = subprocess.run([BRIEFING], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    if shell == "bash":  # "type,value" per line
        return [line.split(",", 1)[1] for line in r.stdout.splitlines() if line]
    if shell == "zsh":  # type, value, help: three lines per candidate
        lines = r.stdout.splitlines()
        return lines[1::3]
    return [line.split(",", 1)[1].split("\t")[0] for line in r.stdout.splitlines() if line]  # fish: type,value<TAB>help


@pytest.fixture
def env(bundled_index: Path) -> dict[str, str]:
    return env_for(BUNDLED_DIR, bundled_index)


def test_article_ids_from_the_index(env: dict[str, str]) -> None:
    assert complete("briefing show ", env) == ["000", "001", "002", "003", "004"]
    assert complete("briefing show 00", env) == ["000", "001", "002", "003", "004"]
    assert complete("briefing show 003", env) == ["003"]
    assert complete("briefing show 9", env) == []
    assert complete("briefing align 002 00", env) == ["000", "001", "002", "003", "004"]
    assert complete("briefing clip 00", env, shell="fish") == ["000", "001", "002", "003", "004"]


def test_languages_filters_and_kinds_in_a_query(env: dict[str, str]) -> None:
    assert complete("briefing search --lang ", env) == ["ar", "de", "ru", "zh"]
    assert complete("briefing search --lang z", env, shell="zsh") == ["zh"]
    assert complete("briefing search lang:", env) == ["lang:ar", "lang:de", "lang:ru", "lang:zh"]
    assert complete("briefing search la", env) == ["lang:"]
    assert complete("briefing search ", env) == []  # a free word: nothing to guess
    assert complete("briefing search k", env) == ["kind:"]
    # a quoted query: the words before the last stay as typed
    assert complete("briefing search 'shenzhen kind:t", env, quoted=True) == [
        "shenzhen kind:title", "shenzhen kind:turn"]
    assert complete("briefing search article:00", env) == [f"article:00{n}" for n in range(5)]


def test_briefing_and_watch_names(env: dict[str, str], tmp_path: Path) -> None:
    assert complete("briefing export ", env) == []
    subprocess.run([BRIEFING, "clip", "002", "3", "--briefing", "ports"], env=env, check=True, capture_output=True)
    subprocess.run([BRIEFING, "clip", "002", "4", "--briefing", "people"], env=env, check=True, capture_output=True)
    assert complete("briefing export ", env) == ["people", "ports"]
    assert complete("briefing export po", env) == ["ports"]
    assert complete("briefing clip 002 3 --briefing pe", env) == ["people"]
    subprocess.run([BRIEFING, "watch", "add", "深圳", "--name", "shenzhen"], env=env, check=True, capture_output=True)
    assert complete("briefing watch remove ", env) == ["shenzhen"]
    assert complete("briefing watch remove x", env) == []


def test_no_index_completes_nothing_quietly(tmp_path: Path) -> None:
    env = env_for(BUNDLED_DIR, tmp_path / "none")
    assert complete("briefing show ", env) == []
    assert complete("briefing search lang:", env) == []
    assert not (tmp_path / "none").exists()  # completing never builds an index


def test_completion_scripts_for_each_shell() -> None:
    for shell, marker in (("bash", "complete -o nosort -F"), ("zsh", "#compdef briefing"), ("fish", "complete")):
        r = subprocess.run([BRIEFING], capture_output=True, text=True, timeout=60,
                           env={"PATH": "/usr/bin:/bin", "_BRIEFING_COMPLETE": f"{shell}_source"})
        assert r.returncode == 0 and marker in r.stdout and "_BRIEFING_COMPLETE" in r.stdout, (shell, r.stdout[:200])
