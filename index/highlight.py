"""What to mark in a matched paragraph: the query's words, and its phrases
only where the whole phrase occurs.

Whoosh's highlighter marks every token that equals some query term, one
token at a time: a phrase's words are marked wherever they stand alone
(``"regionalen wissenschaftlichen"`` marked ``regionale`` beside
``wirtschaftliche``), and a Chinese phrase, which is a sequence of
overlapping bigrams, came out as one bigram (``"双城联动"`` marked ``城联``).
Here a paragraph is analysed as the index analysed it (positions, character
offsets, folded terms), single terms are marked where they occur, and a
phrase is marked from its first word to its last only where its words stand
at consecutive positions. Negated parts of the query are never marked.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from whoosh.query import Not, Phrase, Term

from .analysis import HAN_ONLY, token_spans


@dataclass(frozen=True)
class Marks:
    """The query's words and phrases, per text field (``text_zh`` ...)."""

    terms: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, q: Any) -> Marks:
        terms: dict[str, set[str]] = {}
        phrases: dict[str, list[tuple[str, ...]]] = {}

        def walk(node: Any) -> None:
            if isinstance(node, Not):
                return
            if isinstance(node, Phrase):
                if not node.fieldname.startswith("text_") or not node.words:
                    return
                words = tuple(node.words)
                if len(words) == 1:
                    terms.setdefault(node.fieldname, set()).add(words[0])
                else:
                    phrases.setdefault(node.fieldname, []).append(words)
                return
            if isinstance(node, Term):
                if node.fieldname.startswith("text_") and isinstance(node.text, str):
                    terms.setdefault(node.fieldname, set()).add(node.text)
                return
            for child in node.children() if hasattr(node, "children") else ():
                walk(child)

        walk(q)
        return cls(
            {f: frozenset(t) for f, t in terms.items()}, {f: tuple(dict.fromkeys(p)) for f, p in phrases.items()}
        )

    def spans(self, text: str, fieldname: str) -> list[tuple[int, int]]:
        """Character spans of ``text`` (indexed in ``fieldname``) that the
        query's words and whole phrases cover."""
        terms = self.terms.get(fieldname, frozenset())
        phrases = self.phrases.get(fieldname, ())
        if not terms and not phrases:
            return []
        han = _han_strings(terms, phrases)
        if han is not None and unicodedata.is_normalized("NFKC", text):
            return _occurrences(text, han)
        return analysed_spans(text, fieldname, terms, phrases)


def analysed_spans(text: str, fieldname: str, terms: frozenset[str],
                   phrases: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """:meth:`Marks.spans` by analysing ``text`` as the index did."""
    found: list[tuple[int, int]] = []
    at: dict[int, dict[str, tuple[int, int]]] = {}  # position -> term -> first span there
    for term, pos, start, end in token_spans(text, fieldname.removeprefix("text_")):
        if term in terms:
            found.append((start, end))
        if phrases:
            at.setdefault(pos, {}).setdefault(term, (start, end))
    for words in phrases:
        for pos, here in at.items():
            first = here.get(words[0])
            if first is None:
                continue
            last = first
            for k, word in enumerate(words[1:], start=1):
                span = at.get(pos + k, {}).get(word)
                if span is None:
                    break
                last = span
            else:
                found.append((first[0], last[1]))
    return found


@lru_cache(maxsize=256)
def _han_strings(terms: frozenset[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """When every word of the query is Chinese (unigrams and bigrams, and
    phrases of overlapping bigrams: 人工 工智 智能), the strings they cover
    in the text (人工智能); else None. Han text is folded only by NFKC, and a
    Han run's tokens stand at every character, so these occur in the text
    exactly where the tokens do: found by ``str.find``, without analysing
    the paragraph (which was 40 % of a Chinese word's search)."""
    out = []
    for t in terms:
        if not HAN_ONLY.fullmatch(t) or len(t) > 2:
            return None
        out.append(t)
    for words in phrases:
        if not all(HAN_ONLY.fullmatch(w) and len(w) == 2 for w in words) or \
                any(a[1] != b[0] for a, b in zip(words, words[1:], strict=False)):
            return None
        out.append(words[0] + "".join(w[1] for w in words[1:]))
    return tuple(out)


def _occurrences(text: str, strings: tuple[str, ...]) -> list[tuple[int, int]]:
    found = []
    for s in strings:
        i = text.find(s)
        while i >= 0:
            found.append((i, i + len(s)))
            i = text.find(s, i + 1)
    return sorted(found)
