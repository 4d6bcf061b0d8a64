"""Choosing how a compiled query is evaluated, and evaluating it.

Three strategies answer the same question, at different costs:

- ``vector``: a query of terms over whole posting lists with numpy
  (index/vector.py); exact counts. Chosen when something (a second term, a
  filter, a large mask) keeps Whoosh from skipping posting blocks.
- ``relaxed``: a query with phrases or conjunctions, answered from the best
  matches of its rarest words that the whole query holds for
  (index/strategy.py); falls back to ``plain`` when too few hold.
- ``plain``: Whoosh's own evaluation, with top-N block skipping.

``auto`` picks one per query (and splits a query whose words span several
language fields into one part per field). Naming a strategy forces it,
which is how the tests compare them (the results must be the same).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from whoosh.query import NullQuery, Query
from whoosh.searching import Results
from whoosh.sorting import FieldFacet, ScoreFacet

from . import vector
from .bitsets import DocBits, Ranks
from .ranking import collector
from .strategy import by_field, relax, verify

Strategy = Literal["auto", "vector", "relaxed", "plain"]
STRATEGIES: tuple[Strategy, ...] = ("auto", "vector", "relaxed", "plain")
PHRASE_CANDIDATES = 50  # relaxed matches checked against the query, then as many as the rate
PHRASE_CANDIDATES_MAX = 2000  # of those that held suggests, up to this


@dataclass(frozen=True)
class Found:
    """The best documents of a query, best first, with their scores; the
    number of matches, and whether that number is exact or an estimate."""

    docs: tuple[tuple[int, float], ...]
    total: int
    exact: bool


NOTHING = Found((), 0, True)


class Planner:
    """Evaluates compiled queries with one searcher of one generation."""

    def __init__(self, searcher: Any, postings: vector.Postings, text_fields: tuple[str, ...],
                 strategy: Strategy = "auto") -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy {strategy!r}: one of {', '.join(STRATEGIES)}")
        self.searcher = searcher
        self.postings = postings
        self.text_fields = text_fields
        self.strategy = strategy

    def choose(self, q: Query, flt: DocBits | None, mask: DocBits | None) -> Strategy:
        """The strategy for ``q`` (never ``auto``)."""
        if self.strategy == "vector" and not vector.supported(q):
            raise ValueError(f"strategy 'vector' cannot evaluate {q!r}: it has phrases or ranges")
        if self.strategy != "auto":
            return self.strategy
        if vector.worth_it(q, self.postings, flt, mask):
            return "vector"
        return "plain" if vector.supported(q) else "relaxed"  # words only: Whoosh alone is cheap

    def best(self, q: Query, limit: int, flt: DocBits | None, mask: DocBits | None) -> Found:
        """The best ``limit`` matches of ``q`` within ``flt`` and outside ``mask``."""
        parts = by_field(q, self.text_fields) if self.strategy == "auto" else None
        if parts is None:
            return self._one(q, limit, flt, mask)
        # Disjoint parts, one per language: the best hits are the best of each part's best.
        runs = [self._one(part, limit, flt, mask) for part in parts.values()]
        docs = sorted((d for r in runs for d in r.docs), key=lambda d: -d[1])[:limit]
        return Found(tuple(docs), sum(r.total for r in runs), all(r.exact for r in runs))

    def newest(self, q: Query, limit: int, flt: DocBits | None, mask: DocBits | None,
               dates: Callable[[], Ranks]) -> Found:
        """The newest ``limit`` matches (the date, then the score), and the exact count."""
        if flt is not None and not flt:
            return NOTHING
        if self.strategy in ("auto", "vector") and vector.supported(q):
            # Words and places: over whole posting lists, with each document's date rank.
            top, total = vector.top(q, self.postings, limit, flt, mask, first=dates())
            return Found(tuple((d, score) for score, d in top), total, True)
        order = [FieldFacet("date", reverse=True), ScoreFacet()]
        results = self.searcher.search(q, limit=limit, filter=flt, mask=mask, sortedby=order)
        # A sorted hit's score is its sort key: (date rank, -score).
        return Found(tuple((h.docnum, -h.score[-1]) for h in results), len(results), True)

    def every(self, q: Query, flt: DocBits | None, mask: DocBits | None) -> Found:
        """Every match, by Whoosh (for the matches within one article)."""
        results = self._whoosh(q, limit=None, filter=flt, mask=mask)
        return Found(tuple((h.docnum, h.score) for h in results), len(results), True)

    # -- the strategies --------------------------------------------------
    def _one(self, q: Query, limit: int, flt: DocBits | None, mask: DocBits | None) -> Found:
        chosen = self.choose(q, flt, mask)
        if chosen == "vector":
            top, total = vector.top(q, self.postings, limit, flt, mask)
            return Found(tuple((d, score) for score, d in top), total, True)
        if chosen == "relaxed":
            found = self._relaxed(q, limit, flt, mask)
            if found is not None:
                return found
        results = self._whoosh(q, limit=limit, filter=flt, mask=mask)
        docs = tuple((h.docnum, float(h.score or 0.0)) for h in results)
        # Counting every match would score all of them again. When the top N
        # are not all there is, report an estimate (from document
        # frequencies) and say it is one.
        scored = results.scored_length()
        exact = scored < limit
        return Found(docs, scored if exact else max(scored, self._estimate(q, flt, mask)), exact)

    def _whoosh(self, q: Query, **kw: Any) -> Results:
        """Whoosh's results for ``q`` under the collector of index/ranking.py."""
        if kw.get("filter") is not None and not kw["filter"]:
            q = NullQuery  # Whoosh reads an empty filter as none: every match would pass
        c = collector(self.searcher, **kw)
        self.searcher.search_with_collector(q, c)
        return c.results()

    def _relaxed(self, q: Query, limit: int, flt: DocBits | None, mask: DocBits | None) -> Found | None:
        """A query with phrases or conjunctions, answered from the best
        matches of its relaxed form (its rarest words) that the original
        query holds for (index/strategy.py). None: run the original query."""
        reader = self.searcher.reader()
        relaxed = relax(q, lambda x: x.estimate_size(reader))
        if relaxed is None:
            return None
        wanted = max(PHRASE_CANDIDATES, 3 * limit)
        while True:
            candidates = self._candidates(relaxed, wanted, flt, mask)
            complete = len(candidates) < wanted  # every match of the relaxed query is here
            ok = verify(q, self.searcher, (d for d, _score in candidates))
            held = [(d, score) for d, score in candidates if d in ok]
            if complete or len(held) >= limit or not held:
                break  # none held: the relaxed ranking is no guide here
            wanted = max(wanted * 2, int(len(candidates) * limit / len(held) * 1.5))  # enough at this rate
            if wanted > PHRASE_CANDIDATES_MAX:
                break
        if not complete and len(held) < limit:
            return None
        docs = tuple(held[:limit])
        if complete:
            return Found(docs, len(held), True)
        return Found(docs, max(len(held), self._estimate(q, flt, mask)), False)

    def _candidates(self, relaxed: Query, wanted: int, flt: DocBits | None,
                    mask: DocBits | None) -> list[tuple[int, float]]:
        """The best ``wanted`` (document, score) of a relaxed query: from the
        posting arrays when it is made of terms (the same ranking as
        Whoosh's, without decoding its blocks), else from Whoosh."""
        if vector.supported(relaxed):
            top, _total = vector.top(relaxed, self.postings, wanted, flt, mask)
            return [(d, score) for score, d in top]
        results = self._whoosh(relaxed, limit=wanted, filter=flt, mask=mask)
        return [(h.docnum, float(h.score or 0.0)) for h in results]

    def _estimate(self, q: Query, flt: DocBits | None, mask: DocBits | None) -> int:
        """Whoosh's estimate of the matches (from document frequencies),
        scaled by the share of documents the filter keeps and the mask leaves."""
        est = float(q.estimate_size(self.searcher.reader()))
        docs = max(1, self.searcher.doc_count_all())
        if flt is not None:
            est *= len(flt) / docs
        if mask is not None:
            est *= 1 - len(mask) / docs
        return int(est)
