"""Recognise the places an article names, in any of its languages, and
resolve each to one GeoNames place.

Recognition looks the article's words up in the world gazetteer
(``corpus.geo``), with a rule per script:

- Latin and Cyrillic: a name starts with a capital letter. Russian case
  forms are folded by the Snowball stemmer (Лондоне, Лондона), Arabic words
  are tried with and without their proclitics (والمكسيك, بلندن).
- A name inside a longer run of capitalised words is part of another name
  ("Paris Hilton", "Washington Examiner", "Kansas City Chiefs"), and a name
  after "University of", "Bank of" is part of an organisation's name.
- Han: the longest name at each position that starts and ends on jieba's
  word boundaries (中山 inside 中山大学 is one word, a university).
- A name that is also a common word of the language (``wordfreq``: more
  frequent there than in the languages that share its script: Essen in
  German, Reading in English, الوسط in Arabic) counts only with evidence: a
  capital letter in the middle of a sentence after a locative word (in,
  aus, в, في, مدينة ...) in the languages that capitalise names only, or a
  large population. Month and weekday names (CLDR, ``babel``) are never places.

Disambiguation, among the places a name fits: population (a region or
country weighs as a large place), a country over a city of the same name,
capitals, and the countries the same article names (Georgia next to Atlanta
is the state). A name that fits places of one English name fits every place
of that name (واشنطن is spelt only for small Washingtons in GeoNames, yet
names the capital).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .geo import (
    HAN_COUNTRIES,
    SMALL_TOWN,
    NameTable,
    arabic_variants,
    fold_token,
    more_than_fame,
    name_key,
    name_table,
    place_id,
    qualified_id,
    russian_variants,
    zipf,
)
from .namewords import given_name, surname
from .segmenter import jieba_module, jieba_tags
from .text import (
    AR_TANWEEN,
    HAN_RE,
    arabic_definite_nouns,
    definite_elsewhere,
    fold_word,
    normalize_arabic,
    script_of,
    words,
)

HAN_LOCATIVES = "在于从到自"  # Chinese prepositions of place (在 in, 于 at, 从 from, 到 to, 自 from)
HAN_TOWN_KINDS = "市县区镇"  # a Chinese town's name with its kind (安宁市, 龙岗区)
_HAN_FUNCTION_TAGS = set("upcdrmqfy")  # jieba's tags of particles, prepositions, conjunctions, adverbs, pronouns ...
CARRIED_ZIPF = 3.0  # a word this frequent is a word of its language, not a place's name carried by its sound

Mention = tuple[str, int, int]  # (place id, start, end)

_SENTENCE_START = re.compile(r"(?:^\s*|[.!?。！？…:;»«\"“”„()\[\]—–-]\s*)$")


def opens_sentence(text: str, start: int) -> bool:
    """Does the word at ``start`` open a sentence (a paragraph's start, or
    after a full stop, a colon, a quotation mark or a dash)? A few
    characters back suffice."""
    return start == 0 or bool(_SENTENCE_START.search(text[max(0, start - 4) : start]))
_LOCATIVE = {
    "en": {"in", "at", "from", "to", "near", "outside", "across", "into", "around"},
    "de": {"in", "aus", "nach", "bei", "von", "im"},
    "ru": {"в", "во", "из", "под", "около", "на"},
    "ar": {"مدينة", "بمدينة", "لمدينة", "عاصمة", "العاصمة"},
}
_ORG_BEFORE = re.compile(r"(?:\b[A-ZА-Я][\w.'’-]*\s+(?:of|de|von|der|des)\s+(?:the\s+)?)$")
_NAME_DOTS = set("·•‧・∙")
_PARTICLES = {"de", "del", "la", "le", "on", "upon", "am", "an", "der", "el", "al"}
_JOINERS = re.compile(r"^[\s\-.'’]*$")
_CAP = re.compile(r"^[A-ZÀ-ÞА-ЯЁ]")
OWN_NAME = 0.5  # a place named by its own name, not another's (log10 of population: 3x as many people)
FUNCTION_ZIPF = 5.0  # a sentence's capitalised first word this frequent is a common word, not a first name
_COMPOUND = re.compile(r"-\w")
_CLUBS = frozenset({"city", "united", "сити", "юнайтед"})  # after a town with no such city: a club's name
_AR_CLUBS = frozenset({normalize_arabic("سيتي"), normalize_arabic("يونايتد")})  # City, United after a club's town
_AR_CITY = normalize_arabic("سيتي")  # compared with a word's first arabic_variants (normalised, memoised)
_SAINTS = frozenset({"st", "saint", "ste", "sankt", "san", "santa", "são", "sao",
                     "сент", "сен", "санкт", "сан", "санта", "سانت", "سان", "سانتا", "圣"})
_POSSESSIVE = re.compile(r"['’]s\b")
BIG = 1_000_000  # a place this large is evidence enough for a name that is also a word
HEARD_SKELETON = 4  # consonants a town heard in Arabic sounds with, at least, to be heard (Croydon KLTN; not Palu PL)
MISSPELT = 85  # rapidfuzz ratio from which an unknown Arabic word is a gazetteer name misspelt
HEARD_MARGIN = 10  # a city heard in Arabic is this many times larger than any other of the same sound there
# the points of the compass after a place's name, as Arabic writes "West", "North" (فيرجينيا الغربية)
_AR_DIRECTIONS = frozenset({"الغربية", "الشرقية", "الشمالية", "الجنوبية", "الغربي", "الشرقي", "الشمالي", "الجنوبي"})
_RU_PLACE_PREPOSITIONS = frozenset({"в", "во", "из", "до", "около", "под", "близ", "возле"})
_AR_PLACE_PREPOSITIONS = frozenset({"في", "إلى", "الى", "من", "بين", "قرب", "نحو", "حتى"})
FAME_MARGIN = 0.5  # an Arabic word this much more frequent than a city's English name is still its name


AR_POSSESSIVES = ("هما", "ها", "هم", "هن", "نا", "ه")  # pronouns written onto a noun: their, her, our, his ...


def arabic_possessed(word: str, suffixes: Sequence[str] = AR_POSSESSIVES) -> bool:
    """A noun with a possessive pronoun (مزحته "his joke", جامعاتنا "our
    universities"): the word without the pronoun, its ت read as ة, is a
    word of the language (CARRIED_ZIPF)."""
    for suffix in suffixes:
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3:
            forms = (base, base[:-1] + "ة") if base.endswith("ت") else (base,)
            return any(zipf(f, "ar") >= CARRIED_ZIPF for f in forms)
    return False


@lru_cache(maxsize=8)
def calendar_words(lang: str) -> frozenset[str]:
    """Month and weekday names of ``lang`` (CLDR), folded: never places."""
    from babel import Locale

    try:
        loc = Locale.parse(lang)
    except Exception:  # an unknown language code: no calendar words
        return frozenset()
    out: set[str] = set()
    for table in (loc.months, loc.days):
        for ctx in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                out.update(name_key(str(v)) for v in table.get(ctx, {}).get(width, {}).values())
    return frozenset(k for k in out if k)


def headline(toks: Sequence[tuple[str, int, int]]) -> bool:
    """A headline in title case ("Volcano Spews Ash On Mexico City"): three
    capitalised words or more and no lower-case word longer than four
    letters (title case leaves only short words such as "of", "the" small)."""
    alpha = [w for w, _, _ in toks if script_of(w) in ("latin", "cyrillic")]
    return sum(bool(_CAP.match(w)) and len(w) > 3 for w in alpha) >= 3 and \
        not any(w[:1].islower() and len(w) > 4 for w in alpha)


def transliteration_alphabet() -> frozenset[str]:
    """The characters Chinese writes foreign names with (阿, 布, 斯, 特 …),
    derived from the world gazetteer: the Han characters of the names of
    places outside the Chinese-, Japanese- and Korean-speaking world that
    occur in many of them (compiled with it: corpus.geo.derived_lists)."""
    return name_table().lists().transliteration


def on_word_boundaries(text: str, s: int, e: int) -> bool:
    """Do ``text[s:e]``'s ends fall between jieba's words (哈莱姆 in 哈莱姆于
    1870, not 哈莱姆于)? Always for other scripts."""
    if not HAN_RE.match(text[s : s + 1]):
        return True
    lo, hi = s, e
    while lo > 0 and HAN_RE.match(text[lo - 1]):
        lo -= 1
    while hi < len(text) and HAN_RE.match(text[hi]):
        hi += 1
    bounds = word_boundaries(text[lo:hi])
    return s - lo in bounds and e - lo in bounds


@lru_cache(maxsize=4096)
def han_words(run: str) -> tuple[str, ...]:
    """jieba's words of a run of Han text (memoised: the recognisers ask of
    the same runs again and again)."""
    return tuple(jieba_module().cut(run, HMM=False))


@lru_cache(maxsize=4096)
def word_boundaries(run: str) -> frozenset[int]:
    """Where jieba's words begin and end in a run of Han text."""
    return frozenset(itertools.accumulate((len(tok) for tok in han_words(run)), initial=0))


MEMO_MAX = 65536  # entries a per-word memo holds before it starts afresh


def memo(store: dict[Any, Any], key: Any, compute: Callable[[], Any]) -> Any:
    """``store[key]``, computed once: a recogniser's memo of what it asks of
    the same words again and again, bounded (emptied when full) for a
    worker that reads a million articles."""
    got = store.get(key)
    if got is None:
        if len(store) >= MEMO_MAX:
            store.clear()
        got = store[key] = compute()
    return got


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    gids: tuple[int, ...]
    common: bool  # the name is also a common word of the text's language
    cue: bool  # a locative word right before it


def _club_word(word: str) -> bool:
    """City or United (Сити, سيتي …): after a town the gazetteer has no such city of, a club's name."""
    return arabic_variants(word)[0] in _AR_CLUBS if script_of(word) == "arabic" else word.casefold() in _CLUBS


def after_han_locative(text: str, at: int, prepositions: str = HAN_LOCATIVES) -> bool:
    """Does a Chinese preposition of place (one of ``prepositions``) stand
    right before ``text[at:]`` (在Birkenhead, 在 Skopje)?"""
    before = text[:at].rstrip(" ")
    return bool(before) and before[-1] in prepositions


class PlaceFinder:
    """Finds and resolves the places of one article at a time."""

    def __init__(self, table: NameTable, claimed: dict[int, str] | None = None,
                 pins: dict[str, int] | None = None, organisations: frozenset[str] = frozenset(),
                 place_kinds: frozenset[str] = frozenset()) -> None:
        self.table = table
        # Arabic words for a place's kind (مدينة نيويورك, ولاية أيوا): never a place themselves (Medina),
        # nor one name with the place after them
        self._ar_kinds = frozenset(arabic_variants(w)[0] for w in place_kinds if script_of(w) == "arabic")
        # the words that make a name an organisation's or a building's (knowledge/cues.yaml), but for those
        # that name a place's own kind (Region, 市): a place before one (Riverside Church,
        # Stamford-Bridge-Stadion, 贵阳晚报) or, in Arabic, after one (جامعة ميشيغان) is part of that name
        kinds = {w.casefold() for w in place_kinds}
        self.organisations = frozenset(w.casefold() for w in organisations) - kinds
        self._han_orgs = tuple(sorted((w for w in self.organisations if HAN_RE.match(w[:1])), key=len, reverse=True))
        self.claimed = claimed or {}  # GeoNames id -> curated place id (the YAML gazetteer wins)
        self.pins = {name_key(k): v for k, v in (pins or {}).items()}  # a name -> the one place it means here
        self._han_names: Any = None  # an Aho-Corasick automaton of the Han names, made when first needed
        self._phrases: dict[tuple[str, str], tuple[int, ...]] = {}
        self._longest_memo: dict[str, int] = {}  # asked of every Arabic word and every capitalised one
        self._city_sounds: dict[str, int] | None = None  # made when first needed (_cities_by_sound)
        self._misspelt: dict[str, str] = {}  # a span -> the name it misspells, or ""
        self._words_after = table.lists().words_after  # first word of a name -> most words a name beginning with it has

    # -- recognition -----------------------------------------------------------
    def is_place(self, phrase: str, lang: str) -> tuple[int, ...]:
        """The places a short phrase names as a whole (memoised: the people
        recogniser asks about the same words again and again)."""
        return memo(self._phrases, (phrase, lang), lambda: tuple(
            g for c in self.candidates(phrase, lang) if c.start == 0 and c.end == len(phrase) for g in c.gids))

    def could_be(self, span: str, lang: str) -> bool:
        """Could ``span``, carried here by its sound from another version of
        the article (:mod:`corpus.project`), be a place's name in this
        language, though the gazetteer does not spell it so (巴鲁 for Palu)?
        Han: no word of jieba's dictionary but a place's or a foreign name's;
        Arabic: rare words; Latin and Cyrillic: capitalised words that are no
        common words."""
        toks = [w for w, _, _ in words(span)]
        script = script_of(span)
        if not toks or script not in ("han", "arabic", "latin", "cyrillic"):
            return False
        if script == "han":
            # jieba's words of the span: none of them a particle, preposition or other function word
            # (哈莱姆 in 哈莱姆的 or 哈莱姆于); a name is unknown to it or a name to it
            tags = jieba_tags()
            cut = list(jieba_module().cut(span, HMM=False))
            return all(ch in transliteration_alphabet() for ch in span) and \
                not any(tags.get(tok, "x")[:1] in _HAN_FUNCTION_TAGS for tok in cut) and \
                (len(cut) > 1 or tags.get(span, "nr")[:2] in ("nr", "ns"))
        if script == "arabic":
            return all(zipf(w, "ar") < CARRIED_ZIPF for w in toks)
        return all(w[:1].isupper() and zipf(w, lang) < CARRIED_ZIPF for w in toks)

    def candidates(self, text: str, lang: str, parts: set[str] | None = None,
                   orgs: set[str] | None = None) -> list[Candidate]:
        """The names of places in ``text``; ``parts`` collects the words seen
        inside people's names and other longer names (Dan Baldwin, 约翰·琼斯),
        ``orgs`` the places' names seen inside an organisation's or a
        building's (Riverside Church, 威斯敏斯特宫, كنيسة سانت مارتن)."""
        parts = set() if parts is None else parts
        orgs = set() if orgs is None else orgs
        out = self._alphabetic(text, lang, parts, orgs)
        if HAN_RE.search(text):
            out.extend(self._han(text, lang, parts, orgs))
        return out

    def _lookup(self, key: str, lang: str) -> tuple[tuple[int, ...], bool] | None:
        entry = self.table.keys.get(key)
        if not entry:
            return None
        bit = {"en": 1, "de": 2}.get(lang, 4)
        only = {"en": 8, "de": 16}.get(lang, 0)
        gids = tuple(g for g, fl in entry if not fl & 24 or fl & only)
        if not gids:
            return None
        # a common word only if no place of the name is famous enough to explain how often it is written
        # (موسكو: Moscow, though GeoNames also spells Mesquite, Texas, so)
        return gids, all(fl & bit for g, fl in entry if g in gids)

    def _alphabetic(self, text: str, lang: str, parts: set[str], orgs: set[str]) -> list[Candidate]:
        toks = [w for w in words(text) if script_of(w[0]) != "han"]
        out: list[Candidate] = []
        calendar = calendar_words(lang)
        # A headline in title case ("Volcano Spews Ash On Mexico City") capitalises every word:
        # there, capitals say nothing about where a name ends.
        in_headline = headline(toks) and not HAN_RE.search(text) and \
            not any(script_of(w) == "arabic" for w, _, _ in toks)  # Latin names in Chinese text are no headline
        i = 0
        while i < len(toks):
            word, s, _ = toks[i]
            script = script_of(word)
            if script != "arabic" and not _CAP.match(word) or \
                    script == "arabic" and self._ar_kinds and not self._ar_kinds.isdisjoint(arabic_variants(word)):
                i += 1
                continue
            best = self._longest_at(toks, i, text, lang, script, calendar)
            if script == "arabic":
                best = self._arabic_city(toks, i, best, text, lang)
            inside = self._inside_name(toks, i, best[0], text, lang) if best and not in_headline else ""
            if best and inside:
                if inside == "org":
                    orgs.add(text[best[1].start : best[1].end])
                elif best[0] == 1:
                    parts.add(text[best[1].start : best[1].end])
                best = None
            if best and script == "arabic" and out and out[-1].end < best[1].start and \
                    text[out[-1].end : best[1].start] == " ":
                best = None  # two names side by side are one name: قوانغتشو ديلي is the Guangzhou Daily
            if best:
                out.append(best[1])
                i += best[0]
            else:
                i += 1
        return out

    def _longest_at(self, toks: list[tuple[str, int, int]], i: int, text: str, lang: str, script: str,
                    calendar: frozenset[str]) -> tuple[int, Candidate] | None:
        """The longest gazetteer name that starts at word ``i``, with its length in words."""
        word, s, _ = toks[i]
        for n in range(min(self._longest(word, script), len(toks) - i), 0, -1):
            span = toks[i : i + n]
            if any(not _JOINERS.match(text[a[2] : b[1]]) for a, b in zip(span, span[1:], strict=False)):
                continue
            if script != "arabic" and not all(_CAP.match(w) or w.lower() in _PARTICLES for w, _, _ in span[1:]):
                continue
            for key in self._keys(span, script, lang):
                if key in calendar:
                    continue
                hit = self._lookup(key, lang)
                if hit and key in self.table.capitals_only and \
                        (not all(w.isupper() for w, _, _ in span) or _COMPOUND.match(text, span[-1][2])):
                    continue  # US, UK only in capitals ("Us" opening a sentence is no country), and not
                    # as the first part of a compound (US-Dollar, US-Regierung: the country's adjective)
                if hit and n == 1 and word.isupper() and len(word) <= 4 and \
                        not any(self.table.places[g][1] == "country" for g in hit[0]):
                    continue  # an acronym (ERA, NATO) is a place only when a country is called so
                if hit:
                    end = span[-1][2] + (text[span[-1][2] : span[-1][2] + 1] == "." and len(span[-1][0]) == 1)
                    common = n == 1 and (hit[1] or self._common_as_written(word, lang, hit[0]))
                    return n, Candidate(s, end, hit[0], common, self._cue(text, s, lang))  # U.S.
        return None

    def _common_as_written(self, word: str, lang: str, gids: tuple[int, ...]) -> bool:
        """Is the word, as the text writes it, a common word of its language
        though the gazetteer's spelling is not: a case form (Совета, "of the
        council", is no Soweto), a proclitic (بأمان, "safely", is no Amman),
        a letter the gazetteer's key merges (هوية, "identity", beside a rare
        هويه, is no Huế)? Latin script as the gazetteer flags it."""
        if script_of(word) == "latin" or lang in ("en", "de"):
            return False
        facts = self.table.places
        fame = max((zipf(facts[g][0], "en") for g in gids if g in facts), default=0.0)
        return more_than_fame(word, lang, fame)

    def _arabic_city(self, toks: list[tuple[str, int, int]], i: int, best: tuple[int, Candidate] | None,
                     text: str, lang: str) -> tuple[int, Candidate] | None:
        """An Arabic name followed by سيتي ("city") is the English name's city
        where GeoNames has one: مكسيكو سيتي is Mexico City, not Mexico."""
        if best is not None:
            n, c = best
            if i + n >= len(toks) or arabic_variants(toks[i + n][0])[0] != _AR_CITY or \
                    text[c.end : toks[i + n][1]] != " ":
                return best
            for g in c.gids:
                hit = self._lookup(f"{name_key(self.table.places[g][0])} city", "en") \
                    if g in self.table.places else None
                if hit:
                    return n + 1, Candidate(c.start, toks[i + n][2], hit[0], False, c.cue)
            return best
        # a word no name spells, before سيتي: the city of the English name it sounds like (مكسيكو سيتي)
        if i + 1 < len(toks) and arabic_variants(toks[i + 1][0])[0] == _AR_CITY and not toks[i][0].startswith("ال") \
                and zipf(toks[i][0], "ar") < FUNCTION_ZIPF:
            from .sound import skeleton  # (corpus.sound builds on corpus.people, which builds on this module)

            gid = self._cities_by_sound().get(skeleton(toks[i][0]))
            if gid is not None:
                return 2, Candidate(toks[i][1], toks[i + 1][2], (gid,), False, self._cue(text, toks[i][1], lang))
        return best

    def _cities_by_sound(self) -> dict[str, int]:
        """The sound (corpus.sound.skeleton) of X for each city of SMALL_TOWN
        or more that GeoNames calls "X City" and no other such city shares it."""
        if self._city_sounds is None:
            from .sound import skeleton

            seen: dict[str, list[int]] = {}
            for gid, (name, kind, _country, population, _capital) in self.table.places.items():
                if kind == "city" and name.endswith(" City") and population >= SMALL_TOWN:
                    seen.setdefault(skeleton(name[:-5]), []).append(gid)
            self._city_sounds = {k: gs[0] for k, gs in seen.items() if len(gs) == 1 and len(k) >= 3}
        return self._city_sounds

    def _longest(self, word: str, script: str) -> int:
        """The most words a name that may begin with ``word`` has (0: none does)."""
        return memo(self._longest_memo, word, lambda: self._longest_of(word, script))

    def _longest_of(self, word: str, script: str) -> int:
        if script == "latin":
            return self._words_after.get(fold_token(word), 0)
        firsts = arabic_variants(word) if script == "arabic" else russian_variants(word, True)
        return max(self._words_after.get(f, 0) for f in firsts)

    @staticmethod
    def _keys(span: Sequence[tuple[str, int, int]], script: str, lang: str) -> list[str]:
        if script == "arabic":
            first = arabic_variants(span[0][0])
            rest = " ".join(fold_token(w) for w, _, _ in span[1:])
            return [f"{v} {rest}".strip() for v in first]
        if script == "cyrillic":
            options = [russian_variants(w, adjective=j < len(span) - 1) for j, (w, _, _) in enumerate(span)]
            return [" ".join(c) for c in itertools.islice(itertools.product(*options), 64)]
        key = " ".join(fold_token(w) for w, _, _ in span)
        keys = [key]
        if lang == "de" and len(span) == 1 and key.endswith("s") and len(key) > 4:
            keys.append(key[:-1])  # German genitive: Londons, Chinas
        return keys

    @staticmethod
    def _cue(text: str, start: int, lang: str) -> bool:
        before = words(text[max(0, start - 20) : start])
        return bool(before) and before[-1][0].lower() in _LOCATIVE.get(lang, _LOCATIVE["en"])

    def is_club(self, span: str, lang: str) -> bool:
        """Is ``span`` a town and City or United, a club's name (Manchester
        City, Манчестер Сити, مانشستر سيتي)?"""
        toks = words(span)
        if len(toks) < 2:
            return False
        return _club_word(toks[-1][0]) and bool(self.is_place(span[: toks[-2][2]], lang))

    def _inside_name(self, toks: list[tuple[str, int, int]], i: int, n: int, text: str, lang: str) -> str:
        """Is the name part of a longer name? "org": an organisation's or a
        building's ("X of" before it, its word after it, in Arabic before
        it; a saint's name with 's: St. Martin's, a church); "name": a
        capitalised word joined to it on either side (not a sentence's first
        word); "": neither."""
        s, e = toks[i][1], toks[i + n - 1][2]
        if script_of(toks[i][0]) == "arabic":
            # (or a town before سيتي that GeoNames has no city of, مانشستر سيتي, or before يونايتد: a club)
            club = i + n < len(toks) and text[e : toks[i + n][1]] == " " and _club_word(toks[i + n][0])
            return "org" if club or i > 0 and text[toks[i - 1][2] : s] == " " and toks[i - 1][0] in self.organisations \
                else ""
        if _ORG_BEFORE.search(text[max(0, s - 40) : s]) or self._org_follows(toks, i + n, e, text) or \
                n > 1 and toks[i][0].casefold() in _SAINTS and _POSSESSIVE.match(text, e):
            return "org"
        if i + n < len(toks):
            w, ns, _ = toks[i + n]
            if text[e:ns] == " " and _CAP.match(w) and _club_word(w):
                return "org"  # Manchester City, Leeds United: no such city in the gazetteer, so a club
            if text[e:ns] in (" ", "-") and _CAP.match(w) and self._name_like(w, lang) and \
                    not self._person_follows(toks, i, n, text, lang):
                return "name"
        if i > 0:
            w, ps, pe = toks[i - 1]
            opening = opens_sentence(text, ps)  # "In London": a capital that opens a sentence
            if text[pe:s] in (" ", "-") and _CAP.match(w) and self._name_like(w, lang) \
                    and (not opening or zipf(w, lang if lang in ("en", "de", "ru") else "en") < FUNCTION_ZIPF) \
                    and not after_han_locative(text, ps):
                return "name"  # (but 在Merseyside Birkenhead is a place in its county)
        return ""

    @staticmethod
    def _person_follows(toks: list[tuple[str, int, int]], i: int, n: int, text: str, lang: str) -> bool:
        """Does a person's full name follow the place, given name first
        ("в Скопье Владимир Кавардарков", "in Skopje Vladimir Kavardarkov")?
        Not where the place's own word is a given name (Chelsea Clinton,
        Jordan Spieth)."""
        k = i + n
        if k + 1 >= len(toks) or text[toks[k][2] : toks[k + 1][1]] != " " or not _CAP.match(toks[k + 1][0]):
            return False
        return given_name(toks[k][0], lang) and not any(given_name(w, lang) for w, _, _ in toks[i:k])

    def _org_follows(self, toks: list[tuple[str, int, int]], k: int, end: int, text: str) -> bool:
        """Does the run of capitalised words joined to the name (Louisiana
        State University) contain an organisation's or a building's word,
        or does a Chinese one follow a Latin name (Riverside 教堂)?"""
        # (after an abbreviation's dot too: the U.S. Senate; across "and" before a possessive: Brigham and
        # Women's Hospital)
        while k < len(toks):
            if toks[k][0] == "and" and k + 1 < len(toks) and text[end : toks[k][1]] == " " and \
                    text[toks[k][2] : toks[k + 1][1]] == " " and _POSSESSIVE.match(text, toks[k + 1][2]):
                end, k = toks[k][2], k + 1  # Brigham and Women's Hospital (not "Las Vegas and Salt Lake City")
            elif text[end : toks[k][1]] == " & ":
                end = toks[k][1] - 1
            if not (text[end : toks[k][1]] in (" ", "-") or
                    text[end : toks[k][1]] == ". " and len(toks[k - 1][0]) == 1) or not _CAP.match(toks[k][0]):
                break
            if toks[k][0].casefold() in self.organisations:
                return True
            end = toks[k][2]
            k += 1
            if k < len(toks) and toks[k][0] == "s" and text[end : toks[k][1]] in ("'", "’"):
                end = toks[k][2]  # Women's
                k += 1
        return self._han_org_at(text, end)

    def _han_org_at(self, text: str, at: int) -> bool:
        rest = text[at : at + 8].lstrip(" ")
        return bool(self._han_orgs) and rest.startswith(self._han_orgs)

    def _name_like(self, word: str, lang: str) -> bool:
        """Could a capitalised neighbour be part of a name? In German every
        noun is capitalised: there only a word that is no common noun counts."""
        if word.isupper() and len(word) <= 4:
            return False  # an acronym beside a place (US, UN) is not one name with it
        if lang != "de":
            return True
        return not _common_de(word)

    def _han_automaton(self) -> Any:
        """Every Han name of two characters or more, for one pass of
        Aho-Corasick over a run of text (pyahocorasick, in C): 20,000 names,
        40 ms to build."""
        if self._han_names is None:
            import ahocorasick

            names = ahocorasick.Automaton()
            for k in self.table.lists().han_names:
                names.add_word(k, len(k))
            names.make_automaton()
            self._han_names = names
        return self._han_names

    def _han(self, text: str, lang: str, parts: set[str], orgs: set[str]) -> list[Candidate]:
        """The longest gazetteer name at each position of each Han run, left
        to right, that starts and ends on jieba's word boundaries."""
        out: list[Candidate] = []
        names = self._han_automaton()
        for run in re.finditer(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
            chunk, base = run.group(), run.start()
            at: dict[int, list[int]] = {}  # start -> lengths of the names found there
            for end, n in names.iter(chunk):
                at.setdefault(end - n + 1, []).append(n)
            if not at:
                continue
            bounds: frozenset[int] | None = None
            free = 0  # the first position no accepted name covers
            for i in sorted(at):
                if i < free:
                    continue
                found = None
                for n in sorted(at[i], reverse=True):
                    hit = self._lookup(chunk[i : i + n], "zh")
                    if not hit:
                        continue
                    if bounds is None:
                        bounds = word_boundaries(chunk)
                    if i in bounds and i + n in bounds:
                        found = (n, hit)
                        break
                if found is None:
                    continue
                n, (gids, common) = found
                # a town of the Chinese-speaking world is written far more often in Chinese than in English
                # for its own sake (哈尔滨, 昆明), not for being a word; a word that names one (安宁, "peace")
                # needs evidence all the same (:meth:`_abroad`)
                common = common and not any(self.table.places[g][2] in HAN_COUNTRIES for g in gids
                                            if g in self.table.places)
                free = i + n
                if not self._han_place(chunk, i, n, gids):
                    parts.add(chunk[i : i + n])
                    continue
                s, e = base + i, base + i + n
                if text[s - 1 : s] in _NAME_DOTS or text[e : e + 1] in _NAME_DOTS:
                    parts.add(chunk[i : i + n])  # 约翰·琼斯: a foreign person's name
                elif self._han_org_at(text, e):
                    orgs.add(chunk[i : i + n])  # 贵阳晚报, 威斯敏斯特宫: the newspaper's or the building's name
                else:
                    if chunk[i + n - 1] == "省" and n >= 3 and \
                            set(gids) <= set((self._lookup(chunk[i : i + n - 1], "zh") or ((),))[0]):
                        e -= 1  # 广东省 is Guangdong and its kind, as "Hubei Province" is Hubei and its
                    out.append(Candidate(s, e, gids, common, False))
        return out

    def _han_place(self, chunk: str, i: int, n: int, gids: tuple[int, ...]) -> bool:
        """jieba's dictionary knows most Chinese words: a name it tags as
        something other than a place (双城 a noun, 打通 a verb) is that word;
        one it tags as a person's name, or that follows a one-character
        surname (王 + 桂林), is part of a person's name, unless it is a large
        place on its own."""
        tags = jieba_tags()
        tag = tags.get(chunk[i : i + n])
        after_surname = i > 0 and tags.get(chunk[i - 1]) == "nr"
        big = any(self.table.places[g][3] >= BIG or self.table.places[g][1] != "city" for g in gids
                  if g in self.table.places)
        if after_surname or not big and self._inside_foreign_name(chunk, i, i + n):
            return False
        if tag in (None, "ns", "nrt"):
            return True  # nrt: a transliterated name, which the gazetteer says is a place's
        name = chunk[i : i + n]
        if n >= 3 and all(ch in transliteration_alphabet() for ch in name) and \
                all(self.table.places[g][2] not in HAN_COUNTRIES for g in gids if g in self.table.places):
            return True  # a foreign place's transliteration that jieba's dictionary has as another word (得梅因)
        return tag == "nr" and big

    @staticmethod
    def _inside_foreign_name(chunk: str, i: int, j: int) -> bool:
        """Does a word of a foreign name, in transliteration letters, end at
        ``i`` or begin at ``j`` (阿里 + 萨巴拉 + 加, Arrizabalaga; 弗利 + 特伍德,
        Fleetwood)? A town written there is more of the same name."""
        alphabet = transliteration_alphabet()
        tags = jieba_tags()
        pos = 0
        for tok in han_words(chunk):
            start, pos = pos, pos + len(tok)
            if (pos == i or start == j) and len(tok) >= 2 and tags.get(tok, "").startswith("nr") and \
                    all(c in alphabet for c in tok):
                return True
            if start > j:
                break
        return False

    # -- resolution ------------------------------------------------------------
    def resolve(self, paragraphs: Sequence[str], lang: str) -> list[list[Mention]]:
        """Each paragraph's place mentions ``(place id, start, end)``."""
        parts: set[str] = set()
        orgs: set[str] = set()
        found = [self.candidates(t, lang, parts, orgs) for t in paragraphs]
        # One sense per article: a word that is part of a person's name
        # anywhere in it (Dan Baldwin) is not a place on its own (Baldwin said);
        # a town's name that is an organisation's or a building's in it is
        # theirs where no locative word stands before it ("St. Martin's" ...
        # "his successor at St. Martin"; but "the Washington Post" leaves
        # Washington, a capital, and "in Riverside", a place).
        # A saint's name is the church's even so, though a territory's (كنيسة سانت مارتن ... في سانت مارتن:
        # no Sint Maarten); in Arabic a preposition of place is a locative word (في باتون روج, beside شرطة
        # باتون روج).
        found = [[c for c in cs if (span := t[c.start : c.end]) not in parts and
                  (span not in orgs or not self._saints(span, c.gids) and
                   (c.cue or lang == "ar" and _ar_preposition_before(t, c.start) or not self._minor(c.gids)))]
                 for t, cs in zip(paragraphs, found, strict=True)]
        # a small town's name that opens a longer name the article writes is that name clipped, a nickname
        # ("players like Shaq", as Russian and Arabic write Xherdan Shaqiri's: Шак, شاك; no Sciacca)
        clipped = _clipped_names(paragraphs)
        found = [[c for c in cs if c.cue or not self._minor(c.gids) or
                  not clipped(t[c.start : c.end], lambda w: bool(self.is_place(w, lang)))]
                 for t, cs in zip(paragraphs, found, strict=True)]
        if lang == "ar":  # a word the article also writes with the article is its noun: سيول, floods (السيول)
            nouns = arabic_definite_nouns(paragraphs)
            found = [[c for c in cs if " " in (span := t[c.start : c.end]) or span.startswith("ال") or
                      not definite_elsewhere(span, nouns)] for t, cs in zip(paragraphs, found, strict=True)]
        fits = {c.gids: self._expand(c.gids) for cs in found for c in cs}
        places = [[self._pinned(c, t) or fits[c.gids] for c in cs] for t, cs in zip(paragraphs, found, strict=True)]
        # First pass: each name alone; its countries are the context of the article's other names.
        told: dict[tuple[int, int], str] = {}
        for i, gids_of in enumerate(places):
            for j, gids in enumerate(gids_of):
                c = found[i][j]
                form = paragraphs[i][c.start : c.end]
                best = self._best(gids, set(), form)
                if best is None or c.common and not c.cue and self.table.places[best][1] != "country":
                    continue  # (a common word tells no country: الطرف, "the side", no Saudi town)
                country = self.table.places[best][2]
                rivals = [self._score(g, set(), form) for g in gids if g in self.table.places
                          and self.table.places[g][2] != country]
                # a place clearly ahead of any namesake abroad tells the article's country
                if not rivals or self._score(best, set(), form) >= max(rivals) + 1.0:
                    told[(i, j)] = country
        counts = Counter(told.values())
        # (a name's own mentions are no context for it: الجزيرة twice in "شبه الجزيرة" tells no Algeria)
        selves = Counter((country, places[i][j]) for (i, j), country in told.items())
        kept: list[list[tuple[Candidate, int]]] = []
        for text, cs, gids_of in zip(paragraphs, found, places, strict=True):
            here: list[tuple[Candidate, int]] = []
            for c, gids in zip(cs, gids_of, strict=True):
                context = {k for k, n in counts.items() if n > selves[(k, gids)]}
                best = self._best(gids, context, text[c.start : c.end])
                if best is not None and self._evident(c, best, text, lang, context):
                    here.append((c, best))
            kept.append(here)
        # the countries of the places kept, each with the places it has there
        named: dict[str, set[int]] = {}
        for here in kept:
            for _c, best in here:
                named.setdefault(self.table.places[best][2], set()).add(best)
        out = []
        for text, here in zip(paragraphs, kept, strict=True):
            ms = [(self._mention_id(best), c.start, c.end, best)
                  for c, best in here if not self._abroad(c, best, text, named)]
            more = self._qualified(text, lang, ms, parts | orgs) if ms else []
            if lang in ("ar", "ru") and named:
                spans = [(s, e) for _cid, s, e, _g in ms] + [(s, e) for _cid, s, e in more]
                heard = self._heard if lang == "ar" else self._heard_russian
                more += heard(text, set(named), spans, parts | orgs)
            out.append(sorted([*(m[:3] for m in ms), *more], key=lambda m: (m[1], m[0])))
        return out

    def _mention_id(self, gid: int) -> str:
        """The place id a mention of gazetteer place ``gid`` carries: the curated one that claims it, else its own."""
        return self.claimed.get(gid) or place_id(self.table.places[gid][0], gid)

    def _heard(self, text: str, countries: Set[str], spans: Sequence[tuple[int, int]],
               taken: Set[str]) -> list[Mention]:
        """Arabic spells a foreign place as it hears it, often otherwise than
        GeoNames, which has no Arabic names for the US states at all
        (كريدون for Croydon, ديز موينس for Des Moines, كاليفورنيا). One or
        two words, after a preposition of place (في, إلى, من, بين, or ب
        written onto them) or joined by و to a place just named, that sound
        exactly like the English name of a region or a city
        (:meth:`_heard_place`) in a country the article names, or a letter or
        so off a gazetteer name there (:meth:`_misspelt_name`); each word
        rare, or no more frequent than the place is famous."""
        toks = words(text)
        out: list[Mention] = []
        taken_spans = list(spans)
        ends = {e for _s, e in spans}
        for i, (w, s, _e) in enumerate(toks):
            if script_of(w) != "arabic":
                continue
            before = toks[i - 1] if i and text[toks[i - 1][2] : s] == " " else None
            firsts = [w] if before is not None and before[0] in _AR_PLACE_PREPOSITIONS else []
            if len(w) > 3 and (w[:1] == "ب" or w[:1] == "و" and before is not None and before[2] in ends):
                firsts.append(w[1:])  # بكريدون: in Croydon; وديز موينس right after a place: and Des Moines
            for first in firsts:
                for n in (2, 1):
                    if i + n > len(toks) or n == 2 and text[toks[i][2] : toks[i + 1][1]] != " ":
                        continue
                    ws = [first, *(t[0] for t in toks[i + 1 : i + n])]
                    start, end = toks[i][2] - len(first), toks[i + n - 1][2]
                    if any(start < te and ts < end for ts, te in taken_spans) or \
                            any(script_of(x) != "arabic" or x.startswith("ال") or x in taken or arabic_possessed(x)
                                for x in ws) or \
                            i + n < len(toks) and toks[i + n][0] in _AR_DIRECTIONS:
                        continue  # (فيرجينا الغربية is West Virginia: no Virginia)
                    if n == 1 and i + 1 < len(toks) and text[toks[i][2] : toks[i + 1][1]] == " " and \
                            _rare_arabic(toks[i + 1][0]):
                        continue  # one word before another rare one is a longer name's (ديكلان غالاغر: Declan
                        # Gallagher, no Ottakring)
                    g = self._heard_place(ws, countries)
                    if g is not None:
                        out.append((self._mention_id(g), start, end))
                        taken_spans.append((start, end))
                        ends.add(end)
                        break
        return out

    def _heard_russian(self, text: str, countries: Set[str], spans: Sequence[tuple[int, int]],
                       taken: Set[str]) -> list[Mention]:
        """Russian, too, writes a foreign town as it hears it where GeoNames
        has no Russian name (в Кройдоне, Croydon). One capitalised word, or
        two joined by a hyphen or a space, after a preposition of place (в,
        из, до, около, под), each rare in Russian, that sounds in its
        nominative (:func:`corpus.text.fold_word`) exactly like the English
        name of a region or a city of SMALL_TOWN or more in a country the
        article names (:meth:`_heard_place`)."""
        toks = words(text)
        out: list[Mention] = []
        for i, (w, s, _e) in enumerate(toks):
            if not i or toks[i - 1][0].lower() not in _RU_PLACE_PREPOSITIONS or text[toks[i - 1][2] : s] != " " or \
                    script_of(w) != "cyrillic" or not _CAP.match(w):
                continue
            for n in (2, 1):
                if i + n > len(toks) or n == 2 and (text[toks[i][2] : toks[i + 1][1]] not in ("-", " ") or
                                                    not _CAP.match(toks[i + 1][0])):
                    continue
                raw = [t[0] for t in toks[i : i + n]]
                start, end = s, toks[i + n - 1][2]
                if any(start < te and ts < end for ts, te in spans) or any(_fold_ru(x) in taken or x in taken
                                                                           for x in raw):
                    continue
                if any(max(zipf(x, "ru"), zipf(_fold_ru(x), "ru")) >= CARRIED_ZIPF for x in raw):
                    continue  # a word of the language (в Доме, в Центре)
                g = self._heard_place([_fold_ru(x) for x in raw], countries, "ru")
                if g is not None:
                    out.append((self._mention_id(g), start, end))
                    break
        return out

    def _heard_place(self, ws: Sequence[str], countries: Set[str], lang: str = "ar") -> int | None:
        """The place of ``countries`` that the Arabic words ``ws`` sound like
        (:func:`corpus.sound.skeleton`, of HEARD_SKELETON letters or more),
        with as many words in its English name (جيوانج إيفننج is no
        Jinfeng), none of them more frequent than the place is famous."""
        from .sound import skeleton  # (corpus.sound builds on corpus.people, which builds on this module)

        span = " ".join(ws)
        key = skeleton(span)
        if len(key) < HEARD_SKELETON:
            return None
        heard = tuple(g for c in countries for g in self._heard_cities().get((c, key), ()))
        if not heard:
            return None
        misspelt = self._misspelt_name(span) if lang == "ar" else None
        if misspelt is not None:  # the gazetteer's name, a letter or so off: its place there, if any
            near = self._lookup(misspelt, "ar")
            g = self._best(tuple(x for x in self._expand(near[0]) if self.table.places[x][2] in countries)
                           if near else (), set())
        else:
            g = self._heard_city(heard)
        if g is None or self.table.places[g][0].count(" ") != len(ws) - 1:
            return None
        # a city's words rare (اقتراب, "approach", is no Guadalupe); a region's also no more frequent than
        # it is famous (كاليفورنيا)
        name, kind = self.table.places[g][:2]
        fame = zipf(name, "en")
        if any(zipf(x, lang) >= CARRIED_ZIPF and (kind != "region" or more_than_fame(x, lang, fame)) for x in ws):
            return None
        return g

    def _misspelt_name(self, span: str) -> str | None:
        """The gazetteer's Arabic name that ``span`` misspells, a letter or so
        off (ديز موينس for ديس موينس), if any: then no place heard anew."""
        keys = self.table.lists().arabic_names
        from rapidfuzz import fuzz, process

        def nearest() -> str:
            got = process.extractOne(name_key(span), keys, scorer=fuzz.ratio, score_cutoff=MISSPELT)
            # (a name spelt right, which the recogniser's own rules left out, stays out: ستامفورد بريدج)
            return got[0] if got and got[0] != name_key(span) else ""

        return memo(self._misspelt, span, nearest) or None

    def _heard_city(self, gids: tuple[int, ...]) -> int | None:
        """Of the places a heard name sounds like, the region if one region
        alone does (تكساس, كاليفورنيا: GeoNames has no Arabic names for the
        US states); else the largest city, if no city of another name comes
        near it (HEARD_MARGIN times smaller or less: Des Moines, not
        Tysons)."""
        facts = self.table.places
        regions = {g for g in gids if facts[g][1] == "region"}
        if regions:
            return min(regions) if len({facts[g][0] for g in regions}) == 1 else None
        ranked = sorted(gids, key=lambda g: (-facts[g][3], g))
        if not ranked:
            return None
        rival = next((facts[g][3] for g in ranked if facts[g][0] != facts[ranked[0]][0]), 0)
        return ranked[0] if facts[ranked[0]][3] >= HEARD_MARGIN * rival else None

    def _heard_cities(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """(country, the sound of an English name) -> the regions, and the cities of SMALL_TOWN inhabitants or
        more, of that name there (compiled with the names table: :func:`corpus.geo.heard_places`)."""
        return self.table.lists().heard

    def _qualified(self, text: str, lang: str, ms: Sequence[tuple[str, int, int, int]],
                   taken: Set[str]) -> list[Mention]:
        """Places the gazetteer does not know, named as news names a small
        place: with its region or country after a comma or in brackets
        ("Punta Eugenia, Mexico", "Marlow, Buckinghamshire", "города
        Пунта-Эухения (Мексика)"), or with its city after a locative word
        ("in Selly Oak, Birmingham"). The name is the run of capitalised words
        right before it, each rare in the language, none a word of a
        person's or an organisation's name in the article (``taken``), and
        not the last of a list ("Paris, London, France"). Arabic writes no
        capitals: there the name is the run of rare words without the
        article before the comma (بونتا يوجينيا، المكسيك). Chinese names the
        country or region first: a Latin name right after it (墨西哥 Punta
        Eugenia), or after a region and 的 a transliteration (密苏里州的肯萨斯).
        Its id is :func:`qualified_id`: the name and the country of the
        qualifier."""
        out: list[Mention] = []
        spans = [(s, e) for _cid, s, e, _g in ms]
        for _cid, qs, qe, gid in ms:
            _name, kind, country, _population, _capital = self.table.places[gid]
            if kind not in ("country", "region") and (kind != "city" or lang not in QUALIFIED_LANGS) or not country:
                continue
            if lang == "zh":
                found = self._han_name_after(text, qe, kind)
            elif lang == "ar":
                found = self._arabic_name_before(text, qs, qe)
            elif lang in QUALIFIED_LANGS:
                found = _qualified_before(text, qs, qe, lang)
            else:
                continue
            if found is None or kind == "city" and \
                    (not self._cue(text, found[0], lang) or _LIST_GOES_ON.match(text, qe)):
                continue  # a part of a city after a locative word ("in Selly Oak, Birmingham"), not a list's
            s, e = found
            span = text[s:e]
            if any(s < te and ts < e for ts, te in spans) or span in taken or \
                    any(w in taken for w, _, _ in words(span)) or self.candidates(span, lang):
                continue
            out.append((qualified_id(span, country), s, e))
            spans.append((s, e))
        return out

    def _arabic_name_before(self, text: str, qs: int, qe: int) -> tuple[int, int] | None:
        """The run of words before "، <qualifier>" that may be a place's name
        in Arabic: each rare in the language (with or without its
        proclitics), none with the article ال, the indefinite ending or the
        feminine ة of a common noun, nor a place's kind (مدينة); not the
        last of a list (a comma before it too)."""
        comma = text[qs - 2 : qs]
        if comma not in ("، ", ", ") or _AR_LETTER.match(text[qe : qe + 1]):
            return None
        run: list[tuple[str, int, int]] = []
        pos = qs - 2
        base = max(0, pos - 80)
        for w, s, e in reversed(words(text[base:pos])):
            s, e = s + base, e + base
            if text[e:pos] != ("" if not run else " ") or len(run) == QUALIFIED_WORDS:
                break
            if script_of(w) != "arabic" or w.startswith("ال") or w.endswith(("ة", "ات")) or \
                    AR_TANWEEN.search(w) or _word_zipf(w, "ar") >= CARRIED_ZIPF or \
                    not self._ar_kinds.isdisjoint(arabic_variants(w)) or w in self.organisations:
                break
            run.insert(0, (w, s, e))
            pos = s
        if not run or text[max(0, run[0][1] - 8) : run[0][1]].rstrip().endswith(("،", ",")):
            return None
        return run[0][1], run[-1][2]

    def _han_name_after(self, text: str, qe: int, kind: str) -> tuple[int, int] | None:
        """The name a Chinese text gives right after a country or a region
        (墨西哥 Punta Eugenia): a run of capitalised Latin words, each rare in
        English; after a region and 的, also a transliteration (密苏里州的肯萨斯)
        that jieba's dictionary knows as nothing but a name, on its word
        boundaries. Neither may be an organisation's (an organisation word
        after it)."""
        at = qe + (text[qe : qe + 1] == "的")
        latin = _LATIN_NAME.match(text, at + (text[at : at + 1] == " "))
        if latin:
            names = latin.group().split()
            if any(w.isupper() and len(w) > 1 or _word_zipf(w, "en") >= CARRIED_ZIPF for w in names):
                return None
            s, e = latin.span()
        elif kind == "region" and at > qe:
            e = at
            while e < len(text) and text[e] in transliteration_alphabet() and text[e] != "的":
                e += 1
            s = at
            while e - s >= 2 and not (on_word_boundaries(text, s, e) and self.could_be(text[s:e], "zh")):
                e -= 1
            if e - s < 2:
                return None
        else:
            return None
        return None if self._han_org_at(text, e) else (s, e)

    def _minor(self, gids: Sequence[int]) -> bool:
        """Are all the places a name fits towns under BIG and no capitals?"""
        facts = self.table.places
        return all(g in facts and facts[g][1] == "city" and not facts[g][4] and facts[g][3] < BIG for g in gids)

    def _saints(self, span: str, gids: Sequence[int]) -> bool:
        """Is ``span`` a saint's name (San, St., سانت, 圣) and no place it fits
        BIG or a capital? Churches, schools and hospitals bear such names."""
        facts = self.table.places
        han = HAN_RE.match(span) is not None
        first = span[:1] if han else span.split()[0].rstrip(".").casefold()
        if first not in _SAINTS or not han and " " not in span:
            return False
        return all(g in facts and not facts[g][4] and facts[g][3] < BIG for g in gids)

    def _abroad(self, c: Candidate, gid: int, text: str, named: Mapping[str, set[int]]) -> bool:
        """A small town abroad or unplaced, named alone (Argos and Vichy in
        an article about British shops, Kant for the footballer Kanté,
        Melrose for a rugby club, Шак for a footballer's nickname): a
        one-word town under SMALL_TOWN inhabitants, without a locative word
        before it, in an article that names no other place in its country
        (none at all, or only places abroad). News names such a town with
        its region or country, or after "in"."""
        _name, kind, country, population, capital = self.table.places[gid]
        span = text[c.start : c.end]
        # A town of the Chinese-speaking world written in Chinese is a word of the language as often as not
        # (安宁 "peace", 长寿 "long life", 太平, 吉利: ns to jieba all the same): alone it needs a million
        # inhabitants, its kind (安宁市) or a preposition of place (在安宁).
        han = bool(HAN_RE.match(span)) and country in HAN_COUNTRIES
        if han and (span[-1] in HAN_TOWN_KINDS or after_han_locative(text, c.start)):
            return False
        # A foreign town that jieba's dictionary does not know, written in Chinese, is written with the letters
        # of people's and clubs' names ("负于利文斯顿", lost to Livingston, the Scottish club; not Livingstone in
        # Zambia): it too needs a million inhabitants, another place of its country or 在 ("in") before it.
        unknown = bool(HAN_RE.match(span)) and country not in HAN_COUNTRIES and span not in jieba_tags() and \
            not after_han_locative(text, c.start, "在")
        if kind != "city" or capital or population >= (BIG if han or unknown else SMALL_TOWN) or c.cue or \
                " " in span or \
                "-" in span:
            return False  # (two words, "Four-Corners", are one place's name more than a word's)
        if self.pins and self._pinned(c, text):
            return False
        # another place of its country that stands on its own: a region, a country, a capital or a town of
        # SMALL_TOWN or more (Gary, Holt and Johnston, small US towns that a Chinese football report seems to
        # name, one in another's name, do not vouch for each other)
        facts = self.table.places
        others = {k for k, gs in named.items()
                  if any(g != gid and (facts[g][1] != "city" or facts[g][4] or facts[g][3] >= SMALL_TOWN) for g in gs)}
        return country not in others

    def _pinned(self, c: Candidate, text: str) -> tuple[int, ...]:
        if not self.pins:
            return ()
        gid = self.pins.get(name_key(text[c.start : c.end]))
        return (gid,) if gid in self.table.places else ()

    def find(self, text: str, lang: str, wanted: Mapping[int, str]) -> list[Mention]:
        """Where ``text`` names one of the ``wanted`` places (GeoNames id ->
        place id), known from elsewhere (the aligned paragraph of another
        version): the evidence rules are not asked again."""
        out: list[Mention] = []
        for c in self.candidates(text, lang):
            hit = next((wanted[g] for g in self._expand(c.gids) if g in wanted), None)
            if hit is not None:
                out.append((hit, c.start, c.end))
        return out

    def _expand(self, gids: tuple[int, ...]) -> tuple[int, ...]:
        names = {self.table.places[g][0] for g in gids if g in self.table.places}
        more = [g for n in sorted(names) for g in self.table.by_name.get(n, ())]
        return tuple(dict.fromkeys((*gids, *more)))

    def _score(self, gid: int, context: set[str], form: str = "") -> float:
        """How likely ``gid`` is the place meant: its population (or a region's
        or a country's weight), its kind, a capital, the article's countries
        (``context``), and whether ``form`` is its own name (Harlem, the
        neighbourhood of New York, rather than Haarlem, which GeoNames also
        spells so)."""
        name, kind, country, population, capital = self.table.places[gid]
        weight = max(population, BIG if kind != "city" else 0)
        # A city-state's capital of the country's own name (Singapore) is the city meant.
        city_state = capital and any(self.table.places.get(g, ("", ""))[1] == "country"
                                     for g in self.table.by_name.get(name, ()))
        return (math.log10(weight + 10) + (2.0 if kind == "country" else 0.0) + (1.0 if capital else 0.0)
                + (3.0 if city_state else 0.0) + (3.0 if country in context else 0.0)
                + (OWN_NAME if form == name else 0.0))

    def likelier(self, gids: Sequence[int]) -> int | None:
        """The likelier place of ``gids`` with no context (population, kind, capital)."""
        return self._best(tuple(gids), set())

    def _best(self, gids: tuple[int, ...], context: set[str], form: str = "") -> int | None:
        known = [g for g in gids if g in self.table.places]
        if not known:
            return None
        # The article's countries choose between places in different
        # countries (Georgia the state beside Atlanta), never a city over
        # its own country (Mexico beside Mexico City).
        if len({self.table.places[g][2] for g in known}) < 2:
            context = set()
        return max(known, key=lambda g: (self._score(g, context, form), -g))

    def _evident(self, c: Candidate, gid: int, text: str, lang: str, context: Set[str] = frozenset()) -> bool:
        """A one-word name needs evidence in proportion to how common a word
        it is: a word of the language's own (Reading, Essen, الجزيرة) only
        after a locative word where names alone are capitalised; any other
        word, a place whose size outweighs the word's frequency (a place of
        10^(z+1) inhabitants for a word of Zipf frequency z, or a million: Denver, yet not
        Martin or Police). Countries, regions and capitals are evidence
        enough, unless the word is its language's own. Arabic writes no
        capitals and its locative في is everywhere ("في وسط", in the middle
        of): there a word of the language needs the article's other places
        in the same country, and its cue unless it is a capital or a city
        of a million (سيول, torrents, is Seoul where Korea is named too;
        دمشق, far more frequent in Arabic than in English, is Damascus
        beside Syria)."""
        if c.end - c.start == 0 or " " in text[c.start : c.end] or "-" in text[c.start : c.end]:
            return True
        word = text[c.start : c.end]
        _name, kind, country, population, capital = self.table.places[gid]
        if c.common and kind != "country":
            if lang == "ar":  # (a great city's name, frequent in Arabic news: دمشق beside سوريا)
                return country in context and (c.cue or capital or population >= BIG)
            return c.cue and lang in ("en", "ru")
        if script_of(word) == "latin" and lang in ("ar", "ru", "fa", "uk"):
            return population >= BIG or kind == "country"  # a Latin gloss in other text: only well-known places
        if kind in ("country", "region") or capital or population >= BIG:
            return True  # (a great city's name is frequent for the city's sake: نيويورك, not common)
        # Arabic has no capitals to tell a name: a word needs a place ten times larger.
        arabic = script_of(word) == "arabic"
        margin = 2.0 if arabic else 1.0
        if arabic and population >= SMALL_TOWN and zipf(_name, "en") >= _word_zipf(word, lang) - FAME_MARGIN and \
                not surname(_name) and not given_name(_name, "en"):
            # a word about as frequent in Arabic as the city's name in English is that name (لاهاي), unless
            # people bear the name too (Kent: "ريان كينت")
            return True
        return math.log10(population + 1) >= _word_zipf(word, lang) + margin

QUALIFIED_LANGS = ("en", "de", "ru")  # capitalised names: the qualifier grammar knows where a name begins
QUALIFIED_WORDS = 4  # words a qualified place's name has at most (Santa Rosa de Copán)
_LATIN_NAME = re.compile(r"[A-Z][a-z'’.-]+(?: [A-Z][a-z'’.-]+){0,%d}(?![\w'’-])" % (QUALIFIED_WORDS - 1))
_LIST_GOES_ON = re.compile(r",? (?:and|or|und|oder|и|или) |, [A-ZÀ-ÞА-ЯЁ]")  # "X, Manchester and Leeds"
_AR_LETTER = re.compile("[\u0621-\u064a]")


CLIPPED = 3  # letters a name's nickname drops at least (Шак, Шакири): fewer are a case ending (Ливингстоне)


def _clipped_names(paragraphs: Sequence[str]) -> Callable[[str, Callable[[str], bool]], bool]:
    """Does a one-word name open a longer word of the article, CLIPPED
    letters or more longer, that may be a name (capitalised, or in Arabic
    rare) and is no place (``placed``): Шак in an article that names
    Шакири? The article's words are sorted once, so each name is looked up
    by bisection."""
    names = sorted({w for t in paragraphs for w, _s, _e in words(t)
                    if (w[:1].isupper() if script_of(w) in ("latin", "cyrillic") else
                        script_of(w) == "arabic" and _rare_arabic(w))})

    def clipped(span: str, placed: Callable[[str], bool]) -> bool:
        if " " in span or "-" in span or script_of(span) == "han":
            return False
        k = bisect.bisect_right(names, span)
        while k < len(names) and names[k].startswith(span):
            if len(names[k]) >= len(span) + CLIPPED and not placed(names[k]):
                return True
            k += 1
        return False

    return clipped


def _rare_arabic(word: str) -> bool:
    """An Arabic word without the article and rarer than a word of the
    language (CARRIED_ZIPF): a foreign name's, most likely."""
    return script_of(word) == "arabic" and not word.startswith("ال") and _word_zipf(word, "ar") < CARRIED_ZIPF
_NAME_WORD = re.compile(r"[A-ZÀ-ÞА-ЯЁ][\w'’.]*(?:-[\w'’.]+)*$")


def _qualified_before(text: str, qs: int, qe: int, lang: str) -> tuple[int, int] | None:
    """The name before ", <qualifier>" or " (<qualifier>)" in capitalised
    text (:func:`_name_before`)."""
    bracket = text[qs - 2 : qs] == " ("
    if not (text[qs - 2 : qs] == ", " or bracket):
        return None
    after = text[qe : qe + 2]
    if bracket and after[:1] != ")" or not bracket and (after[:1].isalnum() or _POSSESSIVE.match(after)):
        return None  # "Cornyn, Texas's senior senator" is a person and his state
    return _name_before(text, qs - 2, lang)


def _name_before(text: str, end: int, lang: str) -> tuple[int, int] | None:
    """The span of the capitalised words that end at ``end`` (a qualified
    place's name), if they may be a place's: each word rare in ``lang``
    (Zipf under CARRIED_ZIPF, calendar words never), none in capitals (an
    acronym: UNHCR; a dateline's town needs its own rule), and no
    comma-separated capitalised word before them (a list's last item)."""
    base = max(0, end - 80)
    run: list[tuple[str, int, int]] = []
    pos = end  # where the next word to the left must end
    for w, s, e in reversed(words(text[base:end])):
        s, e = s + base, e + base
        if text[e:pos] not in (("", ) if not run else (" ", "-")):
            break
        if not _NAME_WORD.match(w) or len(run) == QUALIFIED_WORDS:
            break
        run.insert(0, (w, s, e))
        pos = s
    # a sentence's first word, if common, is no part of the name ("The Marlow, ...")
    while run and opens_sentence(text, run[0][1]) and _word_zipf(run[0][0], lang) >= CARRIED_ZIPF:
        run.pop(0)
    if not run:
        return None
    if any((w.isupper() and len(w) > 1) or w.casefold() in calendar_words(lang) or _word_zipf(w, lang) >= CARRIED_ZIPF
           for w, _, _ in run):
        return None
    s, e = run[0][1], run[-1][2]
    if re.search(r"[A-ZÀ-ÞА-ЯЁ][\w'’.-]*,\s*$", text[max(0, s - 40) : s]):
        return None  # "Paris, London, France": a list, not a place and its country
    return (s, e) if e - s >= 3 else None


def _ar_preposition_before(text: str, start: int) -> bool:
    """Does an Arabic preposition of place (في, إلى, من ...) stand right before ``start``?"""
    before = words(text[max(0, start - 12) : start])
    return bool(before) and before[-1][0] in _AR_PLACE_PREPOSITIONS and text[start - 1 : start] == " "


def _fold_ru(word: str) -> str:
    """A Russian word in its nominative, lower case (Кройдоне: кройдон)."""
    return fold_word(word, "ru")


@lru_cache(maxsize=65536)
def _common_de(word: str) -> bool:
    """A German common noun: frequent in German, and more so than in
    English (German text keeps English names: Riverside Church, Baja
    California, Louisiana State University)."""
    de = zipf(word, "de")
    return de >= 3.0 and de >= zipf(word, "en")


def _word_zipf(word: str, lang: str) -> float:
    """The word's frequency in the text's language (Latin words in other
    languages' text: in English); Arabic: the most frequent of its forms
    with and without proclitics."""
    script = script_of(word)
    if script == "arabic":
        return max(zipf(v, "ar") for v in (word, *arabic_variants(word)[1:]))
    if script == "cyrillic":
        return zipf(word, "ru")
    if script == "han":
        return zipf(word, "zh")
    # a Latin word: in the text's language, or in English (English words stand in every language's text)
    return max(zipf(word, lang), zipf(word, "en")) if lang in ("de",) else zipf(word, "en")

