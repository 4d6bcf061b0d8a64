"""Speakers and cities: who speaks, where, across scripts — on the bundled
articles, and on generated folders with people no registry knows."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR, load_corpus, load_knowledge
from corpus.aggregate import (
    cities,
    cities_by_entity,
    cities_from_partials,
    city_delta,
    city_partial,
    speaker_delta,
    speaker_partial,
    speakers,
    speakers_by_entity,
    speakers_from_partials,
    summary_state,
)
from corpus.models import Kind
from tests.conftest import BRIEFING, env_for
from tests.corpus.generated import CASTS, write_corpus

# Hand-checked: who speaks (turns, quotes) or is introduced in each article.
SPEAKERS_BY_ARTICLE = {
    "000": {"moderator", "liu-wei", "hu-gang", "wang-guilin", "liu-ruopeng", "li-qingquan", "lin-na"},
    "001": set(),
    "002": {"moderator", "liu-wei", "hu-gang", "wang-guilin", "liu-ruopeng", "li-qingquan", "lin-na"},
    "003": {"xu-yangsheng", "zhang-liwei"},
    "004": {"lei-yuelong"},
}
# Hand-checked: the places each article mentions outside boilerplate.
CHINA = "china-1814991"  # from the world gazetteer (GeoNames id 1814991)
CITIES_BY_ARTICLE = {
    "000": {"shenzhen", "guangzhou", "hong-kong", "macao", "guangdong", "greater-bay-area", CHINA},
    "001": {"shenzhen", "guangzhou", "hong-kong", "macao", "chengdu", "chongqing", "shanghai", "guangdong",
            "greater-bay-area", "yangtze-river-delta", "anhui", "jiangsu", "zhejiang", CHINA},
    "002": {"shenzhen", "guangzhou", "hong-kong", "macao", "guangdong", "greater-bay-area", CHINA},
    "003": {"shenzhen", "hong-kong", "macao", "greater-bay-area", "silicon-valley", CHINA},
    "004": {"zhongshan", "hong-kong", "macao", "boston", "guangdong", "greater-bay-area", "silicon-valley"},
}


def _people(root: Path | None = None) -> list[dict]:
    return [asdict(p) for p in load_knowledge(root).people]


def _rows(root: Path):  # type: ignore[no-untyped-def]
    corpus = load_corpus(root)
    return corpus, {s.id: s for s in speakers(corpus.articles, _people(root), corpus.speaker_names)}


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    return _rows(BUNDLED_DIR)


def precision_recall(got: dict[str, set[str]], want: dict[str, set[str]]) -> tuple[float, float]:
    g = {(a, x) for a, xs in got.items() for x in xs}
    w = {(a, x) for a, xs in want.items() for x in xs}
    return len(g & w) / max(1, len(g)), len(g & w) / max(1, len(w))


def test_speakers_of_each_bundled_article(bundled) -> None:  # type: ignore[no-untyped-def]
    _corpus, rows = bundled
    got = {aid: {s.id for s in rows.values() if aid in s.speaking} for aid in SPEAKERS_BY_ARTICLE}
    assert got == SPEAKERS_BY_ARTICLE
    assert precision_recall(got, SPEAKERS_BY_ARTICLE) == (1.0, 1.0)


def test_the_six_guests_are_one_identity_across_chinese_and_arabic(bundled) -> None:  # type: ignore[no-untyped-def]
    _corpus, rows = bundled
    expected = {
        "liu-wei": ("Liu Wei", {"zh": ("刘伟",), "ar": ("ليو وي",)}),
        "hu-gang": ("Hu Gang", {"zh": ("胡刚",), "ar": ("هو قانغ",)}),
        "wang-guilin": ("Wang Guilin", {"zh": ("王桂林",), "ar": ("وانغ قويلين",)}),
        "liu-ruopeng": ("Liu Ruopeng", {"zh": ("刘若鹏",), "ar": ("ليو روبنغ",)}),
        "li-qingquan": ("Li Qingquan", {"zh": ("李清泉",), "ar": ("لي تشينغ تشيوان", "Li Qingquan")}),
        "lin-na": ("Lin Na", {"zh": ("林娜",), "ar": ("لين نا",)}),
    }
    for pid, (name, names) in expected.items():
        row = rows[pid]
        assert (row.name, row.articles) == (name, ("000", "002"))
        assert {k: set(v) for k, v in row.names.items()} == {k: set(v) for k, v in names.items()}


def test_roles_come_from_the_registry_and_the_guest_lists(bundled) -> None:  # type: ignore[no-untyped-def]
    _corpus, rows = bundled
    assert rows["liu-wei"].roles[-2:] == ("全国政协委员", "佳都科技董事长兼CEO")
    assert (
        "عضو اللجنة الوطنية للمؤتمر الاستشاري السياسي للشعب الصيني "
        "ورئيس مجلس الإدارة والرئيس التنفيذي لشركة Jiadu Technology"
        in rows["liu-wei"].roles
    )
    assert rows["hu-gang"].roles[-2:] == ("华南城市研究会会长", "暨南大学教授")
    assert rows["wang-guilin"].roles[-1] == "广州市科技局局长"


def test_quote_attributions_and_inflected_names(bundled) -> None:  # type: ignore[no-untyped-def]
    corpus, rows = bundled
    assert corpus.article("003").paragraph(6).quotes == (("xu-yangsheng", "徐扬生"),)
    assert corpus.article("003").paragraph(7).quotes == (("zhang-liwei", "张礼卫"),)
    assert corpus.article("004").paragraph(3).quotes == (("lei-yuelong", "Лэй Юэлуна"), ("lei-yuelong", "Lei Yuelong"))
    assert rows["lei-yuelong"].names == {"ru": ("Лэй Юэлун", "Lei Yuelong")}  # folded: Лэй Юэлуна -> Лэй Юэлун
    assert (rows["lei-yuelong"].turns, rows["xu-yangsheng"].turns) == (1, 1)


def test_not_people(bundled) -> None:  # type: ignore[no-untyped-def]
    corpus, rows = bundled
    zh, ar = corpus.article("002"), corpus.article("000")
    assert (zh.paragraph(15).kind, zh.paragraph(15).speaker) == (Kind.HEADING, None)  # 谈联动互补:…
    assert (ar.paragraph(13).kind, ar.paragraph(13).speaker) == (Kind.HEADING, None)  # الحديث عن …:
    assert zh.paragraph(28).text.startswith("具体而言") and zh.paragraph(28).speaker == "lin-na"  # continuation
    assert corpus.article("004").paragraph(7).kind is Kind.META  # ИСТОЧНИК
    assert corpus.article("003").paragraph(32).kind is Kind.META  # (来源:龙岗融媒)
    moderator = rows["moderator"]
    assert (moderator.name, moderator.is_role, moderator.turns) == ("Moderator", True, 14)
    assert all(not s.id.startswith("unknown:") for s in rows.values() if s.speaks)


def test_every_turn_is_attributed(bundled) -> None:  # type: ignore[no-untyped-def]
    corpus, _rows = bundled
    for a in corpus.articles:
        for p in a.paragraphs:
            if p.kind is Kind.TURN:
                assert p.speaker, (a.id, p.n)
    # 002¶38-42: Liu Wei's turn and its four continuation paragraphs.
    assert [corpus.article("002").paragraph(n).speaker for n in range(38, 43)] == ["liu-wei"] * 5


def test_cities_of_each_bundled_article() -> None:
    corpus = load_corpus(BUNDLED_DIR)
    rows = cities(corpus.articles, [asdict(c) for c in load_knowledge().cities])
    got = {aid: {c.id for c in rows if aid in c.articles} for aid in CITIES_BY_ARTICLE}
    assert got == CITIES_BY_ARTICLE
    assert precision_recall(got, CITIES_BY_ARTICLE) == (1.0, 1.0)
    by_id = {c.id: c for c in rows}
    # Traps: 中山大学 is a university; Wuhan and Jiading (Shanghai) appear only in
    # the Arabic headline list (boilerplate); جامعة بكين is Peking University.
    assert by_id["zhongshan"].articles == {"004": 7}
    assert "wuhan" not in by_id and "beijing" not in by_id
    assert by_id["shanghai"].articles == {"001": 1}
    assert set(by_id["zhongshan"].names["ru"]) == {"Чжуншаню", "Чжуншаня", "Zhongshan", "Чжуншань"}
    assert {"وشنتشن", "شنتشن", "لشنتشن"} <= set(by_id["shenzhen"].names["ar"])
    assert {"قوانغتشو", "جوانزو", "جوانجزو"} <= set(by_id["guangzhou"].names["ar"])
    assert by_id["hong-kong"].names["ru"] == ("Гонконга",)
    assert by_id["boston"].names == {"ru": ("Бостоне",)}
    assert by_id["greater-bay-area"].kind == "region" and by_id["guangdong"].kind == "region"
    # Districts roll up: 龙岗 (Longgang) and 光明区 count for Shenzhen.
    assert {"龙岗", "光明区"} <= set(by_id["shenzhen"].names["zh"])
    assert "Hetao" in by_id["shenzhen"].names["de"]
    # Headings are not turns, but their places count.
    heading = corpus.article("003").paragraph(30)
    assert heading.kind is Kind.HEADING and heading.cities == ("shenzhen",)


@pytest.mark.parametrize("cast_name", sorted(CASTS))
def test_generated_folder_with_new_names(tmp_path: Path, cast_name: str) -> None:
    cast = CASTS[cast_name]
    root = write_corpus(tmp_path / cast_name, cast)
    corpus, rows = _rows(root)
    a, b, o = cast.guest_a, cast.guest_b, cast.official
    by_name = {s.name: s for s in rows.values()}
    # Chinese <-> English by pinyin; Arabic only by aligned turn position.
    guest = by_name[a.en]
    assert guest.names == {"ar": (a.ar,), "en": (a.en,), "zh": (a.zh,)}
    assert guest.articles == ("talk_ar", "talk_en", "talk_zh") and guest.turns == 3
    assert {"宁德时代副总裁", "Vice President of CATL", "نائب رئيس شركة CATL"} <= set(guest.roles)
    assert by_name[b.en].names == {"ar": (b.ar,), "en": (b.en,), "zh": (b.zh,)} and by_name[b.en].turns == 6
    # A quote attribution in Chinese and in English, linked by pinyin.
    assert by_name[o.en].names == {"en": (o.en,), "zh": (o.zh,)}
    # A Russian genitive folded to the nominative and linked to the English form.
    nom, _gen, en = cast.ru_director
    assert by_name[en].names == {"en": (en,), "ru": (nom,)} and by_name[en].articles == ("port_en", "port_ru")
    # Not people: the moderator is a role; headings, openers and sources are not speakers.
    assert by_name["Moderator"].is_role
    assert set(by_name) == {a.en, b.en, o.en, en, "Moderator"}
    zh = corpus.article("talk_zh")
    assert [p.kind for p in zh.paragraphs if p.text.startswith(("谈合作", "(来源"))] == [Kind.HEADING, Kind.META]


@pytest.mark.slow
def test_overrides_survive_rebuilds(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "corpus", CASTS["chen-zhou"])
    (root / "overrides.yaml").write_text(
        """speakers:
  merge:
    - [罗晓峰, Andrei Volkov]
  rename:
    Zhou Libo: Prof. Zhou Libo
  not_person: [陈明]
  split:
    - {speaker: Zhou Libo, articles: [talk_ar], name: Zhou Libo (Arabic desk)}
cities:
  shenzhen: {en: [Pengcheng]}
""",
        encoding="utf-8",
    )
    index = tmp_path / "index"
    env = env_for(root, index)
    import subprocess

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([BRIEFING, *args], capture_output=True, text=True, env=env, timeout=120)

    for _ in range(2):  # rebuild twice: the corrections are re-applied every time
        assert run("index", "rebuild").returncode == 0
        rows = {s["name"]: s for s in json.loads(run("speakers", "--json").stdout)}
        merged = rows["Luo Xiaofeng"]
        assert set(merged["names"]) == {"zh", "en", "ru"} and "port_ru" in merged["articles"]
        assert "Andrei Volkov" not in rows
        assert "Chen Ming" not in rows  # not a person: its turns become body text
        assert rows["Prof. Zhou Libo"]["articles"] == ["talk_en", "talk_zh"]
        assert rows["Zhou Libo (Arabic desk)"]["articles"] == ["talk_ar"]
    (root / "talk_en.txt").write_text(
        (root / "talk_en.txt").read_text(encoding="utf-8").replace("Source: Xinhua", "Source: Xinhua, Pengcheng desk"),
        encoding="utf-8",
    )
    assert run("index", "update").returncode == 0
    rows = {s["name"]: s for s in json.loads(run("speakers", "--json").stdout)}
    assert "Prof. Zhou Libo" in rows and "Chen Ming" not in rows
    shenzhen = next(c for c in json.loads(run("cities", "--json").stdout) if c["id"] == "shenzhen")
    assert "Pengcheng" in shenzhen["names"]["en"]


def test_an_override_that_matches_nothing_is_named(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, root)
    (root / "overrides.yaml").write_text("speakers:\n  not_person: [Nobody Here]\n", encoding="utf-8")
    corpus = load_corpus(root)
    assert corpus.notes == ("overrides: not_person 'Nobody Here' matches no speaker",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("speakers:\n  merge: [[only-one]]\n", "overrides.yaml:2: merge entry 1 needs two or more names or ids"),
        ("speakers:\n  spilt: []\n", "overrides.yaml:2: unknown key 'spilt'"),
        ("cities:\n  atlantis: {en: [Atlantis]}\n", "cities: 'atlantis' is not a place id in the gazetteer"),
    ],
)
def test_bad_overrides_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    from corpus import ConfigError

    (tmp_path / "a.txt").write_text("Title\n\nBody text.\n", encoding="utf-8")
    (tmp_path / "overrides.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_knowledge(tmp_path)
    assert message in str(err.value)


EN_STORY = "\n\n".join([
    "Bakery chain rejects takeover bid",
    "Peter Dawson, the chief executive of Crumb and Co, said on Monday that the board would not accept the offer. "
    '"We are worth more than this," Peter Dawson said.',
    "Holly Brandon, who chairs the rival group, told reporters that the bid would stay on the table until Friday.",
    "Nigel Sykes, an analyst, said the shares had risen by a fifth since the spring.",
])

RU_STORY = "\n\n".join([
    "Сеть пекарен отказалась от предложения",
    "По словам Питера Доусона, совет директоров не примет предложение конкурента. «Мы стоим больше», — сказал "
    "Питер Доусон журналистам в понедельник, добавив, что компания продолжит открывать новые пекарни в северных "
    "городах страны и в пригородах.",
    "Холли Брэндон заявила, что предложение останется в силе до пятницы, а её группа готова ждать ответа ещё "
    "несколько недель.",
])

AR_OTHER = "\n\n".join([
    "افتتاح جسر جديد",
    "وقال نايجل سايكس، مهندس المشروع، إن بناء الجسر استغرق أربع سنوات.",
])


def test_two_stories_in_two_scripts_tie_the_people_they_share(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "bakery_en.txt").write_text(EN_STORY, encoding="utf-8")
    (root / "bakery_ru.txt").write_text(RU_STORY, encoding="utf-8")
    (root / "bridge_ar.txt").write_text(AR_OTHER, encoding="utf-8")
    corpus, rows = _rows(root)
    assert all(a.translations == () for a in corpus.articles)  # not versions of each other: no alignment helps
    by_article = {(a, n) for s in rows.values() for a, ns in s.names.items() for n in ns}
    assert {("en", "Peter Dawson"), ("ru", "Питер Доусон"), ("en", "Holly Brandon"),
            ("ru", "Холли Брэндон")} <= by_article
    names = {s.names.get("en", ("",))[0]: s.names for s in rows.values()}
    # two stories sharing two whole names: each name is one person across the scripts
    assert names["Peter Dawson"]["ru"] == ("Питер Доусон",) and names["Holly Brandon"]["ru"] == ("Холли Брэндон",)
    # one whole name alone (a bridge story naming the bakery's analyst) ties nothing: Arabic is
    # never tied by its spelling, only by such evidence
    assert "ar" not in names["Nigel Sykes"]
    assert any(s.names == {"ar": ("نايجل سايكس",)} for s in rows.values())
    # "Crumb and Co": a company's name, no one in it
    assert not any("Co" in s.names.get("en", ()) for s in rows.values())


@pytest.mark.parametrize("folder", ["bundled", *sorted(CASTS)])
def test_summaries_merged_an_entity_at_a_time_are_those_merged_at_once(tmp_path: Path, folder: str) -> None:
    """How a build merges the summaries from the shares an index gives entity
    by entity: one entity's at a time, each summary the same as the merge of all."""
    root = BUNDLED_DIR if folder == "bundled" else write_corpus(tmp_path / folder, CASTS[folder])
    corpus = load_corpus(root)
    people, names = _people(root), dict(corpus.speaker_names)
    gazetteer = [asdict(c) for c in load_knowledge(root).cities]
    for partial, whole, by_entity, args in (
        (speaker_partial, speakers_from_partials, speakers_by_entity, (people, names)),
        (city_partial, cities_from_partials, cities_by_entity, (gazetteer,)),
    ):
        rows = sorted((entity, a.id, a.lang, share) for a in corpus.articles for entity, share in partial(a).items())
        one_by_one = list(by_entity(((aid, lang, {e: share}) for e, aid, lang, share in rows), *args))
        at_once = whole(((a.id, a.lang, partial(a)) for a in sorted(corpus.articles, key=lambda a: a.id)), *args)
        assert [x.id for x in one_by_one] == sorted({e for e, *_rest in rows}) and len(one_by_one) >= 3
        assert sorted(one_by_one, key=lambda x: x.id) == sorted(at_once, key=lambda x: x.id)


@pytest.mark.parametrize("folder", ["bundled", *sorted(CASTS)])
def test_a_summary_less_one_article_or_plus_one_is_the_merge_of_the_others(tmp_path: Path, folder: str) -> None:
    """What an update does to a summary an article's change touches: the
    stored state with that article's share taken away gives the light
    summary (names in their order, counts, roles, who speaks) and the state
    of the merge of the other articles' shares, and with it added back those
    of the merge of all. Taking away a guest list's roles, or the first
    article of a name that others write too, cannot be told from the state:
    that one is merged again."""
    root = BUNDLED_DIR if folder == "bundled" else write_corpus(tmp_path / folder, CASTS[folder])
    corpus = load_corpus(root)
    people, names = _people(root), dict(corpus.speaker_names)
    registry = {p["id"]: p for p in people}
    langs = {a.id: a.lang for a in corpus.articles}
    # as the side store keeps them: JSON, in article order
    shares = {a.id: (json.loads(json.dumps(speaker_partial(a))), json.loads(json.dumps(city_partial(a))))
              for a in sorted(corpus.articles, key=lambda a: a.id)}

    def merged(ids: list[str]) -> tuple[dict, dict]:
        who = speakers_from_partials(((i, langs[i], shares[i][0]) for i in ids), people, names)
        where = cities_from_partials(((i, langs[i], shares[i][1]) for i in ids), [])
        return ({s.id: (s.light().to_dict(), json.loads(json.dumps(summary_state(s, langs)))) for s in who},
                {c.id: (c.light().to_dict(), json.loads(json.dumps(summary_state(c, langs)))) for c in where})

    def told_as(result: tuple | None) -> tuple | None:
        return None if result is None or not result[0].n_articles else (result[0].to_dict(), result[1])

    every = sorted(shares)
    all_who, all_where = merged(every)
    told = refused = firsts = 0
    for aid in every:
        rest_who, rest_where = merged([i for i in every if i != aid])
        for sid, share in shares[aid][0].items():
            one = [(aid, langs[aid], share)]
            gone = speaker_delta(sid, all_who[sid][1], one, [], registry.get(sid), names)
            if share["r"]:
                assert gone is None
                refused += 1
                continue
            if gone is None:  # a name's first article went, and others write the name too
                firsts += 1
                assert sid in rest_who and any(
                    (langs[aid], f) in {(lg, g) for lg, g, *_ in rest_who[sid][1]["names"]} for f in share["f"])
            else:
                assert told_as(gone) == rest_who.get(sid)
            if sid in rest_who:
                back = speaker_delta(sid, rest_who[sid][1], [], one, registry.get(sid), names)
                assert back is not None and told_as(back) == all_who[sid]
            told += 1
        for cid, share in shares[aid][1].items():
            one = [(aid, langs[aid], share)]
            gone_place = city_delta(cid, all_where[cid][1], one, [])
            if gone_place is None:
                firsts += 1
            else:
                assert told_as(gone_place) == rest_where.get(cid)
            if cid in rest_where:
                assert told_as(city_delta(cid, rest_where[cid][1], [], one)) == all_where[cid]
            # a changed article that still writes its names: told, whichever came first
            again = city_delta(cid, all_where[cid][1], one, one)
            assert again is not None and told_as(again) == all_where[cid]
    assert told >= 5 and (refused > 0) == any(s["r"] for sh in shares.values() for s in sh[0].values())
    assert firsts > 0 or folder != "bundled"  # 深圳 in 002 and 003: taking 002 away cannot be told
