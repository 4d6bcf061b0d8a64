"""Measure the Speakers and Places panes on real news with a gold of its people and places.

    python -m bench.entities --dev ../shared/dev --seeds 1,2,3

For each seed it builds two folders from the development translations
(``dev/translations/build-folder``, no manifest) and indexes each with the
installed ``briefing``, as an analyst would:

- A: every document in all five languages;
- B: every document in one language only (drawn by the seed).

Then, file by file, it compares what ``briefing places --json`` and
``briefing speakers --json`` list for the file (their spellings in it) with
the gold (``dev/entities/gold/<doc>.json``), for the annotated documents:

- places: precision against every gold place, recall of the gold's cities;
- speakers: precision against every gold person, recall of those who speak;
- identity: of the gold entities found in two or more versions of one
  document, the share whose versions all carry one id (folder A).

A listed spelling matches a gold form when they are equal after Unicode
folding (NFKC, case); an Arabic spelling also when it differs by a proclitic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.versions import build_folder

LANGS = ("zh", "ar", "ru", "de", "en")
BRIEFING = str(Path(sys.executable).with_name("briefing"))


def norm(form: str) -> str:
    return unicodedata.normalize("NFKC", form).casefold().strip()


def matches(listed: str, gold: set[str]) -> bool:
    f = norm(listed)
    if f in gold:
        return True
    return f[:1] in "وبلفك" and f[1:] in gold


def build(dev: Path, seed: int, out: Path) -> tuple[Path, Path, dict[str, Any]]:
    """Folders A and B for ``seed`` under ``out``, and the truth (file -> doc, lang)."""
    raw = out / "raw"
    build_folder(dev / "translations" / "build-folder", raw, str(seed), "--share", "1.0")
    truth = json.loads((raw / "truth.json").read_text(encoding="utf-8"))
    a = raw / "corpus"
    b = out / "one-language"
    b.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    by_doc: dict[str, list[str]] = defaultdict(list)
    for name, info in sorted(truth["files"].items()):
        by_doc[info["doc"]].append(name)
    for _doc, names in sorted(by_doc.items()):
        keep = rng.choice(sorted(names))
        shutil.copy(a / keep, b / keep)
    return a, b, truth["files"]


def listing(folder: Path, index: Path, what: str) -> list[dict[str, Any]]:
    env = {**os.environ, "BRIEFING_CORPUS": str(folder), "BRIEFING_INDEX": str(index)}
    if what == "places":  # the first listing of a folder builds its index
        subprocess.run([BRIEFING, "index", "rebuild"], check=True, capture_output=True, env=env)
    got = subprocess.run([BRIEFING, what, "--json"], check=True, capture_output=True, env=env, text=True)
    listed: list[dict[str, Any]] = json.loads(got.stdout)
    return listed


def score(files: dict[str, dict[str, str]], gold: dict[str, dict[str, Any]], listed: list[dict[str, Any]],
          kind: str) -> dict[str, Any]:
    """Precision, recall and identity, overall and per language."""
    per_file: dict[str, list[tuple[str, list[str], bool]]] = defaultdict(list)  # file id -> (entity id, forms, speaks)
    for e in listed:
        for aid, forms in e.get("forms", {}).items():
            speaks = aid in e.get("speaking", ()) if kind == "people" else True
            per_file[aid].append((e["id"], list(forms), speaks))
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    found: dict[str, int] = defaultdict(int)
    wanted: dict[str, int] = defaultdict(int)
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)  # (doc, gold name) -> ids found for it
    misses: list[str] = []
    errors: list[str] = []
    for name, info in files.items():
        doc, lang = info["doc"], info["lang"]
        if doc not in gold:
            continue
        aid = name.rsplit(".", 1)[0]
        entries = gold[doc]["people" if kind == "people" else "places"]
        forms_of = {e["name"]: {norm(f) for f in e["forms"].get(lang, [])} for e in entries}
        everything = set().union(*forms_of.values()) if forms_of else set()
        listed_here = per_file.get(aid, [])
        for eid, forms, _speaks in listed_here:
            if any(matches(f, everything) for f in forms):
                tp[lang] += 1
                for gname, gforms in forms_of.items():
                    if any(matches(f, gforms) for f in forms):
                        ids[(doc, gname)].add(eid)
            else:
                fp[lang] += 1
                errors.append(f"{lang} {doc}: {' / '.join(forms)}")
        for e in entries:
            counted = e.get("spoke") if kind == "people" else e.get("kind") == "city"
            if not counted or not forms_of[e["name"]]:
                continue
            wanted[lang] += 1
            hit = any(matches(f, forms_of[e["name"]]) for _eid, forms, speaks in listed_here if speaks for f in forms)
            found[lang] += hit
            if not hit:
                misses.append(f"{lang} {doc}: {e['name']}")
    out: dict[str, Any] = {}
    for lang in (*LANGS, "all"):
        langs = LANGS if lang == "all" else (lang,)
        t, f = sum(tp[x] for x in langs), sum(fp[x] for x in langs)
        w, h = sum(wanted[x] for x in langs), sum(found[x] for x in langs)
        out[lang] = {"precision": round(t / (t + f), 3) if t + f else None, "listed": t + f,
                     "recall": round(h / w, 3) if w else None, "gold": w}
    several = [v for v in ids.values() if v]
    out["identity"] = round(sum(len(v) == 1 for v in several) / len(several), 3) if several else None
    out["errors"] = sorted(errors)
    out["misses"] = sorted(misses)
    out["split"] = sorted(f"{doc}: {gname} ({len(v)} ids)" for (doc, gname), v in ids.items() if len(v) > 1)
    # wrong merges: one id for two gold entities of one document (worse than a split)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (doc, gname), v in ids.items():
        for eid in v:
            owners[(doc, eid)].add(gname)
    merged = sorted(f"{doc}: {' + '.join(sorted(g))}" for (doc, _eid), g in owners.items() if len(g) > 1)
    out["merged"] = merged
    out["merges"] = len(merged)
    return out


def run(dev: Path, seeds: list[int], verbose: bool) -> dict[str, Any]:
    gold_dir = dev / "entities" / "gold"
    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}
    results: dict[str, Any] = {}
    for seed in seeds:
        with tempfile.TemporaryDirectory(prefix="bench-entities-") as tmp:
            a, b, files = build(dev, seed, Path(tmp))
            for label, folder in (("A", a), ("B", b)):
                index = Path(tmp) / f"index-{label}"
                places = listing(folder, index, "places")
                people = listing(folder, index, "speakers")
                here = {n: files[n] for n in os.listdir(folder) if n in files}
                res = {"places": score(here, gold, places, "places"), "speakers": score(here, gold, people, "people")}
                results[f"{label}{seed}"] = res
                _print(f"{label} seed {seed}", res, verbose)
    return results


def _print(title: str, res: dict[str, Any], verbose: bool) -> None:
    print(f"\n{title}")
    print(f"{'':10}" + "".join(f"{lang:>14}" for lang in (*LANGS, "all")) + f"{'identity':>10}")
    for kind in ("places", "speakers"):
        r = res[kind]
        for metric in ("precision", "recall"):
            cells = []
            for lang in (*LANGS, "all"):
                v, n = r[lang][metric], r[lang]["listed" if metric == "precision" else "gold"]
                cells.append(f"{'—' if v is None else f'{v:.2f}'} ({n})".rjust(14))
            ident = r["identity"] if metric == "precision" else None
            if metric == "recall":
                cells.append(f"merges {r['merges']}".rjust(12))
            print(f"{kind[:6]} {metric[0].upper()}".ljust(10) + "".join(cells)
                  + (f"{ident:>10.2f}" if ident is not None else ""))
        if verbose:
            for line in r["errors"]:
                print(f"    false: {line}")
            for line in r["misses"]:
                print(f"    missed: {line}")
            for line in r["split"]:
                print(f"    split: {line}")
            for line in r["merged"]:
                print(f"    merged: {line}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dev", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "dev")
    p.add_argument("--seeds", default="1")
    p.add_argument("--json", type=Path, help="also write the results here")
    p.add_argument("-v", "--verbose", action="store_true", help="list each false entry and each miss")
    a = p.parse_args()
    try:
        seeds = [int(s) for s in a.seeds.split(",")]
    except ValueError:
        p.error(f"--seeds {a.seeds!r}: give whole numbers separated by commas, e.g. 1,2,3")
    if not (a.dev / "entities" / "gold").is_dir():
        p.error(f"--dev {a.dev}: no entities/gold folder there (give the development data's folder: shared/dev)")
    results = run(a.dev, seeds, a.verbose)
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
