"""Phrases and conjunctions without scoring every match.

Whoosh checks a phrase by reading the positions of each word in every
document that has all the words, and it intersects conjunctions document by
document: neither can skip blocks by their best possible score (a term
alone can). Over a large corpus a common phrase ("科技创新", or a long
Chinese word, which is a phrase of bigrams) or ``创新 AND 人才`` then costs
hundreds of milliseconds.

Instead, :func:`relax` keeps from each phrase its rarest word and from each
conjunction its rarest part: a query whose matches include every match of
the original, which Whoosh answers with block skipping. (Queries of plain
words, conjunctions included, are answered over whole posting lists by
index/vector.py instead, and ranked by all their words.) Its best candidates
are checked against the original query with :func:`verify`, which moves
the original query's matcher to each candidate only. When enough hold, they are the answer, ranked
by the relaxed query, that is by their rarest word; when the relaxed query
had no more matches than were checked, the checked set is the complete
answer; otherwise the caller runs the original query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from whoosh.query import And, Every, Not, NullQuery, Or, Phrase, Query, Term


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


_FALSE = NullQuery  # the restriction of a term of another language's field: matches nothing
_TRUE = Every()  # NOT of such a term: no constraint


def by_field(q: Query, text_fields: Iterable[str]) -> dict[str, Query] | None:
    """The query split by language field, when its text spans several.

    Every paragraph has exactly one text field (its language's), so a query
    whose words were analysed for each field is a union of disjoint parts:
    the part for field F is the query with the other fields' words taken as
    false. Each part alone is a term, phrase or conjunction that Whoosh
    answers with block skipping, and the best hits of the whole are the best
    of the parts' best. None when the query does not split that way."""
    fields = set(text_fields)
    used = sorted(_fields_in(q) & fields)
    if len(used) < 2:
        return None
    parts: dict[str, Query] = {}
    for f in used:
        part = _restrict(q, f, fields)
        if part is _FALSE:
            continue
        if part is _TRUE or not _requires(part, f):
            return None  # a part could match paragraphs of other fields too: not disjoint
        parts[f] = part
    return parts or None


def _fields_in(q: Query) -> set[str]:
    if isinstance(q, (Term, Phrase)):
        return {q.fieldname}
    if isinstance(q, Not):
        return _fields_in(q.query)
    if isinstance(q, (And, Or)):
        return set().union(*(_fields_in(x) for x in q.subqueries))
    return set()


def _restrict(q: Query, field: str, fields: set[str]) -> Query:
    if isinstance(q, (Term, Phrase)):
        return _FALSE if q.fieldname in fields and q.fieldname != field else q
    if isinstance(q, Not):
        inner = _restrict(q.query, field, fields)
        return _TRUE if inner is _FALSE else _FALSE if inner is _TRUE else Not(inner)
    if type(q) in (And, Or):
        # OR: one true part makes it true, false parts drop out; AND the other way round.
        absorbing, neutral = (_TRUE, _FALSE) if type(q) is Or else (_FALSE, _TRUE)
        subs = [_restrict(x, field, fields) for x in q.subqueries]
        if any(x is absorbing for x in subs):
            return absorbing
        subs = [x for x in subs if x is not neutral]
        return neutral if not subs else subs[0] if len(subs) == 1 else type(q)(subs, boost=q.boost)
    return q


def _requires(q: Query, field: str) -> bool:
    """Does every match of ``q`` have a word in ``field``?"""
    if isinstance(q, (Term, Phrase)):
        return q.fieldname == field
    if type(q) is And:
        return any(_requires(x, field) for x in q.subqueries)
    if type(q) is Or:
        return all(_requires(x, field) for x in q.subqueries)
    return False
