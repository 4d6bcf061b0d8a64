"""One measurement in a fresh process, printed as JSON (peak RSS is per process).

    python -m bench.child rebuild CORPUS INDEX [MEMORY_MB]
    python -m bench.child update CORPUS INDEX [MEMORY_MB]
    python -m bench.child queries INDEX
    python -m bench.child tui CORPUS INDEX
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    """This process's peak resident memory. Linux's ``ru_maxrss`` carries the
    parent's resident size across fork and exec (a harness holding 1 GB makes
    every child report 1 GB), so read the high-water mark of this process's
    own memory map (``VmHWM``) where there is one."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # kB
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


class TreeRss:
    """The peak of the summed resident memory of this process and all its
    descendants (the parse pool, Whoosh's sub-writers), sampled from /proc
    every ``every`` seconds: a process's own ``VmHWM`` leaves them out.
    ``peak_mb`` sums RSS, which counts a page that forked processes share
    once in each of them; ``peak_pss_mb`` sums PSS (each shared page split
    among its sharers), the memory the tree really takes. ``peaks``: each
    descendant's own peak RSS, by process id (a cluster's workers).

    Reading a process's PSS walks its page tables (about 8 ms for 350 MB
    here, under the process's own memory lock), so it is read every
    ``pss_every`` samples, and at once whenever the RSS sum reaches a new
    height; never when the RSS sum is below the PSS peak, which it bounds."""

    def __init__(self, every: float = 0.5, pss_every: int = 4) -> None:
        self.peak_mb = 0.0
        self.peak_pss_mb = 0.0
        self.peaks: dict[int, float] = {}
        self._every = every
        self._pss_every = pss_every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        tick = 0
        while True:
            me = os.getpid()
            tree = _tree(me)
            rss = {p: _rss_of(p) for p in tree}
            total = sum(rss.values())
            higher = total > self.peak_mb
            self.peak_mb = max(self.peak_mb, total)
            for p, mb in rss.items():
                if p != me:
                    self.peaks[p] = max(self.peaks.get(p, 0.0), mb)
            if total > self.peak_pss_mb and (higher or tick % self._pss_every == 0):
                self.peak_pss_mb = max(self.peak_pss_mb, sum(_pss_of(p) for p in tree))
            tick += 1
            if self._stop.wait(self._every):
                return


def _tree(root: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids.get(pid, [])
    return out


def _rss_of(pid: int) -> float:
    return _proc_mb(pid, "status", "VmRSS:")


def _pss_of(pid: int) -> float:
    return _proc_mb(pid, "smaps_rollup", "Pss:")


def _proc_mb(pid: int, name: str, field: str) -> float:
    """A process's ``field`` (kB) in ``/proc/<pid>/<name>``, in MB; 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Stages:
    """A build's wall time by stage, from its progress reports (``reading``,
    ``indexing``, ``embedding``): each phase from its first report to its
    last, and what lies between (``before indexing``: version detection and
    the alignments; ``before embedding``: the index's sidecars, then the
    side store's thread if it is still writing; ``after
    embedding``: the side store's end and the publishing). The parts add up
    to the whole."""

    def __init__(self, clock: Any = time.perf_counter) -> None:
        self.clock = clock
        self.start = clock()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def __call__(self, phase: str, _done: int, _total: int) -> None:
        now = self.clock()
        self.first.setdefault(phase, now)
        self.last[phase] = now

    def seconds(self) -> dict[str, float]:
        end, at = self.clock(), self.start
        phases = sorted(self.first, key=lambda p: self.first[p])
        out: dict[str, float] = {}
        for phase in phases:
            out["before " + phase] = self.first[phase] - at
            out[phase] = self.last[phase] - self.first[phase]
            at = self.last[phase]
        out[f"after {phases[-1]}" if phases else "all"] = end - at
        return {name: round(s, 3) for name, s in out.items()}


def rebuild_cmd(corpus: Path, index: Path, mode: str, memory_mb: int | None = None) -> dict[str, object]:
    """Rebuild or update ``index`` from ``corpus`` (with ``--memory memory_mb``): its time, memory and stages."""
    from index import rebuild, update

    t = time.perf_counter()
    stages = Stages()
    with TreeRss() as tree:
        report = (rebuild if mode == "rebuild" else update)(corpus, index, stages, memory_mb=memory_mb)
    return {"seconds": round(time.perf_counter() - t, 3), "stages_s": stages.seconds(), "rss_mb": _rss_mb(),
            "tree_rss_mb": round(tree.peak_mb, 1),
            "tree_pss_mb": round(tree.peak_pss_mb, 1),
            "articles": report.articles,
            "paragraphs": report.paragraphs, "added": len(report.added), "changed": len(report.changed),
            "removed": len(report.removed), "skipped": len(report.skipped), "incremental": report.incremental,
            "versions_s": report.versions_seconds}


def _timed(ix: Any, query: str, repeat: int) -> tuple[list[float], Any]:
    """Each of ``repeat`` runs' seconds of one query (top 10), and its last result."""
    runs = []
    for _ in range(repeat):
        s = time.perf_counter()
        result = ix.search(query, limit=10)
        runs.append(time.perf_counter() - s)
    return runs, result


def queries_cmd(index: Path, repeat: int = 3) -> dict[str, object]:
    from bench.queries import QUERIES
    from index import Index

    t = time.perf_counter()
    ix = Index(index)
    opened = time.perf_counter() - t
    ix.search("深圳 Shenzhen", limit=10)
    first = time.perf_counter() - t
    per_query: list[float] = []
    first_runs: list[float] = []  # before anything of this query is cached
    totals: list[int] = []
    for q, _term in QUERIES:
        runs, result = _timed(ix, q, repeat)
        per_query.append(statistics.median(runs))
        first_runs.append(runs[0])
        totals.append(result.total)
    rss = _rss_mb()
    ix.close()
    return {"open_s": round(opened, 3), "open_and_first_query_s": round(first, 3), "times_s": per_query,
            "first_s": first_runs, "totals": totals, "rss_mb": rss}


TYPED_WORDS = ("深圳", "Чжуншаня", "الابتكار", "Kooperation", "创新", "Guangzhou")  # the reader's and the floor's
ROUNDS = 3  # each word typed this many times: 18 samples
# How often the reader and the floor are looked at while they work: a bare sleep, not Pilot's pause, which
# makes every widget answer a message and draws a frame each time, taking the GIL from the search worker.
WATCH = 0.001


def _timed_once(call: Any) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def tui_cmd(corpus: Path, index: Path) -> dict[str, object]:
    from textual.widgets import Input

    from tui.app import create_app
    from tui.config import Settings
    from tui.screens.main import HITS_SHOWN
    from tui.widgets.panes import ArticlesPane
    from tui.widgets.rows import ArticleItem, HitItem

    async def run() -> dict[str, object]:
        started = time.perf_counter()
        app = create_app(Settings(corpus, index, "visual"))
        async with app.run_test(size=(120, 36)) as pilot:
            painted = time.perf_counter() - started  # the first frame is up: search bar, panes, footer
            pane = app.main.query_one(ArticlesPane)

            def shown(kind: type) -> bool:
                return isinstance(pane.current(), kind)

            while not shown(ArticleItem):
                await pilot.pause(0.01)
            listed = time.perf_counter() - started
            await pilot.press("slash", *"Shenzhen")  # warm-up: the first search, typed
            while not shown(HitItem):
                await pilot.pause(0.005)
            await app.workers.wait_for_complete()  # the reader's warm-up (jieba) is done, as after a second of use
            samples = []
            for _round in range(ROUNDS):
                for word in TYPED_WORDS:
                    t = time.perf_counter()
                    app.query_one("#search", Input).value = word  # as the last keystroke of a word does
                    while not (shown(HitItem) and app.main.shown_query == word):
                        await asyncio.sleep(WATCH)
                    await pilot.pause(0)  # the new rows drawn, as the floor waits for its own
                    samples.append(time.perf_counter() - t)
            # The same words asked of the reader's own index in its own process, the app idle: the
            # query's part of keystroke -> results, the median of 3 runs of each (as every query
            # latency of this benchmark; the best of 3 is kept beside it: it was the measure until
            # 2026-12-06, and at 100,000 articles it is a quarter below the median).
            ix = app.main.index
            assert ix is not None
            runs = [[_timed_once(lambda w=word: ix.search(w, limit=HITS_SHOWN)) for _ in range(3)]
                    for word in TYPED_WORDS]
        return {"first_paint_s": round(painted, 3), "articles_listed_s": round(listed, 3),
                "keystroke_to_results_s": [round(x, 4) for x in samples],
                "query_s": [round(statistics.median(r), 4) for r in runs],
                "query_best_s": [round(min(r), 4) for r in runs], "rss_mb": _rss_mb()}

    return asyncio.run(run())


def floor_cmd() -> dict[str, object]:
    """Textual's own floor for keystroke -> repaint, measured as
    :func:`tui_cmd` measures the reader: a bare app of one search input and
    one list of 20 rows (an OptionList: Textual's lightest list, one line
    per row and no widget each), refilled on each change of the input (no
    index, no panes), in the same terminal size. The reader's keystroke ->
    results is this plus the query and the reader's own work."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, OptionList

    class Floor(App[None]):
        shown = ""

        def compose(self) -> ComposeResult:
            yield Input(id="search")
            yield OptionList(id="rows")

        def on_input_changed(self, event: Input.Changed) -> None:
            rows = self.query_one("#rows", OptionList)
            rows.clear_options()
            rows.add_options(f"{event.value} · row {i}" for i in range(20))
            self.shown = event.value

    async def run() -> dict[str, object]:
        app = Floor()
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press(*"warm")
            while app.shown != "warm":
                await pilot.pause(0.002)
            samples = []
            for _round in range(ROUNDS):
                for word in TYPED_WORDS:
                    t = time.perf_counter()
                    app.query_one("#search", Input).value = word
                    while app.shown != word:
                        await asyncio.sleep(WATCH)
                    await pilot.pause(0)  # the refilled rows drawn
                    samples.append(time.perf_counter() - t)
        return {"keystroke_to_repaint_s": [round(x, 4) for x in samples]}

    return asyncio.run(run())


def meaning_cmd(index: Path, repeat: int = 3) -> dict[str, object]:
    """Meaning queries (``~``) against an index with paragraph vectors: the
    reader's memory (after the word queries) before the first and after all, and each query's time
    (the median of ``repeat`` runs, encoding the query included)."""
    from bench.queries import MEANING_QUERIES, QUERIES
    from index import Index

    ix = Index(index)
    for text, _term in QUERIES:  # the reader as it is in use before its first meaning query: word queries answered
        ix.search(text, limit=10)
    before = _rss_mb()
    t = time.perf_counter()
    ix.search(MEANING_QUERIES[0], limit=10)
    first = time.perf_counter() - t
    per_query: list[float] = []
    best: list[float] = []
    for q in MEANING_QUERIES:
        runs, result = _timed(ix, q, repeat)
        per_query.append(statistics.median(runs))
        best.append(result.hits[0].score if result.hits else 0.0)
    rss = _rss_mb()
    ix.close()
    return {"first_s": round(first, 3), "times_s": per_query, "best_similarity": best, "rss_before_mb": before,
            "rss_mb": rss}


def main(argv: list[str]) -> None:
    cmd, *args = argv
    if cmd in ("rebuild", "update"):
        out = rebuild_cmd(Path(args[0]), Path(args[1]), cmd, int(args[2]) if len(args) > 2 else None)
    elif cmd == "queries":
        out = queries_cmd(Path(args[0]))
    elif cmd == "meaning":
        out = meaning_cmd(Path(args[0]))
    elif cmd == "tui":
        out = tui_cmd(Path(args[0]), Path(args[1]))
    elif cmd == "floor":
        out = floor_cmd()
    else:
        raise SystemExit(f"unknown command {cmd!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
