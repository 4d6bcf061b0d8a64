"""The streaming rebuild (articles wait in a spool on disk) builds the same
index as the articles held in memory: the same Whoosh documents and terms,
the same side store row for row, the same answers."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as windex

from bench.generate import generate
from corpus import BUNDLED_DIR, load_corpus, meaning
from corpus.spool import LEADS_ROWS, Spool, SpooledLeads, SpoolError
from corpus.versions import Leads
from index import Index, budget, rebuild, store, update
from index import meaning as meaning_index
from index.build import _publish_new
from tests.corpus.generated import CASTS, write_corpus


def _held_in_memory(corpus: Path, index_dir: Path) -> None:
    with store.writer_lock(index_dir):
        _publish_new(corpus, index_dir, None, time.monotonic(), streamed=False)


def _whoosh(gen: Path) -> tuple[list[Any], dict[str, list[tuple[bytes, int]]]]:
    ix = windex.open_dir(str(gen))
    with ix.searcher() as s:
        docs = sorted((sorted(d.items()) for d in s.all_stored_fields()), key=repr)
        terms: dict[str, list[tuple[bytes, int]]] = {}
        for field, text in s.reader().all_terms():
            terms.setdefault(field, []).append((text, s.doc_frequency(field, text)))
    ix.close()
    return docs, terms


def _side(gen: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(gen / store.SIDE_DB)
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    rows = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    conn.close()
    return rows


def _same_index(a: Path, b: Path) -> None:
    ga, gb = store.current_generation(a), store.current_generation(b)
    assert _whoosh(ga) == _whoosh(gb)
    side_a, side_b = _side(ga), _side(gb)
    assert set(side_a) == set(side_b)
    for table in side_a:
        assert side_a[table] == side_b[table], table
    meta_a, meta_b = (store.read_json(g / store.META) for g in (ga, gb))
    for volatile in ("built", "seconds"):
        meta_a.pop(volatile), meta_b.pop(volatile)
    assert meta_a == meta_b
    assert not list(ga.glob("spool-*")), "the spool is removed before the generation is published"


def _answers(index_dir: Path) -> list[Any]:
    """Every hit of a few queries. Sorted: Whoosh's parallel writer deals
    documents to its sub-writers as they come free, so equal scores may come
    in another order from one build to the next, spooled or not."""
    queries = ("深圳", "Shenzhen", "speaker:hu-gang", '"科技创新"', "lang:ar التعاون")
    with Index(index_dir) as ix:
        found = [ix.search(q, limit=100_000) for q in queries]
    return [(r.total, sorted(r.hits, key=lambda h: (-h.score, h.article, h.paragraph))) for r in found]


def test_bundled_corpus_streamed_equals_held_in_memory(tmp_path: Path) -> None:
    rebuild(BUNDLED_DIR, tmp_path / "streamed")
    _held_in_memory(BUNDLED_DIR, tmp_path / "memory")
    _same_index(tmp_path / "streamed", tmp_path / "memory")
    assert _answers(tmp_path / "streamed") == _answers(tmp_path / "memory")


@pytest.mark.slow
def test_generated_corpus_streamed_equals_held_in_memory(tmp_path: Path) -> None:
    # Past the spool's write batch, the parsing pool and Whoosh's parallel
    # writer; undeclared versions (detected and aligned) and speakers the
    # registry does not know (identities across languages).
    root = generate(tmp_path / "corpus", 640, seed=11).root
    shutil.copytree(BUNDLED_DIR, root / "bundled", ignore=shutil.ignore_patterns("briefing.yaml"))
    write_corpus(root / "talks", next(iter(CASTS.values())))
    past = time.time() - 60  # files written in the two seconds before a build are hashed next time, not trusted
    for f in root.rglob("*"):
        os.utime(f, (past, past))
    rebuild(root, tmp_path / "streamed")
    _held_in_memory(root, tmp_path / "memory")
    _same_index(tmp_path / "streamed", tmp_path / "memory")
    assert _answers(tmp_path / "streamed") == _answers(tmp_path / "memory")
    meta = store.read_json(store.current_generation(tmp_path / "streamed") / store.META)
    assert meta["articles"] == 640 + 5 + len(list((root / "talks").glob("*.txt")))


def test_spool_reads_back_what_it_was_given(tmp_path: Path) -> None:
    corpus = load_corpus(BUNDLED_DIR)
    spool = Spool(tmp_path)
    for a in reversed(corpus.articles):
        spool.add(a)
    assert list(spool) == sorted(a.id for a in corpus.articles)
    assert list(spool.ordered()) == sorted(corpus.articles, key=lambda a: a.id)
    assert spool[corpus.articles[0].id] == corpus.articles[0] and "nope" not in spool
    assert spool.paragraphs == sum(len(a.paragraphs) for a in corpus.articles)
    with pytest.raises(ValueError, match="shelved twice"):
        spool.add(corpus.articles[0])
    path = spool.path
    spool.close()
    assert not path.exists()


@pytest.mark.parametrize("size", [1, 7, LEADS_ROWS, LEADS_ROWS + 3, 3 * LEADS_ROWS])
def test_opening_vectors_kept_in_the_spool_read_back_as_they_were_given(tmp_path: Path, size: int) -> None:
    rng = np.random.default_rng(size)
    n = 2 * LEADS_ROWS + 5  # three stored rows, the last short
    ids = [f"a{i:05d}" for i in rng.permutation(n)]  # not in id order: kept in the order given
    leads = Leads()
    leads.put(ids, rng.standard_normal((n, meaning.DIM)).astype(np.float32))
    spool = Spool(tmp_path)
    kept = spool.keep_leads(leads)
    assert list(kept) == ids and len(kept) == n and ids[-1] in kept
    for (a_ids, a_vecs), (b_ids, b_vecs) in zip(leads.blocks(size), kept.blocks(size), strict=True):
        assert a_ids == b_ids and len(a_ids) == len(a_vecs) <= size and a_vecs.dtype == b_vecs.dtype == np.float16
        assert np.array_equal(a_vecs, b_vecs)
    assert sum(len(i) for i, _v in kept.blocks(size)) == n
    for aid in (ids[0], ids[LEADS_ROWS], ids[-1]):
        assert np.array_equal(kept[aid], leads[aid]) and kept[aid].dtype == np.float32
    with pytest.raises(KeyError):
        kept["nope"]
    spool.close()


def test_opening_vectors_the_spool_cannot_hold_are_named_as_its_disk(tmp_path: Path) -> None:
    leads = Leads()
    leads.put([f"a{i}" for i in range(3 * LEADS_ROWS)], np.ones((3 * LEADS_ROWS, meaning.DIM), dtype=np.float32))
    spool = Spool(tmp_path)
    spool._conn.execute("PRAGMA max_page_count = 64")  # the disk fills after 256 KB
    with pytest.raises(SpoolError, match=r"spool-.*\.sqlite: database or disk is full") as failed:
        spool.keep_leads(leads)
    assert failed.value.errno == errno.ENOSPC
    spool.close()


def test_a_build_stores_the_spooled_opening_vectors_as_it_found_them(tmp_path: Path) -> None:
    corpus = load_corpus(BUNDLED_DIR, spool=Spool(tmp_path))
    assert isinstance(corpus.leads, SpooledLeads) and len(corpus.leads) >= 2
    held = load_corpus(BUNDLED_DIR)
    assert list(corpus.leads) == list(held.leads)
    assert all(np.array_equal(corpus.leads[aid], held.leads[aid]) for aid in held.leads)


def test_a_spool_that_cannot_be_written_leaves_the_previous_index(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from index import StorageError

    rebuild(BUNDLED_DIR, tmp_path / "ix")
    before = store.current_generation(tmp_path / "ix")
    made = Spool.__init__

    def small(self: Spool, folder: Path) -> None:  # the disk fills after a few pages
        made(self, folder)
        self._conn.execute("PRAGMA max_page_count = 8")

    monkeypatch.setattr(Spool, "__init__", small)
    with pytest.raises(StorageError, match=r"ix: the disk is full; the previous index is untouched"):
        rebuild(BUNDLED_DIR, tmp_path / "ix")
    assert store.current_generation(tmp_path / "ix") == before
    assert sorted(p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith("gen-")) == [before.name]
    with Index(tmp_path / "ix") as ix:
        assert ix.search("Zhongshan").total == 6


def test_update_after_the_manifest_gives_an_id_to_another_file(tmp_path: Path) -> None:
    """The article parsed before keeps its text but not its id: the file the
    manifest now names with it takes it, as a rebuild would give it."""
    from tests.conftest import write

    corpus = tmp_path / "c"
    write(corpus / "x.txt", "Erster Bericht\n\nShenzhen wächst.\n")
    write(corpus / "y.txt", "Zweiter Bericht\n\nZhongshan wächst.\n")
    rebuild(corpus, tmp_path / "ix")
    write(corpus / "briefing.yaml", "articles:\n  - {id: x, file: y.txt, lang: de}\n")
    update(corpus, tmp_path / "ix")
    rebuild(corpus, tmp_path / "fresh")
    with Index(tmp_path / "ix") as ix, Index(tmp_path / "fresh") as fresh:
        assert [(a.id, a.path) for a in ix.articles()] == [(a.id, a.path) for a in fresh.articles()] \
            == [("x", "y.txt"), ("x.txt", "x.txt")]


def _segments(index_dir: Path) -> list[tuple[str, int]]:
    """Each segment of the live generation: its id and how many paragraphs it holds."""
    ix = windex.open_dir(str(store.current_generation(index_dir)))
    with ix.reader() as reader:
        found = [(sub.segment().segment_id(), sub.doc_count_all()) for sub, _offset in reader.leaf_readers()]
    ix.close()
    return found


def _rounds_equal_one(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, most: int,
                      procs: int) -> list[tuple[str, int]]:
    """A rebuild whose writers take at most ``most`` paragraphs a segment
    holds what one written at once holds; its segments, returned, each have vectors."""
    rebuild(corpus, tmp_path / "once")
    monkeypatch.setattr(budget, "SEGMENT_PARAGRAPHS", most)
    rebuild(corpus, tmp_path / "rounds")
    _same_index(tmp_path / "rounds", tmp_path / "once")
    assert _answers(tmp_path / "rounds") == _answers(tmp_path / "once")
    segments = _segments(tmp_path / "rounds")
    paragraphs = sum(n for _id, n in segments)
    # A round's writers share its paragraphs as they come free: one may take them all when they are few.
    assert 2 < len(segments) <= procs * budget.rounds(paragraphs, procs)
    assert len(segments) > len(_segments(tmp_path / "once"))
    gen = store.current_generation(tmp_path / "rounds")
    for segment_id, _n in segments:
        assert all(p.is_file() for p in meaning_index.paths_of(gen, segment_id))
    return segments


def test_a_rebuild_in_rounds_holds_what_one_at_once_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bundled five: fewer paragraphs than a parallel build needs, so one writer here, a segment a round.
    segments = _rounds_equal_one(BUNDLED_DIR, tmp_path, monkeypatch, 40, procs=1)
    [(_id, paragraphs)] = _segments(tmp_path / "once")
    lap = -(-paragraphs // budget.rounds(paragraphs, 1))  # rounds of about equal size, each ends with an article
    assert all(n >= lap for _id, n in segments[:-1]) and sum(n for _id, n in segments) == paragraphs


@pytest.mark.slow
def test_a_parallel_rebuild_in_rounds_holds_what_one_at_once_holds(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # 640 generated articles, about 6,400 paragraphs: two spawned writers, four rounds.
    root = generate(tmp_path / "corpus", 640, seed=11).root
    past = time.time() - 60  # else the two builds store different times for files written just before them
    for f in root.rglob("*"):
        os.utime(f, (past, past))
    monkeypatch.setattr(budget, "cores", lambda: 2)
    segments = _rounds_equal_one(root, tmp_path, monkeypatch, 1000, procs=2)
    assert len(segments) >= budget.rounds(sum(n for _id, n in segments), 2) == 4  # small articles fill every round
