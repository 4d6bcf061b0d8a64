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
from dataclasses import dataclass

from .knowledge import Knowledge
from .models import City, Person
from .paragraphs import fold_label
from .text import fold_word, script_of, words

Mention = tuple[str, int, int]  # (city id, start, end)


def _latin_keys(word: str) -> set[str]:
    w = word.lower()
    keys = {w, fold_word(w)}
    if w.endswith("s") and len(w) > 3:
        keys.add(w[:-1])
    return keys


@dataclass
class CityMatcher:
    """Built once per corpus from the gazetteer."""

    han: list[tuple[str, str]]  # (name, city id), longest first
    not_in: dict[str, tuple[str, ...]]
    by_first: dict[str, list[tuple[tuple[str, ...], str]]]

    @classmethod
    def build(cls, cities: tuple[City, ...]) -> CityMatcher:
        han: list[tuple[str, str]] = []
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for city in cities:
            forms = {city.name, *(f for fs in city.names.values() for f in fs)}
            forms |= {f for fs in city.districts.values() for f in fs}
            for form in forms:
                if script_of(form) == "han":
                    han.append((form, city.id))
                else:
                    key = tuple(fold_word(w) if script_of(w) != "latin" else w.lower() for w, _, _ in words(form))
                    if key and (key, city.id) not in by_first[key[0]]:
                        by_first[key[0]].append((key, city.id))
        han.sort(key=lambda x: -len(x[0]))
        for cands in by_first.values():
            cands.sort(key=lambda x: -len(x[0]))
        return cls(han, {c.id: c.not_in for c in cities}, dict(by_first))

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        blocked_cache: dict[str, list[tuple[int, int]]] = {}
        for name, cid in self.han:
            for m in re.finditer(re.escape(name), text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken[cid]):
                    continue
                if cid not in blocked_cache:
                    blocked_cache[cid] = [
                        bm.span() for ex in self.not_in.get(cid, ()) for bm in re.finditer(re.escape(ex), text)
                    ]
                if any(bs <= s and e <= be for bs, be in blocked_cache[cid]):
                    continue
                taken[cid].append((s, e))
                found.append((cid, s, e))
        toks = [w for w in words(text) if script_of(w[0]) != "han"]
        keys = [_latin_keys(w) if script_of(w) == "latin" else {fold_word(w)} for w, _, _ in toks]
        i = 0
        while i < len(toks):
            matched = 0
            for key in keys[i]:
                for name_key, cid in self.by_first.get(key, ()):
                    k = len(name_key)
                    if i + k <= len(toks) and all(name_key[j] in keys[i + j] for j in range(1, k)):
                        found.append((cid, toks[i][1], toks[i + k - 1][2]))
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


def unknown_speaker_id(label: str) -> str:
    """A stable id for a speaker the registry does not know."""
    return "unknown:" + " ".join(fold_label(label))


@dataclass
class Entities:
    cities: CityMatcher
    people: PeopleIndex

    @classmethod
    def from_knowledge(cls, knowledge: Knowledge) -> Entities:
        return cls(CityMatcher.build(knowledge.cities), PeopleIndex.build(knowledge.people))
