"""Charts of a benchmark run, from its results JSON (matplotlib, a bench-only
dependency): ``python -m bench.charts bench/results/latest.json docs/charts``.

- ``queries.png``: query p50 and p95 against corpus size for briefing,
  ripgrep and SQLite FTS5, log-log;
- ``rebuild.png``: rebuild time, and its peak memory (the main process and
  all its processes), against size;
- ``reader.png``: keystroke → results (p50 and max) against size, with each
  query's own p50 for scale.

Sizes a run did not measure (FTS5 past its limit, a run without the TUI)
are left out of that line, not drawn as zero."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CHARTS = ("queries.png", "rebuild.png", "reader.png")


def _series(results: Sequence[dict[str, Any]], *path: str) -> tuple[list[int], list[float]]:
    """(sizes, values) of one measurement, leaving out sizes without it."""
    xs, ys = [], []
    for r in results:
        value: Any = r
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int | float) and value > 0:
            xs.append(int(r["articles"]))
            ys.append(float(value))
    return xs, ys


def draw(doc: dict[str, Any], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    results = sorted(doc["results"], key=lambda r: r["articles"])
    machine = doc.get("machine", {})
    caption = f"{machine.get('date', '')} · {machine.get('cpus', '?')} cores · Python {machine.get('python', '?')}"
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def finish(fig: Any, name: str, title: str) -> None:
        fig.suptitle(f"{title}\n{caption}", fontsize=10)
        fig.tight_layout()
        path = out / name
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    def line(ax: Any, path: tuple[str, ...], label: str, style: str) -> None:
        xs, ys = _series(results, *path)
        if xs:
            ax.plot(xs, ys, style, label=label)

    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda v, _pos: f"{v:,.6g}")

    def axes(ax: Any, ylabel: str) -> None:
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(plain)
            axis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("articles")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)

    fig, (p50, p95) = plt.subplots(1, 2, figsize=(10, 4))
    for ax, q in ((p50, "p50_ms"), (p95, "p95_ms")):
        line(ax, ("queries", q), "briefing", "o-")
        line(ax, ("rg", q), "ripgrep", "s--")
        line(ax, ("fts5", q), "SQLite FTS5 (trigram)", "^:")
        ax.set_title(q.split("_")[0])
        axes(ax, "ms per query (top 10, snippets)")
    finish(fig, "queries.png", "Query time against corpus size")

    fig, (seconds, memory) = plt.subplots(1, 2, figsize=(10, 4))
    line(seconds, ("rebuild", "seconds"), "rebuild", "o-")
    line(seconds, ("rebuild", "versions_s"), "of which version detection", "s--")
    axes(seconds, "seconds")
    line(memory, ("rebuild", "peak_rss_mb"), "main process", "o-")
    line(memory, ("rebuild", "peak_rss_all_processes_mb"), "all processes", "s--")
    line(memory, ("queries", "reader_rss_mb"), "reader (queries)", "^:")
    axes(memory, "peak RSS, MB")
    finish(fig, "rebuild.png", "Rebuild time and peak memory against corpus size")

    fig, ax = plt.subplots(figsize=(6, 4))
    line(ax, ("tui", "keystroke_to_results_p50_ms"), "keystroke → results, p50", "o-")
    line(ax, ("tui", "keystroke_to_results_max_ms"), "keystroke → results, max", "s--")
    line(ax, ("queries", "p50_ms"), "the query alone, p50", "^:")
    axes(ax, "ms")
    finish(fig, "reader.png", "The reader: keystroke to results")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", type=Path, help="a results JSON written by python -m bench.run")
    ap.add_argument("out", type=Path, help="the folder to write the PNG charts to")
    args = ap.parse_args(argv)
    doc = json.loads(args.results.read_text(encoding="utf-8"))
    for path in draw(doc, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
