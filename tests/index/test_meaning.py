"""Search by meaning: ``~`` queries and "like this", over paragraph vectors
kept beside Whoosh's segments (index/meaning.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from corpus import BUNDLED_DIR
from index import Index, QueryError, integrity, rebuild, store, update
from index.meaning import MATRIX_SUFFIX, SUFFIXES
from tests.conftest import write


def test_an_english_meaning_query_finds_the_chinese_and_arabic_interview(index: Index) -> None:
    result = index.search("~Guangzhou and Shenzhen cooperating on science and technology innovation", limit=10)
    assert result.meaning and len(result.hits) == 10
    assert {h.article for h in result.hits} <= {"000", "001", "002", "003", "004"}
    assert {h.lang for h in result.hits} >= {"zh", "ar"}  # one space for every language
    # most similar first, each hit's similarity is its score, and it goes into the JSON
    sims = [h.similarity for h in result.hits]
    assert sims == sorted(sims, reverse=True) and all(s is not None and 0 < s <= 1 for s in sims)
    assert [h.score for h in result.hits] == [pytest.approx(s, abs=1e-4) for s in sims]
    assert result.to_dict()["hits"][0]["similarity"] == sims[0]
    # boilerplate is left out, as in word search
    assert all(h.kind != "boilerplate" for h in result.hits)


def test_filters_and_lang_apply_to_a_meaning_query(index: Index) -> None:
    ru = index.search("~cooperation in the bay area lang:ru", limit=5)
    assert [h.lang for h in ru.hits] == ["ru"] * 5
    assert {h.article for h in index.search("~cooperation", lang="de", limit=3).hits} == {"001"}
    assert {h.article for h in index.search("~cooperation article:003", limit=4).hits} == {"003"}
    # a filter's few documents are compared one by one: the same order as filtering the whole ranking
    every = index.search("~cooperation in the bay area", limit=200)
    assert [(h.article, h.paragraph) for h in ru.hits] == [(h.article, h.paragraph) for h in every.hits
                                                          if h.lang == "ru"][:5]
    assert [h.similarity for h in ru.hits] == pytest.approx([h.similarity for h in every.hits
                                                             if h.lang == "ru"][:5], abs=0.02)
    unfiltered = index.search("~cooperation in the bay area", limit=30)
    negated = index.search("~cooperation in the bay area -lang:zh", limit=30)
    assert "zh" in {h.lang for h in unfiltered.hits} and "zh" not in {h.lang for h in negated.hits}


def test_meaning_query_errors_and_notes(index: Index) -> None:
    with pytest.raises(QueryError, match="needs words to search by meaning"):
        index.search("~ lang:zh")
    with pytest.raises(QueryError, match="ranked by similarity"):
        index.search("~ports", sort="date")
    # a query the corpus holds nothing like says so
    weak = index.search("~recipe for chocolate cake with strawberries", limit=3)
    assert any("the best match is only" in n for n in weak.notes)


def test_like_this_finds_other_articles_and_leaves_out_the_article_s_versions(index: Index) -> None:
    # 002's heading on industrial cooperation; 000 is its Arabic version: neither is listed
    result = index.like("002", 36, limit=10)
    assert result.meaning and len(result.hits) == 10
    assert {h.article for h in result.hits} <= {"001", "003", "004"}
    assert index.like("003", 24, limit=3).hits[0].article == "002"  # 002 ¶36 and ¶15: cooperation headings
    with pytest.raises(QueryError, match="no article 'nope'"):
        index.like("nope", 1)
    with pytest.raises(QueryError, match="has paragraphs 1 to"):
        index.like("002", 9999)


@pytest.mark.parametrize("switch", ["BRIEFING_ENCODER", "BRIEFING_VECTORS"])
def test_an_index_built_without_vectors_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, switch: str) -> None:
    """``BRIEFING_VECTORS=off`` leaves out the paragraph vectors alone: the
    encoder still helps version detection; ``BRIEFING_ENCODER=off`` turns both off."""
    from corpus import meaning as encoder_switch

    monkeypatch.setenv(switch, "off")
    assert encoder_switch.enabled() == (switch == "BRIEFING_VECTORS")
    rebuild(BUNDLED_DIR, tmp_path / "ix")
    assert not [p for p in store.current_generation(tmp_path / "ix").iterdir() if p.name.endswith(SUFFIXES)]
    with Index(tmp_path / "ix") as ix:
        with pytest.raises(QueryError, match="built without paragraph vectors.*briefing index rebuild"):
            ix.search("~ports")
        assert ix.search("深圳").hits  # word search is as it was


def test_an_update_keeps_an_index_without_vectors_without_them(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Built with BRIEFING_VECTORS=off, an index stays without vectors
    through an update made with them on: the update would otherwise embed
    the whole corpus, a rebuild's work. The next rebuild adds them."""
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, corpus)
    ix_dir = tmp_path / "ix"
    monkeypatch.setenv("BRIEFING_VECTORS", "off")
    rebuild(corpus, ix_dir)
    monkeypatch.delenv("BRIEFING_VECTORS")
    write(corpus / "harbour.txt", "Port cooperation across the bay is growing fast, officials said.\n")
    update(corpus, ix_dir)
    assert not list(store.current_generation(ix_dir).glob(f"*{MATRIX_SUFFIX}"))
    with Index(ix_dir) as ix:
        with pytest.raises(QueryError, match="built without paragraph vectors"):
            ix.search("~harbours working together")
        assert "harbour" in {h.article for h in ix.search("officials").hits}  # the update itself took
    rebuild(corpus, ix_dir)
    with Index(ix_dir) as ix:
        assert ix.search("~harbours working together in the bay", limit=1).hits[0].article == "harbour"


def test_update_embeds_only_the_changed_files_and_retires_old_vectors(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, corpus)
    ix_dir = tmp_path / "ix"
    rebuild(corpus, ix_dir)
    first = {p.name for p in store.current_generation(ix_dir).glob(f"*{MATRIX_SUFFIX}")}
    write(corpus / "harbour.txt", "Port cooperation across the bay is growing fast, officials said.\n")
    update(corpus, ix_dir)
    gen = store.current_generation(ix_dir)
    files = {p.name for p in gen.glob(f"*{MATRIX_SUFFIX}")}
    assert len(files) == 2 and first < files  # the old segment's vectors kept (a hard link), one new set
    assert (gen / next(iter(first))).stat().st_nlink >= 2
    with Index(ix_dir) as ix:
        assert ix.search("~harbours working together in the bay", limit=1).hits[0].article == "harbour"
    write(corpus / "harbour.txt", "The orchestra played a symphony in the concert hall.\n")
    update(corpus, ix_dir)
    with Index(ix_dir) as ix:
        top = ix.search("~harbours working together in the bay", limit=3)
        assert "harbour" not in {h.article for h in top.hits}  # the old paragraph's vector is retired
        assert ix.search("~music in a concert hall", limit=1).hits[0].article == "harbour"
    # the vectors are under the generation's checksums
    gen = store.current_generation(ix_dir)
    newest = max(gen.glob(f"*{MATRIX_SUFFIX}"), key=lambda p: p.stat().st_mtime_ns)
    data = bytearray(newest.read_bytes())
    data[len(data) // 2] ^= 0xFF
    newest.unlink()  # not the hard link the previous generation shares
    newest.write_bytes(bytes(data))
    assert any(MATRIX_SUFFIX in d.file for d in integrity.check(gen))


def test_a_large_segment_is_searched_through_its_lists_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             index: Index) -> None:
    """Above EXACT_MAX paragraphs a segment's rows are grouped into √n lists
    and a query scans the nearest lists; with the whole of a small corpus in
    reach its answers are the single list's."""
    from index import meaning

    monkeypatch.setattr(meaning, "EXACT_MAX", 10)
    rebuild(BUNDLED_DIR, tmp_path / "ix")
    gen = store.current_generation(tmp_path / "ix")
    lists = next(gen.glob("*.mlist.npz"))
    with np.load(lists) as z:
        offsets = z["offsets"]
    keys = np.load(next(gen.glob("*.mkey.npy")))
    assert len(offsets) - 1 == int(np.sqrt(len(keys))) and offsets[-1] == len(keys)
    for lo, hi in zip(offsets[:-1], offsets[1:], strict=True):  # each list by document number
        assert (np.diff(keys[lo:hi].astype(np.int64)) > 0).all()
    with Index(tmp_path / "ix") as ivf:
        for q in ("~Guangzhou and Shenzhen cooperating on innovation", "~cooperation lang:ru"):
            a, b = ivf.search(q, limit=5), index.search(q, limit=5)
            assert [(h.article, h.paragraph) for h in a.hits] == [(h.article, h.paragraph) for h in b.hits]
            assert [h.score for h in a.hits] == [h.score for h in b.hits]
        assert [h.paragraph for h in ivf.like("002", 36, limit=3).hits] == [
            h.paragraph for h in index.like("002", 36, limit=3).hits]


@pytest.mark.parametrize("assign_rows", [8192, 333])
def test_a_query_scans_the_nearest_lists_and_finds_what_an_exact_scan_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, assign_rows: int) -> None:
    """Clustered vectors, written the way a rebuild writes a segment's: a
    query reads only about PROBE_ROWS rows, and its nearest rows are those
    of an exact scan; the same rows give the same lists. The k-means works
    through its sample in blocks of ASSIGN_ROWS: one block, or many."""
    from index import meaning

    monkeypatch.setattr(meaning, "ASSIGN_ROWS", assign_rows)
    monkeypatch.setattr(meaning, "EXACT_MAX", 100)
    monkeypatch.setattr(meaning, "PROBE_ROWS", 400)
    rng = np.random.default_rng(7)
    topics = rng.standard_normal((40, meaning.DIM)).astype(np.float32)
    vecs = topics[rng.integers(0, 40, 4000)] + 0.35 * rng.standard_normal((4000, meaning.DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    keys = rng.permutation(6000)[:4000]  # document numbers with gaps (boilerplate has no vector)
    for name in ("A", "B"):
        seg = meaning.SegmentVectors(tmp_path)
        seg.add(keys[:1500].tolist(), vecs[:1500])
        seg.add(keys[1500:].tolist(), vecs[1500:])
        seg.save(tmp_path, name)
    assert all((tmp_path / f"A{x}").read_bytes() == (tmp_path / f"B{x}").read_bytes() for x in SUFFIXES)
    assert not list(tmp_path.glob(f"*{meaning.SPILL_SUFFIX}"))  # the rows waited on disk, and are gone
    segment = meaning.Segment(1000, 6000, meaning.paths_of(tmp_path, "A"))
    assert len(segment.centroids) == 63 and segment.size == 4000
    stored = np.rint(vecs * 127.0).astype(np.int8).astype(np.float32)
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    allowed = np.zeros(6000, dtype=bool)
    allowed[keys[::3]] = True  # a filter that keeps a third of the rows
    for probe in range(20):
        q = vecs[probe * 97] + 0.2 * rng.standard_normal(meaning.DIM).astype(np.float32)
        q /= np.linalg.norm(q)
        exact = np.argsort(-(stored @ q), kind="stable")[:10]
        got = segment.search(q, 10)
        assert [d for d, _s in got] == [1000 + int(keys[i]) for i in exact]
        assert [s for _d, s in got] == pytest.approx([float(stored[i] @ q) for i in exact], abs=1e-5)
        # the filter applies inside the scan: still ten hits, the exact ten among the rows it keeps
        kept = [i for i in np.argsort(-(stored @ q), kind="stable") if allowed[keys[i]]][:10]
        assert [d for d, _s in segment.search(q, 10, allowed)] == [1000 + int(keys[i]) for i in kept]
    row = 123
    assert np.allclose(segment.vector(int(keys[row])), np.rint(vecs[row] * 127.0) / 127.0)
    assert segment.vector(int(max(keys)) + 1) is None
    near = segment.similarities(vecs[5], [1000 + int(k) for k in keys[:50]] + [999_999])
    assert len(near) == 50 and near[5] == (1000 + int(keys[5]), pytest.approx(1.0, abs=5e-3))


def test_a_segment_s_waiting_rows_go_when_its_lists_cannot_be_written(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows of a segment being embedded wait in a file beside the index,
    not in memory; a save that fails, or a segment given up, leaves neither
    that file nor a half-written vector file behind."""
    from index import meaning

    vecs = np.eye(meaning.DIM, dtype=np.float32)[:3]
    seg = meaning.SegmentVectors(tmp_path)
    seg.add([0, 1, 2], vecs)
    waiting = list(tmp_path.glob(f"*{meaning.SPILL_SUFFIX}"))
    assert len(waiting) == 1

    def fails(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(meaning, "_lists_file", fails)
    with pytest.raises(OSError, match="No space left"):
        seg.save(tmp_path, "S")
    assert not list(tmp_path.glob(f"*{meaning.SPILL_SUFFIX}"))
    assert not meaning.paths_of(tmp_path, "S")[0].exists()  # the matrix, written last, says "done"
    given_up = meaning.SegmentVectors(tmp_path)
    given_up.add([0], vecs[:1])
    given_up.discard()
    assert not list(tmp_path.glob(f"*{meaning.SPILL_SUFFIX}"))


def test_the_k_means_sums_and_norms_by_blocks_are_the_whole_array_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists' sums, gathered a block of rows at a time, equal the sums of
    the reordered rows (to float32's rounding); the unit rows, normalised a
    block at a time, equal the whole array's bit for bit, and are a copy."""
    from index import meaning

    monkeypatch.setattr(meaning, "ASSIGN_ROWS", 100)
    rng = np.random.default_rng(3)
    rows = rng.standard_normal((1234, 16)).astype(np.float32)
    for lists in (rng.integers(0, 40, len(rows)), np.minimum(rng.integers(0, 40, len(rows)), 2)):
        order = np.argsort(lists, kind="stable")
        counts = np.bincount(lists)
        counts = counts[counts > 0]
        whole = np.add.reduceat(rows[order], np.cumsum(counts) - counts, axis=0)
        assert np.allclose(meaning._list_sums(rows, order, counts), whole, rtol=1e-5, atol=1e-4)
    ints = rng.integers(-127, 128, (1234, 16)).astype(np.int8)
    for r in (rows, ints):
        before = r.copy()
        f = r.astype(np.float32)
        assert np.array_equal(meaning._unit(r), f / (np.linalg.norm(f, axis=1, keepdims=True) + 1e-12))
        assert np.array_equal(r, before)  # normalised in a copy, never in place


def test_a_missing_vector_file_is_named_as_damage(tmp_path: Path) -> None:
    from index import IndexCorrupt

    rebuild(BUNDLED_DIR, tmp_path / "ix")
    keys = next(store.current_generation(tmp_path / "ix").glob("*.mkey.npy"))
    keys.unlink()
    # named when the index is opened (a listed file is missing), before any query
    with pytest.raises(IndexCorrupt, match=rf"{keys.name}: is missing.*briefing index rebuild"):
        with Index(tmp_path / "ix") as ix:
            ix.search("~ports cooperating")


def test_a_query_s_words_raise_hits_in_its_own_language(index: Index) -> None:
    """Hybrid ranking: paragraphs of the query's language that hold its
    words rise among the meaning hits; similarity alone orders the rest."""
    query = "~龙岗区的大学"
    alone = index.search(query, limit=6, hybrid=False)
    mixed = index.search(query, limit=6)
    sims = [h.similarity for h in alone.hits]
    assert sims == sorted(sims, reverse=True)
    assert [(h.article, h.paragraph) for h in alone.hits][:3] == [("003", 4), ("003", 17), ("002", 13)]
    # the rector's turn (大学 only in his title, 龙岗 nowhere) gives way to paragraphs holding both words
    assert [(h.article, h.paragraph) for h in mixed.hits][:3] == [("003", 4), ("003", 6), ("003", 11)]
    assert ("002", 13) not in {(h.article, h.paragraph) for h in mixed.hits}
    assert all("龙岗" in h.snippet and "大学" in h.snippet for h in mixed.hits)
    # every hit still shows its own similarity
    assert all(h.similarity is not None and h.score == pytest.approx(h.similarity, abs=1e-4) for h in mixed.hits)


def test_words_never_reorder_hits_in_other_languages(index: Index) -> None:
    """An English query over Chinese, Arabic, German and Russian articles:
    the names they share would raise any paragraph that mentions them over
    the best translation, so across languages similarity alone ranks."""
    query = "~Shenzhen and Hong Kong universities train talent together"
    assert [(h.article, h.paragraph) for h in index.search(query, limit=10).hits] == [
        (h.article, h.paragraph) for h in index.search(query, limit=10, hybrid=False).hits]
