"""Open an index and search it. Everything returned is plain frozen data.

An :class:`Index` holds the live :class:`~index.generation.Generation` and
swaps it when another process publishes a new one. A search compiles the
query (index/query.py, index/compiler.py), lets the planner evaluate it
(index/planner.py) with a searcher of its own, and turns the documents found
into hits with snippets from the side store. Whoosh objects never leave the
index package.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.query import Or, Query, Term
from whoosh.query.qcore import QueryError as WhooshQueryError

from corpus import Article, ArticleInfo
from corpus.aggregate import CitySummary, SpeakerSummary, cities_from_partials, speakers_from_partials, with_articles
from corpus.align import Alignment, align
from corpus.evidence import pair_score
from corpus.loader import detect_language
from corpus.versions import VersionGroup, version_groups

from . import integrity, meaning, store
from .bitsets import DocBits, Flags
from .compiler import compile_query, hoist_filters
from .errors import IndexCorrupt, IndexError_, QueryError
from .generation import Generation
from .highlight import Marks
from .planner import Found, Strategy
from .query import MEANING, OPERATORS, Prepared, prepare, segment_han, split_meaning
from .results import Census, Hit, IndexStatus, SearchResult, full_spans, hit
from .schema import text_field
from .sidestore import SideStore

SORTS = ("score", "date")


class Index:
    """A read-only view of one index folder: the live generation, swapped
    when another process publishes a newer one (:meth:`refresh`)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._swap = threading.Lock()
        self._gen = Generation(self.index_dir)

    # -- generations -----------------------------------------------------
    @contextmanager
    def _using(self) -> Iterator[Generation]:
        """The live generation, kept open while the caller reads it. A read
        that fails is checked for damage: a failure that a damaged file
        explains becomes :class:`IndexCorrupt` naming the file; a query
        Whoosh cannot evaluate becomes :class:`QueryError`; any other
        failure stays what it is."""
        with self._swap:
            gen = self._gen
        with gen.in_use():
            try:
                yield gen
            except WhooshQueryError as exc:  # the user's to change, not a crash
                raise QueryError(f"this query cannot be evaluated: {exc}") from None
            except (QueryError, IndexError_):
                raise
            except Exception as exc:
                damage = integrity.damage_behind(exc, gen.path)
                if not damage:
                    raise
                raise IndexCorrupt(self.index_dir, integrity.describe(damage)) from None

    def refresh(self) -> bool:
        """Pick up a generation published by another process. True if it changed."""
        try:
            target = os.readlink(self.index_dir / store.CURRENT)
        except OSError:
            return False
        with self._swap:
            if target == self._gen.path.name:
                return False
        fresh = Generation(self.index_dir)
        with self._swap:
            old, self._gen = self._gen, fresh
        old.retire()
        return True

    def check(self) -> list[integrity.Damage]:
        """Every checksum of the live generation and SQLite's quick_check of its
        side store (``briefing index check``): what is damaged, by file."""
        return integrity.check(self._gen.path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the live generation's files (searchers lent out close when returned)."""
        with self._swap:
            gen = self._gen
        gen.retire()

    # -- plain data ------------------------------------------------------
    def status(self) -> IndexStatus:
        gen = self._gen
        m = gen.meta
        return IndexStatus(
            index_dir=str(self.index_dir),
            generation=gen.path.name,
            corpus=m.get("corpus", ""),
            built=m.get("built", ""),
            articles=m.get("articles", 0),
            paragraphs=m.get("paragraphs", 0),
            languages=tuple(m.get("languages", ())),
            skipped=tuple((s["path"], s["reason"]) for s in m.get("skipped", ())),
            schema=m.get("schema", 0),
            unread=tuple(m.get("unread", ())),
        )

    def articles(self, order: str = "id", offset: int = 0, limit: int = -1) -> tuple[ArticleInfo, ...]:
        """Articles without their paragraphs, read from the side store: in
        ``order`` ("id", "date": newest first and undated last, or "lang":
        by language, then newest first), ``limit`` of them (-1: all) from
        ``offset``. A reader asks for the page it shows."""
        if order not in SideStore.ORDERS:
            raise ValueError(f"order {order!r}: one of {', '.join(SideStore.ORDERS)}")
        with self._using() as gen:
            return tuple(gen.side(lambda side: side.infos(order, offset, limit)))

    def census(self) -> Census:
        """How many articles there are, per language, and their dates' span."""
        return self._gen.census

    def find_articles(self, text: str, limit: int = 50) -> tuple[ArticleInfo, ...]:
        """Articles whose id or title contains ``text``, by id (the palette's "Open")."""
        with self._using() as gen:
            return tuple(gen.side(lambda side: side.find(text, limit)))

    def info(self, aid: str) -> ArticleInfo | None:
        with self._using() as gen:
            return gen.info(aid)

    def fingerprints(self) -> dict[str, str]:
        """Every article's content hash by id: what changed between two runs
        (saved searches report new and changed articles by it)."""
        with self._using() as gen:
            return gen.side(lambda side: side.fingerprints())

    def article(self, aid: str) -> Article | None:
        """One article with its paragraphs, read from the side store (the
        most recently used ones stay in memory)."""
        with self._using() as gen:
            return gen.article(aid)

    def knowledge(self) -> dict[str, Any]:
        return self._gen.knowledge

    def speakers(self, full: bool = False) -> list[SpeakerSummary]:
        """Everyone who speaks or is introduced, one entry per identity
        (derived at build time). Light (``articles`` left out, counted in
        ``n_articles``) unless ``full``, which merges every article's share
        (seconds at 100,000 articles: the CLI's ``speakers``)."""
        if not full:
            return list(self._gen.speakers)
        with self._using() as gen:
            def merged(side: Any) -> list[SpeakerSummary]:
                raw = side.get("identities")
                names = dict(raw["names"]) if raw else {}
                return speakers_from_partials(side.shares("speaker"), gen.knowledge.get("people", []), names)

            return with_articles(gen.speakers, gen.side(merged))

    def cities(self, full: bool = False) -> list[CitySummary]:
        """Every gazetteer place mentioned outside boilerplate (derived at
        build time, read on first use). Light (no mentions per article,
        counted in ``n_articles`` and ``mentions``) unless ``full`` (as
        :meth:`speakers`)."""
        with self._using() as gen:
            def read() -> tuple[CitySummary, ...]:
                return gen.side(lambda side: tuple(CitySummary.from_dict(d) for d in side.summaries("city")))

            light = gen.once("cities", read)
            if not full:
                return list(light)
            return with_articles(light, gen.side(
                lambda side: cities_from_partials(side.shares("city"), gen.knowledge.get("cities", []))))

    def speaker_paragraphs(self, speaker_id: str, limit: int = 500) -> tuple[int, list[tuple[str, int]]]:
        """How many paragraphs give ``speaker_id``'s words (turns, their
        continuations, quotes), and the first ``limit`` as ``(article, n)``."""
        with self._using() as gen:
            total, rows = gen.side(lambda side: side.refs("speaker", speaker_id, limit))
        return total, [(aid, n) for aid, n, _s, _e in rows]

    def city_mentions(self, city_id: str, limit: int = 500) -> tuple[int, list[tuple[str, int, int, int]]]:
        """How many times a place is mentioned outside boilerplate, and the
        first ``limit`` mentions as ``(article, n, start, end)``."""
        with self._using() as gen:
            return gen.side(lambda side: side.refs("city", city_id, limit))

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
        with self._using() as gen:
            def read() -> tuple[tuple[VersionGroup, ...], dict[str, VersionGroup]]:
                groups = version_groups(gen.side(lambda side: side.versioned()), gen.side(lambda side: side.links()))
                return groups, {aid: g for g in groups for aid in g.ids}

            return gen.once("versions", read)

    def alignment(self, source: str, target: str) -> Alignment:
        """Paragraph alignment of two articles: stored at build time for
        linked versions; computed now (and scored) for any other pair.
        Raises KeyError naming an unknown id."""
        with self._using() as gen:
            for aid in (source, target):
                if gen.info(aid) is None:
                    raise KeyError(aid)
            stored = gen.side(lambda side: side.alignment(source, target))
            if stored is not None:
                return stored
            stored = gen.side(lambda side: side.alignment(target, source))
            if stored is not None:
                return stored.flipped()
            a, b = gen.article(source), gen.article(target)
        assert a is not None and b is not None
        return align(a, b, pair_score(a, b, gen.knowledge.get("lengths", {})))

    def warm_up(self) -> None:
        """Load what the first query would otherwise wait for (jieba's
        dictionary, the boilerplate mask, the cities summary). Meant for a
        background thread."""
        with self._using() as gen:
            if "zh" in gen.languages:
                segment_han("科技创新")
            with gen.searcher() as s:
                gen.mask([Term("kind", "boilerplate")], s)
        self.cities()

    # -- search ----------------------------------------------------------
    def prepare(self, query: str, exact: bool = False) -> Prepared:
        """Check ``query`` and resolve its names and filters. Raises :class:`QueryError`."""
        gen = self._gen
        return prepare(query, gen.expander, exact=exact, langs=gen.languages)

    def search(
        self,
        query: str,
        lang: str | Sequence[str] | None = None,
        limit: int = 20,
        exact: bool = False,
        include_boilerplate: bool = False,
        sort: str = "score",
        strategy: Strategy = "auto",
        hybrid: bool = True,
    ) -> SearchResult:
        """Ranked paragraphs for ``query``; ``lang`` keeps one language or
        any of several. ``sort="date"``: the newest articles' paragraphs
        first (then by score; undated articles last). ``strategy`` forces
        one evaluation (index/planner.py; for tests and diagnosis: every
        strategy gives the same hits). ``hybrid=False``: a ``~`` query ranked
        by similarity alone (for measuring what its words add). Raises :class:`QueryError`."""
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        if sort not in SORTS:
            raise QueryError(f"--sort {sort}: sort by one of {', '.join(SORTS)}")
        split = split_meaning(query)
        if split is not None:
            if sort != "score":
                raise QueryError(f"--sort {sort}: a {MEANING} query is ranked by similarity")
            return self._by_meaning(query, split, lang, limit, include_boilerplate, hybrid)
        with self._using() as gen:
            prepared = prepare(query, gen.expander, exact=exact, langs=gen.languages)
            langs = self._langs(gen, lang)
            if gen.docs == 0:
                # Nothing to rank (BM25's statistics are undefined over no documents).
                empty = f"the index holds no articles (corpus {gen.meta.get('corpus', '?')})"
                return SearchResult(query, prepared.expanded, prepared.terms, 0, (), (*prepared.notes, empty))
            q = compile_query(prepared.items, gen.schema, gen.text_fields)
            marks = Marks.of(q)  # the whole query's words and phrases, whatever strategy answers it
            q, hoisted, negated = hoist_filters(q, prepared.filters)
            filters: list[Query] = []
            if langs:
                filters.append(Term("lang", langs[0]) if len(langs) == 1 else Or([Term("lang", x) for x in langs]))
            filters += hoisted
            hide_boilerplate = not include_boilerplate and not prepared.has_kind_filter
            excluded = [Term("kind", "boilerplate"), *negated] if hide_boilerplate else negated
            notes = list(prepared.notes)
            with gen.searcher() as s:
                plan = gen.planner(s, strategy)
                flt, mask = gen.docset(filters, all_of=True, searcher=s), gen.mask(excluded, s)
                if sort == "score":
                    found = plan.best(q, limit, flt, mask)
                else:
                    found = plan.newest(q, limit, flt, mask, lambda: gen.date_ranks(s))
                hidden = Found((), 0, True)
                if hide_boilerplate and len(found.docs) < limit:
                    # Few hits: say when boilerplate, left out by default, holds more.
                    in_boilerplate = gen.docset([*filters, Term("kind", "boilerplate")], all_of=True, searcher=s)
                    hidden = plan.best(q, 1, in_boilerplate, gen.mask(negated, s))
                stored = [s.stored_fields(d) for d, _score in found.docs]
            hits = tuple(self._hit(gen, f, score, prepared.places, marks)
                         for f, (_d, score) in zip(stored, found.docs, strict=True))
            if hidden.total:
                count = f"{'' if hidden.exact else '≈'}{hidden.total:,}"
                them = "it" if hidden.total == 1 else "them"
                notes.append(f"{count} {'hit' if hidden.total == 1 else 'hits'} in boilerplate (promotions, headline "
                             f"lists) not shown: --all or kind:boilerplate shows {them}")
            return SearchResult(
                query=query,
                expanded=prepared.expanded,
                terms=prepared.terms,
                total=max(found.total, len(hits)),
                hits=hits,
                notes=tuple(notes),
                exact=found.exact,
                in_boilerplate=hidden.total,
                in_boilerplate_exact=hidden.exact,
            )

    def _by_meaning(self, query: str, split: tuple[str, str], lang: str | Sequence[str] | None, limit: int,
                    include_boilerplate: bool, hybrid: bool = True) -> SearchResult:
        """A ``~`` query: the paragraphs nearest the text's vector, under
        the query's filters (index/meaning.py)."""
        text, filter_query = split
        if not text.strip():
            raise QueryError(f"{MEANING} needs words to search by meaning, "
                             f"e.g. {MEANING}ports cooperating across the bay")
        with self._using() as gen:
            langs = self._langs(gen, lang)
            with gen.searcher() as s:
                flt, mask, notes = self._filters(gen, s, filter_query, langs, include_boilerplate)
                segments = _vectors(gen, s)
                try:
                    vector = meaning.encode_query(text)
                except RuntimeError as exc:
                    raise QueryError(f"search by meaning is unavailable here: {exc}") from exc
                found = meaning.nearest(segments, vector, max(limit, HYBRID_POOL),
                                        _allowed(s.doc_count_all(), flt, mask))
                found = self._raised_by_words(gen, s, text, found)[:limit] if hybrid else found[:limit]
                stored = [s.stored_fields(d) for d, _sim in found]
        return self._meaning_result(gen, query, found, stored, notes)

    @staticmethod
    def _raised_by_words(gen: Generation, s: Any, text: str, found: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Hybrid ranking: the meaning query's words, any of them, searched
        as a word query (BM25) among the meaning hits in the query's own
        language (fastText's guess; none when it names a language the index
        does not hold), and the two rankings fused by reciprocal rank (1/(k + rank)
        summed, k = :data:`RRF_K`). A hit no word matches keeps its meaning
        rank's share, so words raise hits and never remove one. Only the
        query's language: across languages the shared words are names and
        numbers, which raise every paragraph that mentions them over the
        translation (measured: P@1 en→zh 0.98 → 0.69 when they counted)."""
        if len(found) < 2:
            return found
        lang = detect_language(text)
        if lang not in gen.languages:
            return found
        same = gen.docset([Term("lang", lang)], all_of=True, searcher=s)
        if not same:
            return found
        pool = sorted(d for d, _sim in found if d in same)  # the hits in the query's language
        if not pool:
            return found
        # the first MAX_HYBRID_WORDS distinct words that are not common (each checked once, only until then)
        words = list(islice((w for w in dict.fromkeys(_WORD.findall(text)) if w.upper() not in OPERATORS
                             and not _common(s, gen.schema, lang, w, len(same))), MAX_HYBRID_WORDS))
        if not words:
            return found
        try:
            prepared = prepare(" OR ".join(words), gen.expander, langs=gen.languages)
        except QueryError:
            return found
        q = compile_query(prepared.items, gen.schema, gen.text_fields)
        by_words = _ranked_among(s, q, pool)
        if not by_words:
            return found

        def fused(item: tuple[int, tuple[int, float]]) -> float:
            rank, (d, _sim) = item
            return 1.0 / (RRF_K + 1 + rank) + (1.0 / (RRF_K + 1 + by_words[d]) if d in by_words else 0.0)

        return [hit for _r, hit in sorted(enumerate(found), key=lambda item: (-fused(item), item[0]))]

    def like(self, article_id: str, n: int, lang: str | Sequence[str] | None = None,
             limit: int = 20) -> SearchResult:
        """Paragraphs like paragraph ``n`` of ``article_id`` in other
        articles, in every language, leaving out the article and its own
        versions: who else reported this? Raises :class:`QueryError`."""
        query = f"like {article_id} {n}"
        with self._using() as gen:
            info = gen.info(article_id)
            if info is None:
                raise QueryError(f"no article {article_id!r} in the index")
            if not 1 <= n <= info.paragraph_count:
                raise QueryError(f"{article_id} has paragraphs 1 to {info.paragraph_count}; there is no {n}")
            langs = self._langs(gen, lang)
            own = {article_id, *info.translations}
            with gen.searcher() as s:
                segments = _vectors(gen, s)
                docnum = next((d for d in gen.docs_matching(Term("article", article_id), s)
                               if s.stored_fields(d)["n"] == n), None)
                vector = None if docnum is None else meaning.vector_of(segments, docnum)
                if vector is None:
                    raise QueryError(f"paragraph {n} of {article_id} is boilerplate or empty: it has no vector")
                flt, mask, notes = self._filters(gen, s, "", langs, False)
                others = gen.docset([Term("article", a) for a in sorted(own)], all_of=False, searcher=s)
                found = meaning.nearest(segments, vector, limit, _allowed(s.doc_count_all(), flt, mask, others))
                stored = [s.stored_fields(d) for d, _sim in found]
        return self._meaning_result(gen, query, found, stored, notes)

    def _filters(self, gen: Generation, s: Any, filter_query: str, langs: tuple[str, ...],
                 include_boilerplate: bool) -> tuple[Any, Any, list[str]]:
        """The documents a meaning query keeps (its filters, negated ones
        included, and ``--lang``) and those it leaves out (boilerplate, unless
        asked for, and retired paragraphs)."""
        filters: list[Query] = []
        notes: list[str] = []
        has_kind = False
        if filter_query:
            prepared = prepare(filter_query, gen.expander, langs=gen.languages)
            # the filters alone make the query: the documents it matches are those kept
            filters.append(compile_query(prepared.items, gen.schema, gen.text_fields))
            notes += prepared.notes
            has_kind = prepared.has_kind_filter
        if langs:
            filters.append(Term("lang", langs[0]) if len(langs) == 1 else Or([Term("lang", x) for x in langs]))
        excluded = [Term("kind", "boilerplate")] if not include_boilerplate and not has_kind else []
        return gen.docset(filters, all_of=True, searcher=s), gen.mask(excluded, s), notes

    def _meaning_result(self, gen: Generation, query: str, found: list[tuple[int, float]],
                        stored: list[dict[str, Any]], notes: list[str]) -> SearchResult:
        marks = Marks()
        hits = tuple(replace(self._hit(gen, f, sim, (), marks), similarity=round(sim, 4))
                     for f, (_d, sim) in zip(stored, found, strict=True))
        best = max((h.score for h in hits), default=1.0)
        if best < LOW_SIMILARITY:
            notes.append(f"the best match is only {best:.2f} alike: the corpus may not hold what this "
                         "asks for (a longer or more specific query helps)")
        return SearchResult(query=query, expanded=(), terms=(), total=len(hits), hits=hits, notes=tuple(notes),
                            meaning=True)

    @staticmethod
    def _langs(gen: Generation, lang: str | Sequence[str] | None) -> tuple[str, ...]:
        """``--lang`` values, lower-cased, each one the index holds."""
        given = (lang,) if isinstance(lang, str) else tuple(lang or ())
        langs = tuple(dict.fromkeys(x.strip().lower() for x in given if x.strip()))
        for x in langs:
            if x not in gen.languages:
                raise QueryError(f"--lang {x}: the index holds no {x!r} articles; "
                                 f"languages: {', '.join(gen.languages)}")
        return langs

    def matches_in(self, query: str, article_id: str,
                   exact: bool = False) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
        """Every paragraph of one article that ``query`` matches, with the
        matched spans in the paragraph's full text (for the reader's
        highlights and n/N). Raises :class:`QueryError`."""
        if split_meaning(query) is not None:
            return ()  # a meaning query matches paragraphs, not words in them
        with self._using() as gen:
            if gen.info(article_id) is None:
                return ()
            prepared = prepare(query, gen.expander, exact=exact, langs=gen.languages)
            q = compile_query(prepared.items, gen.schema, gen.text_fields)
            marks = Marks.of(q)
            with gen.searcher() as s:
                mask = gen.mask([] if prepared.has_kind_filter else [Term("kind", "boilerplate")], s)
                found = gen.planner(s).every(
                    q, gen.docs_matching(Term("article", article_id), s), mask)
                stored = [s.stored_fields(d) for d, _score in found.docs]
            out = [(f["n"], full_spans(self._article(gen, f), f["n"], prepared.places, marks)) for f in stored]
        return tuple(sorted(out))

    @staticmethod
    def _article(gen: Generation, stored: dict[str, Any]) -> Article:
        article = gen.article(stored["article"])
        assert article is not None  # every document's article is in the side store
        return article

    def _hit(self, gen: Generation, stored: dict[str, Any], score: float, places: tuple[str, ...],
             marks: Marks) -> Hit:
        return hit(self._article(gen, stored), stored["n"], score, places, marks)



def _common(s: Any, schema: Any, lang: str, word: str, docs: int) -> bool:
    """Whether ``word`` is in at least :data:`COMMON_SHARE` of the
    language's paragraphs ("the", "in", "und", "и"), by the index's own
    counts: it says nothing about a hit. A word the language's analyser
    drops is left out too; one that spans several terms (a run of Han
    characters) is kept, for the word query to segment."""
    field = text_field(lang)
    if field not in schema:
        return False
    terms = list(schema[field].process_text(word, mode="query"))
    if len(terms) != 1:
        return not terms
    return bool(s.doc_frequency(field, terms[0]) >= COMMON_SHARE * docs)


def _vectors(gen: Generation, searcher: Any) -> tuple[meaning.Segment, ...]:
    """The generation's paragraph vectors; a QueryError when it has none."""
    segments = gen.vectors(searcher)
    if segments is None:
        raise QueryError(NO_VECTORS)
    return segments


def _ranked_among(s: Any, q: Query, docs: Sequence[int]) -> dict[int, int]:
    """The rank of each of ``docs`` (ascending) that ``q`` matches, by its
    score (BM25, as a word search scores it; ties by document number). Its
    matcher skips to each document in turn, so only the posting blocks
    that hold them are read: a common word's whole posting list is never
    decoded for a hundred documents, nor kept in the word search's cache."""
    m = q.matcher(s, s.context())
    scored: list[tuple[float, int]] = []
    for d in docs:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
        if m.is_active() and m.id() == d:
            scored.append((-m.score(), d))
    return {d: rank for rank, (_score, d) in enumerate(sorted(scored))}


def _allowed(docs: int, keep: DocBits | None, *leave_out: DocBits | None) -> Flags | None:
    """Which of ``docs`` documents a search may return: those ``keep``
    holds (all, when None), less those of ``leave_out`` (None: all kept)."""
    if keep is None and all(x is None for x in leave_out):
        return None
    allowed = np.ones(docs, dtype=bool) if keep is None else keep.flags(docs).copy()
    for x in leave_out:
        if x is not None:
            allowed &= ~x.flags(docs)
    return allowed


NO_VECTORS = ("this index was built without paragraph vectors, so it cannot search by meaning: "
              "run `briefing index rebuild` (with the encoder and vectors on: BRIEFING_ENCODER and "
              "BRIEFING_VECTORS unset)")
# A best match below this is noted as weak: two unrelated news paragraphs score 0.18-0.26 with
# this encoder (measured for version detection, corpus/versions.py UNRELATED).
LOW_SIMILARITY = 0.26
HYBRID_POOL = 100  # meaning hits that the query's words may reorder
MAX_HYBRID_WORDS = 64  # a pasted paragraph's first words are enough to say which hits share them
_WORD = re.compile(r"\w+")  # letters and digits only: nothing the query syntax reads (quotes, colons, brackets)
COMMON_SHARE = 0.2  # a word in a fifth of a language's paragraphs or more is a function word, not evidence
RRF_K = 60  # reciprocal-rank fusion's constant, as Cormack, Clarke and Büttcher (2009) set it; not tuned here


__all__ = ["Hit", "Index", "IndexStatus", "SearchResult"]
