"""The fast path of ``update``: re-read, re-detect and re-index only the files
that changed, using what the last build stored in the side store.

A full update re-reads nothing unchanged either, but it still works out
version links and speaker identities across the whole corpus, which costs
time in proportion to the corpus. This path does not, so it is taken only when
that cannot change anything outside the changed files:

- the curated knowledge, the manifest and the schema are unchanged (checked
  by the caller);
- at most 2% of the files changed (at least 20 are always allowed, at most :data:`MAX_CHANGES`);
- no changed, added or removed article names a speaker the registry does not
  know (an unregistered name can be linked to, or split from, names in other
  articles);
- with analyst overrides, every speaker of the changed articles was seen by
  the last build (an override may name them).

Version links are re-detected for the changed and added articles, and for
the unchanged ones they may now pair with differently (their partner changed
or went, or they gained or lost a mutual-nearest pair): their candidates are
found as a rebuild finds them (shared anchors, stored opening vectors) and
assigned under the same group rules, around the links that stay.
When a condition fails, :func:`plan` returns None and ``update`` takes the full
path.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from corpus import Article, Skipped, meaning
from corpus.align import Alignment, align
from corpus.decode import DecodeError
from corpus.entities import UNKNOWN_PREFIX, Entities
from corpus.evidence import ANCHOR_DF_LIMIT, DocProfile, Link, anchor_candidates, anchor_keys, groups, version_profiles
from corpus.identity import Identities, apply_identities
from corpus.knowledge import Knowledge
from corpus.loader import auto_id, discover, parse_file, read_file
from corpus.manifest import Entry, entries_from_list, load_manifest
from corpus.versions import Evidence, Scorer, assign, fixed_links, mutual

from .sidestore import FileState, SideStore, file_state

MAX_CHANGES = 200


@dataclass
class Plan:
    """What an incremental update writes."""

    added: list[str] = field(default_factory=list)  # article ids
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)  # added and changed, final
    anchors: dict[str, frozenset[str]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)  # new links of the changed articles
    leads: dict[str, Any] = field(default_factory=dict)  # their opening vectors
    nearest: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)  # new or renewed entries
    released: list[tuple[str, str]] = field(default_factory=list)  # detected links re-decided (deleted first)
    versions_seconds: float = 0.0
    alignments: list[Alignment] = field(default_factory=list)
    translations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unchanged articles whose versions moved
    files: list[FileState] = field(default_factory=list)  # new states (changed, added, touched)
    gone_files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # every skipped file now
    unread: tuple[str, ...] = ()  # files of kinds that are not read, now


def _raw_ids(article: Article) -> set[str]:
    ids: set[str] = set()
    for p in article.paragraphs:
        if p.speaker:
            ids.add(p.speaker)
        ids.update(q[0] for q in p.quotes)
        ids.update(g[0] for g in p.guests)
    return ids


def plan(root: Path, side: SideStore, knowledge: Knowledge, identities: Identities | None,
         kept: list[dict[str, Any]] | None) -> Plan | None:
    """The incremental update of ``root`` against the last build, or None
    when only a full update gives the right answer. ``kept``: the manifest's
    entries as the last build stored them (the manifest's hash is unchanged)."""
    langs = side.langs()
    out = Plan()
    changes = _changed_files(root, side.files(), len(langs), out)
    if changes is None:
        return None
    entries = entries_from_list(kept) if kept is not None else load_manifest(root)
    missing = [rel for rel in entries if rel not in changes.present]
    out.skipped.extend(Skipped(rel, "listed in briefing.yaml but missing") for rel in missing)
    parsed = _parse_changed(root, changes.todo, entries, set(langs), knowledge, out)
    if not _identities_hold(side, parsed, out, knowledge, identities):
        return None
    ids = identities or Identities({}, {})
    finals = [apply_identities(a, ids) for a in parsed]
    if not finals and not out.removed:
        return out  # no article changed, came or went: every link stays as it is
    clock = time.perf_counter()
    declared = {e.id: e.translations for e in entries.values() if e.translations is not None}
    versions = _relink(side, knowledge, langs, finals, declared, out)
    out.versions_seconds = round(time.perf_counter() - clock, 3)
    new_ids = {a.id for a in finals}
    out.articles = [replace(a, translations=versions[a.id]) for a in finals]
    stored = side.translations()
    out.translations = {
        aid: versions[aid]
        for aid in {*stored, *(aid for aid, v in versions.items() if v)}
        if aid in versions and aid not in new_ids and stored.get(aid, ()) != versions[aid]
    }
    return out


@dataclass(frozen=True)
class _Changes:
    todo: list[tuple[str, str | None]]  # (path, previous id) of the files to parse
    present: set[str]  # every path found now


def _changed_files(root: Path, previous: Mapping[str, FileState], articles: int, out: Plan) -> _Changes | None:
    """The files to parse again: new ones, and those whose bytes changed (a
    file whose size and mtime are as the last build saw them is not read).
    Records touched, gone and skipped files in ``out``. None when more
    changed than an incremental update is worth."""
    found = discover(root)
    present = set(found.files) | {s.path for s in found.special}
    out.unread = found.unread
    out.skipped.extend(found.special)
    todo: list[tuple[str, str | None]] = []
    base = str(root)  # a string join per file, not a Path: 100,000 Paths cost most of a second
    for rel in found.files:
        prev = previous.get(rel)
        try:
            st = os.stat(os.path.join(base, rel))
        except OSError:
            todo.append((rel, prev.id if prev else None))
            continue
        if prev is not None and prev.mtime_ns and (st.st_size, st.st_mtime_ns) == (prev.size, prev.mtime_ns):
            if prev.id is None:
                out.skipped.append(Skipped(rel, prev.reason or "skipped"))
            continue
        try:
            _data, sha = read_file(root, rel)
        except (OSError, DecodeError):  # parse_file records why
            sha = None
        if prev is not None and sha is not None and sha == prev.sha256 and prev.id is not None:
            out.files.append(file_state(root, rel, prev.id, sha))  # touched, not changed
            continue
        todo.append((rel, prev.id if prev else None))
    gone = [rel for rel in previous if rel not in present]
    if len(todo) + len(gone) > max(MAX_CHANGES // 10, min(MAX_CHANGES, articles // 50)):
        return None
    out.gone_files = gone
    out.removed = [aid for rel in gone if (aid := previous[rel].id) is not None]
    return _Changes(todo, present)


def _parse_changed(root: Path, todo: list[tuple[str, str | None]], entries: Mapping[str, Entry], known: set[str],
                   knowledge: Knowledge, out: Plan) -> list[Article]:
    """Parse the changed files; a file that can no longer be read is
    skipped (and its article removed)."""
    if not todo:
        return []  # the recognisers take most of a second to load
    entities = Entities.from_knowledge(knowledge)
    taken = known | {e.id for e in entries.values()}
    parsed: list[Article] = []
    for rel, prev_id in todo:
        entry = entries.get(rel)
        aid = prev_id or (entry.id if entry else auto_id(rel, taken))
        taken.add(aid)
        result = parse_file(root, rel, aid, entry, knowledge, entities)
        if isinstance(result, Skipped):
            out.skipped.append(result)
            if prev_id is not None:
                out.removed.append(prev_id)
            out.files.append(file_state(root, rel, None, None, result.reason))
            continue
        (out.changed if prev_id in known else out.added).append(aid)
        parsed.append(result)
        out.files.append(file_state(root, rel, aid, result.sha256))
    return parsed


def _identities_hold(side: SideStore, parsed: list[Article], out: Plan, knowledge: Knowledge,
                     identities: Identities | None) -> bool:
    """Whether the last build's speaker identities still hold: only
    registered speakers, already linked, are involved."""
    if side.unregistered([*out.changed, *out.removed]):
        return False
    seen = set(identities.ids) if identities else set()
    overrides = knowledge.overrides
    has_overrides = bool(overrides.merge or overrides.not_person or overrides.split or overrides.rename)
    for a in parsed:
        raw = _raw_ids(a)
        if any(r.startswith(UNKNOWN_PREFIX) for r in raw) or (has_overrides and not raw <= seen):
            return False
    return True


def _relink(side: SideStore, knowledge: Knowledge, stored_langs: Mapping[str, str], finals: list[Article],
            declared: Mapping[str, tuple[str, ...]], out: Plan) -> dict[str, tuple[str, ...]]:
    """Version links for the new articles and for the unchanged ones that
    may pair differently now, found and assigned as a rebuild does, around
    the links that stay; their alignments. Returns every live article's versions."""
    delta = {*out.changed, *out.removed}
    stored_links = side.links()
    new_ids = {a.id for a in finals}
    alive = (set(stored_langs) - set(out.removed)) | new_ids
    langs = {**stored_langs, **{a.id: a.lang for a in finals}}
    by_id = {a.id: a for a in finals}

    def load(aid: str) -> Article | None:
        """A new article, or one from the side store (read once)."""
        if aid not in by_id:
            got = side.article(aid)
            if got is None:
                return None
            by_id[aid] = got
        return by_id[aid]

    fixed = fixed_links(declared, knowledge.versions, alive, touching=new_ids)
    profiles = version_profiles(finals, declared)
    out.anchors = {aid: anchor_keys(p) for aid, p in profiles.items()}
    old_profiles: dict[str, DocProfile | None] = {}

    def profile(aid: str) -> DocProfile | None:
        if aid in profiles:
            return profiles[aid]
        if aid not in old_profiles:
            art = load(aid)
            old_profiles[aid] = DocProfile.of(art) if art is not None and aid not in declared else None
        return old_profiles[aid]

    # Which unchanged articles may pair anew, as a rebuild would pair them:
    # those whose partner changed or went, and those that gained or lost a
    # mutual-nearest pair (by opening vector) with the new articles.
    evidence = None
    near: dict[tuple[str, str], tuple[str, float]] = {}
    moved: set[str] = set()
    if (profiles or delta) and meaning.enabled():
        stored_leads = side.leads(lambda aid: aid not in delta and aid in alive)
        evidence = Evidence(load, langs, knowledge.lengths, stored_leads)
        evidence.embed_leads(sorted(profiles))
        out.leads = {aid: evidence.leads[aid] for aid in profiles}
        stored_near = side.nearest()
        near, moved = _renew_nearest(evidence, stored_near, sorted(profiles), delta, declared)
        out.nearest = {k: v for k, v in near.items() if stored_near.get(k) != v}
    touched = delta | set(profiles) | moved
    orphans = {x for lk in stored_links if not lk.declared and {lk.a, lk.b} & touched for x in (lk.a, lk.b)}
    orphans -= delta
    out.released = sorted((lk.a, lk.b) for lk in stored_links
                          if not lk.declared and {lk.a, lk.b} & (orphans | moved) and not {lk.a, lk.b} & delta)
    released = set(out.released)
    kept = [lk for lk in stored_links if lk.a not in delta and lk.b not in delta and (lk.a, lk.b) not in released]
    again = sorted((orphans | moved) - set(profiles))
    seeds = {**profiles, **{aid: p for aid in again if (p := profile(aid)) is not None}}

    def holders(key: str) -> list[str] | None:
        stored = side.anchor_postings(key, ANCHOR_DF_LIMIT)
        if stored is None:
            return None
        return [o for o in stored if o not in delta] + [o for o, keys in out.anchors.items() if key in keys]

    pairs = anchor_candidates(seeds, holders, lambda a, b: langs.get(b) != langs.get(a) and b not in declared)
    worth = {pr for pr in mutual(near, langs) if set(pr) & set(seeds)} if evidence is not None else set()
    score = Scorer(profile, knowledge.lengths, evidence, worth)
    kept_keys = {(lk.a, lk.b) for lk in kept}
    links = {(lk.a, lk.b): lk for lk in assign(pairs | worth, langs, score, [*kept, *fixed], knowledge.versions)
             if (lk.a, lk.b) not in kept_keys}
    out.links = sorted(links.values(), key=lambda lk: (lk.a, lk.b))
    for lk in out.links:
        a, b = load(lk.a), load(lk.b)
        assert a is not None and b is not None  # both alive: new, or in the side store
        out.alignments.append(align(a, b, lk.confidence))
    return groups(alive, [*kept, *out.links])


def _renew_nearest(
    evidence: Evidence, stored: dict[tuple[str, str], tuple[str, float]], new: list[str], delta: set[str],
    declared: Mapping[str, object],
) -> tuple[dict[tuple[str, str], tuple[str, float]], set[str]]:
    """The nearest-neighbour table after an update, and the unchanged
    articles that gained or lost a mutual-nearest pair (only those may pair
    differently). Only the new articles are compared with all; an unchanged
    article is compared with the new ones, and with all again only when its
    nearest went."""
    everyone = [aid for aid in evidence.leads if aid not in declared]
    langs = evidence.langs
    near = {k: v for k, v in stored.items() if k[0] not in delta}
    near.update(evidence.nearest(new, everyone))
    lost = sorted({k[0] for k, (other, _sim) in near.items() if other in delta and k[0] not in new})
    near.update(evidence.nearest(lost, everyone))
    settled = set(new) | set(lost)
    olds = [aid for aid in everyone if aid not in settled]
    for (aid, lang), (other, sim) in evidence.nearest(olds, new).items():
        before = near.get((aid, lang))
        if before is None or sim > before[1] or (sim == before[1] and other < before[0]):
            near[(aid, lang)] = (other, sim)
    before_pairs = {pr for pr in mutual(stored, langs) if not set(pr) & delta}
    after_pairs = mutual(near, langs)
    moved = {x for pr in before_pairs ^ after_pairs for x in pr} - delta - set(new)
    return near, moved
