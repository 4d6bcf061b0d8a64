"""Saved searches that report what is new (issue 17): the installed
``briefing`` on a copy of the bundled corpus that the test changes and
updates, as a cron job would."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from tests.conftest import BRIEFING, env_for


@pytest.fixture
def briefing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, corpus)
    env = env_for(corpus, tmp_path / "ix")

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        r = subprocess.run([BRIEFING, *args], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == code, r.stderr
        assert "Traceback" not in r.stderr
        return r

    run("index", "rebuild")
    run.corpus = corpus  # type: ignore[attr-defined]
    return run


def test_watch_run_reports_only_what_is_new(briefing) -> None:  # type: ignore[no-untyped-def]
    r = briefing("watch", "add", "Zhongshan", "--name", "zs")
    assert "watching 'Zhongshan' as zs" in r.stderr
    briefing("watch", "add", "深圳 date:2020")
    listed = json.loads(briefing("watch", "list", "--json").stdout)
    assert [(w["name"], w["query"]) for w in listed] == [("zs", "Zhongshan"), ("深圳-date-2020", "深圳 date:2020")]

    # before anything changes: nothing new, exit 0
    before = json.loads(briefing("watch", "run", "--json").stdout)
    assert [(w["name"], w["matches"], w["new"]) for w in before] == [("zs", 6, []), ("深圳-date-2020", 77, [])]
    assert briefing("watch", "run").stdout.startswith("zs: 0 new hits since ")

    # a new article, and an old one changed; then the cron job's update
    (briefing.corpus / "port.txt").write_text(
        "Zhongshan opens a port\n\nZhongshan opened a new port on Monday.\n\nThe port serves the bay.\n",
        encoding="utf-8")
    ru = briefing.corpus / "004_2426c03314eb353a.txt"
    ru.write_text(ru.read_text(encoding="utf-8") + "\nЧжуншань открывает новый порт.\n", encoding="utf-8")
    briefing("index", "update")  # port.txt is read though the manifest does not list it
    after = json.loads(briefing("watch", "run", "--json").stdout)
    zs = after[0]
    new = sorted((h["article"], h["paragraph"], h["article_is"]) for h in zs["new"])
    # 004's last paragraph took the new sentence: a hit whose text changed, in a changed article
    assert new == [("004", 7, "changed"), ("port", 1, "new"), ("port", 2, "new")]
    assert zs["matches"] == 8 and zs["since"] >= before[0]["since"]
    port = next(h for h in zs["new"] if h["article"] == "port" and h["paragraph"] == 2)
    assert port["snippet"] == "Zhongshan opened a new port on Monday." and port["lang"] == "en"
    assert after[1]["new"] == []  # 深圳 date:2020: the new article has no date

    # reported once: the next run has nothing new
    again = json.loads(briefing("watch", "run", "--json").stdout)
    assert [w["new"] for w in again] == [[], []]

    # the table form, for a person reading cron's mail
    (briefing.corpus / "port2.txt").write_text("Zhongshan again\n\nMore news from Zhongshan.\n", encoding="utf-8")
    briefing("index", "update")
    table = briefing("watch", "run").stdout
    assert "zs: 2 new hits since" in table
    assert "port2\t2\ten\t\tnew\tMore news from Zhongshan." in table


def test_watch_names_queries_and_removal(briefing) -> None:  # type: ignore[no-untyped-def]
    r = briefing("watch", "add", '"unclosed', code=2)
    assert "bad query '\"unclosed'" in r.stderr
    r = briefing("watch", "add", "x", "--name", "a/b", code=2)
    assert "--name: watch name 'a/b'" in r.stderr
    briefing("watch", "add", "Shenzhen", "--name", "sz")
    briefing("watch", "add", "Shenzhen port", "--name", "sz-port")
    r = briefing("watch", "add", "Guangzhou", "--name", "sz", code=2)
    assert "a watch named 'sz' exists already" in r.stderr
    briefing("watch", "run")
    state = Path(str(briefing.corpus)).parent / "data" / "briefing" / "watch-state"
    assert len(list(state.glob("*.json"))) == 2
    assert "removed watch sz" in briefing("watch", "remove", "sz").stderr
    assert [p.name[:-16] for p in state.glob("*.json")] == ["sz-port"]  # sz's only, not sz-port's
    r = briefing("watch", "remove", "sz", code=2)
    assert "no watch 'sz'; watches: sz-port" in r.stderr
    # a watches.yaml edited by hand: a bad query is named, the others still run
    path = state.parent / "watches.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- name: broken\n  query: 'a AND'\n", encoding="utf-8")
    r = briefing("watch", "run", code=2)
    assert "watch broken: bad query 'a AND'" in r.stderr and "sz-port: 0 new hits" in r.stdout
    path.write_text("watches:\n- name: x\n", encoding="utf-8")
    r = briefing("watch", "list", code=2)
    assert f"{path}:2: a watch needs a name and a query" in r.stderr
