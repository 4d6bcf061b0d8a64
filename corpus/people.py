"""Recognise the people a paragraph names, and which of them it gives the words of.

Per script, with no model to download:

- Latin and Cyrillic (en, de, ru, and Latin names in any text): runs of two
  to four capitalised words ("Holly Willoughby", "Кристины Блази Форд"),
  with initials and particles (A., de, van, bin). A run is no person's name
  when it is a place (the gazetteer), ends in an organisation's word
  (``organisations`` in ``knowledge/cues.yaml``: "Supreme Court",
  "Associated Press"), holds a month or weekday, or is made of common words
  of the language (``wordfreq``: "Letztes Jahr", "Leave Means Leave"). A
  run with any common word ("Fragrance Shop", "Генеральной Ассамблеи") must
  open with a given name (gender-guesser's name dictionary; for Russian,
  pymorphy3's OpenCorpora ``Name`` tag in any case) or follow a title. A
  sentence's capitalised first word that is a common word ("The", "Laut")
  is not part of the name. One word alone ("Kavanaugh said") is a person
  when it is the last word of a full name the same article gives.
- Chinese: names in the middle-dot form of foreign names (克里斯汀·布莱西·福特),
  words jieba's dictionary tags as people's names (``nr``, ``nrt``), and new
  two- or three-character words that begin with a surname (王 + 桂林).
- Arabic: the name after a speech word (قال جونز, بحسب ويلوبي): up to three
  rare words (``wordfreq``), none of them a place.

A person speaks in a paragraph when a speech word of its language
(``attribution`` and ``speech`` in ``cues.yaml``: said, told, according to,
wrote, tweeted, sagte, заявил, 表示, قال …) stands in the same sentence, and
they are the name nearest to it; everyone else is only mentioned.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .geo import name_key, zipf
from .namewords import (
    FUNCTION_ZIPF,
    WORD_ZIPF,
    frequent,
    german_adjective,
    german_compound,
    german_noun,
    given_name,
    given_names,
    language_word,
    name_language,
    possessed_noun,
    russian_cases_agree,
    russian_gerund,
    russian_kind,
    russian_lemma,
    russian_noun,
    surname,
    titles,
)
from .places import (
    BIG,
    SMALL_TOWN,
    PlaceFinder,
    after_han_locative,
    arabic_possessed,
    calendar_words,
    han_words,
    headline,
    memo,
    on_word_boundaries,
    opens_sentence,
    transliteration_alphabet,
)
from .segmenter import jieba_module, jieba_tags, posseg
from .text import (
    AR_TANWEEN,
    CLOSING_QUOTES,
    HAN_RE,
    OPENING_QUOTES,
    first_script,
    script_of,
    strip_arabic_marks,
    words,
)

_CAP = re.compile(r"^[A-ZÀ-ÞА-ЯЁ][\w'’-]*$")
_INITIAL = re.compile(r"^[A-ZА-Я]$")
RUN_MAX = 8  # capitalised words read as one run, titles included
_ACRONYM_END = re.compile(r"[a-zа-яё][A-ZА-ЯЁ]{2,}$")
_PARTICLES = {"de", "da", "van", "von", "bin", "ibn", "al", "el", "le", "la", "di", "du", "dos", "del"}
_PARTICLES_DE = {"van", "de", "bin", "ibn"}  # von, der, la ... are common German words
_SENTENCE_CLOSED = re.compile(r"[.!?…][\"'”’»)]*\s*$")
# a sentence's end; not the dot of an initial or an abbreviated title (A. Lind, St. Martin's, Mr., Rev.)
# (with the quotation marks that close on it: '... of justice." Sims was'; also found from those marks on)
_SENTENCE_END = re.compile(r"(?<!\b[A-ZА-ЯЁ])(?<!\b[A-ZА-ЯЁ][a-zа-яё])(?<!\b(?:Mrs|Rev|Gen|Col|Sen|Gov|Rep|Sgt))"
                           r"(?:[.!?。！？;；][\"'”’»)]*|(?<=[.!?])[\"'”’»)]+)\s")
NAME_DOTS = "·•‧・"  # the middle dots between the parts of a transliterated name (霍莉·威洛比)
_GLOSS_BEFORE = re.compile(r"[(（]\s*$")
# (or "and" before the next verb: "sagte Trump und zeigte", not "said Trump and Kim")
_CLAUSE_END = re.compile(r"\s*(?:$|[.,;:!?»”\"'’)—–])|\s(?:and|und|и)\s[a-zäöüа-яё]")
# one word, then an apposition that a title opens, right before a speech word
# ("Sutopo, Sprecher der Behörde, sagte"; "Sutopo, the agency's spokesman, said")
_APPOSED = re.compile(r"(?<![\w'’-])([\w'’-]+), (?:(?:a|an|the|der|die|das|ein|eine|its|their) )?"
                      r"(?:[\w'’-]+(?:'s|’s) )?([\w'’.-]+)[^,;:.!?()\"“”„«»]{0,80}, ?$")
# Russian names the speaker after the one told: a noun in lower case (no preposition), the paper's or
# the channel's name (Latin, capitalised or in «»), then the speaker, their clause ending ("рассказал
# газете Guiyang Evening News Ву, родственник убитого"; "сообщил агентству «Интерфакс» Иванов.")
_RU_TOLD = re.compile(r" (?!(?:после|через|перед|около|между|против|кроме|вместо|из-за) )[а-яё]{4,} "
                      r"(?:(?:«[^»]{1,40}»|[A-ZА-ЯЁ][\w.&-]*(?: [A-Z][\w.&-]*){0,4}) )?([А-ЯЁ][а-яё-]+)"
                      r"(?=\s*(?:$|[.,;:!?—–]))")
_APPOSITION_GAP = re.compile(r"[,،]\s*")
# ", chief executive of ", ", президент ", and the organisation's own words before the name found in it
# (", the chief executive of Crumb and ")
_THE_BEFORE = re.compile(r"\b[Tt]he $")
# an acronym of three capitals or more (HMP, BBC, NHS): a name right after it is its thing's (HMP Long Lartin,
# BBC Scotland), unless the acronym is a title (CEO Tim Cook)
_ACRONYM_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z]{3,})[ \u00a0]$")
_NUMBER_AFTER = re.compile(r"[ \u00a0]*\d")
_TITLE_BETWEEN = re.compile(r"[,،] (?:[a-zа-яё][\w'’-]*\s){1,6}(?:[\w&'’.-]+\s){0,4}")
_SYLLABLE_AFTER = re.compile(r"-[a-zа-яё]{1,3}(?![\w-])")
HAN_CUE_WINDOW = 40  # a clause's Chinese characters cut into words before a speech word, or after a title
# a clause's Han characters right before a speech word, from a punctuation mark, a space or the text's start
_HAN_CLAUSE_TAIL = re.compile(r"(?:^|(?<=[\s\W\d]))([\u3400-\u9fff]+)$")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")  # and right after a title, to the clause's end
APPOSITION_SPAN = 160  # characters looked at before a speech word for such an apposition
_QUOTE_MARK = "[\"“”„«»「」『』]"
_HAN_GLOSS = r"[（(][\u4e00-\u9fff]{1,3}[)）]"  # （音译）, "transliterated", after a quoted name
# the quotation marks around a name alone ("Wu,"; “袁（音译）”): no one's words
_NAME_QUOTE_END = re.compile(rf"[,.]?(?:{_HAN_GLOSS})?{_QUOTE_MARK}")
# a run of Han characters with the middle dots of names in it, whole: the names' parts are cut from it by
# jieba's words (:func:`_dotted_names`), so that one name's letters are never taken for the next one's
_HAN_NAME_RUN = re.compile(rf"[\u4e00-\u9fff]+(?:[{NAME_DOTS}][\u4e00-\u9fff]+)+")

FOREIGN_ZIPF = 4.0  # an English word this frequent inside Chinese, Arabic or Russian text is a gloss, not a name
ARTICLE_ZIPF = 6.6  # an English word this frequent (the, in, he, to) is never a given name, capitalised or not
NAME_ZIPF = 4.5  # a capitalised word this frequent in its language opens a sentence rather than a name
HAN_FUNCTION_ZIPF = 6.5  # a Han character this frequent alone (的, 和, 不) is a word of the sentence, not a name's
GLOSSED_MAX = 8  # characters of a transliteration before a Latin gloss, at most
NEWS_NAME_GAP = 1.0  # a name in the news is written at most this much (zipf) less often in English than here
AR_VERB_ZIPF = 3.8  # a present-tense verb this frequent after the future's س is that verb (سيسافر)
NAME_PART_MAX = 6  # characters of a transliterated name's part beside its middle dot (阿里萨巴拉加)
AR_WORD_MAX = 15  # letters of an Arabic name's word at most (باكينجهامشاير has 13)
AR_RARE = 3.0  # Arabic words rarer than this after a speech word are taken as a name
_AR_PROCLITICS = "وفبل"  # و, ف, ب, ل written onto the next word
_AR_APPOSED = re.compile(r"[،,]\s*$")  # a comma right before: what follows is in apposition
_AR_APPOSITION = re.compile(r"\s*[،,]\s*([\u0621-\u064a]+)")
_AR_PRONOUNS = {"", "ه", "ها", "هم", "هما", "هن", "نا", "ني", "ي", "ك", "كم"}
TEAM_ZIPF = 2.5  # a plural whose singular is this frequent in English is a word's (Nuggets, Lakers), not a
# surname's (Junqueras, though Oriol is also Oryol)
AR_CLITIC_MARGIN = 0.5  # Zipf points by which a word without its first letter (ب, ل) is more frequent when
# that letter is a preposition written onto it (بتسليط: تسليط), not a name's first letter (بريت, لورا)
AR_COMMON = 5.0  # an Arabic word this frequent (على, بعد) is no part of a name carried from another version


@dataclass(frozen=True, slots=True)
class Name:
    start: int
    end: int
    text: str
    speaks: bool = False
    of: str = ""  # for a surname alone: the full name it stands for in this article


class PersonFinder:
    """Finds people's names in the paragraphs of one article."""

    def __init__(self, speech: Sequence[str], organisations: frozenset[str], places: PlaceFinder | None,
                 titles: Sequence[str] = (), features: Iterable[str] = (), things: Iterable[str] = (),
                 surnamed: Iterable[str] = (), after: Iterable[str] = (), settlements: Iterable[str] = ()) -> None:
        self.speech = sorted({s for s in speech if s}, key=len, reverse=True)
        # Chinese attribution words that follow their speaker (徐扬生表示, 他强调): the name before them speaks
        self._han_after = frozenset(a for a in after if HAN_RE.match(a[:1]))
        # Cue words are looked up word by word (one or two words: "according
        # to"); Han cues and quotation marks by a small pattern each.
        alpha = [c for c in self.speech if c[:1].isalpha() and not HAN_RE.match(c[:1])]
        self._cue_words = {c.lower() for c in alpha if " " not in c}
        self._cue_pairs = {c.lower() for c in alpha if c.count(" ") == 1}
        self._cue_pair_firsts = {c.split(" ")[0] for c in self._cue_pairs}  # most words open no pair: ask them once
        self._title_memo: dict[str, bool] = {}  # a word -> whether it is a title
        self._cue_memo: dict[str, bool] = {}  # a word -> whether it is a speech word alone (asked of every word)
        han = [c for c in self.speech if HAN_RE.match(c[:1])]
        marks = [c for c in self.speech if not c[:1].isalpha()]
        self._han_re = re.compile("|".join(map(re.escape, sorted(han, key=len, reverse=True)))) if han else None
        self._mark_re = re.compile("|".join(map(re.escape, marks))) if marks else None
        self.organisations = organisations | {_fold(w) for w in organisations}
        self.titles = frozenset(_fold(t) for t in titles)
        han_titles = sorted((t for t in titles if HAN_RE.match(t[:1])), key=len, reverse=True)
        self._han_titles = re.compile("|".join(map(re.escape, han_titles))) if han_titles else None
        han_orgs = sorted((o for o in organisations if HAN_RE.match(o[:1])), key=len, reverse=True)
        self._han_orgs = re.compile("|".join(map(re.escape, han_orgs))) if han_orgs else None
        self.places = places
        self.features = frozenset(f.casefold() for f in features)
        self.things = frozenset(t.casefold() for t in things)
        self.settlements = frozenset(t.casefold() for t in settlements)
        # the last parts of a German compound that count as one of them: those of five letters or more
        self._thing_ends = tuple(t for t in self.things if len(t) >= 5)
        self._settlement_ends = tuple(t for t in self.settlements if len(t) >= 5)
        han_things = sorted((t for t in things if HAN_RE.match(t[:1])), key=len, reverse=True)
        self._han_things = re.compile("|".join(map(re.escape, han_things))) if han_things else None
        # a surname word, then the name: in quotation marks, or a word that is no word of the language
        surnamed = tuple(surnamed)
        forms = sorted((f for f in surnamed if not HAN_RE.match(f[:1])), key=len, reverse=True)
        self._surnamed_re = re.compile(
            rf"(?<![\w])(?:{'|'.join(map(re.escape, forms))})[ \u00a0]*[,:]?[ \u00a0]*(?P<q>{_QUOTE_MARK})?"
            r"(?P<name>[A-ZÀ-ÞА-ЯЁ\u0621-\u064a][\w'’-]*)", re.IGNORECASE) if forms else None
        han_forms = "|".join(re.escape(f) for f in surnamed if HAN_RE.match(f[:1]))
        # 姓袁; “袁（音译）”姓; “袁”某 (某: "a certain")
        self._han_surnamed_re = re.compile(
            rf"(?:{han_forms})(?P<after>[\u4e00-\u9fff])|{_QUOTE_MARK}(?P<quoted>[\u4e00-\u9fff]{{1,2}})"
            rf"(?:{_HAN_GLOSS})?{_QUOTE_MARK}(?:{han_forms}|某)") if han_forms else None
        self._lower: set[str] = set()  # the words the article being read writes in lower case
        self._han_named: set[str] = set()
        self._countries: frozenset[str] | None = None  # made when first needed (_country_words)

    # -- one article ----------------------------------------------------------
    def article(self, texts: Sequence[str], lang: str) -> list[list[Name]]:
        """Each paragraph's names, in order, with whether they speak."""
        self._lower = {w.lower() for t in texts for w, _, _ in words(t) if w[:1].islower()}
        self._han_named = set()  # Han names glossed by a Latin name (_glossed) or cued (_han_cued) in this article
        cues = [self._cues(t) for t in texts]  # each paragraph's speech words, found once
        found = [self._names(t, lang, c) for t, c in zip(texts, cues, strict=True)]
        if lang == "de":  # "Holly Willoughbys" is Holly Willoughby's, where the article also names her so
            full = {n.text for ns in found for n in ns}
            # and "Ris Rede" ("Ri's speech") is a person's genitive before a noun, where the article names Ri
            named = {w for n in full for w in name_words(n)}
            found = [[n for n in ns if not _genitive_before_noun(n.text, named)] for ns in found]
            found = [[Name(n.start, n.end, n.text, n.speaks, n.text[:-1]) if n.text.endswith("s") and
                      " " in n.text and n.text[:-1] in full else n for n in ns] for ns in found]
        if self._han_things is not None and any(HAN_RE.search(t) for t in texts):
            # one sense per article: a Han name the article writes before a company's or a shop's noun
            # (尼尔森公司) is that thing's wherever it stands alone too (尼尔森表示); not before a government's
            # or a university's, which bear people's names (特朗普政府)
            han_names = {n.text for ns in found for n in ns if HAN_RE.match(n.text[:1])}
            orgs = {name for name in han_names for t in texts
                    if any(self._han_things.match(t, m.end()) for m in re.finditer(re.escape(name), t))}
            found = [[n for n in ns if n.text not in orgs] for ns in found]
            self._han_named -= orgs
        owned = self._things_names(texts, lang)
        if owned:  # (no surname of a company's name: "рынок Великобритании Сейнсбери" in a headline run on)
            found = [[n for n in ns if not self._owned(n.text, lang, owned)] for ns in found]
        settled = self._settled_names(texts, lang)
        if settled:  # a town's name throughout: "Midsomer Norton attack: …" ... "the area of Midsomer Norton"
            found = [[n for n in ns if _name_key(n.text) not in settled] for ns in found]
        # Surnames alone count where the article gives the full name (Kavanaugh, Трампа).
        lasts, shared = _surnames_of(found)
        for t in texts:  # people named by their surname alone ("surnamed Li"), unless a full name has it
            for n in self._surnamed(t, lang):
                lasts.setdefault(n.text if HAN_RE.match(n.text[:1]) else _fold(n.text), n.text)
        for han in self._han_named:  # and 卡瓦诺 wherever the article writes it, once glossed as Brett Kavanaugh
            # (or once found before a speech word or after a title: 李勇浩表示)
            lasts.setdefault(han, han)
        proper = _proper_nouns(texts)
        out = []
        for text, names, cue in zip(texts, found, cues, strict=True):
            names = _merge(names, self._surnames(text, lang, lasts))
            names = _merge(names, self._cued(text, lang, proper, cue))
            # a surname alone that two of the article's people share (or that opens another's name) is neither's:
            # no third person either
            names = [n for n in names if n.of or _last(n.text) != n.text or _fold(n.text) not in shared and
                     not (lang == "de" and _fold(n.text)[:-1] in shared)]  # (nor in the genitive: "Vater Johnsons")
            # and a surname alone that another rule found (after a speech word: وأخبر ستوريدج) is its full name's
            names = [_alone_of(n, lasts) for n in names]
            if owned:  # a company's name throughout: "в магазинах Сейнсбери" ... "представителей Сейнсбери"
                names = [n for n in names if not self._owned(n.of or n.text, lang, owned)]
            out.append(_glosses(text, self._speakers(text, sorted(names, key=lambda n: n.start), lang, cue)))
        return _first_names(out)

    def plausible(self, span: str, lang: str, text: str = "", start: int = 0) -> bool:
        """Could ``span``, carried here from another version of the article
        (:mod:`corpus.project`), be a person's name in this language? Latin
        and Cyrillic: capitalised words, no place, no organisation's word, no
        common word unless a given name opens it. Arabic: rare words, no
        place. Han: no place, and no word of the dictionary that is not a
        name. Where it stands in ``text`` at ``start``: no feature's word
        beside it, and no country after it."""
        script = script_of(span)
        if self.places is not None and self.places.is_place(span, lang):
            return False
        if text and (self._a_things_name(text, start, start + len(span), lang) or
                     self._after_settlement(text, start, lang)):
            return False
        if script in ("latin", "cyrillic"):
            lang = name_language(span, lang)  # a Latin name in Chinese text is judged as English
            toks = [w for w, _, _ in words(span)]
            if not toks or not all(_name_word(w) or w.lower() in _PARTICLES or _INITIAL.match(w) for w in toks):
                return False
            if len(toks) == 1:
                return not language_word(toks[0], lang) and not self._organisation(toks[0])
            # the whole span is the name: no title, place or (German) noun the recogniser would trim from it
            # ("Liverpools Alisson Becker" is not; its "Alisson Becker" is)
            run = [t for t in words(span) if script_of(t[0]) in ("latin", "cyrillic")]
            trimmed = self._trim(span, run, lang, opening=False)[0]  # a carried span opens no sentence
            return len(trimmed) == len(run) and self._is_name(span, run, lang, titled=False)
        if script == "arabic":  # no function word, no word with the article (الشهادة), no common word
            # with a preposition or "and" written onto it (لوفاة: "for the death of")
            return all(zipf(w, "ar") < AR_COMMON and not (_ar_definite(w) and zipf(w, "ar") >= AR_RARE) and
                       not (w[:1] in _AR_PROCLITICS and (_ar_definite(w[1:]) or zipf(w[1:], "ar") >= AR_COMMON or
                                                         _ar_possessed(w[1:]))) and not _ar_possessed(w)
                       for w, _, _ in words(span))  # (nor a word with a pronoun: لتكرسه, "to devote it")
        if script == "han":
            tag = jieba_tags().get(span.replace("·", ""))
            return tag is None or tag.startswith("nr")
        return False

    def only_words(self, span: str, lang: str) -> bool:
        """Is ``span`` made only of common words of the language, with no
        given name or title to open it ("Eine Quelle", "Ein Marktmanager",
        "The company")? Such
        a span, found before a speech word by the attribution grammar, is no
        one's name; a span with one rarer word (Sun Jianguo) may be."""
        toks = [w for w, _, _ in words(span)]
        if not toks or script_of(span) not in ("latin", "cyrillic"):
            return False
        lang = name_language(span, lang)
        if given_name(toks[0], lang) or self._title(toks[0]):
            return False
        return all(language_word(w, lang) or w.lower() in _PARTICLES or lang == "de" and german_noun(w)
                   for w in toks)

    def refutes(self, span: str, text: str, lang: str) -> bool:
        """Is ``span``, which the attribution grammar took for a name beside a
        speech word in ``text`` and this recogniser did not find, plainly no
        one's? A place ("Министр иностранных дел Северной Кореи заявил"), a
        club (тренер «Манчестер Сити»), an institution, which English writes
        after "the" ("the Red Cross said"), or in German a common noun after
        a word that is no given name ("sagte, dass … mit Nordkoreas Raketen")."""
        if self.places is not None and (self.places.is_place(span, lang) or self.places.is_club(span, lang)):
            return True
        toks = [w for w, _, _ in words(span)]
        if name_language(span, lang) == "en":
            return any(_after_the(text, m.start()) for m in re.finditer(rf"(?<!\w){re.escape(span)}(?!\w)", text))
        return lang == "de" and len(toks) > 1 and german_noun(toks[-1]) and not surname(toks[-1]) and \
            not given_name(toks[0], lang) and not self._title(toks[0])

    def _organisation(self, word: str) -> bool:
        """An organisation's or a place feature's word (Court, Shop, суд), in any case form."""
        return word.casefold() in self.organisations or _fold(word) in self.organisations

    def _feature(self, word: str) -> bool:
        """A natural feature's or a storm's word (volcano, вулкана, البركان), in any case form."""
        if not self.features:
            return False
        w = word.casefold()
        if w in self.features or w.endswith("s") and (w[:-1] in self.features or w[:-2] in self.features):
            return True  # also in the German genitive (des Vulkans)
        script = script_of(word)
        if script == "cyrillic":
            return russian_lemma(word).casefold() in self.features
        if script == "arabic":
            bare = w[1:] if w[:1] in _AR_PROCLITICS and len(w) > 3 else w
            return bare in self.features or bare.startswith("ال") and bare[2:] in self.features
        return False

    def _after_thing(self, text: str, start: int) -> bool:
        """Does a noun for a company, a shop or a building (``things``, in
        any case form; in German also as a compound's last part) stand right
        before ``start``, the name in apposition to it?"""
        if not self.things:
            return False
        before = _words_before(text, start, 30)
        return bool(before) and text[before[-1][2] : start] == " " and \
            self._noun(before[-1][0], self.things, self._thing_ends if script_of(before[-1][0]) == "latin" else ())

    @staticmethod
    def _noun(word: str, nouns: frozenset[str], ends: tuple[str, ...]) -> bool:
        """Is ``word`` one of ``nouns`` (case-folded) in any case form, or a
        compound that ends in one of ``ends`` (Supermarktkette, Terrace-Gebiet)?"""
        w = word.casefold()
        if w in nouns or script_of(w) == "cyrillic" and russian_lemma(w).casefold() in nouns:
            return True
        return w.endswith(ends)

    def _things_names(self, texts: Sequence[str], lang: str) -> set[str]:
        """The capitalised words, folded, that an article writes right after a
        noun for a company, a shop or a building (:meth:`_after_thing`), but
        for given names: in it, they name that thing (one sense per article)."""
        if not self.things:
            return set()
        return {_fold(w) for t in texts for w, s, _e in words(t) if _CAP.match(w) and
                script_of(w) in ("latin", "cyrillic") and self._after_thing(t, s) and not given_name(w, lang)}

    def _after_settlement(self, text: str, start: int, lang: str,
                          before: Sequence[tuple[str, int, int]] | None = None) -> bool:
        """Does a noun for a town or an area (``settlements``, in any case
        form; in German also as a compound's last part) stand right before
        ``start``, in English with "of" between and in German perhaps with
        "von" ("the area of Midsomer Norton", "der Gemeinde Sinsheim", "im
        Terrace-Gebiet von Midsomer Norton")? (An English noun right before
        a capital opens a title: "town Mayor".) ``before``: the text's words
        before ``start``, when the caller has them."""
        before = _words_before(text, start, 40) if before is None else before
        if not before or text[before[-1][2] : start] != " ":
            return False
        if before[-1][0] in _OF.get(lang, ()):
            if len(before) < 2 or text[before[-2][2] : before[-1][1]] != " ":
                return False
            before = before[:-1]
        elif lang == "en":
            return False
        return self._noun(before[-1][0], self.settlements, self._settlement_ends if lang == "de" else ())

    def _settled_names(self, texts: Sequence[str], lang: str) -> set[tuple[str, ...]]:
        """The capitalised runs, as name keys, that an article writes right
        after a noun for a town or an area (:meth:`_after_settlement`), unless
        a given name opens them: in it, they name that place (one sense per
        article)."""
        out: set[tuple[str, ...]] = set()
        if not self.settlements:
            return out
        for t in texts:
            toks = words(t)
            for i, (w, s, e) in enumerate(toks):
                if not (_CAP.match(w) and script_of(w) in ("latin", "cyrillic") and
                        self._after_settlement(t, s, lang, toks[max(0, i - 2) : i]) and not given_name(w, lang)):
                    continue
                for w2, s2, e2 in toks[i + 1 :]:
                    if t[e:s2] not in (" ", "-") or not _CAP.match(w2):
                        break
                    e = e2
                out.add(_name_key(t[s:e]))
        return out

    def _owned(self, name: str, lang: str, owned: set[str]) -> bool:
        """Is ``name`` a thing's (:meth:`_things_names`): its last word is one,
        and no given name opens it?"""
        parts = name_words(name)
        return bool(parts) and _fold(parts[-1]) in owned and (len(parts) == 1 or not given_name(parts[0], lang))

    def _beside_feature(self, text: str, start: int, end: int) -> bool:
        """Does a feature's word stand right before or after ``text[start:end]``?"""
        before = words(text[max(0, start - 24) : start])
        after = words(text[end : end + 24])
        return bool(before) and not text[before[-1][2] + max(0, start - 24) : start].strip(" \"«“„'") and \
            self._feature(before[-1][0]) or \
            bool(after) and not text[end : end + after[0][1]].strip(" \"»”'") and self._feature(after[0][0])

    def _title(self, word: str) -> bool:
        """A title before a name: nameparser's list, or the curated one (in any case form)."""
        return memo(self._title_memo, word,
                    lambda: word.lower().rstrip(".") in titles() or _fold(word) in self.titles)

    def _cued(self, text: str, lang: str, proper: set[str], cues: list[tuple[int, int, str]]) -> list[Name]:
        """One word right beside a speech word ("Trump said", "said Giles"),
        that the article capitalises wherever it stands mid-sentence: a
        person known by one name, unless it is a place, a title or an
        organisation's word."""
        if not cues:
            return []
        toks = words(text)
        starts = [t[1] for t in toks]
        out = []
        for cs, ce, cue in cues:
            if not cue[:1].isalpha():
                continue  # a quotation mark is no speech word to stand beside
            k = bisect.bisect_left(starts, cs)
            # before the speech word ("Trump said"), or after it where its clause ends ("said Giles.",
            # not "said Lloyds would"); a Russian verbal adverb gives its clause's subject's words, not
            # those of the word before its comma ("план в рамках Брексита, заявив, что": Johnson's)
            gerund = lang == "ru" and russian_gerund(cue)
            near = [t for t in toks[max(0, k - 1) : k + 2] if 0 <= cs - t[2] <= 2 and not gerund or
                    0 <= t[1] - ce <= 2 and _CLAUSE_END.match(text, t[2])]
            told = _RU_TOLD.match(text, ce) if lang == "ru" else None
            if told:  # рассказал газете Guiyang Evening News Ву,
                near.append((told.group(1), told.start(1), told.end(1)))
            lo = max(0, cs - APPOSITION_SPAN)
            if (m := _APPOSED.search(text, lo, cs)) and self._title(m.group(2)):
                near.append((m.group(1), m.start(1), m.end(1)))
            for w, s, e in near:
                if not _name_word(w) or frequent(w, lang, FUNCTION_ZIPF):
                    continue
                if w not in proper and opens_sentence(text, s) and language_word(w, lang):
                    continue  # a capitalised word that opens its sentence is a name if it is no word
                    # ("Merriweather sagte") or the article capitalises it elsewhere mid-sentence
                if re.search(r"[A-ZÀ-ÞА-ЯЁ][\w'’-]*[ -]$", text[max(0, s - 30) : s]) and \
                        not opens_sentence(text, s) and not (told and s == told.start(1)):
                    continue  # the end of a longer capitalised name that is no person's ("Welsh Conservative")
                if name_language(w, lang) != lang or lang != "en" and frequent(w, lang, 4.0) and \
                        not self._world_name(w, lang, proper) or lang == "de" and german_noun(w):
                    continue  # a foreign word (Latin in Chinese or Arabic text), or a German noun
                if self._organisation(w) or self._title(w) or w.lower() in calendar_words(lang):
                    continue
                if name_language(w, lang) == "en" and _after_the(text, s):
                    continue  # one word after "the" is a thing's name ("Newport on the Levee, according to")
                if self._cued_place(w, lang):
                    continue
                out.append(Name(s, e, w))
        return out

    @staticmethod
    def _world_name(word: str, lang: str, proper: set[str]) -> bool:
        """Is a Latin word frequent in German (or another language) only as a
        name in the world's news: English writes it about as often (Trump,
        Kim; not Mann, nor Merkel, whom German writes far more), and the
        article never writes it small?"""
        return script_of(word) == "latin" and word in proper and zipf(word, "en") >= zipf(word, lang) - NEWS_NAME_GAP

    def _cued_place(self, word: str, lang: str) -> bool:
        """Is a word beside a speech word the place it names ("Moscow
        denied")? Not when it is a frequent surname and names only small
        places ("sagte Adams": Adams, a town of 8,000)."""
        if self.places is None:
            return False
        if _fold(word) in self._country_words() or script_of(word) == "cyrillic" and russian_kind(word) == "place":
            # a word of a country's name: "a province called Macedonia, maintains" (North Macedonia); a place
            # the Russian dictionary knows (провинция Македония, утверждает)
            return True
        gids = self.places.is_place(word, lang)
        if not gids or not surname(word):
            return bool(gids)
        facts = self.places.table.places
        return any(g in facts and (facts[g][1] != "city" or facts[g][3] >= BIG or facts[g][4]) for g in gids)

    def _country_words(self) -> frozenset[str]:
        """The words, folded, of the countries' names of several words
        (Macedonia of North Macedonia, Herzegovina), but for the words of the
        language (North, Republic) and given names and surnames (Lucia,
        Marino)."""
        if self._countries is None:
            assert self.places is not None
            table = self.places.table
            names = {k for k, entries in table.keys.items() if " " in k and
                     any(table.places.get(g, ("", ""))[1] == "country" for g, _fl in entries)}
            self._countries = frozenset(w for k in names for w in k.split()
                                        if len(w) > 3 and not frequent(w, "en", WORD_ZIPF) and
                                        not given_name(w.title(), "en") and not surname(w))
        return self._countries

    def _names(self, text: str, lang: str, cues: list[tuple[int, int, str]]) -> list[Name]:
        if not text:
            return []
        out = _merge(self._runs(text, lang), self._after_title(text, lang))
        if HAN_RE.search(text):
            out = _merge(out, self._han(text))
            out = _merge(out, self._han_cued(text, cues))
        if first_script(text) == "arabic" or lang == "ar":
            out = _merge(out, self._arabic(text, cues))
        return out

    # -- Latin and Cyrillic -----------------------------------------------------
    def _after_title(self, text: str, lang: str) -> list[Name]:
        """One capitalised word after a curated title written in lower case,
        alone or set off by commas ("his father, Wayne, also played", "его
        отец Уэйн"): a person known there by one name."""
        toks = words(text)
        out = []
        for (w, _s, e), (nxt, ns, ne) in zip(toks, toks[1:], strict=False):
            if not w[:1].islower() or script_of(w) not in ("latin", "cyrillic") or _fold(w) not in self.titles:
                continue
            if text[e:ns] not in (" ", ", ") or not _CAP.match(nxt) or not _name_word(nxt):
                continue
            if (text[ne : ne + 1] not in ("", " ", ",", ".", ";")) or frequent(nxt, lang, NAME_ZIPF) or \
                    self._organisation(nxt) or self._title(nxt) or (text[e:ns] == " " and not given_name(nxt, lang)):
                continue  # with no comma, only a given name ("father Time" is no one)
            out.append(Name(ns, ne, nxt))
        return out

    def _runs(self, text: str, lang: str) -> list[Name]:
        toks = [w for w in words(text) if script_of(w[0]) in ("latin", "cyrillic")]
        if first_script(text) != "han" and headline(toks) and not _SENTENCE_CLOSED.search(text):
            # a headline in title case: capitals say nothing there (Latin names in Chinese text do); a sentence
            # that ends as one, with short lower-case words only ("It was bad, said Peter Jones."), is none
            return []
        out: list[Name] = []
        i = 0
        while i < len(toks):
            if not _name_word(toks[i][0]) or _INITIAL.match(toks[i][0]) and text[toks[i][2] : toks[i][2] + 1] != ".":
                i += 1  # a letter alone is an initial only with its dot (not the Russian preposition У)
                continue
            run = [toks[i]]
            j = i + 1
            while j < len(toks) and len(run) < RUN_MAX and self._joins(text, run[-1], toks[j], lang):
                run.append(toks[j])
                j += 1
            run, titled = self._trim(text, run, lang)
            if run and not titled and (m := _ACRONYM_BEFORE.search(text, max(0, run[0][1] - 12), run[0][1])) and \
                    not self._title(m.group(1)):
                run = []  # "HMP Long Lartin": a prison's name
            # two to four words after the titles (one after a curated title: "Mr. Adams"); five
            # capitalised words in a row are a list of names, not one ("North Korean Foreign Minister
            # Ri Yong Ho" is read whole, so that its titles are found)
            for part in _two_names(run, lang):
                if part and len(part) <= 4 and (titled or " " in text[part[0][1] : part[-1][2]]) and \
                        self._is_name(text, part, lang, titled):
                    # a Korean given name's second syllable, written small after a hyphen: Moon Jae-in
                    end = m.end() if (m := _SYLLABLE_AFTER.match(text, part[-1][2])) else part[-1][2]
                    out.append(Name(part[0][1], end, text[part[0][1] : end]))
            i = max(j, i + 1)
        return out

    def _joins(self, text: str, prev: tuple[str, int, int], tok: tuple[str, int, int], lang: str) -> bool:
        gap = text[prev[2] : tok[1]]
        if gap == ". ":  # after an initial or an abbreviated title: "A. Lind", "Rev. John", "Sen. Jeff"
            ok = bool(_INITIAL.match(prev[0])) or self._title(prev[0])
        else:
            ok = gap in (" ", "-", "\u00a0", "'", "’")
        particle = tok[0].lower() in (_PARTICLES_DE if lang == "de" else _PARTICLES)
        initial = bool(_INITIAL.match(tok[0])) and text[tok[2] : tok[2] + 2] == ". "  # "Dionisio A. Lind"
        # (Russian capitalises names alone: a capital inside a run is a name's, though its word is frequent
        # written small: Ли Ён Хо, not the particle ли)
        # (and a surname that is a frequent word after a given name: Theresa May, Doris Day, Jack White;
        # not "Friday May 3")
        # (and a Russian name's words agree in case: "игрока Гленна Миддлтона Халкеттом" is two people's)
        return ok and (_name_word(tok[0]) or particle) and \
            (initial or lang == "ru" and script_of(tok[0]) == "cyrillic" and len(tok[0]) > 1 or
             not frequent(tok[0], lang, FUNCTION_ZIPF) or _surname_after_given(text, prev, tok, lang)) and \
            (lang != "ru" or script_of(tok[0]) != "cyrillic" or russian_cases_agree(prev[0], tok[0]))

    def _trim(self, text: str, run: list[tuple[str, int, int]], lang: str,
              opening: bool = True) -> tuple[list[tuple[str, int, int]], bool]:
        """The name inside a run of capitals, and whether a title stood before
        it: after its titles ("Prime Minister Zoran Zaev"), without a common
        word that opens the sentence unless it is a given name ("The", but
        not "Mike"), without a place before it ("Liverpools Alisson Becker"),
        and in German without the nouns around it ("Ehemann Dan Baldwin")."""
        titled = [k for k, (w, _, _) in enumerate(run) if self._title(w)]
        # a title of the curated list ("Mr", "Rev", "Präsident", "господин") names the one word after it
        honorific = titled and _fold(run[titled[-1]][0]) in self.titles
        if titled:
            run = run[titled[-1] + 1 :]  # "Vice President" alone is a title without a name
        # (or, before two more words, any word of the language there: "Преподобный Давид Джонсон")
        while run and opening and opens_sentence(text, run[0][1]) and not given_name(run[0][0], lang) and \
                (frequent(run[0][0], lang, NAME_ZIPF) or len(run) > 2 and language_word(run[0][0], lang)):
            run = run[1:]
        # after "the", a word of the language opens no name: "the Democrat Joe Biden" (but "the Red Cross",
        # left with no given name, is no one's: :meth:`_is_name`)
        while len(run) > 2 and lang == "en" and _after_the(text, run[0][1]) and \
                not given_name(run[0][0], lang) and language_word(run[0][0], lang):
            run = run[1:]
        # (a village's name that is a surname, or before no given name, stays: Kim Jong Un; but
        # Chelsea Daniel Sturridge)
        while len(run) > 2 and text[run[0][2] : run[1][1]] != "-" and \
                self._place_word(run[0][0], lang, notable=surname(run[0][0]) or not given_name(run[1][0], lang)):
            run = run[1:]  # (but a hyphen joins a name's parts: Kai-Fu Lee)
        if lang == "de" and (len(run) > 1 or honorific):  # (one word without a title is no name: left as it is)
            # (and an adjective that opens the name: "Ungeschlagenes Ayr-Team", the unbeaten Ayr team)
            while run and (german_noun(run[0][0]) or not given_name(run[0][0], lang) and german_adjective(run[0][0])):
                run = run[1:]
            # a common noun inside the run ends the name before it ("Gwyneth Paltrows Marke Goop": her brand)
            inner = next((k for k in range(1, len(run) - 1) if german_noun(run[k][0])), None)
            if inner is not None:
                run = run[:inner]
            # a noun after the run, but not the surname after a given name (Mike Coupe, not Coup) unless it
            # is a compound of nouns ("Rosa Windgeschwindigkeiten")
            # (after a genitive, also a noun that is a given name somewhere: "zu Allan McGregors Tor", his goal)
            while run and (german_noun(run[-1][0]) or len(run) > 2 and run[-2][0].endswith("s") and
                           possessed_noun(run[-1][0])) and \
                    (len(run) == 1 or not given_name(run[-2][0], lang) or german_compound(run[-1][0])):
                if self._organisation(run[-1][0]):
                    return [], False  # the name is the building's or the organisation's: "in der Tony Macaroni Arena"
                run = run[:-1]
        while run and run[0][0].lower() in _PARTICLES:
            run = run[1:]
        while run and run[-1][0].lower() in _PARTICLES:
            run = run[:-1]
        return run, bool(run) and bool(honorific)

    def _places_named(self, word: str, lang: str) -> tuple[int, ...]:
        """The places ``word`` names, in German also in the genitive (Liverpools, Nordkoreas)."""
        assert self.places is not None
        return self.places.is_place(word, lang) or \
            (self.places.is_place(word[:-1], lang) if lang == "de" and word.endswith("s") else ())

    def _place_word(self, word: str, lang: str, notable: bool = False) -> bool:
        """Is ``word`` a place's name (in German also in the genitive:
        Liverpools)? ``notable``: a country, a region or a town of
        SMALL_TOWN or more, not a village that shares a surname (Kim, India)."""
        if script_of(word) == "cyrillic" and russian_kind(word) == "place":
            return True
        if self.places is None:
            return False
        found = self._places_named(word, lang)
        facts = self.places.table.places
        return any(not notable or g not in facts or facts[g][1] != "city" or facts[g][3] >= SMALL_TOWN
                   for g in found)

    def _is_name(self, text: str, run: list[tuple[str, int, int]], lang: str, titled: bool = False) -> bool:
        ws = [w for w, _, _ in run]
        # an English given name that is also a function word (Will) is the name where a capital inside
        # a sentence says so ("coach Will Wade said"), if no word as frequent as "the", "in", "he"
        given = given_name(ws[0], lang) or lang == "en" and len(ws) > 1 and ws[0].lower() in given_names() and \
            zipf(ws[0], "en") < ARTICLE_ZIPF and not opens_sentence(text, run[0][1])
        # a run of two or three short capitalised syllables inside a Russian sentence is a Korean or
        # Chinese name (Ли Ён Хо, Мун Чжэ Ин), though Ли and Хо are words written small
        # (three of them even where they open the sentence: only a name capitalises the words after the first)
        given = given or lang == "ru" and 2 <= len(ws) <= 3 and (len(ws) == 3 or not opens_sentence(text, run[0][1])) \
            and all(len(w) <= 3 and w[1:].islower() for w in ws)
        if given and len(ws) > 1 and frequent(ws[-1], lang, NAME_ZIPF) and not surname(ws[-1]) and \
                self._place_word(ws[0], lang, notable=True):
            # a given name that is also a great place's (Paris, Jordan) vouches for no word of the language
            # after it: "Paris Fashion Week" is no one's; Paris Hilton, Jordan Spieth are names by their surnames
            return False
        if not titled and not given and self._after_thing(text, run[0][1]):
            return False  # "сети Ллойдс Фармаси", "die Firma Celesio": the chain's, the company's name
        if not titled and not given:
            # in German text, English words too ("Disaster Prevention", "Rady Children": names of
            # organisations left in English)
            # (a word with a capital inside is a name's however frequent: LeBron, DeAndre, McCain)
            common = [w for w in ws if w.lower() not in _PARTICLES and not _INITIAL.match(w) and w[1:].islower() and
                      (language_word(w, lang) or lang == "de" and language_word(w, "en"))]
            if common and (common != [ws[-1]] or not surname(ws[-1]) and not _foreign_pair(text, run, lang)) and \
                    not self._speaking_pair(text, run, lang, common):
                # no title or given name, and a word of the language that is no surname
                # ending the name: "Fragrance Shop", "Wales Act", but "Dyteon Simpson"
                return False
        if len(ws) == 1 and (frequent(w := ws[0], lang, FUNCTION_ZIPF) or w.lower() in self._lower or
                             self._title(w)):
            return False  # after a title, a word the article writes in lower case: "President Obama", not "Mr Big"
        if any(self._organisation(w) or _brand(w) or self._feature(w) for w in ws):
            return False
        if self._a_things_name(text, run[0][1], run[-1][2], lang):
            return False
        calendar = calendar_words(lang)
        dated = [k for k, w in enumerate(ws) if w.lower() in calendar]
        # a month or a weekday is no name's, but for a surname after a given name that no day's number
        # follows: "Theresa May arrives", not "Monday May 3"
        if dated and not (dated == [len(ws) - 1] and len(ws) > 1 and _surname_after_given(text, run[0], run[-1], lang)):
            return False
        if all(frequent(w, lang, WORD_ZIPF) and w.lower() in self._lower or _INITIAL.match(w) for w in ws):
            return False  # words the article also writes in lower case: "Leave Means Leave"
        if lang in ("zh", "ar", "ru") and script_of(ws[0]) == "latin" and \
                any(frequent(w, "en", FOREIGN_ZIPF) and not given_name(w, "en") and not surname(w) and
                    not _INITIAL.match(w) for w in ws):
            return False  # an English gloss in other text ("Technology Innovation Corridor"), not "Mike Coupe"
        if text.count("-", run[0][1], run[-1][2]) >= 2 or \
                script_of(ws[0]) == "latin" and after_han_locative(text, run[0][1]):
            # "Guangdong-Hong-Kong-Macao Greater": places joined, not a person's name; and Latin words after
            # a Chinese preposition of place name a place (在Merseyside Birkenhead)
            return False
        if self._names_a_place(text, run, lang):
            return False
        if lang == "en" and not titled and _after_the(text, run[0][1]):
            return False  # the article before capitals names a thing: "the Red Cross said", "the Jets"
        return True

    def _names_a_place(self, text: str, run: list[tuple[str, int, int]], lang: str) -> bool:
        """Is the run a place ("New York", "Baton Rouge"), a team (a town and
        the plural of an English word that is no surname: "Denver Nuggets",
        "Los Angeles Lakers"; not Oriol Junqueras), or does it end in a
        region or a country ("Bethesda Maryland", "Denuklearisierung
        Nordkoreas")?"""
        if self.places is None:
            return False
        last = run[-1][0]
        if self.places.is_place(text[run[0][1] : run[-1][2]], lang):
            return True
        if len(run) > 1 and script_of(last) == "latin" and last.endswith("s") and not surname(last) and \
                zipf(last[:-1], "en") >= TEAM_ZIPF and self.places.is_place(text[run[0][1] : run[-2][2]], lang):
            return True
        # (a surname after a given name is the surname, though it names a country too: Michael Jordan)
        if len(run) > 1 and given_name(run[0][0], lang) and surname(last):
            return False
        return any(self.places.table.places.get(g, ("", "city"))[1] != "city" for g in self._places_named(last, lang))

    def _speaking_pair(self, text: str, run: list[tuple[str, int, int]], lang: str, common: list[str]) -> bool:
        """Is a pair of capitalised words inside a sentence, right before a
        speech word, a person's name though its first word is a word of the
        language ("City manager Pep Guardiola told reporters": pep)? Its
        surname is no word of the language and no place."""
        if len(run) != 2 or common != [run[0][0]] or opens_sentence(text, run[0][1]) or \
                self.places is not None and self.places.is_place(run[1][0], lang):
            return False
        after = words(text[run[1][2] : run[1][2] + 24])
        return bool(after) and text[run[1][2] : run[1][2] + after[0][1]] == " " and self._is_cue(after[0][0])

    def _a_things_name(self, text: str, start: int, end: int, lang: str) -> bool:
        """Does ``text[start:end]`` stand as a feature's or a small place's
        name: beside a feature's word, or before a comma and its country? Or
        as a nickname or a title, in quotation marks of its own ("the volcano
        known as “Don Goyo”", „Dragons' Den“)?"""
        return self._beside_feature(text, start, end) or self._before_its_country(text, end, lang) or \
            _quoted(text, start, end)

    def _before_its_country(self, text: str, end: int, lang: str) -> bool:
        """Is the name followed by a comma and a country or a region, as
        news gives a small place ("Punta Eugenia, Mexico")?"""
        m = _AFTER_COMMA.match(text, end)
        if m is None or self.places is None:
            return False
        facts = self.places.table.places
        phrases = (m.group(0).lstrip(",، "), m.group(1))
        return any(facts[g][1] != "city" for ph in phrases for g in self.places.is_place(ph, lang) if g in facts)

    def _surnames(self, text: str, lang: str, lasts: dict[str, str]) -> list[Name]:
        out: list[Name] = []
        if not lasts:
            return out
        for w, s, e in words(text):
            key = _fold(w)
            if lang == "de" and key not in lasts and key.endswith("s") and key[:-1] in lasts:
                key = key[:-1]  # the German genitive: Willoughbys, Baldwins
            if _CAP.match(w) and key in lasts and not frequent(w, lang, FUNCTION_ZIPF):
                if not self._names_organisation(text, e):  # the Cromwell Society is no Cromwell
                    out.append(Name(s, e, w, of=lasts[key]))
            else:
                # وأخبرت فورد: the surname alone, also after a proclitic (وفورد)
                bare = w if key in lasts else w[1:] if w[:1] in _AR_PROCLITICS and _fold(w[1:]) in lasts else None
                if bare is not None and script_of(w) == "arabic" and zipf(w, "ar") < AR_COMMON:
                    out.append(Name(e - len(bare), e, bare, of=lasts[_fold(bare)]))
        if HAN_RE.search(text):
            for last, full in lasts.items():
                if HAN_RE.match(last[:1]):
                    if last in self._han_named:  # 卡瓦诺 (Brett Kavanaugh): where it is a word of its own
                        out.extend(Name(m.start(), m.end(), last) for m in re.finditer(re.escape(last), text)
                                   if on_word_boundaries(text, m.start(), m.end()))
                        continue
                    # a Chinese surname that the article gives alone (姓吴), only where it stands as one:
                    # quoted, or before 某 ("a certain") or 姓 (吴 is also in 吴江)
                    rx = re.escape(last) if last != full else \
                        rf"(?<={_QUOTE_MARK}){re.escape(last)}(?=(?:{_HAN_GLOSS})?{_QUOTE_MARK})|{re.escape(last)}(?=[某姓])"
                    out.extend(Name(m.start(), m.end(), last, of=full) for m in re.finditer(rx, text))
        return out

    def _surnamed(self, text: str, lang: str) -> list[Name]:
        """The people ``text`` names by a surname alone after a surname word
        (``surnamed`` in ``cues.yaml``): 'his surname "Yuan"', "surnamed Li",
        "по фамилии Юань", 'بلقبه "وو"', 姓袁, “吴（音译）”姓. A word of the
        language, and any Arabic word, only in quotation marks."""
        out: list[Name] = []
        if self._surnamed_re is not None and not HAN_RE.match(text[:1]):
            for m in self._surnamed_re.finditer(text):
                name, s, e = m.group("name"), m.start("name"), m.end("name")
                quoted = bool(m.group("q")) and bool(_NAME_QUOTE_END.match(text, e))
                arabic = script_of(name) == "arabic"
                if arabic and (not quoted or _ar_definite(name)) or not arabic and not name[:1].isupper():
                    continue
                if not quoted and (language_word(name, lang) or frequent(name, lang, NAME_ZIPF)) or \
                        self._organisation(name) or self._title(name):
                    continue
                out.append(Name(s, e, name))
        if self._han_surnamed_re is not None and HAN_RE.search(text):
            for m in self._han_surnamed_re.finditer(text):
                if m.group("after"):  # 姓 a word of its own (not 姓名, "full name"), then a character
                    s, e = m.start("after"), m.end("after")
                    if not on_word_boundaries(text, m.start(), s) or zipf(m.group("after"), "zh") >= HAN_FUNCTION_ZIPF:
                        continue
                else:
                    s, e = m.start("quoted"), m.end("quoted")
                out.append(Name(s, e, text[s:e]))
        return out

    def _names_organisation(self, text: str, end: int) -> bool:
        """Do capitalised words after ``end`` make the name an organisation's
        ("Cromwell Society", "Kennedy Space Center")?"""
        chunk = text[end : end + 40]
        prev = 0
        for w, s, e in words(chunk)[:3]:
            if chunk[prev:s] not in (" ", "-") or not _CAP.match(w):
                return False
            if self._organisation(w):
                return True
            prev = e
        return False

    # -- Chinese ------------------------------------------------------------------
    def _han(self, text: str) -> list[Name]:
        alphabet = transliteration_alphabet()
        out = _dotted_names(text, alphabet)
        out = _merge(out, self._glossed(text, alphabet))
        # Names jieba's dictionary knows as foreign (nrt): only runs of three
        # transliteration letters or more can hold one, and only they are cut.
        tags = jieba_tags()
        for run in _alphabet_runs().finditer(text):
            # cut with two characters of context, so that 诺贝尔奖 stays one word (the prize)
            pos = lo = max(0, run.start() - 2)
            for tok in jieba_module().cut(text[lo : run.end() + 2], HMM=False):
                s, e = pos, pos + len(tok)
                pos = e
                if len(tok) >= 3 and tags.get(tok) == "nrt" and not any(n.start <= s < n.end for n in out):
                    # 圣路易斯 is a place; 墨西哥人 its people, and 库尔德人, 斯拉夫人 a people (人, "person", is
                    # no letter of a transliterated name)
                    if not tok.endswith("人") and (self.places is None or tok not in self.places.table.keys):
                        out.append(Name(s, e, tok))
        # A title after a name (亚当斯先生, Merriweather 先生): the transliterated
        # name or the Latin word before it.
        if self._han_titles is not None:
            for m in self._han_titles.finditer(text):
                if any(n.start == m.end() for n in out) or _LATIN_AFTER.match(text, m.end()):
                    continue  # 马其顿总统奥尔盖•伊万诺夫: the title is the name's after it; before it, a country
                if not on_word_boundaries(text, m.start(), m.end()):
                    continue  # inside another word: 斯拉夫人 (Slavs) holds no 夫人 (Madame)
                before = text[max(0, m.start() - 30) : m.start()]
                got = _LATIN_BEFORE.search(before)
                if got and not all(_name_word(w) for w in got.group(1).split()):
                    continue  # an acronym is no name: "AI 博士" are doctors of AI
                if got:
                    s, e = m.start() - len(before) + got.start(1), m.start() - len(before) + got.end(1)
                else:  # the word before the title: a name to jieba, or new and of transliteration letters
                    toks = list(jieba_module().cut(before[-8:], HMM=True))
                    last = toks[-1] if toks else ""
                    tag = tags.get(last)
                    if not (2 <= len(last) <= 6 and (tag is not None and tag.startswith("nr") or
                                                     tag is None and all(ch in alphabet for ch in last))):
                        continue
                    s, e = m.start() - len(last), m.start()
                if e - s >= 2:
                    if not any(n.start < e and s < n.end for n in out) and \
                            (self.places is None or not self.places.is_place(text[s:e], "zh")):
                        out.append(Name(s, e, text[s:e]))
        # A name right before an organisation's or a building's word is theirs (圣马丁教堂: a church)
        if self._han_orgs is not None:
            out = [n for n in out if not self._han_orgs.match(text, n.end)]
        return sorted(out, key=lambda n: n.start)

    def _han_cued(self, text: str, cues: list[tuple[int, int, str]]) -> list[Name]:
        """A word jieba reads as a person's name (``nr``, its HMM's guess
        too: 李勇浩, 特朗普) right before a Chinese speech word, a time word
        between allowed (特朗普周三表示), or right after a title (韩国领导人文在寅,
        总统特朗普). The article's other mentions of it are that person too
        (:meth:`article`)."""
        out: list[Name] = []
        # each window is a clause's stretch, cut where a punctuation mark or a space is, never inside a word
        spots = []
        for cs, _ce, cue in cues:
            if HAN_RE.match(cue[:1]) and (m := _HAN_CLAUSE_TAIL.search(text, max(0, cs - HAN_CUE_WINDOW), cs)):
                spots.append((m.start(1), cs, True))
        if self._han_titles is not None:
            for m in self._han_titles.finditer(text):
                g = _HAN_RUN.match(text, m.end())
                if g and on_word_boundaries(text, m.start(), m.end()):
                    spots.append((m.end(), min(g.end(), m.end() + HAN_CUE_WINDOW), False))
        for lo, hi, before in spots:
            toks, pos = [], lo
            for w, flag in posseg().cut(text[lo:hi]):
                toks.append((w, flag, pos))
                pos += len(w)
            if before:
                while toks and toks[-1][1] == "t":
                    toks.pop()  # 周三 ("on Wednesday") between the name and the speech word
                toks.reverse()
            # the name's words: jieba cuts a transliteration it does not know into names (斯图 + 里奇)
            k = 0
            while k < len(toks) and toks[k][1].startswith("nr"):
                k += 1
            if not k:
                continue
            part = sorted(toks[:k], key=lambda t: t[2])
            w, flag, s = "".join(t[0] for t in part), part[0][1], part[0][2]
            if self._han_person_word(w, flag) and not any(n.start < s + len(w) and s < n.end for n in out):
                out.append(Name(s, s + len(w), w))
                self._han_named.add(w)
        return sorted(out, key=lambda n: n.start)

    def _han_person_word(self, word: str, flag: str) -> bool:
        """Is a word jieba tagged a person's name one: two to six Han
        characters, no place, no people (库尔德人), and no word its dictionary
        knows as anything else?"""
        if not flag.startswith("nr") or not 2 <= len(word) <= 6 or not all(HAN_RE.match(c) for c in word):
            return False
        tag = jieba_tags().get(word)
        return (tag is None or tag.startswith("nr")) and not word.endswith("人") and \
            (self.places is None or word not in self.places.table.keys)

    def _glossed(self, text: str, alphabet: frozenset[str]) -> list[Name]:
        """A transliteration right before a person's Latin name in brackets
        (卡瓦诺（Brett Kavanaugh）): the Latin opens with a given name, and
        neither is a place. The article's other 卡瓦诺 are that person too
        (:meth:`article`)."""
        out: list[Name] = []
        if "(" not in text and "（" not in text:
            return out
        for m in _LATIN_GLOSS.finditer(text):
            latin = m.group(1)
            if not given_name(latin.split()[0], "en") or self._organisation(latin.split()[-1]):
                continue
            n = _glossed_size(han_words(text[max(0, m.start() - GLOSSED_MAX) : m.start()]), alphabet)
            span = text[m.start() - n : m.start()]
            if n < 2 or self.places is not None and (self.places.is_place(span, "zh") or
                                                     self.places.is_place(latin, "en")):
                continue
            out.append(Name(m.start() - n, m.start(), span))
            self._han_named.add(span)
        return out

    # -- Arabic -------------------------------------------------------------------
    def _arabic(self, text: str, cues: list[tuple[int, int, str]]) -> list[Name]:
        """Arabic names: after a speech word (قال جيف فليك), one to three
        words without the article that are no common words, one of them rare;
        after a title (السيدة كريستين بلازي فورد, الرئيس الأمريكي دونالد ترامب:
        its adjectives skipped), the same words, none of them needing to be
        rare."""
        out = []
        toks = words(text)
        starts = [t[1] for t in toks]
        for _cs, ce, cue in cues:
            if script_of(cue) == "arabic":
                j = bisect.bisect_left(starts, ce)
                run = self._arabic_run(text, toks[j:])
                if not run and j < len(toks) and self._arabic_role(toks[j][0]):
                    # a role between (وأشار الخبير تيفاني إنج, "the expert Tiffany Ng noted"), its adjectives too
                    run = self._arabic_run(text, toks[self._after_arabic_title(text, toks, j + 1) :])
                if j < len(toks) and not (run and any(_ar_rare(w) for w, _, _ in run)) and \
                        (named := self._set_off_after_role(text, toks, j)):
                    run = named  # a role and whose it is, then the name between commas (ذكر مدرب سيتي، بيب
                    # جوارديولا، للصحفيين: "City's coach, Pep Guardiola, told reporters")
                    out.append(Name(run[0][1], run[-1][2], text[run[0][1] : run[-1][2]]))
                    continue
                # one word of it rare, not only for its proclitic (وفقًا لقوائم: "according to lists"), or a title
                # set after it (قال مايك كوب، المدير التنفيذي: Mike Coupe)
                if run and (any(_ar_rare(w) for w, _, _ in run) or self._apposed_title(text, run[-1][2])) \
                        and not self._a_things_name(text, run[0][1], run[-1][2], "ar"):
                    out.append(Name(run[0][1], run[-1][2], text[run[0][1] : run[-1][2]]))
        for k, (w, s, _e) in enumerate(toks):
            if script_of(w) != "arabic":
                continue
            bare = w[1:] if w[:1] in "وف" and not self._title(w) else w
            # a title, or in the construct state before its place (رئيس مقدونيا: Macedonia's president)
            if not self._title(bare) and not (self._title("ال" + bare) and k + 1 < len(toks) and
                                              self._arabic_place_at(text, toks[k + 1][1])):
                continue
            j = self._after_arabic_title(text, toks, k + 1)
            run = self._arabic_run(text, toks[j:])
            if run and run[0][0][:1] == "ل" and _AR_APPOSED.search(text, 0, s):
                continue  # a title in apposition and whose it is: مايك كوب، المدير التنفيذي لسينسبري
            if run and not any(n.start <= run[0][1] < n.end for n in out) and \
                    not self._beside_feature(text, run[0][1], run[-1][2]):
                out.append(Name(run[0][1], run[-1][2], text[run[0][1] : run[-1][2]]))
        return out

    def _set_off_after_role(self, text: str, toks: Sequence[tuple[str, int, int]],
                            j: int) -> list[tuple[str, int, int]]:
        """A name set off by commas after a title in the construct state and
        one or two words of whose it is (مدرب سيتي، بيب جوارديولا،), or none."""
        if not self._title("ال" + toks[j][0]):
            return []
        for k in (j + 2, j + 3):
            if k < len(toks) and _AR_APPOSED.search(text, toks[k - 1][2], toks[k][1]):
                run = self._arabic_run(text, toks[k:])
                end = run[-1][2] if run else 0
                return run if run and re.match(r"\s*[،,]", text[end : end + 3]) else []
        return []

    def _arabic_role(self, w: str) -> bool:
        """A definite noun that may be a person's role after a speech word
        (الخبير, المتحدث): not a function word, a weekday or a place."""
        return _ar_definite(w) and zipf(w, "ar") < FUNCTION_ZIPF and name_key(w) not in calendar_words("ar") and \
            (self.places is None or not self.places.is_place(w, "ar"))

    def _apposed_title(self, text: str, at: int) -> bool:
        """Does a comma and a title or another definite noun in apposition
        follow at ``at`` (، المدير التنفيذي; not ، الذي, a relative pronoun, nor a
        weekday)?"""
        m = _AR_APPOSITION.match(text, at)
        if m is None:
            return False
        w = m.group(1)
        return self._title(w) or self._arabic_role(w)

    def _arabic_place_at(self, text: str, at: int) -> int:
        """The end of the name of a country, a region or a town of SMALL_TOWN
        or more (no common word) that starts at ``at``, or 0."""
        if self.places is None:
            return 0
        chunk, facts = text[at : at + 60], self.places.table.places
        return next((at + c.end for c in self.places.candidates(chunk, "ar") if c.start == 0 and not c.common and
                     any(facts[g][1] != "city" or facts[g][3] >= SMALL_TOWN for g in c.gids if g in facts)), 0)

    def _after_arabic_title(self, text: str, toks: Sequence[tuple[str, int, int]], j: int) -> int:
        """Where the name after an Arabic title starts: past the title's
        adjectives (الرئيس الأمريكي, not the relative pronoun التي) and the
        place it is the title of (رئيس مقدونيا جورج إيفانوف, رئيس كوريا الجنوبية)."""
        start = j
        while j < len(toks) and j < start + 4:
            w = toks[j][0]
            if w.startswith("ال") and w.endswith(("ي", "ية")) and zipf(w, "ar") < FUNCTION_ZIPF:
                j += 1  # an adjective of the title
            elif j == start and (end := self._arabic_place_at(text, toks[j][1])):
                while j < len(toks) and toks[j][1] < end:
                    j += 1  # the country or the city whose title it is
            else:
                break
        return j

    def _arabic_run(self, text: str, toks: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """The name that opens ``toks``: up to three Arabic words next to one
        another, without the article, no common word (AR_COMMON), no place."""
        run: list[tuple[str, int, int]] = []
        for k, (w, s, e) in enumerate(toks[:3]):
            # a given name that is also a common word (جون: John, and June) opens a name before an uncommon word
            common = zipf(w, "ar") >= AR_COMMON and not (
                k == 0 and zipf(w, "ar") < FUNCTION_ZIPF and len(toks) > 1 and text[e : toks[1][1]] == " "
                and script_of(toks[1][0]) == "arabic" and zipf(toks[1][0], "ar") < NAME_ZIPF)
            if script_of(w) != "arabic" or _ar_definite(w) or common or self._organisation(w) or \
                    (run and text[run[-1][2] : s] != " ") or AR_TANWEEN.search(w) or _ar_particle(w) or \
                    _ar_possessed(w) or _ar_future(w) or self._title("ال" + w) or len(w) > AR_WORD_MAX:
                break  # the article, a common word, an indefinite noun (تحقيقًا), a particle (إننا), a role
                # before whose it is (مراسل ليكرز مايك تريدل: "the Lakers' reporter Mike Trudell"), or words run
                # together where a text lost its spaces (لاتزالثقافةالفخرفي)
            if run and (w[:1] in "ول" and zipf(w[1:], "ar") >= AR_RARE or
                        w[:1] == "ب" and zipf(w[1:], "ar") >= NAME_ZIPF - 0.5):
                break  # "and", "for", "with" before a word (جونسون وخليفته, بصوت), not ويلوبي, ليند, بلازي
            if not run and w[:1] in "لب" and len(w) > 3 and \
                    zipf(w[1:], "ar") >= min(AR_COMMON, max(AR_RARE, zipf(w, "ar") + AR_CLITIC_MARGIN)):
                break  # a title's "of the company" (التنفيذي لشركة), or "by" before a verbal noun, more frequent
                # alone (الوزير بتسليط الضوء: "the minister, by shedding light"); not لويس, لورا, بريت
            if self.places is not None and any(not c.common for c in self.places.candidates(w, "ar")) and \
                    not (k == 0 and self._given_not_town(toks[0], toks[1] if len(toks) > 1 else None, text)) and \
                    not (k > 0 and self._town_only(w)):
                break  # (after a name's first word, a town's name is its surname: جاري هولت, not Holt, Michigan)
            run.append((w, s, e))
        return run

    def _town_only(self, word: str) -> bool:
        """Does the Arabic ``word`` name only towns: no country, region,
        capital or city of BIG, which a name does not run on into (الرئيس
        دونالد ترامب واشنطن is no one's name)?"""
        assert self.places is not None
        facts = self.places.table.places
        gids = self.places.is_place(word, "ar")
        return bool(gids) and all(g in facts and facts[g][1] == "city" and not facts[g][4] and facts[g][3] < BIG
                                  for g in gids)

    def _given_not_town(self, tok: tuple[str, int, int], nxt: tuple[str, int, int] | None, text: str) -> bool:
        """Is an Arabic word that names a town a given name that opens a
        name here, before a rare word (أعلن أوريول جونكيراس: Oriol, not
        Oryol)? Not a country, a region, a capital or a city of BIG, which a
        speech word may stand before for their governments (أعلنت موسكو)."""
        assert self.places is not None
        if nxt is None or text[tok[2] : nxt[1]] != " " or not _ar_rare(tok[0]) or not _ar_rare(nxt[0]) or \
                _ar_definite(nxt[0]) or \
                self.places.candidates(nxt[0], "ar"):
            return False
        return self._town_only(tok[0])

    def _cues(self, text: str) -> list[tuple[int, int, str]]:
        """The speech words of ``text`` as ``(start, end, word)``, in order."""
        out: list[tuple[int, int, str]] = []
        toks = words(text)
        known, firsts = self._cue_memo, self._cue_pair_firsts
        for k, (w, ws, we) in enumerate(toks):
            cue = known.get(w)
            if cue is None:
                cue = memo(known, w, lambda: self._is_cue(w))  # noqa: B023 (called at once)
            if cue:
                out.append((ws, we, w))
            elif k + 1 < len(toks) and (first := w.lower()) in firsts and text[we : toks[k + 1][1]] == " " and \
                    f"{first} {toks[k + 1][0].lower()}" in self._cue_pairs:
                out.append((ws, toks[k + 1][2], text[ws : toks[k + 1][2]]))
        for rx in (self._han_re if HAN_RE.search(text) else None, self._mark_re):
            if rx is not None:
                out.extend((m.start(), m.end(), m.group()) for m in rx.finditer(text)
                           if rx is self._mark_re or _han_cue_at(text, m.start(), m.end()))
        return sorted(out)

    @cached_property
    def _cue_lemmas(self) -> frozenset[str]:
        """Russian speech words in any person, number and gender (заявил,
        заявила, заявили), by lemma: made when a Russian word is first asked
        (the Russian dictionary takes 0.1 s to load, in a process that may
        parse no Russian)."""
        return frozenset(russian_lemma(c) for c in self._cue_words if script_of(c) == "cyrillic")

    def _is_cue(self, w: str) -> bool:
        """Is the word alone a speech word (said, заявила, وأخبرت)?"""
        return w.lower() in self._cue_words or script_of(w) == "cyrillic" and \
            russian_lemma(w) in self._cue_lemmas or script_of(w) == "arabic" and self._arabic_cue(w)

    def _arabic_cue(self, word: str) -> bool:
        """An Arabic speech word with و or ف before it, or in the feminine or
        plural (وأخبرت, قالوا): its bare form is a cue. Short vowels and
        shadda, which translations sometimes write (صرّح), are no part of it."""
        word = strip_arabic_marks(word)
        bare = word[1:] if word[:1] in "وف" and len(word) > 3 else word
        for stem in (bare, bare[:-1] if bare.endswith("ت") else "", bare[:-2] if bare.endswith("وا") else ""):
            if stem and stem in self._cue_words:
                return True
        return False

    # -- who speaks ---------------------------------------------------------------
    def _speakers(self, text: str, names: list[Name], lang: str, cues: list[tuple[int, int, str]]) -> list[Name]:
        if not names or not cues:
            return names
        speaking: set[int] = set()
        starts = [n.start for n in names]  # sorted
        quoted = _quotations(text)
        enclosing = {at for n in names for at in _enclosing_marks(text, n)}
        # nor do the marks around a title in title case (a book's: "AI Superpowers: China, Silicon Valley
        # and the New World Order" was published by Houghton Mifflin Harcourt)
        enclosing |= {at for qs, qe in quoted if headline(words(text[qs:qe])) for at in (qs, qe - 1)}
        for cs, ce, cue in cues:
            if cs in enclosing:
                continue  # a quotation mark around a name alone ('his surname "Wu"') gives no one's words
            s0, s1 = _sentence(text, cs)
            lo, hi = bisect.bisect_left(starts, s0), bisect.bisect_left(starts, s1)
            # a name in brackets after another (a Latin gloss in Chinese or Arabic) is no one quoted, and
            # a name inside the quotation is no one who speaks it ("the figure of Oliver Cromwell", in
            # John Goldsmith's words)
            follows = cue in self._han_after  # (他强调了金正恩与文在寅的会晤: neither speaks)
            near = [(min(abs(names[k].start - ce), abs(cs - names[k].end)), k) for k in range(lo, hi)
                    if not _GLOSS_BEFORE.search(text, max(0, names[k].start - 3), names[k].start) and
                    not any(qs < names[k].start and names[k].end <= qe for qs, qe in quoted) and
                    not (follows and names[k].end > cs)]
            if near:
                k = min(near)[1]
                # "Mike Coupe, president of Sainsbury's, said", "Майк Куп, президент Сейнсбери, говорит":
                # the name inside the apposition is the title's organisation; the one before it speaks
                if k > 0 and names[k].end <= cs and _APPOSITION_GAP.fullmatch(text, names[k].end, cs) and \
                        _TITLE_BETWEEN.fullmatch(text, names[k - 1].end, names[k].start):
                    k -= 1
                speaking.add(k)
        return [Name(n.start, n.end, n.text, k in speaking, n.of) for k, n in enumerate(names)]


_QUOTATION = re.compile(r"“[^“”]{12,}”|«[^«»]{12,}»|„[^„“”]{12,}[“”]|「[^「」]{12,}」|"
                        r"(?<![\w\"])\"[^\"]{12,}\"(?![\w\"])")


def _quotations(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` inside quotation marks (a dozen characters or
    more: a quotation, not a quoted word or name)."""
    if not any(q in text for q in "“«„「\""):
        return []
    return [(m.start(), m.end()) for m in _QUOTATION.finditer(text)]


def _enclosing_marks(text: str, n: Name) -> tuple[int, ...]:
    """The positions of the quotation marks around the name ``n`` alone
    ("Wu,", „Yuan“, “袁（音译）”), if it stands so."""
    if n.start == 0 or not re.match(_QUOTE_MARK, text[n.start - 1]):
        return ()
    m = _NAME_QUOTE_END.match(text, n.end)
    return (n.start - 1, m.end() - 1) if m else ()


_GLOSS = re.compile(r"\s*[(（]\s*")
_GLOSS_END = re.compile(r"\s*[)）]")


def _glosses(text: str, names: list[Name]) -> list[Name]:
    """A name in another script in brackets right after a name (大卫·约翰逊
    (David Johnson), Лэй Юэлуна (Lei Yuelong)) is that person's: it stands
    for the name before it."""
    out = list(names)
    for k in range(1, len(out)):
        a, b = out[k - 1], out[k]
        if _GLOSS.fullmatch(text, a.end, b.start) and _GLOSS_END.match(text, b.end) and \
                script_of(a.text) != script_of(b.text):
            out[k] = Name(b.start, b.end, b.text, b.speaks, a.of or a.text)
    return out


def _alone_of(n: Name, lasts: Mapping[str, str]) -> Name:
    """``n``, if it is one word that is the surname of one of the article's
    full names (``lasts``, :func:`_surnames_of`), as that person's."""
    if n.of or " " in n.text or any(d in n.text for d in NAME_DOTS):
        return n
    full = lasts.get(n.text if HAN_RE.match(n.text[:1]) else _fold(n.text))
    return Name(n.start, n.end, n.text, n.speaks, full) if full and full != n.text else n


def _surnames_of(found: list[list[Name]]) -> tuple[dict[str, str], set[str]]:
    """Each surname (folded) of the article's full names, and the full name it
    stands for alone; none where two full names share it (David Johnson and
    John Howard Johnson: "Johnson said" names neither for sure). Second, the
    surnames that stand for no one for that reason."""
    fulls: dict[str, set[str]] = {}
    firsts: set[str] = set()  # a surname that opens another full name is a first name too (Will Wade, Wayde Sims)
    order: dict[str, int] = {}
    for ns in found:
        for n in ns:
            order.setdefault(n.text, len(order))
            if not n.of and _last(n.text) != n.text:
                fulls.setdefault(_last(n.text), set()).add(n.text)
                firsts.add(_fold(name_words(n.text)[0]))
    # case forms of one name (Джефф Флейк, Джеффа Флейка) are one name: the first written stands for it
    lasts = {last: min(names, key=lambda n: (order[n], n)) for last, names in fulls.items()
             if len({tuple(map(_fold, name_words(n))) for n in names}) == 1 and last not in firsts}
    return lasts, set(fulls) - set(lasts)


def _surname_after_given(text: str, given: tuple[str, int, int], last: tuple[str, int, int], lang: str) -> bool:
    """Is ``last`` a surname after the given name ``given``, with no day's
    number after it? Then a frequent word or a month is that surname
    (Theresa May, Jack White; not "Friday May 3")."""
    return given_name(given[0], lang) and surname(last[0]) and not _NUMBER_AFTER.match(text, last[2])


def _after_the(text: str, start: int) -> bool:
    """Does the English article "the" stand right before ``start``?"""
    return bool(_THE_BEFORE.search(text, max(0, start - 4), start))


def _two_names(run: list[tuple[str, int, int]], lang: str) -> list[list[tuple[str, int, int]]]:
    """A run of four capitalised words that two names make, each a given
    name and a surname ("nachdem Kyle Rowe David Armstrongs Boxkick
    abgefangen"), split in two; any other run as it is (Sarah Jessica
    Parker, Gabriel García Márquez; five words or more are a list, a
    byline's, and no one's name)."""
    if len(run) == 4 and given_name(run[0][0], lang) and given_name(run[2][0], lang) and \
            not given_name(run[1][0], lang):
        return [run[:2], run[2:]]
    return [run]


def name_words(name: str) -> list[str]:
    """The words of a person's name: split at spaces and at the dots of a
    transliteration (霍莉·威洛比)."""
    return [w for w in re.split(f"[{NAME_DOTS}\\s]+", name.strip()) if w]


def _first_names(found: list[list[Name]]) -> list[list[Name]]:
    """A name of one word that opens exactly one longer name of the article
    (Joko for Joko Widodo, جوكو, 佐科 for 佐科威多多) stands for that name."""
    full = {n.text for ns in found for n in ns if not n.of}
    opens: dict[str, set[str]] = {}
    later: set[str] = set()  # the words after a name's first: surnames, never first names
    for name in full:
        parts = name_words(name)
        later.update(parts[1:])
        if len(parts) > 1:
            opens.setdefault(parts[0], set()).add(name)
        elif HAN_RE.match(name[:1]):
            for k in (2, 3):  # a Chinese transliteration without dots: 佐科 of 佐科威多多
                if len(name) > k + 1:
                    opens.setdefault(name[:k], set()).add(name)
    sole = {w: next(iter(names)) for w, names in opens.items() if len(names) == 1 and w not in later}
    return [[Name(n.start, n.end, n.text, n.speaks, sole[n.text]) if not n.of and n.text in sole else n
             for n in ns] for ns in found]


def name_parts(found: Sequence[Sequence[Name]]) -> set[str]:
    """The words of an article's people's names, folded (willoughby, тар for
    Тарой Кэпп, 威洛比 for 霍莉·威洛比): one sense per article, so that
    such a word alone is not a place."""
    return name_parts_of(n.text for names in found for n in names)


def name_parts_of(names: Iterable[str]) -> set[str]:
    """:func:`name_parts` of names' spellings."""
    out: set[str] = set()
    for text in names:
        if HAN_RE.match(text[:1]):
            out.update(p for p in re.split(f"[{NAME_DOTS}]", text) if len(p) >= 2)
        else:
            out.update(_fold(w) for w, _, _ in words(text) if len(w) > 2)
    return out


def is_name_part(word: str, parts: set[str]) -> bool:
    """Is ``word`` one of ``parts`` (:func:`name_parts`), also in the German
    genitive (Baldwins)?"""
    if HAN_RE.match(word[:1]):
        return word in parts
    folded = _fold(word)
    return folded in parts or folded.endswith("s") and folded[:-1] in parts


def _dotted_names(text: str, alphabet: frozenset[str]) -> list[Name]:
    """Transliterated names written with middle dots (霍莉·威洛比): each dot's
    name parts, as far as they are name letters."""
    out: list[Name] = []
    cut = jieba_module().cut
    for m in _HAN_NAME_RUN.finditer(text):
        dots = [k for k in range(m.start(), m.end()) if text[k] in NAME_DOTS]
        # dots joined by name letters are one name (威廉·哈莫·索尼柯); letters that are no name's
        # between two dots part two names (霍莉·威洛比 退出与 皮特·琼斯)
        groups = [[dots[0]]]
        for a, b in zip(dots, dots[1:], strict=False):
            mid = text[a + 1 : b]
            if _name_part(list(cut(mid, HMM=False)), alphabet) == len(mid):
                groups[-1].append(b)
            else:
                groups.append([b])
        for k, group in enumerate(groups):
            lo = groups[k - 1][-1] + 1 if k else m.start()
            hi = groups[k + 1][0] if k + 1 < len(groups) else m.end()
            left = list(cut(text[lo : group[0]], HMM=False))
            right = list(cut(text[group[-1] + 1 : hi], HMM=False))
            s = group[0] - _name_part(left[::-1], alphabet)
            e = group[-1] + 1 + _name_part(right, alphabet)
            if s < group[0] and e > group[-1] + 1:
                out.append(Name(s, e, text[s:e]))
    return out


def _ar_definite(word: str) -> bool:
    """A word with the article, also after a proclitic (الشهادة, والتي, للمكان)."""
    return word.startswith(("ال", "لل")) or word[:1] in "وفبك" and word[1:3] == "ال"


def _ar_possessed(word: str) -> bool:
    """A noun with a possessive pronoun (مزحته "his joke", زوجته)."""
    return arabic_possessed(word, ("هما", "ها", "هم", "هن", "ه"))


def _ar_rare(word: str) -> bool:
    """A rare Arabic word (AR_RARE), and not only for a preposition written
    onto a word of the language (لقوائم, لأنباء, بتسليط: "for lists", "for
    news", "by shedding"; but فليك, Flake, is no ف before ليك)."""
    return zipf(word, "ar") < AR_RARE and not (word[:1] in "لب" and len(word) > 3 and
                                               zipf(word[1:], "ar") >= AR_RARE + 1)


def _ar_future(word: str) -> bool:
    """A verb in the future (سيسافر, "will travel": س before a frequent
    present, يسافر), not a name that starts so (ستيفن, سيمون, سيرجي)."""
    if len(word) < 4 or word[0] != "س" or word[1] not in "يتنأ":
        return False
    present = zipf(word[1:], "ar")
    return present >= AR_VERB_ZIPF and present > zipf(word, "ar")


def _ar_particle(word: str) -> bool:
    """إن, أن, لأن, alone or with a pronoun (إننا, أنه): no name."""
    for head in ("لأن", "إن", "أن"):
        if word.startswith(head) and word[len(head) :] in _AR_PRONOUNS:
            return True
    return False


def _name_part(tokens: Sequence[str], alphabet: frozenset[str]) -> int:
    """How many characters of a transliterated name part stand next to its
    dot: the nearest word, then more words while they are transliteration
    letters, at most NAME_PART_MAX characters (弗朗西斯科, 弗利特伍德), and no word the dictionary knows as
    anything but a name or a place (包括佐兰·扎埃夫: "including"; 门将马修·赖恩:
    "goalkeeper"; 萨内脚下: "at his feet")."""
    size = 0
    tags = jieba_tags()
    for k, tok in enumerate(tokens):
        if k and (size + len(tok) > NAME_PART_MAX or not _name_letters(tok, alphabet) or
                  len(tok) > 1 and not (tags.get(tok) or "nr").startswith(("nr", "ns"))):
            break
        size += len(tok)
    return size


def _han_cue_at(text: str, s: int, e: int) -> bool:
    """Is the Han speech word at ``text[s:e]`` one, by jieba's words? It
    opens a word (表示 of 表示遗憾, "expressed regret"; not 说 of 小说, "a
    novel"), and one character is a word of its own (据 "according to",
    not 据称, "reportedly", of no one)."""
    return on_word_boundaries(text, s, s) if e - s > 1 else on_word_boundaries(text, s, e)


def _glossed_size(tokens: Sequence[str], alphabet: frozenset[str]) -> int:
    """How many characters at the end of ``tokens`` (jieba's words before a
    Latin gloss) are a transliterated name: words of transliteration letters
    that the dictionary knows as nothing but a name or a place, at most
    GLOSSED_MAX characters (佐科维多多 of 总统佐科维多多, 阿里萨巴拉加 of 跃起的阿里萨巴拉加)."""
    size = 0
    tags = jieba_tags()
    for tok in reversed(tokens):
        if size + len(tok) > GLOSSED_MAX or not _name_letters(tok, alphabet) or \
                len(tok) > 1 and not (tags.get(tok) or "nr").startswith(("nr", "ns")):
            break
        size += len(tok)
    return size


def _name_letters(tok: str, alphabet: frozenset[str]) -> bool:
    """Could a word be (part of) a transliterated name: mostly
    transliteration letters (格温妮: 妮 is rare in place names), and not a
    function character alone (的, which 的黎波里 makes a letter)?"""
    if len(tok) == 1 and zipf(tok, "zh") >= HAN_FUNCTION_ZIPF:
        return False
    return 2 * sum(ch in alphabet for ch in tok) >= len(tok)


def _proper_nouns(texts: Sequence[str]) -> set[str]:
    """Words an article capitalises wherever they stand mid-sentence (and
    so never writes in lower case): its proper nouns."""
    capital: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for w, s, _e in words(text):
            if script_of(w) not in ("latin", "cyrillic"):
                continue
            if w[:1].islower():
                lower.add(w.lower())
            elif not opens_sentence(text, s):
                capital.add(w)
    return {w for w in capital if w.lower() not in lower}


def _name_word(word: str) -> bool:
    """Capitalised, and no acronym (LSU, MSNBC, AMs) or handle that ends in
    one (LiverpoolFC): what a name's words look like (McDonald, DeSantis
    are)."""
    return bool(_CAP.match(word)) and not word[1:2].isupper() and not _ACRONYM_END.search(word)


_LATIN_AFTER = re.compile(r"\s?[A-Z][a-z]")
# a Latin name of two to four words in brackets right after a Han character
_LATIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[（(]\s*([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})\s*[)）]")
_AFTER_COMMA = re.compile(r"\s*[,،] ?((?![a-zа-яё])[\w'’-]+)(?: (?![a-zа-яё])[\w'’-]+)?")
# a capital inside a word after a small letter (PawPaw, YouTube) is a brand's, unless the word opens with a
# name's particle (McDonald, MacArthur, DeSantis, LaGuardia, O'Brien: nameparser's prefixes)
_INNER_CAPITAL = re.compile(r"^([A-Z][a-z]+)[A-Z]")


def _quoted(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` all that a pair of quotation marks holds?"""
    before, after = text[max(0, start - 2) : start].rstrip(" "), text[end : end + 2].lstrip(" ")
    return bool(before) and before[-1] in OPENING_QUOTES and bool(after) and after[0] in CLOSING_QUOTES


def _brand(word: str) -> bool:
    m = _INNER_CAPITAL.match(word)
    return m is not None and m.group(1).lower() not in _name_prefixes()


@lru_cache(maxsize=1)
def _name_prefixes() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    return frozenset(p.rstrip("-'’") for p in CONSTANTS.prefixes) | {"fitz"}


_LATIN_BEFORE = re.compile(r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}) ?$")


@lru_cache(maxsize=1)
def _alphabet_runs() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(map(re.escape, transliteration_alphabet()))) + "]{3,}")


SENTENCE_SPAN = 400  # characters looked at around a speech word for its sentence's ends


def _sentence(text: str, at: int) -> tuple[int, int]:
    """The sentence around ``at``, looking at most SENTENCE_SPAN characters either way."""
    lo = max(0, at - SENTENCE_SPAN)
    start = max((m.end() for m in _SENTENCE_END.finditer(text, lo, at)), default=lo)
    end = _SENTENCE_END.search(text, at, at + SENTENCE_SPAN)
    return start, end.end() - 1 if end else min(len(text), at + SENTENCE_SPAN)


def _foreign_pair(text: str, run: list[tuple[str, int, int]], lang: str) -> bool:
    """Is a Russian pair of capitalised words inside a sentence a foreign
    name whose surname is also a word written small (Джордан Спит: Spieth,
    and спит, "sleeps")? Russian capitalises no common word there, and the
    first word is no word of the language, nor a place; the second is no
    noun, which may be a place's kind (Бикон Бич, Beacon Beach)."""
    return lang == "ru" and len(run) == 2 and all(script_of(w) == "cyrillic" for w, _, _ in run) and \
        not opens_sentence(text, run[0][1]) and not language_word(run[0][0], lang) and \
        russian_kind(run[0][0]) not in ("place", "word") and not russian_noun(run[1][0])


def _genitive_before_noun(name: str, named: set[str]) -> bool:
    """Is a German two-word "name" a named person's genitive and a noun
    ("Ris Rede", Ri's speech; "Trumps Sprecher")?"""
    ws = name_words(name)
    return len(ws) == 2 and ws[0].endswith("s") and ws[0][:-1] in named and german_noun(ws[1]) and \
        not surname(ws[1])


def _merge(names: list[Name], more: list[Name]) -> list[Name]:
    """``names`` and those of ``more`` that overlap none of them, in order
    (sorted spans and bisection: a paragraph of ten megabytes stays linear)."""
    if not more:
        return names
    kept = sorted(names, key=lambda n: n.start)
    starts = [n.start for n in kept]
    out = list(kept)
    for n in more:
        k = bisect.bisect_right(starts, n.start)
        if k and kept[k - 1].end > n.start or k < len(kept) and kept[k].start < n.end:
            continue
        out.append(n)
    return sorted(out, key=lambda n: n.start)


def _last(name: str) -> str:
    """The surname of a full name, folded: its last word, or the part after the last middle dot."""
    if HAN_RE.match(name[:1]):
        return re.split(f"[{NAME_DOTS}]", name)[-1]
    return _fold(name.split()[-1]) if " " in name else name


_OF = {"en": ("of",), "de": ("von",)}  # between a noun for a town or an area and its name


def _words_before(text: str, start: int, span: int) -> list[tuple[str, int, int]]:
    """The words of the ``span`` characters before ``start``, at their places in ``text``."""
    lo = max(0, start - span)
    return [(w, s + lo, e + lo) for w, s, e in words(text[lo:start])]


def _name_key(name: str) -> tuple[str, ...]:
    """A name's words, folded across case forms."""
    return tuple(_fold(w) for w in re.split(r"[\s-]+", name) if w)


@lru_cache(maxsize=131072)
def _fold(word: str) -> str:
    """A surname's key across case forms (Трампа, Трампом -> трамп)."""
    from .text import fold_word

    return fold_word(word, "ru") if script_of(word) == "cyrillic" else word.lower()
