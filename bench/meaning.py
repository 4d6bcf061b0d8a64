"""Measure search by meaning across languages on real translations: how often
an English paragraph finds its own translation in another language.

    python -m bench.meaning --dev ../shared/dev --seeds 1,2,3

For each seed it builds a folder from the development translations
(``dev/translations/build-folder``, no manifest). Each English paragraph is a
query; for each other language L, the answer is the paragraph of the same
document in L that holds one of its sentences (``truth.json``), searched
among every paragraph of L in the folder. It reports P@1 and MRR per
language pair, per seed and over all seeds.

Measurements per folder:

- ``product``: the folder indexed by briefing (paragraph vectors, usearch),
  each query run as ``~<paragraph> lang:L`` through :meth:`index.Index.search`;
  a hit is right when its paragraph is (or holds, or lies in) the answer's
  text. This is what an analyst gets.
- ``meaning only``: the same, ranked by similarity alone (no word matches:
  what the hybrid ranking adds is the difference).
- ``short``: each query only the paragraph's first eight words, with and
  without word matches, in the four other languages and in English (where
  the answer is the paragraph itself: an analyst recalling a few words).
- ``encoder``: the encoder alone with exact cosine search over the paragraphs
  as ``truth.json`` gives them: the ceiling, without the product's paragraph
  splitting, boilerplate rules and approximate index.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

TARGETS = ("zh", "ar", "ru", "de")


def build(dev: Path, seed: int, out: Path) -> dict[str, Any]:
    """The folder for ``seed`` under ``out``; its truth."""
    subprocess.run([sys.executable, str(dev / "translations" / "build-folder"), str(out), "--seed", str(seed)],
                   check=True, capture_output=True)
    truth: dict[str, Any] = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return truth


def score(truth: dict[str, Any]) -> dict[str, dict[str, float | int]]:
    """P@1 and MRR of each English paragraph's search in each target language."""
    from corpus.meaning import embed

    files, paragraphs = truth["files"], truth["paragraphs"]
    rows: dict[str, list[tuple[str, frozenset[int], str]]] = {}  # lang -> (doc, sentences, text)
    for name, paras in paragraphs.items():
        info = files.get(name)
        if info is None:
            continue
        rows.setdefault(info["lang"], []).extend(
            (info["doc"], frozenset(p["sentences"]), p["text"]) for p in paras if p["text"].strip())
    queries = rows.get("en", [])
    if not queries:
        return {}
    q = embed([t for _d, _s, t in queries])
    out: dict[str, dict[str, float | int]] = {}
    for lang in TARGETS:
        pool = rows.get(lang, [])
        if not pool:
            continue
        m = embed([t for _d, _s, t in pool])
        sims = q @ m.T
        hits, rr, n = 0, 0.0, 0
        for i, (doc, sents, _t) in enumerate(queries):
            answers = {j for j, (d, s, _x) in enumerate(pool) if d == doc and s & sents}
            if not answers:
                continue  # the document has no version in this language in this folder
            n += 1
            order = np.argsort(-sims[i], kind="stable")
            rank = next(r for r, j in enumerate(order, 1) if int(j) in answers)
            hits += rank == 1
            rr += 1.0 / rank
        if n:
            out[f"en→{lang}"] = {"p_at_1": round(hits / n, 3), "mrr": round(rr / n, 3), "queries": n,
                                 "pool": len(pool)}
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


def score_product(folder: Path, truth: dict[str, Any], work: Path, hybrid: bool = True, words: int | None = None,
                  build: bool = True) -> dict[str, dict[str, float | int]]:
    """P@1 and MRR (of the first 10) of ``~`` queries through the product:
    ranked with the query's words (``hybrid``) or by similarity alone; each
    query the whole English paragraph, or its first ``words`` words (an
    analyst's query is short)."""
    from index import Index, rebuild

    if build:
        rebuild(folder, work)
    files, paragraphs = truth["files"], truth["paragraphs"]
    out: dict[str, dict[str, float | int]] = {}
    with Index(work) as ix:
        texts: dict[str, dict[int, str]] = {}  # file -> product paragraph n -> text

        def paragraph(path: str, aid: str, n: int) -> str:
            if path not in texts:
                a = ix.article(aid)
                texts[path] = {p.n: _norm(p.text) for p in a.paragraphs} if a else {}
            return texts[path].get(n, "")

        queries = [(info["doc"], frozenset(p["sentences"]), p["text"]) for name, info in files.items()
                   if info["lang"] == "en" for p in paragraphs.get(name, []) if p["text"].strip()]
        for lang in (*TARGETS, "en") if words else TARGETS:  # a short query also looks for its own paragraph
            answers: dict[str, list[tuple[frozenset[int], str]]] = {}  # doc -> (sentences, text) in lang
            target_file: dict[str, str] = {}
            for name, info in files.items():
                if info["lang"] == lang:
                    target_file[info["doc"]] = name
                    answers[info["doc"]] = [(frozenset(p["sentences"]), _norm(p["text"]))
                                            for p in paragraphs.get(name, [])]
            hits_at_1, rr, n = 0, 0.0, 0
            for doc, sents, text in queries:
                right = [t for s, t in answers.get(doc, []) if s & sents]
                if not right:
                    continue
                n += 1
                asked = " ".join(text.split()[:words]) if words else text
                result = ix.search(MEANING_PREFIX + asked[:MAX_QUERY_CHARS], lang=lang, limit=10, hybrid=hybrid)
                for rank, h in enumerate(result.hits, 1):
                    if h.path != target_file[doc]:
                        continue
                    got = paragraph(h.path, h.article, h.paragraph)
                    if got and any(got == t or got in t or t in got for t in right):
                        hits_at_1 += rank == 1
                        rr += 1.0 / rank
                        break
            if n:
                out[f"en→{lang}"] = {"p_at_1": round(hits_at_1 / n, 3), "mrr": round(rr / n, 3), "queries": n}
    return out


MEANING_PREFIX = "~"
SHORT = 8  # words in a short query: the English paragraph's first eight
MAX_QUERY_CHARS = 1500  # the query parser's limit is 2,000 characters


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dev", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "dev")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--json", type=Path, help="also write the results here")
    a = p.parse_args()
    results: dict[str, Any] = {}
    totals: dict[str, list[float]] = {}
    for seed in (int(s) for s in a.seeds.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-meaning-") as tmp:
            truth = build(a.dev, seed, Path(tmp) / "folder")
            corpus, work = Path(tmp) / "folder" / "corpus", Path(tmp) / "index"
            runs = {"product": score_product(corpus, truth, work),
                    "meaning only": score_product(corpus, truth, work, hybrid=False, build=False),
                    f"short ({SHORT} words)": score_product(corpus, truth, work, words=SHORT, build=False),
                    "short, meaning only": score_product(corpus, truth, work, hybrid=False, words=SHORT,
                                                         build=False),
                    "encoder": score(truth)}
        for what, res in runs.items():
            results[f"{what} seed {seed}"] = res
            print(f"{what:22} seed {seed}: " + "  ".join(
                f"{k} P@1 {v['p_at_1']:.2f} MRR {v['mrr']:.2f} ({v['queries']})" for k, v in res.items()))
            for k, v in res.items():
                t = totals.setdefault(f"{what} {k}", [0, 0.0, 0.0])
                t[0] += v["queries"]
                t[1] += v["p_at_1"] * v["queries"]
                t[2] += v["mrr"] * v["queries"]
    results["all"] = {k: {"p_at_1": round(h / n, 3), "mrr": round(r / n, 3), "queries": int(n)}
                      for k, (n, h, r) in totals.items() if n}
    for k, v in results["all"].items():
        print(f"all {k}: P@1 {v['p_at_1']:.2f} MRR {v['mrr']:.2f} ({v['queries']})")
    if a.json:
        a.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
