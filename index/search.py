"""Open an index and search it. Everything returned is plain frozen data.

One :class:`Index` keeps one long-lived Whoosh searcher and reopens it only
when another process has published a new generation. Whoosh objects never
leave this module.
"""

from __future__ import annotations

import gc
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh.idsets import DocIdSet
from whoosh.qparser import MultifieldParser
from whoosh.query import And, Not, NullQuery, Or, Term, TermRange
from whoosh.query.qcore import QueryError as WhooshQueryError
from whoosh.searching import Results
from whoosh.sorting import FieldFacet, ScoreFacet

from corpus import Article, ArticleInfo
from corpus.aggregate import CitySummary, SpeakerSummary
from corpus.align import Alignment, align, pair_score
from corpus.text import window
from corpus.versions import VersionGroup, version_groups

from . import integrity, store, vector
from .build import check_generation
from .errors import IndexCorrupt, IndexError_, IndexOutdated, QueryError
from .highlight import Marks
from .query import Expander, Prepared, prepare, segment_han
from .ranking import TfBM25, collector
from .schema import SCHEMA_VERSION, is_ranked, text_field
from .sidestore import SideStore
from .store import SIDE_DB
from .strategy import by_field, relax, verify


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

    def to_dict(self) -> dict[str, Any]:
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


SNIPPET_CHARS = 240
PHRASE_CANDIDATES = 50  # relaxed matches checked against the query, then as many as the rate
PHRASE_CANDIDATES_MAX = 2000  # of those that held suggests, up to this
WEIGHTING = TfBM25(is_ranked)  # BM25 with B=0 (index/ranking.py)
ARTICLE_CACHE = 256  # articles kept in memory with their paragraphs


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)




class DocBits(DocIdSet):
    """A set of document numbers as a bitmap: 125 KB for a million documents,
    where a set of ints takes 50 MB (filters are cached per generation)."""

    def __init__(self, docs: Iterable[int] = (), size: int = 0, bits: bytearray | None = None) -> None:
        if bits is None:
            ids = docs if isinstance(docs, np.ndarray) else np.fromiter(docs, np.int64)
            bits = vector.bitmap(ids, size)
        self.bits = bits
        self._len = int.from_bytes(bits, "little").bit_count()
        self._flags: np.ndarray | None = None

    def flags(self, docs: int) -> np.ndarray:
        """The set as a boolean array over ``docs`` documents (index/vector.py), made once."""
        if self._flags is None or len(self._flags) != docs:
            raw = np.frombuffer(bytes(self.bits), dtype=np.uint8)
            self._flags = np.unpackbits(raw, bitorder="little")[:docs].astype(bool)
        return self._flags

    def __contains__(self, d: object) -> bool:
        return isinstance(d, int) and 0 <= d >> 3 < len(self.bits) and bool(self.bits[d >> 3] >> (d & 7) & 1)

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[int]:
        bits = self.bits
        return (i for i in range(len(bits) * 8) if bits[i >> 3] >> (i & 7) & 1)

    def _combine(self, other: DocBits, op: Callable[[int, int], int]) -> DocBits:
        n = max(len(self.bits), len(other.bits))
        value = op(int.from_bytes(self.bits, "little"), int.from_bytes(other.bits, "little"))
        return DocBits(bits=bytearray(value.to_bytes(n, "little")))

    def __and__(self, other: DocBits) -> DocBits:  # type: ignore[override]
        return self._combine(other, int.__and__)

    def __or__(self, other: DocBits) -> DocBits:  # type: ignore[override]
        return self._combine(other, int.__or__)


_UNSCORED = ("lang", "kind", "article", "speaker", "date")  # fields that only ever filter
SORTS = ("score", "date")


def _date_ranges(q: Any) -> Any:
    """``date:"lo..hi"`` (index/query.py writes date filters so) as the range
    of days it means; dates are YYYY-MM-DD, so their order is the text's."""
    def fix(node: Any) -> Any:
        if type(node) is Term and node.fieldname == "date" and ".." in node.text:
            lo, _, hi = node.text.partition("..")
            return TermRange("date", lo or None, hi or None, constantscore=True)
        return node

    return q.accept(fix)


def _is_date(x: Any) -> bool:
    return isinstance(x, TermRange) and x.fieldname == "date"


def _hoist_filters(q: Any, filters: tuple[tuple[str, str], ...]) -> tuple[Any, list[Any], list[Any]]:
    """Move the query's top-level filter terms (``lang:zh``, ``city:X`` when
    written as a filter) and negated terms (``NOT 深圳``) out of the scored query: they become
    cached document sets, and the rest keeps Whoosh's block skipping, which a
    conjunction with an unscored term loses. Returns (query, include, exclude)."""
    if type(q) is not And:
        return q, [], []
    wanted = {(f, v.lower()) for f, v in filters if f == "city"}

    def is_filter(x: Any) -> bool:
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


def _release_quietly() -> None:
    """Close the segment files a failed open left behind (Whoosh does not
    close the readers it opened before the damaged one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


class Index:
    """A read-only view of one index folder."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._gen: Path | None = None
        self._load()

    # -- opening ---------------------------------------------------------
    def _load(self) -> None:
        gen = store.current_generation(self.index_dir)
        damage = integrity.verify(gen, full=False)  # sizes, and the checksums of the small files
        if damage:
            self._outdated_or_damaged(gen, damage)
        meta = check_generation(gen, self.index_dir)
        if meta.get("schema") != SCHEMA_VERSION:
            raise IndexOutdated(self.index_dir, meta.get("schema"), SCHEMA_VERSION)
        side: SideStore | None = None
        try:
            knowledge = store.read_json(gen / store.KNOWLEDGE)
            side = SideStore.open(gen / SIDE_DB)
            infos = side.infos()
            speakers = [SpeakerSummary.from_dict(d) for d in side.get("speakers", [])]
            retired = side.get("retired", [])
            ix = windex.open_dir(str(gen))
            searcher = ix.searcher(weighting=WEIGHTING)
            searcher.doc_count()
        except Exception:
            # Damage the open-time check could not see (a changed byte in a large
            # file) is found by checking every file; anything else is a bug.
            if side is not None:
                side.close()
            damage = integrity.check(gen)
            if not damage:
                raise
            _release_quietly()  # here, once the exception (and the readers its frames hold) is gone
            raise IndexCorrupt(self.index_dir, integrity.describe(damage)) from None
        old = getattr(self, "_searcher", None)
        old_side = getattr(self, "_side", None)
        self._gen, self._meta, self._ix, self._searcher, self._side = gen, meta, ix, searcher, side
        self._infos = {a.id: a for a in infos}
        self._articles = tuple(infos)  # by id (the side store's order); one tuple per generation
        self._cache: OrderedDict[str, Article] = OrderedDict()
        self._filter_cache: dict[str, DocBits] = {}
        self._retired = DocBits(retired, searcher.doc_count_all()) if retired else None
        self._postings = vector.Postings(searcher, is_ranked)
        self._dates: np.ndarray | None = None  # each document's date rank, for sort="date" (made when first asked)
        self._speakers = speakers
        self._cities: list[CitySummary] | None = None
        self._versions: tuple[tuple[VersionGroup, ...], dict[str, VersionGroup]] | None = None  # and by id
        unregistered = {
            s.id: [s.name, s.id.removeprefix("unknown:"), *(f for fs in s.names.values() for f in fs)]
            for s in self._speakers
            if not s.known
        }
        self._expander = Expander(knowledge, unregistered)
        self._knowledge = knowledge
        self._text_fields = [f for f in ix.schema.names() if f.startswith("text_")]
        self._parser = MultifieldParser(self._text_fields, ix.schema)
        if old is not None:
            old.close()
        if old_side is not None:
            old_side.close()

    def _outdated_or_damaged(self, gen: Path, damage: list[integrity.Damage]) -> None:
        """Raise for a generation whose files do not match their checksums:
        an index of an older briefing (it has no checksums) is outdated,
        any other is damaged."""
        schema = store.schema_of(gen)
        if schema is not None and schema != SCHEMA_VERSION:
            raise IndexOutdated(self.index_dir, schema, SCHEMA_VERSION)
        raise IndexCorrupt(self.index_dir, integrity.describe(damage))

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Reading the index: a query Whoosh cannot evaluate becomes a
        :class:`QueryError`; a failure that a damaged file explains becomes
        :class:`IndexCorrupt` naming the file; any other stays what it is."""
        try:
            yield
        except (QueryError, IndexError_):
            raise
        except WhooshQueryError as exc:  # the user's to change, not a crash
            raise QueryError(f"this query cannot be evaluated: {exc}") from None
        except Exception:
            damage = integrity.check(self._gen) if self._gen is not None else []
            if not damage:
                raise
            raise IndexCorrupt(self.index_dir, integrity.describe(damage)) from None

    def check(self) -> list[integrity.Damage]:
        """Every checksum of the live generation and SQLite's quick_check of its
        side store (``briefing index check``): what is damaged, by file."""
        assert self._gen is not None
        return integrity.check(self._gen)

    def refresh(self) -> bool:
        """Pick up a generation published by another process. True if it changed."""
        with self._lock:
            try:
                target = os.readlink(self.index_dir / store.CURRENT)
            except OSError:
                return False
            if self._gen is not None and target == self._gen.name:
                return False
            self._load()
            return True

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._side.close()

    def __del__(self) -> None:
        # Segment files are open files (not one mapped compound file): an
        # Index dropped without close() must not leave them to the GC.
        try:
            self.close()
        except Exception:  # noqa: BLE001 - half-opened, or closed already
            pass

    # -- plain data ------------------------------------------------------
    def status(self) -> IndexStatus:
        m = self._meta
        return IndexStatus(
            index_dir=str(self.index_dir),
            generation=self._gen.name if self._gen else "",
            corpus=m.get("corpus", ""),
            built=m.get("built", ""),
            articles=m.get("articles", 0),
            paragraphs=m.get("paragraphs", 0),
            languages=tuple(m.get("languages", ())),
            skipped=tuple((s["path"], s["reason"]) for s in m.get("skipped", ())),
            schema=m.get("schema", 0),
            unread=tuple(m.get("unread", ())),
        )

    def articles(self) -> tuple[ArticleInfo, ...]:
        """Every article without its paragraphs, by id. The same tuple until
        the generation changes, so callers may key their own caches on it."""
        return self._articles

    def info(self, aid: str) -> ArticleInfo | None:
        return self._infos.get(aid)

    def fingerprints(self) -> dict[str, str]:
        """Every article's content hash by id: what changed between two runs
        (saved searches report new and changed articles by it)."""
        with self._lock, self._reading():
            return self._side.fingerprints()

    def article(self, aid: str) -> Article | None:
        """One article with its paragraphs, read from the side store (the
        most recently used ones stay in memory)."""
        with self._lock:
            article = self._cache.get(aid)
            if article is not None:
                self._cache.move_to_end(aid)
                return article
            if aid not in self._infos:
                return None
            with self._reading():
                article = self._side.article(aid)
            if article is None:
                return None
            self._cache[aid] = article
            if len(self._cache) > ARTICLE_CACHE:
                self._cache.popitem(last=False)
            return article

    def knowledge(self) -> dict[str, Any]:
        return self._knowledge

    def speakers(self) -> list[SpeakerSummary]:
        """Everyone who speaks or is introduced, one entry per identity
        (derived at build time)."""
        return list(self._speakers)

    def cities(self) -> list[CitySummary]:
        """Every gazetteer place mentioned outside boilerplate (derived at
        build time, read on first use)."""
        with self._lock, self._reading():
            if self._cities is None:
                self._cities = [CitySummary.from_dict(d) for d in self._side.get("cities", [])]
            return list(self._cities)

    def speaker_paragraphs(self, speaker_id: str, limit: int = 500) -> tuple[int, list[tuple[str, int]]]:
        """How many paragraphs give ``speaker_id``'s words (turns, their
        continuations, quotes), and the first ``limit`` as ``(article, n)``."""
        with self._lock, self._reading():
            total, rows = self._side.refs("speaker", speaker_id, limit)
        return total, [(aid, n) for aid, n, _s, _e in rows]

    def city_mentions(self, city_id: str, limit: int = 500) -> tuple[int, list[tuple[str, int, int, int]]]:
        """How many times a place is mentioned outside boilerplate, and the
        first ``limit`` mentions as ``(article, n, start, end)``."""
        with self._lock, self._reading():
            return self._side.refs("city", city_id, limit)

    def versions(self) -> tuple[VersionGroup, ...]:
        """Every group of language versions (two or more articles), each with
        its links and their confidences; the groups with the weakest link
        first. Read from the side store on first use, per generation."""
        return self._version_groups()[0]

    def version_confidence(self, a: str, b: str) -> float | None:
        """The confidence that ``a`` and ``b`` are versions of one text (1.0
        when declared), or None when they are not linked."""
        group = self._version_groups()[1].get(a)
        return group.confidence(a, b) if group is not None and b in group.ids else None

    def _version_groups(self) -> tuple[tuple[VersionGroup, ...], dict[str, VersionGroup]]:
        with self._lock, self._reading():
            if self._versions is None:
                groups = version_groups(self._articles, self._side.links())
                self._versions = (groups, {aid: g for g in groups for aid in g.ids})
            return self._versions

    def alignment(self, source: str, target: str) -> Alignment:
        """Paragraph alignment of two articles: stored at build time for
        linked versions; computed now (and scored) for any other pair.
        Raises KeyError naming an unknown id."""
        for aid in (source, target):
            if aid not in self._infos:
                raise KeyError(aid)
        with self._lock, self._reading():
            stored = self._side.alignment(source, target)
            if stored is not None:
                return stored
            stored = self._side.alignment(target, source)
            if stored is not None:
                return stored.flipped()
        a, b = self.article(source), self.article(target)
        assert a is not None and b is not None
        return align(a, b, pair_score(a, b, self._knowledge.get("lengths", {})))

    def _docs(self, q: Any) -> DocBits:
        """The documents a filter query matches, cached for this generation:
        building the set costs a pass over the postings, once instead of per search."""
        key = repr(q)
        if key not in self._filter_cache:
            # A term's posting list is decoded at once: half the time of Whoosh's iteration.
            docs = self._postings.ids(q) if type(q) is Term else self._searcher.docs_for_query(q)
            self._filter_cache[key] = DocBits(docs, self._searcher.doc_count_all())
        return self._filter_cache[key]

    def _mask(self, excluded: list[Any]) -> DocBits | None:
        """Documents a search leaves out: those the queries match, and the
        paragraphs an update retired (index/build.py ``_retire``)."""
        more = self._docset(excluded, all_of=False)
        if self._retired is None or more is None:
            return more if self._retired is None else self._retired
        key = "retired|" + "".join(sorted(repr(x) for x in excluded))
        if key not in self._filter_cache:
            self._filter_cache[key] = self._retired | more
        return self._filter_cache[key]

    def _docset(self, queries: list[Any], all_of: bool) -> DocBits | None:
        """The documents all (or any) of these filter queries match, cached."""
        if not queries:
            return None
        if len(queries) == 1:
            return self._docs(queries[0])
        key = ("&" if all_of else "|") + "".join(sorted(repr(x) for x in queries))
        if key not in self._filter_cache:
            sets = [self._docs(x) for x in queries]
            out = sets[0]
            for other in sets[1:]:
                out = out & other if all_of else out | other
            self._filter_cache[key] = out
        return self._filter_cache[key]

    def warm_up(self) -> None:
        """Load what the first query would otherwise wait for (jieba's
        dictionary, the cities summary). Meant for a background thread."""
        if "zh" in self._meta.get("languages", ()):
            segment_han("科技创新")
        with self._lock:
            self._mask([Term("kind", "boilerplate")])
        self.cities()

    # -- search ----------------------------------------------------------
    def prepare(self, query: str, exact: bool = False) -> Prepared:
        return prepare(query, self._expander, exact=exact, langs=tuple(self._meta.get("languages", ())))

    def search(
        self,
        query: str,
        lang: str | Sequence[str] | None = None,
        limit: int = 20,
        exact: bool = False,
        include_boilerplate: bool = False,
        sort: str = "score",
    ) -> SearchResult:
        """Ranked paragraphs for ``query``; ``lang`` keeps one language or
        any of several. ``sort="date"``: the newest articles' paragraphs
        first (then by score; undated articles last). Raises :class:`QueryError`."""
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        if sort not in SORTS:
            raise QueryError(f"--sort {sort}: sort by one of {', '.join(SORTS)}")
        with self._lock, self._reading():
            prepared = self.prepare(query, exact=exact)
            q = _date_ranges(self._parser.parse(prepared.whoosh))
            filters: list[Any] = []
            langs = self._langs(lang)
            if langs:
                filters.append(Term("lang", langs[0]) if len(langs) == 1 else Or([Term("lang", x) for x in langs]))
            hide_boilerplate = not include_boilerplate and not prepared.has_kind_filter
            excluded = [Term("kind", "boilerplate")] if hide_boilerplate else []
            marks = Marks.of(q)  # the whole query's words and phrases, whatever strategy answers it
            q, hoisted, negated = _hoist_filters(q, prepared.filters)
            filters += hoisted
            excluded += negated
            notes = list(prepared.notes)
            hidden, hidden_exact = 0, True
            if self._searcher.doc_count_all() == 0:
                # Nothing to rank (BM25's statistics are undefined over no documents).
                notes.append(f"the index holds no articles (corpus {self._meta.get('corpus', '?')})")
                return SearchResult(query, prepared.expanded, prepared.terms, 0, (), tuple(notes))
            answer = self._answer if sort == "score" else self._by_date
            hits, total, exact = answer(q, limit, self._docset(filters, all_of=True), self._mask(excluded),
                                        prepared.places, marks)
            if hide_boilerplate and len(hits) < limit:
                # Few hits: say when boilerplate, left out by default, holds more.
                flt = self._docset([*filters, Term("kind", "boilerplate")], all_of=True)
                _h, hidden, hidden_exact = self._answer(q, 1, flt, self._mask(negated), prepared.places, marks)
                if hidden:
                    count = f"{'' if hidden_exact else '≈'}{hidden:,}"
                    notes.append(f"{count} {'hit' if hidden == 1 else 'hits'} in boilerplate (promotions, headline "
                                 f"lists) not shown: --all or kind:boilerplate shows {'it' if hidden == 1 else 'them'}")
            return SearchResult(
                query=query,
                expanded=prepared.expanded,
                terms=prepared.terms,
                total=max(total, len(hits)),
                hits=hits,
                notes=tuple(notes),
                exact=exact,
                in_boilerplate=hidden,
                in_boilerplate_exact=hidden_exact,
            )

    def _langs(self, lang: str | Sequence[str] | None) -> tuple[str, ...]:
        """``--lang`` values, lower-cased, each one the index holds."""
        given = (lang,) if isinstance(lang, str) else tuple(lang or ())
        langs = tuple(dict.fromkeys(x.strip().lower() for x in given if x.strip()))
        held = self._meta.get("languages", ())
        for x in langs:
            if x not in held:
                raise QueryError(f"--lang {x}: the index holds no {x!r} articles; languages: {', '.join(held)}")
        return langs

    def _answer(self, q: Any, limit: int, flt: DocBits | None, mask: DocBits | None, places: tuple[str, ...],
                marks: Marks) -> tuple[tuple[Hit, ...], int, bool]:
        """The best hits of ``q``, its count and whether the count is exact."""
        parts = by_field(q, self._text_fields)
        if parts is None:
            return self._run(q, limit, flt, mask, places, marks)
        # Disjoint parts, one per language: the best hits are the best of each part's best.
        runs = [self._run(part, limit, flt, mask, places, marks) for part in parts.values()]
        hits = tuple(sorted((h for r in runs for h in r[0]), key=lambda h: -h.score)[:limit])
        return hits, sum(r[1] for r in runs), all(r[2] for r in runs)

    def _by_date(self, q: Any, limit: int, flt: DocBits | None, mask: DocBits | None, places: tuple[str, ...],
                 marks: Marks) -> tuple[tuple[Hit, ...], int, bool]:
        """The newest ``limit`` hits (the date, then the score), and the exact count."""
        if flt is not None and not flt:
            return (), 0, True
        if vector.supported(q):  # words and places: over whole posting lists, with each document's date rank
            if self._dates is None:
                self._dates = self._postings.ranks("date")
            return self._vector(q, limit, flt, mask, places, marks, first=self._dates)
        order = [FieldFacet("date", reverse=True), ScoreFacet()]
        results = self._searcher.search(q, limit=limit, filter=flt, mask=mask, sortedby=order)
        # A sorted hit's score is its sort key: (date rank, -score).
        return tuple(self._hit(h, places, marks, -h.score[-1]) for h in results), len(results), True

    def _search(self, q: Any, **kw: Any) -> Any:
        """Whoosh's results for ``q`` under the collector of index/ranking.py."""
        if kw.get("filter") is not None and not kw["filter"]:
            q = NullQuery  # Whoosh reads an empty filter as none: every match would pass
        c = collector(self._searcher, **kw)
        self._searcher.search_with_collector(q, c)
        return c.results()

    def _run(self, q: Any, limit: int, flt: DocBits | None, mask: DocBits | None,
             places: tuple[str, ...], marks: Marks) -> tuple[tuple[Hit, ...], int, bool]:
        """The best ``limit`` hits of one query, the count and whether it is exact."""
        if vector.worth_it(q, self._postings, flt, mask):
            return self._vector(q, limit, flt, mask, places, marks)
        found = self._relaxed_search(q, limit, flt, mask, places, marks)
        if found is not None:
            return found
        results = self._search(q, limit=limit, filter=flt, mask=mask)
        hits = tuple(self._hit(h, places, marks) for h in results)
        # Counting every match would score all of them again. When the top N
        # are not all there is, report an estimate (from document
        # frequencies) and say it is one.
        scored = results.scored_length()
        exact = scored < limit
        return hits, scored if exact else max(scored, self._estimate(q, flt, mask)), exact

    def _vector(self, q: Any, limit: int, flt: DocBits | None, mask: DocBits | None, places: tuple[str, ...],
                marks: Marks, first: np.ndarray | None = None) -> tuple[tuple[Hit, ...], int, bool]:
        """``q`` over whole posting lists (index/vector.py): the top hits and the exact count."""
        top_n, total = vector.top(q, self._postings, limit, flt, mask, first=first)
        return tuple(self._hit(h, places, marks) for h in Results(self._searcher, q, top_n)), total, True

    def _relaxed_search(self, q: Any, limit: int, flt: Any, mask: Any, places: tuple[str, ...],
                        marks: Marks) -> tuple[tuple[Hit, ...], int, bool] | None:
        """A query with phrases or conjunctions, answered from the best
        matches of its relaxed form (its rarest words) that the original
        query holds for (index/strategy.py). None: run the original query."""
        if vector.supported(q):
            return None  # words only: Whoosh's own evaluation is cheap when index/vector.py was not worth it
        reader = self._searcher.reader()
        relaxed = relax(q, lambda x: x.estimate_size(reader))
        if relaxed is None:
            return None
        wanted = max(PHRASE_CANDIDATES, 3 * limit)
        while True:
            results = self._search(relaxed, limit=wanted, filter=flt, mask=mask)
            complete = results.scored_length() < wanted  # every match of the relaxed query is here
            candidates = list(results)
            ok = verify(q, self._searcher, (h.docnum for h in candidates))
            held = [h for h in candidates if h.docnum in ok]
            if complete or len(held) >= limit or not held:
                break  # none held: the relaxed ranking is no guide here
            wanted = max(wanted * 2, int(len(candidates) * limit / len(held) * 1.5))  # enough at this rate
            if wanted > PHRASE_CANDIDATES_MAX:
                break
        if not complete and len(held) < limit:
            return None
        hits = tuple(self._hit(h, places, marks) for h in held[:limit])
        if complete:
            return hits, len(held), True
        return hits, max(len(held), self._estimate(q, flt, mask)), False

    def _estimate(self, q: Any, flt: DocBits | None, mask: DocBits | None) -> int:
        """Whoosh's estimate of the matches (from document frequencies),
        scaled by the share of documents the filter keeps and the mask leaves."""
        est = float(q.estimate_size(self._searcher.reader()))
        docs = max(1, self._searcher.doc_count_all())
        if flt is not None:
            est *= len(flt) / docs
        if mask is not None:
            est *= 1 - len(mask) / docs
        return int(est)

    def matches_in(self, query: str, article_id: str, exact: bool = False) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
        """Every paragraph of one article that ``query`` matches, with the
        matched spans in the paragraph's full text (for the reader's
        highlights and n/N). Raises :class:`QueryError`."""
        if article_id not in self._infos:
            return ()
        with self._lock, self._reading():
            prepared = self.prepare(query, exact=exact)
            q = _date_ranges(self._parser.parse(prepared.whoosh))
            mask = self._mask([] if prepared.has_kind_filter else [Term("kind", "boilerplate")])
            results = self._search(q, limit=None, filter=self._docs(Term("article", article_id)), mask=mask)
            marks = Marks.of(q)
            out = [(h["n"], self._full_spans(h, prepared.places, marks)) for h in results]
        return tuple(sorted(out))

    def _full_spans(self, h: Any, places: tuple[str, ...], marks: Marks) -> tuple[tuple[int, int], ...]:
        """Matched spans in the hit's whole paragraph: the query's words,
        its phrases where they occur whole, and the mentions of the places
        searched for."""
        article = self.article(h["article"])
        assert article is not None
        para = article.paragraph(h["n"])
        found = marks.spans(para.text, text_field(article.lang))
        found += [(s, e) for cid, s, e in para.mentions if cid in places]
        return _merge(found)

    def _hit(self, h: Any, places: tuple[str, ...], marks: Marks, score: float | None = None) -> Hit:
        aid, n = h["article"], h["n"]
        article = self.article(aid)
        assert article is not None
        para = article.paragraph(n)
        snippet, spans = window(para.text, self._full_spans(h, places, marks), SNIPPET_CHARS)
        return Hit(
            article=aid,
            path=article.path,
            lang=article.lang,
            paragraph=n,
            score=float(h.score or 0.0) if score is None else score,
            snippet=snippet,
            highlights=spans,
            speaker=para.voice,
            kind=para.kind.value,
            title=article.title,
            date=article.date,
        )


__all__ = ["Hit", "Index", "IndexStatus", "SearchResult"]
