"""Phrases, conjunctions, negations and filters answered without scoring every
match (index/strategy.py, filter hoisting) return only true matches, and the
same ones Whoosh's own evaluation finds, on a corpus big enough that the
candidate path does not see every match."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate
from index import Index, rebuild
from index.planner import PHRASE_CANDIDATES, Strategy

pytestmark = pytest.mark.slow  # a generated corpus of 150 articles, built once


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    root = tmp_path_factory.mktemp("gen")
    generate(root / "c", 150)
    rebuild(root / "c", root / "ix")
    with Index(root / "ix") as ix:
        yield ix


def text(ix: Index, aid: str, n: int) -> str:
    article = ix.article(aid)
    assert article is not None
    return article.paragraph(n).text


def all_hits(ix: Index, q: str) -> set[tuple[str, int]]:
    """Every match, by Whoosh's own evaluation (a limit above the candidates
    makes the candidate path see everything, so this is the exact answer)."""
    result = ix.search(q, limit=100_000, exact=True)
    assert result.exact
    return {(h.article, h.paragraph) for h in result.hits}


@pytest.mark.parametrize("q", ['"科技创新"', "人工智能", '"粤港澳大湾区"'])
def test_phrases_and_long_chinese_words(big: Index, q: str) -> None:
    every = all_hits(big, q)
    assert len(every) > PHRASE_CANDIDATES  # so the top ten come from the candidate path
    top = big.search(q, limit=10, exact=True)
    assert len(top.hits) == 10 and not top.exact and top.total >= len(every) // 2
    word = q.strip('"')
    for h in top.hits:
        assert word in text(big, h.article, h.paragraph)
        assert (h.article, h.paragraph) in every


def test_conjunction_negation_and_filters(big: Index) -> None:
    for h in big.search("创新 AND 人才", limit=10).hits:
        assert "创新" in text(big, h.article, h.paragraph) and "人才" in text(big, h.article, h.paragraph)
    hits = big.search("大学 NOT 深圳", limit=10).hits  # 深圳 is the place: 深圳大学 is not a mention of it
    assert len(hits) == 10
    for h in hits:
        article = big.article(h.article)
        assert article is not None
        assert "大学" in article.paragraph(h.paragraph).text and "shenzhen" not in article.paragraph(h.paragraph).cities
    hits = big.search("kind:turn 广州", limit=10).hits
    assert len(hits) == 10
    for h in hits:
        article = big.article(h.article)
        assert article is not None
        assert h.kind == "turn" and "guangzhou" in article.paragraph(h.paragraph).cities  # any spelling: قوانغتشو too
    assert {h.lang for h in big.search("lang:zh 创新", limit=10).hits} == {"zh"}


def test_a_rare_phrase_is_counted_exactly(big: Index, tmp_path: Path) -> None:
    q = '"regionalen wissenschaftlichen"'
    result = big.search(q, limit=10, exact=True)
    assert result.hits and all(
        "regionalen wissenschaftlichen" in text(big, h.article, h.paragraph) for h in result.hits
    )
    assert {(h.article, h.paragraph) for h in result.hits} <= all_hits(big, q)


@pytest.mark.parametrize("q", ["شنتشن OR قوانغتشو", "kind:turn 广州", "Shenzhen", "city:Shenzhen 大学", "大学 NOT 深圳",
                               "Innovation", "города"])
def test_top_ten_are_the_best_of_every_match(big: Index, q: str) -> None:
    """Top-N collection skips blocks on ties (index/ranking.py) and yet gives
    the ten that scoring every match ranks first."""
    every = big.search(q, limit=100_000).hits
    assert len(every) > 10
    assert [(h.article, h.paragraph, h.score) for h in big.search(q, limit=10).hits] == \
        [(h.article, h.paragraph, h.score) for h in every[:10]]


VECTOR_QUERIES = ["شنتشن OR قوانغتشو", "kind:turn 广州", "创新 AND 人才", "大学 NOT 深圳", "city:Shenzhen 大学",
                  "lang:zh 创新", "Innovation OR Kooperation", "深圳 OR 广州 OR 中山", "(创新 OR 人才) NOT 大学",
                  "合作 OR (创新 NOT 人才)", "kind:turn (广州 OR 深圳) NOT 大学"]


@pytest.mark.parametrize("q", VECTOR_QUERIES)
def test_whole_list_evaluation_answers_as_whoosh_does(big: Index, q: str) -> None:
    """Queries of terms evaluated over whole posting lists (index/vector.py)
    find the same matches, with the same scores and order, as Whoosh's own
    evaluation, and count them exactly."""

    def run(limit: int, strategy: Strategy) -> tuple[list[tuple[str, int, float]], int, bool]:
        r = big.search(q, limit=limit, strategy=strategy)
        return [(h.article, h.paragraph, round(h.score, 9)) for h in r.hits], r.total, r.exact

    every, total, exact = run(100_000, "plain")  # Whoosh scores every match
    assert exact and total == len(every) > 10
    assert run(100_000, "vector") == (every, total, True)
    assert run(10, "vector") == (every[:10], total, True)
    assert run(10, "auto") == (every[:10], total, True)  # the planner chooses the vector here


@pytest.mark.parametrize("q", ['"科技创新"', '人才 AND "科技创新"', '"regionalen wissenschaftlichen" OR Kooperation'])
def test_relaxed_candidates_answer_as_whoosh_does(big: Index, q: str) -> None:
    """Phrases and conjunctions answered from their rarest words' best
    matches give Whoosh's own top hits, all of which hold."""
    every = big.search(q, limit=100_000, strategy="plain").hits
    relaxed = big.search(q, limit=10, strategy="relaxed")
    assert len(every) > 10 and relaxed.hits
    assert {(h.article, h.paragraph) for h in relaxed.hits} <= {(h.article, h.paragraph) for h in every}
    with pytest.raises(ValueError, match="strategy 'vector' cannot evaluate"):
        big.search(q, strategy="vector")
