"""The benchmark: speed and memory at 1k–100k articles, beside ripgrep,
SQLite FTS5 and tantivy on the same files and the same queries.

    python -m bench.run                  # 1,000, 10,000 and 100,000 articles (make bench)
    python -m bench.run --sizes 1000     # make bench-quick
    python -m bench.run --sizes 50 --out /tmp/x.json --no-tui   # what the tests run

Every measurement that has a peak RSS runs in a fresh process (bench/child.py).
Query latency is the median of three runs of each query, then p50/p95 over the
queries; the same for the baselines. Ratios are briefing / baseline: below 1
means briefing is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generate import generate
from bench.queries import QUERIES
from corpus.text import HAN_RE
from index import meaning
from index.sidestore import FRESH_S

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "latest.json"


# How long a rebuild may take before the run gives up on it: two hours, or 0.1 s an article (about three times
# what a 300,000 rebuild takes on 2 cores: it outran the two hours, and the run lost it).
def build_timeout(size: int) -> float:
    return max(7200.0, 0.1 * size)


class ChildFailed(Exception):
    """A measurement's process failed or outran its time: the run stops and says which."""


def child(*args: str, timeout: float = 7200, env: dict[str, str] | None = None) -> dict[str, Any]:
    try:
        r = subprocess.run([sys.executable, "-m", "bench.child", *args], capture_output=True, text=True,
                           timeout=timeout, cwd=ROOT.parent, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as exc:
        raise ChildFailed(f"bench.child {args[0]} took more than {timeout:,.0f} s and was stopped") from exc
    if r.returncode != 0:
        raise ChildFailed(f"bench.child {args[0]} failed:\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(x: float) -> float:
    return round(x * 1000, 2)


def dir_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


# -- baselines ---------------------------------------------------------------


def bench_rg(corpus: Path, repeat: int = 3) -> dict[str, Any] | None:
    rg = shutil.which("rg")
    if rg is None:
        return None
    times = []
    for _q, term in QUERIES:
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([rg, "-F", "-i", "-m", "10", "--no-messages", "-e", term, str(corpus)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs.append(time.perf_counter() - t)
        times.append(statistics.median(runs))
    return {"p50_ms": ms(pct(times, 0.5)), "p95_ms": ms(pct(times, 0.95))}


def bench_fts5(corpus: Path, work: Path, repeat: int = 3) -> dict[str, Any]:
    db = work / "fts5.sqlite"
    t = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE p USING fts5(article UNINDEXED, n UNINDEXED, text, tokenize='trigram')")
    rows = ((f.stem, n, para) for f in sorted(corpus.rglob("*.txt"))
            for n, para in enumerate(f.read_text(encoding="utf-8").split("\n\n"), start=1))
    con.executemany("INSERT INTO p VALUES (?, ?, ?)", rows)  # streamed: the harness stays small
    con.commit()
    build = time.perf_counter() - t
    times = []
    for _q, term in QUERIES:
        if len(term) >= 3:  # trigram index: MATCH, ranked, top 10 with snippets
            sql = "SELECT article, n, snippet(p, 2, '[', ']', '…', 12) FROM p WHERE p MATCH ? ORDER BY rank LIMIT 10"
            arg = '"' + term.replace('"', '""') + '"'
        else:  # two characters (Chinese words): the trigram index cannot help, LIKE scans
            sql = "SELECT article, n, text FROM p WHERE text LIKE ? LIMIT 10"
            arg = f"%{term}%"
        runs = []
        for _ in range(repeat):
            s = time.perf_counter()
            con.execute(sql, (arg,)).fetchall()
            runs.append(time.perf_counter() - s)
        times.append(statistics.median(runs))
    con.close()
    return {"build_s": round(build, 2), "size_mb": round(db.stat().st_size / 1e6, 1),
            "p50_ms": ms(pct(times, 0.5)), "p95_ms": ms(pct(times, 0.95))}


_HAN_RUN = re.compile(f"{HAN_RE.pattern}+")  # the product's Han characters, runs of them
_CYRILLIC = re.compile(r"^[\u0400-\u04ff]+$")


def _bigrams(text: str) -> str:
    """The Han runs of ``text`` as overlapping character pairs, space-separated
    (Lucene's CJK bigrams): a Chinese word or phrase is the phrase of its pairs."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return " ".join(out)


def bench_tantivy(corpus: Path, work: Path, repeat: int = 3) -> dict[str, Any] | None:
    """tantivy (its official Python bindings) on the same paragraphs and the
    same terms, top 10 with snippets, as an analyst would set it up: a
    ``text`` field with tantivy's default tokenizer (words, lower case) for
    words, phrases and snippets, and a ``han`` field of the Chinese runs as
    character bigrams; a Chinese term is the phrase of its bigrams, a Russian
    stem (the baselines' term) a prefix query, anything else a phrase of
    words. One writer thread, as briefing's query side runs on one."""
    try:
        import tantivy
    except ImportError:
        return None
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("article", stored=True, tokenizer_name="raw")
    sb.add_integer_field("n", stored=True)
    sb.add_text_field("text", stored=True)
    sb.add_text_field("han", tokenizer_name="spaces")
    schema = sb.build()
    path = work / "tantivy"
    path.mkdir(exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    index.register_tokenizer("spaces", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    t = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for f in sorted(corpus.rglob("*.txt")):
        for n, para in enumerate(f.read_text(encoding="utf-8").split("\n\n"), start=1):
            writer.add_document(tantivy.Document(article=f.stem, n=n, text=para, han=_bigrams(para)))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - t
    searcher = index.searcher()
    times = []
    answered = 0
    for _q, term in QUERIES:
        if _HAN_RUN.fullmatch(term):
            query = index.parse_query('"' + _bigrams(term) + '"', ["han"])
        elif _CYRILLIC.match(term):
            query = tantivy.Query.regex_query(schema, "text", re.escape(term.lower()) + ".*")
        else:
            query = index.parse_query('"' + term.replace('"', "") + '"', ["text"])
        runs = []
        for _ in range(repeat):
            s = time.perf_counter()
            snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "text")
            hits = searcher.search(query, 10).hits
            for _score, address in hits:
                snippets.snippet_from_doc(searcher.doc(address)).to_html()
            runs.append(time.perf_counter() - s)
        times.append(statistics.median(runs))
        answered += bool(hits)
    # queries with a hit: a baseline that found nothing would only look fast
    return {"build_s": round(build, 2), "size_mb": dir_mb(path), "answered": answered,
            "p50_ms": ms(pct(times, 0.5)), "p95_ms": ms(pct(times, 0.95))}


def _phrases(times: list[float], first: list[float]) -> dict[str, Any]:
    """p50/p95 of the quoted phrases alone (they are answered from positions,
    not from the term-only fast path): warm and first runs."""
    warm = [x for (text, _term), x in zip(QUERIES, times, strict=True) if text.startswith('"')]
    cold = [x for (text, _term), x in zip(QUERIES, first, strict=True) if text.startswith('"')]
    return {"phrases": len(warm), "phrase_p50_ms": ms(pct(warm, 0.5)), "phrase_p95_ms": ms(pct(warm, 0.95)),
            "phrase_first_run_p95_ms": ms(pct(cold, 0.95))}


# -- one size ----------------------------------------------------------------


def bench_size(size: int, work: Path, tui: bool = True, fts5: bool = True,
               plain_up_to: int = 10_000) -> dict[str, Any]:
    corpus, index = work / "corpus", work / "index"
    t = time.perf_counter()
    gen = generate(corpus, size)
    out: dict[str, Any] = {"articles": size, "pairs": gen.pairs, "generate_s": round(time.perf_counter() - t, 2)}
    # A file written within FRESH_S seconds of a build's start may change again within its mtime's tick, so the
    # next update hashes it (index.sidestore.file_state). An analyst's files are older than that; the files
    # generated last here are not, and without this wait the update below would hash up to a third of them.
    time.sleep(FRESH_S + 0.5)

    reb = child("rebuild", str(corpus), str(index), timeout=build_timeout(size))
    out["rebuild"] = {"seconds": reb["seconds"], "articles_per_s": round(size / reb["seconds"], 1),
                      "versions_s": reb.get("versions_s", 0.0), "stages_s": reb.get("stages_s", {}),
                      "paragraphs": reb["paragraphs"], "peak_rss_mb": reb["rss_mb"],
                      "peak_rss_all_processes_mb": reb.get("tree_rss_mb"),
                      "peak_pss_all_processes_mb": reb.get("tree_pss_mb"),
                      "index_mb": dir_mb(index / "current")}

    vectors = sum(p.stat().st_size for p in (index / "current").iterdir() if p.name.endswith(meaning.SUFFIXES))
    out["rebuild"]["vectors_mb"] = round(vectors / 2**20, 1)
    out["rebuild"]["vector_bytes_per_paragraph"] = round(vectors / max(1, reb["paragraphs"]))
    if vectors and size <= plain_up_to:
        # the same rebuild without paragraph vectors (the encoder still serving version detection):
        # what search by meaning costs the build; and with the encoder off altogether
        plain = child("rebuild", str(corpus), str(work / "index-plain"), env={"BRIEFING_VECTORS": "off"})
        shutil.rmtree(work / "index-plain", ignore_errors=True)
        bare = child("rebuild", str(corpus), str(work / "index-bare"), env={"BRIEFING_ENCODER": "off"})
        shutil.rmtree(work / "index-bare", ignore_errors=True)
        out["rebuild"]["without_vectors_s"] = plain["seconds"]
        out["rebuild"]["with_over_without"] = round(reb["seconds"] / max(plain["seconds"], 0.001), 2)
        out["rebuild"]["without_encoder_s"] = bare["seconds"]

    # update after 1 changed, 1 added and 1 removed file
    files = sorted(corpus.rglob("*.txt"))
    changed, removed = files[len(files) // 3], files[2 * len(files) // 3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nbenchchange 深圳 Shenzhen\n", encoding="utf-8")
    (corpus / "added.txt").write_text("Added\n\nbenchadded 广州\n", encoding="utf-8")
    removed.unlink()
    upd = child("update", str(corpus), str(index))
    out["update"] = {
        "seconds": upd["seconds"],
        "versions_s": upd.get("versions_s", 0.0),
        "added": upd["added"],
        "changed": upd["changed"],
        "removed": upd["removed"],
        "incremental": upd.get("incremental", False),
    }

    q = child("queries", str(index))
    out["queries"] = {
        "count": len(QUERIES),
        "p50_ms": ms(pct(q["times_s"], 0.5)),
        "p95_ms": ms(pct(q["times_s"], 0.95)),
        "max_ms": ms(max(q["times_s"])),
        "first_run_p50_ms": ms(pct(q["first_s"], 0.5)),
        "first_run_p95_ms": ms(pct(q["first_s"], 0.95)),
        "cold_open_s": q["open_s"],
        "cold_open_and_first_query_s": q["open_and_first_query_s"],
        "reader_rss_mb": q["rss_mb"],
        **_phrases(q["times_s"], q["first_s"]),
        "per_query_ms": {text: ms(x) for (text, _term), x in zip(QUERIES, q["times_s"], strict=True)},
        "per_query_first_run_ms": {text: ms(x) for (text, _term), x in zip(QUERIES, q["first_s"], strict=True)},
    }
    if vectors:
        m = child("meaning", str(index))
        out["meaning"] = {"count": len(m["times_s"]), "p50_ms": ms(pct(m["times_s"], 0.5)),
                          "p95_ms": ms(pct(m["times_s"], 0.95)), "first_s": m["first_s"],
                          "reader_rss_growth_mb": round(m["rss_mb"] - m["rss_before_mb"], 1),
                          "best_similarity_p50": round(statistics.median(m["best_similarity"]), 3)}
    out["rg"] = bench_rg(corpus)
    out["fts5"] = bench_fts5(corpus, work) if fts5 else None
    out["tantivy"] = bench_tantivy(corpus, work)
    if tui:
        t_ui = child("tui", str(corpus), str(index))
        floor = child("floor")["keystroke_to_repaint_s"]  # Textual's own, in the same run
        out["tui"] = {"first_paint_s": t_ui["first_paint_s"], "articles_listed_s": t_ui["articles_listed_s"],
                      "keystroke_to_results_p50_ms": ms(statistics.median(t_ui["keystroke_to_results_s"])),
                      "keystroke_to_results_max_ms": ms(max(t_ui["keystroke_to_results_s"])), "rss_mb": t_ui["rss_mb"],
                      "floor_p50_ms": ms(statistics.median(floor)), "floor_max_ms": ms(max(floor)),
                      "query_p50_ms": ms(statistics.median(t_ui["query_s"])),
                      "query_best_p50_ms": ms(statistics.median(t_ui["query_best_s"]))}
        tu = out["tui"]
        tu["over_floor"] = round(tu["keystroke_to_results_p50_ms"] / tu["floor_p50_ms"], 2)
        # The scale target: keystroke -> results within twice (Textual's floor + the typed words' own query).
        tu["budget_ms"] = round(2 * (tu["floor_p50_ms"] + tu["query_p50_ms"]), 2)
        tu["over_budget"] = round(tu["keystroke_to_results_p50_ms"] / tu["budget_ms"], 2)
    if out["rg"]:
        out["ratios"] = {
            "briefing_p50_over_rg_p50": round(out["queries"]["p50_ms"] / out["rg"]["p50_ms"], 2),
            "briefing_p95_over_rg_p95": round(out["queries"]["p95_ms"] / out["rg"]["p95_ms"], 2),
        }
    out.setdefault("ratios", {})
    if out["fts5"]:
        out["ratios"]["briefing_p50_over_fts5_p50"] = round(
            out["queries"]["p50_ms"] / max(out["fts5"]["p50_ms"], 0.01), 2)
        out["ratios"]["briefing_p95_over_fts5_p95"] = round(
            out["queries"]["p95_ms"] / max(out["fts5"]["p95_ms"], 0.01), 2)
    if out["tantivy"]:
        out["ratios"]["briefing_p50_over_tantivy_p50"] = round(
            out["queries"]["p50_ms"] / max(out["tantivy"]["p50_ms"], 0.01), 2)
        out["ratios"]["briefing_p95_over_tantivy_p95"] = round(
            out["queries"]["p95_ms"] / max(out["tantivy"]["p95_ms"], 0.01), 2)
    return out


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| articles | briefing p50 / p95 | first runs p50 / p95 | rg p50 / p95 | FTS5 p50 / p95 | tantivy p50 / p95 "
        "| briefing/rg p95 | briefing/tantivy p95 "
        "| rebuild | art/s | update 3 files | index | rebuild RSS main / all processes | reader RSS "
        "| cold open + 1st query | TUI paint | key→results (Textual floor, query) |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        q, rg, f, tv = r["queries"], r.get("rg"), r.get("fts5"), r.get("tantivy")
        tui = r.get("tui") or {}
        lines.append(
            f"| {r['articles']:,} | {q['p50_ms']} / {q['p95_ms']} ms | "
            + (f"{q['first_run_p50_ms']} / {q['first_run_p95_ms']} ms | " if "first_run_p50_ms" in q else "n/a | ")
            + (f"{rg['p50_ms']} / {rg['p95_ms']} ms | " if rg else "n/a | ")
            + (f"{f['p50_ms']} / {f['p95_ms']} ms | " if f else "not built | ")
            + (f"{tv['p50_ms']} / {tv['p95_ms']} ms | " if tv else "n/a | ")
            + (f"{r['ratios']['briefing_p95_over_rg_p95']} | " if rg else "n/a | ")
            + (f"{r['ratios']['briefing_p95_over_tantivy_p95']} | " if tv else "n/a | ")
            + f"{r['rebuild']['seconds']} s | {r['rebuild']['articles_per_s']} | {r['update']['seconds']} s | "
            f"{r['rebuild']['index_mb']} MB | {r['rebuild']['peak_rss_mb']} / "
            f"{r['rebuild'].get('peak_rss_all_processes_mb') or 'n/a'} MB | {q['reader_rss_mb']} MB | "
            f"{q['cold_open_and_first_query_s']} s | "
            + (f"{tui['first_paint_s']} s | {tui['keystroke_to_results_p50_ms']} ms "
               f"({tui.get('floor_p50_ms', 'n/a')}, {tui.get('query_p50_ms', 'n/a')} ms) |" if tui else "n/a | n/a |")
        )
    with_meaning = [r for r in results if r.get("meaning")]
    if with_meaning:
        lines += ["", "| articles | meaning p50 / p95 | first meaning query | rebuild with / without vectors "
                      "| vectors per paragraph | reader RSS growth |", "|---|---|---|---|---|---|"]
        for r in with_meaning:
            m, b = r["meaning"], r["rebuild"]
            plain = (f"{b['seconds']} / {b['without_vectors_s']} s ({b['with_over_without']}×)"
                     if "without_vectors_s" in b else f"{b['seconds']} s / not measured")
            lines.append(f"| {r['articles']:,} | {m['p50_ms']} / {m['p95_ms']} ms | {m['first_s']} s | {plain} "
                         f"| {b['vector_bytes_per_paragraph']} B | {m['reader_rss_growth_mb']} MB |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "machine": platform.machine()}


def bench_startup(repeat: int = 7) -> dict[str, Any]:
    """Wall time of ``briefing --version``, ``briefing --help`` and
    ``briefing search --help`` (median of ``repeat``): what every script
    that calls the CLI pays before any work. ``python -c pass`` is the floor."""
    exe = Path(sys.executable).with_name("briefing")
    out: dict[str, Any] = {}
    for name, cmd in (("python", [sys.executable, "-c", "pass"]), ("version", [str(exe), "--version"]),
                      ("help", [str(exe), "--help"]), ("search_help", [str(exe), "search", "--help"])):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        out[f"{name}_ms"] = ms(statistics.median(times))
    return out


def _merged(earlier: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """This run's results with those of other sizes from an earlier run (``--merge``)."""
    ran = {r["articles"] for r in results}
    return sorted([*(r for r in earlier if r["articles"] not in ran), *results], key=lambda r: r["articles"])


def _write(out: Path, results: list[dict[str, Any]], startup: dict[str, Any] | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "machine": machine(),
        "queries": len(QUERIES),
        "results": results,
        "startup": startup,
        "notes": {
            "ratios": "briefing time / baseline time for the same queries on the same files; below 1 is faster",
            "latency": "median of 3 runs per query, then p50/p95 over the queries; top 10 with snippets",
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="comma-separated article counts")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    ap.add_argument("--no-tui", action="store_true", help="skip the reader measurements")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora and indexes")
    ap.add_argument("--fts5-up-to", type=int, default=100_000,
                    help="build the SQLite FTS5 baseline only up to this many articles (it takes long beyond)")
    ap.add_argument("--plain-up-to", type=int, default=10_000,
                    help="also rebuild without paragraph vectors (what they cost) up to this many articles")
    ap.add_argument("--merge", action="store_true",
                    help="keep the results of other sizes already in --out (each size is measured on its own)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    earlier = json.loads(args.out.read_text(encoding="utf-8")).get("results", []) \
        if args.merge and args.out.is_file() else []
    results: list[dict[str, Any]] = []
    doc: dict[str, Any] = {}
    for size in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"briefing-bench-{size}-"))
        try:
            print(f"# {size:,} articles …", file=sys.stderr, flush=True)
            results.append(bench_size(size, work, tui=not args.no_tui, fts5=size <= args.fts5_up_to,
                                      plain_up_to=args.plain_up_to))
        except ChildFailed as exc:
            kept = f"; the sizes before it are in {args.out}" if results else ""
            print(f"bench.run: {size:,} articles: {exc}{kept}", file=sys.stderr)
            return 1
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        # Written after every size: a long run that stops keeps what it measured.
        doc = _write(args.out, _merged(earlier, results), None)
    results = _merged(earlier, results)
    startup = bench_startup()
    doc = _write(args.out, results, startup)
    print(table(results))
    print("\nphrases (" + str(results[0]["queries"]["phrases"] if results else 0) + " of the queries), p50 / p95, "
          "first runs p95: " + ", ".join(
              f"{r['articles']:,}: {r['queries']['phrase_p50_ms']} / {r['queries']['phrase_p95_ms']} ms, "
              f"{r['queries']['phrase_first_run_p95_ms']} ms" for r in results))
    print("\nversion detection (of the rebuild and update times above): " + ", ".join(
        f"{r['articles']:,}: {r['rebuild']['versions_s']} s / {r['update']['versions_s']} s" for r in results))
    print("\nthe rebuild by stage: " + "; ".join(
        f"{r['articles']:,}: " + ", ".join(f"{name} {sec} s" for name, sec in r["rebuild"].get("stages_s", {}).items())
        for r in results))
    print(f"\nstart-up (median of 7): briefing --version {startup['version_ms']} ms, --help {startup['help_ms']} ms, "
          f"search --help {startup['search_help_ms']} ms; python -c pass {startup['python_ms']} ms")
    print(f"\n{doc['machine']['date']} · {doc['machine']['platform']} · {doc['machine']['cpus']} CPUs · "
          f"{len(QUERIES)} queries · JSON: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
