"""Scoring and top-N collection (index/ranking.py): the same scores as
Whoosh's BM25F with B=0, and the same top hits as scoring every match."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields, scoring
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Or, Term

from index.ranking import TfBM25, TopN, collector


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """In a folder of its own: Whoosh's RamStorage keeps its temporary
    column files in one /tmp/MAIN.tmp that parallel test workers share."""
    folder: Path = tmp_path_factory.mktemp("ranking")
    schema = fields.Schema(body=fields.TEXT(), tag=fields.KEYWORD(scorable=True))
    ix = FileStorage(str(folder)).create_index(schema)
    w = ix.writer()
    for i in range(700):  # several posting blocks, lengths 1..40, weights 1..4, many ties
        body = " ".join(["delta"] * (1 + i % 4) + ["filler"] * (i % 37) + (["gamma"] * (i % 3) if i % 5 else []))
        w.add_document(body=body, tag=" ".join(["x"] * (1 + i % 2) + (["y"] if i % 7 == 0 else [])))
    w.commit()
    return ix


def test_scores_are_bm25f_without_length_normalisation(small_index) -> None:  # type: ignore[no-untyped-def]
    ix = small_index
    q = Or([Term("body", "delta"), Term("body", "gamma"), Term("tag", "x")])
    with ix.searcher(weighting=TfBM25()) as ours, ix.searcher(weighting=scoring.BM25F(B=0.0)) as theirs:
        a = [(h.docnum, h.score) for h in ours.search(q, limit=None)]
        b = [(h.docnum, h.score) for h in theirs.search(q, limit=None)]
    assert a == b and len(a) == 700  # the same floats, in the same order


def test_top_n_equals_scoring_every_match(small_index) -> None:  # type: ignore[no-untyped-def]
    ix = small_index
    with ix.searcher(weighting=TfBM25()) as s:
        for q in (Term("body", "delta"), Or([Term("body", "delta"), Term("body", "gamma")]),
                  Or([Term("body", "gamma"), Term("tag", "y")])):
            for limit in (1, 10, 50):
                every = s.search(q, limit=None)
                c = collector(s, limit)
                assert isinstance(c, TopN)
                s.search_with_collector(q, c)
                got = [(h.docnum, h.score) for h in c.results()]
                assert got == [(h.docnum, h.score) for h in every][:limit], (q, limit)
