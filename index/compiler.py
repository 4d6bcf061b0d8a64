"""From a prepared query (index/query.py) straight to Whoosh query objects.

The items are already checked, expanded and resolved; no query string is
written and parsed again. The tree is the one Whoosh's ``MultifieldParser``
builds for the same query written in its syntax (tests/index/test_compiler.py
checks that on random queries), so ranking and the evaluation strategies see
what they always saw:

- a word or phrase is analysed by each language field's analyzer and
  searched in any of them (one ``Or``, one branch per field); a phrase of
  one token is a ``Term``;
- a filter value is analysed by its field (ids are one token; ``city`` and
  ``speaker`` values are lower-cased); ``date`` is a range of days;
- brackets group; ``NOT`` binds to the next item, then ``AND`` joins its
  neighbours, then ``OR`` does; what is left side by side must all match.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whoosh.query import And, Not, Or, Phrase, Query, Term, TermRange

from .errors import QueryError
from .query import Item, Leaf


class _Group(list[Any]):
    """Items side by side (a bracket, or the whole query): all must match."""

    query_class: Any = And


class _AndGroup(_Group):
    pass


class _OrGroup(_Group):
    query_class = Or


class _NotGroup(_Group):
    pass


def compile_query(items: Sequence[Item], schema: Any, text_fields: Sequence[str]) -> Query:
    """The Whoosh query for ``items``, normalised."""
    top = _nest(items)
    if len(top) == 1 and isinstance(top[0], _Group):
        top = top[0]
    return _to_query(_operators(top, schema, text_fields)).normalize()


def _nest(items: Sequence[Item]) -> _Group:
    """Brackets as nested groups, each one whose items must all match
    (index/query.py checked that they balance)."""
    stack: list[_Group] = [_AndGroup()]
    for item in items:
        if item == "(":
            stack.append(_AndGroup())
        elif item == ")":
            if len(stack) < 2:
                raise QueryError("unmatched )")
            inner = stack.pop()
            stack[-1].append(inner)
        else:
            stack[-1].append(item)
    if len(stack) != 1:
        raise QueryError("unbalanced parenthesis: add a closing )")
    return stack[0]


def _operators(group: _Group, schema: Any, text_fields: Sequence[str]) -> _Group:
    """Leaves become queries, then NOT, AND and OR take their operands, in
    that order of binding (Whoosh's: an infix operator whose left operand is
    already a group of its kind extends it)."""
    for i, item in enumerate(group):
        if isinstance(item, _Group):
            group[i] = _operators(item, schema, text_fields)
        elif isinstance(item, Leaf):
            group[i] = _leaf(item, schema, text_fields)
    i = 0
    while i < len(group):
        if group[i] == "NOT":
            del group[i]
            if i < len(group):
                group[i] = _NotGroup([group[i]])
        i += 1
    for op, kind in (("AND", _AndGroup), ("OR", _OrGroup)):
        i = 0
        while i < len(group):
            if group[i] != op:
                i += 1
            elif 0 < i < len(group) - 1:
                left, right = group[i - 1], group[i + 1]
                if isinstance(left, kind):
                    left.append(right)
                    del group[i : i + 2]
                else:
                    group[i - 1 : i + 2] = [kind([left, right])]
            else:
                del group[i]
    return group


def _leaf(leaf: Leaf, schema: Any, text_fields: Sequence[str]) -> Query | _Group:
    if leaf.field is None:
        return _OrGroup([_analysed(leaf.text, name, schema) for name in text_fields])
    if leaf.field == "date":
        lo, _, hi = leaf.text.partition("..")  # YYYY-MM-DD, so the order of days is the order of the text
        return TermRange("date", lo or None, hi or None, constantscore=True)
    return _analysed(leaf.text, leaf.field, schema)


def _analysed(text: str, fieldname: str, schema: Any) -> Query:
    """``text`` as its field's analyzer reads a query: a phrase of its tokens
    (one token: a term, after normalising; none: nothing)."""
    words = [t.text for t in schema[fieldname].tokenize(text, mode="query")]
    return Phrase(fieldname, words)


def _to_query(node: Any) -> Query:
    if isinstance(node, _NotGroup):
        return Not(_to_query(node[0]))
    if isinstance(node, _Group):
        return node.query_class([_to_query(x) for x in node])
    return node


_UNSCORED = ("lang", "kind", "article", "speaker", "date")  # fields that only ever filter


def _is_date(x: Query) -> bool:
    return isinstance(x, TermRange) and x.fieldname == "date"


def hoist_filters(q: Query, filters: Sequence[tuple[str, str]]) -> tuple[Query, list[Query], list[Query]]:
    """Move the query's top-level filter terms (``lang:zh``, ``city:X`` when
    written as a filter) and negated terms (``NOT 深圳``) out of the scored query: they become
    cached document sets, and the rest keeps Whoosh's block skipping, which a
    conjunction with an unscored term loses. Returns (query, include, exclude)."""
    if type(q) is not And:
        return q, [], []
    wanted = {(f, v.lower()) for f, v in filters if f == "city"}

    def is_filter(x: Query) -> bool:
        return _is_date(x) or isinstance(x, Term) and (x.fieldname in _UNSCORED or (x.fieldname, x.text) in wanted)

    keep, include, exclude = [], [], []
    for sub in q.subqueries:
        if is_filter(sub):
            include.append(sub)
        elif isinstance(sub, Not) and (isinstance(sub.query, Term) or _is_date(sub.query)):
            exclude.append(sub.query)  # NOT 深圳, NOT lang:de: a cached set of documents to leave out
        else:
            keep.append(sub)
    if not keep:
        return q, [], []  # nothing left to rank by: leave the query whole
    return (keep[0] if len(keep) == 1 else And(keep, boost=q.boost)), include, exclude
