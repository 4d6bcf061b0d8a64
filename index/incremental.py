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

import itertools
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from corpus import Article, Skipped, meaning
from corpus.align import Alignment, align
from corpus.decode import DecodeError
from corpus.entities import UNKNOWN_PREFIX, Entities
from corpus.evidence import ANCHOR_DF_LIMIT, DocProfile, Link, anchor_candidates, anchor_keys, groups, version_profiles
from corpus.identity import Identities, apply_identities
from corpus.knowledge import Knowledge
from corpus.loader import auto_id, discover, parse_file, read_file
from corpus.manifest import Entry, entries_from_list, load_manifest
from corpus.versions import SAME_SIMILARITY, Against, Evidence, Scorer, assign, fixed_links, pair_key

from .sidestore import FileState, SideStore, file_state

MAX_CHANGES = 200
# Articles an update compares with all in one pass (corpus.versions.Against): their
# similarities with every article take 4 bytes each (77 MB at 300,000 for 64).
AGAINST_MOST = 64
FETCH_MOST = 500  # articles whose stored rows are read by id; for more, one pass over the table


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
    renearest: list[str] = field(default_factory=list)  # unchanged articles whose nearest went: rows redone
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
    changes = _changed_files(root, side, len(langs), out)
    if changes is None:
        return None
    entries = entries_from_list(kept) if kept is not None else load_manifest(root)
    missing = [rel for rel in entries if rel not in changes.present]
    out.skipped.extend(Skipped(rel, "listed in briefing.yaml but missing") for rel in missing)
    parsed = _parse_changed(root, changes.todo, entries, langs, knowledge, out)
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
    stored = side.translations_of(versions)
    out.translations = {aid: v for aid, v in versions.items() if aid not in new_ids and stored.get(aid, ()) != v}
    return out


@dataclass(frozen=True)
class _Changes:
    todo: list[tuple[str, str | None]]  # (path, previous id) of the files to parse
    present: set[str]  # every path found now


def _changed_files(root: Path, side: SideStore, articles: int, out: Plan) -> _Changes | None:
    """The files to parse again: new ones, and those whose bytes changed (a
    file whose size and mtime are as the last build saw them is not read).
    Records touched, gone and skipped files in ``out``. None when more
    changed than an incremental update is worth. Only the stored sizes and
    times of every file are read; whole states only for those that differ."""
    stats: dict[str, tuple[int, int]] = {}
    found = discover(root, stats)
    present = set(found.files) | {s.path for s in found.special}
    out.unread = found.unread
    out.skipped.extend(found.special)
    stamps = side.stamps()
    skipped = side.skipped_files()
    suspects: list[str] = []
    for rel in found.files:
        stamp = stamps.get(rel)
        if stamp is not None and stamp[1] and stats.get(rel) == stamp:
            if rel in skipped:
                out.skipped.append(Skipped(rel, skipped[rel].reason or "skipped"))
            continue
        suspects.append(rel)
    gone = [rel for rel in stamps if rel not in present]
    previous = side.file_states([*suspects, *gone])
    todo: list[tuple[str, str | None]] = []
    for rel in suspects:
        prev = previous.get(rel)
        try:
            _data, sha = read_file(root, rel)
        except (OSError, DecodeError):  # parse_file records why
            sha = None
        if prev is not None and sha is not None and sha == prev.sha256 and prev.id is not None:
            out.files.append(file_state(root, rel, prev.id, sha))  # touched, not changed
            continue
        todo.append((rel, prev.id if prev else None))
    if len(todo) + len(gone) > max(MAX_CHANGES // 10, min(MAX_CHANGES, articles // 50)):
        return None
    out.gone_files = gone
    out.removed = [aid for rel in gone if (aid := previous[rel].id) is not None]
    return _Changes(todo, present)


def _parse_changed(root: Path, todo: list[tuple[str, str | None]], entries: Mapping[str, Entry],
                   known: Mapping[str, str], knowledge: Knowledge, out: Plan) -> list[Article]:
    """Parse the changed files (``known``: the stored articles' languages,
    by id); a file that can no longer be read is skipped (and its article
    removed)."""
    if not todo:
        return []  # the recognisers take most of a second to load
    entities = Entities.from_knowledge(knowledge)
    given: list[str] = []  # the ids given here
    taken: set[str] | None = None  # with the stored ones and the manifest's: gathered when a file needs a new id
    parsed: list[Article] = []
    for rel, prev_id in todo:
        entry = entries.get(rel)
        if prev_id or entry is not None:
            aid = prev_id or entry.id  # type: ignore[union-attr]
        else:
            if taken is None:
                taken = {*known, *(e.id for e in entries.values()), *given}
            aid = auto_id(rel, taken)
        given.append(aid)
        if taken is not None:
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
    near = _Nearest(side, delta)
    moved: set[str] = set()
    if (profiles or delta) and meaning.enabled():
        stored_leads = side.leads(alive, skip=delta)
        evidence = Evidence(load, langs, knowledge.lengths, stored_leads)
        evidence.embed_leads(sorted(profiles))
        out.leads = {aid: evidence.leads[aid] for aid in profiles}
        moved = _renew_nearest(evidence, near, sorted(profiles), declared)
        out.nearest, out.renearest = near.written(), sorted(near.redone - delta)
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
    worth = near.mutual_with(seeds, langs) if evidence is not None else set()
    score = Scorer(profile, knowledge.lengths, evidence, worth)
    kept_keys = {(lk.a, lk.b) for lk in kept}
    candidates = pairs | worth
    links = {(lk.a, lk.b): lk for lk in assign(candidates, langs, score, [*_joinable(kept, fixed, candidates), *fixed],
                                               knowledge.versions)
             if (lk.a, lk.b) not in kept_keys}
    out.links = sorted(links.values(), key=lambda lk: (lk.a, lk.b))
    for lk in out.links:
        a, b = load(lk.a), load(lk.b)
        assert a is not None and b is not None  # both alive: new, or in the side store
        out.alignments.append(align(a, b, lk.confidence))
    return _versions(side, alive, new_ids, stored_links, kept, out.links)


def _joinable(kept: list[Link], fixed: list[Link], pairs: set[tuple[str, str]]) -> list[Link]:
    """The kept links of the groups that ``pairs`` may join: those reached
    from an end of a pair through links and pairs. Assignment decides a pair
    by the groups of its two ends alone, so the others' links change nothing
    (and joining them up costs time in proportion to the corpus)."""
    adj: dict[str, list[str]] = defaultdict(list)
    for a, b in itertools.chain(((lk.a, lk.b) for lk in (*kept, *fixed)), pairs):
        adj[a].append(b)
        adj[b].append(a)
    seen = {x for pair in pairs for x in pair}
    stack = list(seen)
    while stack:
        for nxt in adj[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return [lk for lk in kept if lk.a in seen]


def _versions(side: SideStore, alive: set[str], new_ids: set[str], before: list[Link], kept: list[Link],
              added: list[Link]) -> dict[str, tuple[str, ...]]:
    """The versions of the articles whose group may have changed: the new
    ones, and every one in a group (before or after) with an end of a link
    that went or came. Other groups keep every link they had."""
    links = [*kept, *added]
    kept_keys = {(lk.a, lk.b) for lk in kept}
    ends = {x for lk in before if (lk.a, lk.b) not in kept_keys for x in (lk.a, lk.b)}
    ends |= {x for lk in added for x in (lk.a, lk.b)}
    was = side.translations_of(ends)
    start = (ends | new_ids | {x for e in ends for x in was.get(e, ())}) & alive
    adj: dict[str, set[str]] = defaultdict(set)
    for lk in links:
        adj[lk.a].add(lk.b)
        adj[lk.b].add(lk.a)
    seen, stack = set(start), list(start)
    while stack:
        for nxt in adj[stack.pop()] - seen:
            seen.add(nxt)
            stack.append(nxt)
    return groups(seen, links)


class _Nearest:
    """The nearest-neighbour table as an update renews it: the last build's
    rows, read from the side store as they are asked for, under the rows
    worked out again. Every row of a ``redone`` article (changed, removed,
    or one whose nearest went) is worked out again or goes."""

    def __init__(self, side: SideStore, redone: set[str]) -> None:
        self._side = side
        self.redone = set(redone)
        self.renewed: dict[str, dict[str, tuple[str, float]]] = defaultdict(dict)
        self._stored: dict[str, dict[str, tuple[str, float]]] = {}

    def fetch(self, ids: Iterable[str]) -> None:
        todo = [i for i in dict.fromkeys(ids) if i not in self._stored]
        got = self._side.nearest_of(todo)
        for aid in todo:
            self._stored[aid] = got.get(aid, {})

    def renew(self, rows: Mapping[tuple[str, str], tuple[str, float]]) -> None:
        for (aid, lang), value in rows.items():
            self.renewed[aid][lang] = value

    def pointing_to(self, ids: Iterable[str]) -> list[tuple[str, str, str, float]]:
        """``(article, language, nearest, similarity)`` of the stored rows whose nearest is one of ``ids``."""
        return self._side.nearest_to(ids)

    def stored_in(self, lang: str, ids: list[str]) -> dict[str, tuple[str, float]]:
        """The stored nearest of language ``lang`` of ``ids``: read for each
        when they are few, with every article's when they are many."""
        if len(ids) > FETCH_MOST:
            return self._side.nearest_in(lang)
        self.fetch(ids)
        return {aid: row for aid in ids if (row := self._stored[aid].get(lang)) is not None}

    def sims_in(self, lang: str) -> dict[str, float]:
        """Every article's stored similarity with its nearest of language ``lang``."""
        return self._side.nearest_sims(lang)

    def stored(self, aid: str) -> dict[str, tuple[str, float]]:
        self.fetch([aid])
        return self._stored[aid]

    def now(self, aid: str) -> dict[str, tuple[str, float]]:
        """``aid``'s rows after the update."""
        rows = {} if aid in self.redone else dict(self.stored(aid))
        rows.update(self.renewed.get(aid, {}))
        return rows

    def written(self) -> dict[tuple[str, str], tuple[str, float]]:
        """The rows to write: renewed ones that differ from the stored, and
        every row of a redone article (its stored rows are deleted first)."""
        return {(aid, lang): v for aid, rows in self.renewed.items() for lang, v in rows.items()
                if aid in self.redone or self.stored(aid).get(lang) != v}

    def mutual_with(self, ids: Iterable[str], langs: Mapping[str, str]) -> set[tuple[str, str]]:
        """Pairs, after the update, of each other's nearest with one of ``ids``."""
        ids = list(ids)
        self.fetch(ids)
        rows = {aid: self.now(aid) for aid in ids}
        self.fetch(o for r in rows.values() for o, _sim in r.values())
        return {pair_key(aid, o) for aid, r in rows.items() for o, _sim in r.values()
                if self.now(o).get(langs[aid], ("", 0.0))[0] == aid}


def _renew_nearest(evidence: Evidence, near: _Nearest, new: list[str], declared: Mapping[str, object]) -> set[str]:
    """Renew the nearest-neighbour table for an update; return the unchanged
    articles that gained or lost a mutual-nearest pair (only those may pair
    differently). The new articles are compared with all, and so are the
    unchanged ones whose nearest went; every other one is compared only with
    the new ones, against the similarity stored for it (a matrix product per
    language, not a row per article in Python). Rows are read from the side
    store only for the articles involved."""
    delta = set(near.redone)
    everyone = sorted(aid for aid in evidence.leads if aid not in declared)  # as a rebuild: the smaller id first
    langs = evidence.langs
    pairable = [n for n in new if n in evidence.leads]
    # Every question below has a new article or a lost one on one side: with
    # few of them, their similarities with all are worked out in one pass.
    by_new = _against(evidence, pairable)
    pointing = near.pointing_to(delta)
    lost = sorted(_lost(evidence, by_new, pointing, delta | set(new)))
    near.redone.update(lost)
    near.renew(by_new.nearest(new, everyone))
    near.renew(_against(evidence, [aid for aid in lost if aid in evidence.leads]).nearest(lost, everyone))
    settled = set(new) | set(lost)
    for lang in sorted({langs[n] for n in pairable}):
        cols = [n for n in pairable if langs[n] == lang]
        olds = [aid for aid in everyone if aid not in settled and langs[aid] != lang]
        if not olds:
            continue
        best, where = by_new.best_of(olds, cols)
        stored = near.sims_in(lang)
        floor = np.fromiter(map(stored.get, olds, itertools.repeat(-np.inf)), dtype=np.float64, count=len(olds))
        # Clearly more similar than the stored nearest: renewed. About as
        # similar: decided on the stored row, as a rebuild would, except where
        # that row is known already (it points to a changed article) and stays
        # (the same article, no more similar: an opening that did not change,
        # which may be the nearest of many).
        more = best > floor + 2 * SAME_SIMILARITY  # (rounding to 6 places cannot undo it)
        was = {aid: (other, sim) for aid, lg, other, sim in pointing if lg == lang}
        ties = [r for r in np.flatnonzero(~more & (best >= floor - SAME_SIMILARITY)).tolist()
                if not _stays(was.get(olds[r]), cols[int(where[r])], round(float(best[r]), 6))]
        rows = near.stored_in(lang, [olds[r] for r in ties])
        for r in np.flatnonzero(more).tolist():
            near.renew({(olds[r], lang): (cols[int(where[r])], round(float(best[r]), 6))})
        for r in ties:
            aid, other, sim = olds[r], cols[int(where[r])], round(float(best[r]), 6)
            before = rows.get(aid)
            if before is None or sim > before[1] + SAME_SIMILARITY or (
                    abs(sim - before[1]) <= SAME_SIMILARITY and other < before[0]):
                near.renew({(aid, lang): (other, sim)})
    return _moved(near, langs, delta, set(new))


def _stays(stored: tuple[str, float] | None, other: str, sim: float) -> bool:
    """Does a stored row stay against ``other`` at ``sim``: the same article, no more similar?"""
    return stored is not None and stored[0] == other and sim <= stored[1] + SAME_SIMILARITY


def _against(evidence: Evidence, probes: list[str]) -> Evidence | Against:
    """What answers questions about ``probes`` and all the others: their
    similarities with all, worked out once, or (for many) the evidence itself."""
    return evidence.against(probes) if len(probes) <= AGAINST_MOST else evidence


def _lost(evidence: Evidence, by_new: Evidence | Against, pointing: list[tuple[str, str, str, float]],
          skip: set[str]) -> set[str]:
    """The unchanged articles whose nearest went: it was removed, or it
    changed and is now less similar to them, or of another language (an
    edit past a changed article's opening leaves its vector, and its rows,
    as they were; one now more similar stays their nearest, and the
    comparison with the new articles records it)."""
    by_other: dict[str, list[tuple[str, float]]] = defaultdict(list)
    lost: set[str] = set()
    for aid, lang, other, sim in pointing:
        if aid in skip:
            continue
        if evidence.langs.get(other) != lang:
            lost.add(aid)
        else:
            by_other[other].append((aid, sim))
    for other, rows in by_other.items():
        ids = [aid for aid, _sim in rows if aid in evidence.leads]
        if other not in evidence.leads or len(ids) < len(rows):
            lost.update(aid for aid, _sim in rows)
            continue
        now, _where = by_new.best_of(ids, [other])
        lost.update(aid for (aid, sim), s in zip(rows, now.tolist(), strict=True) if s < sim - SAME_SIMILARITY)
    return lost


def _moved(near: _Nearest, langs: Mapping[str, str], delta: set[str], new: set[str]) -> set[str]:
    """The unchanged articles in a pair whose mutual-nearest standing the
    update changed. Only a pair with a row that changed can change, and
    only a pair of that row's nearest before or after."""
    changed = [(aid, lang) for aid, rows in near.renewed.items() for lang in rows]
    near.fetch(near.redone)
    changed += [(aid, lang) for aid in near.redone for lang in near.stored(aid)]
    near.fetch(aid for aid, _lang in changed)
    pairs: set[tuple[str, str]] = set()
    for aid, lang in changed:
        for rows in (near.stored(aid), near.now(aid)):
            if lang in rows:
                pairs.add(pair_key(aid, rows[lang][0]))
    near.fetch(x for pr in pairs for x in pr)

    def mutual_before(a: str, b: str) -> bool:
        return (not {a, b} & delta and near.stored(a).get(langs[b], ("",))[0] == b
                and near.stored(b).get(langs[a], ("",))[0] == a)

    def mutual_after(a: str, b: str) -> bool:
        return near.now(a).get(langs[b], ("",))[0] == b and near.now(b).get(langs[a], ("",))[0] == a

    return {x for a, b in pairs if mutual_before(a, b) != mutual_after(a, b) for x in (a, b)} - delta - new
