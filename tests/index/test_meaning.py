"""Search by meaning: ``~`` queries and "like this", over paragraph vectors
kept beside Whoosh's segments (index/meaning.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from index import Index, QueryError, integrity, rebuild, store, update
from index.meaning import SUFFIX
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


def test_an_index_built_without_the_encoder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_ENCODER", "off")
    rebuild(BUNDLED_DIR, tmp_path / "ix")
    assert not list(store.current_generation(tmp_path / "ix").glob(f"*{SUFFIX}*"))
    with Index(tmp_path / "ix") as ix:
        with pytest.raises(QueryError, match="built without paragraph vectors.*briefing index rebuild"):
            ix.search("~ports")
        assert ix.search("深圳").hits  # word search is as it was


def test_update_embeds_only_the_changed_files_and_retires_old_vectors(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, corpus)
    ix_dir = tmp_path / "ix"
    rebuild(corpus, ix_dir)
    first = {p.name for p in store.current_generation(ix_dir).glob(f"*{SUFFIX}*")}
    write(corpus / "harbour.txt", "Port cooperation across the bay is growing fast, officials said.\n")
    update(corpus, ix_dir)
    gen = store.current_generation(ix_dir)
    files = {p.name for p in gen.glob(f"*{SUFFIX}*")}
    assert len(files) == 2 and first < files  # the old segment's vectors kept (a hard link), one new file
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
    newest = max(gen.glob(f"*{SUFFIX}*"), key=lambda p: p.stat().st_mtime_ns)
    data = bytearray(newest.read_bytes())
    data[len(data) // 2] ^= 0xFF
    newest.unlink()  # not the hard link the previous generation shares
    newest.write_bytes(bytes(data))
    assert any(SUFFIX in d.file for d in integrity.check(gen))


def test_a_large_segment_is_searched_through_its_graph_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             index: Index) -> None:
    """Above EXACT_MAX paragraphs a segment keeps a usearch index (HNSW)
    instead of a plain matrix; its answers are the matrix's."""
    from index import meaning

    monkeypatch.setattr(meaning, "EXACT_MAX", 10)
    rebuild(BUNDLED_DIR, tmp_path / "ix")
    gen = store.current_generation(tmp_path / "ix")
    assert [p.suffix for p in gen.glob(f"*{SUFFIX}*")] == [SUFFIX]  # the graph's file, not a matrix
    with Index(tmp_path / "ix") as graph:
        for q in ("~Guangzhou and Shenzhen cooperating on innovation", "~cooperation lang:ru"):
            a, b = graph.search(q, limit=5), index.search(q, limit=8)
            # the same paragraphs (near ties may swap: the graph quantises the query to int8 too)
            assert {(h.article, h.paragraph) for h in a.hits[:3]} <= {(h.article, h.paragraph) for h in b.hits}
            assert a.hits[0].score == pytest.approx(b.hits[0].score, abs=0.02)
        assert graph.like("002", 36, limit=3).hits[0].article == index.like("002", 36, limit=3).hits[0].article


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


def test_a_segment_whose_size_is_not_known_moves_its_rows_into_a_graph(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster's segment writer does not know its segment's size in advance:
    past EXACT_MAX its int8 rows become a usearch graph, still keyed by document number."""
    import numpy as np
    from usearch.index import Index as VectorIndex

    from index import meaning as meaning_index

    monkeypatch.setattr(meaning_index, "EXACT_MAX", 50)
    rng = np.random.default_rng(3)
    vecs = rng.standard_normal((80, meaning_index.DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    small = meaning_index.SegmentVectors()
    small.add(list(range(0, 40, 2)), vecs[:20])
    small.save(tmp_path, "S")
    assert (tmp_path / "S.mvec.npy").exists() and not (tmp_path / "S.mvec").exists()
    assert np.load(tmp_path / "S.mkey.npy").tolist() == list(range(0, 40, 2))
    grown = meaning_index.SegmentVectors()
    grown.add(list(range(40)), vecs[:40])
    grown.add(list(range(40, 80)), vecs[40:])  # passes 50: the first 40 rows join the graph
    grown.save(tmp_path, "G")
    assert grown.count == 80 and (tmp_path / "G.mvec").exists() and not (tmp_path / "G.mvec.npy").exists()
    graph = VectorIndex.restore(str(tmp_path / "G.mvec"), view=True)
    assert len(graph) == 80
    for key in (3, 65):  # a row added before the graph existed, and one after
        assert int(graph.search(vecs[key], 1).keys[0]) == key
