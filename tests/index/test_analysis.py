"""The indexing fast path of the analysis (index/analysis.py
``IndexPositions``) writes exactly the postings Whoosh's own analysis
chain would: the same terms, frequencies, weights and position bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from corpus import BUNDLED_DIR
from index.analysis import IndexPositions, analyzer

LANGS = ("zh", "ar", "de", "ru", "xx", "")


def both(text: str, lang: str) -> tuple[list[object], list[object]]:
    an = analyzer(lang)
    return (list(Positions().word_values(text, an, mode="index")),
            list(IndexPositions().word_values(text, an, mode="index")))


@pytest.mark.parametrize("lang", LANGS)
def test_same_postings_on_the_bundled_corpus(lang: str) -> None:
    paragraphs = [p for f in sorted(Path(BUNDLED_DIR).glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")]
    assert len(paragraphs) > 200
    for text in paragraphs:
        theirs, ours = both(text, lang)
        assert ours == theirs, text[:60]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("深圳中山大学龙岗 aZé1_ وشنتشنال МоскваЁё\u064b-:\n"), max_size=40),
       st.sampled_from(LANGS))
def test_same_postings_on_any_mix_of_scripts(text: str, lang: str) -> None:
    theirs, ours = both(text, lang)
    assert ours == theirs
