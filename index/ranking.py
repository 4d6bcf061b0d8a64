"""How hits are scored and the best ones collected.

Scoring is BM25 without length normalisation (B=0): paragraphs are short
units already, and only then is Whoosh's per-block score bound tight enough
to skip blocks (a term with 60,000 matches: 110 ms with B=0.75, 9 ms with
B=0, at 10,000 articles). With B=0 a score depends on the term's weight
alone, so :class:`TfBM25` does not read each document's field length the
way Whoosh's ``BM25F`` does for every scored match (a quarter of the time
of a long scan), and the index records no lengths at all (index/schema.py);
the scores are the same floats as ``BM25F(B=0)``.

Scores tie a lot under B=0 (every paragraph that says a word once scores
the same). Whoosh's top-N collector raises its threshold only when a
better document displaces one, so when the first N matches already share
the best score it never skips a block; and its conjunctions skip a block
only when the block's bound is below the threshold, not equal to it.
:class:`TopN` raises the threshold as soon as N documents are held, to
just above the lowest of them: a later document enters only with a higher
score (ties keep the earlier document, as in Whoosh), so every block whose
bound equals the threshold can be skipped by every kind of matcher.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from whoosh import collectors, scoring

K1 = 1.2


class TfBM25(scoring.WeightingModel):
    """BM25 with B=0: ``idf · tf·(k1+1) / (tf+k1)`` for the fields ``ranked``
    names (by default Whoosh's scorable ones); other fields score their weight."""

    def __init__(self, ranked: Callable[[str], bool] | None = None) -> None:
        self.ranked = ranked

    def supports_block_quality(self) -> bool:
        return True

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        ranked = self.ranked(fieldname) if self.ranked else searcher.schema[fieldname].scorable
        if not ranked:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return _TfScorer(searcher, fieldname, text)


class _TfScorer(scoring.BaseScorer):
    def __init__(self, searcher: Any, fieldname: str, text: bytes) -> None:
        self.idf = searcher.get_parent().idf(fieldname, text)  # a global statistic
        self._max = self._score(searcher.term_info(fieldname, text).max_weight())

    def _score(self, tf: float) -> float:
        # Whoosh's bm25() with B=0 (its length factor is then exactly 1.0): the same floats.
        return self.idf * ((tf * (K1 + 1)) / (tf + K1))

    def supports_block_quality(self) -> bool:
        return True

    def score(self, matcher: Any) -> float:
        return self._score(matcher.weight())

    def max_quality(self) -> float:
        return self._max

    def block_quality(self, matcher: Any) -> float:
        return self._score(matcher.block_max_weight())


class TopN(collectors.TopCollector):
    """Whoosh's top-N collector with a threshold that rises on ties too."""

    def _collect(self, global_docnum: int, score: float) -> Any:
        out = super()._collect(global_docnum, score)
        if len(self.items) >= self.limit:
            # Matchers skip blocks whose bound is <= (terms) or < (conjunctions)
            # this; nothing scoring exactly the lowest held score can enter.
            self.minscore = math.nextafter(self.items[0][0], math.inf)
        return out


def collector(searcher: Any, limit: int | None, filter: Any = None, mask: Any = None) -> Any:
    """What ``searcher.search(limit=, filter=, mask=)`` collects with, but
    with :class:`TopN`. The caller must not pass an empty ``filter``: Whoosh
    takes an empty filter for no filter at all."""
    c: Any = collectors.UnlimitedCollector() if limit is None or limit >= searcher.doc_count() else TopN(limit)
    return collectors.FilterCollector(c, filter, mask) if filter is not None or mask is not None else c
