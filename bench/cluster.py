"""A rebuild on a Dask cluster against the local rebuild, on this machine.

    python -m bench.cluster --articles 10000 --workers 1,2 [--json out.json]

Generates a folder (bench/generate.py), rebuilds it locally, then with
``--cluster`` on a LocalCluster of 1, 2 ... worker processes (one thread each),
each into a fresh index folder. Reported per run: seconds, the seconds until
indexing started (reading, parsing, versions), the peak summed memory of all
processes (RSS and PSS), the peak RSS of the largest worker and of this
process (the coordinator), and the bytes that crossed the loopback interface
(the cluster's traffic: tasks, parsed articles, paragraphs sent to the
segment writers; on one machine it is all on ``lo``).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from bench.child import TreeRss, _rss_mb
from bench.generate import generate


def _loopback() -> int:
    counters = psutil.net_io_counters(pernic=True)
    lo = counters.get("lo")
    return lo.bytes_sent if lo is not None else 0


def _one(corpus: Path, index_dir: Path, address: str | None) -> dict[str, Any]:
    from index import rebuild

    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(phase: str, _done: int, _total: int) -> None:
        phases.setdefault(phase, round(time.perf_counter() - started, 1))

    sent = _loopback()
    with TreeRss() as tree:
        report = rebuild(corpus, index_dir, progress, cluster=address)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "indexing_from_s": phases.get("indexing"),
            "articles": report.articles, "paragraphs": report.paragraphs,
            "per_article_ms": round(1000 * seconds / max(report.articles, 1), 2),
            "peak_rss_all_mb": round(tree.peak_mb), "peak_pss_all_mb": round(tree.peak_pss_mb),
            "peak_rss_largest_worker_mb": round(max(tree.peaks.values(), default=0.0)),
            "coordinator_rss_mb": round(_rss_mb()), "loopback_mb": round((_loopback() - sent) / 2**20, 1)}


def measure(articles: int, counts: list[int], local: bool = True) -> dict[str, Any]:
    from distributed import LocalCluster

    out: dict[str, Any] = {"articles": articles, "cpus": os.cpu_count(), "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", articles).root
        if local:
            out["runs"]["local"] = _one(corpus, Path(tmp) / "local", None)
            print("local", out["runs"]["local"], flush=True)
        for n in counts:
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                              memory_limit=0) as cluster:
                key = f"cluster-{n}"
                out["runs"][key] = _one(corpus, Path(tmp) / key, cluster.scheduler_address)
                print(key, out["runs"][key], flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    ap.add_argument("--no-local", action="store_true", help="skip the local rebuild")
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args()
    result = measure(args.articles, [int(n) for n in args.workers.split(",")], local=not args.no_local)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
