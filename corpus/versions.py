"""Version groups: which articles are one text in several languages.

A group holds at most one article per language (unless the manifest says
otherwise), and it is consistent: every member is a version of every other.
Detection proceeds in three steps:

1. **Candidates.** Pairs in different languages that share a distinctive
   anchor (numbers, Latin tokens, entities: :func:`corpus.align.anchor_candidates`)
   and, when the sentence encoder is on, pairs that are each other's nearest
   article in their two languages by the vector of their openings
   (:mod:`corpus.meaning`). Only these, and pairs whose model-free evidence
   is already fair, are verified: the encoder's time goes where it decides.
2. **Confidence.** The model-free score (:func:`corpus.evidence.version_score`)
   and, with the encoder, a verification that reads the first paragraphs of
   both articles: translations match paragraph by paragraph along the
   diagonal, articles on one topic only in general (:func:`verify`), weighed
   by how well their lengths agree. A logistic curve fitted on real
   translations turns both into one confidence (:func:`_confidence`).
3. **Assignment.** Pairs are taken strongest first. A pair is refused when
   either article already has a partner in the other's language, and two
   groups are joined only when every member of one is a version of every
   member of the other (no chaining of weak links).

Analyst corrections (``overrides.yaml``: ``versions: {link, unlink}``) and
the manifest's ``translations`` come before detection and win over it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import meaning
from .evidence import LINK_THRESHOLD, DocProfile, Link, candidates, length_fit, version_score
from .knowledge import VersionOverrides
from .models import Article

VERIFY_CHEAP = 0.3  # a model-free score from which a pair is worth verifying though not mutually nearest
# What two unrelated news paragraphs in two languages score with this model
# (0.18-0.26 measured across language pairs). A constant, not a statistic of
# the folder, so that a pair scores the same in a rebuild and in an update.
UNRELATED = 0.2
AGREE = LINK_THRESHOLD  # what each cross pair of two groups must reach for them to join


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


# -- verification -------------------------------------------------------------


def _monotone_gain(sim: np.ndarray) -> float:
    """Best total similarity of a monotone paragraph alignment (1-1, 1-2, 2-1
    beads, skips free), per paragraph of the two articles on average."""
    n, m = sim.shape
    best = np.zeros((n + 1, m + 1), dtype=np.float64)
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            v = -math.inf
            if i:
                v = max(v, best[i - 1, j])
            if j:
                v = max(v, best[i, j - 1])
            if i and j:
                v = max(v, best[i - 1, j - 1] + sim[i - 1, j - 1])
            if i and j > 1:
                v = max(v, best[i - 1, j - 2] + sim[i - 1, j - 1] + sim[i - 1, j - 2])
            if i > 1 and j:
                v = max(v, best[i - 2, j - 1] + sim[i - 1, j - 1] + sim[i - 2, j - 1])
            best[i, j] = v
    return float(best[n, m]) / ((n + m) / 2)


def verify(a: np.ndarray, b: np.ndarray, base: float) -> float:
    """0..1: how much the paragraph samples ``a`` and ``b`` (rows of unit
    vectors, in reading order) read as one text. Two parts, multiplied:

    - *gain*: the similarity along the best monotone alignment, above
      ``base`` (what two unrelated paragraphs score), scaled so that a perfect match is 1;
    - *diagonality*: the share of ``a``'s paragraphs whose best match in
      ``b`` sits where the order of the text puts it.

    Two stories on one topic can score a fair gain, but their best matches
    fall anywhere; a translation's fall on the diagonal."""
    if not len(a) or not len(b):
        return 0.0
    sim = a @ b.T - base
    gain = max(0.0, _monotone_gain(sim)) / max(1e-6, 1.0 - base)
    n, m = sim.shape
    expected = np.arange(n) * ((m - 1) / (n - 1) if n > 1 else 0.0)
    near = float(np.mean(np.abs(sim.argmax(axis=1) - expected) <= max(1.0, m / n)))
    return min(1.0, gain) * near


def _confidence(cheap: float, verified: float | None) -> float:
    """One confidence from the two kinds of evidence. Without the encoder it
    is the model-free score. With it, a logistic curve over the verification
    and the model-free score, fitted (maximum likelihood) on every pair
    detection weighed in development folders of real translations, so that
    links shown at 0.9 are right about nine times in ten there."""
    if verified is None:
        return cheap
    z = LOGIT_BIAS + LOGIT_VERIFIED * verified + LOGIT_CHEAP * cheap
    return round(1.0 / (1.0 + math.exp(-z)), 3)


# Fitted on build-folder seeds 1-6 of the development translations (2,819
# pairs, 32% true); tests and the note measure other seeds.
LOGIT_BIAS = -15.08
LOGIT_VERIFIED = 37.29
LOGIT_CHEAP = 6.57
VERIFY_MID = -LOGIT_BIAS / LOGIT_VERIFIED  # the verification at which, alone, a pair is even odds


# -- evidence per build ---------------------------------------------------------


# Similarities of opening vectors closer than this are one: products of
# differently placed (or shaped) matrices differ in their last float32 bits,
# about 1e-6 here, and two copies of a text must tie however they are placed.
SAME_SIMILARITY = 2e-6
QUERY_ROWS = 4096  # articles per block of :meth:`Evidence.nearest`, of rows and of columns (64 MB of float32)


class Nearest(Mapping[tuple[str, str], tuple[str, float]]):
    """:meth:`Evidence.nearest`'s answers, ``(id, language) -> (nearest
    article of that language, similarity rounded to 6 places)``, kept as the
    arrays they were worked out in: per pair of languages, each asking
    article's nearest as a position among the other language's articles
    and its similarity, 12 bytes an answer. (A dict of tuples held about 500
    bytes an article: 150 MB at 300,000 articles, all through the build.)"""

    def __init__(self, rows: list[str], langs: Mapping[str, str], by_lang: Mapping[str, list[str]],
                 found: Mapping[tuple[str, str], tuple[np.ndarray, np.ndarray]]) -> None:
        self._rows, self._langs, self._by_lang, self._found = rows, langs, by_lang, found
        per_lang: dict[str, int] = defaultdict(int)
        self._at: dict[str, int] = {}  # each asking article's row among its language's
        for aid in rows:
            lang = langs[aid]
            self._at[aid] = per_lang[lang]
            per_lang[lang] += 1
        self._len = sum(n for lang, n in per_lang.items() for other in by_lang if other != lang)

    def __getitem__(self, key: tuple[str, str]) -> tuple[str, float]:
        aid, lang = key
        row = self._at.get(aid)
        if row is None or self._langs[aid] == lang or lang not in self._by_lang:
            raise KeyError(key)
        best, where = self._found[(self._langs[aid], lang)]
        return self._by_lang[lang][int(where[row])], round(float(best[row]), 6)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for lang in self._by_lang:
            for aid in self._rows:
                if self._langs[aid] != lang:
                    yield aid, lang

    def __len__(self) -> int:
        return self._len


class Leads(Mapping[str, np.ndarray]):
    """Opening vectors by article id, in one float16 matrix: 1 KB an article.
    (A dict of float32 arrays held 2 KB and a numpy object each, and the
    nearest-neighbour search stacked them again per language.) Reading one
    gives it as float32; :meth:`block` gives many at once."""

    def __init__(self, leads: Mapping[str, np.ndarray] | Iterable[tuple[str, np.ndarray]] = ()) -> None:
        self._row: dict[str, int] = {}
        self._mat = np.zeros((0, meaning.DIM), dtype=np.float16)
        pairs = iter(leads.items() if isinstance(leads, Mapping) else leads)
        while batch := list(itertools.islice(pairs, 4096)):  # never every vector as float32 at once
            self.put([aid for aid, _ in batch], np.stack([v for _, v in batch]))

    def put(self, ids: Sequence[str], vecs: np.ndarray) -> None:
        """Add (or replace) the vectors of ``ids``, one row of ``vecs`` each."""
        new = [i for i in dict.fromkeys(ids) if i not in self._row]
        need = len(self._row) + len(new)
        if need > len(self._mat):  # room to grow: rows of np.zeros not yet written take no memory
            grown = np.zeros((max(need, 2 * len(self._mat), 1024), meaning.DIM), dtype=np.float16)
            grown[:len(self._row)] = self._mat[:len(self._row)]
            self._mat = grown
        first = len(self._row)
        self._row.update(zip(new, range(first, need), strict=True))
        if len(new) == len(ids):  # all new and distinct, as read from a store: rows in order
            self._mat[first:need] = vecs  # (as float16)
        elif len(ids):
            self._mat[self.rows(ids)] = vecs

    def rows(self, ids: Iterable[str]) -> np.ndarray:
        return np.fromiter((self._row[i] for i in ids), dtype=np.int64)

    def blocks(self, size: int) -> Iterator[tuple[list[str], np.ndarray]]:
        """``(ids, float16 rows)``, ``size`` at a time in the order they were first put."""
        ids = list(self._row)  # in the order of their rows
        for start in range(0, len(ids), size):
            stop = min(len(ids), start + size)
            yield ids[start:stop], self._mat[start:stop]

    def block(self, rows: np.ndarray) -> np.ndarray:
        return self._mat[rows].astype(np.float32)

    def product(self, q: np.ndarray) -> np.ndarray:
        """Every vector's similarity with each row of ``q`` (float32): rows in
        the matrix's order, a column per row of ``q``. One pass over the
        matrix, converted a contiguous block at a time."""
        n = len(self._row)
        out = np.empty((n, len(q)), dtype=np.float32)
        for start in range(0, n, QUERY_ROWS):
            stop = min(n, start + QUERY_ROWS)
            out[start:stop] = self._mat[start:stop].astype(np.float32) @ q.T
        return out

    def __getitem__(self, aid: str) -> np.ndarray:
        return self._mat[self._row[aid]].astype(np.float32)

    def __contains__(self, aid: object) -> bool:
        return aid in self._row

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


class Evidence:
    """The vectors of one detection run, made once per article and only when
    needed: an opening vector for every article that detection pairs, and a
    paragraph sample for those in a pair that must be verified. ``embed``
    turns texts into vectors (:func:`corpus.meaning.embed`, or the same spread
    over worker processes)."""

    def __init__(self, articles: Callable[[str], Article | None], langs: Mapping[str, str],
                 lengths: Mapping[str, float], leads: Mapping[str, np.ndarray] | None = None,
                 embed: Callable[[Sequence[str]], np.ndarray] = meaning.embed) -> None:
        self._article = articles
        self._lengths = lengths
        self._embed = embed
        self.langs = dict(langs)
        self.leads = leads if isinstance(leads, Leads) else Leads(leads or {})
        self._samples: dict[str, np.ndarray] = {}

    def embed_leads(self, ids: Iterable[str]) -> None:
        todo = [i for i in ids if i not in self.leads]
        texts = []
        for aid in todo:
            art = self._article(aid)
            texts.append(meaning.lead_text(art, self._lengths) if art is not None else "")
        if todo:
            # Kept at float16 (as the index keeps them), so that a rebuild
            # and an update that reads them back score alike.
            self.leads.put(todo, self._embed(texts))

    def samples(self, ids: Iterable[str]) -> None:
        """Embed the paragraph samples of ``ids`` (one batch)."""
        todo = [i for i in dict.fromkeys(ids) if i not in self._samples]
        texts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        for aid in todo:
            art = self._article(aid)
            got = meaning.sample_texts(art, self._lengths) if art is not None else []
            spans.append((aid, len(texts), len(texts) + len(got)))
            texts.extend(got)
        vecs = self._embed(texts) if texts else np.zeros((0, meaning.DIM), dtype=np.float32)
        for aid, s, e in spans:
            self._samples[aid] = vecs[s:e]

    def verify(self, a: str, b: str) -> float:
        self.samples([a, b])
        return verify(self._samples[a], self._samples[b], UNRELATED)

    def against(self, probes: Sequence[str]) -> Against:
        """:meth:`nearest` and :meth:`best_of` for questions about a few
        articles (``probes``, all with opening vectors) and all the others,
        from one pass over the matrix."""
        return Against(self.leads, self.langs, probes)

    def nearest(self, ids: Sequence[str], among: Iterable[str]) -> Mapping[tuple[str, str], tuple[str, float]]:
        """``(id, language) -> (nearest article of that language, similarity)``
        for each of ``ids`` and every other language of ``among`` (a
        :class:`Nearest`, or {} when none of ``ids`` has a vector), by opening
        vector (see :meth:`best_of`). Only languages other than an article's
        own are compared, and where two languages are asked about each other
        among the same articles (a rebuild asks every article among all),
        one product of their two blocks answers both ways."""
        rows = [i for i in dict.fromkeys(ids) if i in self.leads]
        if not rows:
            return {}
        by_lang: dict[str, list[str]] = defaultdict(list)
        for o in dict.fromkeys(among):
            if o in self.leads:
                by_lang[self.langs[o]].append(o)
        asked: dict[str, list[str]] = defaultdict(list)
        for aid in rows:
            asked[self.langs[aid]].append(aid)
        found: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}  # (asking, asked in) -> best, where
        for a, mine in asked.items():
            for b, others in by_lang.items():
                if a == b or (a, b) in found:
                    continue
                if asked.get(b) == others and by_lang.get(a) == mine:
                    found[(a, b)], found[(b, a)] = self._both(self.leads.rows(mine), self.leads.rows(others))
                else:
                    found[(a, b)] = self._best(self.leads.rows(mine), self.leads.rows(others))
        return Nearest(rows, self.langs, by_lang, found)

    def best_of(self, ids: Sequence[str], among: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``ids`` (all with opening vectors), its most similar
        of ``among``: the similarities, and the positions in ``among`` (the
        first of equal maxima), as arrays."""
        return self._best(self.leads.rows(ids), self.leads.rows(among))

    def _best(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`best_of` by rows of the matrix: blocks of rows against
        blocks of columns (:data:`QUERY_ROWS` each), so that memory stays
        bounded whatever the corpus's size. Similarities within
        :data:`SAME_SIMILARITY` of the greatest are equal, and the first of
        them wins: two copies of a text (one vector) can differ in the last
        bits of a product by where they sit in it."""
        top = _Running(len(rows))
        for start in range(0, len(rows), QUERY_ROWS):
            q = self.leads.block(rows[start:start + QUERY_ROWS])
            for c0 in range(0, len(cols), QUERY_ROWS):
                top.fold(q @ self.leads.block(cols[c0:c0 + QUERY_ROWS]).T, start, c0)
        return top.best, top.where

    def _both(self, rows: np.ndarray, cols: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray],
                                                                  tuple[np.ndarray, np.ndarray]]:
        """``_best(rows, cols)`` and ``_best(cols, rows)`` from one product
        of each block of rows with each block of columns: the blocks come in
        the same order both ways, so each answer is the one its own search
        gives (within float32's last bits)."""
        down, across = _Running(len(rows)), _Running(len(cols))
        for start in range(0, len(rows), QUERY_ROWS):
            q = self.leads.block(rows[start:start + QUERY_ROWS])
            for c0 in range(0, len(cols), QUERY_ROWS):
                sims = q @ self.leads.block(cols[c0:c0 + QUERY_ROWS]).T
                down.fold(sims, start, c0)
                across.fold_across(sims, start, c0)
        return (down.best, down.where), (across.best, across.where)


class _Running:
    """Each article's best so far over blocks of others met in order:
    within a block the first of the similarities within
    :data:`SAME_SIMILARITY` of its greatest; a later block wins only by
    more than that."""

    def __init__(self, n: int) -> None:
        self.best = np.full(n, -np.inf, dtype=np.float32)
        self.where = np.zeros(n, dtype=np.int64)
        self._most = np.full(n, -np.inf, dtype=np.float32)

    def fold(self, sims: np.ndarray, row0: int, col0: int) -> None:
        """Take in ``sims``, rows ``row0``.. (these articles) against columns ``col0``.. (the others)."""
        high, arg = _first_near_greatest(sims)
        self._keep(row0, high, arg, sims[np.arange(len(sims)), arg], col0)

    def fold_across(self, sims: np.ndarray, row0: int, col0: int) -> None:
        """Take in ``sims`` read by columns: columns ``col0``.. are these
        articles, rows ``row0``.. the others. (Numpy's argmax down the rows
        of a large block is slower than the product; the first row near
        each column's greatest is the least of their row numbers.)"""
        high = sims.max(axis=0)
        n = len(sims)
        numbers = np.arange(n, dtype=np.min_scalar_type(n))[:, None]
        arg = np.where(sims >= (high - SAME_SIMILARITY)[None, :], numbers, n).min(axis=0).astype(np.int64)
        self._keep(col0, high, arg, sims[arg, np.arange(sims.shape[1])], row0)

    def _keep(self, at0: int, high: np.ndarray, arg: np.ndarray, value: np.ndarray, offset: int) -> None:
        stop = at0 + len(high)
        top, at, most = self.best[at0:stop], self.where[at0:stop], self._most[at0:stop]  # views: written through
        better = high > most + SAME_SIMILARITY  # an equal one in a later block comes later
        top[better] = value[better]
        at[better] = arg[better] + offset
        np.maximum(most, high, out=most)


class Against:
    """The similarities of every opening vector with those of a few articles
    (the probes), worked out once, and the answers of :meth:`Evidence.nearest`
    and :meth:`Evidence.best_of` where each question has a probe on one
    side. Those convert the float16 rows they compare on every call, that
    is the whole matrix once per language; an update that compares its few
    new articles with all the others asks several such questions (memory:
    4 bytes per article and probe)."""

    def __init__(self, leads: Leads, langs: Mapping[str, str], probes: Sequence[str]) -> None:
        self._leads = leads
        self._langs = langs
        self._col = {aid: j for j, aid in enumerate(probes)}
        self._sims = leads.product(leads.block(leads.rows(probes))) if probes else np.zeros((len(leads), 0))
        self._among: Iterable[str] | None = None  # the articles last asked among, by language, with their rows
        self._groups: dict[str, tuple[list[str], np.ndarray]] = {}

    def nearest(self, ids: Sequence[str], among: Iterable[str]) -> dict[tuple[str, str], tuple[str, float]]:
        """As :meth:`Evidence.nearest`, for ``ids`` among the probes."""
        rows = [i for i in ids if i in self._leads]
        if not rows:
            return {}
        if among is not self._among:  # (an update asks twice among the same)
            by_lang: dict[str, list[str]] = defaultdict(list)
            for o in dict.fromkeys(among):
                if o in self._leads:
                    by_lang[self._langs[o]].append(o)
            self._among = among
            self._groups = {lang: (others, self._leads.rows(others)) for lang, others in by_lang.items()}
        out: dict[tuple[str, str], tuple[str, float]] = {}
        for lang, (others, at) in self._groups.items():
            asked = [aid for aid in rows if self._langs[aid] != lang]
            if not asked:
                continue
            sims = self._sims[at][:, [self._col[aid] for aid in asked]].T
            best, where = _first_best(sims)
            for r, aid in enumerate(asked):
                out[(aid, lang)] = (others[int(where[r])], round(float(best[r]), 6))
        return out

    def best_of(self, ids: Sequence[str], among: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`Evidence.best_of`, with ``among`` of the probes."""
        return _first_best(self._sims[self._leads.rows(ids)][:, [self._col[aid] for aid in among]])


def _first_best(sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's greatest similarity and its column: the first of those
    within :data:`SAME_SIMILARITY` of the greatest (as :meth:`Evidence._best`)."""
    if not sims.shape[1]:
        return np.full(len(sims), -np.inf, dtype=np.float32), np.zeros(len(sims), dtype=np.int64)
    _high, where = _first_near_greatest(sims)
    return sims[np.arange(len(sims)), where], where


def _first_near_greatest(sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's greatest similarity, and the first column within
    :data:`SAME_SIMILARITY` of it (two copies of a text tie: the first wins)."""
    high = sims.max(axis=1)
    return high, (sims >= (high - SAME_SIMILARITY)[:, None]).argmax(axis=1)


def mutual(nearest: Mapping[tuple[str, str], tuple[str, float]], langs: Mapping[str, str]) -> set[tuple[str, str]]:
    """Pairs that are each other's nearest in their languages: the pairs
    worth verifying."""
    return {pair_key(a, b) for (a, _lang), (b, _sim) in nearest.items()
            if nearest.get((b, langs[a]), ("", 0.0))[0] == a}


# -- detection ------------------------------------------------------------------


class Scorer:
    """The confidence of a pair, computed once. With the encoder, a pair is
    verified when it is in ``worth`` (mutual nearest by opening vector),
    when the model-free evidence is already fair (:data:`VERIFY_CHEAP`), or
    when ``force`` asks (the members of two groups about to be joined);
    otherwise the model-free score stands, and it is below the line."""

    def __init__(self, profiles: Callable[[str], DocProfile | None], lengths: Mapping[str, float],
                 evidence: Evidence | None, worth: Iterable[tuple[str, str]] = ()) -> None:
        self._profile = profiles
        self._lengths = lengths
        self.evidence = evidence
        self.worth = set(worth)
        self._cache: dict[tuple[str, str], float] = {}
        self._cheap: dict[tuple[str, str], float] = {}
        self.strength: dict[tuple[str, str], float] = {}

    def cheap(self, a: str, b: str) -> float:
        key = pair_key(a, b)
        if key not in self._cheap:
            pa, pb = self._profile(key[0]), self._profile(key[1])
            ok = pa is not None and pb is not None and pa.lang != pb.lang
            self._cheap[key] = version_score(pa, pb, self._lengths) if ok else -1.0  # type: ignore[arg-type]
        return self._cheap[key]

    def _length_agreement(self, a: str, b: str) -> float:
        """:func:`corpus.align.length_fit` of the two articles (languages the
        length table does not list count with the default ratio): the
        paragraph sample reads only their openings, and a short report and
        a long one on the same event can open alike."""
        pa, pb = self._profile(a), self._profile(b)
        if pa is None or pb is None or not pa.length or not pb.length:
            return 1.0
        expected = self._lengths.get(pb.lang, meaning.DEFAULT_RATIO) / self._lengths.get(pa.lang, meaning.DEFAULT_RATIO)
        return length_fit(pb.length / pa.length, expected)

    def needs_verifying(self, a: str, b: str) -> bool:
        return self.evidence is not None and (pair_key(a, b) in self.worth or self.cheap(a, b) >= VERIFY_CHEAP)

    def __call__(self, a: str, b: str, force: bool = False) -> float:
        key = pair_key(a, b)
        if key not in self._cache:
            cheap = self.cheap(*key)
            if cheap < 0:
                return 0.0
            if self.evidence is not None and (force or self.needs_verifying(*key)):
                shape = self._length_agreement(*key)
                verified = self.evidence.verify(*key) * shape
                self._cache[key] = _confidence(cheap, verified)
                self.strength[key] = verified + cheap / 1000  # orders pairs whose rounded confidences tie
            elif self.evidence is not None:
                return min(cheap, LINK_THRESHOLD - 0.001)  # unverified: never a link by itself
            else:
                self._cache[key] = cheap
        return self._cache[key]


def assign(candidates: Iterable[tuple[str, str]], langs: Mapping[str, str], score: Scorer,
           fixed: Iterable[Link] = (), overrides: VersionOverrides | None = None,
           threshold: float = LINK_THRESHOLD) -> list[Link]:
    """Links among ``candidates``, strongest first, under the group rules
    (module docstring). ``fixed`` links (the manifest's, the analyst's) are
    taken first, as they are."""
    overrides = overrides or VersionOverrides()
    group: dict[str, int] = {}
    members: dict[int, set[str]] = {}
    fresh = itertools.count()

    def gid(x: str) -> int:
        if x not in group:
            group[x] = next(fresh)
            members[group[x]] = {x}
        return group[x]

    def join(ga: int, gb: int) -> None:
        for x in members[gb]:
            group[x] = ga
        members[ga] |= members.pop(gb)

    out: dict[tuple[str, str], Link] = {}
    for lk in fixed:
        out[pair_key(lk.a, lk.b)] = lk
        ga, gb = gid(lk.a), gid(lk.b)
        if ga != gb:
            join(ga, gb)
    scored = []
    for a, b in set(candidates):
        if langs.get(a) == langs.get(b) or overrides.forbids(a, b) or pair_key(a, b) in out:
            continue
        conf = score(a, b)
        if conf >= threshold:
            scored.append((-conf, -getattr(score, "strength", {}).get(pair_key(a, b), 0.0), pair_key(a, b)))
    for neg, _strength, (a, b) in sorted(scored):
        ga, gb = gid(a), gid(b)
        if ga == gb:
            out[(a, b)] = Link(a, b, -neg, False)  # already one group: an extra alignment
            continue
        la = {langs[x] for x in members[ga]}
        lb = {langs[x] for x in members[gb]}
        if la & lb:
            continue  # two of one language
        cross = [pair_key(x, y) for x in members[ga] for y in members[gb] if pair_key(x, y) != (a, b)]
        if any(overrides.forbids(x, y) or score(x, y, True) < AGREE for x, y in cross):
            continue  # the members do not agree: no chaining
        out[(a, b)] = Link(a, b, -neg, False)
        for x, y in cross:  # every member is a version of every other: each pair gets its link
            out.setdefault((x, y), Link(x, y, score(x, y, True), False))
        join(ga, gb)
    return sorted(out.values(), key=lambda lk: (lk.a, lk.b))


def fixed_links(declared: Mapping[str, tuple[str, ...]], overrides: VersionOverrides, alive: set[str],
                touching: set[str] | None = None) -> list[Link]:
    """The links detection does not decide: the manifest's ``translations``,
    then the analyst's ``versions: link`` (the manifest wins for the articles
    it declares). Both ends must be in ``alive``; with ``touching``, only
    links with an end in it (an update's new articles)."""
    out: dict[tuple[str, str], Link] = {}
    pairs = [(a, b) for a, others in declared.items() for b in others]
    pairs += [(a, b) for a, b in overrides.link if a not in declared and b not in declared]
    for a, b in pairs:
        if a in alive and b in alive and (touching is None or a in touching or b in touching):
            out.setdefault(pair_key(a, b), Link(*pair_key(a, b), 1.0, True))
    return list(out.values())


@dataclass(frozen=True)
class Detected:
    links: list[Link]
    leads: Leads  # opening vectors
    nearest: Mapping[tuple[str, str], tuple[str, float]]  # (id, language) -> (nearest there, similarity)


def detect(
    articles: Mapping[str, Article],
    profiles: Mapping[str, DocProfile],
    declared: Mapping[str, tuple[str, ...]],
    lengths: Mapping[str, float],
    overrides: VersionOverrides | None = None,
    encoder: bool | None = None,
    leads: Mapping[str, np.ndarray] | None = None,
    embed: Callable[[Sequence[str]], np.ndarray] = meaning.embed,
    langs: Mapping[str, str] | None = None,
) -> Detected:
    """Version links of a whole corpus (``profiles``: the articles detection
    pairs, not those the manifest declares), with the opening vectors and
    nearest neighbours found on the way (the index keeps them, so that an
    update embeds only new files). ``encoder``: None = use it when available.
    ``langs`` (every article's language) spares reading every article for it."""
    overrides = overrides or VersionOverrides()
    langs = langs if langs is not None else {aid: a.lang for aid, a in articles.items()}
    fixed = fixed_links(declared, overrides, set(langs))
    pairs = set(candidates(profiles))
    use = meaning.enabled() if encoder is None else encoder
    evidence = Evidence(articles.get, langs, lengths, leads, embed) if use and profiles else None
    worth: set[tuple[str, str]] = set()
    near: Mapping[tuple[str, str], tuple[str, float]] = {}
    if evidence is not None:
        order = sorted(profiles)
        evidence.embed_leads(order)
        near = evidence.nearest(order, order)
        worth = mutual(near, langs)
        pairs |= worth
    score = Scorer(profiles.get, lengths, evidence, worth)
    if evidence is not None:
        evidence.samples(sorted({x for a, b in pairs if score.needs_verifying(a, b) for x in (a, b)}))
    links = assign(pairs, langs, score, fixed, overrides)
    return Detected(links, evidence.leads if evidence is not None else Leads(), near)


# -- groups as the analyst audits them -----------------------------------------


@dataclass(frozen=True)
class VersionGroup:
    """Articles that are versions of one text, with the links that say so."""

    ids: tuple[str, ...]
    langs: tuple[str, ...]  # of ``ids``, in the same order
    links: tuple[Link, ...]

    @property
    def weakest(self) -> float:
        return min((lk.confidence for lk in self.links), default=1.0)

    def confidence(self, a: str, b: str) -> float:
        """The link's confidence; a pair the manifest joins only through
        others counts as declared (1.0)."""
        key = pair_key(a, b)
        return next((lk.confidence for lk in self.links if (lk.a, lk.b) == key), 1.0)

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": [{"id": i, "lang": lang} for i, lang in zip(self.ids, self.langs, strict=True)],
            "weakest": self.weakest,
            "links": [
                {"a": lk.a, "b": lk.b, "confidence": lk.confidence, "declared": lk.declared} for lk in self.links
            ],
        }


def override_notes(overrides: VersionOverrides, ids: Iterable[str], declared: Mapping[str, object]) -> list[str]:
    """What in ``versions:`` of overrides.yaml cannot apply, in words."""
    known = set(ids)
    notes = []
    for what, pairs in (("link", overrides.link), ("unlink", sorted(overrides.unlink))):
        for a, b in pairs:
            missing = [x for x in (a, b) if x not in known]
            if missing:
                notes.append(f"overrides: versions {what} [{a}, {b}]: no article {missing[0]!r}")
            elif what == "link" and (a in declared or b in declared):
                notes.append(f"overrides: versions link [{a}, {b}]: briefing.yaml declares the versions of "
                             f"{a if a in declared else b}, and it wins")
    return notes


def version_groups(infos: Iterable[Any], links: Iterable[Link]) -> tuple[VersionGroup, ...]:
    """The groups of two or more versions among ``infos`` (anything with
    ``id``, ``lang`` and ``translations``), weakest link first."""
    by_id = {a.id: a for a in infos}
    by_pair = {pair_key(lk.a, lk.b): lk for lk in links}
    seen: set[str] = set()
    out = []
    for aid, info in by_id.items():
        if aid in seen or not info.translations:
            continue
        ids = tuple(sorted({aid, *(t for t in info.translations if t in by_id)}))
        seen.update(ids)
        pairs = [by_pair[(a, b)] for i, a in enumerate(ids) for b in ids[i + 1:] if (a, b) in by_pair]
        out.append(VersionGroup(ids, tuple(by_id[i].lang for i in ids), tuple(pairs)))
    return tuple(sorted(out, key=lambda g: (g.weakest, g.ids)))
