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


_HAN_TEXT = st.text(alphabet="创新科技大学人工智能 ，。a1\uf900", max_size=40)
_BIGRAMS = st.sampled_from(["创新", "新科", "科技", "大学", "人工", "工智", "智能", "技创"])


@settings(max_examples=400, deadline=None)
@given(text=_HAN_TEXT, terms=st.sets(st.one_of(_BIGRAMS, st.sampled_from(list("创新科大"))), max_size=3),
       phrases=st.lists(st.sampled_from([("人工", "工智", "智能"), ("科技", "技创", "创新"), ("大学", "学人")]),
                        max_size=2))
def test_chinese_marks_found_by_their_strings_are_those_the_analysis_finds(
        text: str, terms: set[str], phrases: list[tuple[str, ...]]) -> None:
    """A Chinese query's marks, found by the strings its words cover, are
    exactly those of analysing the paragraph as the index did (a
    compatibility ideograph, U+F900, which NFKC folds, takes the analysing
    path)."""
    from index.highlight import Marks, analysed_spans

    marks = Marks({"text_zh": frozenset(terms)}, {"text_zh": tuple(dict.fromkeys(phrases))})
    fast = marks.spans(text, "text_zh")
    assert sorted(fast) == sorted(analysed_spans(text, "text_zh", frozenset(terms), tuple(dict.fromkeys(phrases))))
