"""The parts of index/ on their own: document bitsets, the planner's choice
of strategy, and a generation that lends each caller its own searcher and
closes when its last user is done."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import And, Or, Phrase, Term

from index import Index, rebuild
from index.bitsets import DocBits, bitmap
from index.generation import Generation
from index.planner import Planner


def test_docbits_are_sets_of_document_numbers() -> None:
    a, b = DocBits([1, 5, 9, 700], 1000), DocBits(np.array([5, 6, 700], np.int64), 1000)
    assert len(a) == 4 and 5 in a and 6 not in a and 1000 not in a and -1 not in a and "5" not in a
    assert list(a & b) == [5, 700] and list(a | b) == [1, 5, 6, 9, 700]
    assert a.flags(1000).sum() == 4 and bool(a.flags(1000)[700]) and not a.flags(1000)[699]
    assert bitmap(np.array([0, 8, 9], np.int64), 16) == bytearray([0b1, 0b11, 0])


@pytest.fixture(scope="module")
def gen(bundled_index: Path):  # type: ignore[no-untyped-def]
    g = Generation(bundled_index)
    yield g
    g.close()


def _planner(gen: Generation, searcher: object, strategy: str = "auto") -> Planner:
    return gen.planner(searcher, strategy)  # type: ignore[arg-type]


def test_the_planner_chooses_by_what_keeps_whoosh_from_skipping_blocks(gen: Generation) -> None:
    word, other = Term("text_zh", "深圳"), Term("text_zh", "广州")
    phrase = Phrase("text_zh", ["科技", "技创", "创新"])
    with gen.searcher() as s:
        plan = _planner(gen, s)
        turns = gen.docs_matching(Term("kind", "turn"), s)
        assert plan.choose(word, None, None) == "plain"  # one term alone: Whoosh skips blocks
        assert plan.choose(word, turns, None) == "vector"  # a filter: the block bound cannot see it
        assert plan.choose(Or([word, other]), None, None) == "vector"
        assert plan.choose(And([word, phrase]), None, None) == "relaxed"  # positions: Whoosh checks them
        assert _planner(gen, s, "plain").choose(Or([word, other]), None, None) == "plain"
        with pytest.raises(ValueError, match="cannot evaluate"):
            _planner(gen, s, "vector").choose(phrase, None, None)
        with pytest.raises(ValueError, match="strategy 'fast'"):
            _planner(gen, s, "fast")


def test_each_caller_gets_a_searcher_of_its_own(gen: Generation) -> None:
    with gen.searcher() as a, gen.searcher() as b:
        assert a is not b
    with gen.searcher() as again:
        assert again in (a, b)  # lent again, not opened anew


def test_threads_search_one_index_at_once(bundled_index: Path) -> None:
    queries = ["深圳", "Shenzhen", "创新 AND 人才", '"粤港澳大湾区"', "Чжуншань", "lang:ar قوانغتشو"]
    with Index(bundled_index) as ix:
        expected = {q: ix.search(q, limit=50).to_dict() for q in queries}
        errors: list[BaseException] = []

        def run() -> None:
            try:
                for _ in range(5):
                    for q in queries:
                        assert ix.search(q, limit=50).to_dict() == expected[q]
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_a_swapped_out_generation_closes_after_its_last_user(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Erster Artikel\n\nShenzhen und Guangzhou.", encoding="utf-8")
    rebuild(corpus, tmp_path / "ix")
    ix = Index(tmp_path / "ix")
    try:
        first = ix._gen
        with first.in_use():
            (corpus / "b.txt").write_text("Zweiter Artikel\n\nZhongshan wächst.", encoding="utf-8")
            rebuild(corpus, tmp_path / "ix")
            assert ix.refresh() and ix._gen is not first
            assert not first.closed  # still in use here
            assert ix.search("Zhongshan").total == 1  # the new generation answers meanwhile
        assert first.closed
        assert not ix.refresh()  # nothing newer
    finally:
        ix.close()
    assert ix._gen.closed
