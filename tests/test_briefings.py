"""Clips, briefings and their export (issue 17), through the installed
``briefing`` on the bundled corpus and on copies the tests change."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from corpus import BUNDLED_DIR
from tests.conftest import BRIEFING, env_for


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user data folder of this test's own (briefings are per user)."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home / "briefing"


def test_clip_keeps_the_arabic_version_and_the_flags_of_its_bead(run_briefing, data_home: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_briefing("clip", "002", "7", "--note", "the channel's launch", "--query", "双城联动")
    assert "clipped 002 ¶7 (zh; with ar ¶5) as clip 1 of default" in r.stderr
    stored = yaml.safe_load((data_home / "briefings" / "default.yaml").read_text(encoding="utf-8"))
    clip = stored["clips"][0]
    assert (clip["article"], clip["paragraph"], clip["lang"], clip["date"]) == ("002", 7, "zh", "2020-05-18")
    assert clip["text"].startswith("为讲好广深双城故事")
    assert clip["path"] == "002_05264b1b95ebf856.txt"
    assert (clip["note"], clip["query"]) == ("the channel's launch", "双城联动")
    [ar] = clip["versions"]
    assert (ar["article"], ar["lang"], ar["paragraphs"]) == ("000", "ar", [5])
    assert ar["text"].startswith("من أجل سرد قصة قوانغتشو وشنتشن")
    assert ar["flags"] == ["city guangdong only in ar (000)"]  # the bead's flag, naming the version
    align = run_briefing("align", "002", "000", "--json")
    bead = next(b for b in json.loads(align.stdout)["pairs"] if 7 in b["source"])
    assert bead["target"] == [5] and bead["flags"]

    # a second clip appends; the list names both briefings' sizes
    run_briefing("clip", "004", "2", "--briefing", "zhongshan")
    run_briefing("clip", "000", "5")
    listed = json.loads(run_briefing("briefings", "--json").stdout)
    assert [(b["name"], b["clips"], b["languages"]) for b in listed] == [
        ("default", 2, ["ar", "zh"]), ("zhongshan", 1, ["ru"])]


def test_export_in_three_formats(run_briefing, data_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_briefing("clip", "002", "7", "--note", "note with *stars* and <b>tags</b>")
    md = run_briefing("export", "--format", "md").stdout
    assert md.startswith("# Briefing: default\n\n1 clip\n")
    assert "> 为讲好广深双城故事,深圳特区报与广州日报近日携手共建" in md
    assert ("— “广深科创1+1”云桌会,“双城联动”助力广深比翼双飞, 2020-05-18, zh, ¶7, 002\\_05264b1b95ebf856.txt [002]"
            in md)
    assert "**ar** (000 ¶5):\n\n> من أجل سرد قصة قوانغتشو وشنتشن" in md
    assert "⚑ city guangdong only in ar (000)" in md
    assert "**Note:** note with \\*stars\\* and \\<b\\>tags\\</b\\>" in md  # text, never markup

    html = run_briefing("export", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "<link" not in html
    assert '<blockquote lang="zh" dir="ltr"><p>为讲好广深双城故事' in html
    assert '<blockquote lang="ar" dir="rtl"><p>من أجل سرد قصة' in html
    assert "<p class=\"flag\">⚑ city guangdong only in ar (000)</p>" in html
    assert "note with *stars* and &lt;b&gt;tags&lt;/b&gt;" in html
    # the map of the clipped paragraph's places: one circle each, named in a tooltip and the caption
    caption = re.search(r"<figcaption>Places in the clipped paragraphs: (.*?)</figcaption>", html)
    assert caption is not None and "Shenzhen (" in caption.group(1) and "Guangzhou (" in caption.group(1)
    assert html.count("<circle ") == caption.group(1).count("(") and "<title>Shenzhen: " in html

    out = tmp_path / "b.json"
    r = run_briefing("export", "--format", "json", "-o", str(out))
    assert "exported default (1 clips, json)" in r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    stored = yaml.safe_load((data_home / "briefings" / "default.yaml").read_text(encoding="utf-8"))
    assert [{k: v for k, v in c.items() if k != "status"} for c in data["clips"]] == stored["clips"]
    assert data["clips"][0]["status"] == ""


def test_a_briefing_outlives_its_articles(tmp_path: Path, data_home: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, corpus)
    env = env_for(corpus, tmp_path / "ix")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([BRIEFING, *args], capture_output=True, text=True, env=env, timeout=120)

    assert run("index", "rebuild").returncode == 0
    assert run("clip", "004", "1").returncode == 0
    assert run("clip", "003", "2").returncode == 0
    clipped_003 = yaml.safe_load((data_home / "briefings" / "default.yaml").read_text(encoding="utf-8"))["clips"][1]
    (corpus / "004_2426c03314eb353a.txt").unlink()
    f = corpus / "003_30b25a51ecdd53f9.txt"
    lines = f.read_text(encoding="utf-8").split("\n")
    f.write_text("\n".join(line.replace("龙岗", "龙华") for line in lines), encoding="utf-8")
    r = run("index", "update")  # 3: the manifest still lists the deleted file, and says so
    assert r.returncode == 3 and "004_2426c03314eb353a.txt: listed in briefing.yaml but missing" in r.stderr
    data = json.loads(run("export", "--format", "json").stdout)
    assert [c["status"] for c in data["clips"]] == ["gone", "changed since clipped"]
    assert data["clips"][1]["text"] == clipped_003["text"]  # kept as clipped
    md = run("export").stdout
    assert "[004] (gone)" in md and "[003] (changed since clipped)" in md


def test_bad_briefing_names_and_files(run_briefing, data_home: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_briefing("clip", "002", "7", "--briefing", "../escape", check=False)
    assert r.returncode == 2 and "--briefing ../escape: briefing name" in r.stderr
    assert not (data_home.parent / "escape.yaml").exists()
    r = run_briefing("clip", "002", "99", check=False)
    assert r.returncode == 2 and "002 has paragraphs 1 to 63, not 99" in r.stderr
    r = run_briefing("clip", "nope", "1", check=False)
    assert r.returncode == 2 and "no article 'nope'" in r.stderr
    r = run_briefing("export", "missing", check=False)
    assert r.returncode == 2 and "no briefing 'missing'" in r.stderr
    path = data_home / "briefings" / "default.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("name: default\nclips:\n- article: '002'\n  paragraph: seven\n  text: x\n", encoding="utf-8")
    r = run_briefing("clip", "002", "7", check=False)
    assert r.returncode == 2 and f"{path}:4: paragraph must be a number from 1" in r.stderr
    assert "Traceback" not in r.stderr
    assert "paragraph: seven" in path.read_text(encoding="utf-8")  # nothing lost


def test_corpus_text_stays_data_in_every_format(tmp_path: Path, data_home: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        "Evil title\n\n# Not a heading *not bold* <script>alert(1)</script> [link](http://x) \x1b[31mred\x1b[0m\n",
        encoding="utf-8")
    env = env_for(corpus, tmp_path / "ix")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([BRIEFING, *args], capture_output=True, text=True, env=env, timeout=120)

    assert run("index", "rebuild").returncode == 0
    assert run("clip", "evil", "2").returncode == 0
    md = run("export").stdout
    assert (
        "> \\# Not a heading \\*not bold\\* \\<script\\>alert(1)\\</script\\> \\[link\\](http://x) �\\[31mred�\\[0m"
        in md
    )
    html = run("export", "--format", "html").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "\x1b" not in md + html
    stored = (data_home / "briefings" / "default.yaml").read_text(encoding="utf-8")
    assert "\\e[31m" in stored or "\\x1B[31m" in stored or "\\x1b[31m" in stored  # kept as clipped, escaped by YAML


def test_export_to_a_folder_that_is_not_there_or_not_writable(run_briefing, data_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_briefing("clip", "002", "7")
    missing = tmp_path / "no" / "such" / "b.md"
    r = run_briefing("export", "-o", str(missing), check=False)
    assert r.returncode == 2 and f"-o {missing}: the folder {missing.parent} does not exist" in r.stderr
    assert not missing.parent.exists()  # not made up on the way
    r = run_briefing("export", "--format", "html", "-o", "/proc/briefing.html", check=False)
    assert r.returncode == 1 and "-o /proc/briefing.html: cannot write it:" in r.stderr and ".part" not in r.stderr
    assert "Traceback" not in r.stderr
