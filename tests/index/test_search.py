"""Per-language recall with literal expected paragraphs, phrases, expansion,
filters and query errors, on the bundled corpus."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

from index import Index, QueryError
from index.analysis import analyze
from tests.queries import queries


def hits(index, query: str, **kw) -> set[tuple[str, int]]:
    return {(h.article, h.paragraph) for h in index.search(query, limit=500, **kw).hits}


def test_chinese_word_inside_longer_word(index) -> None:
    found = hits(index, "创新", exact=True)
    assert ("002", 19) in found  # 建设国际科技创新中心
    assert ("003", 19) in found  # 亮点四:打造国际化产学研用创新基地
    assert all(a in ("002", "003") for a, _ in found)


def test_chinese_quoted_phrase_is_a_phrase(index) -> None:
    found = hits(index, '"粤港澳大湾区"', exact=True)
    assert ("002", 32) in found and ("002", 26) in found and ("003", 5) in found
    # every hit really contains the phrase
    for aid, n in found:
        assert "粤港澳大湾区" in index.article(aid).paragraph(n).text
    assert hits(index, '"大湾区粤港澳"', exact=True) == set()


def test_arabic_clitics_and_tanwin(index) -> None:
    found = hits(index, "شنتشن", exact=True)
    assert ("000", 5) in found  # وشنتشن
    assert ("000", 23) in found  # لشنتشن
    assert index.article("000").paragraph(23).text.count("لشنتشن") >= 1
    assert ("000", 3) in hits(index, "معًا", exact=True)
    assert analyze("معًا", "ar") == analyze("معا", "ar")


def test_russian_and_german_stemming(index) -> None:
    assert hits(index, "Чжуншань", exact=True) == {("004", 1), ("004", 2), ("004", 3), ("004", 5), ("004", 6)}
    assert ("004", 6) in hits(index, "Бостон", exact=True)  # Бостоне
    ger = hits(index, "Kooperation", exact=True)
    assert ("001", 4) in ger  # "3.Kooperation der Wissenschafts-" is split at the dot
    assert analyze("Kooperationen", "de") == analyze("Kooperation", "de")
    assert analyze("3.Kooperation", "de") == ["3", "kooperation"]


def test_cross_language_expansion(index) -> None:
    result = index.search("Shenzhen", limit=500)
    langs = {h.lang for h in result.hits}
    assert langs == {"zh", "ar", "de"}  # the Russian article (004, Zhongshan) never names Shenzhen
    assert any(e.startswith("Shenzhen → 深圳") for e in result.expanded)
    assert "شنتشن" in result.terms and "Шэньчжэнь" in result.terms
    # قوانغتشو also finds جوانزو
    assert "جوانجزو" in index.article("000").paragraph(28).text
    assert ("000", 28) in hits(index, "قوانغتشو")
    assert ("000", 28) not in hits(index, "قوانغتشو", exact=True)


def test_filters(index) -> None:
    assert {a for a, _ in hits(index, "lang:ru Zhongshan")} == {"004"}
    speaker = hits(index, "speaker:胡刚")
    assert speaker == hits(index, 'speaker:"Hu Gang"') == hits(index, "speaker:hu-gang")
    assert ("002", 17) in speaker and ("000", 15) in speaker and ("002", 18) in speaker
    city = hits(index, "city:Zhongshan")
    assert city == {("004", n) for n in (1, 2, 3, 5, 6, 7)}
    assert hits(index, "article:003 龙岗") <= {("003", n) for n in range(1, 35)}
    assert hits(index, "kind:heading 谈") == {("002", 15), ("002", 21), ("002", 25), ("002", 36), ("002", 45)}
    # Filters that no paragraph satisfies together leave nothing (Whoosh reads an empty filter as none).
    assert hits(index, "Shenzhen lang:de") and hits(index, "city:Zhongshan")
    assert hits(index, "Shenzhen city:Zhongshan lang:de") == set()


def test_boolean_operators(index) -> None:
    both = hits(index, "医疗 AND 人才", exact=True)
    either = hits(index, "医疗 OR 人才", exact=True)
    only = hits(index, "医疗 NOT 人才", exact=True)
    assert both and both < either and only and not (only & both)


def test_boilerplate_left_out_unless_asked(index) -> None:
    assert hits(index, "ووهان", exact=True) == set()
    assert hits(index, "ووهان", exact=True, include_boilerplate=True) == {("000", 62)}
    assert ("002", 55) in hits(index, "kind:boilerplate 科普")


def test_snippets_highlight_the_match(index) -> None:
    h = index.search('"粤港澳大湾区"', exact=True, limit=1).hits[0]
    assert h.highlights and all(
        h.snippet[s:e] in ("粤港", "港澳", "澳大", "大湾", "湾区", "粤港澳大湾区") for s, e in h.highlights
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"Shenzhen', "unbalanced quote"),
        ("(Shenzhen", "unbalanced parenthesis"),
        ("Shenzhen)", "unmatched )"),
        ("AND Shenzhen", "needs a term on its left"),
        ("Shenzhen OR", "needs a term after it"),
        ("city:", "city: needs a value"),
        ("lang:xx Shenzhen", "the index holds no 'xx' articles"),
        ("kind:banner", "unknown kind"),
        ("", "no words to search for"),
        ("x" * 3000, "the limit is 2000"),
    ],
)
def test_query_errors_say_what_is_wrong(index, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        index.search(query)



def test_colon_text_that_is_not_a_filter_is_searched(index) -> None:
    assert ("002", 15) in hits(index, "谈联动互补:科教重镇", exact=True)


def test_unknown_city_gives_a_note_not_an_error(index) -> None:
    result = index.search("city:Atlantis")
    assert result.total == 0 and result.notes == ("city:Atlantis is not in the gazetteer",)


def test_speaker_filter_finds_speakers_the_registry_lacks(tmp_path, open_index: Callable[[Path], Index]) -> None:  # type: ignore[no-untyped-def]
    from index import rebuild
    from tests.conftest import write

    write(
        tmp_path / "c" / "talk.txt",
        "两位专家谈海洋经济\n\n张明:海洋经济是未来的重要方向。\n\n李华:我同意。\n\n张明:是的。",
    )
    rebuild(tmp_path / "c", tmp_path / "ix")
    result = open_index(tmp_path / "ix").search("speaker:张明")
    assert sorted(h.paragraph for h in result.hits) == [2, 4]
    assert result.notes == ("speaker:张明 is not in the people registry",)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries)
@example(q="NOT NOT 0")  # once crashed Whoosh's parser
def test_any_query_gives_results_or_a_query_error(index, q: str) -> None:  # type: ignore[no-untyped-def]
    """Property: every string is either searched or refused with a QueryError
    that says what is wrong; nothing else escapes."""
    try:
        result = index.search(q, limit=10)
    except QueryError as exc:
        assert str(exc).strip()
        return
    assert result.total >= len(result.hits)
    for h in result.hits:
        assert all(0 <= s < e <= len(h.snippet) for s, e in h.highlights)


def test_expanded_place_names_use_the_gazetteer_not_raw_substrings(index) -> None:
    """An expanded place name searches the place's mentions: every spelling and
    district, but not an organisation that contains the name (中山大学)."""
    assert ("002", 48) not in hits(index, "Zhongshan")  # 中山大学深圳校区 is Sun Yat-sen University
    assert ("002", 48) in hits(index, "中山", exact=True)  # the literal characters are still there with --exact
    assert {a for a, _ in hits(index, "Zhongshan")} == {"004"}
    assert ("003", 1) in hits(index, "Shenzhen")  # 龙岗区 rolls up to Shenzhen


def test_the_reader_keeps_the_article_list_and_loads_paragraphs_on_demand(index) -> None:
    infos = {a.id: a for a in index.articles()}
    assert set(infos) == {"000", "001", "002", "003", "004"}
    assert not hasattr(infos["002"], "paragraphs")
    assert infos["002"].paragraph_count == len(index.article("002").paragraphs) == 63
    assert infos["002"].translations == ("000",)
    assert index.article("nope") is None


def test_speaker_and_place_references_come_from_the_side_store(index) -> None:
    summary = next(c for c in index.cities() if c.id == "zhongshan")
    full = next(c for c in index.cities(full=True) if c.id == "zhongshan")
    total, rows = index.city_mentions("zhongshan")
    assert total == summary.mentions == full.mentions == len(rows)
    # The reader's light summary counts what the full one lists.
    assert summary.articles == {} and summary.n_articles == len(full.articles) == len({a for a, *_ in rows})
    assert full.light() == summary and full.counts is None
    speakers = {s.id: s for s in index.speakers(full=True)}
    for s in index.speakers():
        assert s.articles == () and s == speakers[s.id].light() and s.n_articles == len(speakers[s.id].articles)
    for aid, n, s, e in rows:
        assert index.article(aid).paragraph(n).text[s:e] in ("中山", "Чжуншань", "Чжуншаня", "Чжуншаню", "Zhongshan",
                                                             "Чжуншане", "Чжуншанем", "تشونغشان", "جونغشان")
    total, first = index.city_mentions("shenzhen", limit=5)
    assert total > 100 and len(first) == 5 and first == sorted(first)
    total, turns = index.speaker_paragraphs("hu-gang")
    assert total == len(turns) and {a for a, _ in turns} == {"000", "002"}
    assert ("002", 17) in turns and all(index.article(a).paragraph(n).kind.value in ("turn", "body") for a, n in turns)


# -- dates (issue 17) -----------------------------------------------------------
@pytest.mark.parametrize(("flt", "articles"), [
    ("date:2020-05-18", {"002"}),
    ("date:2020-05", {"000", "002"}),
    ("date:2020", {"000", "002"}),
    ("date:2020-05-17..2020-05-17", {"000"}),
    ("date:..2020-05-17", {"000"}),
    ("date:2020-05-18..", {"002"}),
    ("date:2020-05-01..2020-05-31", {"000", "002"}),
    ("date:2021", set()),
    ("date:..2099", {"000", "002"}),  # the undated (001, 003, 004) never match a date filter
])
def test_date_filters(index, flt: str, articles: set[str]) -> None:  # type: ignore[no-untyped-def]
    result = index.search(f"Shenzhen {flt}", limit=500)
    assert {h.article for h in result.hits} == articles
    assert all(h.date is not None for h in result.hits)


def test_a_negated_date_keeps_the_undated(index) -> None:  # type: ignore[no-untyped-def]
    hits = index.search("Shenzhen -date:2020-05-18", limit=500).hits
    assert {h.article for h in hits} == {"000", "001", "003"}  # 004 never names Shenzhen


@pytest.mark.parametrize(("flt", "message"), [
    ("date:2020-13", "'2020-13': there is no month 13"),
    ("date:2021-02-29", "'2021-02-29': 2021-02 has no day 29"),
    ("date:2020-06..2020-05", "the range starts (2020-06-01) after it ends (2020-05-31)"),
    ("date:..", "a range needs at least one end"),
    ("date:May", "'May' is not a date"),
])
def test_bad_dates_say_what_is_wrong(index, flt: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError) as exc:
        index.search(f"Shenzhen {flt}")
    assert message in str(exc.value) and "date:2020-05-01..2020-05-31" in str(exc.value)


def test_sort_by_date_newest_first_then_score(index) -> None:  # type: ignore[no-untyped-def]
    by_score = index.search("深圳", limit=500)
    by_date = index.search("深圳", limit=500, sort="date")
    assert by_date.total == by_score.total == len(by_date.hits)
    assert sorted((h.article, h.paragraph, round(h.score, 6)) for h in by_date.hits) == \
        sorted((h.article, h.paragraph, round(h.score, 6)) for h in by_score.hits)
    dates = [h.date or "" for h in by_date.hits]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2020-05-18" and dates[-1] == ""
    same_day = [h.score for h in by_date.hits if h.date == "2020-05-18"]
    assert same_day == sorted(same_day, reverse=True)
    top = index.search("深圳", limit=3, sort="date")
    assert [(h.article, h.paragraph) for h in top.hits] == [(h.article, h.paragraph) for h in by_date.hits[:3]]
    with pytest.raises(QueryError, match="--sort title: sort by one of score, date"):
        index.search("深圳", sort="title")


@pytest.mark.parametrize(
    "query", ["深圳", "Shenzhen", "创新 AND 人才", "大学 NOT 深圳", "city:Shenzhen 大学", "lang:zh 广州"]
)
def test_sort_by_date_over_posting_lists_is_whooshs_order(index, query: str) -> None:  # type: ignore[no-untyped-def]
    """Words and places are sorted by date over whole posting lists (a date
    rank per document); phrases by Whoosh's sorting collector. Both give
    one order."""
    fast = index.search(query, limit=500, sort="date", strategy="vector")
    slow = index.search(query, limit=500, sort="date", strategy="plain")
    assert fast.total == slow.total > 0
    assert [(h.article, h.paragraph, round(h.score, 6)) for h in fast.hits] == \
        [(h.article, h.paragraph, round(h.score, 6)) for h in slow.hits]


def test_place_is_city_s_other_name(index: Index) -> None:
    """place: names any place (here a region and a city) and filters as city: does."""
    assert hits(index, "place:Zhongshan") == hits(index, "city:Zhongshan") != set()
    assert hits(index, "place:Guangdong") == hits(index, "city:Guangdong") != set()
    with pytest.raises(QueryError, match="place: needs a value"):
        index.search("place:")
