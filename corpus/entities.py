"""Find city mentions and resolve speaker labels, with a boundary rule per script.

- Han names match as substrings, except inside a curated ``not_in`` name
  (中山 inside 中山大学 is a university).
- Alphabetic names match whole folded words (Snowball stems, Arabic clitics
  stripped), so Чжуншаню, وشنتشن and Shenzhen's count, and "Wuhanese" is
  not scanned as a raw substring.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import geo
from .cachedir import switched_off
from .knowledge import Knowledge
from .models import City, Person
from .paragraphs import fold_label
from .people import PersonFinder
from .places import PlaceFinder
from .text import HAN_RE, fold_word, in_short_quote, normalize_arabic, script_of, words

Mention = tuple[str, int, int]  # (city id, start, end)


@lru_cache(maxsize=8)
def _alphabetic_keys(text: str) -> tuple[list[tuple[str, int, int]], list[frozenset[str]]]:
    """Non-Han words of ``text`` and the folded keys each can match as; shared
    by the city and people matchers, which scan the same paragraph in turn."""
    toks = [w for w in words(text) if script_of(w[0]) != "han"]
    return toks, [_word_keys(w) for w, _, _ in toks]


@lru_cache(maxsize=65536)
def _word_keys(word: str) -> frozenset[str]:
    script = script_of(word)
    if script == "latin":
        return _latin_keys(word)
    if script == "arabic":
        # as written, or without its proclitics (وبوسطن): not stemmed, for the
        # Arabic stemmer makes بوسطن and الوسط ("the middle") one word
        return frozenset(geo.arabic_variants(word))
    return frozenset({fold_word(word)})


def _name_key(word: str) -> str:
    """A curated name's word as the matcher looks it up (see :func:`_word_keys`)."""
    script = script_of(word)
    if script == "latin":
        return word.lower()
    return normalize_arabic(word) if script == "arabic" else fold_word(word)


@lru_cache(maxsize=65536)
def _latin_keys(word: str) -> frozenset[str]:
    w = word.lower()
    keys = {w, fold_word(w)}
    if w.endswith("s") and len(w) > 3:
        keys.add(w[:-1])
    return frozenset(keys)


@dataclass
class NameMatcher:
    """Finds the curated names of places or people in text. Built once per corpus."""

    han: list[tuple[str, str]]  # (name, entry id), longest first
    not_in: dict[str, tuple[str, ...]]
    by_first: dict[str, list[tuple[tuple[str, ...], str]]]

    def __post_init__(self) -> None:
        # Compiled once; only the Han names that occur in a text are scanned for.
        self._han_re = {n: re.compile(re.escape(n)) for n, _ in self.han}
        self._not_in_re = {cid: [re.compile(re.escape(ex)) for ex in exs] for cid, exs in self.not_in.items()}

    def _blocked(self, cid: str, text: str) -> list[tuple[int, int]]:
        return [m.span() for rx in self._not_in_re.get(cid, ()) for m in rx.finditer(text)]

    def excluded(self, text: str) -> list[tuple[int, int]]:
        """The spans of ``text`` that a curated ``not_in`` name covers
        (香港中文大学(深圳): an organisation, no mention of Shenzhen)."""
        return [span for cid in self._not_in_re for span in self._blocked(cid, text)]

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Iterable[str], tuple[str, ...]]]) -> NameMatcher:
        """``entries`` are ``(id, names in every language, not_in)``."""
        han: list[tuple[str, str]] = []
        not_in: dict[str, tuple[str, ...]] = {}
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for eid, forms, excluded in entries:
            not_in[eid] = excluded
            for form in sorted(set(forms)):
                if script_of(form) == "han":
                    han.append((form, eid))
                else:
                    key = tuple(_name_key(w) for w, _, _ in words(form))
                    if key and (key, eid) not in by_first[key[0]]:
                        by_first[key[0]].append((key, eid))
        han.sort(key=lambda x: (-len(x[0]), x[0], x[1]))  # deterministic whatever the hash seed
        for cands in by_first.values():
            cands.sort(key=lambda x: (-len(x[0]), x))
        return cls(han, not_in, dict(by_first))

    @classmethod
    def for_cities(cls, cities: Iterable[City]) -> NameMatcher:
        return cls.build(
            (c.id, [*c.all_names(), *c.abbreviations, *(f for fs in c.districts.values() for f in fs)], c.not_in)
            for c in cities
        )

    @classmethod
    def for_people(cls, people: Iterable[Person]) -> NameMatcher:
        """Named people only: a role such as the moderator is not a mention of anyone."""
        return cls.build((p.id, p.all_names(), ()) for p in people if not p.is_role)

    def ids(self, text: str) -> tuple[str, ...]:
        """Ids mentioned in ``text``, in order of first mention."""
        return tuple(dict.fromkeys(m[0] for m in self.mentions(text)))

    def _han_names_in(self, text: str) -> set[str]:
        """Han names that occur in ``text`` (a substring test each: cheap next
        to scanning for every name)."""
        if not self._han_re or not HAN_RE.search(text):
            return set()
        return {n for n in self._han_re if n in text}

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        blocked_cache: dict[str, list[tuple[int, int]]] = {}
        present = self._han_names_in(text)
        for name, cid in self.han:
            if name not in present:
                continue
            for m in self._han_re[name].finditer(text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken[cid]):
                    continue
                if cid not in blocked_cache:
                    blocked_cache[cid] = self._blocked(cid, text)
                if any(bs <= s and e <= be for bs, be in blocked_cache[cid]):
                    continue
                taken[cid].append((s, e))
                found.append((cid, s, e))
        toks, keys = _alphabetic_keys(text)
        i = 0
        while i < len(toks):
            matched = 0
            for key in keys[i]:
                for name_key, cid in self.by_first.get(key, ()):
                    k = len(name_key)
                    if i + k <= len(toks) and all(name_key[j] in keys[i + j] for j in range(1, k)):
                        s, e = toks[i][1], toks[i + k - 1][2]
                        if cid not in blocked_cache:
                            blocked_cache[cid] = self._blocked(cid, text)
                        if any(bs <= s and e <= be for bs, be in blocked_cache[cid]):
                            continue
                        found.append((cid, s, e))
                        matched = max(matched, k)
            i += max(matched, 1)
        return sorted(set(found), key=lambda m: (m[1], m[0]))


@dataclass
class PeopleIndex:
    """Folded name -> person id, from the registry."""

    by_label: dict[tuple[str, ...], str]

    @classmethod
    def build(cls, people: tuple[Person, ...]) -> PeopleIndex:
        by_label: dict[tuple[str, ...], str] = {}
        for person in people:
            for name in person.all_names():
                by_label.setdefault(fold_label(name), person.id)
        return cls(by_label)

    def resolve(self, label: str) -> str | None:
        return self.by_label.get(fold_label(label))


UNKNOWN_PREFIX = "unknown:"  # the ids of speakers the people registry does not know begin so


def unknown_speaker_id(label: str) -> str:
    """A stable id for a speaker the registry does not know."""
    return UNKNOWN_PREFIX + " ".join(fold_label(label))


@dataclass
class Entities:
    cities: NameMatcher  # the curated gazetteer's places (corrections and additions: they win)
    people: PeopleIndex
    names: NameMatcher  # people mentioned in running text
    places: PlaceFinder | None = None  # the world gazetteer (corpus.geo), unless turned off
    persons: PersonFinder | None = None  # people's names the registry does not know (corpus.people)

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge) -> Entities:
        places = world_places(knowledge)
        cues = knowledge.cues
        speech = (*cues.attribution_after, *cues.attribution_before, *cues.speech)
        return cls(
            NameMatcher.for_cities(knowledge.cities),
            PeopleIndex.build(knowledge.people),
            NameMatcher.for_people(knowledge.people),
            places,
            PersonFinder(speech, cues.organisations, places, cues.titles, cues.features, cues.things,
                         cues.surnamed, cues.attribution_after, cues.settlements)
            if world_gazetteer_on() else None,
        )

    def place_mentions(self, texts: list[str], lang: str) -> list[list[Mention]]:
        """Each paragraph's places: the curated gazetteer's first, then the
        world gazetteer's where no curated name stands (``texts``: empty for
        paragraphs whose places do not count, such as boilerplate)."""
        curated = [self.cities.mentions(t) if t else [] for t in texts]
        if self.places is None:
            return curated
        world = self.places.resolve([t[:SCAN_LIMIT] for t in texts], lang)
        out = []
        for text, cur, more in zip(texts, curated, world, strict=True):
            # a world name right after a curated one is part of its name (قوانغتشو ديلي: the Guangzhou Daily),
            # and one inside a name the curated gazetteer excludes is none (香港中文大学(深圳))
            blocked = self.cities.excluded(text) if more else []
            # and a short quoted phrase is a title's or a nickname's ("La Bomba", a hat), not the place's
            extra = [m for m in more if not any(m[1] < e and s < m[2] or text[e : m[1]] == " " for _, s, e in cur)
                     and not any(s <= m[1] and m[2] <= e for s, e in blocked) and not in_short_quote(text, m[1], m[2])]
            out.append(sorted((*cur, *extra), key=lambda m: (m[1], m[0])))
        return out


SCAN_LIMIT = 100_000  # characters of a paragraph the recognisers read (a real paragraph has a few thousand)


def world_gazetteer_on() -> bool:
    """``BRIEFING_GAZETTEER=off`` leaves the world gazetteer out (only the curated YAML)."""
    return not switched_off("BRIEFING_GAZETTEER")


def world_gazetteer_version() -> str:
    """What the world gazetteer is, for telling whether an index was built with this one."""
    return geo.version() if world_gazetteer_on() else "off"


def world_places(knowledge: Knowledge) -> PlaceFinder | None:
    if not world_gazetteer_on():
        return None
    claimed = {c.geonames: c.id for c in knowledge.cities if c.geonames}
    cues = knowledge.cues
    return PlaceFinder(geo.name_table(), claimed, knowledge.pins, cues.organisations, cues.place_kinds)
