"""Two language versions of an article: align them paragraph by paragraph, flag divergence.

Pure functions over parsed :class:`Article` models; no Whoosh, no Textual.

Evidence that crosses scripts
    Numbers (digits survive translation), Latin tokens left in a non-Latin
    text (CEO, MIT, CUHK), gazetteer and registry ids of the cities and people
    named, the speaker of each interview turn, and length.

Alignment
    Dynamic programming over beads 1-1, 1-0, 0-1, 2-1, 1-2, 3-1 and 1-3, as in
    Gale & Church (1993), with two changes that matter across scripts: lengths
    are normalised by the pair's own total length ratio (a raw character ratio
    collapses when Chinese is involved), and shared anchors lower a bead's cost
    while a conflicting speaker raises it. Boilerplate aligns to nothing unless
    both sides have it.

Whether two articles are versions at all is :mod:`corpus.evidence`'s question.
"""

from __future__ import annotations

import math
import pickle
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, overload

from .entities import UNKNOWN_PREFIX
from .models import Article, Kind, Paragraph
from .text import script_of, words

_DIGITS = {ord(c): str(unicodedata.digit(c)) for c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}
_NUMBER = re.compile(r"\d+(?:[.,،٫]\d+)*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,،٬ ]\d{3})+$")
_SKIPPED_KINDS = (Kind.BOILERPLATE,)
CONTENT_KINDS = (Kind.BODY, Kind.TURN, Kind.HEADING, Kind.TITLE)

# Bead shapes and their prior cost (-log p, after Gale & Church's counts).
_BEADS: dict[tuple[int, int], float] = {
    (1, 1): 0.0,
    (1, 0): 0.0,  # skips are priced per paragraph kind, below
    (0, 1): 0.0,
    (2, 1): 2.3,
    (1, 2): 2.3,
    (3, 1): 4.5,
    (1, 3): 4.5,
}
_SKIP_COST = {
    Kind.BOILERPLATE: 0.2,
    Kind.META: 2.5,
    Kind.TITLE: 4.0,
    Kind.HEADING: 5.0,
    Kind.BODY: 6.0,
    Kind.TURN: 7.0,
}
# Kinds that may share one side of a 2-1 or 1-2 bead.
_GROUP = {Kind.BODY: Kind.BODY, Kind.TURN: Kind.BODY, Kind.HEADING: Kind.BODY}
_VARIANCE = 6.8  # Gale & Church's s², characters


def numbers(text: str) -> frozenset[str]:
    """Numbers as written with any digits: thousands separators dropped,
    leading zeros dropped, a decimal comma read as a point."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    out = set()
    for raw in _NUMBER.findall(text):
        if _THOUSANDS.match(raw):
            out.add(re.sub(r"\D", "", raw).lstrip("0") or "0")
            continue
        for part in re.split(r"[.,،٫](?=\d{4,})", raw):  # "2020.05" is two numbers
            part = re.sub(r"[,،٫]", ".", part)
            out.add(part.lstrip("0") or "0")
    return frozenset(out)


def latin_tokens(text: str, lang: str) -> frozenset[str]:
    """Latin-script tokens that a translation tends to keep: every Latin word in
    a text whose own script is not Latin; acronyms and alphanumerics otherwise."""
    own_latin = script_of(lang_sample(lang)) == "latin"
    out = set()
    for w, _, _ in words(text):
        if script_of(w) != "latin" or not any(ch.isalpha() for ch in w) or len(w) < 2:
            continue
        if not own_latin or (w.isupper() and len(w) >= 2) or any(ch.isdigit() for ch in w):
            out.add(w.lower())
    return frozenset(out)


def lang_sample(lang: str) -> str:
    """A letter in the main script of ``lang`` (for script checks by language code)."""
    return {"zh": "中", "ja": "中", "ar": "ع", "fa": "ع", "ru": "я", "uk": "я", "bg": "я"}.get(lang, "a")


@dataclass(frozen=True)
class Features:
    kind: Kind
    length: int
    numbers: frozenset[str]
    latin: frozenset[str]
    entities: frozenset[str]
    speaker: str | None

    @classmethod
    def of(cls, p: Paragraph, lang: str) -> Features:
        ents = {f"city:{c}" for c in p.own_cities} | {f"person:{x}" for x in p.people}
        speaker = p.speaker if p.kind is Kind.TURN else None
        if speaker and not speaker.startswith(UNKNOWN_PREFIX):
            ents.add(f"person:{speaker}")
        return cls(
            kind=p.kind,
            length=max(1, sum(1 for ch in p.text if not ch.isspace())),
            numbers=numbers(p.text),
            latin=latin_tokens(p.text, lang),
            entities=frozenset(ents),
            speaker=speaker,
        )


def content_length(feats: Sequence[Features]) -> int:
    return sum(f.length for f in feats if f.kind in CONTENT_KINDS)


# -- alignment ----------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """A divergence between aligned paragraphs: ``type`` is number, city,
    person or omitted; ``only_in`` is source or target."""

    type: str
    value: str
    only_in: str

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type, "value": self.value, "only_in": self.only_in}

    def describe(self, source: str = "source", target: str = "target") -> str:
        """``city guangdong only in target``; with names for the two sides,
        ``city guangdong only in ar (000)``."""
        side = source if self.only_in == "source" else target
        if self.type == "omitted":
            return f"paragraph only in {side}"
        return f"{self.type} {self.value} only in {side}"


@dataclass(frozen=True)
class Bead:
    source: tuple[int, ...]  # paragraph numbers (1-based)
    target: tuple[int, ...]
    score: float  # 0..1, how sure the aligner is of this bead
    flags: tuple[Flag, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": list(self.source),
            "target": list(self.target),
            "score": self.score,
            "flags": [f.to_dict() for f in self.flags],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Bead:
        return cls(
            tuple(d["source"]),
            tuple(d["target"]),
            float(d["score"]),
            tuple(Flag(f["type"], f["value"], f["only_in"]) for f in d.get("flags", ())),
        )

    def flipped(self) -> Bead:
        swap = {"source": "target", "target": "source"}
        return Bead(
            self.target, self.source, self.score, tuple(Flag(f.type, f.value, swap[f.only_in]) for f in self.flags)
        )


@dataclass(frozen=True)
class Alignment:
    source: str
    target: str
    confidence: float  # that the two articles are versions of one another
    beads: tuple[Bead, ...]
    method: str = "anchors+length"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "confidence": self.confidence,
            "method": self.method,
            "pairs": [b.to_dict() for b in self.beads],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Alignment:
        return cls(
            d["source"],
            d["target"],
            float(d["confidence"]),
            tuple(Bead.from_dict(b) for b in d["pairs"]),
            d.get("method", ""),
        )

    def flipped(self) -> Alignment:
        return Alignment(self.target, self.source, self.confidence, tuple(b.flipped() for b in self.beads), self.method)

    def counterpart(self, n: int) -> tuple[int, ...]:
        """Target paragraphs aligned with source paragraph ``n`` (may be empty)."""
        for b in self.beads:
            if n in b.source:
                return b.target
        return ()

    def nearest(self, n: int) -> int | None:
        """The target paragraph to show beside source paragraph ``n``: its
        counterpart, or the counterpart of the closest aligned paragraph before it."""
        best: int | None = None
        for b in self.beads:
            if b.source and b.target and min(b.source) <= n:
                best = b.target[0]
            if n in b.source:
                return b.target[0] if b.target else best
        return best


class Aligned(Sequence[Alignment]):
    """Alignments kept pickled and compressed, each made again when read: a
    build holds one per link until it has stored them, about 380 bytes
    each, where the objects (ten beads and their flags) take 4.3 KB."""

    def __init__(self, packed: Iterable[bytes] = ()) -> None:
        self._packed = list(packed)

    @classmethod
    def of(cls, alignments: Iterable[Alignment]) -> Aligned:
        return cls(map(pack, alignments))

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, i: int) -> Alignment: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Alignment]: ...
    def __getitem__(self, i: int | slice) -> Alignment | Sequence[Alignment]:
        if isinstance(i, slice):
            return [unpack(b) for b in self._packed[i]]
        return unpack(self._packed[i])

    def __iter__(self) -> Iterator[Alignment]:
        return map(unpack, self._packed)


def pack(alignment: Alignment) -> bytes:
    """An alignment as :class:`Aligned` keeps it (what a worker returns)."""
    return zlib.compress(pickle.dumps(alignment, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes) -> Alignment:
    found: Alignment = pickle.loads(zlib.decompress(blob))  # noqa: S301 - packed by this build's own processes
    return found


def union(feats: Sequence[Features], attr: str) -> frozenset[str]:
    if len(feats) == 1:  # a 1-1 bead, the most common: no new set
        one: frozenset[str] = getattr(feats[0], attr)
        return one
    out: set[str] = set()
    for f in feats:
        out |= getattr(f, attr)
    return frozenset(out)


@lru_cache(maxsize=65536)  # the same paragraphs' numbers are compared across the whole band
def significant(nums: frozenset[str]) -> frozenset[str]:
    """Numbers worth flagging: two or more digits (a lone digit is as often
    spelt out in words: 三, three, drei)."""
    return frozenset(n for n in nums if sum(ch.isdigit() for ch in n) >= 2)


def _pair_cost(src: Sequence[Features], tgt: Sequence[Features], ratio: float) -> float:
    l1 = sum(f.length for f in src) * ratio
    l2 = sum(f.length for f in tgt)
    delta = (l2 - l1) / math.sqrt(max(1.0, (l1 + l2) / 2) * _VARIANCE)
    cost = -math.log(max(math.erfc(abs(delta) / math.sqrt(2)), 1e-9))
    nums_a, nums_b = union(src, "numbers"), union(tgt, "numbers")
    ents_a, ents_b = union(src, "entities"), union(tgt, "entities")
    lat_a, lat_b = union(src, "latin"), union(tgt, "latin")
    shared = len(nums_a & nums_b) + len(ents_a & ents_b) + 0.5 * len(lat_a & lat_b)
    differ = len(significant(nums_a) ^ significant(nums_b)) + 0.5 * len(ents_a ^ ents_b)
    cost += -2.0 * min(shared, 4.0) + 0.4 * min(differ, 6.0)
    s1, s2 = src[0], tgt[0]
    if s1.kind is Kind.TURN and s2.kind is Kind.TURN:
        if s1.speaker == s2.speaker:
            cost -= 3.0
        elif not _unknown(s1.speaker) and not _unknown(s2.speaker):
            cost += 8.0  # two known, different people
        # an unregistered name cannot be compared across scripts here
    elif (s1.kind is Kind.TURN) != (s2.kind is Kind.TURN):
        cost += 2.0
    for side in (src, tgt):
        if len(side) > 1 and len({_GROUP.get(f.kind, f.kind) for f in side}) > 1:
            cost += 5.0  # a dateline or counter is not half of a translated paragraph
    if any(f.kind is Kind.TURN for f in (*src[1:], *tgt[1:])):
        cost += 6.0  # a new turn starts a new bead
    boiler_a = any(f.kind in _SKIPPED_KINDS for f in src)
    boiler_b = any(f.kind in _SKIPPED_KINDS for f in tgt)
    if boiler_a != boiler_b:
        cost += 10.0
    elif boiler_a:
        cost += 1.0
    return cost


def _unknown(speaker: str | None) -> bool:
    return speaker is None or speaker.startswith(UNKNOWN_PREFIX)


def _flags(src: Sequence[Features], tgt: Sequence[Features]) -> tuple[Flag, ...]:
    if not src or not tgt:
        side, feats = ("source", src) if src else ("target", tgt)
        return (Flag("omitted", "", side),) if feats[0].kind in (Kind.BODY, Kind.TURN) else ()
    if any(f.kind is Kind.BOILERPLATE for f in (*src, *tgt)):
        return ()
    out: list[Flag] = []
    for attr, kinds in (("numbers", ("number",)), ("entities", ("city", "person"))):
        a, b = union(src, attr), union(tgt, attr)
        if attr == "numbers":
            a, b = significant(a), significant(b)
        for side, only in (("source", a - b), ("target", b - a)):
            for value in sorted(only):
                kind, _, name = value.partition(":") if attr == "entities" else ("number", "", value)
                if kind in kinds:
                    out.append(Flag(kind, name, side))
    return tuple(out)


BAND_MAX = 80  # paragraphs either side of the diagonal, at most (beyond the lengths' difference)


def _band(n: int, m: int) -> int:
    """How far from the diagonal a bead may lie: an eighth of the
    paragraphs, at least 40, at most :data:`BAND_MAX` more than the
    difference in length, so that aligning two long reports costs time in
    proportion to their length, not to its square (1,500 paragraphs a side
    took a minute)."""
    return max(40, abs(n - m) + 20, min((n + m) // 8, BAND_MAX))


def align_features(
    src: Sequence[Features], tgt: Sequence[Features]
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """The cheapest bead sequence, as ``(source indexes, target indexes, cost)``
    with 0-based indexes. Banded around the diagonal for long articles."""
    n, m = len(src), len(tgt)
    ratio = content_length(tgt) / max(1, content_length(src)) if src and tgt else 1.0
    band = _band(n, m)
    inf = float("inf")
    cost: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, float]] = {}
    for i in range(n + 1):
        centre = i * m / n if n else 0
        lo, hi = max(0, int(centre - band)), min(m, int(centre + band) + 1)
        for j in range(lo, hi + 1):
            if i == j == 0:
                continue
            best, arg = inf, None
            for (di, dj), prior in _BEADS.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or (pi, pj) not in cost:
                    continue
                if di == 0:
                    step = _SKIP_COST[tgt[pj].kind]
                elif dj == 0:
                    step = _SKIP_COST[src[pi].kind]
                else:
                    step = prior + _pair_cost(src[pi:i], tgt[pj:j], ratio)
                total = cost[(pi, pj)] + step
                if total < best:
                    best, arg = total, (pi, pj, step)
            if arg is not None:
                cost[(i, j)] = best
                back[(i, j)] = arg
    out = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, step = back[(i, j)]
        out.append((tuple(range(pi, i)), tuple(range(pj, j)), step))
        i, j = pi, pj
    return out[::-1]


def _bead_score(cost: float) -> float:
    return round(1.0 / (1.0 + math.exp(cost - 3.0)), 3)


def align(source: Article, target: Article, confidence: float = 1.0) -> Alignment:
    """Align the paragraphs of two versions of one article."""
    fs = [Features.of(p, source.lang) for p in source.paragraphs]
    ft = [Features.of(p, target.lang) for p in target.paragraphs]
    beads = []
    for si, ti, cost in align_features(fs, ft):
        a, b = [fs[k] for k in si], [ft[k] for k in ti]
        beads.append(
            Bead(
                tuple(k + 1 for k in si),
                tuple(k + 1 for k in ti),
                _bead_score(cost) if si and ti else 0.0,
                _flags(a, b),
            )
        )
    return Alignment(source.id, target.id, round(confidence, 3), tuple(beads))
