"""What a word is, for name recognition: reference word lists and
morphology from maintained packages, each loaded once and asked per word
(memoised).

- given names (gender-guesser's dictionary of about 48,000 names of 54
  countries) and frequent surnames (the US census's, through ``names``);
- titles that stand before a name (nameparser's list);
- Russian: the OpenCorpora dictionary through pymorphy3 (names, places,
  common words, in any case form; dictionary forms);
- German: the Hanover Tagger's morphology (common nouns and compounds);
- how common a word is in its language (wordfreq, through ``geo.zipf``).
"""

from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii

from .geo import zipf
from .text import script_of

FUNCTION_ZIPF = 5.5  # a word this frequent (the, am, ein, but) is never part of a name
WORD_ZIPF = 3.5  # a word this frequent is a word of the language; a run made only of such words is no name
_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "ismus", "ität", "tion")  # of German nouns, not of names
GERMAN_STEM_ZIPF = 3.0  # a German noun's last stem this frequent is a word, not HanTa's guess at a name


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """About 48,000 given names of 54 countries, folded (gender-guesser's
    ``nam_dict.txt``, from Jörg Michael's name dictionary)."""
    from importlib.resources import files

    out: set[str] = set()
    data = files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        if line[:1] in ("#", "=", "") or len(line.split()) < 2:
            continue
        name = line.split()[1].lower()
        out.update({name.replace("+", r) for r in ("", " ", "-")} if "+" in name else {name})
    return frozenset(out)


@lru_cache(maxsize=65536)
def given_name(word: str, lang: str) -> bool:
    """Is ``word`` a given name (Mike, Zoran; Джеффа, Кристины in any case),
    and not one of the language's function words that is also a name (Will,
    Eine)?"""
    if script_of(word) == "cyrillic":
        return russian_kind(word) == "name"
    return word.lower() in given_names() and not frequent(word, lang, FUNCTION_ZIPF)


SURNAME_RANK = 5000  # the US census's this many most frequent surnames are names before they are words


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    """The most frequent surnames of the 1990 US census (the ``names``
    package's ``dist.all.last``, in order of frequency), folded."""
    from importlib.resources import files

    rows = files("names").joinpath("dist.all.last").read_text(encoding="utf-8").splitlines()
    return frozenset(row.split()[0].lower() for row in rows[:SURNAME_RANK] if row.strip())


@lru_cache(maxsize=65536)
def surname(word: str) -> bool:
    """Is ``word`` a frequent surname (Simpson, Johnson; Форда as Ford)?"""
    if script_of(word) == "cyrillic":
        return any(anyascii(w).lower().replace("'", "") in _surnames() for w in (word, russian_lemma(word)))
    return word.lower().rstrip("'’s") in _surnames() or word.lower() in _surnames()


@lru_cache(maxsize=1)
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=65536)
def russian_gerund(word: str) -> bool:
    """Is ``word`` a Russian verbal adverb (деепричастие: заявив, отметив,
    говоря), by pymorphy3's likeliest reading?"""
    return script_of(word) == "cyrillic" and _morph().parse(word)[0].tag.POS == "GRND"


_RU_PROPER = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr")


@lru_cache(maxsize=65536)
def russian_kind(word: str) -> str:
    """What the Russian dictionary (OpenCorpora, through pymorphy3) says a
    word is, in any case form: "name" (a given name: Джеффа, Кристины),
    "place" (Македонии), "proper" (a surname, an organisation), "word" (a common word:
    Ассамблеи, Генеральной, Ураган) or "" (unknown: most foreign names)."""
    m = _morph()
    if not m.word_is_known(word.lower()):
        return ""
    tag = m.parse(word)[0].tag
    if "Name" in tag:
        return "name"
    if "Geox" in tag:
        return "place"
    return "proper" if any(t in tag for t in _RU_PROPER) else "word"


# The cases a foreign name's Russian ending may mark (Миддлтона, Халкеттом, Скотту), else its base form's
_RU_ENDINGS = (
    (("ом", "ем", "ём"), frozenset({"ablt"})),
    (("ой", "ей"), frozenset({"ablt", "gent", "datv", "loct", "nomn"})),  # (also a base form: Толстой, Андрей)
    (("а", "я"), frozenset({"nomn", "gent", "accs"})),
    (("у", "ю"), frozenset({"datv", "accs"})),
    (("е",), frozenset({"loct", "datv"})),
    (("и", "ы"), frozenset({"gent", "datv", "loct", "nomn"})),
)
_RU_BASE = frozenset({"nomn", "accs"})


@lru_cache(maxsize=65536)
def _russian_cases(word: str) -> frozenset[str] | None:
    """The grammatical cases a Russian name's word may stand in: by its
    ending and by pymorphy3's readings of it as a name; None where it may
    stand in any (indeclinable: Сутопо, Блази; or short: Ын)."""
    parses = _morph().parse(word)
    if any("Fixd" in p.tag for p in parses):
        return None
    low = word.lower()
    if len(low) <= 3:
        return None
    # what its ending may mark, and what the dictionary reads it as where it knows it as a name (its
    # guesses at a foreign name, Спитом as a locative, or a common word it matches, Куп of купа, are loose)
    ending = next((cases for ends, cases in _RU_ENDINGS if low.endswith(ends)), _RU_BASE)
    return ending | {str(p.tag.case) for p in parses
                     if p.tag.case and any(t in p.tag for t in ("Name", "Surn", "Patr"))}


@lru_cache(maxsize=65536)
def russian_cases_agree(first: str, second: str) -> bool:
    """May two Russian words side by side be one name's? Its words agree in
    case (Гленна Миддлтона; not Миддлтона Халкеттом, "of Middleton by
    Halkett"), but for a woman's given name before a surname in its base
    form, which does not decline (Ольге Смит). An ending that two cases
    share agrees (Менга Скотту, "Menga to Scott", stays one run: а and у
    are both accusative endings)."""
    a, b = _russian_cases(first), _russian_cases(second)
    if a is None or b is None or a & b:
        return True
    return "nomn" in b and any("Name" in p.tag and "femn" in p.tag for p in _morph().parse(first))


@lru_cache(maxsize=65536)
def russian_noun(word: str) -> bool:
    """Is the word, written small, most likely a Russian noun (бич, терраса;
    not спит, "sleeps")?"""
    return _morph().parse(word.lower())[0].tag.POS == "NOUN"


@lru_cache(maxsize=65536)
def russian_lemma(word: str) -> str:
    """A Russian word's dictionary form (заявила -> заявить)."""
    return str(_morph().parse(word)[0].normal_form)


def language_word(word: str, lang: str) -> bool:
    """A common word of the language, not a name: wordfreq's frequency, and
    for Russian the dictionary's own tags (wordfreq does not tell Форд the
    name from форд, or Трамп from трамп)."""
    if script_of(word) == "cyrillic":
        return russian_kind(word) == "word"
    return frequent(word, lang, WORD_ZIPF)


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    """Titles that stand before a name (nameparser's list: president, minister, reverend, mr ...)."""
    from nameparser.config import CONSTANTS

    return frozenset(str(t).lower() for t in CONSTANTS.titles)


@lru_cache(maxsize=1)
def _hanta():  # type: ignore[no-untyped-def]
    """The Hanover Tagger's German morphology model (1.2 MB in the wheel, 0.25 s to load)."""
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


@lru_cache(maxsize=65536)
def german_nouns_in(word: str) -> tuple[str, ...]:
    """The noun stems HanTa finds in a German word that it reads as a common
    noun (``NN``), lower case (Windgeschwindigkeiten: wind, geschwindigkeit);
    empty for a proper noun or another part of speech."""
    if _hanta_tag(word) != "NN":  # tagged first: the morphemes are worked out only for a common noun
        return ()
    _lemma_, morphemes, _tag = _hanta().analyze(word, pos="NN", taglevel=3)
    return tuple(m for m, t in morphemes if t == "NN")


@lru_cache(maxsize=65536)
def german_noun(word: str) -> bool:
    """A German common noun (Anhörung, Notstand, Ehemann, and compounds no
    list holds: Nationalversammlungsmitglied): HanTa reads it as ``NN``, not
    the proper noun ``NE``, and its last noun stem is a word of German
    (HanTa also guesses at words it does not know: Gjorge as Gjorg + e,
    Zoran as Zora + n). Not a given name or a frequent surname (Dan,
    Coupe). Frequency alone does not tell: Merkel is far more frequent in
    German than in English, and a name."""
    if not word[:1].isupper() or given_name(word, "de") or surname(word):
        return False
    if possessed_noun(word):
        return True
    if not german_nouns_in(word):
        return False
    if len(word) >= 8 and word.lower().endswith(_NOUN_ENDINGS):
        return True  # (or it ends as German nouns are made from verbs and adjectives: Denuklearisierung)
    # a compound HanTa left whole (Kunsterzeugnisse): it ends in a German word of five letters or more
    w = word.lower()
    return len(w) >= 9 and any(zipf(w[k:], "de") >= GERMAN_STEM_ZIPF for k in range(4, len(w) - 4))


@lru_cache(maxsize=65536)
def possessed_noun(word: str) -> bool:
    """Is ``word``, after a German genitive, the thing possessed: a common
    noun to HanTa whose last stem is a frequent German word, though the
    word is a given name too (Tor, Duo, Mark)? A surname is not."""
    stems = german_nouns_in(word) if word[:1].isupper() and not surname(word) else ()
    return bool(stems) and zipf(stems[-1], "de") >= GERMAN_STEM_ZIPF


@lru_cache(maxsize=65536)
def german_adjective(word: str) -> bool:
    """A German adjective in an inflected form, capitalised where it opens
    a sentence or a headline (Ungeschlagenes, Neue): HanTa reads it, written
    small, as an attributive adjective, and it has an adjective's ending."""
    low = word.lower()
    return low.endswith(("e", "es", "er", "en", "em")) and _hanta_tag(low) == "ADJ(A)"


def _hanta_tag(word: str) -> str:
    """HanTa's likeliest part of speech for the word: what its ``analyze``
    tags it with before working out the morphemes, which costs as much again."""
    return str(_hanta().tag_word(word, cutoff=0)[0][0])


def german_compound(word: str) -> bool:
    """A German noun made of two nouns or more (Windgeschwindigkeiten: Wind
    + Geschwindigkeit)."""
    return len(german_nouns_in(word)) >= 2


def name_language(word: str, lang: str) -> str:
    """The language a name's word is judged in: Russian for Cyrillic, the
    text's own for English and German, and English for a Latin word in
    Chinese or Arabic text."""
    script = script_of(word)
    if script == "cyrillic":
        return "ru"
    return lang if lang in ("en", "de") else "en"


@lru_cache(maxsize=131072)
def frequent(word: str, lang: str, floor: float) -> bool:
    """Is ``word`` at least this frequent (wordfreq's Zipf scale) in the language its name is judged in?"""
    return zipf(word, name_language(word, lang)) >= floor
