"""Are two articles versions of one text? The model-free evidence, and
the candidates worth asking about.

Two articles in different languages are versions of one another when their
anchors agree across the whole text, not just their topic: a document-level
score (numbers, entities, Latin tokens, speaker turns, paragraph counts and
length against the pair's expected ratio) times the share of aligned
paragraph pairs that share an anchor. Candidates come from an inverted index
of the anchors, so a corpus is never compared all against all. Paragraph
alignment itself is :mod:`corpus.align`'s; the sentence encoder's evidence,
and the grouping into versions, :mod:`corpus.versions`'.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .align import CONTENT_KINDS, Features, align_features, content_length, significant, union
from .entities import UNKNOWN_PREFIX
from .models import Article

LINK_THRESHOLD = 0.5
CANDIDATES_PER_ARTICLE = 5


@dataclass(frozen=True)
class DocProfile:
    id: str
    lang: str
    numbers: frozenset[str]
    latin: frozenset[str]
    entities: Counter[str]
    turns: tuple[str, ...]
    length: int
    paragraphs: int
    features: tuple[Features, ...] = field(repr=False)

    @classmethod
    def of(cls, a: Article) -> DocProfile:
        feats = tuple(Features.of(p, a.lang) for p in a.paragraphs)
        content = [f for f in feats if f.kind in CONTENT_KINDS]
        ents: Counter[str] = Counter()
        for f in content:
            ents.update(f.entities)
        return cls(
            id=a.id,
            lang=a.lang,
            numbers=significant(union(content, "numbers")),
            latin=union(content, "latin"),
            entities=ents,
            turns=tuple(f.speaker for f in content if f.speaker and not f.speaker.startswith(UNKNOWN_PREFIX)),
            length=content_length(feats),
            paragraphs=len(content),
            features=feats,
        )


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float | None:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else None


def _weighted_jaccard(a: Counter[str], b: Counter[str]) -> float | None:
    if not a or not b:
        return None
    keys = set(a) | set(b)
    return sum(min(a[k], b[k]) for k in keys) / sum(max(a[k], b[k]) for k in keys)


def _anchors(feats: Sequence[Features]) -> frozenset[str]:
    return significant(union(feats, "numbers")) | union(feats, "entities") | union(feats, "latin")


def _anchor_agreement(a: DocProfile, b: DocProfile) -> float | None:
    """Share of aligned content pairs, among those with a distinctive anchor,
    that share one. Anchors found in over a third of either article's
    paragraphs (the city the whole story is about) say nothing here."""
    common: set[str] = set()
    for prof in (a, b):
        content = [f for f in prof.features if f.kind in CONTENT_KINDS]
        df = Counter(x for f in content for x in _anchors([f]))
        common |= {x for x, count in df.items() if count > max(2, len(content) / 3)}
    with_anchor = agree = 0
    for si, ti, _cost in align_features(a.features, b.features):
        if not si or not ti:
            continue
        fa, fb = [a.features[k] for k in si], [b.features[k] for k in ti]
        if any(f.kind not in CONTENT_KINDS for f in (*fa, *fb)):
            continue
        anchors_a, anchors_b = _anchors(fa) - common, _anchors(fb) - common
        if anchors_a or anchors_b:
            with_anchor += 1
            agree += bool(anchors_a & anchors_b)
    return agree / with_anchor if with_anchor >= 3 else None


def length_fit(observed: float, expected: float) -> float:
    """1 when a length ratio is within a factor of 1.5 of the one expected
    for the two languages, less the further it is (machine translations run
    long, so the allowance is generous)."""
    return math.exp(-max(0.0, abs(math.log(observed / expected)) - math.log(1.5)))


def version_score(a: DocProfile, b: DocProfile, lengths: Mapping[str, float]) -> float:
    """0..1: how sure we are that ``a`` and ``b`` are one text in two languages."""
    if a.lang == b.lang or not a.length or not b.length:
        return 0.0
    parts: list[tuple[float, float | None]] = [
        (3.0, _jaccard(a.numbers, b.numbers)),
        (2.0, _weighted_jaccard(a.entities, b.entities)),
        (1.0, _jaccard(a.latin, b.latin) if a.lang != "en" and b.lang != "en" else None),
        (1.0, min(a.paragraphs, b.paragraphs) / max(a.paragraphs, b.paragraphs)),
    ]
    if len(a.turns) >= 2 and len(b.turns) >= 2:
        parts.append((2.0, SequenceMatcher(a=a.turns, b=b.turns, autojunk=False).ratio()))
    if a.lang in lengths and b.lang in lengths:
        expected = lengths[b.lang] / lengths[a.lang]
        observed = b.length / a.length
        parts.append((1.0, length_fit(observed, expected)))
    if all(v is None for _, v in parts[:3]):
        return 0.0  # no anchor at all: length alone proves nothing
    got = [(w, v) for w, v in parts if v is not None]
    base = sum(w * v for w, v in got) / sum(w for w, _ in got)
    if base < LINK_THRESHOLD:
        return round(base, 3)  # the agreement factor is at most 1: no need to align
    agreement = _anchor_agreement(a, b)
    if agreement is None:
        return round(base, 3)
    return round(base * (0.4 + 0.6 * agreement), 3)


def pair_score(a: Article, b: Article, lengths: Mapping[str, float]) -> float:
    """:func:`version_score` of two articles."""
    return version_score(DocProfile.of(a), DocProfile.of(b), lengths)


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    confidence: float
    declared: bool  # from the manifest


def version_profiles(articles: Iterable[Article], declared: Mapping[str, tuple[str, ...]]) -> dict[str, DocProfile]:
    """Profiles of the articles that version detection pairs (not those whose
    versions the manifest declares)."""
    return {a.id: DocProfile.of(a) for a in articles if a.id not in declared}


def anchor_keys(prof: DocProfile) -> frozenset[str]:
    """What a candidate version must share: numbers, Latin tokens, entities."""
    return prof.numbers | prof.latin | frozenset(prof.entities)


ANCHOR_DF_LIMIT = 50  # an anchor shared by more articles than this is a topic, not a version


def anchor_candidates(
    seeds: Mapping[str, DocProfile],
    holders: Callable[[str], Sequence[str] | None],
    eligible: Callable[[str, str], bool],
) -> set[tuple[str, str]]:
    """For each seed, the few articles (:data:`CANDIDATES_PER_ARTICLE`) that
    share the most distinctive anchors with it and that ``eligible(seed,
    other)`` allows, as ``(a, b)`` pairs with ``a < b``. ``holders(key)``
    lists every article with that anchor (the seed too), or None when too
    many have it; an anchor held by more than :data:`ANCHOR_DF_LIMIT` is a
    topic, not a version. Through an inverted index (``holders``), so a
    large corpus is not compared all against all, and each article keeping
    its best few makes the work grow with the corpus, not with its square.
    A rebuild and an update find their candidates here."""
    out: set[tuple[str, str]] = set()
    for aid, prof in seeds.items():
        shared: Counter[str] = Counter()
        for key in anchor_keys(prof):
            ids = holders(key)
            if ids is None or len(ids) > ANCHOR_DF_LIMIT:
                continue
            shared.update(o for o in ids if o != aid and eligible(aid, o))
        for other, _count in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES_PER_ARTICLE]:
            out.add((min(aid, other), max(aid, other)))
    return out


def candidates(profiles: Mapping[str, DocProfile]) -> list[tuple[str, str]]:
    """Pairs in different languages that share distinctive anchors, among
    all the profiled articles (a rebuild's :func:`anchor_candidates`)."""
    postings: dict[str, list[str]] = {}
    for pid, prof in profiles.items():
        for key in anchor_keys(prof):
            postings.setdefault(key, []).append(pid)
    return sorted(anchor_candidates(profiles, postings.get, lambda a, b: profiles[a].lang != profiles[b].lang))


def groups(ids: Iterable[str], links: Iterable[Link]) -> dict[str, tuple[str, ...]]:
    """Each id's other versions: connected components of the links."""
    adj: dict[str, set[str]] = {i: set() for i in ids}
    for lk in links:
        if lk.a in adj and lk.b in adj:
            adj[lk.a].add(lk.b)
            adj[lk.b].add(lk.a)
    out: dict[str, tuple[str, ...]] = {}
    for start in adj:
        seen, stack = {start}, [start]
        while stack:
            for nxt in adj[stack.pop()] - seen:
                seen.add(nxt)
                stack.append(nxt)
        out[start] = tuple(sorted(seen - {start}))
    return out
