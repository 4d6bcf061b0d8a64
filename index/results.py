"""What a search returns, as plain frozen data, and how a matched
paragraph becomes a hit: its snippet and the spans to highlight."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpus import Article
from corpus.text import window

from .highlight import Marks
from .schema import text_field

SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Hit:
    article: str
    path: str
    lang: str
    paragraph: int
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]  # spans in ``snippet``
    speaker: str | None
    kind: str
    title: str
    date: str | None = None  # the article's
    similarity: float | None = None  # a meaning query's cosine similarity (its score)

    def to_dict(self) -> dict[str, Any]:
        more = {} if self.similarity is None else {"similarity": self.similarity}
        return {
            "article": self.article,
            "path": self.path,
            "lang": self.lang,
            "paragraph": self.paragraph,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "speaker": self.speaker,
            "kind": self.kind,
            "title": self.title,
            "date": self.date,
            **more,
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    expanded: tuple[str, ...]
    terms: tuple[str, ...]
    total: int  # exact, or an estimate when counting every match would cost more than the search
    hits: tuple[Hit, ...]
    notes: tuple[str, ...] = ()
    exact: bool = True
    in_boilerplate: int = 0  # matches left out because they are boilerplate (counted when the hits are few)
    in_boilerplate_exact: bool = True
    meaning: bool = False  # searched by meaning (a ``~`` query, "like this"): hits carry their similarity

    @property
    def total_text(self) -> str:
        """The count as shown: ``12,400`` or ``≈12,400``."""
        return f"{'' if self.exact else '≈'}{self.total:,}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "expanded": list(self.expanded),
            "total": self.total,
            "total_exact": self.exact,
            "hits": [h.to_dict() for h in self.hits],
            "notes": list(self.notes),
            "in_boilerplate": self.in_boilerplate,
        }


@dataclass(frozen=True)
class IndexStatus:
    index_dir: str
    generation: str
    corpus: str
    built: str
    articles: int
    paragraphs: int
    languages: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    schema: int
    unread: tuple[str, ...] = ()  # files of kinds that are not read (.pdf, .png ...)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index_dir,
            "generation": self.generation,
            "corpus": self.corpus,
            "built": self.built,
            "articles": self.articles,
            "paragraphs": self.paragraphs,
            "languages": list(self.languages),
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "unread": list(self.unread),
            "schema": self.schema,
        }


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def full_spans(article: Article, n: int, places: tuple[str, ...], marks: Marks) -> tuple[tuple[int, int], ...]:
    """Matched spans in paragraph ``n``'s whole text: the query's words, its
    phrases where they occur whole, and the mentions of the places searched for."""
    para = article.paragraph(n)
    found = marks.spans(para.text, text_field(article.lang))
    found += [(s, e) for cid, s, e in para.mentions if cid in places]
    return _merge(found)


def hit(article: Article, n: int, score: float, places: tuple[str, ...], marks: Marks) -> Hit:
    """Paragraph ``n`` of ``article`` as a hit, with a snippet around its matches."""
    para = article.paragraph(n)
    snippet, spans = window(para.text, full_spans(article, n, places, marks), SNIPPET_CHARS)
    return Hit(
        article=article.id,
        path=article.path,
        lang=article.lang,
        paragraph=para.n,
        score=score,
        snippet=snippet,
        highlights=spans,
        speaker=para.voice,
        kind=para.kind.value,
        title=article.title,
        date=article.date,
    )


@dataclass(frozen=True)
class Census:
    """What the article list holds, counted without reading it."""

    articles: int
    languages: tuple[tuple[str, int], ...]  # most articles first
    first: str | None  # the earliest date
    last: str | None
    undated: int
