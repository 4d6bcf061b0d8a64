"""Plain, frozen data that every layer shares.

Nothing here knows about files, Whoosh or Textual. Each model converts to and
from JSON-friendly dicts so the index can keep a side store of parsed articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(str, Enum):
    """What a paragraph is, as far as the reader and the index care."""

    TITLE = "title"
    META = "meta"
    HEADING = "heading"
    BODY = "body"
    TURN = "turn"
    BOILERPLATE = "boilerplate"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One numbered paragraph. ``n`` starts at 1 and is used everywhere."""

    n: int
    kind: Kind
    text: str
    speaker: str | None = None  # registry id, or "unknown:<folded name>" (corpus.entities.UNKNOWN_PREFIX)
    label: str | None = None  # the speaker label as written in the text
    cities: tuple[str, ...] = ()  # city ids, in order of first mention
    mentions: tuple[tuple[str, int, int], ...] = ()  # (city id, start, end) spans in ``text``
    people: tuple[str, ...] = ()  # registry ids of people named in the text
    quotes: tuple[tuple[str, str], ...] = ()  # (speaker id, name as written) whose words are attributed here
    guests: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (speaker id, name as written, roles) of a guest line
    named: tuple[tuple[str, str], ...] = ()  # (person id, name as written) of people named here who do not speak
    carried: tuple[str, ...] = ()  # ids of ``cities`` found only through an aligned version (corpus.project)
    renamed: tuple[tuple[str, str], ...] = ()  # (id, id as found here) of places an aligned version renamed

    @property
    def own_cities(self) -> tuple[str, ...]:
        """The ids of the places this paragraph names, as its own article
        alone found them: what version detection compares, the same before
        and after the versions it finds add and rename places."""
        found = dict(self.renamed)
        return tuple(dict.fromkeys(found.get(c, c) for c in self.cities if c not in self.carried))

    @property
    def voices(self) -> tuple[str, ...]:
        """Everyone whose words this paragraph gives: the turn's speaker (a
        turn or its continuation), then the people it quotes. What the
        ``speaker:`` filter, the Speakers pane and ``show`` go by."""
        own = (self.speaker,) if self.speaker and self.kind in (Kind.TURN, Kind.BODY) else ()
        return tuple(dict.fromkeys((*own, *(sid for sid, _name in self.quotes))))

    @property
    def voice(self) -> str | None:
        """The first of :attr:`voices`: the paragraph's speaker as shown."""
        voices = self.voices
        return voices[0] if voices else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "kind": self.kind.value,
            "text": self.text,
            "speaker": self.speaker,
            "label": self.label,
            "cities": list(self.cities),
            "mentions": [list(m) for m in self.mentions],
            "people": list(self.people),
            "quotes": [list(q) for q in self.quotes],
            "guests": [{"id": g[0], "name": g[1], "roles": list(g[2])} for g in self.guests],
            "named": [list(x) for x in self.named],
        } | ({"carried": list(self.carried)} if self.carried else {}) \
          | ({"renamed": [list(r) for r in self.renamed]} if self.renamed else {})

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Paragraph:
        return cls(
            n=d["n"],
            kind=Kind(d["kind"]),
            text=d["text"],
            speaker=d.get("speaker"),
            label=d.get("label"),
            cities=tuple(d.get("cities", ())),
            mentions=tuple((m[0], m[1], m[2]) for m in d.get("mentions", ())),
            people=tuple(d.get("people", ())),
            quotes=tuple((q[0], q[1]) for q in d.get("quotes", ())),
            guests=tuple((g["id"], g["name"], tuple(g["roles"])) for g in d.get("guests", ())),
            named=tuple((x[0], x[1]) for x in d.get("named", ())),
            carried=tuple(d.get("carried", ())),
            renamed=tuple((r[0], r[1]) for r in d.get("renamed", ())),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed corpus file."""

    id: str
    path: str  # relative to the corpus root, with forward slashes
    lang: str
    title: str
    date: str | None  # ISO 8601 date
    encoding: str
    sha256: str
    paragraphs: tuple[Paragraph, ...]
    source: str | None = None
    translations: tuple[str, ...] = ()

    def paragraph(self, n: int) -> Paragraph:
        return self.paragraphs[n - 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "lang": self.lang,
            "title": self.title,
            "date": self.date,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "source": self.source,
            "translations": list(self.translations),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d["id"],
            path=d["path"],
            lang=d["lang"],
            title=d["title"],
            date=d.get("date"),
            encoding=d["encoding"],
            sha256=d["sha256"],
            source=d.get("source"),
            translations=tuple(d.get("translations", ())),
            paragraphs=tuple(Paragraph.from_dict(p) for p in d["paragraphs"]),
        )


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article without its paragraphs: what lists and pickers show. A
    reader keeps these for every article (so, nothing it does not show: the
    content hash stays with :class:`Article`) and loads paragraphs on demand."""

    id: str
    path: str
    lang: str
    title: str
    date: str | None
    encoding: str
    paragraph_count: int
    source: str | None = None
    translations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that could not be read as an article, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Person:
    """A curated identity from the people registry."""

    id: str
    name: str  # romanised
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> forms
    roles: tuple[str, ...] = ()
    is_role: bool = False  # e.g. the moderator: a role, never a named person

    def all_names(self) -> list[str]:
        return [self.name, *(n for forms in self.names.values() for n in forms)]


@dataclass(frozen=True, slots=True)
class City:
    """A curated place from the gazetteer."""

    id: str
    name: str  # English
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    districts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_in: tuple[str, ...] = ()  # longer names that contain a name but are not the city
    kind: str = "city"  # city | region | country
    abbreviations: tuple[str, ...] = ()  # short forms shared with other places (广深), counted as mentions
    geonames: int | None = None  # the GeoNames place this entry is (corpus.geo); its names there count too

    def all_names(self) -> list[str]:
        return [self.name, *(n for forms in self.names.values() for n in forms)]


@dataclass(frozen=True)
class SpeakerOverrides:
    """Analyst corrections to speakers (``overrides.yaml``). References are
    speaker ids or names as written."""

    merge: tuple[tuple[str, ...], ...] = ()
    rename: dict[str, str] = field(default_factory=dict)
    not_person: tuple[str, ...] = ()
    split: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (reference, article ids, new name)
