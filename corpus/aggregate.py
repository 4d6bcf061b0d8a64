"""Speakers and cities across articles, derived from parsed paragraphs.

Pure functions over :class:`Article` models plus the curated registries, shared
by the CLI (``briefing speakers``/``cities``) and the reader's panes.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any, NamedTuple, TypeVar

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
    article_count: int = -1  # set in a light summary, which leaves ``articles`` out
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # names as written, per article
    mentions: dict[str, int] = field(default_factory=dict)  # paragraphs that name them, per language
    speaking: tuple[str, ...] = ()  # the articles that give their words (the others only name them)

    @property
    def speaks(self) -> bool:
        """Whether any article gives their words (a turn, a quote, a guest line); else only mentioned."""
        return self.turns > 0 or bool(self.roles) or self.is_role

    @property
    def n_articles(self) -> int:
        return self.article_count if self.article_count >= 0 else len(self.articles)

    def light(self) -> SpeakerSummary:
        """Without the list of articles, which grows with the corpus: what
        a reader's panes need (the count stays)."""
        return replace(self, articles=(), forms={}, speaking=(), article_count=self.n_articles)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "names": {k: list(v) for k, v in self.names.items()},
            "roles": list(self.roles),
            "articles": list(self.articles),
            "turns": self.turns,
            "known": self.known,
            "role": self.is_role,
            "forms": {k: list(v) for k, v in self.forms.items()},
            "mentions": dict(self.mentions),
            "speaks": self.speaks,
            "speaking": list(self.speaking),
        }
        if self.article_count >= 0:
            out["article_count"] = self.article_count
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SpeakerSummary:
        return cls(
            id=d["id"],
            name=d["name"],
            names={k: tuple(v) for k, v in d["names"].items()},
            roles=tuple(d["roles"]),
            articles=tuple(map(sys.intern, d["articles"])),  # ids shared with the article list
            turns=d["turns"],
            known=d["known"],
            is_role=d.get("role", False),
            article_count=d.get("article_count", -1),
            forms={k: tuple(v) for k, v in d.get("forms", {}).items()},
            mentions=dict(d.get("mentions", {})),
            speaking=tuple(d.get("speaking", ())),
        )


@dataclass(frozen=True)
class CitySummary:
    id: str
    name: str
    kind: str
    names: dict[str, tuple[str, ...]]
    articles: dict[str, int] = field(default_factory=dict)  # mentions per article
    counts: tuple[int, int] | None = None  # (articles, mentions), set in a light summary, which leaves them out
    geonames: int | None = None
    country: str = ""  # ISO 3166 alpha-2
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # spellings per article

    @property
    def mentions(self) -> int:
        return self.counts[1] if self.counts is not None else sum(self.articles.values())

    @property
    def n_articles(self) -> int:
        return self.counts[0] if self.counts is not None else len(self.articles)

    def light(self) -> CitySummary:
        """Without the mentions per article (see :meth:`SpeakerSummary.light`)."""
        return replace(self, articles={}, forms={}, counts=(self.n_articles, self.mentions))

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "geonames": self.geonames,
            "lat": self.lat,
            "lon": self.lon,
            "population": self.population,
            "names": {k: list(v) for k, v in self.names.items()},
            "articles": dict(self.articles),
            "forms": {k: list(v) for k, v in self.forms.items()},
            "mentions": self.mentions,
        }
        if self.counts is not None:
            out["article_count"] = self.counts[0]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CitySummary:
        counts = (d["article_count"], d["mentions"]) if "article_count" in d else None
        return cls(id=d["id"], name=d["name"], kind=d["kind"], names={k: tuple(v) for k, v in d["names"].items()},
                   articles=dict(d["articles"]), counts=counts, geonames=d.get("geonames"),
                   country=d.get("country") or "", lat=d.get("lat"), lon=d.get("lon"), population=d.get("population"),
                   forms={k: tuple(v) for k, v in d.get("forms", {}).items()})


Partial = dict[str, dict[str, Any]]  # one article's share of a summary, as plain JSON data
Summary = TypeVar("Summary", SpeakerSummary, CitySummary)


def speaker_partial(article: Article) -> Partial:
    """One article's share of :func:`speakers`: per speaker id, the
    paragraphs that give their words (``t``), names as written (``f``) and
    guest-list roles (``r``), in order of appearance."""
    out: Partial = {}

    def seen(sid: str, written: str | None) -> dict[str, Any]:
        entry = out.setdefault(sid, {"t": 0, "f": [], "r": []})
        if written and written not in entry["f"]:
            entry["f"].append(written)
        return entry

    for p in article.paragraphs:
        if p.speaker and p.kind is Kind.TURN:
            seen(p.speaker, p.label)["t"] += 1
        for sid in dict.fromkeys(q[0] for q in p.quotes):
            if sid != p.speaker:
                seen(sid, None)["t"] += 1
        for sid, written in p.quotes:
            seen(sid, written)
        for sid, written, found in p.guests:
            entry = seen(sid, written)
            entry["r"].extend(r for r in found if r not in entry["r"])
        if p.kind is not Kind.BOILERPLATE:
            for sid, written in (*p.quotes, *p.named):
                entry = seen(sid, written)
                entry["m"] = entry.get("m", 0) + 1
    return out


def city_partial(article: Article) -> Partial:
    """One article's share of :func:`cities`: per place id, mentions outside
    boilerplate (``c``) and the spellings used (``f``)."""
    out: Partial = {}
    for p in article.paragraphs:
        if p.kind is Kind.BOILERPLATE:
            continue
        for cid, s, e in p.mentions:
            entry = out.setdefault(cid, {"c": 0, "f": []})
            entry["c"] += 1
            if p.text[s:e] not in entry["f"]:
                entry["f"].append(p.text[s:e])
    return out


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
    return speakers_from_partials(((a.id, a.lang, speaker_partial(a)) for a in articles), people, names)


def speakers_from_partials(
    partials: Iterable[tuple[str, str, Partial]],
    people: Iterable[dict[str, Any]],
    names: dict[str, str] | None = None,
) -> list[SpeakerSummary]:
    """:func:`speakers` from per-article partials ``(article id, lang,
    partial)`` in article order (an index keeps them, so an update does not
    re-read every article)."""
    out = _speaker_summaries(partials, {p["id"]: p for p in people}, names or {}, {})
    return sorted(out, key=lambda s: speaker_rank(s).key())


def speakers_by_entity(
    partials: Iterable[tuple[str, str, Partial]],
    people: Iterable[dict[str, Any]],
    names: dict[str, str] | None = None,
) -> Iterator[SpeakerSummary]:
    """:func:`speakers_from_partials` of partials that come one entity at a
    time, each entity's in article order (as an index gives its shares),
    yielded a summary at a time in that order: only one speaker's article
    lists are held at once, where all of them together grow with the corpus."""
    registry = {p["id"]: p for p in people}
    shown: dict[tuple[str, str], str] = {}
    for _entity, shares in groupby(partials, key=_entities):
        yield from _speaker_summaries(shares, registry, names or {}, shown)


def _entities(share: tuple[str, str, Partial]) -> tuple[str, ...]:
    return tuple(share[2])


def _speaker_summaries(partials: Iterable[tuple[str, str, Partial]], registry: Mapping[str, dict[str, Any]],
                       names: Mapping[str, str], shown: dict[tuple[str, str], str]) -> list[SpeakerSummary]:
    """The summaries of the speakers of ``partials``, in the order first met.
    ``shown``: (speaker, form as written) -> as shown, kept across calls (the same pairs recur)."""
    turns: dict[str, int] = defaultdict(int)
    arts: dict[str, dict[str, None]] = defaultdict(dict)
    forms: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    roles: dict[str, dict[str, None]] = defaultdict(dict)
    per_article: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    mentioned: dict[str, dict[str, int]] = defaultdict(dict)
    spoke: dict[str, list[str]] = defaultdict(list)
    for aid, lang, partial in partials:
        for sid, entry in partial.items():
            arts[sid][aid] = None
            per_article[sid][aid] = tuple(entry["f"])
            turns[sid] += entry["t"]
            if entry["t"] or entry["r"]:
                spoke[sid].append(aid)
            if entry.get("m"):
                mentioned[sid][lang] = mentioned[sid].get(lang, 0) + entry["m"]
            for written in entry["f"]:
                form = shown.get((sid, written))
                if form is None:
                    form = shown[(sid, written)] = _as_registered(written, registry.get(sid))
                forms[sid][lang][form] = None
            for r in entry["r"]:
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
                forms=dict(sorted(per_article[sid].items())),
                mentions=dict(sorted(mentioned[sid].items())),
                speaking=tuple(sorted(spoke[sid])),
            )
        )
    return out


Share = tuple[str, str, dict[str, Any]]  # (article id, its language, its share of one entity)


State = dict[str, Any]  # what an update needs of an entity's summary to change it by delta: see summary_state
NameFirsts = dict[tuple[str, str], list[Any]]  # (lang, form as written) -> [first article, place in it, articles]


def summary_state(summary: SpeakerSummary | CitySummary, langs: Mapping[str, str]) -> State:
    """What :func:`speaker_delta` and :func:`city_delta` need of a full
    summary (``langs``: the language of each of its articles), in a size that
    does not grow with its articles: counts, and each name as written with
    the first article (and place in it) that writes it and how many do. The
    article lists themselves stay in the shares they are merged from."""
    firsts: NameFirsts = {}
    for aid, written in summary.forms.items():  # in article order
        for pos, form in enumerate(written):
            entry = firsts.setdefault((langs[aid], form), [aid, pos, 0])
            entry[2] += 1
    if isinstance(summary, SpeakerSummary):
        return _speaker_state(summary.n_articles, firsts, summary.turns, dict(summary.mentions),
                              len(summary.speaking), summary.roles)
    return _city_state(summary.n_articles, firsts, summary.mentions)


def _speaker_state(n: int, firsts: NameFirsts, turns: int, mentions: dict[str, int], speaking: int,
                   roles: Iterable[str]) -> State:
    return {"n": n, "names": _listed(firsts), "turns": turns, "mentions": mentions, "speaking": speaking,
            "roles": list(roles)}


def _city_state(n: int, firsts: NameFirsts, mentions: int) -> State:
    return {"n": n, "names": _listed(firsts), "m": mentions}


def _names_delta(firsts: NameFirsts, gone: list[Share], came: list[Share]) -> bool:
    """Take the forms of ``gone`` away from ``firsts`` and add those of
    ``came``. False when a form's first article no longer writes it and
    others still do: which of those comes first is not kept. (Any other
    article id is larger than a first one, so a first article that still
    writes the form stays first, at its new place.)"""
    lost: set[tuple[str, str]] = set()
    for aid, lang, share in gone:
        for form in share["f"]:
            entry = firsts.get((lang, form))
            if entry is None:
                return False
            entry[2] -= 1
            if entry[2] <= 0:
                del firsts[(lang, form)]
            elif entry[0] == aid:
                lost.add((lang, form))
    for aid, lang, share in came:
        for pos, form in enumerate(share["f"]):
            key = (lang, form)
            entry = firsts.get(key)
            if entry is None:
                firsts[key] = [aid, pos, 1]
                continue
            entry[2] += 1
            if (key in lost and entry[0] == aid) or (aid, pos) < (entry[0], entry[1]):
                entry[0], entry[1] = aid, pos
                lost.discard(key)
    return not lost


def _names_from(firsts: NameFirsts, shown: Callable[[str], str], by_lang: bool) -> dict[str, tuple[str, ...]]:
    """An entity's names per language as a merge of all of its shares gives
    them (:func:`speakers_from_partials`, :func:`cities_from_partials`):
    each at its first article and place, the languages sorted (``by_lang``)
    or as they first come."""
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for lang, form, *_entry in _listed(firsts):
        out[lang][shown(form)] = None
    return {lang: tuple(f) for lang, f in (sorted(out.items()) if by_lang else out.items())}


def _listed(firsts: NameFirsts) -> list[list[Any]]:
    """A state's names: ``[lang, form, first article, place, articles]``, in order of first appearance."""
    return [[lang, form, *entry] for (lang, form), entry in sorted(firsts.items(), key=lambda kv: kv[1][:2])]


def _firsts(state: State) -> NameFirsts:
    return {(lang, form): [aid, pos, n] for lang, form, aid, pos, n in state["names"]}


def speaker_delta(sid: str, state: State, gone: Iterable[Share], came: Iterable[Share],
                  person: dict[str, Any] | None, names: Mapping[str, str]) -> tuple[SpeakerSummary, State] | None:
    """A speaker's light summary and state (:func:`summary_state`) with the
    shares of ``gone`` taken away and those of ``came`` added: what
    :func:`speakers_from_partials` gives for their shares now, without
    reading the others. None when the state cannot tell: a guest list's
    role went (another article may give it too), or one came that it lacks
    (its place among the roles follows article order), or a name's first
    article went (see :func:`_names_delta`). The summary counts no articles
    when none are left."""
    gone, came = list(gone), list(came)
    roles = tuple(state["roles"])
    if any(share["r"] for _aid, _lang, share in gone) or any(
            r not in roles for _aid, _lang, share in came for r in share["r"]):
        return None
    firsts = _firsts(state)
    if not _names_delta(firsts, gone, came):
        return None
    mentions = dict(state["mentions"])
    turns, speaking, n = state["turns"], state["speaking"], state["n"]
    for sign, shares in ((-1, gone), (1, came)):
        for _aid, lang, share in shares:
            n += sign
            turns += sign * share["t"]
            speaking += sign * bool(share["t"] or share["r"])
            if share.get("m"):
                mentions[lang] = mentions.get(lang, 0) + sign * share["m"]
    mentions = {lang: m for lang, m in sorted(mentions.items()) if m}
    memo: dict[str, str] = {}

    def shown(written: str) -> str:
        if written not in memo:
            memo[written] = _as_registered(written, person)
        return memo[written]

    label_forms = _names_from(firsts, shown, by_lang=True)
    first = next((f for fs in label_forms.values() for f in fs), sid)
    summary = SpeakerSummary(
        id=sid, name=person["name"] if person else names.get(sid, first), names=label_forms, roles=roles,
        articles=(), turns=turns, known=person is not None, is_role=bool(person and person.get("is_role")),
        article_count=n, mentions=mentions,
    )
    return summary, _speaker_state(n, firsts, turns, mentions, speaking, roles)


def city_delta(cid: str, state: State, gone: Iterable[Share],
               came: Iterable[Share]) -> tuple[CitySummary, State] | None:
    """A place's light summary and state with the shares of ``gone`` taken
    away and those of ``came`` added, as :func:`speaker_delta`; before
    :func:`with_facts`. None when a name's first article went."""
    gone, came = list(gone), list(came)
    firsts = _firsts(state)
    if not _names_delta(firsts, gone, came):
        return None
    n = state["n"] - len(gone) + len(came)
    mentions = state["m"] - sum(share["c"] for _a, _l, share in gone) + sum(share["c"] for _a, _l, share in came)
    summary = CitySummary(id=cid, name=cid, kind="city", names=_names_from(firsts, str, by_lang=False),
                          counts=(n, mentions))
    return summary, _city_state(n, firsts, mentions)


class Rank(NamedTuple):
    """Where an entity stands in its pane: ``group`` first, then most
    ``first``, then most ``second``, then by ``name``, then by ``entity``
    (an index orders its stored summaries by the same columns)."""

    group: int
    first: int
    second: int
    name: str
    entity: str

    def key(self) -> tuple[int, int, int, str, str]:
        return self.group, -self.first, -self.second, self.name, self.entity


def speaker_rank(s: SpeakerSummary) -> Rank:
    """Who speaks first (most speaking paragraphs first), then who is only
    mentioned (most mentions first), then roles."""
    return Rank(2 * s.is_role + (not s.speaks), s.turns, sum(s.mentions.values()), s.name, s.id)


def place_rank(c: CitySummary) -> Rank:
    """Cities first, then regions, then countries; most mentions first."""
    return Rank(KIND_ORDER.get(c.kind, 3), c.mentions, 0, c.name, c.id)


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
    return cities_from_partials(((a.id, a.lang, city_partial(a)) for a in articles), gazetteer)


def cities_from_partials(
    partials: Iterable[tuple[str, str, Partial]], gazetteer: Iterable[dict[str, Any]]
) -> list[CitySummary]:
    """:func:`cities` from per-article partials, as :func:`speakers_from_partials`."""
    return with_facts(_city_summaries(partials), {c["id"]: c for c in gazetteer})


def cities_by_entity(partials: Iterable[tuple[str, str, Partial]],
                     gazetteer: Iterable[dict[str, Any]]) -> Iterator[CitySummary]:
    """:func:`cities_from_partials` a place at a time, as :func:`speakers_by_entity`."""
    known = {c["id"]: c for c in gazetteer}
    for _entity, shares in groupby(partials, key=_entities):
        yield from with_facts(_city_summaries(shares), known)


def _city_summaries(partials: Iterable[tuple[str, str, Partial]]) -> list[CitySummary]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    forms: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    per_article: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for aid, lang, partial in partials:
        for cid, entry in partial.items():
            counts[cid][aid] = entry["c"]
            per_article[cid][aid] = tuple(entry["f"])
            for f in entry["f"]:
                forms[cid][lang][f] = None
    return [
        CitySummary(
            id=cid,
            name=cid,
            kind="city",
            names={lang: tuple(f) for lang, f in forms[cid].items()},
            articles=dict(sorted(per.items())),
            forms=dict(sorted(per_article[cid].items())),
        )
        for cid, per in counts.items()
    ]


def with_facts(places: Iterable[CitySummary], gazetteer: Mapping[str, dict[str, Any]]) -> list[CitySummary]:
    """The summaries with each place's name, kind and GeoNames facts from
    its gazetteer entry (by id), in the Places pane's order."""
    out = []
    for c in places:
        g = gazetteer.get(c.id)
        if g is not None:
            c = replace(c, name=g.get("name") or _label(c), kind=g.get("kind", "city"), geonames=g.get("geonames"),
                        country=g.get("country", ""), lat=g.get("lat"), lon=g.get("lon"),
                        population=g.get("population"))
        out.append(c)
    return sorted(out, key=lambda c: place_rank(c).key())


def with_articles(light: Iterable[Summary], merged: Iterable[Summary]) -> list[Summary]:
    """The ``light`` summaries, in their order, each with the lists of
    articles (and forms per article) that ``merged``, a merge of all of
    their shares, gives: the full summaries."""
    full = {m.id: m for m in merged}
    out: list[Any] = []
    for s in light:
        m = full.get(s.id)
        if isinstance(s, SpeakerSummary) and isinstance(m, SpeakerSummary):
            out.append(replace(s, articles=m.articles, forms=m.forms, speaking=m.speaking, article_count=-1))
        elif isinstance(s, CitySummary) and isinstance(m, CitySummary):
            out.append(replace(s, articles=m.articles, forms=m.forms, counts=None))
    return out


def _label(c: CitySummary) -> str:
    """A place the gazetteer does not know, named as the corpus writes it:
    its most used form in English, else German, else any language."""
    for lang in ("en", "de", *sorted(c.names)):
        if c.names.get(lang):
            return c.names[lang][0]
    return c.id


KIND_ORDER = {"city": 0, "region": 1, "country": 2}  # the Places pane: cities first, then regions, then countries
