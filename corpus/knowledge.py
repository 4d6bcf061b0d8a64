"""Curated knowledge: gazetteer, people registry and reading cues (YAML).

The bundled files live in ``corpus/knowledge/``. An analyst's corpus folder may
add its own ``gazetteer.yaml`` / ``people.yaml`` beside its texts; entries with
a known id extend that entry, new ids are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .models import City, Person, SpeakerOverrides
from .yamlio import ConfigError, check_keys, load_yaml, str_list, where

KNOWLEDGE_DIR = Path(str(resources.files("corpus") / "knowledge"))


@dataclass(frozen=True)
class Cues:
    meta: tuple[str, ...]
    source: tuple[str, ...]
    boilerplate: tuple[str, ...]
    boilerplate_exact: tuple[str, ...]
    months: dict[str, tuple[str, ...]]
    attribution_after: tuple[str, ...] = ()
    attribution_before: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    organisations: frozenset[str] = frozenset()  # case-folded last words of organisations' names
    features: frozenset[str] = frozenset()  # case-folded words for natural features and storms
    things: frozenset[str] = frozenset()  # case-folded nouns that a company's, shop's or building's name follows
    settlements: frozenset[str] = frozenset()  # case-folded nouns that a town's or an area's name follows
    place_kinds: frozenset[str] = frozenset()  # case-folded words that, after a place's name, name the place itself
    speech: tuple[str, ...] = ()  # more words that give a person's words in the sentence that names them
    titles: tuple[str, ...] = ()  # titles before a name that nameparser's English list lacks
    surnamed: tuple[str, ...] = ()  # words after which a person is named by a surname alone (surnamed, 姓)


@dataclass(frozen=True)
class VersionOverrides:
    """``overrides.yaml``'s ``versions:``: pairs to link and pairs never to link."""

    link: tuple[tuple[str, str], ...] = ()
    unlink: frozenset[tuple[str, str]] = frozenset()

    def forbids(self, a: str, b: str) -> bool:
        return (min(a, b), max(a, b)) in self.unlink


@dataclass(frozen=True)
class Knowledge:
    cities: tuple[City, ...]
    people: tuple[Person, ...]
    cues: Cues
    lengths: dict[str, float] = field(default_factory=dict)  # chars per Chinese char, by language
    overrides: SpeakerOverrides = field(default_factory=SpeakerOverrides)
    versions: VersionOverrides = field(default_factory=VersionOverrides)
    pins: dict[str, int] = field(default_factory=dict)  # overrides.yaml's places.pin: a name -> one GeoNames id

    def city(self, cid: str) -> City | None:
        return next((c for c in self.cities if c.id == cid), None)

    def person(self, pid: str) -> Person | None:
        return next((p for p in self.people if p.id == pid), None)


def _names(path: Path, node: Any, key: str) -> dict[str, tuple[str, ...]]:
    value = node.get(key) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where(path, node, key)}: {key!r} must map language codes to names")
    return {str(lang): str_list(path, value, str(lang), forms) for lang, forms in value.items()}


def _require_id(path: Path, node: Any, seen: set[str], what: str) -> str:
    if not node.get("id"):
        raise ConfigError(f"{where(path, node)}: {what} needs an 'id'")
    pid = str(node["id"])
    if pid in seen:
        raise ConfigError(f"{where(path, node, 'id')}: duplicate {what} id {pid!r}")
    seen.add(pid)
    return pid


def _entries(path: Path, data: Any, key: str) -> list[Any]:
    check_keys(path, data, {key}, f"{path.name} (top level)")
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise ConfigError(f"{where(path, data, key)}: {key!r} must be a list")
    return entries


def load_cities(path: Path) -> list[City]:
    data = load_yaml(path) or {}
    out: list[City] = []
    seen: set[str] = set()
    for node in _entries(path, data, "cities"):
        check_keys(path, node, {"id", "name", "names", "districts", "not_in", "kind", "abbreviations", "geonames"},
                   "a city")
        cid = _require_id(path, node, seen, "city")
        kind = str(node.get("kind", "city"))
        if kind not in ("city", "region", "country"):
            raise ConfigError(f"{where(path, node, 'kind')}: kind must be 'city', 'region' or 'country', not {kind!r}")
        gid = node.get("geonames")
        if gid is not None and (isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0):
            raise ConfigError(f"{where(path, node, 'geonames')}: geonames must be a GeoNames id (a positive whole "
                              f"number, as in https://www.geonames.org/2643743), not {gid!r}")
        out.append(
            City(
                id=cid,
                name=str(node.get("name") or cid),
                names=_names(path, node, "names"),
                districts=_names(path, node, "districts"),
                not_in=str_list(path, node, "not_in", node.get("not_in")),
                kind=kind,
                abbreviations=str_list(path, node, "abbreviations", node.get("abbreviations")),
                geonames=gid,
            )
        )
    return out


def load_people(path: Path) -> list[Person]:
    data = load_yaml(path) or {}
    out: list[Person] = []
    seen: set[str] = set()
    for node in _entries(path, data, "people"):
        check_keys(path, node, {"id", "name", "names", "roles", "role"}, "a person")
        pid = _require_id(path, node, seen, "person")
        out.append(
            Person(
                id=pid,
                name=str(node.get("name") or pid),
                names=_names(path, node, "names"),
                roles=str_list(path, node, "roles", node.get("roles")),
                is_role=bool(node.get("role", False)),
            )
        )
    return out


def load_cues(path: Path) -> Cues:
    data = load_yaml(path) or {}
    check_keys(
        path, data, {"meta", "source", "boilerplate", "boilerplate_exact", "months", "attribution", "guests",
                     "organisations", "features", "things", "settlements", "place_kinds", "speech", "titles",
                     "surnamed"}, "cues"
    )
    months = data.get("months") or {}
    attribution = data.get("attribution") or {}
    check_keys(path, attribution, {"after", "before"}, "attribution")
    return Cues(
        meta=str_list(path, data, "meta", data.get("meta")),
        source=str_list(path, data, "source", data.get("source")),
        boilerplate=str_list(path, data, "boilerplate", data.get("boilerplate")),
        boilerplate_exact=str_list(path, data, "boilerplate_exact", data.get("boilerplate_exact")),
        months={str(k): str_list(path, months, str(k), v) for k, v in months.items()},
        attribution_after=str_list(path, attribution, "after", attribution.get("after")),
        attribution_before=str_list(path, attribution, "before", attribution.get("before")),
        guests=str_list(path, data, "guests", data.get("guests")),
        organisations=frozenset(w.casefold() for w in str_list(path, data, "organisations", data.get("organisations"))),
        features=frozenset(w.casefold() for w in str_list(path, data, "features", data.get("features"))),
        things=frozenset(w.casefold() for w in str_list(path, data, "things", data.get("things"))),
        settlements=frozenset(w.casefold() for w in str_list(path, data, "settlements", data.get("settlements"))),
        place_kinds=frozenset(w.casefold() for w in str_list(path, data, "place_kinds", data.get("place_kinds"))),
        speech=str_list(path, data, "speech", data.get("speech")),
        titles=str_list(path, data, "titles", data.get("titles")),
        surnamed=str_list(path, data, "surnamed", data.get("surnamed")),
    )


def load_lengths(path: Path) -> dict[str, float]:
    data = load_yaml(path) or {}
    check_keys(path, data, {"chars_per_zh_char"}, f"{path.name} (top level)")
    table = data.get("chars_per_zh_char") or {}
    if not isinstance(table, dict):
        raise ConfigError(f"{where(path, data, 'chars_per_zh_char')}: must map language codes to numbers")
    out: dict[str, float] = {}
    for lang, ratio in table.items():
        if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or ratio <= 0:
            raise ConfigError(
                f"{where(path, table, lang)}: ratio for {lang!r} must be a positive number, not {ratio!r}"
            )
        out[str(lang)] = float(ratio)
    return out


OVERRIDES_NAME = "overrides.yaml"


def load_overrides(path: Path) -> tuple[SpeakerOverrides, list[City], VersionOverrides, dict[str, int]]:
    """An analyst's corrections, re-applied on every build::

        speakers:
          merge: [[Chen Ming, 陈明]]            # one person, several ids or names
          rename: {"unknown:chen ming": Chen Ming (CATL)}
          not_person: [Источник]                # a label that is not a person
          split:                                # one name, two people
            - {speaker: Wang Wei, articles: [b], name: Wang Wei (Fudan)}
        cities:
          shenzhen: {ar: [شنزن]}                 # more spellings of a place
        versions:
          link: [[report-zh, report-en]]        # versions of one text, whatever detection says
          unlink: [[ru-0412, de-0413]]          # never versions of each other
        places:
          pin: {Georgia: 4197000}               # this folder's Georgia is the US state (a GeoNames id)
    """
    data = load_yaml(path) or {}
    check_keys(path, data, {"speakers", "cities", "versions", "places"}, f"{path.name} (top level)")
    sp = data.get("speakers") or {}
    check_keys(path, sp, {"merge", "rename", "not_person", "split"}, "speakers")
    merge = sp.get("merge") or []
    if not isinstance(merge, list):
        raise ConfigError(f"{where(path, sp, 'merge')}: 'merge' must be a list of lists of names or ids")
    groups = []
    for i, group in enumerate(merge):
        names = str_list(path, sp, "merge", group)
        if len(names) < 2:
            raise ConfigError(f"{where(path, sp, 'merge')}: merge entry {i + 1} needs two or more names or ids")
        groups.append(names)
    rename = sp.get("rename") or {}
    if not isinstance(rename, dict) or not all(isinstance(v, str) for v in rename.values()):
        raise ConfigError(f"{where(path, sp, 'rename')}: 'rename' must map a name or id to the new name")
    splits = []
    for node in sp.get("split") or []:
        check_keys(path, node, {"speaker", "articles", "name"}, "a split")
        if not node.get("speaker") or not node.get("articles") or not node.get("name"):
            raise ConfigError(f"{where(path, node)}: a split needs 'speaker', 'articles' and 'name'")
        splits.append((str(node["speaker"]), str_list(path, node, "articles", node["articles"]), str(node["name"])))
    cities_node = data.get("cities") or {}
    if not isinstance(cities_node, dict):
        raise ConfigError(f"{where(path, data, 'cities')}: 'cities' must map a city id to names per language")
    extra = [City(id=str(cid), name=str(cid), names=_names(path, cities_node, str(cid))) for cid in cities_node]
    overrides = SpeakerOverrides(
        merge=tuple(groups),
        rename={str(k): str(v) for k, v in rename.items()},
        not_person=str_list(path, sp, "not_person", sp.get("not_person")),
        split=tuple(splits),
    )
    return overrides, extra, _version_overrides(path, data), _pins(path, data)


def _pins(path: Path, data: Any) -> dict[str, int]:
    node = data.get("places") or {}
    if not isinstance(node, dict):
        raise ConfigError(f"{where(path, data, 'places')}: 'places' must hold 'pin'")
    check_keys(path, node, {"pin"}, "places")
    pins = node.get("pin") or {}
    if not isinstance(pins, dict):
        raise ConfigError(f"{where(path, node, 'pin')}: 'pin' must map a place's name to a GeoNames id, "
                          "like {Georgia: 4197000}")
    out: dict[str, int] = {}
    for name, gid in pins.items():
        if isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0:
            raise ConfigError(f"{where(path, pins, name)}: pin {name!r} must be a GeoNames id (a positive whole "
                              f"number), not {gid!r}")
        out[str(name)] = gid
    return out


def _version_overrides(path: Path, data: Any) -> VersionOverrides:
    node = data.get("versions") or {}
    if not isinstance(node, dict):
        raise ConfigError(f"{where(path, data, 'versions')}: 'versions' must hold 'link' and/or 'unlink'")
    check_keys(path, node, {"link", "unlink"}, "versions")
    pairs: dict[str, list[tuple[str, str]]] = {}
    for key in ("link", "unlink"):
        value = node.get(key) or []
        if not isinstance(value, list):
            raise ConfigError(
                f"{where(path, node, key)}: '{key}' must be a list of pairs of article ids, like [[a, b]]"
            )
        got = []
        for i, pair in enumerate(value):
            ids = str_list(path, node, key, pair)
            if len(ids) != 2 or ids[0] == ids[1]:
                raise ConfigError(f"{where(path, node, key)}: {key} entry {i + 1} must be two different article ids, "
                                  f"not {pair!r}")
            got.append((min(ids), max(ids)))
        pairs[key] = got
    both = set(pairs["link"]) & set(pairs["unlink"])
    if both:
        a, b = sorted(both)[0]
        raise ConfigError(f"{where(path, node, 'unlink')}: {a} and {b} are both linked and unlinked")
    return VersionOverrides(tuple(pairs["link"]), frozenset(pairs["unlink"]))


def _merge_names(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out = dict(a)
    for lang, forms in b.items():
        out[lang] = tuple(dict.fromkeys((*out.get(lang, ()), *forms)))
    return out


def _merge_cities(base: list[City], extra: list[City]) -> list[City]:
    by_id = {c.id: c for c in base}
    for c in extra:
        old = by_id.get(c.id)
        by_id[c.id] = (
            replace(
                old,
                names=_merge_names(old.names, c.names),
                districts=_merge_names(old.districts, c.districts),
                not_in=tuple(dict.fromkeys((*old.not_in, *c.not_in))),
                abbreviations=tuple(dict.fromkeys((*old.abbreviations, *c.abbreviations))),
            )
            if old
            else c
        )
    return list(by_id.values())


def _merge_people(base: list[Person], extra: list[Person]) -> list[Person]:
    by_id = {p.id: p for p in base}
    for p in extra:
        old = by_id.get(p.id)
        by_id[p.id] = (
            replace(old, names=_merge_names(old.names, p.names), roles=tuple(dict.fromkeys((*old.roles, *p.roles))))
            if old
            else p
        )
    return list(by_id.values())


def load_knowledge(corpus_dir: Path | None = None) -> Knowledge:
    """Bundled knowledge, extended by the corpus folder's own YAML files if
    present (``gazetteer.yaml``, ``people.yaml``, ``overrides.yaml``)."""
    cities = load_cities(KNOWLEDGE_DIR / "gazetteer.yaml")
    people = load_people(KNOWLEDGE_DIR / "people.yaml")
    overrides = SpeakerOverrides()
    versions = VersionOverrides()
    pins: dict[str, int] = {}
    if corpus_dir is not None:
        local_g = corpus_dir / "gazetteer.yaml"
        local_p = corpus_dir / "people.yaml"
        local_o = corpus_dir / OVERRIDES_NAME
        if local_g.is_file() and local_g.resolve() != (KNOWLEDGE_DIR / "gazetteer.yaml").resolve():
            cities = _merge_cities(cities, load_cities(local_g))
        if local_p.is_file() and local_p.resolve() != (KNOWLEDGE_DIR / "people.yaml").resolve():
            people = _merge_people(people, load_people(local_p))
        if local_o.is_file():
            overrides, extra, versions, pins = load_overrides(local_o)
            known = {c.id for c in cities}
            for c in extra:
                if c.id not in known:
                    raise ConfigError(f"{local_o}: cities: {c.id!r} is not a place id in the gazetteer")
            cities = _merge_cities(cities, extra)
    return Knowledge(
        tuple(cities),
        tuple(people),
        load_cues(KNOWLEDGE_DIR / "cues.yaml"),
        load_lengths(KNOWLEDGE_DIR / "lengths.yaml"),
        overrides,
        versions,
        pins,
    )
