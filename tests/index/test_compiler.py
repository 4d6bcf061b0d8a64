"""The query compiler (index/compiler.py) builds the tree Whoosh's own
parser builds for the same query, without writing and parsing a string: on
random queries of phrases, filters, operators and brackets, written so that
briefing's syntax and Whoosh's read them alike, the two trees are equal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.qparser import MultifieldParser
from whoosh.query import And, Not, Or, Phrase, Term, TermRange

from index.compiler import compile_query
from index.errors import QueryError
from index.query import Expander, Leaf, prepare
from index.schema import build_schema

SCHEMA = build_schema({"zh", "ar", "de", "ru"})
FIELDS = sorted(n for n in SCHEMA.names() if n.startswith("text_"))
EXPANDER = Expander({})

WORDS = [
    "深圳",
    "科技创新",
    "粤港澳大湾区",
    "شنتشن",
    "وشنتشن",
    "Чжуншаню",
    "Kooperation",
    "regionalen wissenschaftlichen",
    "Зона большого залива",
    "3.Kooperation",
    "、",
    "AI 2020",
    "深圳 Shenzhen",
]
LEAVES = st.one_of(
    st.sampled_from(WORDS).map(lambda w: f'"{w}"'),
    st.sampled_from(['lang:"zh"', 'lang:"ar"', 'kind:"turn"', 'article:"002"', 'kind:"boilerplate"']),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["AND", "OR", ""]), children).map(lambda t: " ".join(x for x in t if x)),
        children.map(lambda c: f"NOT ( {c} )" if c.startswith("NOT") else f"NOT {c}"),  # NOT NOT is refused
        children.map(lambda c: f"( {c} )"),
    )


QUERIES = st.recursive(LEAVES, _combine, max_leaves=8)


def compiled(query: str) -> object:
    return compile_query(prepare(query, EXPANDER, exact=True).items, SCHEMA, FIELDS)


@settings(max_examples=300, deadline=None)
@given(QUERIES)
def test_the_tree_is_whooshs(query: str) -> None:
    whoosh = MultifieldParser(FIELDS, SCHEMA).parse(query)
    assert compiled(query) == whoosh


def test_words_are_analysed_in_every_language_field() -> None:
    q = compiled('"Kooperationen" lang:zh')
    assert q == And([Or([Term("text_ar", "kooperationen"), Term("text_de", "kooperation"),
                         Term("text_ru", "kooperationen"), Term("text_zh", "kooperationen")]), Term("lang", "zh")])
    phrase = compiled('"科技创新"')
    assert Phrase("text_zh", ["科技", "技创", "创新"]) in phrase.subqueries  # type: ignore[attr-defined]


def test_operators_bind_not_then_and_then_or() -> None:
    a, b, c = (Term("lang", x) for x in ("zh", "ar", "de"))
    assert compiled("lang:zh lang:ar OR lang:de") == And([a, Or([b, c])])
    assert compiled("lang:zh AND lang:ar OR lang:de") == Or([And([a, b]), c])
    assert compiled("NOT lang:zh lang:ar") == And([Not(a), b])
    assert compiled("NOT (lang:zh OR lang:ar)") == Not(Or([a, b]))


def test_dates_are_ranges_of_days() -> None:
    assert compiled("date:2020-05") == TermRange("date", "2020-05-01", "2020-05-31", constantscore=True)
    assert compiled("date:..2020-05-17") == TermRange("date", None, "2020-05-17", constantscore=True)
    assert compiled("date:2020-05-18") == Term("date", "2020-05-18")  # a range of one day is that day


def test_unbalanced_items_are_refused() -> None:
    with pytest.raises(QueryError, match="unmatched"):
        compile_query([Leaf("x"), ")"], SCHEMA, FIELDS)
    with pytest.raises(QueryError, match="closing"):
        compile_query(["(", Leaf("x")], SCHEMA, FIELDS)
