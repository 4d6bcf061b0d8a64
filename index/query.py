"""Query syntax: checking, cross-language expansion and filter resolution.

The user's query is lexed here first, so every mistake gets a message that
says what is wrong and how to fix it (Whoosh's own parser is lenient and
would silently search for something else). The result is a sequence of
resolved items (words, phrases, filter values, operators and brackets) that
index/compiler.py turns into Whoosh query objects, plus the expansions that
were made, for display. Nothing here imports Whoosh.

Syntax: words (all must match), ``"exact phrases"``, ``AND`` / ``OR`` /
``NOT`` (``-word`` is ``NOT word``), parentheses, and the filters ``lang:`` ``city:`` ``speaker:``
``article:`` ``kind:`` ``date:`` (a day, month or year, or a range ``A..B``,
``..B``, ``A..``; articles without a date never match it). Unquoted Chinese is segmented into words with jieba;
quote it to search for the exact sequence.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from corpus.entities import unknown_speaker_id
from corpus.models import Kind
from corpus.paragraphs import fold_label
from corpus.text import HAN_RE

from .errors import QueryError
from .schema import FILTER_ALIASES, FILTER_FIELDS

MAX_QUERY = 2000
_TOKEN = re.compile(
    r'(?P<ws>\s+)|(?P<lp>\()|(?P<rp>\))|(?P<phrase>"[^"]*"?)'
    r'|(?P<neg>-(?=[^\s\d\-)]))'  # -word, -"phrase", -lang:de: NOT (not -5, not a lone or double dash)
    r'|(?P<field>[A-Za-z_]+):(?P<fvalue>"[^"]*"?|[^\s()"]*)'
    r'|(?P<word>[^\s()"]+)'
)
_OPS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Token:
    kind: str  # word | phrase | op | lp | rp | filter
    text: str
    pos: int
    field: str = ""


@dataclass(frozen=True)
class Leaf:
    """A word or phrase searched in every language's text (``field`` None),
    or a filter's resolved value (``field``: lang, city, date ...)."""

    text: str
    field: str | None = None


OPERATORS = ("AND", "OR", "NOT")
Item = Leaf | str  # a str is one of OPERATORS or a bracket, "(" or ")"


@dataclass(frozen=True)
class Prepared:
    items: tuple[Item, ...]  # for index/compiler.py
    expanded: tuple[str, ...]  # "Shenzhen → 深圳 · شنتشن · Шэньчжэнь"
    terms: tuple[str, ...]  # every name the query searches for, for display
    filters: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    has_kind_filter: bool
    places: tuple[str, ...] = ()  # city ids searched through their mentions (expanded names, city: filters)


def lex(query: str) -> list[Token]:
    if len(query) > MAX_QUERY:
        raise QueryError(f"the query is {len(query)} characters long; the limit is {MAX_QUERY}")
    out: list[Token] = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "fvalue":
            kind = "field"
        text = m.group()
        if kind == "phrase":
            if len(text) < 2 or not text.endswith('"'):
                raise QueryError(f'unbalanced quote at character {m.start() + 1}: close the phrase with "', m.start())
            out.append(Token("phrase", text[1:-1], m.start()))
        elif kind == "field":
            name, value = m.group("field"), m.group("fvalue")
            if name.lower() not in FILTER_FIELDS:
                if value:
                    # not a filter: "谈联动:..." or "note:x" is searched as text
                    out.append(Token("word", text, m.start()))
                    continue
            if not value or value == '""':
                raise QueryError(
                    f"{name}: needs a value, e.g. {name.lower()}:{_EXAMPLES.get(name.lower(), 'x')}", m.start()
                )
            if value.startswith('"'):
                if len(value) < 2 or not value.endswith('"'):
                    raise QueryError(f"unbalanced quote in {name}: at character {m.start() + 1}", m.start())
                value = value[1:-1]
            out.append(Token("filter", value, m.start(), FILTER_ALIASES.get(name.lower(), name.lower())))
        elif kind == "word" and text in _OPS:
            out.append(Token("op", text, m.start()))
        elif kind == "neg":
            out.append(Token("op", "NOT", m.start()))
        else:
            out.append(Token(kind or "word", text, m.start()))
    _check_structure(out)
    return out


_EXAMPLES = {"lang": "zh", "city": "Shenzhen", "place": "Guangdong", "speaker": '"Hu Gang"', "article": "002",
             "kind": "turn", "date": "2020-05"}
_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
DATE_FORMS = "date:2020-05-18, date:2020-05, date:2020, or a range: date:2020-05-01..2020-05-31, date:..2020-05-17"


def date_bounds(value: str) -> tuple[str, str]:
    """A ``date:`` value as the first and last day it covers, YYYY-MM-DD
    ("" for an open end). Raises ValueError, naming the part that is wrong."""
    lo_text, dots, hi_text = value.partition("..")
    if not dots:
        hi_text = lo_text
    if not lo_text and not hi_text:
        raise ValueError("a range needs at least one end")
    lo = _date_end(lo_text, first=True) if lo_text else ""
    hi = _date_end(hi_text, first=False) if hi_text else ""
    if lo and hi and lo > hi:
        raise ValueError(f"the range starts ({lo}) after it ends ({hi})")
    return lo, hi


def _date_end(text: str, first: bool) -> str:
    m = _DATE_PART.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a date")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{text!r}: there is no month {month}")
    months = [int(month)] if month is not None else [1, 12]
    mm = months[0] if first else months[-1]
    last = calendar.monthrange(year, mm)[1]
    if day is not None and not 1 <= int(day) <= last:
        raise ValueError(f"{text!r}: {year}-{mm:02d} has no day {day}")
    dd = int(day) if day is not None else (1 if first else last)
    return f"{year:04d}-{mm:02d}-{dd:02d}"


def _check_structure(tokens: list[Token]) -> None:
    depth = 0
    prev: Token | None = None
    for t in tokens:
        if t.kind == "lp":
            depth += 1
        elif t.kind == "rp":
            depth -= 1
            if depth < 0:
                raise QueryError(f"unmatched ) at character {t.pos + 1}", t.pos)
            if prev is not None and prev.kind in ("lp", "op"):
                raise QueryError(f"nothing before ) at character {t.pos + 1}", t.pos)
        elif t.kind == "op":
            if t.text in ("AND", "OR") and (prev is None or prev.kind in ("op", "lp")):
                raise QueryError(f"{t.text} at character {t.pos + 1} needs a term on its left", t.pos)
            if t.text == "NOT" and prev is not None and prev.kind == "op" and prev.text == "NOT":
                raise QueryError(f"NOT NOT at character {prev.pos + 1}: write the term without both", prev.pos)
        prev = t
    if depth > 0:
        raise QueryError("unbalanced parenthesis: add a closing )", None)
    if prev is not None and prev.kind == "op":
        raise QueryError(f"{prev.text} at the end needs a term after it", prev.pos)
    if not any(t.kind in ("word", "phrase", "filter") for t in tokens):
        raise QueryError("the query has no words to search for")


_LOWER_OPS = {"and": "AND", "or": "OR", "not": "NOT"}
_SINGLE_VALUED = ("lang", "kind", "article")  # a paragraph has one of each


def usage_notes(tokens: list[Token]) -> list[str]:
    """Queries that are valid but rarely what was meant: an operator
    written in lower case (searched as a word), and two values of a filter
    a paragraph has only one of, required together."""
    notes: list[str] = []
    for i, t in enumerate(tokens):
        upper = _LOWER_OPS.get(t.text) if t.kind == "word" else None
        if upper and 0 < i < len(tokens) - 1 and tokens[i - 1].kind in ("word", "phrase", "filter", "rp") \
                and tokens[i + 1].kind in ("word", "phrase", "filter", "lp"):
            notes.append(f"'{t.text}' is searched as a word; write {upper} in capitals to use it as an operator")
    if not any(t.kind == "op" and t.text in ("OR", "NOT") for t in tokens):
        for name in _SINGLE_VALUED:
            values = list(dict.fromkeys(t.text.lower() for t in tokens if t.kind == "filter" and t.field == name))
            if len(values) > 1:
                written = " ".join(f"{name}:{v}" for v in values)
                either = " OR ".join(f"{name}:{v}" for v in values)
                notes.append(f"{written}: a paragraph has one {name}, so together they match nothing; "
                             f"for either, write {either}")
    return notes


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """jieba's segmenter on its dictionary kept compact (corpus/lexicon.py)."""
    from corpus.lexicon import tokenizer

    return tokenizer()


def segment_han(text: str) -> list[str]:
    """Split a run containing Chinese into words (jieba); other text is kept."""
    if not HAN_RE.search(text):
        return [text]
    return [w for w in _jieba().cut(text) if w.strip() and any(ch.isalnum() for ch in w)]


class Expander:
    """Names of cities and people in every language, keyed by folded form."""

    def __init__(self, knowledge: dict[str, Any], unregistered: dict[str, list[str]] | None = None) -> None:
        # Speakers the registry lacks: final id -> names as written (for speaker: filters).
        self.unregistered: dict[tuple[str, ...], str] = {
            fold_label(form): sid for sid, forms in (unregistered or {}).items() for form in forms
        }
        self.names: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # key -> [(kind, id)]
        self.forms: dict[tuple[str, str], list[str]] = {}
        self.city_ids: dict[tuple[str, ...], str] = {}
        self.person_ids: dict[tuple[str, ...], str] = {}
        for kind, entries in (("city", knowledge.get("cities", [])), ("person", knowledge.get("people", []))):
            for e in entries:
                forms = [e["name"], *(f for fs in e["names"].values() for f in fs)]
                self.forms[(kind, e["id"])] = list(dict.fromkeys(forms))
                extra = [f for fs in e.get("districts", {}).values() for f in fs] if kind == "city" else []
                for form in [*forms, e["id"]]:
                    key = fold_label(form)
                    self.names.setdefault(key, [])
                    if (kind, e["id"]) not in self.names[key]:
                        self.names[key].append((kind, e["id"]))
                    (self.city_ids if kind == "city" else self.person_ids).setdefault(key, e["id"])
                for form in extra:
                    self.city_ids.setdefault(fold_label(form), e["id"])
        self.max_words = max((len(k) for k in self.names), default=1)

    def lookup(self, words_: list[str]) -> list[tuple[str, str]]:
        return self.names.get(fold_label(" ".join(words_)), [])

    def aliases(self, ref: tuple[str, str]) -> list[str]:
        return self.forms.get(ref, [])

    def resolve(self, field: str, value: str) -> str | None:
        key = fold_label(value)
        if field == "city":
            return self.city_ids.get(key) or (value.lower() if value.lower() in self.city_ids.values() else None)
        if field == "speaker":
            return self.person_ids.get(key) or (value.lower() if value.lower() in self.person_ids.values() else None)
        return value


MEANING = "~"  # a query that starts with it is searched by meaning


def split_meaning(query: str) -> tuple[str, str] | None:
    """A meaning query (``~ports cooperating lang:zh``) as its text and its
    filters (``("ports cooperating", "lang:zh")``); None for any other query.
    The filters are the word query's, negated ones included (-lang:de)."""
    body = query.lstrip()
    if not body.startswith(MEANING):
        return None
    body = body[len(MEANING):]
    if len(body) > MAX_QUERY:
        raise QueryError(f"the query is {len(body)} characters long; the limit is {MAX_QUERY}")
    text: list[str] = []
    filters: list[str] = []
    negate = False
    for m in _TOKEN.finditer(body):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "neg":
            negate = True
            continue
        if kind in ("field", "fvalue") and m.group("field").lower() in FILTER_FIELDS:
            filters.append(("-" if negate else "") + m.group())
        else:
            text.append(("-" if negate else "") + m.group())
        negate = False
    return " ".join(text), " ".join(filters)


def prepare(query: str, expander: Expander, exact: bool = False, langs: tuple[str, ...] = ()) -> Prepared:
    """Check ``query``, expand its names and resolve its filters, for
    index/compiler.py. Raises :class:`QueryError`."""
    tokens = lex(query)
    out = _Out(notes=usage_notes(tokens))
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind in ("lp", "rp", "op"):
            out.items.append(t.text)
        elif t.kind == "filter":
            out.items.append(_filter(t, expander, langs, out.filters, out.notes))
        elif t.kind == "phrase":
            out.items += _with_aliases(t.text, [] if exact else expander.lookup([t.text]), expander, out)
        else:
            i += _words(tokens, i, expander, exact, out)
            continue
        i += 1
    filters = out.filters
    return Prepared(
        items=tuple(out.items),
        expanded=tuple(dict.fromkeys(out.expanded)),
        terms=tuple(dict.fromkeys(out.terms)),
        filters=tuple(filters),
        notes=tuple(out.notes),
        has_kind_filter=any(f == "kind" for f, _ in filters),
        places=tuple(dict.fromkeys([*out.places, *(v for f, v in filters if f == "city")])),
    )


@dataclass
class _Out:
    """What :func:`prepare` gathers on its way through the tokens."""

    notes: list[str]
    items: list[Item] = field(default_factory=list)
    expanded: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def _words(tokens: list[Token], i: int, expander: Expander, exact: bool, out: _Out) -> int:
    """The bare words from ``tokens[i]``: the longest run that names a known
    entity, expanded; else the one word, its Chinese segmented into words.
    Returns how many tokens were used."""
    run = [tokens[j].text for j in range(i, min(len(tokens), i + expander.max_words)) if tokens[j].kind == "word"]
    if not exact:
        for k in range(len(run), 0, -1):
            refs = expander.lookup(run[:k])
            if refs:
                out.items += _with_aliases(" ".join(run[:k]), refs, expander, out)
                return k
    pieces: list[Item] = []
    parts = segment_han(tokens[i].text)
    for part in parts:
        pieces += _with_aliases(part, [] if exact else expander.lookup([part]), expander, out)
    out.items += pieces if len(parts) == 1 else ["(", *pieces, ")"]
    return 1


def _any_of(leaves: list[Leaf]) -> list[Item]:
    """One leaf, or the leaves joined by OR in brackets."""
    if len(leaves) == 1:
        return [leaves[0]]
    items: list[Item] = ["("]
    for n, leaf in enumerate(leaves):
        items += ["OR", leaf] if n else [leaf]
    return [*items, ")"]


def _with_aliases(text: str, refs: list[tuple[str, str]], expander: Expander, out: _Out) -> list[Item]:
    out.terms.append(text)
    aliases: list[str] = []
    for ref in refs:
        aliases.extend(a for a in expander.aliases(ref) if fold_label(a) != fold_label(text))
    aliases = list(dict.fromkeys(aliases))
    if not aliases:
        return [Leaf(text)]
    out.expanded.append(f"{text} → {' · '.join(aliases)}")
    out.terms.extend(aliases)
    if all(kind == "city" for kind, _id in refs):
        # A place: its entity postings (every spelling the gazetteer found,
        # districts rolled up, organisation names such as 中山大学 left out).
        # One term per place, so the top hits come without scoring every match.
        ids = list(dict.fromkeys(eid for _kind, eid in refs))
        out.places.extend(ids)
        return _any_of([Leaf(eid, "city") for eid in ids])
    return _any_of([Leaf(x) for x in [text, *aliases]])


def _filter(t: Token, expander: Expander, langs: tuple[str, ...], filters: list[tuple[str, str]],
            notes: list[str]) -> Leaf:
    value = t.text.strip()
    if t.field == "lang":
        value = value.lower()
        if langs and value not in langs:
            raise QueryError(f"lang:{value}: the index holds no {value!r} articles; "
                             f"languages: {', '.join(langs)}", t.pos)
    elif t.field == "kind":
        value = value.lower()
        kinds = [k.value for k in Kind]
        if value not in kinds:
            raise QueryError(f"kind:{value}: unknown kind; use one of {', '.join(kinds)}", t.pos)
    elif t.field == "date":
        try:
            lo, hi = date_bounds(value)
        except ValueError as exc:
            raise QueryError(f"date:{value}: {exc}; write {DATE_FORMS}", t.pos) from None
        value = f"{lo}..{hi}"  # a range of days ("" for an open end): index/compiler.py
    elif t.field in ("city", "speaker"):
        resolved = expander.resolve(t.field, value)
        if resolved is None:
            notes.append(f"{t.field}:{value} is not in the {'gazetteer' if t.field == 'city' else 'people registry'}")
            if t.field == "speaker":
                resolved = expander.unregistered.get(fold_label(value)) or unknown_speaker_id(value)
            else:
                resolved = value.lower()
        # Ids never hold a comma, and these fields split their values at commas
        # (a paragraph names several places): "city:0,0" would be a phrase query.
        value = resolved.replace(",", " ")
    filters.append((t.field, value))
    return Leaf(value, t.field)
