"""The article list read from the side store a page at a time: orders,
pages, the census and finding an article by id or title."""

from __future__ import annotations

import pytest

from index import Index, rebuild
from tests.paged import by_date, by_lang, write_many

COUNT = 450


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("many")
    made = write_many(root / "corpus", COUNT)
    rebuild(root / "corpus", root / "ix")
    with Index(root / "ix") as ix:
        yield ix, made


def test_pages_in_each_order_are_the_whole_list(many) -> None:  # type: ignore[no-untyped-def]
    ix, made = many
    for order, expected in (("date", by_date(made)), ("lang", by_lang(made)), ("id", sorted(made))):
        pages = [a.id for first in range(0, COUNT, 200) for a in ix.articles(order, first, 200)]
        assert pages == expected, order
    assert [a.id for a in ix.articles("date", 440, 200)] == by_date(made)[440:]
    assert ix.articles("date", COUNT, 10) == ()
    first = ix.articles("date", 0, 1)[0]
    assert (first.lang, first.date) == made[first.id]
    with pytest.raises(ValueError, match="order 'title': one of date, lang, id"):
        ix.articles("title")


def test_census_counts_without_reading_the_list(many) -> None:  # type: ignore[no-untyped-def]
    ix, made = many
    census = ix.census()
    assert census.articles == COUNT and census.undated == COUNT // 10
    assert census.languages == (("ar", 150), ("de", 150), ("ru", 150))  # most first, then by code
    dates = sorted(d for _lang, d in made.values() if d)
    assert (census.first, census.last) == (dates[0], dates[-1])


def test_find_articles_by_id_or_title(many, index) -> None:  # type: ignore[no-untyped-def]
    ix, _made = many
    assert [a.id for a in ix.find_articles("n012")] == [f"n012{i}" for i in range(10)]
    assert [a.id for a in ix.find_articles("порте 7", limit=3)] == ["n0007", "n0070", "n0073"]
    assert ix.find_articles("100%") == () and ix.find_articles("n_0") == ()  # LIKE's wildcards are literal
    assert [a.id for a in index.find_articles("Чжуншань")] == ["004"]
