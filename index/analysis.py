"""Per-language Whoosh analysis.

Every text field uses :class:`BriefingTokenizer` (words of any script, Han
runs as overlapping character bigrams with true word positions and character
offsets) followed by :class:`FoldFilter` (the folding of
:func:`corpus.text.fold_word` for that field's language: Snowball stems,
Arabic normalisation and clitic stripping).

Why bigrams for Han: on the seed queries bigrams found every expected
paragraph, while segmentation alone lost those where jieba split a word
differently in the document and in the query. Positions are token positions
(not character offsets, as in jieba's bundled analyzer), so quoted phrases
such as "粤港澳大湾区" work.

Both classes are module-level and hold only strings, so Whoosh can pickle them
into the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.formats import Positions

from corpus.text import HAN_RE, WORD_RE, fold_word

ANALYZER_VERSION = 2


_HAN_RUN = re.compile(f"({HAN_RE.pattern}+)")
HAN_ONLY = re.compile(f"{HAN_RE.pattern}+")  # a token (or a phrase's string) of Han characters alone


def _runs(word: str) -> Iterator[tuple[int, int, bool]]:
    """Split a word into maximal Han / non-Han runs: (start, end, is_han)."""
    if not HAN_RE.search(word):
        yield 0, len(word), False
        return
    pos = 0
    for m in _HAN_RUN.finditer(word):
        if m.start() > pos:
            yield pos, m.start(), False
        yield m.start(), m.end(), True
        pos = m.end()
    if pos < len(word):
        yield pos, len(word), False


@lru_cache(maxsize=65536)  # words repeat: most are split once per process
def _pieces(word: str, unigrams: bool) -> tuple[tuple[int, int, int], ...]:
    """The tokens of one word as ``(start, end, advance)``: a non-Han run (or a
    single Han character) is one token; a Han run is a bigram at each
    position plus, when ``unigrams`` (indexing), the unigram at the same
    position; ``advance`` moves the position after each character's last token."""
    pieces: list[tuple[int, int, int]] = []
    for s, e, han in _runs(word):
        if not han or e - s == 1:
            pieces.append((s, e, 1))
            continue
        for i in range(s, e):
            if i + 1 < e:
                pieces.append((i, i + 2, 0))
            if unigrams:
                pieces.append((i, i + 1, 0))
            pieces[-1] = (pieces[-1][0], pieces[-1][1], 1)
    return tuple(pieces)


class BriefingTokenizer(Tokenizer):
    """Words of every script. A Han run becomes overlapping bigrams; when
    indexing, each character's unigram shares the position of the bigram that
    starts there (as Lucene's CJK bigram filter with unigrams does), so a
    one-character query matches while phrases of bigrams stay exact."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        unigrams = mode != "query"
        for m in WORD_RE.finditer(value):
            word, base = m.group(), m.start()
            for ps, pe, advance in _pieces(word, unigrams):
                t.text = word[ps:pe]
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + base + ps
                    t.endchar = start_char + base + pe
                pos += advance
                yield t


class FoldFilter(Filter):
    """Fold each token as :func:`corpus.text.fold_word` does for ``lang``."""

    def __init__(self, lang: str = "") -> None:
        self.lang = lang

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter) and other.lang == self.lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        lang = self.lang or None
        for t in tokens:
            t.text = fold_word(t.text, lang)
            yield t


class IndexPositions(Positions):
    """Whoosh's ``Positions`` format, with the indexing side of
    :class:`BriefingTokenizer` | :class:`FoldFilter` written as one loop
    over plain strings instead of a chain of generators passing a Token
    along: the same terms, positions and bytes, in a third of the time
    (analysis was a third of a build's indexing time)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Any:
        items: list[Any] = list(getattr(analyzer, "items", ()))
        if (kwargs.get("mode", "index") != "index" or not isinstance(value, str) or len(items) != 2
                or type(items[0]) is not BriefingTokenizer or type(items[1]) is not FoldFilter):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        single = _SINGLE
        for term, poslist in index_positions(value, items[1].lang).items():
            if len(poslist) == 1:  # most terms occur once in a paragraph: their bytes depend on the position only
                pos = poslist[0]
                value_bytes = single.get(pos)
                if value_bytes is None:
                    value_bytes = single[pos] = self.encode(poslist)
                yield term, 1, fb, value_bytes
            else:
                yield term, len(poslist), len(poslist) * fb, self.encode(poslist)


_SINGLE: dict[int, bytes] = {}  # a position's encoding, as Positions.encode([pos]) gives it


def index_positions(value: str, lang: str = "") -> dict[str, list[int]]:
    """Each indexed term of ``value`` with its positions, exactly as
    :class:`BriefingTokenizer` (indexing mode) and :class:`FoldFilter` give them."""
    fold_lang = lang or None
    poses: dict[str, list[int]] = {}
    pos = 0
    for m in WORD_RE.finditer(value):
        word = m.group()
        for ps, pe, advance in _pieces(word, True):
            poses.setdefault(fold_word(word[ps:pe], fold_lang), []).append(pos)
            pos += advance
    return poses


def token_spans(value: str, lang: str = "") -> list[tuple[str, int, int, int]]:
    """``(term, position, start, end)`` of every indexed token of ``value``,
    as :func:`index_positions` gives them, with character offsets (for
    highlighting, index/highlight.py)."""
    fold_lang = lang or None
    out: list[tuple[str, int, int, int]] = []
    pos = 0
    for m in WORD_RE.finditer(value):
        word, base = m.group(), m.start()
        for ps, pe, advance in _pieces(word, True):
            out.append((fold_word(word[ps:pe], fold_lang), pos, base + ps, base + pe))
            pos += advance
    return out


def analyzer(lang: str) -> object:
    """The analyzer for text in ``lang`` (any code; unknown ones are folded unstemmed)."""
    return BriefingTokenizer() | FoldFilter(lang)


def analyze(text: str, lang: str) -> list[str]:
    """Token texts, for tests and debugging."""
    return [t.text for t in analyzer(lang)(text)]  # type: ignore[operator]
