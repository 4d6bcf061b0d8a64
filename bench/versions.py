"""Measure version detection on folders of real translations with a known truth.

    python -m bench.versions FOLDER [FOLDER ...]     # each holds corpus/ and truth.json
    python -m bench.versions --build tests/data/translations --seeds 1,2,3

A folder is what ``build-folder`` (``../shared/dev/translations``) writes:
``corpus/<lang>-<hash>.txt`` with no manifest, and ``truth.json`` naming which
files are versions of one another and which sentences each paragraph holds.
Reported per folder: link precision and recall, groups holding two articles
of one language, the cursor jump (a paragraph's aligned partner shares a
sentence with it), the calibration of the confidences (links binned by
confidence, with the share right in each bin) and the time taken.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from corpus import load_corpus


def true_pairs(truth: dict[str, Any]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for group in truth["groups"]:
        ids = sorted(name.rsplit(".", 1)[0] for name in group)
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return pairs


def measure(folder: Path) -> dict[str, Any]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    corpus = load_corpus(folder / "corpus")
    seconds = time.perf_counter() - started
    want = true_pairs(truth)
    # What the analyst sees: each article's versions (its group), with the
    # confidence of the direct link where there is one.
    direct = {(lk.a, lk.b): lk.confidence for lk in corpus.links}
    got = {(min(a.id, v), max(a.id, v)): direct.get((min(a.id, v), max(a.id, v)), 0.0)
           for a in corpus.articles for v in a.translations}
    right = set(got) & want
    precision = len(right) / len(got) if got else 1.0
    recall = len(right) / len(want) if want else 1.0
    # Groups: articles with a version in their own language.
    lang = {a.id: a.lang for a in corpus.articles}
    same_lang = sum(1 for a in corpus.articles if any(lang[v] == a.lang for v in a.translations))
    # Calibration: links by confidence band.
    bins: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair, conf in direct.items():
        band = f"{min(int(conf * 10), 9) / 10:.1f}"
        bins[band][0] += 1
        bins[band][1] += pair in want
    # Cursor jump: in right links, each source paragraph's bead partner shares a sentence.
    sentences = {
        name.rsplit(".", 1)[0]: [set(p["sentences"]) for p in paras] for name, paras in truth["paragraphs"].items()
    }
    jumps = good = 0
    for al in corpus.alignments:
        if (al.source, al.target) not in right:
            continue
        src, tgt = sentences[al.source], sentences[al.target]
        for bead in al.beads:
            for s in bead.source:
                if not bead.target or s > len(src):
                    continue
                jumps += 1
                good += any(src[s - 1] & tgt[t - 1] for t in bead.target if t <= len(tgt))
    return {
        "folder": str(folder),
        "articles": len(corpus.articles),
        "true_links": len(want),
        "links": len(got),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "same_language_versions": same_lang,
        "jump": round(good / jumps, 3) if jumps else None,
        "calibration": {k: {"links": n, "right": round(r / n, 2)} for k, (n, r) in sorted(bins.items())},
        "seconds": round(seconds, 2),
        "missed": sorted(f"{a}~{b}" for a, b in want - set(got))[:20],
        "wrong": sorted(f"{a}~{b} {got[(a, b)]}" for a, b in set(got) - want)[:20],
    }


def build_folder(script: Path, out: Path, seed: str, *more: str) -> None:
    """Run the development data's ``build-folder`` for ``seed`` into
    ``out``; a script that is missing or fails ends the run with a message
    that names it (and what it printed), not a traceback."""
    if not script.is_file():
        raise SystemExit(f"{script}: no such script (is the development data's translations folder there?)")
    done = subprocess.run([sys.executable, str(script), str(out), "--seed", seed, *more],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"{script} --seed {seed} failed (exit {done.returncode}): {done.stderr.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--build", type=Path, help="a translations folder holding build-folder (or build_folder.py)")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folders = list(args.folders)
    tmp = tempfile.TemporaryDirectory(prefix="briefing-versions-")
    if args.build:
        for seed in args.seeds.split(","):
            out = Path(tmp.name) / f"seed-{seed}"
            script = args.build / "build-folder"
            if not script.exists():
                script = args.build / "build_folder.py"  # the copy in tests/data/translations
            build_folder(script, out, seed)
            folders.append(out)
    results = [measure(f) for f in folders]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for r in results:
        print(
            f"{r['folder']}: {r['articles']} articles, {r['true_links']} true links; found {r['links']}: "
            f"precision {r['precision']}, recall {r['recall']}, same-language versions {r['same_language_versions']}, "
            f"jump {r['jump']}, {r['seconds']} s"
        )
        print("  calibration:", " ".join(f"{k}:{v['right']}({v['links']})" for k, v in r["calibration"].items()))
        if r["wrong"]:
            print("  wrong:", ", ".join(r["wrong"][:8]))
        if r["missed"]:
            print("  missed:", ", ".join(r["missed"][:8]))


if __name__ == "__main__":
    main()
