"""The CLI as scripts and terminals meet it (issue 18): one test per defect
found by trying it as a scripting analyst would, and its siblings. Each runs
the installed ``briefing`` as a subprocess, on the bundled corpus or on
folders the test writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from tests.conftest import BRIEFING, env_for, write


def run(*args: str, env: dict[str, str] | None = None, stdin: str | bytes | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    r = subprocess.run([BRIEFING, *args], capture_output=True, input=data, env=env, timeout=timeout)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode("utf-8", "replace"),
                                       r.stderr.decode("utf-8", "replace"))


def no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr.replace("Error: Invalid value", ""), r.stderr


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    e = env_for(BUNDLED_DIR, tmp_path_factory.mktemp("scripts-index")) | {"COLUMNS": "80"}
    r = run("index", "rebuild", env=e)
    assert r.returncode == 0, r.stderr
    return e


def search(env: dict[str, str], *args: str) -> dict:  # type: ignore[type-arg]
    r = run("search", *args, "--json", env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


# 1 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("briefing.yaml", "articles:\n  - id: a\n    file: a.txt\n    date: 2020-13-45\n", 4),
        ("briefing.yaml", "articles:\n  - id: a\n    file: a.txt\n    date: 2020-02-30\n", 4),
        ("overrides.yaml", "speakers:\n  not_person: [!!timestamp 2020-13-45]\n", 2),
        ("people.yaml", "people:\n  - id: x\n    name: X\n    roles: [!!timestamp 2020-02-30]\n", 4),
    ],
)
def test_impossible_dates_in_corpus_yaml_name_file_and_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Titel\n\nShenzhen wächst.")
    write(corpus / name, text)
    r = run("index", "rebuild", env=env_for(corpus, tmp_path / "ix"))
    assert r.returncode == 2
    assert f"{corpus / name}:{line}:" in r.stderr and "Traceback" not in r.stderr


def test_dates_written_plainly_are_text_where_text_is_wanted(tmp_path: Path) -> None:
    """YAML 1.1 read 2020-13-45 as a date (and crashed); as a name it is just a name."""
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Titel\n\nShenzhen wächst.")
    write(corpus / "overrides.yaml", "speakers:\n  not_person: [2020-13-45]\n")
    r = run("index", "rebuild", env=env_for(corpus, tmp_path / "ix"))
    assert r.returncode == 0 and "not_person '2020-13-45' matches no speaker" in r.stderr


def test_impossible_date_in_the_config_file(tmp_path: Path, bundled: dict[str, str]) -> None:
    config = write(tmp_path / "config.yaml", "bidi: 2020-02-30\n")
    r = run("articles", env=bundled | {"BRIEFING_CONFIG": str(config)})
    assert r.returncode == 2 and f"{config}:1: bidi must be one of auto, visual, terminal" in r.stderr
    write(config, "bidi: !!timestamp 2020-13-45\n")
    r = run("articles", env=bundled | {"BRIEFING_CONFIG": str(config)})
    assert r.returncode == 2 and f"{config}:1:" in r.stderr and "Traceback" not in r.stderr


# 2 ----------------------------------------------------------------------------------------
def test_quoted_speakers_own_their_paragraph(bundled: dict[str, str]) -> None:
    for query, (article, n, speaker) in [
        ("speaker:lei-yuelong", ("004", 3, "lei-yuelong")),
        ('speaker:"Лэй Юэлун"', ("004", 3, "lei-yuelong")),
        ("speaker:徐扬生", ("003", 6, "xu-yangsheng")),
        ("speaker:张礼卫", ("003", 7, "zhang-liwei")),
    ]:
        doc = search(bundled, query)
        assert [(h["article"], h["paragraph"], h["speaker"]) for h in doc["hits"]] == [(article, n, speaker)], query
    p3 = json.loads(run("show", "004", "--json", env=bundled).stdout)["paragraphs"][2]
    assert (p3["speaker"], p3["speakers"], p3["kind"]) == ("lei-yuelong", ["lei-yuelong"], "body")
    # the Speakers pane's counts and the filter agree: one paragraph each
    speakers = {s["id"]: s for s in json.loads(run("speakers", "--json", env=bundled).stdout)}
    assert all(speakers[s]["turns"] == 1 for s in ("lei-yuelong", "xu-yangsheng", "zhang-liwei"))
    # show and the filter agree for every speaker, interview turns and their continuations included
    shown = [json.loads(run("show", a, "--json", env=bundled).stdout) for a in ("000", "002", "003", "004")]
    for sid in ("hu-gang", "lin-na", "lei-yuelong", "xu-yangsheng"):
        paragraphs = {(d["id"], p["n"]) for d in shown for p in d["paragraphs"] if sid in p["speakers"]}
        hits = {(h["article"], h["paragraph"]) for h in search(bundled, f"speaker:{sid}", "--limit", "100")["hits"]}
        assert hits == paragraphs and hits, sid


# 3 ----------------------------------------------------------------------------------------
def test_an_index_of_another_corpus_is_refused(tmp_path: Path) -> None:
    a, b, ix = tmp_path / "a", tmp_path / "b", tmp_path / "ix"
    write(a / "one.txt", "Titel\n\nShenzhen wächst.")
    write(b / "two.txt", "Titel\n\nGuangzhou wächst.")
    assert run("index", "rebuild", env=env_for(a, ix)).returncode == 0
    for args in (["articles"], ["search", "Shenzhen"], ["index", "update"]):
        r = run(*args, env=env_for(b, ix))
        assert r.returncode == 2, args
        assert f"built from {a.resolve()}, not from {b.resolve()}" in r.stderr
        assert f"briefing --corpus {b.resolve()} --index {ix.resolve()} index rebuild" in r.stderr
    # the explicit rebuild is how to re-use the folder
    assert run("index", "rebuild", env=env_for(b, ix)).returncode == 0
    assert [x["id"] for x in json.loads(run("articles", "--json", env=env_for(b, ix)).stdout)] == ["two"]


# 4 ----------------------------------------------------------------------------------------
def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    esc = "\x1b[31mred\x1b]0;pwned\x07"
    write(corpus / f"a{esc}.txt", "Titel\n\nShenzhen wächst. Li Qingquan sagte, es gehe voran.")
    write(corpus / "b.txt", "Заголовок\n\nШэньчжэнь растёт.")
    (corpus / f"bin{esc}.txt").write_bytes(bytes(range(256)) * 4)
    env = env_for(corpus, tmp_path / "ix")
    aid = f"a{esc}"
    outputs = [run("index", "rebuild", env=env)]
    assert outputs[0].returncode == 3
    outputs += [run(*args, env=env) for args in (
        ["articles"], ["cities"], ["speakers"], ["align", aid, "b"], ["show", "nope"], ["show", aid],
        ["search", "Shenzhen"], ["index", "status"], ["search", "Shenzhen", "--json"], ["articles", "--json"],
    )]
    for r in outputs:
        for bad in ("\x1b", "\x07"):
            assert bad not in r.stdout + r.stderr, (r.args, r.stdout, r.stderr)
    assert "skipped bin\ufffd[31mred\ufffd]0;pwned" in outputs[0].stderr and ".txt: binary file" in outputs[0].stderr
    assert "known ids: a\ufffd[31mred" in outputs[5].stderr
    # JSON keeps the id exactly (escaped by JSON itself), so it can be passed back
    ids = [x["id"] for x in json.loads(outputs[-1].stdout)]
    assert aid in ids and run("show", aid, "--json", env=env).returncode == 0


def test_c1_controls_and_bidi_overrides_are_escaped_in_json(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    text = "Shenzhen \x9b31m wächst \u202e rückwärts"
    write(corpus / "a.txt", "Titel\n\n" + text)
    r = run("show", "a", "--json", env=env_for(corpus, tmp_path / "ix"))
    assert "\x9b" not in r.stdout and "\u202e" not in r.stdout and "\\u009b" in r.stdout
    assert json.loads(r.stdout)["paragraphs"][1]["text"] == text  # the same text once decoded


# 5 ----------------------------------------------------------------------------------------
def test_piped_output_is_whole_lines_and_whole_ids(bundled: dict[str, str]) -> None:
    doc = json.loads(run("show", "002", "--json", env=bundled).stdout)
    want = sum(1 for p in doc["paragraphs"] if "深圳" in p["text"])
    shown = run("show", "002", env=bundled).stdout
    assert sum(1 for line in shown.splitlines() if "深圳" in line) == want
    assert len(shown.splitlines()) == 1 + len(doc["paragraphs"])  # a title line, then one line per paragraph
    rows = [line.split("\t") for line in run("articles", env=bundled).stdout.splitlines()]
    assert rows[0] == ["id", "lang", "date", "¶", "versions", "title"]
    assert [r[0] for r in rows[1:]] == ["000", "001", "002", "003", "004"]
    assert all(len(r) == 6 for r in rows)
    hits = [line.split("\t") for line in run("search", "深圳", "--limit", "50", env=bundled).stdout.splitlines()[1:]]
    assert len(hits) == 50 and all(len(h) == 6 for h in hits)


def test_narrow_terminal_keeps_ids_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    long_id = "2024-05-18_longgang_0001"
    write(corpus / f"{long_id}.txt", "Ein ziemlich langer Titel über Shenzhen und Longgang\n\nShenzhen wächst schnell.")
    env = env_for(corpus, tmp_path / "ix") | {"COLUMNS": "40", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    for args in (["articles"], ["search", "Shenzhen"], ["cities"]):
        r = run(*args, env=env)
        shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", r.stdout)
        assert r.returncode == 0 and long_id in shown, (args, shown)
        assert max(len(line) for line in shown.splitlines()) <= 40


# 6 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "marked"), [('"双城联动"', {"双城联动"}), ('"广深科创"', {"广深科创"})])
def test_phrases_are_highlighted_whole(bundled: dict[str, str], query: str, marked: set[str]) -> None:
    doc = search(bundled, query)
    assert doc["hits"]
    for h in doc["hits"]:
        assert {h["snippet"][s:e] for s, e in h["highlights"]} == marked


def test_only_the_phrase_is_highlighted(bundled: dict[str, str]) -> None:
    doc = search(bundled, '"regionalen wissenschaftlichen"')
    assert doc["hits"]
    for h in doc["hits"]:
        for s, e in h["highlights"]:
            words = h["snippet"][s:e].lower().split()
            assert len(words) == 2 and words[0].startswith("regional") and words[1].startswith("wissenschaftlich")
            assert "wirtschaftlich" not in h["snippet"][s:e]


def test_snippets_centre_their_first_match(bundled: dict[str, str]) -> None:
    for query in ("科技创新", "Innovationskooperation", "深圳 -广州"):
        for h in search(bundled, query, "--limit", "50")["hits"]:
            snippet, spans = h["snippet"], h["highlights"]
            assert spans, (query, snippet)
            if snippet.startswith("…"):
                first = spans[0][0]
                assert first >= 40, (query, snippet)  # not at the edge: there is context on its left
            if snippet.endswith("…") or snippet.startswith("…"):
                assert len(snippet) <= 240
    # each row of the terminal's table shows its match (in reverse video), cut around it
    table = run("search", "科技创新", env=bundled | {"TTY_COMPATIBLE": "1", "COLUMNS": "100"}).stdout
    assert table.count("\x1b[1;7m") >= len(search(bundled, "科技创新")["hits"]) > 0


def test_window_centres_and_marks_cuts() -> None:
    from corpus.text import window

    text = "a" * 100 + "HIT" + "b" * 100
    shown, spans = window(text, [(100, 103)], 21)
    assert (shown, spans) == ("…aaaaaaaaHITbbbbbbbb…", ((9, 12),))
    assert window("short", [(0, 5)], 21) == ("short", ((0, 5),))
    shown, spans = window(text, [(200, 203)], 21)
    assert shown.startswith("…") and not shown.endswith("…") and shown[spans[0][0]:spans[0][1]] == "bbb"


# 7 is in tests/corpus/test_decode_and_manifest.py; here through the CLI
def test_unquoted_manifest_ids_through_the_cli(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Titel\n\nShenzhen wächst.")
    write(corpus / "b.txt", "Заголовок\n\nШэньчжэнь растёт.")
    write(corpus / "briefing.yaml", "articles:\n  - id: 010\n    file: a.txt\n  - id: 000\n    file: b.txt\n")
    env = env_for(corpus, tmp_path / "ix")
    assert [a["id"] for a in json.loads(run("articles", "--json", env=env).stdout)] == ["000", "010"]
    assert run("show", "010", env=env).returncode == 0


# 8 ----------------------------------------------------------------------------------------
def test_the_reader_without_a_terminal_says_so(bundled: dict[str, str], tmp_path: Path) -> None:
    with open(os.devnull, "rb") as stdin, open(tmp_path / "out", "wb") as stdout:
        r = subprocess.run([BRIEFING], stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=bundled, timeout=30)
    assert r.returncode == 2 and b"needs a terminal" in r.stderr
    assert (tmp_path / "out").read_bytes() == b""


# 9 ----------------------------------------------------------------------------------------
def test_a_latin1_locale_never_crashes(bundled: dict[str, str]) -> None:
    env = bundled | {"PYTHONIOENCODING": "iso-8859-1", "LC_ALL": "C"}
    for args in (["articles"], ["align", "002", "000"], ["show", "004"], ["search", "Zhongshan"], ["speakers"],
                 ["cities"], ["index", "status"], ["show", "nope"]):
        r = subprocess.run([BRIEFING, *args], capture_output=True, env=env, timeout=120)
        assert r.returncode in (0, 2) and b"Traceback" not in r.stderr, (args, r.stderr)
    r = subprocess.run([BRIEFING, "show", "002", "--json"], capture_output=True, env=env, timeout=120)
    utf8 = json.loads(run("show", "002", "--json", env=bundled).stdout)
    assert json.loads(r.stdout.decode("ascii")) == utf8  # JSON stays lossless: ASCII escapes


# 10 ---------------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_an_article_is_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Titel\n\nShenzhen wächst.")
    os.mkfifo(corpus / "pipe.txt")
    env = env_for(corpus, tmp_path / "ix")
    for cmd in ("rebuild", "update"):
        r = run("index", cmd, "--json", env=env, timeout=60)
        assert r.returncode == 3, r.stderr
        assert json.loads(r.stdout)["skipped"] == [
            {"path": "pipe.txt", "reason": "a FIFO, not a regular file: only regular files are read"}]
    write(corpus / "b.txt", "Titel\n\nGuangzhou wächst.")
    r = run("index", "update", env=env, timeout=60)
    assert r.returncode == 3 and "skipped pipe.txt: a FIFO" in r.stderr


# 11 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["show", "big"], ["align", "big", "big-ru"], ["articles", "--json"],
                                  ["search", "Shenzhen", "--limit", "2000"]])
@pytest.mark.slow
def test_a_closed_pipe_ends_quietly_with_status_0(tmp_path_factory: pytest.TempPathFactory, args: list[str]) -> None:
    root = tmp_path_factory.getbasetemp() / "big-corpus"
    if not root.exists():
        write(
            root / "big.txt",
            "Titel\n\n" + "\n\n".join(f"Shenzhen wächst im Jahr {1000 + i} weiter." for i in range(1500)),
        )
        write(
            root / "big-ru.txt",
            "Заголовок\n\n" + "\n\n".join(f"Шэньчжэнь растёт в {1000 + i} году." for i in range(1500)),
        )
    env = env_for(root, root.parent / "big-ix")
    assert run("index", "update", env=env).returncode == 0
    proc = subprocess.Popen([BRIEFING, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0 and b"Traceback" not in err and b"pipe" not in err.lower(), err


def test_a_closed_pipe_in_a_pipefail_script(bundled: dict[str, str]) -> None:
    r = subprocess.run(
        ["bash", "-c", f"set -o pipefail; printf '深圳\\n%.0s' $(seq 400) | {BRIEFING} search - --json | head -1"],
        capture_output=True,
        env=bundled,
        timeout=120,
    )
    assert r.returncode == 0 and r.stdout.count(b"\n") == 1 and r.stderr == b""


# 12 ---------------------------------------------------------------------------------------
def test_minus_word_is_not(bundled: dict[str, str]) -> None:
    both, without, alone = (search(bundled, q)["total"] for q in ("深圳 广州", "深圳 -广州", "深圳"))
    assert without > 0 and both > 0 and without + both == alone
    assert search(bundled, "深圳 NOT 广州")["total"] == without
    assert search(bundled, 'Shenzhen -"Greater Bay Area"')["total"] < search(bundled, "Shenzhen")["total"]
    assert search(bundled, "深圳 -lang:zh")["total"] == search(bundled, "深圳 NOT lang:zh")["total"] > 0
    # a dash inside a word or before a number is text
    assert search(bundled, "1+1 -5")["query"] == "1+1 -5"


def test_lower_case_operators_get_a_note(bundled: dict[str, str]) -> None:
    doc = search(bundled, "深圳 and 广州")
    assert "'and' is searched as a word; write AND in capitals to use it as an operator" in doc["notes"]
    assert not search(bundled, "深圳 AND 广州")["notes"]


# 13 ---------------------------------------------------------------------------------------
def test_search_stdin_stays_line_for_line(bundled: dict[str, str]) -> None:
    stdin = "\ufeff深圳\r\n\r\n\"bad\nZhongshan\n".encode() + b"\xff\xfe\n"
    lines = run("search", "-", "--json", env=bundled, stdin=stdin).stdout.splitlines()
    docs = [json.loads(x) for x in lines]
    assert [d["query"] for d in docs] == ["深圳", "", '"bad', "Zhongshan", ""]
    assert docs[1]["error"] == "empty query" and "unbalanced quote" in docs[2]["error"]
    assert docs[4]["error"] == "line 5 is not UTF-8 text" and docs[0]["total"] > 0
    for blank in ("", "   "):
        r = run("search", blank, env=bundled)
        assert r.returncode == 2 and "the query has no words" in r.stderr
    tables = run("search", "-", env=bundled, stdin="深圳\nZhongshan\n").stdout
    assert [line for line in tables.splitlines() if line.startswith("#")] == ["# query: 深圳", "# query: Zhongshan"]


# 14 ---------------------------------------------------------------------------------------
def test_bidi_option_with_a_command_warns(bundled: dict[str, str]) -> None:
    r = run("--bidi", "visual", "articles", env=bundled)
    assert r.returncode == 0 and "--bidi is for the reader only" in r.stderr
    assert "--bidi" not in run("articles", env=bundled | {"BRIEFING_BIDI": "visual"}).stderr


# 15 ---------------------------------------------------------------------------------------
def test_hits_hidden_in_boilerplate_are_announced(bundled: dict[str, str]) -> None:
    doc = search(bundled, "研学营")
    assert (doc["total"], doc["in_boilerplate"]) == (0, 1)
    assert any("1 hit in boilerplate" in n and "--all" in n for n in doc["notes"])
    r = run("search", "研学营", env=bundled)
    assert "0 matching paragraphs, 0 shown; 1 hit in boilerplate: --all shows it" in r.stderr
    assert search(bundled, "研学营", "--all")["total"] == 1
    assert search(bundled, "研学营", "--all")["in_boilerplate"] == 0


# 16 ---------------------------------------------------------------------------------------
def test_other_files_are_named_and_web_pages_are_read(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", "Titel\n\nShenzhen wächst.")
    (corpus / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (corpus / "report.pdf").write_bytes(b"%PDF-1.4\n" + bytes(100))
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    write(corpus / "web" / "page.html", """<html lang="de"><head><meta charset="utf-8">
<title>Neue Brücke in Shenzhen | Zeitung</title><meta name="date" content="2021-03-04"></head><body>
<nav><a href="/">Startseite</a> <a href="/p">Politik</a> <a href="/w">Wirtschaft</a></nav>
<article><h1>Neue Brücke in Shenzhen eröffnet</h1>
<p>Am Montag wurde in Shenzhen eine neue Brücke eröffnet. Sie verbindet zwei Bezirke der Stadt.</p>
<p>Der Bürgermeister sagte, die Brücke sei ein Symbol der Zusammenarbeit in der Greater Bay Area.</p></article>
<footer>© 2021 Zeitung. Alle Rechte vorbehalten.</footer><script>var tracking = 1;</script></body></html>""")
    env = env_for(corpus, tmp_path / "ix")
    r = run("index", "rebuild", env=env)
    assert r.returncode == 0
    assert "not read: 3 files: .docx 1, .pdf 1, .png 1" in r.stderr
    report = json.loads(run("index", "rebuild", "--json", env=env).stdout)
    assert report["unread"] == ["notes.docx", "report.pdf", "scan.png"] and report["skipped"] == []
    assert json.loads(run("index", "status", "--json", env=env).stdout)["unread"] == report["unread"]
    page = json.loads(run("show", "web/page", "--json", env=env).stdout)
    assert (page["title"], page["date"], page["lang"]) == ("Neue Brücke in Shenzhen eröffnet", "2021-03-04", "de")
    texts = [p["text"] for p in page["paragraphs"]]
    assert any(t.startswith("Am Montag wurde in Shenzhen") for t in texts)
    assert not any("Startseite" in t or "tracking" in t or "Rechte vorbehalten" in t for t in texts)
    hits = search(env, "Bürgermeister")["hits"]
    assert [h["article"] for h in hits] == ["web/page"]


# 17 ---------------------------------------------------------------------------------------
def test_empty_folders_say_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("index", "rebuild", env=env_for(empty, tmp_path / "ix"))
    assert r.returncode == 0 and f"note: no articles: {empty.resolve()} holds no files to read" in r.stderr
    r = run("search", "x", env=env_for(empty, tmp_path / "ix"))
    assert r.returncode == 0 and "the index holds no articles" in r.stderr
    only_pdf = tmp_path / "pdf"
    (only_pdf / "x.pdf").parent.mkdir()
    (only_pdf / "x.pdf").write_bytes(b"%PDF")
    r = run("index", "rebuild", env=env_for(only_pdf, tmp_path / "ix2"))
    assert "holds no .txt, .md, .html, .htm files" in r.stderr and "not read: 1 file: .pdf 1" in r.stderr


def test_corpus_option_errors_are_usage_errors(tmp_path: Path) -> None:
    a_file = write(tmp_path / "a.txt", "x")
    for corpus, what in ((tmp_path / "missing", "does not exist"), (a_file, "is a file")):
        r = run("--corpus", str(corpus), "--index", str(tmp_path / "ix"), "articles")
        assert r.returncode == 2 and "--corpus" in r.stderr and what in r.stderr
        r = run("articles", env=env_for(corpus, tmp_path / "ix"))
        assert r.returncode == 2 and what in r.stderr


def test_same_article_twice_and_lang_values(bundled: dict[str, str]) -> None:
    r = run("align", "002", "002", env=bundled)
    assert r.returncode == 2 and "two different articles" in r.stderr
    assert search(bundled, "Shenzhen", "--lang", "ZH")["total"] == search(bundled, "Shenzhen", "--lang", "zh")["total"]
    zh, ar = (search(bundled, "Shenzhen", "--lang", x)["total"] for x in ("zh", "ar"))
    doc = search(bundled, "Shenzhen", "--lang", "zh", "--lang", "ar", "--limit", "500")
    assert doc["total"] == zh + ar and {h["lang"] for h in doc["hits"]} == {"zh", "ar"}
    r = run("search", "Shenzhen", "--lang", "tlh", env=bundled)
    assert r.returncode == 2 and "the index holds no 'tlh' articles" in r.stderr
    doc = search(bundled, "lang:zh lang:ar 深圳")
    assert doc["total"] == 0 and any("write lang:zh OR lang:ar" in n for n in doc["notes"])
    assert search(bundled, "(lang:zh OR lang:ar) 深圳")["total"] > 0


def test_a_missing_config_file_is_an_error(bundled: dict[str, str], tmp_path: Path) -> None:
    r = run("articles", env=bundled | {"BRIEFING_CONFIG": str(tmp_path / "nope.yaml")})
    assert r.returncode == 2 and f"{tmp_path / 'nope.yaml'}: does not exist (named by BRIEFING_CONFIG)" in r.stderr


def test_help_has_examples_and_exit_codes_and_version_is_light() -> None:
    r = run("--help")
    assert r.returncode == 0
    for part in ("Examples:", "briefing search - --json < queries.txt", "Queries:", "speaker:\"Hu Gang\"",
                 "Exit codes:", "3 index built, but some files were skipped"):
        assert part in r.stdout
    assert run("-V").stdout == run("--version").stdout != ""
    code = ("import sys\nfrom tui import cli\n"
            "for args in (['--version'], ['--help'], ['search', '--help']):\n"
            "    try:\n        cli.main(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('whoosh', 'jieba', 'numpy', 'textual') if m in sys.modules), file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stderr.strip().splitlines()[-1] == "[]"


# siblings of 4 and 9: names that are not UTF-8 ------------------------------------------------
def test_file_and_folder_names_that_are_not_utf8(tmp_path: Path) -> None:
    """A name in a legacy encoding (GBK names from old archives) reaches
    Python as lone surrogates, which no UTF-8 file, database or terminal
    takes: such a file is skipped and named, the rest is indexed."""
    corpus = tmp_path / "c"
    write(corpus / "ok.txt", "Titel\n\nShenzhen wächst.")
    gbk = os.fsdecode("深圳".encode("gbk"))
    write(corpus / f"{gbk}.txt", "Titel\n\nGuangzhou wächst.")
    (corpus / f"{gbk}.pdf").write_bytes(b"%PDF")
    env = env_for(corpus, tmp_path / "ix")
    r = run("index", "rebuild", "--json", env=env)
    assert r.returncode == 3 and "Traceback" not in r.stderr, r.stderr
    report = json.loads(r.stdout)
    assert report["articles"] == 1 and report["unread"] == ["\ufffd\ufffd\ufffd\ufffd.pdf"]
    assert report["skipped"][0]["path"] == "\ufffd\ufffd\ufffd\ufffd.txt"
    assert report["skipped"][0]["reason"].startswith("its name is not UTF-8")
    assert run("index", "update", env=env).returncode == 3
    folder = tmp_path / os.fsdecode("新闻".encode("gbk"))
    write(folder / "a.txt", "Titel\n\nShenzhen.")
    r = run("--corpus", str(folder), "--index", str(tmp_path / "ix2"), "articles")
    assert r.returncode == 2 and "the path is not UTF-8" in r.stderr and "Traceback" not in r.stderr
