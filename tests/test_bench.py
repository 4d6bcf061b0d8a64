"""The benchmark's generator and harness, at a tiny size (the real sizes run
with `make bench`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.generate import generate
from bench.run import main as bench_main
from corpus import load_corpus


def test_generator_is_deterministic_real_and_keeps_pairs(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 40, seed=5)
    b = generate(tmp_path / "b", 40, seed=5)
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*.txt"))
    assert files_a == sorted(p.relative_to(b.root) for p in b.root.rglob("*.txt"))
    assert all((a.root / f).read_bytes() == (b.root / f).read_bytes() for f in files_a)
    assert len(files_a) == 40 and a.pairs >= 1
    corpus = load_corpus(a.root)
    assert len(corpus.articles) == 40 and not corpus.skipped
    assert {lang for lang in a.langs.values()} == {"zh", "ar", "de", "ru"}
    # Pairs are declared and align paragraph by paragraph.
    declared = [lk for lk in corpus.links if lk.declared]
    assert len(declared) == a.pairs
    al = next(x for x in corpus.alignments if (x.source, x.target) == (declared[0].a, declared[0].b))
    body = [b for b in al.beads if b.source and b.target and b.source != (1,)]
    assert all(len(b.source) == len(b.target) == 1 for b in body)
    # Every article has its own marker, in its first body paragraph.
    for aid, marker in a.markers.items():
        art = corpus.article(aid)
        assert art is not None and art.paragraphs[1].text.startswith(marker)


@pytest.mark.slow
def test_harness_runs_end_to_end_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    assert bench_main(["--sizes", "30", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    (r,) = doc["results"]
    assert r["articles"] == 30 and doc["queries"] >= 50
    assert r["update"] == {"seconds": r["update"]["seconds"], "versions_s": r["update"]["versions_s"], "added": 1,
                           "changed": 1, "removed": 1, "incremental": True}
    assert 0 <= r["update"]["versions_s"] <= r["update"]["seconds"]
    assert 0 < r["rebuild"]["versions_s"] <= r["rebuild"]["seconds"]
    stages = r["rebuild"]["stages_s"]  # the rebuild's stages, from its progress reports, add up to it
    assert list(stages)[:4] == ["before reading", "reading", "before indexing", "indexing"]
    assert r["rebuild"]["seconds"] - 1 <= sum(stages.values()) <= r["rebuild"]["seconds"] + 0.01
    assert 0 < r["queries"]["p50_ms"] <= r["queries"]["p95_ms"]
    q = r["queries"]
    phrases = [ms for text, ms in q["per_query_ms"].items() if text.startswith('"')]
    assert q["phrases"] == len(phrases) >= 5 and q["phrase_p95_ms"] == max(phrases)  # p95 of five is the slowest
    assert 0 < q["phrase_p50_ms"] <= q["phrase_p95_ms"] and q["phrase_first_run_p95_ms"] > 0
    assert r["rg"]["p50_ms"] > 0 and r["fts5"]["p50_ms"] > 0 and r["tantivy"]["p50_ms"] > 0
    # tantivy answers the queries, each script's (Chinese bigrams, Russian stems, Arabic words, phrases)
    assert r["tantivy"]["answered"] >= 0.9 * doc["queries"]
    assert r["tui"]["first_paint_s"] > 0 and r["tui"]["keystroke_to_results_p50_ms"] > 0
    # Textual's floor (a bare app refilling 20 rows per keystroke), measured in the same run
    assert 0 < r["tui"]["floor_p50_ms"] <= r["tui"]["floor_max_ms"]
    assert r["tui"]["over_floor"] == round(r["tui"]["keystroke_to_results_p50_ms"] / r["tui"]["floor_p50_ms"], 2)
    # the typed words' own query time, in the reader's process, and the target built from both
    assert r["tui"]["query_p50_ms"] > 0
    assert 0 < r["tui"]["query_best_p50_ms"] <= r["tui"]["query_p50_ms"]  # the median of 3 runs, the best beside it
    assert r["tui"]["budget_ms"] == round(2 * (r["tui"]["floor_p50_ms"] + r["tui"]["query_p50_ms"]), 2)
    assert set(r["ratios"]) >= {"briefing_p50_over_rg_p50", "briefing_p95_over_rg_p95", "briefing_p50_over_fts5_p50",
                                "briefing_p95_over_tantivy_p95"}


def test_a_build_s_stages_are_timed_from_its_progress_reports() -> None:
    from bench.child import Stages

    ticks = iter([0.0, 1.0, 3.0, 5.0, 7.0, 8.0, 9.0, 10.0, 12.0, 13.0])
    stages = Stages(clock=lambda: next(ticks))
    for phase, done in [("reading", 1), ("reading", 2), ("reading", 3), ("indexing", 1), ("indexing", 2),
                        ("indexing", 3), ("embedding", 1), ("embedding", 2)]:
        stages(phase, done, 3)
    assert stages.seconds() == {"before reading": 1.0, "reading": 4.0, "before indexing": 2.0, "indexing": 2.0,
                                "before embedding": 1.0, "embedding": 2.0, "after embedding": 1.0}
    assert Stages(clock=iter([2.0, 2.5]).__next__).seconds() == {"all": 0.5}  # no report at all


def test_charts_from_a_results_file(tmp_path: Path) -> None:
    """bench.charts draws the three charts from a results JSON; a size a run
    did not measure (FTS5 past its limit) is left out, not drawn as zero."""
    from PIL import Image

    from bench.charts import CHARTS, _series
    from bench.charts import main as charts_main

    def result(n: int, fts5: bool) -> dict[str, object]:
        return {"articles": n, "queries": {"p50_ms": n / 1000, "p95_ms": n / 500, "reader_rss_mb": 80.0},
                "rg": {"p50_ms": n / 100, "p95_ms": n / 90},
                "fts5": {"p50_ms": n / 800, "p95_ms": n / 300} if fts5 else "not built",
                "rebuild": {"seconds": n / 100, "versions_s": n / 1000, "peak_rss_mb": 300.0,
                            "peak_rss_all_processes_mb": 900.0},
                "tui": {"keystroke_to_results_p50_ms": 40.0, "keystroke_to_results_max_ms": 90.0}}

    doc = {"machine": {"date": "2026-12-04", "cpus": 2, "python": "3.11"},
           "results": [result(100_000, False), result(1_000, True), result(10_000, True)]}
    assert _series(doc["results"], "fts5", "p95_ms") == ([1_000, 10_000], [1_000 / 300, 10_000 / 300])
    assert _series(doc["results"], "rg", "p95_ms")[0] == [100_000, 1_000, 10_000]
    src = tmp_path / "latest.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    assert charts_main([str(src), str(tmp_path / "charts")]) == 0
    for name in CHARTS:
        with Image.open(tmp_path / "charts" / name) as img:
            assert img.format == "PNG" and img.width >= 600 and img.height >= 400


def test_meaning_bench_finds_each_translation_and_ranks_by_meaning() -> None:
    """bench.meaning's scoring on a hand-made truth: two documents, each in
    English and German; every English paragraph's answer is its own German
    paragraph (the one sharing a sentence), among all German paragraphs."""
    from bench.meaning import score

    files = {"en-a.txt": {"doc": "a", "lang": "en"}, "de-a.txt": {"doc": "a", "lang": "de"},
             "en-b.txt": {"doc": "b", "lang": "en"}, "de-b.txt": {"doc": "b", "lang": "de"}}
    paragraphs = {
        "en-a.txt": [{"text": "The harbour will be dredged to let larger container ships dock.", "sentences": [1]}],
        "de-a.txt": [{"text": "Der Hafen wird ausgebaggert, damit größere Containerschiffe anlegen können.",
                      "sentences": [1]}],
        "en-b.txt": [{"text": "The orchestra played Beethoven's ninth symphony to a full hall.", "sentences": [2]}],
        "de-b.txt": [{"text": "Das Orchester spielte Beethovens neunte Sinfonie vor vollem Saal.", "sentences": [2]}],
    }
    got = score({"files": files, "paragraphs": paragraphs})
    assert got == {"en→de": {"p_at_1": 1.0, "mrr": 1.0, "queries": 2, "pool": 2}}


def test_meaning_bench_through_the_product(tmp_path: Path) -> None:
    """bench.meaning's product run: a folder indexed by briefing, each
    English paragraph searched as a ~ query in German."""
    from bench.meaning import score_product

    texts = {
        "en-a.txt": "The harbour will be dredged to let larger container ships dock.",
        "de-a.txt": "Der Hafen wird ausgebaggert, damit größere Containerschiffe anlegen können.",
        "en-b.txt": "The orchestra played Beethoven's ninth symphony to a full hall.",
        "de-b.txt": "Das Orchester spielte Beethovens neunte Sinfonie vor vollem Saal.",
    }
    folder = tmp_path / "corpus"
    for name, text in texts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text + "\n", encoding="utf-8")
    truth = {"files": {n: {"doc": n[3], "lang": n[:2]} for n in texts},
             "paragraphs": {n: [{"text": t, "sentences": [ord(n[3])]}] for n, t in texts.items()}}
    assert score_product(folder, truth, tmp_path / "index") == {"en→de": {"p_at_1": 1.0, "mrr": 1.0, "queries": 2}}


@pytest.mark.parametrize(("module", "args", "message"), [
    ("bench.versions", ["--build", "{tmp}", "--seeds", "1"], "build_folder.py: no such script"),
    ("bench.entities", ["--dev", "{tmp}"], "no entities/gold folder there"),
    ("bench.entities", ["--seeds", "1,x"], "--seeds '1,x': give whole numbers"),
])
def test_the_development_benches_name_a_bad_path_or_seed(tmp_path: Path, module: str, args: list[str],
                                                         message: str) -> None:
    """A translations or entities folder that is not there, or a seed that is
    no number, ends the development benches with a message that names it,
    not a traceback."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", module, *[a.format(tmp=tmp_path) for a in args]],
                          capture_output=True, text=True, cwd=root, timeout=120)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_rebuild_that_outruns_its_time_stops_the_run_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A measurement's process that outruns its time (the 300,000 rebuild
    did, at two hours) is named with the size, not a traceback; the
    generated folder is removed unless --keep."""
    import bench.run as run

    monkeypatch.setattr(run, "build_timeout", lambda size: 0.01)
    made: list[Path] = []
    real_mkdtemp = run.tempfile.mkdtemp

    def mkdtemp(**kw: str) -> str:
        made.append(Path(real_mkdtemp(**kw)))
        return str(made[-1])

    monkeypatch.setattr(run.tempfile, "mkdtemp", mkdtemp)
    assert bench_main(["--sizes", "20", "--out", str(tmp_path / "r.json"), "--no-tui"]) == 1
    err = capsys.readouterr().err
    assert "bench.run: 20 articles: bench.child rebuild took more than 0 s and was stopped" in err
    assert "Traceback" not in err and not made[0].exists() and not (tmp_path / "r.json").exists()
