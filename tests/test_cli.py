"""Every CLI command's JSON shape and exit codes, through the installed
``briefing`` script."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import BRIEFING, env_for, write
from tests.queries import queries


def run(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BRIEFING, *args], capture_output=True, text=True, env=env, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from corpus import BUNDLED_DIR

    e = env_for(BUNDLED_DIR, tmp_path_factory.mktemp("cli-index"))
    assert run("index", "rebuild", env=e).returncode == 0
    return e


def test_every_command_has_help() -> None:
    for args in ([], ["index"], ["index", "rebuild"], ["index", "update"], ["index", "status"], ["articles"],
                 ["show"], ["search"], ["speakers"], ["cities"], ["align"], ["clip"], ["briefings"], ["export"],
                 ["watch"], ["watch", "add"], ["watch", "list"], ["watch", "remove"], ["watch", "run"]):
        r = subprocess.run([BRIEFING, *args, "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "Usage: briefing" in r.stdout
        assert len(r.stdout.split("\n\n")[1].strip()) > 10  # a real description


def test_the_build_s_memory_is_an_option_and_a_config_key(env: dict[str, str], tmp_path: Path) -> None:
    r = run("index", "rebuild", "--json", "--memory", "1024", env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["articles"] == 5
    r = run("index", "update", "--memory", "100", env=env)
    assert r.returncode == 2 and "--memory" in r.stderr and "100 is not in the range x>=512" in r.stderr
    config = tmp_path / "config.yaml"
    config.write_text("bidi: auto\nmemory: 1024\n", encoding="utf-8")
    r = run("index", "update", "--json", env=env | {"BRIEFING_CONFIG": str(config)})
    assert r.returncode == 0 and json.loads(r.stdout)["articles"] == 5
    config.write_text("bidi: auto\nmemory: 2 GB\n", encoding="utf-8")
    r = run("index", "update", env=env | {"BRIEFING_CONFIG": str(config)})
    assert r.returncode == 2, r.stderr
    assert f"{config}:2: memory is a build's budget in MB, a whole number of at least 512, not '2 GB'" in r.stderr


def test_rebuild_update_status_json(env: dict[str, str]) -> None:
    r = run("index", "rebuild", "--json", env=env)
    assert r.returncode == 0
    report = json.loads(r.stdout)
    assert (report["mode"], report["articles"], report["paragraphs"], report["skipped"]) == ("rebuild", 5, 187, [])
    r = run("index", "update", "--json", env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["changed"] == []
    status = json.loads(run("index", "status", "--json", env=env).stdout)
    assert status["articles"] == 5 and status["languages"] == ["ar", "de", "ru", "zh"]


def test_articles_json(env: dict[str, str]) -> None:
    rows = json.loads(run("articles", "--json", env=env).stdout)
    assert [r["id"] for r in rows] == ["000", "001", "002", "003", "004"]
    assert set(rows[0]) >= {"id", "path", "lang", "title", "date", "paragraphs", "translations"}
    assert rows[2] | {"title": None, "encoding": None} == {
        "id": "002", "path": "002_05264b1b95ebf856.txt", "lang": "zh", "title": None, "date": "2020-05-18",
        "paragraphs": 63, "translations": ["000"], "encoding": None,
        "versions": [{"id": "000", "lang": "ar", "confidence": 1.0}],  # declared in the manifest
    }


def test_show_json_and_unknown_id(env: dict[str, str]) -> None:
    doc = json.loads(run("show", "002", "--json", env=env).stdout)
    assert (doc["id"], doc["lang"]) == ("002", "zh")
    p17 = doc["paragraphs"][16]
    assert (p17["n"], p17["kind"], p17["speaker"]) == (17, "turn", "hu-gang")
    assert p17["text"].startswith("胡刚:广州、深圳两座城市有共性") and p17["cities"][:2] == ["guangzhou", "shenzhen"]
    r = run("show", "999", env=env)
    assert r.returncode == 2 and "no article '999'" in r.stderr


def test_search_json_shape_and_stdin_mode(env: dict[str, str]) -> None:
    r = run("search", "Zhongshan", "--lang", "ru", "--limit", "2", "--json", env=env)
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    assert set(doc) >= {"query", "expanded", "total", "hits"}
    assert doc["expanded"][0].startswith("Zhongshan → 中山")
    assert {h["lang"] for h in doc["hits"]} == {"ru"} and len(doc["hits"]) == 2
    assert set(doc["hits"][0]) >= {"article", "path", "lang", "paragraph", "score", "snippet", "speaker"}
    wide = json.loads(run("search", "Shenzhen", "--json", env=env).stdout)
    exact = json.loads(run("search", "Shenzhen", "--exact", "--json", env=env).stdout)
    assert exact["expanded"] == [] and 0 < exact["total"] < wide["total"]
    lines = run("search", "-", "--json", env=env, stdin='创新\n"bad\nZhongshan\n').stdout.strip().split("\n")
    assert [json.loads(x)["query"] for x in lines] == ["创新", '"bad', "Zhongshan"]
    assert "unbalanced quote" in json.loads(lines[1])["error"]


def test_search_errors_exit_2(env: dict[str, str]) -> None:
    r = run("search", "(Shenzhen", env=env)
    assert r.returncode == 2 and "unbalanced parenthesis" in r.stderr and "Traceback" not in r.stderr
    r = run("search", "x", "--limit", "0", env=env)
    assert r.returncode == 2 and "--limit" in r.stderr


def test_speakers_cities_align_json(env: dict[str, str]) -> None:
    speakers = {s["id"]: s for s in json.loads(run("speakers", "--json", env=env).stdout)}
    assert speakers["liu-wei"]["names"] == {"ar": ["ليو وي"], "zh": ["刘伟"]}
    assert speakers["liu-wei"]["articles"] == ["000", "002"]
    assert set(speakers["hu-gang"]) >= {"id", "name", "names", "roles", "articles", "turns"}
    cities = {c["id"]: c for c in json.loads(run("cities", "--json", env=env).stdout)}
    assert cities["zhongshan"]["articles"] == {"004": 7}
    assert set(cities["zhongshan"]["names"]["ru"]) == {"Чжуншань", "Чжуншаню", "Чжуншаня", "Zhongshan"}
    align = json.loads(run("align", "002", "000", "--json", env=env).stdout)
    assert (align["source"], align["target"], align["confidence"]) == ("002", "000", 1.0)


def test_skipped_files_exit_3_and_bad_manifest_exit_2(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "good.txt", "Titel\n\nShenzhen wächst.")
    (corpus / "bin.txt").write_bytes(bytes(range(256)) * 4)
    env = env_for(corpus, tmp_path / "ix")
    r = run("index", "rebuild", env=env)
    assert r.returncode == 3 and "skipped bin.txt: binary file" in r.stderr
    write(corpus / "briefing.yaml", "articles: [\n")
    r = run("index", "rebuild", env=env)
    assert r.returncode == 2 and f"{corpus / 'briefing.yaml'}:2:" in r.stderr and "Traceback" not in r.stderr
    # the previous index still answers
    (corpus / "briefing.yaml").unlink()
    assert json.loads(run("search", "Shenzhen", "--json", env=env).stdout)["total"] == 1


def test_usage_error_exit_2() -> None:
    r = subprocess.run([BRIEFING, "index", "frobnicate"], capture_output=True, text=True)
    assert r.returncode == 2


def test_hostile_text_is_inert_in_tables(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    evil = ("Text with \x1b[2J\x1b]52;c;aGk=\x07 \x1b]0;pwned\x07 \u202eesrever\u202c zero\u200bwidth "
            "and [link=http://x]link[/link] Shenzhen.")
    write(corpus / "evil.txt", "Evil [bold red]title[/]\n\n" + evil)
    env = env_for(corpus, tmp_path / "ix") | {"COLUMNS": "300"}
    for args in (("show", "evil"), ("search", "Shenzhen"), ("articles",)):
        r = run(*args, env=env)
        assert r.returncode == 0
        for bad in ("\x1b", "\x07", "\u202e", "\u200b"):
            assert bad not in r.stdout + r.stderr, (args, bad)
    shown = run("show", "evil", env=env).stdout
    assert "[bold red]title[/]" in shown and "[link=http://x]" in shown and "esrever zerowidth" in shown
    doc = json.loads(run("show", "evil", "--json", env=env).stdout)
    assert doc["paragraphs"][1]["text"] == evil  # verbatim in JSON


@settings(max_examples=6, deadline=None)
@given(qs=st.lists(queries, min_size=10, max_size=40))
def test_search_survives_any_query(env: dict[str, str], qs: list[str]) -> None:
    """Property: `briefing search -` answers every line with JSON (results or
    an error naming the problem), never a traceback."""
    qs = [q.replace("\r", " ").replace("\n", " ") for q in qs]
    r = run("search", "-", "--json", env=env, stdin="\n".join(qs) + "\n")
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr
    answers = [json.loads(line) for line in r.stdout.split("\n") if line]
    assert len(answers) == len(qs)  # line for line, a blank line answered with an error
    assert [a["query"] for a in answers] == qs  # each answer echoes its line as given
    assert all(("error" in a) or ("hits" in a) for a in answers)


def test_search_sorted_by_date_shows_the_date(run_briefing) -> None:  # type: ignore[no-untyped-def]
    lines = run_briefing("search", "Shenzhen date:2020-05", "--sort", "date", "--limit", "3").stdout.splitlines()
    assert lines[0] == "date\tarticle\t¶\tlang\tscore\tspeaker\tsnippet"
    assert [line.split("\t")[:3] for line in lines[1:]] == [["2020-05-18", "002", "48"], ["2020-05-18", "002", "7"],
                                                           ["2020-05-18", "002", "33"]]
    hits = json.loads(run_briefing("search", "深圳", "--sort", "date", "--json", "--limit", "500").stdout)["hits"]
    dates = [h["date"] or "" for h in hits]
    assert dates == sorted(dates, reverse=True) and {"2020-05-18", "2020-05-17", ""} == set(dates)
    r = run_briefing("search", "深圳", "--sort", "title", check=False)
    assert r.returncode == 2 and "'title' is not one of 'score', 'date'" in r.stderr


def test_versions_lists_groups_weakest_first(env: dict[str, str]) -> None:
    """The bundled pair is declared in the manifest: one group, confidence 1.0;
    --below keeps only groups with a weaker link."""
    groups = json.loads(run("versions", "--json", env=env).stdout)
    assert groups == [{"articles": [{"id": "000", "lang": "ar"}, {"id": "002", "lang": "zh"}], "weakest": 1.0,
                       "links": [{"a": "000", "b": "002", "confidence": 1.0, "declared": True}]}]
    r = run("versions", "--below", "0.9", env=env)
    assert r.returncode == 0 and r.stdout.splitlines() == ["articles\tlanguages\tweakest\tlinks"]
    assert "0 of 1 version groups with a link below 0.9" in r.stderr
    r = run("versions", "--below", "2", env=env)
    assert r.returncode == 2 and "--below" in r.stderr


def test_places_and_people_of_a_world_news_folder(tmp_path: Path) -> None:
    """A folder nobody tuned to: places resolve to GeoNames ids with their
    facts, city: and plain words find them in every script, and people who
    are only named are listed after those who speak."""
    corpus = tmp_path / "news"
    write(corpus / "en.txt", "Talks in London\n\nHolly Willoughby said the talks in London went well.\n\n"
                             "She thanked Peter Jones, who stayed in Paris.\n\n"
                             "A storm passed Punta Eugenia, Mexico on Sunday.\n")
    write(corpus / "zh.txt", "伦敦会谈\n\n会谈周一在伦敦举行，霍莉·威洛比表示满意。\n")
    e = env_for(corpus, tmp_path / "ix")
    assert run("index", "rebuild", env=e).returncode == 0
    places = {c["id"]: c for c in json.loads(run("places", "--json", env=e).stdout)}
    london = places["london-2643743"]
    assert (london["kind"], london["country"], london["geonames"]) == ("city", "GB", 2643743)
    assert london["population"] > 8_000_000 and round(london["lat"]) == 52
    assert london["forms"] == {"en": ["London"], "zh": ["伦敦"]}
    assert places["paris-2988507"]["country"] == "FR"
    # a place GeoNames' cities of 15,000 lack, named with its country: a city of that country, without facts
    small = places["punta-eugenia~mx"]
    assert (small["name"], small["kind"], small["country"], small["geonames"], small["lat"]) == (
        "Punta Eugenia", "city", "MX", None, None)
    assert {h["article"] for h in json.loads(run("search", 'place:"Punta Eugenia"', "--json", env=e).stdout)["hits"]} \
        == {"en"}
    assert json.loads(run("cities", "--json", env=e).stdout) == list(places.values())  # one command, two names
    hits = json.loads(run("search", "city:London", "--json", env=e).stdout)["hits"]
    assert {h["article"] for h in hits} == {"en", "zh"}
    assert {h["article"] for h in json.loads(run("search", "London", "--json", env=e).stdout)["hits"]} == {"en", "zh"}
    people = json.loads(run("speakers", "--json", env=e).stdout)
    by_name = {p["name"]: p for p in people}
    # one person in both versions (霍莉·威洛比 sounds as Holly Willoughby, in aligned paragraphs), speaking in both
    assert by_name["Holly Willoughby"]["speaks"] and by_name["Holly Willoughby"]["speaking"] == ["en", "zh"]
    assert by_name["Holly Willoughby"]["forms"] == {"en": ["Holly Willoughby"], "zh": ["霍莉·威洛比"]}
    assert not by_name["Peter Jones"]["speaks"] and by_name["Peter Jones"]["mentions"] == {"en": 1}
    assert [p["name"] for p in people].index("Holly Willoughby") < [p["name"] for p in people].index("Peter Jones")
    table = run("places", env=e).stdout
    assert "london-2643743" in table and "GB" in table


def test_meaning_search_and_like_from_the_command_line(env: dict[str, str]) -> None:
    r = run("search", "~Guangzhou and Shenzhen cooperating on innovation", "--lang", "ar", "--limit", "3", "--json",
            env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["query"] == "~Guangzhou and Shenzhen cooperating on innovation"
    assert [h["lang"] for h in doc["hits"]] == ["ar"] * 3
    assert all(h["similarity"] == h["score"] for h in doc["hits"])
    table = run("search", "~cooperation lang:ru", "--limit", "2", env=env)
    assert table.stdout.splitlines()[0].split("\t")[:4] == ["article", "¶", "lang", "similarity"]
    assert "2 most similar paragraphs" in table.stderr
    like = json.loads(run("like", "002", "36", "--limit", "5", "--json", env=env).stdout)
    assert len(like["hits"]) == 5 and not {h["article"] for h in like["hits"]} & {"000", "002"}
    bad = run("like", "002", "9999", env=env)
    assert bad.returncode == 2 and "like 002 9999: 002 has paragraphs 1 to" in bad.stderr


def test_a_build_whose_worker_is_killed_is_named_without_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A worker process killed from outside (the out-of-memory killer) breaks
    the build's process pool: the command says so in one line and exits 1,
    with no traceback, and the index is not touched."""
    from concurrent.futures.process import BrokenProcessPool

    import index
    from corpus import BUNDLED_DIR
    from tui.cli.group import main

    def killed(*_args: object, **_kwargs: object) -> None:
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(index, "rebuild", killed)
    with pytest.raises(SystemExit) as exit_:
        main(["--corpus", str(BUNDLED_DIR), "--index", str(tmp_path / "ix"), "index", "rebuild"])
    err = capsys.readouterr().err
    assert exit_.value.code == 1 and "Traceback" not in err
    assert err.strip() == (f"briefing: a worker process of the rebuild ended abruptly, killed perhaps for lack of "
                           f"memory (a smaller --memory budget starts fewer of them); the index at {tmp_path / 'ix'} "
                           "is left as it was")
    assert not (tmp_path / "ix").exists()
