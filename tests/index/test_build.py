"""Rebuilds are atomic, updates are incremental, failures leave the old index."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from index import (
    Index,
    IndexBusy,
    IndexCorrupt,
    IndexMissing,
    IndexOutdated,
    StorageError,
    incremental,
    integrity,
    rebuild,
    sidestore,
    store,
    update,
)
from index import build as build_mod
from index.sidestore import SideStore
from tests.conftest import write
from tests.corpus.generated import CASTS, write_corpus


def make_corpus(root: Path, count: int) -> Path:
    """``count`` generated articles recombined from real bundled paragraphs,
    each with a unique marker word."""
    paras = []
    for f in sorted(BUNDLED_DIR.glob("*.txt")):
        paras += [p for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 40]
    for i in range(count):
        body = "\n\n".join(paras[(i * 7 + k) % len(paras)] for k in range(6))
        write(root / f"gen{i:05d}.txt", f"Generated article {i}\n\nmarker{i:05d} {body}")
    return root


def test_rebuild_then_search(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    report = rebuild(make_corpus(tmp_path / "c", 5), tmp_path / "ix")
    assert (report.articles, report.skipped) == (5, ())
    ix = open_index(tmp_path / "ix")
    assert [h.article for h in ix.search("marker00003").hits] == ["gen00003"]


def test_update_reindexes_only_changes(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    corpus = make_corpus(tmp_path / "c", 6)
    rebuild(corpus, tmp_path / "ix")
    write(corpus / "gen00001.txt", "Changed\n\nnewword shenzhen")
    (corpus / "gen00002.txt").unlink()
    write(corpus / "added.txt", "Added\n\nanotherword")
    report = update(corpus, tmp_path / "ix")
    assert (report.mode, report.added, report.changed, report.removed) == (
        "update",
        ("added",),
        ("gen00001",),
        ("gen00002",),
    )
    ix = open_index(tmp_path / "ix")
    assert [h.article for h in ix.search("newword").hits] == ["gen00001"]
    assert [h.article for h in ix.search("anotherword").hits] == ["added"]
    assert ix.search("marker00002").total == 0
    assert ix.search("marker00001").total == 0
    assert ix.search("marker00003").total == 1
    again = update(corpus, tmp_path / "ix")
    assert (again.added, again.changed, again.removed) == ((), (), ())


def _same_answers(a: Index, b: Index) -> None:
    """Two indexes of one folder answer alike: articles, summaries, hits
    (as sets: Whoosh counts a deleted document in term statistics until its
    segment is merged, so scores may differ in the last digits)."""
    assert a.articles() == b.articles() and a.census() == b.census()
    assert a.speakers() == b.speakers() and a.cities() == b.cities()
    assert a.speakers(full=True) == b.speakers(full=True) and a.cities(full=True) == b.cities(full=True)
    sa, sb = a.status(), b.status()
    assert (sa.articles, sa.paragraphs, sa.languages, sa.skipped) == (
        sb.articles,
        sb.paragraphs,
        sb.languages,
        sb.skipped,
    )
    for q in (
        "深圳",
        "Shenzhen",
        "changedword",
        "addedword",
        "marker00005",
        "marker00007",
        "speaker:胡刚",
        "Kooperation",
    ):
        ra, rb = a.search(q, limit=1000), b.search(q, limit=1000)
        assert {(h.article, h.paragraph, h.snippet) for h in ra.hits} == {
            (h.article, h.paragraph, h.snippet) for h in rb.hits
        }
    assert a.alignment("002", "000") == b.alignment("002", "000")
    for aid in ("gen00003", "added", "002"):
        assert a.article(aid) == b.article(aid)


@pytest.mark.slow
def test_incremental_update_answers_as_a_rebuild_does(
    corpus_copy: Path, tmp_path: Path, open_index: Callable[[Path], Index]
) -> None:
    corpus = make_corpus(corpus_copy, 30)
    rebuild(corpus, tmp_path / "ix")
    write(corpus / "gen00003.txt", "Changed\n\nchangedword 深圳 Shenzhen\n\n胡刚:这是新的一段话。")
    write(corpus / "added.txt", "Added\n\naddedword Guangzhou")
    (corpus / "gen00005.txt").unlink()
    os.utime(corpus / "gen00007.txt")  # touched: same bytes, newer mtime
    report = update(corpus, tmp_path / "ix")
    assert report.incremental
    assert (report.added, report.changed, report.removed) == (("added",), ("gen00003",), ("gen00005",))
    rebuild(corpus, tmp_path / "fresh")
    _same_answers(open_index(tmp_path / "ix"), open_index(tmp_path / "fresh"))
    assert [h.article for h in open_index(tmp_path / "ix").search("changedword").hits] == ["gen00003"]


def test_an_incremental_update_merges_only_the_summaries_its_articles_touch(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_index: Callable[[Path], Index]
) -> None:
    """A place named only by a removed article leaves the Places pane (and
    the names queries expand); one named by an added article arrives with
    its GeoNames facts; a summary already stored is updated from itself and
    the changed shares, only a new one is merged from its shares, the other
    summaries are not touched, and all of them are what a rebuild gives."""
    corpus = make_corpus(corpus_copy, 30)
    write(corpus / "gone.txt", "Gone\n\nThe delegation then travelled on to Nairobi, the capital of Kenya.")
    rebuild(corpus, tmp_path / "ix")
    before = {c.id: c for c in open_index(tmp_path / "ix").cities()}
    (corpus / "gone.txt").unlink()
    write(corpus / "added.txt", "Added\n\nThe delegation then travelled on to Lisbon, the capital of Portugal.")
    asked: list[tuple[str, set[str] | None]] = []
    real = SideStore.shares
    monkeypatch.setattr(SideStore, "shares", lambda self, kind, entities=None: (
        asked.append((kind, None if entities is None else set(entities))) or real(self, kind, entities)))
    report = update(corpus, tmp_path / "ix")
    assert report.incremental and (report.added, report.removed) == (("added",), ("gone",))
    after = {c.id: c for c in open_index(tmp_path / "ix").cities()}
    nairobi = next(i for i, c in before.items() if c.name == "Nairobi")
    lisbon = next(i for i, c in after.items() if c.name == "Lisbon")
    assert nairobi not in after and lisbon not in before
    assert (after[lisbon].country, after[lisbon].n_articles, after[lisbon].geonames) == ("PT", 1, 2267057)
    merged = dict(asked)
    assert lisbon in merged["city"] and nairobi not in merged["city"] and len(merged["city"]) <= 2
    assert merged["speaker"] is not None and not merged["speaker"]
    assert open_index(tmp_path / "ix").search("place:Lisbon").total == 1
    # an edit that leaves an article's speakers and places as they were merges no summary again
    asked.clear()
    edited = corpus / "gen00004.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA closing line with nobody and nowhere in it.\n",
                      encoding="utf-8")
    report = update(corpus, tmp_path / "ix")
    assert report.incremental and report.changed == ("gen00004",)
    assert asked == [("speaker", set()), ("city", set())]
    rebuild(corpus, tmp_path / "fresh")
    _same_answers(open_index(tmp_path / "ix"), open_index(tmp_path / "fresh"))
    # what an update reads of a summary does not grow with its articles: counts and names, no article list
    places = open_index(tmp_path / "ix").cities()
    side = SideStore.open(store.current_generation(tmp_path / "ix") / store.SIDE_DB)
    try:
        states = side.summary_states("city", [c.id for c in places])
    finally:
        side.close()
    widest = max(places, key=lambda c: c.n_articles)
    assert widest.n_articles >= 20 and states[widest.id]["n"] == widest.n_articles
    assert states[widest.id]["m"] == widest.mentions
    assert {tuple(sorted(st)) for st in states.values()} == {("m", "n", "names")}
    names = {(c.id, lang, f) for c in places for lang, forms in c.names.items() for f in forms}
    assert all(len(entry) == 5 for st in states.values() for entry in st["names"])  # lang, form, first, place, count
    assert sum(len(st["names"]) for st in states.values()) >= len(names)  # forms as written, before they are shown


def test_updates_add_side_store_parts_share_the_others_and_fold_them(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_index: Callable[[Path], Index]
) -> None:
    """Each incremental update copies only ``side.sqlite`` and writes one
    new part with its articles; the parts before it are the published
    generation's own files (hard links, never written again). Past
    ``MAX_PARTS`` the small parts are folded into the new one. Through it
    all, the index answers as a rebuild of the same folder does."""
    monkeypatch.setattr(sidestore, "MAX_PARTS", 4)
    corpus = make_corpus(corpus_copy, 30)
    ix_dir = tmp_path / "ix"
    rebuild(corpus, ix_dir)
    seen: list[list[str]] = []
    for step in range(6):
        live = store.current_generation(ix_dir)
        before = {p.name: (p.stat().st_ino, integrity.crc32(p)) for p in live.glob("side.0*.sqlite")}
        target = f"gen{1 if step == 3 else step:05d}"  # at the fold, an article of a part being folded
        write(corpus / f"{target}.txt", f"Changed {step}\n\nstepword{step} 深圳 Shenzhen")
        if step == 2:
            (corpus / "gen00020.txt").unlink()
        report = update(corpus, ix_dir)
        assert report.incremental and report.changed == (target,)
        gen = store.current_generation(ix_dir)
        parts = sorted(p.name for p in gen.glob("side.0*.sqlite"))
        seen.append(parts)
        for name, (inode, crc) in before.items():  # the previous generation's parts, as they were
            if name in parts:
                assert (gen / name).stat().st_ino == inode and integrity.crc32(gen / name) == crc
        assert integrity.check(gen) == []
    assert seen[:3] == [["side.0001.sqlite", "side.0002.sqlite"], ["side.0001.sqlite", *(f"side.000{i}.sqlite"
                                                                                       for i in (2, 3))],
                        ["side.0001.sqlite", *(f"side.000{i}.sqlite" for i in (2, 3, 4))]]
    assert seen[3] == ["side.0001.sqlite", "side.0005.sqlite"]  # 2, 3 and 4 folded into 5
    ix = open_index(ix_dir)
    assert [h.article for h in ix.search("stepword3").hits] == ["gen00001"] and ix.search("stepword1").total == 0
    assert ix.search("marker00001").total == 0 and ix.search("marker00020").total == 0
    rebuild(corpus, tmp_path / "fresh")
    _same_answers(ix, open_index(tmp_path / "fresh"))
    assert ix.speaker_paragraphs("hu-gang") == open_index(tmp_path / "fresh").speaker_paragraphs("hu-gang")
    # the opening vectors, kept through parts, stale rows and the fold, are the rebuild's
    stores = [SideStore.open(store.current_generation(d) / store.SIDE_DB) for d in (ix_dir, tmp_path / "fresh")]
    try:
        kept, fresh = (s.leads() for s in stores)
        assert len(fresh) > 20 and sorted(kept) == sorted(fresh) and "gen00020" not in kept
        assert all((kept[aid] == fresh[aid]).all() for aid in fresh)
        alive = {"gen00001", "gen00003", "gen00007"}
        assert sorted(stores[0].leads(alive, skip={"gen00007"})) == ["gen00001", "gen00003"]
    finally:
        for s in stores:
            s.close()


def _segments(index_dir: Path) -> list[int]:
    """The document counts of the live generation's Whoosh segments, in order."""
    from whoosh import index as windex

    with windex.open_dir(str(store.current_generation(index_dir))).reader() as reader:
        return [sub.doc_count_all() for sub, _offset in reader.leaf_readers()]


def test_fold_from_takes_the_smallest_size_class_with_a_long_enough_run() -> None:
    fold_from, at = build_mod.fold_from, build_mod.FOLD_AT
    assert at == 4
    assert fold_from([500_000, 500_000, 40, 60, 30]) == 5  # three small ones: left
    assert fold_from([500_000, 500_000, 40, 60, 120, 30]) == 2  # four of a hundred or fewer: folded
    assert fold_from([500_000, 500_000, 900, 40, 60, 30, 20]) == 3  # four of tens: the hundreds stay
    assert fold_from([5_000, 600, 61, 62, 63, 64]) == 2
    assert fold_from([187, 60, 61, 62, 63]) == 1  # a small index folds up to FOLD_DOCS
    assert fold_from([60, 61, 62, 63]) == 4  # never the largest's class: that is a rebuild
    assert fold_from([100_000, 30_000, 30_000, 30_000, 30_000]) == 5  # more than a tenth: left


def test_updates_fold_their_segments_and_answer_as_a_rebuild_does(
    corpus_copy: Path, tmp_path: Path, open_index: Callable[[Path], Index]
) -> None:
    """Each update appends a segment; once four small ones stand at the end,
    the next update indexes their articles again in its own and drops them,
    so a daily update does not add a segment a day for every query to open.
    What they held is found as before, what was retired stays gone, and
    meaning queries reach the folded articles' vectors."""
    corpus = make_corpus(corpus_copy, 30)
    ix_dir = tmp_path / "ix"
    rebuild(corpus, ix_dir)
    base = len(_segments(ix_dir))
    counts = []
    # gen00007 names a speaker whose identity sends its update the long way (versions and identities
    # worked out across the folder again): that update folds too.
    steps = (0, 1, 2, 3, 7, 4, 5, 6, 8)
    for step in steps:
        path = corpus / f"gen{step:05d}.txt"  # its marker word changed, its people and places kept
        write(path, path.read_text(encoding="utf-8").replace(f"marker{step:05d}", f"foldword{step}"))
        assert update(corpus, ix_dir).incremental == (step != 7)
        counts.append(len(_segments(ix_dir)) - base)
        assert integrity.check(store.current_generation(ix_dir)) == []
    assert counts == [1, 2, 3, 4, 1, 2, 3, 4, 1]  # the fifth update folds the four into its own, and the ninth
    ix = open_index(ix_dir)
    for step in steps:  # every changed article, folded or not: its new text, not its old marker
        assert [h.article for h in ix.search(f"foldword{step}").hits] == [f"gen{step:05d}"]
        assert ix.search(f"marker{step:05d}").total == 0
    rebuild(corpus, tmp_path / "fresh")
    fresh = open_index(tmp_path / "fresh")
    _same_answers(ix, fresh)
    like = ix.like("gen00001", 2, limit=5)
    assert [(h.article, h.paragraph) for h in like.hits] == [
        (h.article, h.paragraph) for h in fresh.like("gen00001", 2, limit=5).hits]


def test_incremental_update_detects_the_versions_of_an_added_file(
    corpus_copy: Path, tmp_path: Path, open_index: Callable[[Path], Index]
) -> None:
    """The Arabic translation arrives after the Chinese original, with no
    manifest entry: the update finds the pair, as a rebuild would."""
    (corpus_copy / "briefing.yaml").unlink()
    arabic = corpus_copy / "000_f3eee6bc68b515fc.txt"
    held = arabic.read_bytes()
    arabic.unlink()
    make_corpus(corpus_copy, 20)
    rebuild(corpus_copy, tmp_path / "ix")
    arabic.write_bytes(held)
    report = update(corpus_copy, tmp_path / "ix")
    assert report.incremental and report.added == ("000_f3eee6bc68b515fc",)
    rebuild(corpus_copy, tmp_path / "fresh")
    a, b = open_index(tmp_path / "ix"), open_index(tmp_path / "fresh")
    assert a.info("000_f3eee6bc68b515fc").translations == ("002_05264b1b95ebf856",)
    assert a.articles() == b.articles() and a.speakers() == b.speakers()
    assert a.alignment("002_05264b1b95ebf856", "000_f3eee6bc68b515fc") == b.alignment(
        "002_05264b1b95ebf856", "000_f3eee6bc68b515fc")


def test_update_reads_no_unchanged_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_corpus(tmp_path / "c", 8)
    rebuild(corpus, tmp_path / "ix")
    for f in corpus.glob("*.txt"):  # as if built a while ago: a fresh mtime is hashed whatever its stat says
        os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns - 10**10))
    rebuild(corpus, tmp_path / "ix")
    read: list[str] = []
    real = incremental.read_file
    monkeypatch.setattr(incremental, "read_file", lambda root, rel: read.append(rel) or real(root, rel))
    write(corpus / "gen00002.txt", "Changed\n\nchangedword")
    report = update(corpus, tmp_path / "ix")
    assert report.incremental and report.changed == ("gen00002",) and read == ["gen00002.txt"]


def test_update_with_unregistered_speakers_rechecks_the_whole_corpus(
    tmp_path: Path, open_index: Callable[[Path], Index]
) -> None:
    corpus = write_corpus(tmp_path / "c", CASTS["chen-zhou"])
    rebuild(corpus, tmp_path / "ix")
    talk = corpus / "talk_zh.txt"
    talk.write_text(talk.read_text(encoding="utf-8") + "\n补充:会后双方签署了协议。\n", encoding="utf-8")
    report = update(corpus, tmp_path / "ix")
    assert not report.incremental and report.changed == ("talk_zh",)
    rebuild(corpus, tmp_path / "fresh")
    a, b = open_index(tmp_path / "ix"), open_index(tmp_path / "fresh")
    assert a.speakers() == b.speakers() and a.articles() == b.articles()


@pytest.mark.parametrize(
    ("where", "build"),
    [("_write_side_store", rebuild), ("_index_articles", update)],  # writing JSON, writing segments
)
def test_disk_full_leaves_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, build, open_index: Callable[[Path], Index]
) -> None:  # type: ignore[no-untyped-def]
    corpus = make_corpus(tmp_path / "c", 3)
    rebuild(corpus, tmp_path / "ix")
    write(corpus / "new.txt", "New\n\nfreshword")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_mod, where, full)
    with pytest.raises(
        StorageError, match="the disk is full; the previous index is untouched. Free space and rebuild."
    ):
        build(corpus, tmp_path / "ix")
    monkeypatch.undo()
    ix = open_index(tmp_path / "ix")
    assert ix.search("marker00001").total == 1 and ix.search("freshword").total == 0
    assert not list((tmp_path / "ix").glob("tmp-*"))


KILL_SCRIPT = """
import sys
from pathlib import Path
from index import rebuild
rebuild(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0])
@pytest.mark.slow
def test_rebuild_killed_midway_leaves_previous_index(
    tmp_path: Path, delay: float, open_index: Callable[[Path], Index]
) -> None:
    corpus = make_corpus(tmp_path / "c", 400)
    ixdir = tmp_path / "ix"
    rebuild(corpus, ixdir)
    before = os.readlink(ixdir / store.CURRENT)
    write(corpus / "late.txt", "Late\n\nlateword")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(corpus), str(ixdir)])
    time.sleep(delay)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30  # a worker still importing notices once its initializer runs
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "a killed rebuild left worker processes behind"
    ix = open_index(ixdir)  # the previous (or, if it finished, the new) generation answers
    assert ix.search("marker00123").total == 1
    if os.readlink(ixdir / store.CURRENT) == before:
        assert ix.search("lateword").total == 0
    report = rebuild(corpus, ixdir)  # the next rebuild succeeds and cleans up
    assert report.articles == 401
    assert open_index(ixdir).search("lateword").total == 1
    assert not list(ixdir.glob("tmp-*"))


STAGES_SCRIPT = """
import sys, time
from pathlib import Path
from whoosh.filedb.filestore import FileStorage
from index import budget, meaning
from index.schema import build_schema
from index.writers import SpawningWriter
budget.cores = lambda: 2
with budget.using(4096), meaning._pool(meaning.PARALLEL_MIN_TEXTS) as embed:
    embed(["Guangzhou"] * (2 * meaning.EMBED_CHUNK))  # one job each: both encoder workers start
    writer = SpawningWriter(FileStorage(sys.argv[1]).create_index(build_schema({"zh"})), procs=2)
    writer._new_task(), writer._new_task()  # the sub-writers of the index writing, waiting for their jobs
    print("ready", flush=True)
    time.sleep(600)
"""


@pytest.mark.slow
def test_a_killed_rebuild_leaves_no_encoder_or_writer_behind(tmp_path: Path) -> None:
    """The workers of a rebuild's later stages (the paragraphs' encoders,
    Whoosh's sub-writers) leave with a build killed from outside, as its
    parse workers do: they would embed what nobody reads, or wait on their
    queue for good, holding their memory."""
    (tmp_path / "ix").mkdir()
    proc = subprocess.Popen([sys.executable, "-c", STAGES_SCRIPT, str(tmp_path / "ix")], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    if not select.select([proc.stdout], [], [], 300)[0]:  # a hung child fails the test, not the whole run
        proc.kill()
        pytest.fail("the child did not start its workers within 300 s")
    assert proc.stdout.readline() == "ready\n"
    workers = _children(proc.pid)
    spawned = [w for w in workers if b"spawn_main" in Path(f"/proc/{w}/cmdline").read_bytes()]
    assert len(spawned) == 4, workers  # 2 encoders, 2 sub-writers (and the resource tracker)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "a killed rebuild left worker processes behind"


def test_second_writer_fails_naming_the_holder(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 2)
    with store.writer_lock(tmp_path / "ix"):
        with pytest.raises(IndexBusy, match=rf"another rebuild is writing the index .*\(pid {os.getpid()} since"):
            rebuild(corpus, tmp_path / "ix")


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_missing_outdated_and_corrupt_indexes_name_the_fix(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    with pytest.raises(IndexMissing, match="briefing index rebuild"):
        open_index(tmp_path / "nothing")
    rebuild(make_corpus(tmp_path / "c", 2), tmp_path / "ix")
    gen = store.current_generation(tmp_path / "ix")
    meta = json.loads((gen / store.META).read_text())
    (gen / store.META).write_text(json.dumps({**meta, "schema": 1}))
    with pytest.raises(IndexOutdated, match="schema version 1, .* rebuild it with: briefing index rebuild"):
        open_index(tmp_path / "ix")
    (gen / store.META).write_text(json.dumps(meta))
    for seg in gen.glob("*.trm"):
        seg.write_bytes(seg.read_bytes()[:100])
    with pytest.raises(IndexCorrupt, match="is damaged .* briefing index rebuild"):
        open_index(tmp_path / "ix").search("marker00001")


def test_index_picks_up_a_rebuild_by_another_process(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    corpus = make_corpus(tmp_path / "c", 2)
    rebuild(corpus, tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    write(corpus / "x.txt", "X\n\nxylophoneword")
    subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(corpus), str(tmp_path / "ix")], check=True)
    assert ix.search("xylophoneword").total == 0
    assert ix.refresh() is True
    assert ix.search("xylophoneword").total == 1


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_deleted_segment_is_detected_at_open(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    rebuild(make_corpus(tmp_path / "c", 2), tmp_path / "ix")
    gen = store.current_generation(tmp_path / "ix")
    for seg in gen.glob("*.trm"):
        seg.unlink()
    with pytest.raises(
        IndexCorrupt, match=r"is damaged \(.*\.trm: is missing\); rebuild it with: briefing index rebuild"
    ):
        open_index(tmp_path / "ix")


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_or_missing_side_store_is_detected_at_open(
    tmp_path: Path, open_index: Callable[[Path], Index]
) -> None:
    rebuild(make_corpus(tmp_path / "c", 2), tmp_path / "ix")
    side = store.current_generation(tmp_path / "ix") / store.SIDE_DB
    data = side.read_bytes()
    side.write_bytes(b"not a database" + data[100:])
    with pytest.raises(IndexCorrupt, match=r"is damaged \(gen-[^/]+/side.sqlite: is [\d,]+ bytes; it was written "
                                           r"with [\d,]+\); rebuild it"):
        open_index(tmp_path / "ix")
    side.write_bytes(b"not a database" + data[len(b"not a database"):])  # the same size: the checksum tells
    with pytest.raises(IndexCorrupt, match=r"side.sqlite: its content changed since it was written \(checksum\)"):
        open_index(tmp_path / "ix")
    side.unlink()
    with pytest.raises(IndexCorrupt, match=r"is damaged \(gen-[^/]+/side.sqlite: is missing\); rebuild it"):
        open_index(tmp_path / "ix")


def test_a_read_only_index_folder_names_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_index: Callable[[Path], Index]
) -> None:
    corpus = make_corpus(tmp_path / "c", 2)
    rebuild(corpus, tmp_path / "ix")
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.name.startswith("tmp-"):
            raise OSError(30, "Read-only file system", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(StorageError, match=r"cannot create the index folder: Read-only file system"):
        rebuild(corpus, tmp_path / "ix")
    monkeypatch.undo()
    assert open_index(tmp_path / "ix").search("marker00001").total == 1  # the old index answers


@pytest.mark.slow
def test_two_rebuilds_at_once_in_two_processes(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    corpus = make_corpus(tmp_path / "c", 150)
    cmd = [sys.executable, "-c", KILL_SCRIPT, str(corpus), str(tmp_path / "ix")]
    first = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "ix" / "LOCK"
    for _ in range(300):  # until the first holds the writer lock
        if lock.exists() and lock.read_text().startswith(f"pid {first.pid} "):
            break
        time.sleep(0.05)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    _out, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode != 0
    assert "IndexBusy: another rebuild is writing the index" in second.stderr
    assert f"(pid {first.pid} since" in second.stderr
    ix = open_index(tmp_path / "ix")
    assert ix.status().articles == 150 and ix.search("marker00149").total == 1


@pytest.mark.slow
def test_parallel_parsing_and_writing_give_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_index: Callable[[Path], Index]
) -> None:
    """Large corpora are parsed in worker processes and analysed by Whoosh's
    multiprocess writer; lowering the thresholds shows both paths agree with the
    serial ones."""
    from corpus import load_corpus
    from corpus import loader as loader_mod

    corpus = make_corpus(tmp_path / "c", 40)
    serial = load_corpus(corpus)
    rebuild(corpus, tmp_path / "serial")
    monkeypatch.setattr(loader_mod, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_PARAGRAPHS", 10)
    parallel = load_corpus(corpus)
    assert parallel.articles == serial.articles and parallel.skipped == serial.skipped
    rebuild(corpus, tmp_path / "parallel")
    a, b = open_index(tmp_path / "serial"), open_index(tmp_path / "parallel")
    assert len(list(store.current_generation(tmp_path / "parallel").glob("*.trm"))) >= 2  # one segment per sub-writer
    for q in ("marker00007", "Shenzhen", "创新", "lang:zh 科技"):
        assert {(h.article, h.paragraph) for h in a.search(q, limit=500).hits} == {
            (h.article, h.paragraph) for h in b.search(q, limit=500).hits
        }


def test_the_memory_budget_sets_whoosh_s_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    """``memory_mb`` (``--memory``) is what all of a build's processes may
    hold: the index writers get what is left beside this process, as many
    spawned sub-writers as fit with a useful buffer each, else one writer
    here with the rest; for the build it is given to only."""
    from whoosh.filedb.filestore import RamStorage

    from index import budget, build
    from index.schema import build_schema
    from index.writers import SpawningWriter

    monkeypatch.setattr(budget, "cores", lambda: 4)
    monkeypatch.setattr(budget, "own_mb", lambda: 700.0)
    ix = RamStorage().create_index(build_schema({"zh"}))
    paragraphs = build.PARALLEL_MIN_PARAGRAPHS  # 4,000: each writer holds 0.5 KB a paragraph whatever its buffer
    with budget.using(4096):  # 4096 - 700 - 250 = 3146 left: 4 writers of (3146/4 - 40 - 0.5) / 1.3 = 573 MB
        writer = build._writer(ix, paragraphs, update=False)
        assert isinstance(writer, SpawningWriter) and writer.procs == 4 and writer.subargs["limitmb"] == 573
        writer.cancel()
        one = build._writer(ix, paragraphs, update=True)  # an update writes here
        assert not isinstance(one, SpawningWriter) and one.pool.limit == 1024 * 2**20
        one.cancel()
    with budget.using(1200):  # 250 left: 4 writers of 16 MB and 3 of 33 are too little, 2 of 64 are not
        writer = build._writer(ix, paragraphs, update=False)
        assert writer.procs == 2 and writer.subargs["limitmb"] == 64
        writer.cancel()
    with budget.using(1100):  # 150 left: 2 writers of (75 - 40 - 1) / 1.3 = 26 MB is too little; one of 113
        writer = build._writer(ix, paragraphs, update=False)
        assert not isinstance(writer, SpawningWriter) and writer.pool.limit == 113 * 2**20
        writer.cancel()
    writer = build._writer(ix, paragraphs, update=False)  # the default, 2048: 1098 left
    assert writer.procs == 4 and writer.subargs["limitmb"] == 180
    writer.cancel()
    with budget.using(4096):  # a million paragraphs hold 488 MB of it: 4 writers of 480 MB
        writer = build._writer(ix, 1_000_000, update=False)
        assert writer.procs == 4 and writer.subargs["limitmb"] == 480
    writer.cancel()
    with pytest.raises(ValueError, match="at least 512 MB, not 300"):
        with budget.using(300):
            pass


def test_a_writer_holds_one_segment_of_a_large_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """300,000 articles are 3 million paragraphs. Had each writer held its
    whole share (732 MB each), no two would fit beside a building process
    of 700 MB, and the one left in it would get the least buffer. A writer
    holds one segment of at most 600,000 paragraphs (293 MB), written in
    rounds: two writers of (1098 / 2 - 40 - 293) / 1.3 = 166 MB, 3 rounds."""
    from index import budget

    monkeypatch.setattr(budget, "cores", lambda: 2)
    monkeypatch.setattr(budget, "own_mb", lambda: 700.0)
    assert budget.Budget(2048).writers(3_000_000) == (2, 166)
    assert budget.rounds(3_000_000, 2) == 3
    assert budget.rounds(1_000_000, 2) == 1  # 100,000 articles: one round, as before
    assert budget.rounds(1_200_001, 2) == 2 and budget.rounds(1_200_001, 1) == 3 and budget.rounds(0, 2) == 1


def test_the_memory_budget_sets_the_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse and embedding workers: as many as fit beside this process, up
    to one per core, and none (the work is done here) when one would."""
    from index import budget

    monkeypatch.setattr(budget, "cores", lambda: 4)
    monkeypatch.setattr(budget, "own_mb", lambda: 300.0)
    assert budget.Budget(4096).workers(budget.PARSE_WORKER_MB) == 4
    assert budget.Budget(2048).workers(budget.PARSE_WORKER_MB) == 2  # 1498 MB left: two of 560
    assert budget.Budget(1024).workers(budget.PARSE_WORKER_MB) == 0  # 474 MB: not even one
    assert budget.Budget(1200).workers(budget.PARSE_WORKER_MB) == 0  # 650 MB: one, which is no faster
    assert budget.Budget(1200).workers(budget.EMBED_WORKER_MB) == 2
    # This process grows as it keeps each parsed file's place, by 150 MB and 1 KB a file.
    assert budget.Budget(2048).reading("parse", 100_000) == 2  # 1500 MB left as it may grow by 248
    assert budget.Budget(1600).reading("parse", 400_000) == 0  # it may grow by 541 MB: 759 left
    assert budget.Budget(1600).reading("embed", 400_000) == 4  # the encoder only: 1050 MB left
    monkeypatch.setattr(budget, "own_mb", lambda: 1900.0)  # this process has grown past the budget
    assert budget.Budget(2048).workers(budget.EMBED_WORKER_MB) == 0
    assert budget.Budget(2048).writers(4000) == (1, budget.MIN_WRITER_MB)


@pytest.mark.slow
def test_a_failed_parallel_rebuild_leaves_no_writer_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           open_index: Callable[[Path], Index]) -> None:
    """A rebuild that fails while Whoosh's sub-writers run stops them (they
    would wait for work forever, and the interpreter for them at exit), and
    the previous index answers."""
    import multiprocessing

    corpus = make_corpus(tmp_path / "c", 40)
    rebuild(corpus, tmp_path / "ix")
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_PARAGRAPHS", 10)
    real, seen = build_mod._docs, []

    def docs(article: object) -> object:
        seen.append(article)
        if len(seen) == 30:  # the sub-writers have their first jobs by now
            raise RuntimeError("the disk caught fire")
        return real(article)  # type: ignore[arg-type]

    monkeypatch.setattr(build_mod, "_docs", docs)
    with pytest.raises(RuntimeError, match="the disk caught fire"):
        rebuild(corpus, tmp_path / "ix")
    assert len(seen) == 30
    assert not [p for p in multiprocessing.active_children() if type(p).__name__ == "_SpawnedSubWriter"]
    assert open_index(tmp_path / "ix").search("marker00007").total == 1


@pytest.mark.slow
def test_a_rebuild_from_a_thread_writes_in_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    open_index: Callable[[Path], Index]) -> None:
    """The reader rebuilds from a worker thread. Whoosh's sub-writers are
    spawned, not forked (a fork beside running threads can copy a held
    lock), so that rebuild writes in parallel too, and finds what a
    rebuild in the main thread finds."""
    import threading

    corpus = make_corpus(tmp_path / "c", 40)
    monkeypatch.setattr(build_mod, "PARALLEL_MIN_PARAGRAPHS", 10)
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(rebuild(corpus, tmp_path / "ix")))
    thread.start()
    thread.join(timeout=300)
    assert done and len(list(store.current_generation(tmp_path / "ix").glob("*.trm"))) >= 2
    assert open_index(tmp_path / "ix").search("marker00007").total == 1


def test_the_writers_posting_runs_are_written_and_read_in_blocks(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its buffer a writer sorts its postings to runs on disk and merges
    them back (Whoosh's external sort): written and read a block at a time,
    they come back as Whoosh's own pool gives them, all of them, in order,
    and the runs' files are gone after."""
    import random

    from whoosh.filedb.filestore import FileStorage, RamStorage
    from whoosh.writing import PostingPool

    from index import budget, build
    from index.schema import build_schema
    from index.writers import BatchedPostingPool

    rng = random.Random(7)
    postings = [("body_zh", f"w{rng.randrange(900)}".encode(), doc, 1.0, bytes([doc % 7]) if doc % 3 else None)
                for doc in range(5000) for _ in range(2)]
    rng.shuffle(postings)
    got = {}
    for cls in (PostingPool, BatchedPostingPool):
        folder = tmp_path / cls.__name__
        folder.mkdir()
        pool = cls(FileStorage(str(folder)), None)
        pool.limit = 40_000  # a few hundred postings a run
        for p in postings:
            pool.add(p)
        assert len(pool.runs) > 40
        got[cls] = list(pool.items())
        assert not any(folder.iterdir())
    assert got[BatchedPostingPool] == got[PostingPool] == sorted(postings)

    monkeypatch.setattr(budget, "own_mb", lambda: 700.0)
    ix = RamStorage().create_index(build_schema({"zh"}))
    with budget.using(4096):  # an update's one writer, here: the buffer Whoosh's own pool would have had
        writer = build._writer(ix, 10, update=True)
    try:
        assert type(writer.pool) is BatchedPostingPool and writer.pool.limit == 1024 * 2**20
    finally:
        writer.cancel()
