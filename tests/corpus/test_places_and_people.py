"""Places and people on text nobody here tuned to: the world gazetteer, the
rules per script, disambiguation, and the people recogniser."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpus import Article, Corpus, geo
from corpus.entities import Entities
from corpus.geo import gid_of
from corpus.knowledge import load_knowledge
from corpus.people import PersonFinder
from corpus.places import PlaceFinder
from corpus.yamlio import ConfigError

LONDON, WASHINGTON_DC = "london-2643743", "washington-4140963"


@pytest.fixture(scope="module")
def places() -> PlaceFinder:
    return PlaceFinder(geo.name_table())


@pytest.fixture(scope="module")
def entities() -> Entities:
    return Entities.from_knowledge(load_knowledge())


def versions(tmp_path: Path, **texts: str) -> Corpus:
    """A corpus folder of one article per language (``en="…"``), each
    declared a translation of the others, loaded."""
    from corpus import load_corpus

    for lang, text in texts.items():
        (tmp_path / f"{lang}.txt").write_text(text, encoding="utf-8")
    lines = ["articles:"]
    for lang in texts:
        others = [x for x in texts if x != lang]
        lines.append(f"  - {{id: {lang}, file: {lang}.txt, lang: {lang}" +
                     (f", translations: [{', '.join(others)}]}}" if others else "}"))
    (tmp_path / "briefing.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_corpus(tmp_path)


def version_articles(tmp_path: Path, **texts: str) -> list[Article]:
    """The articles of :func:`versions`, in the order given."""
    corpus = versions(tmp_path, **texts)
    articles = [corpus.article(lang) for lang in texts]
    assert all(a is not None for a in articles)
    return [a for a in articles if a is not None]


def found(places: PlaceFinder, text: str, lang: str) -> list[tuple[str, str]]:
    return [(pid, text[s:e]) for pid, s, e in places.resolve([text], lang)[0]]


@pytest.mark.parametrize(("lang", "text", "form"), [
    ("en", "The talks were held in London on Monday.", "London"),
    ("de", "Die Straßen Londons waren leer.", "Londons"),
    ("ru", "Переговоры прошли в Лондоне в понедельник.", "Лондоне"),
    ("ar", "وعقدت المحادثات بلندن يوم الاثنين.", "بلندن"),
    ("zh", "会谈周一在伦敦举行。", "伦敦"),
])
def test_one_place_in_five_languages_and_its_case_forms(places: PlaceFinder, lang: str, text: str,
                                                         form: str) -> None:
    assert found(places, text, lang) == [(LONDON, form)]


def test_a_name_spelt_only_for_small_places_fits_the_great_one(places: PlaceFinder) -> None:
    # GeoNames gives واشنطن only to small Washingtons; the English name decides.
    assert found(places, "وقالت واشنطن إنها سترد.", "ar") == [(WASHINGTON_DC, "واشنطن")]


def test_common_words_are_not_places(places: PlaceFinder) -> None:
    assert found(places, "Police said the vote was close. Reading the report took an hour.", "en") == []
    assert found(places, "وقف الرجل في الوسط.", "ar") == []  # "stood in the middle": not Boston, not a waqf
    assert found(places, "Как сообщает агентство, Если это так.", "ru") == []
    assert found(places, "Dabei kostet das Essen viel.", "de") == []
    assert found(places, "Meeting in March with Martin Holt.", "en") == []
    # common as the text writes them, though not as the gazetteer spells them: a case form ("of the
    # council", no Soweto), a proclitic ("safely", no Amman), a letter its key merges ("identity", no Huế)
    assert found(places, "Директор Совета независимых школ сказал.", "ru") == []
    assert found(places, "وصلوا بأمان إلى المدينة.", "ar") == []
    assert found(places, "تعمل الشرطة لتحديد هوية الرجل.", "ar") == []
    # but a famous place's name is its name, though GeoNames spells an obscure namesake so (Mesquite, Texas)
    assert found(places, "وقال مسؤولون في موسكو إن المحادثات جيدة.", "ar") == [("moscow-524901", "موسكو")]
    # a great city's name, far more frequent in Arabic news than in English, is the city beside its country,
    # and a name's own mentions are no such country: "the Korean peninsula" twice names no Algiers
    assert found(places, "وصل الوفد إلى دمشق قادما من سوريا.", "ar") == [
        ("damascus-170654", "دمشق"), ("syria-163843", "سوريا")]
    assert found(places, "وصل الوفد إلى دمشق يوم الأحد.", "ar") == []
    assert places.resolve(["نزع السلاح في شبه الجزيرة الكورية.", "مستقبل شبه الجزيرة الكورية."], "ar") == [[], []]


def test_names_inside_other_names_are_not_places(places: PlaceFinder) -> None:
    text = "Paris Hilton spoke to the Washington Examiner at the University of Maryland."
    assert found(places, text, "en") == []
    # one sense per article: Baldwin is Dan Baldwin's name, not Baldwin, New York
    assert places.resolve(["Her husband Dan Baldwin was there.", "Baldwin said nothing."], "en") == [[], []]


def test_han_names_end_on_word_boundaries_and_are_places_to_jieba(places: PlaceFinder) -> None:
    assert found(places, "他毕业于中山大学。", "zh") == []  # a university
    assert found(places, "要打通两座城市。", "zh") == []  # 打通 is a verb, not Datong
    assert found(places, "王桂林表示。", "zh") == []  # a person: 王 + 桂林


def test_disambiguation_by_size_and_by_the_article_s_countries(places: PlaceFinder) -> None:
    assert found(places, "Talks with Georgia went on.", "en")[0][0] == "georgia-614540"  # the country
    paragraphs = ["The storm reached Atlanta and Savannah.", "Georgia declared an emergency."]
    assert places.resolve(paragraphs, "en")[1][0][0] == "georgia-4197000"  # the US state, beside Atlanta
    both = found(places, "Ash fell on Mexico City, the capital of Mexico.", "en")
    assert both == [("mexico-city-3530597", "Mexico City"), ("mexico-3996063", "Mexico")]


def test_a_pinned_name_is_that_place(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Georgia voted.\n", encoding="utf-8")
    (tmp_path / "overrides.yaml").write_text("places:\n  pin: {Georgia: 4197000}\n", encoding="utf-8")
    knowledge = load_knowledge(tmp_path)
    assert knowledge.pins == {"Georgia": 4197000}
    finder = PlaceFinder(geo.name_table(), pins=knowledge.pins)
    assert found(finder, "Talks with Georgia went on.", "en")[0][0] == "georgia-4197000"


def test_a_bad_pin_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "overrides.yaml").write_text("places:\n  pin:\n    Georgia: somewhere\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"overrides.yaml:3: pin 'Georgia' must be a GeoNames id"):
        load_knowledge(tmp_path)


def test_place_facts_come_from_the_compiled_gazetteer() -> None:
    info = geo.PlaceInfo()
    london = info.place(2643743)
    assert london is not None and (london.kind, london.country) == ("city", "GB") and london.population > 8_000_000
    assert round(london.lat) == 52 and round(london.lon) == 0
    assert "伦敦" in info.names(2643743)["zh"] and "Лондон" in info.names(2643743)["ru"]
    china = info.place(1814991)
    assert china is not None and china.kind == "country" and "中国" in info.names(1814991)["zh"]
    info.close()


def people_in(entities: Entities, texts: list[str], lang: str) -> list[list[tuple[str, bool]]]:
    finder = entities.persons
    assert isinstance(finder, PersonFinder)
    return [[(n.text, n.speaks) for n in ns] for ns in finder.article(texts, lang)]


def test_organisations_places_and_titles_are_not_people(entities: Entities) -> None:
    text = ("The Supreme Court heard the case, the Associated Press reported. Prime Minister Zoran Zaev "
            "said the vote in Baton Rouge mattered.")
    assert people_in(entities, [text], "en") == [[("Zoran Zaev", True)]]
    assert people_in(entities, ["Letztes Jahr begann die Anhörung von Brett Kavanaugh."], "de") == [
        [("Brett Kavanaugh", False)]]
    # a news agency; "the" before capitals names a thing, though a title or a word of the language may
    # stand between it and a name
    texts = ["The vote was close, according to Reuters.", '"We will help," the Red Cross said.',
             "He met the Democrat Joe Biden, who said no.", '"No," said the Rev. John Smith.']
    assert people_in(entities, texts, "en") == [[], [], [("Joe Biden", True)], [("John Smith", True)]]


def test_german_nouns_are_not_people_and_names_keep_their_surnames(entities: Entities) -> None:
    texts = ["Obwohl viele vertrieben wurden, wurde kein nationaler Notstand erklärt, sagte die Regierung.",
             "Ein der Labour Party angehörendes Nationalversammlungsmitglied sagte, seine Gruppe sei besorgt.",
             "Geschäftsführer Mike Coupe sagte am Montag, die Zahlen seien gut.",
             "Die Kanzlerin Angela Merkel besuchte am Montag die Stadt und sprach lange.",
             "Der mazedonische Präsident Gjorge Ivanov, ein Gegner der Abstimmung, sagte, er werde fernbleiben.",
             "Früher habe es an jeder Ecke eine Bar gegeben, sagte Adams. Merriweather sagte, er gehe.",
             "Die Sanktionen blieben bis zur Denuklearisierung Nordkoreas in Kraft, sagte er.",
             "Er traf, nachdem Kyle Rowe David Armstrongs Boxkick abgefangen hatte."]
    # nouns by morphology (a compound no list holds too); Coupe, a noun alone, is a surname after Mike;
    # Merkel, far more frequent in German than in English, is no noun; nor is Gjorge (HanTa's guess: Gjorg + e)
    # a surname beside a speech word, though small towns bear it (Adams); a word no dictionary has
    # that opens the sentence before one (Merriweather)
    # a noun made from a verb (Denuklearisierung) before a country's genitive; two names side by side, each
    # a given name and a surname
    assert people_in(entities, texts, "de") == [[], [], [("Mike Coupe", True)], [("Angela Merkel", False)],
                                                [("Gjorge Ivanov", True)], [("Adams", True), ("Merriweather", True)],
                                                [], [("Kyle Rowe", False), ("David Armstrongs", False)]]


def test_who_speaks_and_who_is_only_named(entities: Entities) -> None:
    texts = ["Holly Willoughby quit the brand founded with Peter Jones.",
             "Willoughby told ITV she was sorry. Jones wrote nothing."]
    assert people_in(entities, texts, "en") == [
        [("Holly Willoughby", False), ("Peter Jones", False)],
        [("Willoughby", True), ("Jones", True)],
    ]
    # one name known from its speech alone, capitalised all through the article
    assert people_in(entities, ["Trump said the talks went well.", "The talks were with Trump."], "en") == [
        [("Trump", True)], []]


def test_russian_case_forms_carry_one_id(entities: Entities, tmp_path: Path) -> None:
    article = versions(tmp_path, ru="Встреча с Дональдом Трампом прошла в Сингапуре.\n\nТрамп заявил, что доволен.\n"
                       ).article("ru")
    assert article is not None
    first, second = article.paragraphs[0], article.paragraphs[1]
    named = dict((form, sid) for sid, form in first.named)
    quoted = dict((form, sid) for sid, form in second.quotes)
    assert named["Дональдом Трампом"] == quoted["Трамп"]
    assert first.cities == ("singapore-1880252",)


def test_a_speech_word_after_common_words_quotes_nobody(tmp_path: Path) -> None:
    article = versions(tmp_path, de=(
        "Schwein greift Mann an\n\nEin Marktmanager sagte der Zeitung, das Tier sei eingesperrt worden.\n\n"
        "Eine Quelle sagte, die Polizei ermittle.\n\nSun Jianguo sagte, er sei entsetzt.\n")).article("de")
    assert article is not None
    # the grammar's "X sagte" gives no one's words where X is only common words; a rarer name stays
    assert [[form for _sid, form in p.quotes] for p in article.paragraphs[1:]] == [[], [], ["Sun Jianguo"]]


def test_chinese_names_in_the_middle_dot_form(entities: Entities) -> None:
    assert people_in(entities, ["明星人物皮特·琼斯火冒三丈。霍莉·威洛比表示遗憾。"], "zh") == [
        [("皮特·琼斯", False), ("霍莉·威洛比", True)]]
    # two names in one stretch of dots part where the letters between them are no name's; a name part
    # of letters rare in place names (格温妮丝) is whole; a people's name (墨西哥人) is no person
    assert people_in(entities, ["电视主持人霍莉·威洛比退出与皮特·琼斯的品牌。", "被比作是格温妮丝·帕特罗经营的品牌。",
                                "它警告墨西哥人周六要远离该火山。"], "zh") == [
        [("霍莉·威洛比", False), ("皮特·琼斯", False)], [("格温妮丝·帕特罗", False)], []]
    # a word of the dictionary that is no name ends a name part, though its letters are transliteration
    # letters: "including", "goalkeeper", "at his feet"
    assert people_in(entities, ["其中包括佐兰·扎埃夫在内的官员表示反对。", "门将马修·赖恩扑出了点球。",
                                "球落在勒鲁瓦·萨内脚下。"], "zh") == [
        [("佐兰·扎埃夫", True)], [("马修·赖恩", False)], [("勒鲁瓦·萨内", False)]]


def test_initials_and_long_runs_of_titles(entities: Entities) -> None:
    texts = ["It was first played by a black musician, Dionisio A. Lind, who later moved to a larger church.",
             "It cannot be trusted, North Korean Foreign Minister Ri Yong Ho says of the talks with the US."]
    assert people_in(entities, texts, "en") == [[("Dionisio A. Lind", False)], [("Ri Yong Ho", True)]]


def test_a_caption_label_that_is_a_word_is_no_speaker() -> None:
    from corpus.paragraphs import looks_like_name

    assert looks_like_name("胡刚") and looks_like_name("李清泉")  # names jieba does not know as words
    assert not looks_like_name("观赛")  # "watching the match:", a photo caption's label
    assert not looks_like_name("伦敦德里")  # Londonderry, a headline's place: two places' names run together


def test_places_carried_between_versions_by_name_and_by_sound(tmp_path: Path) -> None:
    """An English report and its Chinese version: 纽约 is New York (GeoNames
    spells it only in traditional characters, 紐約), and 伯肯黑德, which no
    gazetteer name spells, is Birkenhead where the aligned English paragraph
    names it; 的 and 于 beside it are no part of it."""
    en, zh = version_articles(
        tmp_path,
        en="Police appeal after a death\n\n"
           "A woman was found dead in Birkenhead on Monday, police said, and officers from New York helped.\n\n"
           "Detectives asked anyone who was near John Street to call them.\n",
        zh="警方就一起死亡事件发出呼吁\n\n"
           "警方表示，周一在伯肯黑德的一处住宅发现一名女子死亡，来自纽约的警员提供了协助。\n\n"
           "侦探请求任何曾在约翰街附近的人与他们联系。\n")
    birkenhead = next(c for c in en.paragraphs[1].cities if c.startswith("birkenhead-"))
    p = zh.paragraphs[1]
    assert {p.text[s:e]: cid for cid, s, e in p.mentions} == {
        "伯肯黑德": birkenhead, "纽约": "new-york-city-5128581"}
    assert p.carried == (birkenhead,)  # found through the English version only


def test_a_place_named_by_its_own_name_before_a_namesake_s_other_spelling(places: PlaceFinder) -> None:
    """GeoNames spells Haarlem (162,000 people) "Harlem" too; Harlem is the
    own name of the neighbourhood of New York (116,000). Russian Гарлем is
    either's, and the larger wins."""
    assert found(places, "Churches in Harlem grew.", "en") == [("harlem-5120034", "Harlem")]
    assert found(places, "Церкви в Гарлеме росли.", "ru") == [("haarlem-2755003", "Гарлеме")]


def test_the_versions_of_an_article_read_an_ambiguous_name_one_way(tmp_path: Path) -> None:
    """The English version names Harlem by its own name, the Russian one by
    a spelling that fits Haarlem better: one reading for both, the one that
    a version names by its own name."""
    en, ru = version_articles(
        tmp_path,
        en="Churches of a neighbourhood\n\nThe old churches of Harlem were sold on Monday, the diocese said.\n",
        ru="Церкви района\n\nСтарые церкви Гарлема были проданы в понедельник, сообщила епархия.\n")
    assert en.paragraphs[1].cities == ru.paragraphs[1].cities == ("harlem-5120034",)
    assert ru.paragraphs[1].renamed == (("harlem-5120034", "haarlem-2755003"),)  # as the article alone read it


def test_a_name_that_sounds_like_the_other_version_s_place_is_read_as_it(tmp_path: Path) -> None:
    """圣地亚哥 is Santiago to the gazetteer, and San Diego in Chinese news
    too: beside San Diego in the English version, it is San Diego."""
    en, zh = version_articles(
        tmp_path,
        en="Storm nears the coast\n\nA fisherman told a television station in San Diego that the waves were high.\n",
        zh="风暴逼近海岸\n\n一名渔民告诉圣地亚哥的一家电视台，海浪很高。\n")
    assert en.paragraphs[1].cities == zh.paragraphs[1].cities == ("san-diego-5391811",)


def test_a_short_name_is_carried_only_where_one_word_alone_sounds_like_it(tmp_path: Path) -> None:
    """Palu (PL) is too short to be carried on a near sound; 巴鲁, the one
    word of the aligned paragraph that sounds exactly so, is Palu."""
    en, zh = version_articles(
        tmp_path,
        en="Quake strikes Indonesia\n\nRescuers reached Palu on Sunday, officials in Jakarta said.\n",
        zh="印尼发生地震\n\n雅加达官员表示，救援人员周日抵达巴鲁。\n")
    palu = next(c for c in en.paragraphs[1].cities if c.startswith("palu-"))
    p = zh.paragraphs[1]
    assert {p.text[s:e]: cid for cid, s, e in p.mentions}.get("巴鲁") == palu


def test_arabic_names_after_titles_and_speech_words(entities: Entities) -> None:
    texts = ["والشهادة التي قدمتها السيدة كريستين بلازي فورد التي اتهمت المرشح.",
             "وأخبرت فورد اللجنة القضائية في مجلس الشيوخ.",  # the surname alone, after a feminine speech word
             "وقال الرئيس الأمريكي دونالد ترامب إن المحادثات جيدة.",  # the title's adjective skipped
             "قال مسؤول أمريكي إن المحادثات جيدة.",  # an official: common words, no one's name
             "قال فليك إنه سيصوت، ثم أعلن ميريويزر وخليفته تحقيقًا.",  # "and his successor", "an inquiry" end names
             "ورئيس مجلس الإدارة والرئيس التنفيذي لشركة Jiadu Technology",  # "of the company" after a title
             "لذا فإن الرئيس سيسافر إلى أكبر عدد ممكن من الولايات.",  # "will travel", after a title
             "وقال الرئيس ستيفن لوفين إن الوضع صعب."]  # a name that starts as a future verb would
    assert people_in(entities, texts, "ar") == [
        [("كريستين بلازي فورد", False)], [("فورد", True)], [("دونالد ترامب", True)], [],
        [("فليك", True), ("ميريويزر", True)], [], [], [("ستيفن لوفين", True)]]


def test_first_names_and_shared_surnames_within_an_article(entities: Entities) -> None:
    from corpus.people import PersonFinder

    finder = entities.persons
    assert isinstance(finder, PersonFinder)
    texts = ["President Joko Widodo visited the coast, where Reverend David Johnson and John Howard Johnson met him.",
             "Joko said aid would come. Johnson said the church would help."]
    got = [[(n.text, n.of) for n in ns] for ns in finder.article(texts, "en")]
    # a first name alone is the one full name it opens; a surname two full names share is neither's,
    # and no third person either ("Johnson said" names no one for sure)
    assert got == [[("Joko Widodo", ""), ("David Johnson", ""), ("John Howard Johnson", "")],
                   [("Joko", "Joko Widodo")]]
    # German genitive: Holly Willoughbys is Holly Willoughby where the article names her so
    texts = ["Holly Willoughby verlässt die Firma.",
             "Holly Willoughbys Entscheidung kam am Montag, Willoughbys Firma schwieg."]
    got = [[(n.text, n.of) for n in ns] for ns in finder.article(texts, "de")]
    assert got == [[("Holly Willoughby", "")],
                   [("Holly Willoughbys", "Holly Willoughby"), ("Willoughbys", "Holly Willoughby")]]


def test_short_skeletons_must_sound_the_same() -> None:
    from corpus.sound import sounds_alike

    assert sounds_alike("Trump", "特朗普") and sounds_alike("Willoughby", "ويلوبي")
    assert sounds_alike("Sumbung", "سومبونج")  # Arabic نج for -ng
    assert not sounds_alike("Johnson", "Джонс")  # 86 % alike, two people
    # English as other scripts hear it: soft g, th as s, w as a vowel; the parts of a double-barrelled name
    assert sounds_alike("Giles", "جايلز") and sounds_alike("Merriweather", "ميريويزر")
    assert sounds_alike("Merriweather", "Мерриуэзера") and sounds_alike("Paltrow", "بالترو")
    assert sounds_alike("Paul Mills-Hicks", "بول ميلز هيكس")
    assert not sounds_alike("Giles", "Kyle")


def world(entities: Entities) -> PlaceFinder:
    assert entities.places is not None
    return entities.places


def test_a_small_town_s_name_that_clips_a_longer_name_of_the_article_is_its_nickname(entities: Entities) -> None:
    """Шак is Sciacca, an Italian town, to GeoNames; in an article that
    names Джердана Шакири and Italy, "игроки, как Шак" are players like
    Shaqiri. A case ending (Ливингстоне) or a region (Derbyshire) that
    opens with a town's name leaves the town a place."""
    places = world(entities)
    texts = ["«Наполи» из Италии сыграл с Ливерпулем, где забил Джердан Шакири.",
             "Такие игроки, как Шак, всегда идут вперёд."]
    got = places.resolve(texts, "ru")
    assert [[t[s:e] for _pid, s, e in ms] for t, ms in zip(texts, got, strict=True)] == [["Италии", "Ливерпулем"], []]
    derby = found(places, "Derby is the largest city in Derbyshire, England.", "en")
    assert [form for _pid, form in derby] == ["Derby", "Derbyshire", "England"]


def test_a_place_in_an_organisation_s_or_a_building_s_name_is_not_the_place(entities: Entities) -> None:
    places = world(entities)
    # the words after it (or, in Arabic, before it) are knowledge/cues.yaml's organisations
    assert found(places, "Er spielte zuletzt in der Riverside Church in New York.", "de") == [
        ("new-york-city-5128581", "New York")]
    assert found(places, "Er studierte an der Louisiana State University.", "de") == []
    assert found(places, "Liverpool gewann im Londoner Stamford-Bridge-Stadion.", "de") == [
        ("liverpool-2644210", "Liverpool")]
    assert found(places, "他曾演奏过 Riverside 教堂中更大的编钟。", "zh") == []
    assert found(places, "贵阳晚报引述其表兄的话说。", "zh") == []
    assert found(places, "درست في جامعة ميشيغان.", "ar") == []
    # a word that names the place's own kind leaves it the place
    assert found(places, "Regen breitet sich in die Four-Corners-Region aus.", "de") == [
        ("four-corners-7259780", "Four-Corners")]
    # Baja California is the Mexican state (ISO 3166-2), not California
    assert found(places, "Die Halbinsel Baja California liegt in Mexiko.", "de") == [
        ("baja-california-916985688", "Baja California"), ("mexico-3996063", "Mexiko")]
    # Arabic writes the kind first: مدينة ("city") is no Medina, and no one name with New York after it
    assert found(places, "قد تصل الحرارة في مدينة نيويورك إلى 80 درجة.", "ar") == [
        ("new-york-city-5128581", "نيويورك")]


def test_a_small_town_abroad_named_alone_is_no_place(entities: Entities) -> None:
    places = world(entities)
    # Argos (Greece) and Vichy (France) are brands in an article whose places are British
    text = "Sainsbury's put Argos outlets and Vichy skincare in its stores in London and Birmingham."
    assert [form for _pid, form in found(places, text, "en")] == ["London", "Birmingham"]
    # after a locative word, or beside its own country, a town is itself
    assert [form for _pid, form in found(places, "A festival in Argos drew crowds from London.", "en")] == [
        "Argos", "London"]
    assert [form for _pid, form in found(places, "In Vichy the summer is quiet.", "en")] == ["Vichy"]
    assert [form for _pid, form in found(places, "Vichy is quiet, France is not.", "en")] == ["Vichy", "France"]
    # alone, with nothing in the article to place it, it is a word (a club, a collection, a nickname)
    assert found(places, "Vichy is quiet this summer.", "en") == []
    assert found(places, "Melrose made their numbers tell.", "en") == []


def test_a_word_of_a_name_carried_from_another_version_is_no_place(tmp_path: Path) -> None:
    """The Arabic recogniser alone does not see هولي ويلوبي as a person; the
    English version does, carries her over, and ويلوبي (a town in
    Australia to the gazetteer) is then no place in the Arabic either."""
    ar = versions(
        tmp_path,
        en="Peter Jones fumes as Holly Willoughby quits\n\n"
           "Holly Willoughby has left the firm, a spokesman for Peter Jones said.\n",
        ar="بيتر جونز يستشيط غضبا بعد انسحاب هولي ويلوبي\n\n"
           "غادرت هولي ويلوبي الشركة، بحسب متحدث باسم بيتر جونز.\n").article("ar")
    assert ar is not None
    assert [p.cities for p in ar.paragraphs] == [(), ()]
    assert any("ويلوبي" in form for p in ar.paragraphs for _sid, form in (*p.named, *p.quotes))


def test_features_brands_and_small_places_are_not_people(entities: Entities) -> None:
    # a name beside a volcano's or a storm's word (knowledge/cues.yaml's features), in any case form
    assert people_in(entities, ["Ash from the Popocatepetl volcano reached the city, Maria Lopez said."], "en") == [
        [("Maria Lopez", True)]]
    assert people_in(entities, ["Die Asche des Vulkans Popocatepetl erreichte die Stadt, sagte Maria Lopez."],
                     "de") == [[("Maria Lopez", True)]]
    assert people_in(entities, ["Пепел вулкана Попокатепетль достиг города, заявил Иван Петров."], "ru") == [
        [("Иван Петров", True)]]
    assert people_in(entities, ["قال بركان بوبوكاتبتيل شيئا، وقال جيف فليك إنه قلق."], "ar") == [
        [("جيف فليك", True)]]
    # a word with a capital inside it is a brand's, unless it opens with a name's particle
    assert people_in(entities, ["Brands such as Dr. PawPaw arrive, Jane McDonald and Ron DeSantis said."], "en") == [
        [("Jane McDonald", False), ("Ron DeSantis", True)]]
    # in German, a common noun inside a run of capitals ends the name before it (Marke: her brand)
    assert people_in(entities, ["Es wurde mit Gwyneth Paltrows Marke Goop verglichen, sagte Holly Willoughby."],
                     "de") == [[("Gwyneth Paltrows", False), ("Holly Willoughby", True)]]
    # and after a genitive, so does a noun that is also a given name somewhere (Tor: his goal, not a name)
    assert people_in(entities, ["Mengas Abgabe führte Scott Pittman zu Allan McGregors Tor, sagte Steven Gerrard."],
                     "de") == [[("Scott Pittman", False), ("Allan McGregors", False), ("Steven Gerrard", True)]]
    # a name followed by its country or region is a small place ("Punta Eugenia, Mexico")
    assert people_in(entities, ["The storm is 385 miles south of Punta Eugenia, Mexico, officials said."], "en") == [
        []]
    # a Chinese title followed by a name is that name's: the word before it is a country, not a person
    assert people_in(entities, ["马其顿总统奥尔盖•伊万诺夫反对公投，他表示。"], "zh") == [[("奥尔盖•伊万诺夫", True)]]


def test_a_transliterated_name_the_latin_version_gives_no_person_is_no_one(tmp_path: Path) -> None:
    """The Arabic recogniser reads سينسبري after a speech word as a person;
    the English version spells it Sainsbury's and names no person so, so it
    is the shop. Mike Coupe, a person in both, stays."""
    ar = versions(
        tmp_path,
        en="Shop sales rise\n\nSainsbury's said its sales rose in the spring.\n\n"
           "Mike Coupe said the shops would stay open.\n",
        ar="ارتفاع مبيعات المتاجر\n\nقالت سينسبري إن مبيعاتها ارتفعت في الربيع.\n\n"
           "قال مايك كوب إن المتاجر ستبقى مفتوحة.\n").article("ar")
    assert ar is not None
    assert [[form for _sid, form in (*p.quotes, *p.named)] for p in ar.paragraphs] == [[], [], ["مايك كوب"]]


def test_a_surname_alone_is_the_one_full_name_the_versions_give(tmp_path: Path) -> None:
    """The Arabic rules do not read the heading's دانييل ستوريدج (no speech
    word stands beside it); the English version carries it in, and then
    the surname alone that the Arabic found (after وأخبر) is his too."""
    ar = versions(
        tmp_path,
        en="Watch: Liverpool's Daniel Sturridge scores late\n\nSturridge received a pass from Xherdan Shaqiri.\n\n"
           "Sturridge told the club website that he had been trying.\n",
        ar="شاهد: دانييل ستوريدج لاعب ليفربول يحرز هدفا متأخرا\n\nتلقى ستوريدج تمريرة من شيردان شاكيري.\n\n"
           "وأخبر ستوريدج موقع النادي أنه كان يحاول.\n").article("ar")
    assert ar is not None
    ids = {sid for p in ar.paragraphs for sid, form in (*p.quotes, *p.named) if "ستوريدج" in form}
    assert ids == {"unknown:daniel sturridge"}
    assert ar.paragraphs[2].quotes == (("unknown:daniel sturridge", "ستوريدج"),)


def test_a_bracketed_form_of_a_speaker_is_kept_as_theirs(tmp_path: Path) -> None:
    zh = versions(tmp_path, zh="切尔西取胜\n\n埃登·哈扎德（Eden Hazard）表示，球队踢得很好。\n").article("zh")
    assert zh is not None
    quotes = zh.paragraphs[1].quotes
    assert [form for _sid, form in quotes] == ["埃登·哈扎德", "Eden Hazard"] and len({sid for sid, _ in quotes}) == 1


def test_nicknames_korean_names_and_initials(entities: Entities) -> None:
    # a name that a pair of quotation marks holds alone is a nickname or a title, in any language
    assert people_in(entities, ['The volcano known as "Don Goyo" has been active since 1994, Maria Lopez said.'],
                     "en") == [[("Maria Lopez", True)]]
    assert people_in(entities, ["Der als „Don Goyo“ bekannte Vulkan ist aktiv, sagte Maria Lopez."], "de") == [
        [("Maria Lopez", True)]]
    # a village that shares a surname (Kim, a town in India) stays at the head of a name
    assert people_in(entities, ["He met Kim Jong Un in Singapore."], "en") == [[("Kim Jong Un", False)]]
    # an English given name that is also a function word is a name where its capital is not the sentence's
    assert people_in(entities, ["LSU basketball coach Will Wade said the team is devastated.",
                                "In this context The Welsh letter w is pronounced differently."], "en") == [
        [("Will Wade", True)], []]
    # a title-case headline says nothing by its capitals; a sentence with only short lower-case words is none
    assert people_in(entities, ["Indonesia Tsunami and Quake Devastate an Island, Killing Hundreds"], "en") == [[]]
    assert people_in(entities, ['It was the "Golden Girl" of TV, said Peter Jones.'], "en") == [
        [("Peter Jones", True)]]
    # an initial inside a Latin name in Chinese text is no English gloss
    assert people_in(entities, ["编钟将由一位黑人音乐家，即 Dionisio A. Lind 演奏。"], "zh") == [
        [("Dionisio A. Lind", False)]]


def test_the_grammar_s_short_form_is_the_recogniser_s_whole_name(tmp_path: Path) -> None:
    """"Minister Ri Yong Ho says": the attribution grammar reads two words
    before the speech word (Yong Ho); the recogniser's whole name wins."""
    from corpus import load_corpus

    (tmp_path / "a.txt").write_text(
        "Talks stall\n\nNorth Korean Foreign Minister Ri Yong Ho says his nation will never disarm first.\n\n"
        "Ri says sanctions are a pipe dream.\n", encoding="utf-8")
    a = load_corpus(tmp_path).articles[0]
    assert [p.quotes for p in a.paragraphs[1:]] == [(("unknown:ri yong ho", "Ri Yong Ho"),),
                                                    (("unknown:ri yong ho", "Ri"),)]


def test_a_word_the_arabic_writes_with_the_article_is_carried_as_no_name(tmp_path: Path) -> None:
    """Giles (GLS) sounds like قرش (a shark); the Arabic article also writes
    القرش, a common noun, so the English name is not carried onto it, while
    جايلز, a name, is."""
    ar = versions(
        tmp_path,
        en="Shark bites boy\n\nA shark bit a boy, lifeguard Larry Giles said.\n\nGiles said the shark left.\n",
        ar="قرش يعض صبيا\n\nعض قرش صبيا، وفق المنقذ.\n\nوأضاف جايلز أن القرش غادر.\n").article("ar")
    assert ar is not None
    assert [[form for _sid, form in (*p.quotes, *p.named)] for p in ar.paragraphs] == [[], [], ["جايلز"]]


def test_a_town_named_for_an_organisation_is_theirs_in_the_whole_article(entities: Entities) -> None:
    places = entities.places  # with cues.yaml's organisations and buildings
    assert places is not None

    def listed(texts: list[str], lang: str) -> list[list[str]]:
        return [[t[s:e] for _pid, s, e in ms] for t, ms in zip(texts, places.resolve(texts, lang), strict=True)]

    # a church named for a town: the town's name alone is the church, unless a locative word says "there"
    assert listed(["The Riverside Church is old.", "Riverside rang its bells.", "Crowds gathered in Riverside."],
                  "en") == [[], [], ["Riverside"]]
    # a capital named by a newspaper is still the capital
    assert listed(["The Washington Post reported it.", "Washington denied it."], "en") == [[], ["Washington"]]
    # a saint's name with 's is a church's (or a hospital's, a school's)
    assert listed(["St. Martin's was rebuilt after the fire in London."], "en") == [["London"]]
    # in Arabic, a building's word before the name: قصر وستمنستر, the Palace of Westminster
    assert listed(["يقف التمثال خارج قصر وستمنستر في لندن."], "ar") == [["لندن"]]


def test_country_names_in_everyday_use(entities: Entities) -> None:
    """countries.yaml adds the short names CLDR leaves out: found as the
    world gazetteer's names are, acronyms only in capitals and not as the
    first part of a compound."""
    places = entities.places
    assert places is not None

    def listed(text: str, lang: str) -> list[tuple[str, str]]:
        return [(pid, text[s:e]) for pid, s, e in places.resolve([text], lang)[0]]

    us, uk = "united-states-6252001", "united-kingdom-2635167"
    assert listed("Officials in Britain said the UK and the U.S. agreed. Let Us go; tell us.", "en") == [
        (uk, "Britain"), (uk, "UK"), (us, "U.S.")]
    assert listed("Die Kaution lag bei 350.000 US-Dollar, bevor er Großbritannien und die USA verließ.", "de") == [
        (uk, "Großbritannien"), (us, "USA")]
    assert listed("Он прилетел из Британии в США.", "ru") == [(uk, "Британии"), (us, "США")]
    assert listed("وصل من بريطانيا إلى أمريكا.", "ar") == [(uk, "بريطانيا"), (us, "أمريكا")]


def test_a_bad_country_code_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "countries.yaml"
    bad.write_text("US:\n  en: [America]\nBritain:\n  en: [UK]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"countries.yaml:3: 'Britain' is no ISO 3166 country code"):
        geo.curated_countries(bad)
    bad.write_text("US:\n  fr: [Amérique]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"countries.yaml:2: unknown key 'fr' in country US"):
        geo.curated_countries(bad)


def test_an_arabic_title_before_its_place_and_not_a_relative_pronoun(entities: Entities) -> None:
    # رئيس كوريا الجنوبية: the president of South Korea, in the construct state, before the name
    assert people_in(entities, ["وقال رئيس كوريا الجنوبية مون جاي إنه سعيد."], "ar") == [[("مون جاي", True)]]
    # السيدة التي تبلغ 44 عامًا: "the lady who is 44", no name after the title
    assert people_in(entities, ["وتم العثور على السيدة التي تبلغ 44 عامًا في الصباح."], "ar") == [[]]


def test_an_arabic_name_before_a_title_in_apposition_and_a_surname_in_an_organisation(entities: Entities) -> None:
    # قال مايك كوب، المدير التنفيذي: a title set after the name makes it one, though its words are not rare
    assert people_in(entities, ["وقال مايك كوب، المدير التنفيذي للشركة، إن المتاجر ستتغير."], "ar") == [
        [("مايك كوب", True)]]
    assert people_in(entities, ["وقال ترامب، الذي زار المدينة، إنه سعيد."], "ar") == [[]]
    # a surname inside an organisation's name is not its person (the Cromwell Society)
    assert people_in(entities, ["Oliver Cromwell ruled.", "John Goldsmith, chairman of the Cromwell Society, said so."],
                     "en") == [[("Oliver Cromwell", False)], [("John Goldsmith", True)]]


def test_an_arabic_name_before_the_word_city_is_that_city(entities: Entities) -> None:
    places = world(entities)

    def listed(text: str) -> list[tuple[str, str]]:
        return [(pid, text[s:e]) for pid, s, e in places.resolve([text], "ar")[0]]

    # a gazetteer name (كانساس) or a word that sounds like one "X City" of GeoNames (مكسيكو), before سيتي
    assert listed("سافر إلى كانساس سيتي ثم إلى مكسيكو سيتي.") == [
        ("kansas-city-4393217", "كانساس سيتي"), ("mexico-city-3530597", "مكسيكو سيتي")]
    assert listed("فاز مانشستر سيتي على ليستر سيتي.") == []  # football clubs: no "X City" sounds so


def test_a_name_inside_a_quotation_is_not_its_speaker(entities: Entities) -> None:
    assert people_in(entities, ['John Goldsmith said: "It was inevitable that the figure of Oliver Cromwell would '
                                'become a target."'], "en") == [[("John Goldsmith", True), ("Oliver Cromwell", False)]]
    assert people_in(entities, ["Patrick Morrisey trails. «It is not a good sign for Patrick Morrisey», Trump "
                                "said."], "en") == [[("Patrick Morrisey", False), ("Patrick Morrisey", False),
                                                     ("Trump", True)]]


def test_one_name_before_a_title_in_apposition_speaks(entities: Entities) -> None:
    # one word, then an apposition a title opens, then the speech word: the word is the person who speaks
    assert people_in(entities, ["Sutopo, Sprecher der Katastrophenschutzbehörde, sagte, die Lage sei ernst."],
                     "de") == [[("Sutopo", True)]]
    assert people_in(entities, ["Сутопо, представитель агентства, заявил, что помощь нужна."], "ru") == [
        [("Сутопо", True)]]
    # a place before an apposition stays a place
    assert people_in(entities, ["London, the capital, said nothing."], "en") == [[]]
    # a full name, then an apposition that names the title's organisation: the full name speaks
    assert people_in(entities, ["Майк Куп, президент Сейнсбери, говорит, что магазины изменятся."], "ru") == [
        [("Майк Куп", True), ("Сейнсбери", False)]]
    assert people_in(entities, ["Mike Coupe, chief executive of Sainsbury, said the shops would change."],
                     "en") == [[("Mike Coupe", True), ("Sainsbury", False)]]
    # two names with no title between them: the nearer speaks
    assert people_in(entities, ["John Smith, Anna Jones, said nothing."], "en") == [
        [("John Smith", False), ("Anna Jones", True)]]


def test_an_abbreviated_title_does_not_end_the_sentence(entities: Entities) -> None:
    # the dot of "St." ends no sentence: the quotation belongs to the subject before it
    assert people_in(entities, ["Reverend David Johnson, Nachfolger in St. Martin's, bezeichnete das Glockenspiel "
                                "stolz als „die Glocken der Armen“."], "de") == [[("David Johnson", True)]]


def test_a_full_name_and_its_surname_in_one_paragraph_keep_the_full_name(tmp_path: Path) -> None:
    """"Capt. Larry Giles said ... Giles added": the grammar's quote is the
    whole name, not the surname alone that the same paragraph also gives."""
    from corpus import load_corpus

    (tmp_path / "a.txt").write_text(
        "Shark attack\n\nLifeguard Capt. Larry Giles said a shark had been seen in the area. "
        "Giles added the victim was hurt.\n", encoding="utf-8")
    a = load_corpus(tmp_path).articles[0]
    assert a.paragraphs[1].quotes[0] == ("unknown:larry giles", "Larry Giles")


def test_a_full_name_is_carried_around_the_surname_the_version_found_alone(tmp_path: Path) -> None:
    """The Arabic rules find جايلز alone (after وأضاف), not the full name after
    a role (قال حارس الإنقاذ لاري جايلز); the English version carries the full
    name in, and the surname alone is his."""
    ar = versions(
        tmp_path,
        en="Shark attack\n\nLifeguard Capt. Larry Giles said a shark had been seen in the area. "
           "Giles added the victim was hurt.\n",
        ar="هجوم قرش\n\nقال حارس الإنقاذ لاري جايلز إنه تم رصد سمكة قرش في المنطقة. وأضاف جايلز بأن الضحية أصيب.\n",
    ).article("ar")
    assert ar is not None
    forms = {(sid, form) for sid, form in ar.paragraphs[1].quotes}
    assert forms == {("unknown:larry giles", "لاري جايلز"), ("unknown:larry giles", "جايلز")}


def test_a_place_the_gazetteer_does_not_know_is_named_with_its_country(places: PlaceFinder) -> None:
    """News names a small place with its region or country: the name before
    the comma (or the brackets) is a place of that country, though GeoNames'
    cities of 15,000 do not list it. Lists, a person and his state, common
    words and acronyms are not."""
    assert found(places, "The storm was 385 miles south of Punta Eugenia, Mexico and moving north.", "en") == [
        ("punta-eugenia~mx", "Punta Eugenia"), ("mexico-3996063", "Mexico")]
    assert found(places, "Der Sturm lag südlich von Punta Eugenia, Mexiko, am Montag.", "de")[0] == \
        ("punta-eugenia~mx", "Punta Eugenia")
    assert found(places, "Шторм находится к югу от города Пунта-Эухения (Мексика) и движется на север.", "ru")[0] \
        == ("punta-eukheniya~mx", "Пунта-Эухения")
    for text in ("Flights left Paris, London, France and Spain.",  # a list's last item
                 "The bill was backed by Cornyn, Texas's senior senator.",  # a person and his state
                 "Officials from Police, Mexico said nothing.",  # a common word
                 "The UNHCR, Mexico said.",  # an acronym
                 "Fans came from Wexcombe, Manchester and Leeds.",  # a list of places, not a part of a city
                 "Fans came Wexcombe, Manchester, to see it."):  # a city after no locative word
        assert not [pid for pid, _form in found(places, text, "en") if "~" in pid], text
    # a part of a city, after a locative word
    assert found(places, "Второй откроется в Селли Оук, Бирмингем, в этом году.", "ru")[0] == \
        ("selli-ouk~gb", "Селли Оук")


def test_a_place_the_gazetteer_does_not_know_in_arabic_and_chinese(entities: Entities) -> None:
    """Arabic writes no capitals: the rare words without the article before
    "، <country>" are the name. Chinese names the country or region first:
    a Latin name right after it, or a transliteration after a region and
    的. Common words, lists, organisations and acronyms are not."""
    places = entities.places
    assert places is not None
    assert found(places, "وكانت العاصفة على بعد 385 ميلا جنوب غرب بونتا يوجينيا، المكسيك.", "ar")[0] == \
        ("bwnt-ywjyny~mx", "بونتا يوجينيا")
    assert found(places, "截至周日，它位于墨西哥 Punta Eugenia 西南 385 英里处。", "zh") == [
        ("mexico-3996063", "墨西哥"), ("punta-eugenia~mx", "Punta Eugenia")]
    assert ("kensasi~us", "肯萨斯") in found(places, "密苏里州的肯萨斯与内布拉斯加州之间的温差将近 20 度。", "zh")
    for lang, text in (("ar", "وقال المتحدث باسم الحكومة، المكسيك لن تدفع."),  # a word with the article
                       ("ar", "زار الوفد باريس، لندن، فرنسا."),  # a list
                       ("zh", "德国 Siemens 公司宣布裁员。"),  # an organisation
                       ("zh", "美国 Associated Press 报道。"),  # common English words
                       ("zh", "美国的特朗普表示反对。"),  # a country and 的: no transliteration
                       ("zh", "路易斯安那州的警察局逮捕了他。")):  # no name after 的
        assert not [pid for pid, _form in found(places, text, lang) if "~" in pid], text


def test_states_are_named_in_every_language(places: PlaceFinder) -> None:
    """US states carry their names in Chinese, Russian and German (pycountry's
    ISO 3166-2 translations), with their GeoNames ids."""
    assert found(places, "密苏里州的圣路易斯", "zh")[0] == ("missouri-4398678", "密苏里州")
    assert found(places, "Er lebt seit Jahren in Kalifornien.", "de") == [("california-5332921", "Kalifornien")]
    assert found(places, "Он живёт в Калифорнии.", "ru") == [("california-5332921", "Калифорнии")]


def test_other_countries_regions_come_from_iso_3166_2(places: PlaceFinder) -> None:
    """Provinces, states, Länder and the countries of the UK (pycountry), in
    their English, German, Chinese and Russian names, under an id of their
    ISO code (no GeoNames id in any package); a Chinese province without its
    省, as an English one without "Province". Regions named by common words
    (Central, Eastern, 中部, West Coast) are not in the gazetteer."""
    bavaria, guangdong = f"bavaria-{geo.subdivision_gid('DE-BY')}", f"guangdong-{geo.subdivision_gid('CN-GD')}"
    assert found(places, "Floods hit Queensland and Bavaria, while England stayed dry.", "en") == [
        (f"queensland-{geo.subdivision_gid('AU-QLD')}", "Queensland"), (bavaria, "Bavaria"),
        (f"england-{geo.subdivision_gid('GB-ENG')}", "England")]
    assert found(places, "Наводнение в Баварии.", "ru") == [(bavaria, "Баварии")]
    assert found(places, "广东省和香港的合作。", "zh")[0] == (guangdong, "广东")
    for lang, text in (("en", "The meeting starts at 9 a.m. Eastern time on the West Coast."),
                       ("en", "Central banks met in the South."),
                       ("zh", "位于中部地区的城市。")):
        assert not [pid for pid, _form in found(places, text, lang) if gid_of(pid) and gid_of(pid) > 900_000_000], text
    facts = geo.PlaceInfo().place(geo.subdivision_gid("DE-BY"))
    assert facts is not None and facts.to_dict() == {"geonames": None, "country": "DE", "lat": None, "lon": None,
                                                     "population": 0}


def test_chinese_regions_by_their_own_and_their_short_names(places: PlaceFinder) -> None:
    """A province's Chinese name is its own, though Japanese towns are
    written with the same characters (云南 Unnan, 湖南 Konan); an autonomous
    region is named by the words before its people's name (新疆, 广西); a
    region's name in the listings is its English one, or its shortest
    (Scotland, not Schottland; Yunnan, not Yunnan Sheng)."""
    yunnan, xinjiang = f"yunnan-{geo.subdivision_gid('CN-YN')}", f"xinjiang-{geo.subdivision_gid('CN-XJ')}"
    assert found(places, "他从相邻的云南省过来。", "zh") == [(yunnan, "云南")]
    assert found(places, "新疆和广西的官员说", "zh") == [
        (xinjiang, "新疆"), (f"guangxi-{geo.subdivision_gid('CN-GX')}", "广西")]
    assert found(places, "湖南是一个省。", "zh") == [(f"hunan-{geo.subdivision_gid('CN-HN')}", "湖南")]
    assert found(places, "Storms hit Scotland.", "en") == [(f"scotland-{geo.subdivision_gid('GB-SCT')}", "Scotland")]


def test_a_town_inside_a_longer_transliterated_name_is_no_place(places: PlaceFinder) -> None:
    """阿里萨巴拉加 (Arrizabalaga) holds 萨巴拉 (Sabará, a Brazilian town)
    right after 阿里, a name's part to jieba; a great city there stays."""
    assert found(places, "球最终穿过跃起的阿里萨巴拉加的十指应声入网。", "zh") == []
    assert found(places, "他们的受欢迎程度超过了比弗利特伍德或莫利纳里。", "zh") == []  # (弗利 + 特伍德: Fleetwood)
    assert found(places, "他在萨巴拉说", "zh") == [("sabara-3450817", "萨巴拉")]
    assert [form for _pid, form in found(places, "特朗普巴黎之行", "zh")] == ["巴黎"]


def test_arabic_words_that_nearly_sound_like_a_name_are_not_carried(tmp_path: Path) -> None:
    """Nugroho (NKL) nearly sounds like مقابلة ("an interview", NKPL): where
    the Arabic paragraph leaves his name out, no word of the language is
    carried as his name."""
    ar = versions(
        tmp_path,
        en="Quake hits island\n\nSutopo Purwo Nugroho, a spokesman, said hundreds died.\n\n"
           "In an interview, Nugroho said the search goes on.\n",
        ar="زلزال يضرب جزيرة\n\nقال المتحدث سوتوبو بورو نوجروهو إن المئات لقوا حتفهم.\n\n"
           "وفي مقابلة، قال إن البحث مستمر.\n").article("ar")
    assert ar is not None
    assert [[form for _sid, form in (*p.quotes, *p.named)] for p in ar.paragraphs[1:]] == [["سوتوبو بورو نوجروهو"], []]


def test_a_surname_carried_alone_takes_the_full_name_of_the_version_it_came_from(tmp_path: Path) -> None:
    """Only the Russian gives her full name (Селина Самбунг); the others name
    her Sumbung alone. Every version's Sumbung is one person with her."""
    corpus = versions(
        tmp_path,
        en="Aid arrives\n\n\"It is a bit challenging,\" Ms. Sumbung said.\n",
        ru="Помощь прибыла\n\n«Это непросто», — рассказывает Селина Самбунг.\n",
        ar="وصول المساعدات\n\nوقالت السيدة سومبونج إن \"الأمر صعب قليلاً\".\n",
        de="Hilfe kommt an\n\n„Das ist etwas schwierig“, sagte Sumbung.\n",
        zh="援助抵达\n\n“这有些困难，” Sumbung 女士说。\n")
    ids = {sid for lang in ("en", "ru", "ar", "de", "zh") for p in corpus.article(lang).paragraphs  # type: ignore
           for sid, _form in (*p.quotes, *p.named)}
    assert len(ids) == 1, ids


def test_small_towns_abroad_do_not_vouch_for_each_other(places: PlaceFinder) -> None:
    """Three small US towns that a Chinese football report seems to name
    (加里 of 加里霍尔特, Gary Holt; 霍尔特; 约翰斯顿) stand on no place of
    their country that stands on its own; beside 美国 or 印第安纳州 they do."""
    texts = ["流浪者便希望在客场取得首场胜利，但加里霍尔特率领的球队使杰拉德遭遇失利。", "这令霍尔特十分满意。",
             "此前他们在圣约翰斯顿取得4-1战绩。"]
    assert [ms for ms in places.resolve(texts, "zh")] == [[], [], []]
    assert [pid for ms in places.resolve(["他住在美国的加里。"], "zh") for pid, _s, _e in ms] == [
        "united-states-6252001", "gary-4920607"]


def test_a_foreign_town_jieba_does_not_know_needs_its_country(places: PlaceFinder) -> None:
    """利文斯顿 fits one town in GeoNames' Chinese, Livingstone in Zambia
    (136,000 inhabitants), and is as often Livingston, the Scottish club, or
    a person: a foreign town that jieba's dictionary does not know needs a
    million inhabitants, another place of its country in the article or
    在 ("in") before it."""
    assert places.resolve(["流浪者队最终以1-0负于利文斯顿。", "利文斯顿表现非凡。"], "zh") == [[], []]
    assert [pid for ms in places.resolve(["他去了赞比亚的利文斯顿。"], "zh") for pid, _s, _e in ms] == [
        "zambia-895949", "livingstone-910111"]
    assert [pid for ms in places.resolve(["双方在利文斯顿会面。"], "zh") for pid, _s, _e in ms] == [
        "livingstone-910111"]


def test_a_town_arabic_spells_as_it_hears_it(places: PlaceFinder) -> None:
    """كريدون is not GeoNames' Arabic for Croydon, nor ديز موينس for Des
    Moines: after a preposition of place, or joined by و to a place, rare
    words that sound exactly like a city of a country the article names are
    that city (Des Moines, Iowa, not the smaller one in Washington, nor
    Tysons). Not where the article names no such country."""
    assert found(places, "افتتح المتجر الأول في كريدون بجنوب لندن.", "ar") == [
        ("croydon-2651817", "كريدون"), (LONDON, "لندن")]
    assert ("des-moines-4853828", "ديز موينس") in found(
        places, "هناك فرق في الحرارة بين أوماها ونبراسكا وبين سانت لويس وديز موينس وأيوا.", "ar")
    assert found(places, "افتتح المتجر الأول في كريدون.", "ar") == []  # no country named
    # GeoNames has no Arabic names for the US states: heard, where the article names the country
    us = "في الولايات المتحدة"
    assert [f for _pid, f in found(places, f"وتستمر المظاهرات في كاليفورنيا وبنسلفانيا {us}.", "ar")] == [
        "كاليفورنيا", "بنسلفانيا", "الولايات المتحدة"]
    assert found(places, f"وقال إن المظاهرات في كاليفورنيا {us}", "ar")[0] == ("california-5332921", "كاليفورنيا")
    # not a word of the language (اقتراب, "approach", sounds like Guadalupe), not "West Virginia" in part
    assert [f for _pid, f in found(places, "مع اقتراب العاصفة من المكسيك", "ar")] == ["المكسيك"]
    assert [f for _pid, f in found(places, f"وفقًا لشبكة من فيرجينا الغربية {us}", "ar")] == ["الولايات المتحدة"]


def test_the_name_after_a_company_s_or_a_chain_s_noun_is_no_person(entities: Entities) -> None:
    """"сети Ллойдс Фармаси", "в комплексе Грейсон Мьюз", "die Firma Lloyds
    Pharmacy": the chain's, the complex's, the company's name (``things`` in
    cues.yaml); a given name after one is a person ("глава компании Илон
    Маск")."""
    assert people_in(entities, ["Бизнес был продан компании Селесио, владельцу сети Ллойдс Фармаси.",
                                "Тело было найдено в комплексе Грейсон Мьюз на Джон-стрит.",
                                "Об этом сообщил глава компании Илон Маск."], "ru") == [
        [], [], [("Илон Маск", True)]]
    assert people_in(entities, ["Die Firma Lloyds Pharmacy wächst, sagte Mike Coupe."], "de") == [
        [("Mike Coupe", True)]]


def test_a_german_genitive_of_a_shared_surname_is_no_one(entities: Entities) -> None:
    """Two Johnsons in the article: "Vater Johnsons Gemeinde" names neither
    for sure, as "Johnson" alone would not."""
    assert people_in(entities, ["Pfarrer John Howard Johnson führte den Boykott an.",
                                "Pfarrer David Johnson sagte, die Glocken seien schön.",
                                "Als Vater Johnsons Gemeinde den Wiederaufbau plante, kaufte sie Glocken."], "de") == [
        [("John Howard Johnson", False)], [("David Johnson", True)], []]


def test_a_word_of_a_country_s_name_and_competitions_are_no_person(entities: Entities) -> None:
    """Macedonia, which the gazetteer leaves out as two places' name, is a
    word of North Macedonia's: no one beside a speech word; the Ryder Cup
    and Adriftmorn Limited end in a competition's and a company's word."""
    assert people_in(entities, ["Greece, which has a province called Macedonia, maintains that it is a claim.",
                                "Europe won the Ryder Cup, Thomas Bjorn said.",
                                "The owner, Adriftmorn Limited, said it would appeal."], "en") == [
        [], [("Thomas Bjorn", True)], []]


def test_an_arabic_word_rare_only_for_its_preposition_is_no_name(entities: Entities) -> None:
    """After "according to" (وفقًا ل), لقوائم and لمراقب ("lists",
    "monitor") are rare only as written with ل: no one; فليك (Flake) is
    no ف before ليك."""
    assert people_in(entities, ["ووفقًا لقوائم السجلات الرسمية، فهو مدير الشركة.",
                                "ووفقًا لمراقب الجفاف، يتعرض الجنوب للجفاف.",
                                "وقال جيف فليك إن التحقيق ضروري."], "ar") == [[], [], [("جيف فليك", True)]]


def test_korean_names_in_russian(entities: Entities) -> None:
    """Ли Ён Хо: Ли and Хо are words written small (the particle ли), yet
    capitalised inside a Russian sentence they are a name's, after a title
    or as a run of short syllables; a capital preposition is none's."""
    assert people_in(entities, ["Министр Ли Ён Хо заявил, что санкции бесполезны.",
                                "Северокорейский дипломат Ли Ён Хо выступил перед лидерами.",
                                "Эрдоган посетил Кельн В субботу."], "ru") == [
        [("Ли Ён Хо", True)], [("Ли Ён Хо", True)], []]


def test_chinese_names_of_peoples_are_no_person(entities: Entities) -> None:
    """jieba tags 斯拉夫人 (Slavs) and 库尔德人 (Kurds) as foreign names
    (nrt), and 斯拉夫人 holds 夫人 (Madame), a title after a name: a people,
    not a person; 亚当斯先生 is still Mr Adams."""
    assert people_in(entities, ["更改国名将有损占多数的斯拉夫人的民族认同。", "其中有很多库尔德人也发表了意见。",
                                "亚当斯先生说，他很满意。"], "zh") == [[], [], [("亚当斯", True)]]


def test_a_name_carried_into_chinese_ends_on_its_own_words(tmp_path: Path) -> None:
    """A name carried by its sound into Chinese is a stretch of jieba's
    words holding no conjunction, preposition or particle: 斯皮斯, not
    斯皮斯和 ("Spieth and"); 斯特林, not 斯特林让曼 ("Sterling let Man")."""
    zh = versions(
        tmp_path,
        en="Europe leads\n\nFrom what Jordan Spieth and Justin Thomas showed, Jordan Spieth said, they lead.\n\n"
           "But it was Raheem Sterling who gave Manchester City the lead, the coach said.\n",
        zh="欧洲领先\n\n从斯皮斯和贾斯汀·托马斯的表现来看，他们领先。\n\n但是正是斯特林让曼城队取得领先，教练说。\n",
    ).article("zh")
    assert zh is not None
    forms = {form for p in zh.paragraphs for _sid, form in (*p.quotes, *p.named)}
    assert "斯皮斯和" not in forms and "斯特林让曼" not in forms
    assert {"斯皮斯", "斯特林"} <= forms


def test_a_place_the_gazetteer_does_not_know_is_one_place_in_every_version(tmp_path: Path) -> None:
    """Named with its country in English and Russian, each romanised
    otherwise, and carried by its sound into the Arabic and the Chinese: one
    id in all four versions."""
    corpus = versions(
        tmp_path,
        en="Storm heads north\n\nThe storm was 385 miles south of Punta Eugenia, Mexico on Sunday.\n",
        ru="Шторм идёт на север\n\nВ воскресенье шторм находился в 620 км к югу от города Пунта-Эухения (Мексика).\n",
        ar="العاصفة تتجه شمالا\n\nوكانت العاصفة يوم الأحد على بعد 385 ميلا جنوب بونتا يوجينيا، المكسيك.\n",
        zh="风暴北上\n\n周日风暴位于墨西哥 Punta Eugenia 以南 385 英里处。\n")
    ids = {}
    for lang in ("en", "ru", "ar", "zh"):
        a = corpus.article(lang)
        assert a is not None
        ids[lang] = {a.paragraphs[1].text[s:e]: cid for cid, s, e in a.paragraphs[1].mentions if "~" in cid}
    assert ids == {"en": {"Punta Eugenia": "punta-eugenia~mx"}, "ru": {"Пунта-Эухения": "punta-eugenia~mx"},
                   "ar": {"بونتا يوجينيا": "punta-eugenia~mx"}, "zh": {"Punta Eugenia": "punta-eugenia~mx"}}


def test_a_place_named_with_its_region_takes_the_gazetteer_id_of_its_other_version(tmp_path: Path) -> None:
    """肯萨斯 after 密苏里州的 is a place of the US the gazetteer does not spell
    so; its English version names Kansas City there: one id, the gazetteer's."""
    corpus = versions(
        tmp_path,
        en="Cold front\n\nThere is a 20-degree difference between Kansas City, Missouri, and Omaha.\n",
        zh="冷锋\n\n密苏里州的肯萨斯与奥马哈之间的温差将近 20 度。\n")
    zh = corpus.article("zh")
    assert zh is not None
    ids = {zh.paragraphs[1].text[s:e]: cid for cid, s, e in zh.paragraphs[1].mentions}
    assert ids["肯萨斯"] == "kansas-city-4393217"


def test_a_person_is_shown_by_the_name_their_id_was_made_from() -> None:
    from corpus.identity import display_name

    # a German genitive written first ("nach dem Rückzug Holly Willoughbys") is not the name shown
    assert display_name(["Holly Willoughbys", "Holly Willoughby", "霍莉·威洛比"]) == "Holly Willoughby"
    assert display_name(["Jones", "Peter Jones"], ["unknown:peter jones"]) == "Peter Jones"
    assert display_name(["Gwyneth Paltrows"]) == "Gwyneth Paltrows"  # (nothing tells it is a genitive)
    # the form most versions write, not one sentence's run-on ("das Duo Tommy Fleetwood und …")
    forms = ["Duo Tommy Fleetwood", "Fleetwood", "Tommy Fleetwood", "Томми Флитвуд", "Tommy Fleetwood",
             "汤米·弗利特伍德", "Tommy Fleetwood"]
    own = ["unknown:duo tommy fleetwood", "unknown:tommy fleetwood", "unknown:томми флитвуд"]
    assert display_name(forms, own) == "Tommy Fleetwood"
    # a tie: the first
    assert display_name(["Ann Lee", "Anne Lee"], ["unknown:ann lee", "unknown:anne lee"]) == "Ann Lee"
    # without a Latin form: a Chinese name in pinyin, surname first; a foreign one by its Cyrillic form, out
    # of the instrumental or the dative; else by its Chinese transliteration, a word to each dotted part
    assert display_name(["李英浩", "Ли Ён Хо"]) == "Li Yinghao"
    assert display_name(["ودز", "Вудсом", "Тайгером Вудсом"]) == "Tayger Vuds"
    assert display_name(["切斯勒", "Чейслеру", "Чарльз Чейслер"]) == "Charlz Cheysler"
    assert display_name(["Скотту Питтману"]) == "Skott Pittman"
    assert display_name(["Том", "Ву"]) == "Tom"  # (too short to be a case form)
    assert display_name(["洛佩斯·奥夫拉多尔", "لوبيز أوبرادور"]) == "Luopeisi Aofuladuoer"


def test_a_person_named_by_a_surname_alone(entities: Entities) -> None:
    """News about private people names them by a surname alone, after a
    surname word (``surnamed`` in cues.yaml), often in quotation marks: that
    person, wherever the article writes the word again (in Russian in any
    case form; in Chinese quoted or before 某, not inside 紧张). The marks
    around a name alone give no one's words; a word of the language, and an
    Arabic word (بلقب: also a championship's title), only in marks."""
    assert people_in(entities, ['A man identified only by his surname "Li" was found dead near the market.',
                                '"He was a kind man," the neighbour, referred to by his surname "Zhang," said.',
                                "Li had no enemies, and his surname is common."], "en") == [
        [("Li", False)], [("Zhang", True)], [("Li", False)]]
    assert people_in(entities, ["Der Mann, zu dem nur der Nachname „Li“ genannt wurde, wurde tot aufgefunden."],
                     "de") == [[("Li", False)]]
    assert people_in(entities, ["Погибший (известна только его фамилия, «Чжан») торговал на рынке.",
                                "Семья Чжана требует компенсации."], "ru") == [[("Чжан", False)], [("Чжана", False)]]
    assert people_in(entities, ["市场发现一名“张（音译）”姓男子。", "“张”某的家人正在谈判。", "局势紧张。"], "zh") == [
        [("张", False)], [("张", False)], []]
    assert people_in(entities, ['وعثر على الرجل الذي عرف بلقبه "تشانغ" ميتا.', "وتتفاوض عائلة تشانغ على تعويض.",
                                "وفاز الفريق بلقب الدوري."], "ar") == [
        [("تشانغ", False)], [("تشانغ", False)], []]


def test_a_short_name_is_one_person_in_every_version(tmp_path: Path) -> None:
    """Wu, 吴 and Ву sound alike by one consonant, too little to tie names
    by chance; in aligned paragraphs where each is the only name of that
    sound, they are one person."""
    corpus = versions(
        tmp_path,
        en='Pig attack\n\n"His legs were bloody," the cousin, referred to by his surname "Wu," said.\n',
        zh="猪袭击事件\n\n“吴（音译）”姓表兄说：“他的腿全是血。”\n",
        ru="Нападение свиньи\n\n«Его ноги были в крови», — сказал двоюродный брат по фамилии Ву.\n")
    ids = {sid for lang in ("en", "zh", "ru") for p in corpus.article(lang).paragraphs  # type: ignore[union-attr]
           for sid, _form in (*p.quotes, *p.named)}
    assert len(ids) == 1, ids


def test_an_arabic_speaker_after_a_role(entities: Entities) -> None:
    """After a speech word, a role (الخبير, "the expert") and its adjectives
    may stand before the name; a role alone names no one."""
    assert people_in(entities, ["وأشار الخبير جوناثان بيركوفيتش إلى أن السوق تتراجع.",
                                "وقال المسؤول الأمريكي إن الوضع صعب."], "ar") == [
        [("جوناثان بيركوفيتش", True)], []]


def test_a_saint_s_name_that_is_a_church_s_is_the_church_throughout(entities: Entities) -> None:
    """An article that writes كنيسة سانت مارتن (St. Martin's church) means the
    church by سانت مارتن alone too, not Sint Maarten in the Caribbean; an
    article that names no such church may mean the island."""
    places = entities.places  # with the organisations' words of cues.yaml (كنيسة)
    assert places is not None
    church = ["واستولت جماعة على كنيسة سانت مارتن في نيويورك.", "وأصبحت سانت مارتن بعد ذلك كنيسة كبيرة."]
    assert [pid for ms in places.resolve(church, "ar") for pid, _s, _e in ms if "maarten" in pid] == []
    assert [pid for pid, _f in found(places, "سافر الوفد إلى سانت مارتن أمس.", "ar")] == ["sint-maarten-7609695"]


def test_a_name_after_a_shop_s_noun_is_the_shop_s_throughout(entities: Entities) -> None:
    """"в магазинах Теско" makes Теско the chain in the whole article: a
    headline run on into the first sentence ("рынок Великобритании Теско
    собирается") gives no full name "Великобритании Теско", and "по словам
    представителей Теско" quotes no one."""
    text = ["Теско планирует покорить рынок Великобритании Теско собирается открыть отделы.",
            "По словам представителей Теско, продажи растут."]
    assert people_in(entities, [*text, "В магазинах Теско открылись новые отделы."], "ru") == [[], [], []]
    assert people_in(entities, text, "ru") == [  # (where nothing says it is a shop)
        [("Теско", False), ("Великобритании Теско", False)], [("Теско", True)]]


def test_a_frequent_word_that_is_a_name_in_the_news(entities: Entities) -> None:
    """Trump is as frequent in German as many words, for the news: beside a
    speech word it is a name where English writes it about as often and the
    article never writes it small; Mann (a word of German) is no one."""
    assert people_in(entities, ["Warum hat Präsident Trump so viel aufgegeben?", "Trump sagte, er sei optimistisch.",
                                "„Es ist einfach“, sagte Trump und zeigte auf die Menge.",
                                "Ein Mann sagte, er habe nichts gesehen."], "de") == [
        [("Trump", True)], [("Trump", True)], [("Trump", True)], []]


def test_a_town_russian_spells_as_it_hears_it(places: PlaceFinder) -> None:
    """Кройдон is not in GeoNames' Russian names: after a preposition of
    place, a rare word whose nominative sounds exactly like a city of a
    country the article names is that city; not where it names none."""
    assert found(places, "Первый магазин открылся в Кройдоне на юге Лондона.", "ru") == [
        ("croydon-2651817", "Кройдоне"), (LONDON, "Лондона")]
    assert found(places, "Первый магазин открылся в Кройдоне.", "ru") == []


def test_a_transliteration_glossed_by_a_latin_name_is_that_person(entities: Entities) -> None:
    """卡瓦诺（Brett Kavanaugh）: the transliteration before a person's Latin
    name in brackets is their Chinese name, and so wherever the article
    writes it alone as a word; a bracketed organisation glosses no one."""
    assert people_in(entities, ["数百万人收看了卡瓦诺（Brett Kavanaugh）的听证会。", "卡瓦诺表示这件事没有发生过。",
                                "救助儿童会（Save the Children）正在组建队伍。",
                                "她指控卡瓦诺，据称是在八十年代。"], "zh") == [
        [("卡瓦诺", False), ("Brett Kavanaugh", False)], [("卡瓦诺", True)], [],
        [("卡瓦诺", False)]]  # (据称, "reportedly", gives no one's words)
    # the whole transliteration, five or six characters too
    assert people_in(entities, ["佐科维多多（Joko Widodo）总统将改善基础设施。"], "zh") == [
        [("佐科维多多", False), ("Joko Widodo", False)]]


def test_a_quotation_closes_its_sentence(entities: Entities) -> None:
    """'… of justice." Sims was 20': the quotation's marks end Joe Alleva's
    sentence, so its words are his, not those of the name right after."""
    assert people_in(entities, ['Coach Will Wade mourned Wayde Sims.', 'Director Joe Alleva thanked the police for '
                                'their "diligence and pursuit of justice." Sims was 20 years old.'], "en") == [
        [("Will Wade", False), ("Wayde Sims", False)], [("Joe Alleva", True), ("Sims", False)]]


def test_arabic_roles_before_a_name_and_in_apposition(entities: Entities) -> None:
    """Roles name the person after them (المدير الرياضي جو أليفا), but a role
    in apposition after a name is followed by whose role it is
    (مايك كوب، المدير التنفيذي لسينسبري: Sainsbury's, no one)."""
    assert people_in(entities, ["وقال المدير الرياضي جو أليفا إن الشرطة ساعدت.",
                                "وقال مايك كوب، المدير التنفيذي لسينسبري، إن المتاجر تتغير."], "ar") == [
        [("جو أليفا", True)], [("مايك كوب", True)]]


def test_an_arabic_town_an_organisation_bears_is_the_town_after_a_preposition(entities: Entities) -> None:
    """شرطة باتون روج (the Baton Rouge police) is no mention of the town; في
    باتون روج ("in Baton Rouge") in the same article is, as "in Riverside"
    is beside Riverside Church."""
    places = entities.places
    assert places is not None
    got = places.resolve(["وقالت إدارة شرطة باتون روج إنها اعتقلته.", "وقد نشأ اللاعب في باتون روج."], "ar")
    assert [[pid for pid, _s, _e in ms] for ms in got] == [[], ["baton-rouge-4315588"]]


def test_russian_names_the_speaker_after_the_one_told(entities: Entities) -> None:
    """«…», — рассказал газете Guiyang Evening News Ву, родственник убитого:
    the paper is told, Ву speaks; "сказал Путину Макрон" has no lower-case
    noun for the one told, and is left to the other rules."""
    assert people_in(entities, ["«Он был добрым», — рассказал газете Guiyang Evening News Ву, родственник убитого.",
                                "«Это важно», — сообщил агентству «Синьхуа» Чжэн."], "ru") == [
        [("Ву", True)], [("Чжэн", True)]]


def test_latin_names_written_onto_chinese_characters(entities: Entities, places: PlaceFinder) -> None:
    """Chinese translations leave rare names in Latin letters, often with no
    space after the Chinese (79岁的Olivera Georgijevska 说): the Latin words
    are words of their own. After a preposition of place they name a place,
    not a person (在Merseyside Birkenhead)."""
    assert people_in(entities, ["“我们需要未来，”Skopje 的79岁的Olivera Georgijevska 说。",
                                "今天早晨在Merseyside Birkenhead 发现了该女子尸首。"], "zh") == [
        [("Olivera Georgijevska", True)], []]
    assert found(places, "首都Skopje 的一位选民说。", "zh") == [("skopje-785842", "Skopje")]
    assert found(places, "今天早晨在Merseyside Birkenhead 发现了尸首。", "zh") == [("birkenhead-2655613", "Birkenhead")]


def test_a_place_before_a_person_s_full_name_is_still_the_place(entities: Entities, places: PlaceFinder) -> None:
    """"в Скопье Владимир Кавардарков": a given name opens the person's name
    after the town; but Chelsea Clinton's first name is hers."""
    text = "Перед зданием парламента в Скопье Владимир Кавардарков готовил сцену."
    assert found(places, text, "ru") == [("skopje-785842", "Скопье")]
    assert people_in(entities, [text], "ru") == [[("Владимир Кавардарков", False)]]
    assert found(places, "Chelsea Clinton spoke in London.", "en") == [("london-2643743", "London")]


def test_arabic_speech_words_with_shadda_and_roles_before_whose_they_are(entities: Entities) -> None:
    """صرّح is صرح (said) with its shadda; a role in the construct state
    (مراسل ليكرز, "the Lakers' reporter") is no part of a name; a word that
    names a small town opens a name before a rare word (أوريول جونكيراس:
    Oriol Junqueras, not Oryol), but not a common word (بركان, volcano)."""
    assert people_in(entities, ["صرّح الرئيس جورجي إيفانوف أنه لن يصوت.",
                                "غرّد مراسل ليكرز مايك تريدل أن جيمس سيلعب.",
                                "أعلن أوريول جونكيراس يوم السبت أنه سيرشح نفسه.",
                                "قال بركان بوبوكاتبتيل شيئا."], "ar") == [
        [("جورجي إيفانوف", True)], [], [("أوريول جونكيراس", True)], []]


def test_a_place_the_russian_dictionary_knows_is_no_speaker(entities: Entities) -> None:
    assert people_in(entities, ["Греция, в составе которой есть провинция Македония, утверждает, что это так."],
                     "ru") == [[]]


def test_arabic_cities_as_famous_as_their_word_and_clubs_named_for_towns(places: PlaceFinder) -> None:
    """لاهاي is about as frequent in Arabic as "The Hague" in English: it is
    The Hague (but كينت, Kent, is a surname too, and stays unproven). A town
    before سيتي or يونايتد (City, United) with no such city is a club:
    مانشستر سيتي names no Manchester; في مانشستر does, in English too. German
    names The Hague Den Haag."""
    assert found(places, "وصل الوفد إلى لاهاي.", "ar") == [("the-hague-2747373", "لاهاي")]
    assert found(places, "بدّل المدرب اللاعب بريان كينت.", "ar") == []
    en = "Sterling led the defense in Manchester City's 2-0 win at Etihad Stadium in Manchester, England."
    first = [(pid, s) for pid, s, _e in places.resolve([en], "en")[0]][:1]
    assert first == [("manchester-2643123", en.rindex("Manchester"))]
    assert found(places, "They reached Palu city at dusk.", "en") == [("palu-1633034", "Palu")]
    assert found(places, "They flew to Salt Lake City and to Kansas City.", "en") == [
        ("salt-lake-city-5780993", "Salt Lake City"), ("kansas-city-4393217", "Kansas City")]
    text = "فاز مانشستر سيتي على ملعب الاتحاد في مانشستر."
    assert [(pid, s) for pid, s, _e in places.resolve([text], "ar")[0]] == [
        ("manchester-2643123", text.rindex("مانشستر"))]  # the town after في, not the club
    assert found(places, "Das Gericht in Den Haag entscheidet.", "de") == [("the-hague-2747373", "Den Haag")]


def test_chinese_names_before_a_speech_word_and_after_a_title(entities: Entities) -> None:
    """A word jieba reads as a name right before a speech word (a time word
    between allowed) or right after a title is a person, wherever the article
    writes it; jieba's pieces of an unknown transliteration join (斯图 +
    里奇). A speech word that follows its speaker (强调) gives no words to a
    name after it."""
    texts = ["李勇浩表示，美国坚持制裁。", "特朗普周三表示他没有时间表。", "李勇浩还提到了会谈。",
             "但他强调了金正恩与韩国领导人文在寅的会晤。", "“我要争取时间，” 斯图里奇告诉记者。"]
    assert people_in(entities, texts, "zh") == [
        [("李勇浩", True)], [("特朗普", True)], [("李勇浩", False)], [("文在寅", False)], [("斯图里奇", True)]]


def test_a_chinese_name_before_a_company_s_noun_is_the_company_throughout(entities: Entities) -> None:
    """尼尔森公司 (the Nielsen company): 尼尔森表示 later quotes no one; but
    特朗普政府 (the Trump administration) leaves 特朗普 a person."""
    texts = ["据尼尔森公司报道，很多人收看了听证会。", "尼尔森表示，福克斯新闻频道的观众最多。"]
    assert people_in(entities, texts, "zh") == [[], []]
    assert people_in(entities, ["特朗普政府表示将继续制裁。", "特朗普表示他很满意。"], "zh") == [
        [("特朗普", True)], [("特朗普", True)]]


def test_hyphenated_korean_given_names_and_german_genitives_before_nouns(entities: Entities) -> None:
    """Moon Jae-in keeps the syllable after his hyphen; "Ris Rede" (Ri's
    speech) is no one where the article names Ri."""
    assert people_in(entities, ["Kim met South Korean leader Moon Jae-in in the past five months.",
                                "He met the investor Kai-Fu Lee yesterday."], "en") == [
        [("Moon Jae-in", False)], [("Kai-Fu Lee", False)]]  # (Kai is also a town: no place before a hyphen)
    texts = ["Ri Yong Ho sagte, es sei gut.",
             "Dennoch unterschied sich der Ton von Ris Rede enorm von der im letzten Jahr."]
    assert people_in(entities, texts, "de") == [[("Ri Yong Ho", True)], []]


def test_everyday_country_names_cldr_leaves_out(places: PlaceFinder) -> None:
    """CLDR calls North Korea КНДР in Russian and Saudi Arabia by its full
    name in Arabic; countries.yaml adds the everyday names."""
    assert found(places, "Министр иностранных дел Северной Кореи заявил.", "ru") == [
        ("north-korea-1873107", "Северной Кореи")]
    assert found(places, "Он посетил Южную Корею и ЮАР.", "ru") == [
        ("south-korea-1835841", "Южную Корею"), ("south-africa-953987", "ЮАР")]
    assert found(places, "زار الوفد السعودية أمس.", "ar") == [("saudi-arabia-102358", "السعودية")]


def test_a_russian_pair_of_capitals_is_a_foreign_name_though_its_surname_is_a_word(entities: Entities) -> None:
    """Джордан Спит (Jordan Spieth; спит, "sleeps"): Russian capitalises no
    common word inside a sentence. Not a pair ending in a noun, which may
    be a place's kind (Бикон Бич, Beacon Beach)."""
    assert people_in(entities, ["«У них было преимущество», — сказал Джордан Спит уходя с поля.",
                                "Они гуляли на пляже Бикон Бич вечером."], "ru") == [[("Джордан Спит", True)], []]


def test_an_organisation_s_name_runs_across_and_and_a_possessive(entities: Entities) -> None:
    places = entities.places
    assert places is not None
    assert found(places, "The course, a first in the US, came from the Brigham and Women's Hospital.", "en") == [
        ("united-states-6252001", "US")]
    assert found(places, "Marks and Spencer in Leeds said so.", "en") == [("leeds-2644688", "Leeds")]
    assert [form for _pid, form in found(places, "Warnings for Las Vegas and Salt Lake City were issued.", "en")] == [
        "Las Vegas", "Salt Lake City"]


def test_arabic_words_run_together_are_no_name(entities: Entities) -> None:
    """A text that lost its spaces (لاتزالثقافةالفخرفي) holds no name after
    its speech word."""
    assert people_in(entities, ["قال لاتزالثقافةالفخرفي الجامعة موجودة."], "ar") == [[]]


def test_chinese_dotted_names_with_long_parts_side_by_side(entities: Entities) -> None:
    """A transliterated part may be five or six characters (弗利特伍德,
    弗朗西斯科), and one name's letters are never taken for the next one's."""
    assert people_in(entities, ["汤米·弗利特伍德和弗朗西斯科·莫利纳里这对强大的二人组合战胜了对手。"], "zh") == [
        [("汤米·弗利特伍德", False), ("弗朗西斯科·莫利纳里", False)]]


def test_a_pair_before_a_speech_word_is_a_name_though_its_first_word_is_a_word(entities: Entities) -> None:
    """"City manager Pep Guardiola told reporters": pep is an English word,
    Guardiola none. Not "the White House said" or "Police Scotland said"."""
    assert people_in(entities, ['"Aguero is struggling," City manager Pep Guardiola told reporters.',
                                "The White House said no.", "A spokesman for Police Scotland said so."], "en") == [
        [("Pep Guardiola", True)], [], []]


def test_the_grammar_s_speaker_is_no_place_institution_or_noun(tmp_path: Path) -> None:
    """Beside a speech word the attribution grammar takes two capitalised
    words for a name; a place ("Северной Кореи"), an institution written
    after "the" ("the Red Cross said") and a German noun after a genitive
    ("mit Nordkoreas Raketen") are none. A name stays one."""
    corpus = versions(
        tmp_path,
        en="Quake\n\nThe toll is rising, the Red Cross said in a statement.\n\nLarry Giles said the beach was shut.\n",
        ru="Санкции\n\nМинистр иностранных дел Северной Кореи заявил в ООН, что санкции вредят.\n",
        de="Rede\n\nEr sagte, dass es unausweichlich sei, mit Nordkoreas Raketen auf die USA zu zielen.\n")
    quotes = {lang: [[form for _sid, form in p.quotes] for p in a.paragraphs[1:]]
              for lang in ("en", "ru", "de") if (a := corpus.article(lang)) is not None}
    assert quotes == {"en": [[], ["Larry Giles"]], "ru": [[]], "de": [[]]}


def test_three_short_russian_syllables_open_a_sentence_as_a_name(entities: Entities) -> None:
    """Russian capitalises only a sentence's first word: three short
    capitalised syllables there are a Korean name (Ри Ён Хо), not the
    grammar's "Ён Хо"."""
    assert people_in(entities, ["Ри Ён Хо заявил на Генеральной Ассамблее, что меры приняты."], "ru") == [
        [("Ри Ён Хо", True)]]


def test_an_arabic_preposition_on_a_verbal_noun_after_a_title_is_no_name(entities: Entities) -> None:
    """الوزير بتسليط الضوء: "the minister, by shedding light"; تسليط alone is
    more frequent than with ب. A name that starts so stays (لويس)."""
    assert people_in(entities, ["وبدلاً من هذا، فقد قام الوزير بتسليط الضوء على ثلاثة اجتماعات.",
                                "وقال الوزير لويس كارلوس إن الاجتماع مهم."], "ar") == [
        [], [("لويس كارلوس", True)]]


def test_a_province_abroad_that_chinese_translates_as_a_common_word_is_no_place(places: PlaceFinder) -> None:
    """海湾省 is Papua New Guinea's Gulf Province; 海湾 alone is "bay", 东方
    "east", 高原 "plateau". Transliterated provinces keep their short names."""
    assert found(places, "该市位于狭长海湾的末端，东方和高原都受影响。", "zh") == []
    assert [form for _gid, form in found(places, "他们去了昆士兰州和巴伐利亚。", "zh")] == ["昆士兰州", "巴伐利亚"]


def test_one_word_after_the_beside_a_speech_word_is_a_thing_s_name(entities: Entities) -> None:
    """"at Newport on the Levee, according to a news release": the Levee is
    a shopping centre's; "the lifeguard, Giles said" names Giles."""
    assert people_in(entities, ["Thieves stole $26,750 from a worker at Newport on the Levee, according to a news "
                                "release.", "The shark was seen by the lifeguard, Giles said."], "en") == [
        [], [("Giles", True)]]


def test_chinese_towns_in_chinese_text_and_towns_that_are_words(places: PlaceFinder) -> None:
    """哈尔滨 and 昆明 are far more frequent in Chinese than Harbin and
    Kunming in English, for their own sake: they are found. 安宁 (Anning,
    107,000 people) is also "peace": alone in a football report it is the
    word; with its kind (安宁市) or after 在 it is the town."""
    assert found(places, "我们在哈尔滨开会，然后去了昆明。", "zh") == [
        ("harbin-2037013", "哈尔滨"), ("kunming-1804651", "昆明")]
    assert found(places, "Menga 让 Connor Goldson 和 Joe Worrall 全场不得安宁。", "zh") == []
    assert found(places, "他在安宁市工作。", "zh") == [("anning-1803886", "安宁市")]
    assert found(places, "他住在安宁。", "zh") == [("anning-1803886", "安宁")]


def test_a_region_is_kept_where_only_small_towns_abroad_share_its_name(places: PlaceFinder) -> None:
    """Somerset is the English county, though two American towns of about
    20,000 bear its name."""
    assert [(gid_of(pid), form) for pid, form in found(
        places, "A 16-year-old was found with stab wounds in Somerset.", "en")] == [(geo.subdivision_gid("GB-SOM"),
                                                                                     "Somerset")]


def test_a_title_in_quotation_marks_gives_no_one_s_words(entities: Entities) -> None:
    """A book's title in title case is no quotation: its publisher does not
    speak. A quotation does, and "said" does whatever it quotes."""
    assert people_in(entities, [
        'Lee, whose book "AI Superpowers: China, Silicon Valley and the New World Order" was published this '
        'month by Houghton Mifflin Harcourt, is the CEO.',
        '"We are not going to stop the work we have started," John Smith told reporters.',
        '"This Is Not What We Wanted At All," said Jane Doe.'], "en") == [
        [("Houghton Mifflin Harcourt", False)], [("John Smith", True)], [("Jane Doe", True)]]


def test_a_name_the_curated_gazetteer_excludes_is_no_mention_of_the_world_one_either(entities: Entities) -> None:
    """香港中文大学(深圳) is a university (``not_in`` for Shenzhen); now that
    the world gazetteer finds Chinese towns in Chinese text, it must not
    find Shenzhen inside it either. 深圳 alone is Shenzhen."""
    texts = ["双方将在香港中文大学(深圳)优势学科领域合作。", "深圳的发展很快。"]
    assert [[cid for cid, _s, _e in ms] for ms in entities.place_mentions(texts, "zh")] == [[], ["shenzhen"]]


def test_a_surname_that_is_a_frequent_word_or_a_month_after_a_given_name(entities: Entities) -> None:
    """Theresa May and Jack White, though "may" and "white" are frequent
    words and May a month; "Friday May 3" names no one."""
    assert people_in(entities, ["Prime Minister Theresa May accused critics of playing politics.",
                                "Rock singer Jack White said he was tired.",
                                "The vote was held on Friday May 3 in London."], "en") == [
        [("Theresa May", False)], [("Jack White", True)], []]


def test_a_town_and_a_plural_name_a_team(entities: Entities) -> None:
    """"the Denver Nuggets", "Chicago Bulls fans said": teams; Austin Powers
    (a surname), Paris Hilton and Oriol Junqueras (Oriol is also Oryol, but
    no "junquera" is an English word) are people."""
    assert people_in(entities, ["James will play against the Denver Nuggets in San Diego.",
                                "He joined the Los Angeles Lakers last year, Chicago Bulls fans said.",
                                "Actor Austin Powers said so.", "Paris Hilton said so.",
                                "Catalan leader Oriol Junqueras said so."], "en") == [
        [], [], [("Austin Powers", True)], [("Paris Hilton", True)], [("Oriol Junqueras", True)]]


def test_a_club_beside_a_speech_word_is_no_speaker(tmp_path: Path) -> None:
    """"— заявил журналистам тренер «Манчестер Сити», Пеп Гвардиола": the
    grammar's name after the speech word is the club; its coach speaks."""
    article = versions(tmp_path, ru="Сити\n\n«Агуэро испытывает проблемы с ногами», — заявил журналистам тренер "
                       "«Манчестер Сити», Пеп Гвардиола.\n").article("ru")
    assert article is not None
    assert [form for _sid, form in article.paragraphs[1].quotes] == ["Пеп Гвардиола"]


def test_a_surname_that_names_a_country_and_a_given_name_with_a_capital_inside(entities: Entities) -> None:
    """Michael Jordan is no "name ending in a country" (Bethesda Maryland
    is); LeBron is frequent in English, but a word written with a capital
    inside is a name's."""
    assert people_in(entities, ["Michael Jordan said he was happy.", "Officials in Bethesda Maryland said so.",
                                "Fans looking to see LeBron James make his first start."], "en") == [
        [("Michael Jordan", True)], [], [("LeBron James", False)]]


def test_jieba_s_tags_come_from_the_cache_as_jieba_posseg_makes_them(tmp_path: Path) -> None:
    """The first process builds jieba.posseg's table and caches it; the next
    loads the same table without importing jieba.posseg; a damaged cache is
    built again."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import sys, json\n"
            "from corpus.places import jieba_tags\n"
            "tags = jieba_tags()\n"
            "print(json.dumps([len(tags), tags.get('深圳'), tags.get('胡刚'), tags.get('研究'), "
            "'jieba.posseg' in sys.modules]))")
    env = {**os.environ, "BRIEFING_JIEBA_CACHE": str(tmp_path)}

    def run() -> list[object]:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                             timeout=300, check=True).stdout
        return list(json.loads(out))

    import jieba.posseg

    table = jieba.posseg.dt.word_tag_tab
    built = run()
    assert built == [len(table), table["深圳"], None, table["研究"], True] and built[1] == "ns"
    [cached] = tmp_path.iterdir()
    assert cached.name.startswith(f"tags-{jieba.__version__}-") and cached.suffix == ".marshal"
    assert run() == [*built[:4], False]
    cached.write_bytes(b"\x00damaged")
    assert run() == built


def test_the_compiled_names_table_carries_what_recognition_derives() -> None:
    """What recognition derives from the whole names table (a name's most
    words after its first, the Han and Arabic names, the Han letters of
    foreign names, the regions and towns by their names' sound) is compiled
    with it, and equals working it out again; a table made in code works
    it out when first asked."""
    table = geo.name_table()
    assert table.derived is not None
    again = geo.derived_lists(table.keys, table.places)
    assert table.derived == again
    assert {"阿", "斯", "特"} <= again.transliteration and len(again.transliteration) < 2000
    assert "纽约" in again.han_names and again.words_after["new"] >= 2
    small = geo.NameTable({"纽约": ((1, 0),), "new york city": ((1, 0),)},
                          {1: ("New York City", "city", "US", 8_000_000, False)}, {})
    assert small.lists().words_after == {"纽约": 1, "new": 3} and small.lists().han_names == ("纽约",)
    from corpus.sound import skeleton

    assert small.lists().heard == {("US", skeleton("New York City")): (1,)}
    croydon = [g for g in table.by_name.get("Croydon", ()) if table.places[g][2] == "GB"]
    assert croydon and set(croydon) <= set(again.heard[("GB", skeleton("Croydon"))])


def test_a_russian_verbal_adverb_gives_the_subjects_words(entities: Entities) -> None:
    """A Russian verbal adverb of speech (заявив, отметив) gives the words of
    its clause's subject, not of the word before its comma: "в рамках
    Брексита, заявив" is no one called Брексит speaking. The verb's own
    forms still give the word beside them (Петров заявил)."""
    assert people_in(entities, ["Борис Джонсон раскритиковал план в рамках Брексита, заявив, что он плох.",
                                "Иван Петров ответил Куликову, отметив, что план хорош.",
                                "Петров заявил, что план хорош."], "ru") == [
        [("Борис Джонсон", True)], [("Иван Петров", True)], [("Петров", True)]]


def test_a_name_after_a_town_s_noun_is_that_place_throughout_the_article(entities: Entities) -> None:
    """A capitalised name right after a noun for a town or an area (in
    English with "of" between) is that place's, in the headline too, though
    the gazetteer lacks so small a town; a given name that opens such a run
    keeps it a person's, and an English noun right before a capital opens a
    title ("the town Mayor …")."""
    assert people_in(entities, ["Midsomer Norton attack: four arrests",
                                "A boy was found injured in the Excelsior Terrace area of Midsomer Norton.",
                                "The town Mayor, Peter Ashby, said the village of John Smith is no place."], "en") == [
        [], [], [("Peter Ashby", True), ("John Smith", False)]]
    assert people_in(entities, ["Die Polizei der Gemeinde Oberwolfach sucht Zeugen, sagte Hans Weber.",
                                "Er wurde im Excelsior-Terrace-Gebiet von Midsomer Norton gefunden.",
                                "Oberwolfach liegt im Schwarzwald."], "de") == [[("Hans Weber", True)], [], []]
    assert people_in(entities, ["Жители деревни Малые Вязёмы пожаловались, заявил Сергей Петров."], "ru") == [
        [("Сергей Петров", True)]]
    # nor is such a name carried there from another version of the article (corpus.project)
    finder = entities.persons
    assert isinstance(finder, PersonFinder)
    text = "He was found in the area of Midsomer Norton."
    assert not finder.plausible("Midsomer Norton", "en", text, text.index("Midsomer"))
    assert finder.plausible("Midsomer Norton", "en", "Midsomer Norton said so.", 0)


def test_a_place_s_name_in_a_short_quoted_title_is_no_mention(entities: Entities) -> None:
    """A place's name inside a short quoted phrase names a thing (a hat
    called "La Bomba", Bumba in the Congo to the gazetteer), in any script
    but Chinese, which quotes its slogans with their places; a quoted
    sentence still mentions its places."""
    def places(text: str, lang: str) -> list[str]:
        return [t for _gid, s, e in entities.place_mentions([text], lang)[0] for t in [text[s:e]]]

    assert places('تألقت القبعات كبيرة الحجم في أعقاب "لا بومبا"، قبعة القش ذات الحافة العريضة.', "ar") == []
    assert places("Oversized hats shone after \u201cLa Bomba\u201d, the straw hat, in Paris.", "en") == ["Paris"]
    assert places('She said: "I was in Kinshasa and then in Paris last week."', "en") == ["Kinshasa", "Paris"]
    from corpus.text import in_short_quote

    text = "“广深科创1+1”云桌会"
    assert not in_short_quote(text, 1, 3)


def test_an_occupation_before_a_name_makes_it_a_person_s_not_a_place_s(tmp_path: Path) -> None:
    """A singer's, a rapper's or an actor's name after the word for the
    occupation (a title of cues.yaml, in any case form: "певицы Арианы") is a
    person's, so the word of it is no place (Ariana in Tunisia); "Рэппер"
    opening a sentence is no part of the name."""
    article = versions(tmp_path, ru="Церемония\n\nРэппер Канье Уэст выступит вместо певицы Арианы, "
                                    "которая отменила участие. Концерт пройдёт в Нью-Йорке.\n")
    ru = article.article("ru")
    assert ru is not None
    body = ru.paragraphs[1]
    assert [c for c in body.cities if c.startswith("aryanah")] == [] and body.cities
    written = {form for _sid, form in (*body.quotes, *body.named)}
    assert {"Канье Уэст", "Арианы"} <= written and not any(f.startswith("Рэппер") for f in written)


def test_chinese_transliterations_are_heard_as_pinyin_sounds(tmp_path: Path) -> None:
    """Pinyin's q and x are English ch and sh (乔丹 is Jordan), a Chinese
    transliteration drops an English r or l that closes a syllable (哈克特,
    Halkett; 波尔特, Poulter), and its parts between the middle dots are
    words (the h of 哈 opens Halkett). Each Chinese name takes its English
    namesake's id, and only the likest: 乔丹·斯皮思 sounds a little like
    Justin Thomas too, who stands beside him."""
    from corpus.sound import sounds_alike

    assert sounds_alike("乔丹·斯皮思", "Jordan Spieth") and sounds_alike("马修·莱恩", "Mathew Ryan")
    assert not sounds_alike("Jordan Spieth", "Джастин Томас")  # as other scripts hear English, nothing changes
    en, zh = version_articles(
        tmp_path,
        en="Ryder Cup: Europe lead\n\nJordan Spieth and Justin Thomas won their match, and Ian Poulter said the "
           "crowd had helped.\n\nCraig Halkett told reporters that he backed Jon Rahm.\n",
        zh="莱德杯：欧洲领先\n\n乔丹·斯皮思和贾斯汀·托马斯赢得了比赛，伊恩·波尔特说观众帮了忙。\n\n"
           "克雷格·哈克特告诉记者，他看好乔恩·拉姆。\n")
    ids = {form: sid for a in (en, zh) for p in a.paragraphs for sid, form in (*p.named, *p.quotes)}
    pairs = [("Jordan Spieth", "乔丹·斯皮思"), ("Justin Thomas", "贾斯汀·托马斯"), ("Ian Poulter", "伊恩·波尔特"),
             ("Craig Halkett", "克雷格·哈克特"), ("Jon Rahm", "乔恩·拉姆")]
    assert [ids.get(z) for _, z in pairs] == [ids[e] for e, _ in pairs]
    assert len({ids[e] for e, _ in pairs}) == len(pairs)


def test_a_name_after_an_acronym_is_its_thing_s(entities: Entities) -> None:
    """Capitals right after an acronym of three letters or more name the
    acronym's thing (HMP Long Lartin, a prison), with an ordinary or a
    non-breaking space between; an acronym that is a title (CEO) names the
    person after it."""
    texts = ["Disorder broke out at HMP Long Lartin in Worcestershire on Sunday.",
             "In HMP\u00a0Long Lartin befinden sich mehr als 500 Strafgefangene.",
             "Apple CEO Tim Cook said the phones were ready."]
    assert people_in(entities, texts[:1], "en") == [[]]
    assert people_in(entities, texts[1:2], "de") == [[]]
    assert people_in(entities, texts[2:], "en") == [[("Tim Cook", True)]]


def test_a_given_name_that_is_a_great_place_s_vouches_for_no_word_after_it(entities: Entities) -> None:
    """Paris is a given name and a capital: before a frequent word that is
    no surname (Paris Fashion Week) it is no person's; before a surname
    (Paris Hilton) or a rarer word (Ariana Grande) it still is."""
    texts = ["Hats dazzled the style set at Paris Fashion Week, and Paris Hilton wore one.",
             "The singer Ariana Grande pulled out of the show."]
    assert people_in(entities, texts, "en") == [[("Paris Hilton", False)], [("Ariana Grande", False)]]


def test_a_name_is_carried_only_to_words_that_open_with_its_sound(tmp_path: Path) -> None:
    """A name carried by its sound into an aligned paragraph that does not
    write it: a span heard only nearly like it must open with its sound
    (ليحتفظ, "to keep", is no Fleetwood), and a German genitive is heard as
    its name (Trumps Kundgebung: Trump, not ذروة موسم, "the season's peak")."""
    de, ar = version_articles(
        tmp_path,
        de="Trump in Wheeling\n\nDonald Trump sprach am Freitag in Wheeling.\n\n"
           "Trumps Kundgebung ist für heute geplant, sagte ein Sprecher.\n\n"
           "Er spielte gut, um den Titel zu halten, sagte Tommy Fleetwood.\n",
        ar="ترامب في ويلينغ\n\nتحدث دونالد ترامب يوم الجمعة في ويلينغ.\n\n"
           "وقال المتحدث إننا نقترب من ذروة موسم الحملات الانتخابية.\n\nلعب جيدا ليحتفظ باللقب.\n")
    assert [sorted(p.named + p.quotes) for p in ar.paragraphs[2:]] == [[], []]
    assert ar.paragraphs[1].named == (("unknown:donald trump", "دونالد ترامب"),)


def test_a_name_is_carried_to_no_span_whose_common_word_it_does_not_sound_in(tmp_path: Path) -> None:
    """Two Arabic words together may nearly sound like a name, its sounds
    spread over a word of the language: يعاني أجويرو ("Aguero suffers", NSL)
    nearly sounds like Mathew Ryan (NSLN). Each common word of a span carried
    as a name must be heard in a word of it (ماثيو ريان: Mathew, Ryan)."""
    _de, ar = version_articles(
        tmp_path,
        de="City gewinnt\n\nSergio Aguero schoss auf Mathew Ryan, den Torwart.\n\n"
           "Nach dem Spiel lobte Pep Guardiola den Torwart Mathew Ryan.\n",
        ar="سيتي يفوز\n\nسدد سيرخيو أجويرو على ماثيو ريان حارس المرمى.\n\n"
           "ذكر مدرب سيتي، بيب جوارديولا، للصحفيين،\"يعاني أجويرو من بعض المشكلات في قدميه\".\n")
    assert "ماثيو ريان" in [form for _sid, form in ar.paragraphs[1].named]
    assert ar.paragraphs[2].named + ar.paragraphs[2].quotes == ()


def test_a_short_name_is_carried_to_no_word_with_more_sounds(tmp_path: Path) -> None:
    """Holt (HLT) is heard nearly in هالكيت (Halkett, HLKT), a word with a
    sound more: not carried there, though other scripts may drop a sound."""
    _en, ar = version_articles(
        tmp_path,
        en="Livingston win\n\nGary Holt praised the team.\n\nThe defence held on, Holt said.\n",
        ar="فوز ليفينجستون\n\nأشاد جاري هولت بالفريق.\n\nوصمد دفاع هالكيت حتى النهاية.\n")
    assert [form for p in ar.paragraphs[1:] for _sid, form in p.named + p.quotes] == ["جاري هولت"]


def test_an_arabic_word_the_article_also_writes_with_the_article_is_its_noun(entities: Entities) -> None:
    """سيول is Seoul and "floods": where the article also writes السيول, the
    word is its noun throughout; without that, the capital stays."""
    places = world(entities)
    assert found(places, "وصل الرئيس إلى سيول أمس.", "ar") == [("seoul-1835848", "سيول")]
    floods = places.resolve(["حذرت الأرصاد من خطر السيول في لوس أنجلوس.", "ومن المتوقع حدوث سيول في لوس أنجلوس."], "ar")
    assert [[pid for pid, _s, _e in ps] for ps in floods] == [["los-angeles-5368361"]] * 2


def test_a_word_heard_as_a_town_before_another_rare_word_is_a_longer_name_s(entities: Entities) -> None:
    """ديكلان sounds like Ottakring, a district of Vienna, which the article
    names; before غالاغر, another rare word, it is Declan Gallagher's given
    name. Alone after a preposition of place, كريدون is still Croydon."""
    places = world(entities)
    got = places.resolve(["تعادل رابيد فيينا مع الفريق.", "حيث تجمع كل من ديكلان غالاغر وروبنسون لإفساح المجال."], "ar")
    assert [[pid for pid, _s, _e in ps] for ps in got] == [["vienna-2761369"], []]
    got = places.resolve(["وقع الهجوم في لندن.", "وقال الشرطة إن الحادث وقع في كريدون يوم الأحد."], "ar")
    assert [[pid for pid, _s, _e in ps] for ps in got] == [["london-2643743"], ["croydon-2651817"]]


def test_a_russian_name_s_words_agree_in_case(entities: Entities) -> None:
    """Two Russian names side by side in two cases are two people's, not
    one name ("игрока Гленна Миддлтона Халкеттом": of Glenn Middleton, by
    Halkett), read by their endings where the dictionary does not know them
    as names (Спитом is no locative); a woman's given name before a surname
    that does not decline is one name."""
    texts = ["Одно за провоцирование запасного игрока Гленна Миддлтона Халкеттом не было удовлетворено.",
             "Заработанные чемпионом Джорданом Спитом и Джастином Томасом очки помогли.",
             "Ольге Смит позвонил Владимир Кавардарков."]
    got = [[name for name, _speaks in ns] for ns in people_in(entities, texts, "ru")]
    assert got == [["Гленна Миддлтона"], ["Джорданом Спитом", "Джастином Томасом"],
                   ["Ольге Смит", "Владимир Кавардарков"]]


def test_an_acronym_before_a_chinese_title_is_no_name(entities: Entities) -> None:
    """A Latin word before a Chinese title after the name (Merriweather 先生)
    is that person, but an acronym there is a field (AI 博士: doctors of AI)."""
    texts = ['"我认为应该自动向 AI 博士提供绿卡，" 他说。', "Merriweather 先生说，钟声很好听。"]
    assert people_in(entities, texts, "zh") == [[], [("Merriweather", True)]]


def test_arabic_names_set_off_after_a_role_and_surnames_that_are_towns(entities: Entities) -> None:
    """After a speech word, a title in the construct state and whose it is,
    then a name between commas, speaks (ذكر مدرب سيتي، بيب جوارديولا،: City's
    coach, Pep Guardiola); after a name's first word, a town's name (Holt,
    Michigan) is its surname; a capital is no part of a name."""
    texts = ['ذكر مدرب سيتي، بيب جوارديولا، للصحفيين، "يعاني أجويرو من بعض المشكلات".',
             "وقال المدرب جاري هولت إن الفريق لعب جيدا.",
             "وقال الرئيس دونالد ترامب واشنطن إن الاتفاق جيد."]
    assert people_in(entities, texts, "ar") == [[("بيب جوارديولا", True)], [("جاري هولت", True)],
                                                [("دونالد ترامب", True)]]


def test_a_name_before_a_publisher_s_noun_is_the_publisher_s(entities: Entities) -> None:
    """出版社 ("publishing house") after a name makes it the publisher's, as
    公司 makes it a company's: 霍顿·米夫林·哈考特 is Houghton Mifflin
    Harcourt, no person; 李开复 beside it is one."""
    texts = ["本月霍顿·米夫林·哈考特出版社出版了李开复的新书。", "李开复表示，美国应加倍投资。"]
    assert people_in(entities, texts, "zh") == [[("李开复", False)], [("李开复", True)]]
    # and 杯 a cup's: 贝特弗雷德杯 is the Betfred Cup, no Fred
    assert people_in(entities, ["杰拉德最终进入贝特弗雷德杯半决赛。"], "zh") == [[("杰拉德", False)]]


def test_a_german_run_that_ends_in_a_building_s_noun_is_the_building_s(entities: Entities) -> None:
    """German nouns after a name are cut off ("Ehemann Dan Baldwin"), but a
    building's or an organisation's word (`organisations`: Arena) makes the
    whole run its name: "in der Tony Macaroni Arena" names no Tony Macaroni."""
    texts = ["Alasdair Lamont von BBC Scotland in der Tony Macaroni Arena Eine phänomenale Leistung."]
    assert people_in(entities, texts, "de") == [[("Alasdair Lamont", False)]]
    # and an adjective that opens a headline is no part of a name: the unbeaten Ayr team
    texts = ["Ayr gegen Melrose 38:17: Ungeschlagenes Ayr-Team steigt an die Spitze auf, sagte Peter Murchie."]
    assert people_in(entities, texts, "de") == [[("Peter Murchie", True)]]
