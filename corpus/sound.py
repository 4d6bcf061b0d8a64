"""How a name sounds, in any script: the consonant classes it is heard with.

Trump, Трампа, ترامب and 特朗普 are all ``TLNP``. :mod:`corpus.project` uses
these skeletons to carry names between aligned paragraphs of two versions,
:mod:`corpus.identity` to tie the people whom two articles in two scripts
both name, and :mod:`corpus.places` to hear a city in a Han transliteration.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from .people import NAME_DOTS, name_words
from .text import HAN_RE, script_of

MATCH = 80  # rapidfuzz ratio of two skeletons for one name
MIN_SKELETON = 3  # shorter skeletons (Wu, Kim) match too much by chance
LOOSE_SKELETON = 5  # skeletons this long may differ a little (MATCH); shorter ones must be equal
SIMILAR_LENGTH = 0.75  # two whole names whose surnames differ: the shorter skeleton this share of the longer

# Letter groups first, then single letters, to consonant classes: a name's
# sound as every script spells it (Latin and pinyin, anyascii's
# romanisation of Cyrillic and Arabic). Vowels and y are dropped, h counts
# only at a word's start (Holly, Холли, هولي, 霍莉), Arabic's و and ي inside
# a word are long vowels, and consonants that the scripts confuse share a
# class (b/p, d/t, l/r, v/w/f: Kavanaugh is 卡瓦诺 kawanuo).
_GROUPS = (("dzh", "S"), ("tch", "S"), ("sch", "S"), ("ng", "N"), ("ch", "S"), ("sh", "S"), ("zh", "S"),
           ("th", "T"), ("ph", "F"), ("gh", ""), ("kh", ""), ("ck", "K"), ("x", "KS"), ("ts", "S"))
_ONE = {"b": "P", "p": "P", "d": "T", "t": "T", "g": "K", "k": "K", "c": "K", "q": "K", "j": "S", "l": "L",
        "r": "L", "m": "N", "n": "N", "f": "F", "v": "F", "w": "F", "s": "S", "z": "S"}
_TOKEN = re.compile("|".join(g for g, _ in _GROUPS) + "|.")
_GROUP = dict(_GROUPS)
PARTS = re.compile(r"[\s\-‐–]+")  # a name's words, and the parts of a double-barrelled one (Mills-Hicks)


@lru_cache(maxsize=65536)
def skeleton(form: str) -> str:
    """The consonant classes a name sounds with, in any script."""
    return _classes(_sound_words(form))


@lru_cache(maxsize=65536)
def skeletons(form: str) -> tuple[str, ...]:
    """The skeleton, and for a Latin spelling also as other scripts hear
    English: th as s, g before e, i, y as j (Giles, جايلز), w after a vowel
    and before a consonant silent (Marlow, Марлоу; Paltrow, بالترو), and
    then w inside a word as a vowel too (Merriweather, ميريويزر, Мерриуэзера)."""
    words = _sound_words(form)
    plain = _classes(words)
    if script_of(form) != "latin":
        return (plain,)
    heard = _heard(words)
    # and w inside a word as a vowel, as Arabic (و) and Russian (у) write it: Merriweather, ميريويزر
    vowelled = [w[:1] + w[1:].replace("w", "") for w in heard]
    return tuple(dict.fromkeys((plain, _classes(heard), _classes(vowelled))))


@lru_cache(maxsize=65536)
def _han_heard(form: str) -> tuple[str, ...]:
    """A Latin name's skeletons as Chinese writes it too: without the r or
    the l that closes a syllable (Jordan 乔丹, Halkett 哈克特), or only
    without a final r (Poulter 波尔特)."""
    words = _sound_words(form)
    return tuple(dict.fromkeys(_classes([rx.sub("", w) for w in ws])
                               for ws in (words, _heard(words)) for rx in (_FINAL_R, _CODA_LIQUID)))


def _heard(words: list[str]) -> list[str]:
    """English as other scripts hear it: th as s, g before e, i, y as j, and
    w after a vowel and before a consonant silent."""
    return [_SILENT_W.sub("", _SOFT_G.sub("j", w.replace("th", "s"))) for w in words]


def heard_keys(form: str, other: str) -> tuple[str, ...]:
    """The skeletons of ``form`` to compare with ``other``'s: a Latin name
    compared with a Han one also as Chinese hears it."""
    return heard_in_han(form) if HAN_RE.search(other) else skeletons(form)


def heard_in_han(form: str) -> tuple[str, ...]:
    """The skeletons of ``form`` as a Han transliteration may write it: a
    Latin name's also without the liquids Chinese drops."""
    return skeletons(form) + _han_heard(form) if script_of(form) == "latin" else skeletons(form)


_PINYIN_SOUNDS = {"q": "ch", "x": "sh", "c": "ts"}
_PINYIN_HEARD = re.compile(r"^(?:q|x|c(?!h))")
# Chinese writes an English r or l that closes a syllable as a vowel or not at all (Jordan 乔丹,
# Halkett 哈克特, Poulter 波尔特: the l kept as 尔, the final r dropped)
_FINAL_R = re.compile(r"(?<=[aeiouy])r+(?=[^aeiouy]*$)")
_CODA_LIQUID = re.compile(r"(?<=[aeiouy])[lr]+(?=[^aeiouy]|$)")
_SOFT_G = re.compile(r"g(?=[eiy])")
_SILENT_W = re.compile(r"(?<=[aeiou])w(?=[^aeiouy]|$)")


def _sound_words(form: str) -> list[str]:
    """A name's words, romanised as its script is heard."""
    if HAN_RE.search(form):
        from pypinyin import lazy_pinyin

        # one word per part between the middle dots (克雷格·哈克特: the h of 哈 opens Halkett), each
        # syllable as pinyin's letters sound: q and x are the ch and sh of English, c its ts (乔 qiao is
        # the Jo of Jordan, 修 xiu the th of Mathew heard as s)
        return ["".join(_PINYIN_HEARD.sub(lambda m: _PINYIN_SOUNDS[m.group()], syl) for syl in lazy_pinyin(part))
                for part in re.split(f"[{NAME_DOTS}\\s]+", form) if part]
    parts = [w for w in PARTS.split(anyascii(form).lower()) if w]
    if script_of(form) == "arabic":
        # inside a word, و and ي are vowels (جونز Jones, ويلوبي Willoughby); نج at its end is -ng (سومبونج)
        return [re.sub(r"nj$", "ng", w[:1] + re.sub(r"[wy]", "a", w[1:])) for w in parts]
    if script_of(form) == "cyrillic":
        # Уи, Уэ at a word's start are a w (Уиллоуби Willoughby, Уэйд Wade)
        return [re.sub(r"^u(?=[aeio])", "w", w) for w in parts]
    return parts


def _classes(words: list[str]) -> str:
    out: list[str] = []
    for word in words:
        word = re.sub(r"[^a-z]", "", word)
        if word[:2] == "kh" or word[:1] == "h":
            word = word[2 if word[:2] == "kh" else 1 :]
            if not out or out[-1] != "H":
                out.append("H")
        for tok in _TOKEN.findall(word):
            for ch in _GROUP.get(tok, _ONE.get(tok, "")):
                if not out or out[-1] != ch:
                    out.append(ch)
    return "".join(out)


def _alike(ka: str, kb: str) -> bool:
    if min(len(ka), len(kb)) < MIN_SKELETON:
        return False
    # a short skeleton must match exactly: Johnson (SNSN) is not Jones (SNS), though 86 % alike
    return ka == kb if min(len(ka), len(kb)) < LOOSE_SKELETON else fuzz.ratio(ka, kb) >= MATCH


def near(a: str, b: str) -> bool:
    """Do two names' skeletons match at MATCH, however short? (Only with
    other evidence: a surname beside a full name, a place's country.)"""
    return likeness(a, b) >= MATCH


def likeness(a: str, b: str) -> float:
    """How alike two names sound: the best rapidfuzz ratio of their skeletons."""
    return max(fuzz.ratio(x, y) for x in heard_keys(a, b) for y in heard_keys(b, a))


def near_start(form: str, name: str) -> bool:
    """Is ``form`` :func:`near` ``name`` (Марлоу, Marlow), or, with a
    skeleton of MIN_SKELETON or more, its first words (肯萨斯 for Kansas City)?"""
    parts = PARTS.split(name.strip())
    return near(form, name) or len(skeleton(form)) >= MIN_SKELETON and \
        any(near(form, " ".join(parts[:k])) for k in range(len(parts) - 1, 0, -1))


def sounds_alike(a: str, b: str) -> bool:
    """Do two names (or a name and a surname) sound alike?"""
    return any(_alike(ka, kb) for ka in heard_keys(a, b) for kb in heard_keys(b, a))


def whole_names_alike(a: str, b: str) -> bool:
    """Two full names that sound alike, and either their surnames do too or
    the two are about as long: the skeleton of one name may hold all of a
    longer one's (Dan Baldwin TNPLTN in Ant McPartlin NTNKPLTLN), while
    鲍里斯·约翰逊 (PLSNKSN) is Boris Johnson (PLSNSN) though 约翰逊 is heard
    otherwise."""
    if not sounds_alike(a, b):
        return False
    if not skeleton(last_word(a)) or not skeleton(last_word(b)) or near(last_word(a), last_word(b)):
        return True
    ka, kb = sorted((len(skeleton(a)), len(skeleton(b))))
    return ka >= SIMILAR_LENGTH * kb


def last_word(name: str) -> str:
    """A name's last word (its surname, mostly)."""
    parts = name_words(name)
    return parts[-1] if parts else ""
