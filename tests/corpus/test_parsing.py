"""Paragraph splitting, kinds, titles, dates, speakers and cities on the
bundled corpus and on generated folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import BUNDLED_DIR, Kind, load_corpus
from corpus.paragraphs import split_paragraphs
from tests.conftest import write


@pytest.fixture(scope="module")
def bundled():
    return load_corpus(BUNDLED_DIR)


def kinds(article) -> list[str]:
    return [p.kind.value for p in article.paragraphs]


def test_bundled_files_keep_their_names_and_parse(bundled) -> None:
    assert [a.path for a in bundled.articles] == [
        "000_f3eee6bc68b515fc.txt",
        "001_9c5d04365c97e42f.txt",
        "002_05264b1b95ebf856.txt",
        "003_30b25a51ecdd53f9.txt",
        "004_2426c03314eb353a.txt",
    ]
    assert [(a.id, a.lang, len(a.paragraphs)) for a in bundled.articles] == [
        ("000", "ar", 64), ("001", "de", 19), ("002", "zh", 63), ("003", "zh", 34), ("004", "ru", 7),
    ]
    assert bundled.skipped == ()
    assert bundled.article("002").translations == ("000",)
    assert bundled.article("000").translations == ("002",)


def test_interview_kinds_and_speakers(bundled) -> None:
    a = bundled.article("002")
    assert kinds(a)[:8] == ["title", "meta", "meta", "title", "body", "body", "body", "heading"]
    assert a.paragraph(2).text == "发布时间:2020-05-18"
    assert a.paragraph(3).text == "浏览次数:1485"
    # section headings that contain a colon are headings, not speakers
    assert a.paragraph(15).kind is Kind.HEADING and a.paragraph(15).speaker is None
    assert a.paragraph(15).text.startswith("谈联动互补:")
    assert (a.paragraph(16).kind, a.paragraph(16).speaker, a.paragraph(16).label) == (Kind.TURN, "moderator", "主持人")
    assert (a.paragraph(17).kind, a.paragraph(17).speaker, a.paragraph(17).label) == (Kind.TURN, "hu-gang", "胡刚")
    # the continuation paragraph (a sentence opener, no colon) keeps Hu Gang
    assert (a.paragraph(18).kind, a.paragraph(18).speaker) == (Kind.BODY, "hu-gang")
    assert a.paragraph(18).text.startswith("差异点在于")
    # WeChat promotion at the end is boilerplate, up to the last line
    assert kinds(a)[53:] == ["boilerplate"] * 10
    assert a.paragraph(54).text.startswith("关注【深圳科普】")
    turns = [(p.n, p.speaker) for p in a.paragraphs if p.kind is Kind.TURN]
    assert [s for _, s in turns].count("moderator") == 7
    assert {s for _, s in turns} == {
        "moderator",
        "hu-gang",
        "wang-guilin",
        "lin-na",
        "liu-wei",
        "liu-ruopeng",
        "li-qingquan",
    }


def test_arabic_turns_headings_and_trailing_headlines(bundled) -> None:
    a = bundled.article("000")
    assert a.paragraph(2).kind is Kind.META  # العنوان الأصلي: original title
    assert a.paragraph(13).kind is Kind.HEADING  # الحديث عن ...: heading with a colon
    assert a.paragraph(43).kind is Kind.HEADING
    assert (a.paragraph(14).speaker, a.paragraph(14).label) == ("moderator", "المنسق")
    assert (a.paragraph(15).speaker, a.paragraph(15).label) == ("hu-gang", "هو قانغ")
    assert (a.paragraph(50).speaker, a.paragraph(50).label) == ("li-qingquan", "Li Qingquan")
    assert a.paragraph(52).kind is Kind.META and a.paragraph(52).text.startswith("المصدر")
    assert kinds(a)[52:] == ["boilerplate"] * 12


def test_a_speech_word_before_a_label_and_a_building_s_name_before_a_colon(tmp_path: Path) -> None:
    """"قال نيلسون مانديلا: «…»" is Nelson Mandela's turn, not "قال
    نيلسون مانديلا"'s; "سجن لونغ لارتن: …", a headline (Long Lartin prison)
    run into its first sentence, is nobody's."""
    write(tmp_path / "ar.txt", "\n\n".join([
        "أعمال فوضى في سجن",
        "سجن لونغ لارتن: إصابة ستة ضباط في أعمال فوضى ذكرت إدارة السجن أن السجناء هاجموا الضباط في الجناح "
        "الشمالي صباح اليوم.",
        'قال نيلسون مانديلا: "فإذا تحدثت إلى رجل بلغة يفهمها، فإن الحديث يجتاز رأسه."',
    ]))
    write(tmp_path / "en.txt", "\n\n".join([
        "After the race",
        "Damon Hill: I think the race was hard, and we did well today, thanks to the whole team.",
        "Long Lartin Prison: six officers were hurt in disorder, the prison service said on Monday.",
    ]))
    corpus = load_corpus(tmp_path)
    ar, en = corpus.article("ar"), corpus.article("en")
    assert [(p.kind, p.label) for p in ar.paragraphs[1:]] == [(Kind.BODY, None), (Kind.TURN, "نيلسون مانديلا")]
    # (a building's word that is also a frequent surname ends a person's name)
    assert [(p.kind, p.label) for p in en.paragraphs[1:]] == [(Kind.TURN, "Damon Hill"), (Kind.BODY, None)]


def test_german_headings_and_details_boilerplate(bundled) -> None:
    a = bundled.article("001")
    assert a.title.startswith("China diskutiert den Weg")
    assert [p.n for p in a.paragraphs if p.kind is Kind.HEADING] == [3, 5, 11, 13, 15]
    assert kinds(a)[-2:] == ["boilerplate", "boilerplate"]
    assert a.paragraph(19).text == "Überprüfen Sie die Details"


def test_source_lines_are_meta_not_speakers(bundled) -> None:
    assert [p.kind.value for p in bundled.article("003").paragraphs[-3:]] == ["meta", "meta", "meta"]
    ru = bundled.article("004")
    assert ru.paragraph(7).kind is Kind.META and ru.paragraph(7).text.startswith("ИСТОЧНИК")
    assert all(p.speaker is None for p in ru.paragraphs)


def test_cities_with_inflections_clitics_and_traps(bundled) -> None:
    ru = bundled.article("004")
    assert ru.paragraph(3).cities == ("zhongshan",)  # Чжуншаня
    assert ru.paragraph(5).cities == ("zhongshan",)  # Чжуншаню
    assert "boston" in ru.paragraph(6).cities  # Бостоне
    zh = bundled.article("002")
    # 中山大学 is a university: no Zhongshan in the paragraph that names it
    assert "中山大学" in zh.paragraph(48).text and "zhongshan" not in zh.paragraph(48).cities
    ar = bundled.article("000")
    assert "وشنتشن" in ar.paragraph(5).text and "shenzhen" in ar.paragraph(5).cities
    assert "جوانزو" in ar.paragraph(18).text and "guangzhou" in ar.paragraph(18).cities
    # boilerplate mentions are not counted (Wuhan appears only in a trailing headline)
    assert all(p.mentions == () for p in ar.paragraphs if p.kind is Kind.BOILERPLATE)
    # districts roll up: 龙岗 counts for Shenzhen
    assert bundled.article("003").paragraph(2).cities[0] == "shenzhen"


def test_split_blank_lines_single_newlines_and_hard_wrap() -> None:
    assert split_paragraphs("a\nb\nc") == ["a", "b", "c"]
    assert split_paragraphs("a\n\n b \n\n\nc") == ["a", "b", "c"]
    wrapped = ("This is a long sentence of prose that wraps at a fixed width and\n"
               "continues on the next line of the same paragraph until it ends.\n\nNext one.")
    assert split_paragraphs(wrapped) == [
        "This is a long sentence of prose that wraps at a fixed width and continues on the next line of the same "
        "paragraph until it ends.",
        "Next one.",
    ]
    assert split_paragraphs("x\r\ny\r\n\r\nz") == ["x", "y", "z"]


def test_folder_without_manifest_detects_language_title_and_date(tmp_path: Path) -> None:
    write(
        tmp_path / "news/a.txt", "城市合作新篇章\n发布时间:2021-03-04\n\n苏州和无锡加强科技合作,推动长三角一体化发展。"
    )
    write(
        tmp_path / "b.md",
        "اتفاق جديد بين المدينتين\n\nالقاهرة 17 مايو 2020 (وكالة) "
        "وقعت المدينتان اتفاقية للتعاون العلمي والتكنولوجي في مجالات عديدة.",
    )
    write(
        tmp_path / "c.txt",
        "Neue Partnerschaft\n\nBerlin, 3. Mai 2019. "
        "Die beiden Städte vereinbarten eine engere Kooperation in der Forschung und Entwicklung.",
    )
    write(
        tmp_path / "d.txt",
        "Новое соглашение\n\nМосква, 5 мая 2018 года. "
        "Города подписали соглашение о сотрудничестве в области науки и технологий.",
    )
    write(
        tmp_path / "e.txt",
        "A new agreement\n\nLONDON, May 6, 2017. "
        "The two cities signed an agreement on cooperation in science and technology.",
    )
    write(tmp_path / "ignored.pdf", "not a text file")
    c = load_corpus(tmp_path)
    got = {a.id: (a.lang, a.title, a.date) for a in c.articles}
    assert got == {
        "news/a": ("zh", "城市合作新篇章", "2021-03-04"),
        "b": ("ar", "اتفاق جديد بين المدينتين", "2020-05-17"),
        "c": ("de", "Neue Partnerschaft", "2019-05-03"),
        "d": ("ru", "Новое соглашение", "2018-05-05"),
        "e": ("en", "A new agreement", "2017-05-06"),
    }


def test_generated_interview_with_new_names(tmp_path: Path) -> None:
    """Nothing is special-cased for the bundled five: unknown speakers with
    repeated labels are found, a colon heading is not a speaker."""
    write(tmp_path / "talk.txt", "\n\n".join([
        "两位专家谈海洋经济",
        "谈发展:海洋经济的新机遇",
        "张明:海洋经济是未来的重要方向,我们需要更多投入。",
        "李华:我同意,宁波和厦门都有很好的基础。",
        "此外,港口合作也非常重要。",
        "张明:是的。",
    ]))
    a = load_corpus(tmp_path).articles[0]
    assert [(p.kind.value, p.label, p.speaker) for p in a.paragraphs] == [
        ("title", None, None),
        ("heading", None, None),
        ("turn", "张明", "unknown:zhang ming"),  # id from the romanised name (pypinyin)
        ("turn", "李华", "unknown:li hua"),
        ("body", None, "unknown:li hua"),
        ("turn", "张明", "unknown:zhang ming"),
    ]


@pytest.mark.slow
def test_parsing_does_not_depend_on_the_hash_seed() -> None:
    """Two processes with different hash seeds parse the corpus identically
    (an `update` with no change must find no change)."""
    import os
    import subprocess
    import sys

    script = (
        "import json; from corpus import load_corpus, BUNDLED_DIR; c = load_corpus(BUNDLED_DIR); "
        "print(json.dumps([[a.to_dict() for a in c.articles], [x.to_dict() for x in c.alignments]]))"
    )
    outs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_a_quoted_headline_before_a_colon_is_nobody_s_turn(tmp_path: Path) -> None:
    """A headline that opens with a quoted phrase and a colon ("'The sea is
    ours': Bolivia hopes …", run into its first sentence) gives no one's
    words, in any script: a speaker's label is written bare."""
    write(tmp_path / "ar.txt", "\n\n".join([
        "'البحر لنا': تأمل بوليفيا، البلد الحبيسة، أن يعيد القضاء فتح الطريق إلى المحيط الهادئ يجري البحارة "
        "دوريات في مقر البحرية المزودة بالسفن في لاباز.",
        "ترفع المباني العامة علم المحيط الأزرق.",
    ]))
    write(tmp_path / "en.txt", "\n\n".join([
        "\u201cThe Sea Is Ours\u201d: landlocked Bolivia hopes the court will reopen its way to the Pacific, and "
        "sailors patrol the navy's headquarters in La Paz with their ships.",
        "Public buildings fly the blue flag of the ocean.",
    ]))
    corpus = load_corpus(tmp_path)
    for aid in ("ar", "en"):
        paragraphs = corpus.article(aid).paragraphs
        assert len(paragraphs) == 2 and all(p.kind is not Kind.TURN and p.speaker is None for p in paragraphs), aid
