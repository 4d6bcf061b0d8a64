"""One identity per speaker across languages and scripts.

The curated registry decides first (a label that matches a registry name has
that person's id already). Names the registry lacks start as
``unknown:<folded name>`` and are linked only on evidence:

- romanisation: pypinyin for Chinese, anyascii for Cyrillic and Latin, compared
  with rapidfuzz against registry names and against each other;
- a Latin form given in brackets beside a name (``Лэй Юэлуна (Lei Yuelong)``);
- the same turn position in aligned translations (a turn aligned with a turn):
  two thirds of the aligned evidence must agree;
- names that sound alike (:func:`corpus.sound.skeleton`) in aligned
  paragraphs of two versions (特朗普 beside Trump, ترامب beside Трампа);
- whole names that sound alike in two articles, in two scripts, that name
  several of the same people (:class:`SharedNames`): one story, whether or
  not the two were linked as versions.

Arabic (or any script without a trustworthy romanisation) is never linked by
its spelling alone: only by position, by sound within aligned paragraphs or
beside other shared names, or by an analyst's override. A name that nothing links stays listed, unlinked.

Analyst corrections (``overrides.yaml`` in the corpus folder, see
:mod:`corpus.knowledge`) are applied last, on every build.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, process

from .align import Alignment
from .entities import UNKNOWN_PREFIX, unknown_speaker_id
from .models import Article, Kind, Person, SpeakerOverrides
from .paragraphs import fold_label, is_short
from .people import NAME_DOTS
from .sound import skeletons, whole_names_alike
from .text import script_of


@dataclass(frozen=True)
class Identities:
    """The outcome: raw speaker id -> final id, and names for unregistered ids."""

    ids: Mapping[str, str | None]  # None: not a person
    names: Mapping[str, str]  # final unknown id -> romanised display name
    split: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (article, raw id) -> final id
    notes: tuple[str, ...] = ()  # overrides that matched nothing

    def to_dict(self) -> dict[str, Any]:
        return {"ids": dict(self.ids), "names": dict(self.names),
                "split": [[a, raw, fin] for (a, raw), fin in self.split.items()], "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Identities:
        return cls(dict(d["ids"]), dict(d["names"]), {(a, raw): fin for a, raw, fin in d["split"]}, tuple(d["notes"]))

    def final(self, article: str, sid: str | None) -> str | None:
        if sid is None:
            return None
        if (article, sid) in self.split:
            return self.split[(article, sid)]
        return self.ids.get(sid, sid)


@lru_cache(maxsize=4096)
def romanise(form: str) -> str | None:
    """A comparison key in Latin letters, or None where spelling is no evidence."""
    script = script_of(form)
    if script == "han":
        from pypinyin import lazy_pinyin

        return "".join(lazy_pinyin(form.replace(" ", "")))
    if script in ("latin", "cyrillic"):
        key = re.sub(r"[^a-z]", "", anyascii(form).lower())
        return key or None
    return None


def display_name(forms: Iterable[str], ids: Iterable[str] = ()) -> str:
    """A romanised name for an unregistered person: a Latin form as written
    (one that one of ``ids`` was made from, the most often written of those
    and then the first, and none that is another with a German genitive's
    s: Holly Willoughby, not Holly Willoughbys; Tommy Fleetwood, as four
    versions write him, not "Duo Tommy Fleetwood" as one German sentence
    runs him on); else the pinyin of a Chinese name (surname first: Li
    Yinghao); else a Cyrillic form transliterated, its fullest, with the
    endings of the instrumental and the dative taken off (Тайгером Вудсом:
    Tayger Vuds); else the pinyin of a Chinese transliteration, a word to
    each part between its dots (洛佩斯·奥夫拉多尔: Luopeisi Aofuladuoer);
    else the first form as written."""
    forms = list(forms)
    latin = [f for f in forms if script_of(f) == "latin"]
    if latin:
        own = set(ids)
        latin = [f for f in latin if not (f.endswith("s") and f[:-1] in latin)] or latin
        written = Counter(latin)
        # (min keeps the first of the best)
        return min(dict.fromkeys(latin), key=lambda f: (unknown_speaker_id(f) not in own, -written[f]))
    from pypinyin import lazy_pinyin

    han = [f for f in forms if script_of(f) == "han"]
    for f in han:
        if not _transliterated(f):
            syl = lazy_pinyin(f)
            return " ".join([syl[0].title(), "".join(syl[1:]).title()]) if len(syl) > 1 else syl[0].title()
    cyrillic = [f for f in forms if script_of(f) == "cyrillic"]
    if cyrillic:
        fullest = max(dict.fromkeys(cyrillic), key=lambda f: len(f.split()))
        return anyascii(" ".join(_RU_OBLIQUE.sub("", w) for w in fullest.split())).replace("'", "")
    if han:
        parts = [p for p in re.split(f"[{NAME_DOTS}\\s]+", han[0]) if p]
        return " ".join("".join(lazy_pinyin(p)).title() for p in parts)
    return forms[0] if forms else "?"


# the instrumental and the dative of a man's name whose stem ends in a consonant (Вудсом, Скотту), on a stem
# of three letters or more (not Том, Ву)
_RU_OBLIQUE = re.compile(r"(?<=[а-яё]{2}[бвгджзклмнпрстфхцчшщ])(?:ом|у)$")


def _transliterated(form: str) -> bool:
    """Is a Han name a transliteration of a foreign one (dotted, or written
    only with the letters of transliterations: 杰拉德, 切斯勒), not a Chinese
    name (李英浩, 胡刚)?"""
    from .people import transliteration_alphabet

    return _dotted(form) or all(ch in transliteration_alphabet() for ch in form)


def _similar(a: str, b: str, scripts: tuple[str, str]) -> bool:
    ka, kb = romanise(a), romanise(b)
    if not ka or not kb:
        return False
    if "cyrillic" in scripts and scripts[0] != scripts[1]:
        # Palladius and pinyin differ in regular ways (Лэй/Lei, Юэлун/Yuelong); within one script,
        # such a margin would make Джонс Джонсон
        return len(ka) >= 4 and fuzz.ratio(ka, kb) >= 78 and ka[0] == kb[0]
    return len(ka) >= 4 and fuzz.ratio(ka, kb) >= 92


class Union:
    """Union-find over ids; ``fixed`` ids (registry people) are never
    merged with each other, and a group keeps a fixed id, else its smallest."""

    def __init__(self, fixed: set[str]) -> None:
        self.parent: dict[str, str] = {}
        self.fixed = fixed  # registry ids: never merged with each other
        # each root's fixed members, in the order they were first seen (as groups() lists them)
        self._fixed_in: dict[str, list[str]] = {}
        self._seen: dict[str, int] = {}

    def find(self, x: str) -> str:
        if x not in self.parent:
            self.parent[x] = x
            self._seen[x] = len(self._seen)
            if x in self.fixed:
                self._fixed_in[x] = [x]
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def groups(self) -> dict[str, list[str]]:
        """Every root's members, in the order they were first seen: one pass over all ids."""
        out: dict[str, list[str]] = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return out

    def union(self, a: str, b: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        fixed_a, fixed_b = self._fixed_in.get(ra, []), self._fixed_in.get(rb, [])
        fa = [*fixed_a, *fixed_b]
        if len(set(fa)) > 1 and not force:
            return False  # two curated people are never merged by evidence
        keep, drop = (ra, rb) if ra in self.fixed or (rb not in self.fixed and ra < rb) else (rb, ra)
        if fa:
            keep = fa[0]
            self.parent[keep] = keep
            for root in (ra, rb):
                if root != keep:
                    self.parent[root] = keep
        else:
            self.parent[drop] = keep
        for root in (ra, rb):
            self._fixed_in.pop(root, None)
        if fa:
            self._fixed_in[keep] = sorted(fa, key=self._seen.__getitem__)
        return True


def speaker_forms(articles: Iterable[Article],
                  shared: SharedNames | None = None) -> dict[str, dict[str, dict[str, None]]]:
    """Raw speaker id -> language -> names as written (turn labels, quotes,
    guest lines). ``shared``, if given, gathers each article's full names."""
    forms: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    for a in articles:
        names: dict[str, str] = {}
        for p in a.paragraphs:
            if p.kind is Kind.TURN and p.speaker and p.label:
                forms[p.speaker][a.lang][p.label] = None
                names.setdefault(p.label, p.speaker)
            for sid, name in (*p.quotes, *((sid, name) for sid, name, _roles in p.guests), *p.named):
                forms[sid][a.lang][name] = None
                names.setdefault(name, sid)
        if shared is not None:
            shared.add(a.id, names)
    return forms


class SharedNames:
    """Two articles in two scripts that name the same people are about one
    story, and then their names that sound alike are one person each: Питер
    Джонс, Холли Уиллоуби and Дэн Болдуин in one, Peter Jones, Holly
    Willoughby and Dan Baldwin in the other, though nothing linked the two
    as versions.

    Only whole names count (two words or more, or a Han name with its dot),
    heard alike exactly (:func:`corpus.sound.skeletons`), and only names of
    at most :data:`RARE` articles (Donald Trump ties no two stories
    together). Two articles are one story when they share
    :data:`TIES` such names, and these are half the whole names of one of
    them at least."""

    RARE = 50  # a name in more articles than this ties none of them
    TIES = 2
    SHORTEST = 4  # a whole name's skeleton this long at least (Tara Capp: TLKP)

    def __init__(self) -> None:
        # skeleton -> (article, id, name, script)
        self.postings: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        self.common: set[str] = set()
        self.whole: dict[str, int] = {}  # article -> how many whole names of unregistered people it has

    def add(self, article: str, names: Mapping[str, str]) -> None:
        sids: set[str] = set()
        for name, sid in names.items():
            if not sid.startswith(UNKNOWN_PREFIX) or not _whole(name):
                continue
            sids.add(sid)
            for key in skeletons(name):
                if len(key) < self.SHORTEST or key in self.common:
                    continue
                posting = self.postings[key]
                posting.append((article, sid, name, script_of(name)))
                if len({x[0] for x in posting[-self.RARE - 1 :]}) > self.RARE:
                    self.common.add(key)
                    del self.postings[key]
        if sids:
            self.whole[article] = len(sids)

    def links(self) -> list[tuple[str, str]]:
        """Pairs of ids that are one person, in a stable order."""
        ties: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        for posting in self.postings.values():
            spelt: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)  # (name, script) -> (article, id)
            for a, sid, name, script in posting:
                spelt[(name, script)].append((a, sid))
            for (na, ca), xs in spelt.items():
                for (nb, cb), ys in spelt.items():
                    if ca < cb and whole_names_alike(na, nb):
                        for a, sa in xs:
                            for b, sb in ys:
                                if a != b:
                                    ties[(a, b) if a < b else (b, a)].add((sa, sb) if a < b else (sb, sa))
        out: list[tuple[str, str]] = []
        for (a, b), pairs in sorted(ties.items()):
            people = min(len({x for x, _ in pairs}), len({y for _, y in pairs}))
            if people >= self.TIES and 2 * people >= min(self.whole[a], self.whole[b]):
                out.extend(sorted(pairs))
        return out


def _whole(name: str) -> bool:
    """Is ``name`` a whole name: two words or more, or a Han name with its dot?"""
    return len(name.split()) >= 2 or _dotted(name)


def _dotted(name: str) -> bool:
    """Is ``name`` written with a transliteration's middle dot (霍莉·威洛比)?"""
    return bool(re.search(f"[{NAME_DOTS}]", name))


def resolve_identities(
    articles: Sequence[Article] | Mapping[str, Article],
    people: Sequence[Person],
    alignments: Sequence[Alignment],
    overrides: SpeakerOverrides | None = None,
    links: Iterable[tuple[str, str]] = (),
) -> Identities:
    """Which speaker ids of the corpus are one person, in four steps: the
    registry (ids already), romanised spellings, turns that aligned
    translations put side by side, and last the analyst's overrides.
    ``articles`` by id (a mapping) are read once in order and then only
    those that alignments join."""
    overrides = overrides or SpeakerOverrides()
    by_id: Mapping[str, Article] = articles if isinstance(articles, Mapping) else {a.id: a for a in articles}
    ordered = getattr(articles, "ordered", None)  # a shelf streams its articles (corpus.spool)
    shared = SharedNames()
    forms = speaker_forms(ordered() if ordered is not None else by_id.values(), shared)
    registry = {p.id: p for p in people if not p.is_role}
    uf = Union(set(registry) | {p.id for p in people if p.is_role})
    for sid in forms:
        uf.find(sid)
    # Forms that one paragraph gives for one id (a bracketed Latin form) are
    # already one identity. Across ids: romanisation, then aligned turns.
    unknown = [sid for sid in forms if sid.startswith(UNKNOWN_PREFIX)]
    written = {sid: [f for fs in forms[sid].values() for f in fs] for sid in forms}
    _link_by_spelling(uf, unknown, written, {pid: p.all_names() for pid, p in registry.items()})
    _link_by_aligned_turns(uf, unknown, _turn_votes(by_id, alignments))
    for a, b in links:  # names that sound alike in aligned paragraphs of two versions (corpus.project)
        if a in forms and b in forms:
            uf.union(a, b)
    for a, b in shared.links():  # and in two articles about one story
        uf.union(a, b)
    return _apply_overrides(uf, forms, written, registry, people, overrides)


def _link_by_spelling(uf: Union, unknown: list[str], written: Mapping[str, list[str]],
                      registered: Mapping[str, Iterable[str]]) -> None:
    """An unregistered name whose romanisation matches one registry person
    is that person; two unregistered names that match are one person."""
    for sid in unknown:
        matches = {
            pid
            for pid, names in registered.items()
            for a in written[sid]
            for b in names
            if _similar(a, b, (script_of(a), script_of(b)))
        }
        if len(matches) == 1:
            uf.union(sid, matches.pop())
    for i, j in _alike_pairs(unknown, written):
        uf.union(unknown[i], unknown[j])


_BLOCK_ROWS = 2048  # names compared against their block at once (a block of 50,000 names: 100 MB of scores)


def _alike_pairs(ids: Sequence[str], written: Mapping[str, list[str]]) -> list[tuple[int, int]]:
    """The pairs ``(i, j)``, ``i < j``, of ``ids`` with a written form each
    that :func:`_similar` finds alike, in the order a loop over all pairs
    would find them. Only forms whose keys open with the same letter are
    compared (both rules demand nearly all of two keys' letters, and names
    keep their first), and those with rapidfuzz's ``cdist`` first: the
    time grows with the square of a block, not of the folder's names."""
    blocks: dict[str, list[tuple[int, str, str]]] = defaultdict(list)  # first letter -> (id's index, form, key)
    for i, sid in enumerate(ids):
        for form in dict.fromkeys(written[sid]):
            key = romanise(form)
            if key and len(key) >= 4:
                blocks[key[0]].append((i, form, key))
    pairs: set[tuple[int, int]] = set()
    for block in blocks.values():
        keys = [key for _i, _form, key in block]
        for start in range(0, len(block), _BLOCK_ROWS):
            # 77: under the lower of the two thresholds, as scores are rounded to whole numbers here
            scores = process.cdist(keys[start : start + _BLOCK_ROWS], keys, scorer=fuzz.ratio, score_cutoff=77,
                                   dtype=np.uint8)
            for r, c in zip(*np.nonzero(scores), strict=True):
                (i, a, _ka), (j, b, _kb) = block[start + int(r)], block[int(c)]
                if i < j and (i, j) not in pairs and _similar(a, b, (script_of(a), script_of(b))):
                    pairs.add((i, j))
    return sorted(pairs)


def _turn_votes(by_id: Mapping[str, Article], alignments: Sequence[Alignment]) -> dict[str, Counter[str]]:
    """For each speaker, the speakers of the turns aligned with theirs, counted."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for al in alignments:
        src, tgt = by_id.get(al.source), by_id.get(al.target)
        if src is None or tgt is None:
            continue
        for b in al.beads:
            if not b.source or not b.target:
                continue
            ps, pt = src.paragraph(b.source[0]), tgt.paragraph(b.target[0])
            if ps.kind is Kind.TURN and pt.kind is Kind.TURN and ps.speaker and pt.speaker and ps.speaker != pt.speaker:
                votes[ps.speaker][pt.speaker] += 1
                votes[pt.speaker][ps.speaker] += 1
    return votes


def _link_by_aligned_turns(uf: Union, unknown: list[str], votes: Mapping[str, Counter[str]]) -> None:
    """Votes go to identities (the Chinese and English forms of one person
    are one voter by now); two thirds of the aligned turns must agree."""
    for sid in unknown:
        by_root: Counter[str] = Counter()
        for other, count in votes.get(sid, Counter()).items():
            by_root[uf.find(other)] += count
        by_root.pop(uf.find(sid), None)
        if by_root:
            other, count = by_root.most_common(1)[0]
            if count * 3 >= 2 * sum(by_root.values()):
                uf.union(sid, other)


def _apply_overrides(uf: Union, forms: Mapping[str, Mapping[str, Mapping[str, None]]],
                     written: Mapping[str, list[str]], registry: Mapping[str, Person], people: Sequence[Person],
                     overrides: SpeakerOverrides) -> Identities:
    """The analyst's merges, removals, splits and renames, and each raw id's final id."""
    notes: list[str] = []
    lookup = _reference_index(forms, people)

    def ref(r: str, what: str) -> str | None:
        hit = lookup.get(r) or lookup.get(" ".join(fold_label(r)))
        if hit is None:
            notes.append(f"overrides: {what} {r!r} matches no speaker")
        return hit

    first: list[str] = []  # the first of each merge group names the merged person
    for group in overrides.merge:
        merged = [x for x in (ref(r, "merge") for r in group) if x]
        first.extend(merged[:1])
        for other in merged[1:]:
            uf.union(merged[0], other, force=True)
    dropped = {uf.find(x) for x in (ref(r, "not_person") for r in overrides.not_person) if x}
    ids: dict[str, str | None] = {}
    names: dict[str, str] = {}
    owner: dict[str, str] = {}  # final id -> the root it was made for
    groups = uf.groups()
    for sid in forms:
        root = uf.find(sid)
        final = root
        if root.startswith(UNKNOWN_PREFIX) and root not in registry:
            members = groups[root]
            lead = [m for m in members if m in first]
            shown = display_name(
                written[lead[0]] if lead else [f for m in members for f in written.get(m, [])], members)
            final = unknown_speaker_id(shown)
            k = 1
            while owner.setdefault(final, root) != root:  # two people shown by one name keep two ids
                k += 1
                final = f"{unknown_speaker_id(shown)} ({k})"
            names[final] = shown
        ids[sid] = None if root in dropped else final
    split: dict[tuple[str, str], str] = {}
    for r, arts, new_name in overrides.split:
        whose = ref(r, "split")
        if whose is None:
            continue
        new_id = unknown_speaker_id(new_name)
        names[new_id] = new_name
        for raw, fin in ids.items():
            if fin == ids.get(whose) or raw == whose:
                for aid in arts:
                    split[(aid, raw)] = new_id
    for r, new_name in overrides.rename.items():
        renamed = ref(r, "rename")
        if renamed is not None and ids.get(renamed):
            names[str(ids[renamed])] = new_name
    return Identities(ids, names, split, tuple(notes))


def _reference_index(forms: Mapping[str, Mapping[str, Mapping[str, None]]], people: Sequence[Person]) -> dict[str, str]:
    """How an override may name a speaker: its id, or any name as written (folded)."""
    out: dict[str, str] = {}
    for sid, per_lang in forms.items():
        out[sid] = sid
        for fs in per_lang.values():
            for f in fs:
                out.setdefault(" ".join(fold_label(f)), sid)
    for p in people:
        out[p.id] = p.id
        for n in p.all_names():
            out.setdefault(" ".join(fold_label(n)), p.id)
    return out


def apply_identities(article: Article, identities: Identities) -> Article:
    """The article with final speaker ids; a turn whose speaker is "not a
    person" becomes a heading (short) or body paragraph."""
    paragraphs = []
    for p in article.paragraphs:
        speaker = identities.final(article.id, p.speaker)
        kind = p.kind
        label = p.label
        if p.kind is Kind.TURN and speaker is None:
            # Not a person: no longer a turn. The label stays, so restore_raw
            # can give the next update the same starting point.
            kind = Kind.HEADING if is_short(p.text, scale=2) else Kind.BODY
        quotes = tuple((f, n) for sid, n in p.quotes if (f := identities.final(article.id, sid)))
        guests = tuple((f, n, r) for sid, n, r in p.guests if (f := identities.final(article.id, sid)))
        named = tuple((f, n) for sid, n in p.named if (f := identities.final(article.id, sid)))
        paragraphs.append(replace(p, speaker=speaker, kind=kind, label=label, quotes=quotes, guests=guests,
                                  named=named))
    return replace(article, paragraphs=tuple(paragraphs))


def names_as_written(article: Article) -> Iterator[str]:
    """Every speaker name the article writes: turn labels, quoted and
    introduced names. (People only named are left out: an update that
    changes a file naming someone new stays incremental, and they keep the
    id their name gives until the next full update links them.)"""
    for p in article.paragraphs:
        if p.label:
            yield p.label
        yield from (name for _sid, name in p.quotes)
        yield from (name for _sid, name, _roles in p.guests)


def restore_raw(article: Article, resolve: Callable[[str], str]) -> Article:
    """Undo :func:`apply_identities` from what the paragraphs keep (labels and
    names as written), without parsing again. ``resolve`` maps a name as
    written to its first-pass id (registry id or ``unknown:<name>``).

    ``update`` uses it for unchanged files, so identities can be worked out
    afresh across the whole corpus at the cost of a dictionary lookup per name."""
    paragraphs = []
    speaker: str | None = None
    for p in article.paragraphs:
        if p.label and p.kind is not Kind.TURN:
            p = replace(p, kind=Kind.TURN, speaker="")  # a turn an override said is no person's
        if p.kind is Kind.TURN and p.label:
            speaker = resolve(p.label)
        elif p.kind is not Kind.BODY:
            speaker = None
        quotes: list[tuple[str, str]] = []
        last: tuple[str, str] | None = None  # (final id, first-pass id) of the previous quote
        for fid, name in p.quotes:
            rid = last[1] if last and last[0] == fid else resolve(name)  # a bracketed form shares its name's id
            quotes.append((rid, name))
            last = (fid, rid)
        paragraphs.append(
            replace(
                p,
                speaker=speaker if p.speaker is not None else None,
                quotes=tuple(quotes),
                guests=tuple((resolve(name), name, roles) for _sid, name, roles in p.guests),
                # places carried from another version are carried afresh (corpus.project)
                cities=tuple(c for c in p.cities if c not in p.carried),
                mentions=tuple(m for m in p.mentions if m[0] not in p.carried),
                carried=(),
            )
        )
    return replace(article, paragraphs=tuple(paragraphs))
