"""Speakers and cities across articles, derived from parsed paragraphs.

Pure functions over :class:`Article` models plus the curated registries, shared
by the CLI (``briefing speakers``/``cities``) and the reader's panes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .models import Article, Kind
from .paragraphs import fold_label


@dataclass(frozen=True)
class SpeakerSummary:
    id: str
    name: str
    names: dict[str, tuple[str, ...]]
    roles: tuple[str, ...]
    articles: tuple[str, ...]
    turns: int
    known: bool  # in the people registry
    is_role: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "names": {k: list(v) for k, v in self.names.items()},
            "roles": list(self.roles),
            "articles": list(self.articles),
            "turns": self.turns,
            "known": self.known,
            "role": self.is_role,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SpeakerSummary:
        return cls(id=d["id"], name=d["name"], names={k: tuple(v) for k, v in d["names"].items()},
                   roles=tuple(d["roles"]), articles=tuple(d["articles"]), turns=d["turns"], known=d["known"],
                   is_role=d.get("role", False))


@dataclass(frozen=True)
class CitySummary:
    id: str
    name: str
    kind: str
    names: dict[str, tuple[str, ...]]
    articles: dict[str, int] = field(default_factory=dict)

    @property
    def mentions(self) -> int:
        return sum(self.articles.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "names": {k: list(v) for k, v in self.names.items()},
            "articles": dict(self.articles),
            "mentions": self.mentions,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CitySummary:
        return cls(id=d["id"], name=d["name"], kind=d["kind"], names={k: tuple(v) for k, v in d["names"].items()},
                   articles=dict(d["articles"]))


def speakers(
    articles: Iterable[Article],
    people: Iterable[dict[str, Any]],
    names: dict[str, str] | None = None,
) -> list[SpeakerSummary]:
    """Everyone whose words an article gives — interview turns (with their
    continuation paragraphs), quote attributions — and everyone a guest list
    introduces; roles, most speaking paragraphs first.

    ``people`` is the registry as plain data; ``names`` the display names of
    unregistered speakers that identity linking chose."""
    registry = {p["id"]: p for p in people}
    names = names or {}
    turns: dict[str, int] = defaultdict(int)
    arts: dict[str, dict[str, None]] = defaultdict(dict)
    forms: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    roles: dict[str, dict[str, None]] = defaultdict(dict)

    def seen(sid: str, article: Article, written: str | None) -> None:
        arts[sid][article.id] = None
        if written:
            forms[sid][article.lang][_as_registered(written, registry.get(sid))] = None

    for a in articles:
        for p in a.paragraphs:
            if p.speaker and p.kind is Kind.TURN:
                turns[p.speaker] += 1
                seen(p.speaker, a, p.label)
            for sid in dict.fromkeys(q[0] for q in p.quotes):
                if sid != p.speaker:
                    turns[sid] += 1
            for sid, written in p.quotes:
                seen(sid, a, written)
            for sid, written, found in p.guests:
                seen(sid, a, written)
                for r in found:
                    roles[sid][r] = None
    out = []
    for sid in arts:
        reg = registry.get(sid)
        label_forms = {lang: tuple(f) for lang, f in sorted(forms[sid].items())}
        first = next((f for fs in label_forms.values() for f in fs), sid)
        out.append(
            SpeakerSummary(
                id=sid,
                name=reg["name"] if reg else names.get(sid, first),
                names=label_forms,
                roles=tuple(dict.fromkeys((*(reg.get("roles", ()) if reg else ()), *roles[sid]))),
                articles=tuple(sorted(arts[sid])),
                turns=turns[sid],
                known=reg is not None,
                is_role=bool(reg and reg.get("is_role")),
            )
        )
    return sorted(out, key=lambda s: (s.is_role, -s.turns, s.name))


def _as_registered(written: str, person: dict[str, Any] | None) -> str:
    """An inflected form shown as the registry writes it (Лэй Юэлуна → Лэй Юэлун)."""
    if person is None:
        return written
    key = fold_label(written)
    for forms in person.get("names", {}).values():
        for f in forms:
            if fold_label(f) == key:
                return str(f)
    return written


def cities(articles: Iterable[Article], gazetteer: Iterable[dict[str, Any]]) -> list[CitySummary]:
    """Every gazetteer place mentioned outside boilerplate, most mentions first."""
    known = {c["id"]: c for c in gazetteer}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    forms: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    for a in articles:
        for p in a.paragraphs:
            if p.kind is Kind.BOILERPLATE:
                continue
            for cid, s, e in p.mentions:
                counts[cid][a.id] += 1
                forms[cid][a.lang][p.text[s:e]] = None
    out = [
        CitySummary(
            id=cid,
            name=known[cid]["name"] if cid in known else cid,
            kind=known[cid].get("kind", "city") if cid in known else "city",
            names={lang: tuple(f) for lang, f in forms[cid].items()},
            articles=dict(sorted(per.items())),
        )
        for cid, per in counts.items()
    ]
    return sorted(out, key=lambda c: (c.kind != "city", -c.mentions, c.name))
