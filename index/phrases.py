"""Phrases and conjunctions without scoring every match.

Whoosh checks a phrase by reading the positions of each word in every
document that has all the words, and it intersects conjunctions document by
document: neither can skip blocks by their best possible score (a term
alone can). Over a large corpus a common phrase ("科技创新", or a long
Chinese word, which is a phrase of bigrams) or ``创新 AND 人才`` then costs
hundreds of milliseconds.

Instead, :func:`relax` keeps from each phrase its rarest word and from each
conjunction its rarest part: a query whose matches include every match of
the original, which Whoosh answers with block skipping. Its best candidates
are checked against the original query with :func:`verify`, which moves
the original query's matcher to each candidate only. When enough hold, they are the answer, ranked
by the relaxed query, that is by their rarest word; when the relaxed query
had no more matches than were checked, the checked set is the complete
answer; otherwise the caller runs the original query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from whoosh.query import And, Not, Or, Phrase, Query, Term


def relax(q: Query, size: Callable[[Query], int]) -> Query | None:
    """A query that matches at least what ``q`` matches, made of terms and
    unions, which Whoosh answers with block skipping; None when ``q`` has no
    phrase or conjunction to relax. ``size`` estimates a query's matches."""
    changed = False

    def walk(node: Query) -> Query | None:
        nonlocal changed
        if isinstance(node, Phrase):
            if not node.words:
                return None
            changed = True
            rarest = min(node.words, key=lambda w: (size(Term(node.fieldname, w)), w))
            return Term(node.fieldname, rarest, boost=node.boost)
        if type(node) is Or:
            subs = [walk(x) for x in node.subqueries]
            return None if any(x is None for x in subs) else Or(subs, boost=node.boost)
        if type(node) is And:
            positive = [x for x in node.subqueries if not isinstance(x, Not)]
            if not positive:
                return None
            changed = True
            return walk(min(positive, key=size))
        if isinstance(node, Not):
            return None  # matches almost everything: no use as candidates
        return node

    out = walk(q)
    return out if changed else None


def verify(q: Query, searcher: Any, docnums: Iterable[int]) -> set[int]:
    """Which of these documents ``q`` matches, by moving its matcher to each
    in turn (the index checks positions and negations, only there)."""
    held: set[int] = set()
    m = q.matcher(searcher)
    for d in sorted(docnums):
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            held.add(d)
    return held
