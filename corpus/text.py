"""Script-aware text folding shared by entity matching and the search index.

One place decides what "the same word" means in each script, so that a city
found by the gazetteer and a term found by the index agree:

- Han: no folding; words are found by substring (with ``not_in`` exceptions).
- Arabic: alef/ya/ta-marbuta normalisation, tashkeel/tatweel removal, proclitic
  stripping (و ف ب ل ك ال ...), then the Snowball Arabic stemmer.
- Cyrillic, Latin: lower-casing and the Snowball stemmer of the language.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

# Word characters plus Arabic combining marks and tatweel, so that tanwin
# (معًا) and tashkeel do not split a word.
_ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
WORD_RE = re.compile(rf"[\w{_ARABIC_MARKS}]+", re.UNICODE)
_HAN_CHARS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_RE = re.compile(f"[{_HAN_CHARS}]")
# The recognisers' words: a run of Han characters and a run of other word characters beside it
# are two words ("岁的Olivera": 岁的 and Olivera), as the index's tokenizer also cuts them.
_SCRIPT_WORD_RE = re.compile(rf"[{_HAN_CHARS}]+|(?:[^\W{_HAN_CHARS}]|[{_ARABIC_MARKS}])+")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
AR_TANWEEN = re.compile("[\u064b-\u064d]")  # Arabic's indefinite endings (ـًا): a common noun's, never a name's
_AR_ARTICLE = re.compile(r"(?<![\w])[وفبك]?(?:ال|لل)([\u0621-\u064a]{2,})")
AR_PROCLITICS = "وبلفك"  # and, with, for, then, as: written onto the next word


def arabic_definite_nouns(texts: Iterable[str]) -> frozenset[str]:
    """The words Arabic texts write with the definite article (القرش,
    للقرش, والقرش: قرش): common nouns there, never a foreign name."""
    return frozenset(m.group(1) for t in texts for m in _AR_ARTICLE.finditer(t))


def definite_elsewhere(span: str, nouns: frozenset[str]) -> bool:
    """Is a word of ``span`` (bare, after a proclitic, or itself with the
    article: للقرش) one of ``nouns``?"""
    return any(w in nouns or w[:1] in AR_PROCLITICS and w[1:] in nouns or
               (m := _AR_ARTICLE.fullmatch(w)) is not None and m.group(1) in nouns for w in span.split())

_TASHKEEL = re.compile(f"[{_ARABIC_MARKS}]")
_AR_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
# Proclitics, longest first. Stripped only while a stem of 3+ letters remains.
_AR_PREFIXES = ("وبال", "وكال", "فبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")

STEMMED_LANGS = {
    "ar": "arabic",
    "ru": "russian",
    "de": "german",
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "tr": "turkish",
    "fa": "persian",
    "uk": "russian",
}


@lru_cache(maxsize=None)
def stemmer(lang: str) -> Stemmer.Stemmer | None:
    algo = STEMMED_LANGS.get(lang)
    return Stemmer.Stemmer(algo) if algo else None


_SCRIPT = re.compile(
    "(?P<han>" + HAN_RE.pattern + ")|(?P<arabic>" + _ARABIC_LETTER.pattern + ")|(?P<cyrillic>" + _CYRILLIC.pattern + ")"
)


def first_script(text: str) -> str:
    """``han``, ``arabic``, ``cyrillic`` or ``latin`` (anything else): the
    script of the first character that has one of the first three."""
    m = _SCRIPT.search(text)
    return m.lastgroup if m and m.lastgroup else "latin"


@lru_cache(maxsize=65536)
def script_of(word: str) -> str:
    """:func:`first_script` of a word or name, remembered. (Not for
    paragraphs: the cache would keep 65,536 of them alive.)"""
    return first_script(word)


def strip_arabic_marks(word: str) -> str:
    """The word without its short vowels, shadda and tatweel (صرّح: صرح)."""
    return _TASHKEEL.sub("", word)


def normalize_arabic(word: str) -> str:
    return strip_arabic_marks(word).translate(_AR_MAP)


def strip_arabic_clitics(word: str) -> str:
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


@lru_cache(maxsize=131072)
def fold_word(word: str, lang: str | None = None) -> str:
    """The searchable form of one word; ``lang`` picks the stemmer for alphabetic scripts."""
    word = unicodedata.normalize("NFKC", word).lower()
    script = script_of(word)
    if script == "arabic":
        word = strip_arabic_clitics(normalize_arabic(word))
        stem = stemmer("ar")
        return stem.stemWord(word) if stem and len(word) > 3 else word
    if script == "cyrillic":
        word = word.replace("ё", "е")
        stem = stemmer(lang if lang in ("ru", "uk") else "ru")
        return stem.stemWord(word) if stem else word
    if script == "latin":
        stem = stemmer(lang) if lang else None
        return stem.stemWord(word) if stem else word
    return word


def words(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` as ``(word, start, end)`` character spans."""
    return list(_words(text))


@lru_cache(maxsize=512)
def _words(text: str) -> tuple[tuple[str, int, int], ...]:
    # The recognisers (places, people, quotes, version profiles) each split
    # the same paragraph: split once per paragraph while an article is read.
    return tuple((m.group(), m.start(), m.end()) for m in _SCRIPT_WORD_RE.finditer(text))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """``text`` made safe to draw: control, escape, bidi-override and zero-width
    characters become visible placeholders (U+FFFD for C0/C1, nothing otherwise).
    Display only; stored text keeps every byte."""

    def repl(m: re.Match[str]) -> str:
        ch = m.group()
        return "\ufffd" if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F else ""

    return _CONTROL.sub(repl, text.replace("\t", " "))


def undecodable(path: str) -> str | None:
    """A path whose bytes are not UTF-8 (Python hands them over as lone
    surrogates, which no UTF-8 file, database or terminal can take): the
    path shown with U+FFFD in their place. None for a good one."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "replace")
    return None


def window(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]], width: int,
           ellipsis: str = "…") -> tuple[str, tuple[tuple[int, int], ...]]:
    """At most ``width`` characters of ``text``, centred on the first span,
    with ``ellipsis`` where text is cut, and the spans that fall inside,
    shifted (a span the cut crosses is clipped to what is shown)."""
    spans = tuple(spans)
    if len(text) <= width:
        return text, spans
    room = max(1, width - 2 * len(ellipsis))
    if spans:
        s0, e0 = spans[0]
        start = max(0, s0 - max(0, room - (e0 - s0)) // 2)
    else:
        start = 0
    start = min(start, len(text) - room)
    if start <= len(ellipsis):  # nothing worth an ellipsis before: show from the start
        start = 0
    head = ellipsis if start > 0 else ""
    end = start + width - len(head)
    tail = ""
    if end < len(text):
        end -= len(ellipsis)
        tail = ellipsis
    shift = len(head) - start
    shown = tuple((max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start)
    return head + text[start:end] + tail, shown


OPENING_QUOTES = "\"“„«‘‚‹「『"
CLOSING_QUOTES = "\"”“»’‘›」』"
QUOTED_SPAN = 32  # characters between a quoted title's marks and a name inside it, at most


def in_short_quote(text: str, start: int, end: int, most: int = 3) -> bool:
    """Does ``text[start:end]`` stand inside a quoted phrase of at most
    ``most`` words, with no sentence's end in it: a title's or a nickname's
    ("La Bomba", a hat; „Dragons' Den“), not a quoted sentence's?"""
    left = text[max(0, start - QUOTED_SPAN) : start]
    right = text[end : end + QUOTED_SPAN]
    i = max(left.rfind(q) for q in OPENING_QUOTES)
    j = min((k for k in (right.find(q) for q in CLOSING_QUOTES) if k >= 0), default=-1)
    if i < 0 or j < 0:
        return False
    o, c = max(0, start - QUOTED_SPAN) + i, end + j
    if text[o] == '"' and o > 0 and text[o - 1].isalnum() or \
            text[c] == '"' and c + 1 < len(text) and text[c + 1].isalnum():
        return False  # (a straight mark inside a word opens or closes nothing)
    inner = text[o + 1 : c]
    if any(ch in inner for ch in OPENING_QUOTES + CLOSING_QUOTES + ".!?:;") or HAN_RE.search(inner):
        return False  # (Chinese quotes its slogans and programmes, places and all: “广深科创1+1”; titles go in 《》)
    return len(words(inner)) <= most
