"""Build and update the index. This module is the only Whoosh writer.

``rebuild`` reads the whole corpus into a fresh generation; ``update`` copies
the live generation (hard links: Whoosh segment files are never rewritten),
re-indexes only the files whose content hash changed, and publishes the copy.
Either way the live index is untouched until the final atomic swap, so a
failed or killed build leaves the previous index answering.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh.query import Term

from corpus import Article, ConfigError, Corpus, Skipped, load_corpus, load_knowledge, meaning
from corpus.aggregate import (
    CitySummary,
    Share,
    SpeakerSummary,
    State,
    cities_by_entity,
    city_delta,
    place_rank,
    speaker_delta,
    speaker_rank,
    speakers_by_entity,
    summary_state,
    with_facts,
)
from corpus.align import Alignment
from corpus.entities import PeopleIndex, world_gazetteer_version
from corpus.geo import gazetteer_entries, is_qualified
from corpus.identity import Identities
from corpus.knowledge import Knowledge
from corpus.loader import check_root
from corpus.manifest import Entry, entries_from_list, manifest_sha256
from corpus.spool import Spool, SpoolError

from . import budget, incremental, integrity, sidecar, store, vector
from . import meaning as meaning_index
from .errors import ClusterError, IndexError_, IndexMissing, StorageError
from .schema import SCHEMA_VERSION, Codec, build_schema, language_field, text_field
from .sidestore import FRESH_S, SideStore, file_state
from .store import SIDE_DB
from .writers import SpawningWriter, batched_runs

if TYPE_CHECKING:
    from .cluster import DaskWorkers

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(frozen=True)
class BuildReport:
    mode: str  # "rebuild" | "update"
    index_dir: str
    corpus: str
    articles: int
    paragraphs: int
    skipped: tuple[tuple[str, str], ...]  # (path, reason)
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # e.g. an override that matched no speaker
    incremental: bool = False  # an update that re-detected and re-indexed the changed files only
    unread: tuple[str, ...] = ()  # files of kinds that are not read (.pdf, .png ...): named, not failures
    versions_seconds: float = 0.0  # of ``seconds``: finding which articles are versions of one another

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["skipped"] = [{"path": p, "reason": r} for p, r in self.skipped]
        return d


def knowledge_to_dict(k: Knowledge) -> dict[str, Any]:
    """The curated knowledge a build used, as plain JSON data."""
    data = {
        "cities": [asdict(c) for c in k.cities],
        "people": [asdict(p) for p in k.people],
        "lengths": k.lengths,
        "overrides": asdict(k.overrides),
        "versions": {"link": [list(p) for p in k.versions.link],
                     "unlink": [list(p) for p in sorted(k.versions.unlink)]},
        "pins": dict(sorted(k.pins.items())),
        "world": world_gazetteer_version(),
    }
    return json.loads(json.dumps(data, ensure_ascii=False))


def _docs(article: Article) -> list[dict[str, Any]]:
    field = text_field(article.lang)
    dated = {"date": article.date} if article.date else {}
    return [
        {
            **dated,
            "article": article.id,
            "lang": article.lang,
            "n": p.n,
            "kind": p.kind.value,
            "speaker": ",".join(p.voices),
            "city": ",".join(m[0] for m in p.mentions),
            field: p.text,
        }
        for p in article.paragraphs
    ]


@dataclass(frozen=True)
class _Outcome:
    """What a build's meta.json and report say, whichever way it went."""

    corpus: str
    articles: int
    paragraphs: int
    languages: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    unread: tuple[str, ...]
    notes: tuple[str, ...]
    versions_seconds: float

    @classmethod
    def of(cls, corpus: Corpus, notes: tuple[str, ...] = ()) -> _Outcome:
        return cls(str(corpus.root), len(corpus.articles), corpus.paragraphs, corpus.languages, corpus.skipped,
                   corpus.unread, (*notes, *corpus.notes), corpus.versions_seconds)

    def meta(self, started: float, manifest_sha256: str | None) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "corpus": str(Path(self.corpus).resolve()),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "articles": self.articles,
            "paragraphs": self.paragraphs,
            "languages": list(self.languages),
            "manifest_sha256": manifest_sha256,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "unread": list(self.unread),
            "notes": list(self.notes),
            "seconds": round(time.monotonic() - started, 3),
        }

    def report(self, mode: str, index_dir: Path, started: float, incremental: bool = False, added: tuple[str, ...] = (),
               changed: tuple[str, ...] = (), removed: tuple[str, ...] = ()) -> BuildReport:
        return BuildReport(
            mode=mode, index_dir=str(index_dir), corpus=self.corpus, articles=self.articles,
            paragraphs=self.paragraphs, skipped=tuple((s.path, s.reason) for s in self.skipped), added=added,
            changed=changed, removed=removed, seconds=round(time.monotonic() - started, 3), notes=self.notes,
            incremental=incremental, unread=self.unread, versions_seconds=self.versions_seconds,
        )


Shares = dict[tuple[str, str, str], tuple[str, str]]  # (kind, entity, article) -> (lang, share): SideStore.shares_of


def _summaries(side: SideStore, knowledge: dict[str, Any], names: dict[str, str],
               delta: tuple[Shares, Shares] | None = None) -> None:
    """The Speakers and Places panes' summaries, merged from the articles'
    stored shares, so neither a reader nor an update walks every paragraph:
    every entity's, or (an update, ``delta``: the changed articles' shares
    before and after) only those whose share in an article changed (an edit
    that leaves an article's speakers and places as they were changes none).
    Each of those is its stored state (counts, and each name's first article:
    corpus.aggregate.summary_state) with the shares that went taken away and
    those that came added, and is merged again from all of its shares only
    when that cannot tell (see :func:`speaker_delta`) or when it is new: a
    place most articles name costs an update its changed articles, not its
    own. The lists of articles are not stored here: the CLI merges them from
    the shares when it asks (``Index.speakers(full=True)``)."""
    who = where = merge_who = merge_where = None
    people: list[tuple[SpeakerSummary, State]] = []
    places: list[tuple[CitySummary, State]] = []
    if delta is not None:
        before, after = delta
        touched = {(kind, entity) for (kind, entity, _aid), _share in before.items() ^ after.items()}
        who = {e for k, e in touched if k == "speaker"}
        where = {e for k, e in touched if k == "city"}
        people, places, redo = _by_delta(side, knowledge, names, touched, before, after)
        merge_who = {e for k, e in redo if k == "speaker"}
        merge_where = {e for k, e in redo if k == "city"}
    langs: dict[str, str] = {}

    def noting(shares: Iterable[tuple[str, str, Any]]) -> Iterator[tuple[str, str, Any]]:
        for aid, lang, share in shares:  # each article's language, for the states
            langs[aid] = lang
            yield aid, lang, share

    # Merged an entity at a time, each kept light (without its articles) as soon as it is merged.
    merged_people = sorted(((speaker_rank(s).key(), s.light(), summary_state(s, langs)) for s in
                            speakers_by_entity(noting(side.shares("speaker", merge_who)), knowledge["people"], names)),
                           key=itemgetter(0))
    merged_places = sorted(((place_rank(c).key(), c.light(), summary_state(c, langs)) for c in
                            cities_by_entity(noting(side.shares("city", merge_where)), knowledge["cities"])),
                           key=itemgetter(0))
    people += [(s, state) for _key, s, state in merged_people]
    places += [(c, state) for _key, c, state in merged_places]
    gazetteer = gazetteer_entries((c.id for c, _state in places), knowledge["cities"])
    places = _with_facts_kept(places, {g["id"]: g for g in gazetteer})
    shown = {c.id: c for c, _state in places}
    for g in gazetteer:  # a place the gazetteer does not know: named as the corpus writes it
        if is_qualified(g["id"]) and g["id"] in shown:
            g["name"], g["names"] = shown[g["id"]].name, {k: list(v) for k, v in shown[g["id"]].names.items()}
    # The world gazetteer's places this corpus names, with their names in
    # every language: what the reader's queries expand (index.query.Expander).
    curated = {c["id"] for c in knowledge["cities"]}
    world = {g["id"]: g for g in gazetteer if g["id"] not in curated}
    side.put_summaries("speaker", ((speaker_rank(s), s.to_dict(), state, None) for s, state in people), who)
    side.put_summaries("city", ((place_rank(c), c.to_dict(), state, world.get(c.id)) for c, state in places), where)


def _with_facts_kept(places: list[tuple[CitySummary, State]],
                     facts: Mapping[str, dict[str, Any]]) -> list[tuple[CitySummary, State]]:
    """:func:`with_facts` of the summaries, each kept with its state."""
    states = {c.id: state for c, state in places}
    return [(c, states[c.id]) for c in with_facts((c for c, _state in places), facts)]


def _by_delta(side: SideStore, knowledge: dict[str, Any], names: dict[str, str], touched: set[tuple[str, str]],
              before: Shares, after: Shares) -> tuple[list[tuple[SpeakerSummary, State]],
                                                      list[tuple[CitySummary, State]], set[tuple[str, str]]]:
    """The light summaries of ``touched`` (with their new states) that their
    stored states and the changed shares tell (those left with no article
    are dropped); and the entities to merge again from all of their shares."""
    gone: dict[tuple[str, str], list[Share]] = defaultdict(list)
    came: dict[tuple[str, str], list[Share]] = defaultdict(list)
    for shares, into in ((before, gone), (after, came)):
        for (kind, entity, aid), (lang, data) in shares.items():
            if (kind, entity) in touched:
                into[(kind, entity)].append((aid, lang, json.loads(data)))
    stored = {kind: side.summary_states(kind, [e for k, e in touched if k == kind]) for kind in ("speaker", "city")}
    registry = {p["id"]: p for p in knowledge["people"]}
    people: list[tuple[SpeakerSummary, State]] = []
    places: list[tuple[CitySummary, State]] = []
    redo: set[tuple[str, str]] = set()
    for kind, entity in sorted(touched):
        old = stored[kind].get(entity)
        key = (kind, entity)
        if old is None:  # new: its shares are all new ones
            redo.add(key)
            continue
        if kind == "speaker":
            person = speaker_delta(entity, old, gone[key], came[key], registry.get(entity), names)
            if person is None:
                redo.add(key)
            elif person[0].n_articles:
                people.append(person)
        elif (place := city_delta(entity, old, gone[key], came[key])) is None:
            redo.add(key)
        elif place[0].n_articles:
            places.append(place)
    return people, _with_facts_kept(places, {c["id"]: c for c in knowledge["cities"]}), redo


def _registered(knowledge: Knowledge) -> Callable[[str], bool]:
    people = PeopleIndex.build(knowledge.people)
    return lambda name: people.resolve(name) is not None


def _write_side_store(build_dir: Path, corpus: Corpus, knowledge: Knowledge, started: float,
                      retired: list[int] | None = None) -> None:
    plain = knowledge_to_dict(knowledge)
    side = SideStore.create(build_dir / SIDE_DB)
    side.put("retired", retired or [])
    registered = _registered(knowledge)
    fresh_after = time.time_ns() - int((time.monotonic() - started + FRESH_S) * 1e9)
    side.put_files(file_state(corpus.root, s.path, None, None, s.reason, fresh_after) for s in corpus.skipped)
    for batch in _batches(corpus.articles, SIDE_BATCH):  # streamed: a spool's articles are read once
        side.put_articles(batch, registered, corpus.anchors)
        side.put_files(file_state(corpus.root, a.path, a.id, a.sha256, fresh_after=fresh_after) for a in batch)
    side.put_leads(corpus.leads)
    side.put_nearest(corpus.nearest)
    side.put_links(corpus.links)
    side.put_alignments(corpus.alignments)
    side.put("manifest", list(corpus.entries.values()))  # orjson writes a dataclass as a dict of its fields
    if corpus.identities is not None:
        side.put("identities", corpus.identities.to_dict())
    _summaries(side, plain, corpus.speaker_names)
    side.count()
    side.finish()
    store.write_json(build_dir / store.KNOWLEDGE, plain)
    store.write_json(build_dir / store.META, _Outcome.of(corpus).meta(started, corpus.manifest_sha256))


SIDE_BATCH = 500  # articles written to the side store per transaction


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _storage_error(exc: OSError, where: Path) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(f"{where}: the disk is full; the previous index is untouched. Free space and rebuild.")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(f"{where}: cannot write ({exc.strerror}); the previous index is untouched.")
    return StorageError(f"{where}: {exc.strerror or exc}; the previous index is untouched.")


def _load(
    corpus_root: Path,
    progress: Progress | None,
    reuse: dict[str, Article] | None = None,
    reuse_alignments: dict[tuple[str, str], Alignment] | None = None,
    reuse_leads: Mapping[str, Any] | None = None,
    spool: Spool | None = None,
    reuse_entries: Mapping[str, Entry] | None = None,
    workers: DaskWorkers | None = None,
) -> tuple[Corpus, Knowledge]:
    knowledge = load_knowledge(corpus_root)
    cb = (lambda done, total, _name: progress("reading", done, total)) if progress else None
    return load_corpus(corpus_root, knowledge, cb, reuse=reuse, reuse_alignments=reuse_alignments,
                       reuse_leads=reuse_leads, spool=spool, reuse_entries=reuse_entries, workers=workers,
                       processes=budget.current().reading), knowledge


def rebuild(corpus_root: Path, index_dir: Path, progress: Progress | None = None,
            memory_mb: int | None = None, cluster: str | None = None) -> BuildReport:
    """Index the whole corpus into a new generation and publish it.
    ``memory_mb``: what all the build's processes may hold at once (default
    :data:`index.budget.MEMORY_MB`; more is faster, up to a worker per core).
    ``cluster``: a Dask scheduler's address; the heavy stages then run on
    its workers (:mod:`index.cluster`), which must reach both folders."""
    started = time.monotonic()
    with budget.using(memory_mb), store.writer_lock(index_dir):
        if cluster is None:
            return _publish_new(corpus_root, index_dir, progress, started)
        try:
            from .cluster import connect
        except ImportError as exc:
            raise ClusterError(f"a rebuild on a cluster needs Dask ({exc.name} is not installed): "
                               "pip install 'briefing[cluster]'") from exc
        with connect(cluster) as workers:
            workers.check_paths(check_root(corpus_root), index_dir)
            return _publish_new(corpus_root, index_dir, progress, started, workers=workers)


def _publish_new(corpus_root: Path, index_dir: Path, progress: Progress | None, started: float,
                 notes: tuple[str, ...] = (), streamed: bool = True, workers: DaskWorkers | None = None,
                 **reuse: Any) -> BuildReport:
    """Read the corpus and index it into a new generation, then publish it.
    ``streamed``: the parsed articles wait in a spool in the new generation's
    folder (:class:`corpus.spool.Spool`), so memory does not grow with the
    corpus's text; the index, the side store and the report are the same
    as with the articles held in memory. ``reuse``: see :func:`load_corpus`."""
    check_root(corpus_root)  # named as the corpus's problem, before a build folder exists
    build_dir = store.new_build_dir(index_dir)
    with _cleanup_on_failure(build_dir, index_dir):
        spool = Spool(build_dir) if streamed else None
    try:
        try:
            corpus, knowledge = _load(corpus_root, progress, spool=spool, workers=workers, **reuse)
        except SpoolError as exc:  # writing the spool failed: the index folder's disk, not the corpus
            shutil.rmtree(build_dir, ignore_errors=True)
            raise _storage_error(exc, index_dir) from exc
        except BaseException:  # the corpus's problem (a bad manifest...): raised as it is
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
        with _cleanup_on_failure(build_dir, index_dir):
            if workers is None:
                _write_new(corpus, knowledge, build_dir, progress, started)
            else:
                _write_on_cluster(workers, corpus, knowledge, build_dir, progress, started)
            if spool is not None:
                spool.close()  # removed before the generation is published
            store.publish(index_dir, build_dir)
    finally:
        if spool is not None:
            spool.close()
    store.prune(index_dir)
    return _Outcome.of(corpus, notes).report("rebuild", index_dir, started, added=corpus.ids())


def _write_new(corpus: Corpus, knowledge: Knowledge, build_dir: Path, progress: Progress | None,
               started: float) -> None:
    ix = windex.create_in(str(build_dir), build_schema(set(corpus.languages)))
    # Whoosh's sub-writers are processes and this one mostly waits for
    # them, so the side store is written meanwhile, in a thread (they are
    # spawned, not forked: index/writers.py).
    with ThreadPoolExecutor(max_workers=1) as side:
        written = side.submit(_write_side_store, build_dir, corpus, knowledge, started)
        _index_articles(ix, corpus.articles, corpus.paragraphs, corpus.languages, progress)
        written.result()
    _write_vectors(build_dir, ix, progress)


def _write_on_cluster(workers: DaskWorkers, corpus: Corpus, knowledge: Knowledge, build_dir: Path,
                      progress: Progress | None, started: float) -> None:
    """:func:`_write_new` with the segments, their sidecars and their
    vectors written by the cluster's workers (:func:`index.cluster.write_index`)."""
    from .cluster import write_index

    windex.create_in(str(build_dir), build_schema(set(corpus.languages)))
    total = len(corpus.articles)
    cb = (lambda done: progress("indexing", done, total)) if progress else None
    with ThreadPoolExecutor(max_workers=1) as side:
        written = side.submit(_write_side_store, build_dir, corpus, knowledge, started)
        write_index(workers, build_dir, map(_docs, corpus.articles), meaning_index.enabled(), cb)
        written.result()
    if progress:
        progress("indexing", total, total)


def _write_vectors(build_dir: Path, ix: Any, progress: Progress | None, side: SideStore | None = None,
                   update: bool = False) -> None:
    """The paragraph vectors of the segments that have none (index/meaning.py),
    read from the build's side store (``side``, or the one written there)."""
    if not meaning_index.enabled():
        return
    own = side is None
    store_ = SideStore.open(build_dir / SIDE_DB) if side is None else side
    try:
        meaning_index.write(build_dir, ix, store_, progress, update)
    finally:
        if own:
            store_.close()


@contextmanager
def _cleanup_on_failure(build_dir: Path, index_dir: Path) -> Iterator[None]:
    """Remove a half-built generation on any failure; the live one stays."""
    try:
        yield
    except OSError as exc:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise _storage_error(exc, index_dir) from exc
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise


# Above this many paragraphs a rebuild analyses in parallel: Whoosh's
# multiprocess writer, one sub-writer per core that the memory budget
# allows (index/budget.py), each committing a segment.
PARALLEL_MIN_PARAGRAPHS = 4000


RETIRED_MAX = 2000  # retired paragraphs (or a fifth of all) before an update rebuilds instead
# Segments are left as separate files: a reader opens a compound segment by
# copying each part into memory (Whoosh wraps the mapped bytes in a BytesIO),
# 100 MB per 10,000 articles; separate files are read through the page cache.


def _plan(paragraphs: int, update: bool) -> tuple[int, int]:
    """``(processes, buffer_mb)`` of the writers for these paragraphs."""
    parallel = paragraphs >= PARALLEL_MIN_PARAGRAPHS and not update
    return budget.current().writers(paragraphs, None if parallel else 1)


def _writer(ix: Any, paragraphs: int, update: bool) -> Any:
    """Whoosh's writer for these paragraphs: sub-writer processes with the
    buffer the memory budget leaves them (postings that fit are sorted
    there; past it Whoosh pickles them to runs on disk and merges them), or
    one writer in this process for an update or a small build."""
    procs, buffer = _plan(paragraphs, update)
    if procs > 1:
        return SpawningWriter(ix, procs=procs, limitmb=buffer, multisegment=True, compound=False, codec=Codec())
    return batched_runs(ix.writer(limitmb=buffer, compound=False, codec=Codec()))


def _retire(ix: Any, ids: tuple[str, ...]) -> list[int]:
    """The document numbers of these articles' paragraphs, which an update
    retires instead of deleting: Whoosh wraps every posting list of a segment
    with deletions in a filter that cannot skip blocks, so one deleted
    paragraph made every query on a 100,000-article index scan all its
    matches. Retired documents are masked at search time instead; document
    numbers stay valid because updates merge no segments: a fold
    (:func:`fold_from`) drops trailing segments whole, with the numbers
    retired in them, and indexes their current articles again."""
    if not ids:
        return []
    with ix.searcher() as s:
        return sorted({d for aid in ids for d in s.docs_for_query(Term("article", aid))})


FOLD_AT = 4  # an update folds the last segments into its own once this many are of one size class or smaller
FOLD_DOCS = 2000  # paragraphs a fold may index again in any index (more in one past 20,000: a tenth)


@dataclass(frozen=True)
class Fold:
    """The segments an update folds into the one it writes: the first
    ``keep`` stay; the current articles of the others (``ids``) are indexed
    again in the new one, and the retired document numbers from
    ``first_doc`` on go with those segments."""

    keep: int | None = None  # None: every segment stays
    ids: frozenset[str] = frozenset()
    first_doc: float = float("inf")

    def retired(self, numbers: Iterable[int]) -> list[int]:
        """The retired document numbers that stay: those of the segments kept."""
        return [d for d in numbers if d < self.first_doc]


def fold_from(sizes: Sequence[int]) -> int:
    """Where the segments an update folds begin (``len(sizes)``: none), by
    their document counts in index order. Each update appends a segment and
    merges none (document numbers must stay valid, see :func:`_retire`), so
    without folding a daily update adds a segment a day, and every query
    opens a matcher on each. Lucene's log merge policy: the smallest size
    class (a power of ten of documents) whose trailing run, of segments of
    that class or smaller, reaches :data:`FOLD_AT`, is folded; never the
    largest segment's class, nor a run of more than a tenth of the index
    (or :data:`FOLD_DOCS`): its paragraphs are analysed and embedded again."""
    total = sum(sizes)
    if len(sizes) < FOLD_AT or not total:
        return len(sizes)
    top = _size_class(max(sizes))
    for level in range(top):
        run = 0
        for n in reversed(sizes):
            if _size_class(n) > level:
                break
            run += 1
        if run >= FOLD_AT and sum(sizes[len(sizes) - run:]) <= max(total // 10, FOLD_DOCS):
            return len(sizes) - run
    return len(sizes)


def _size_class(docs: int) -> int:
    return len(str(max(docs, 1))) - 1


def _fold(ix: Any, retired: Iterable[int], rewritten: set[str]) -> Fold:
    """What this update folds (:func:`fold_from`): the articles still
    current in those segments, less ``rewritten`` (changed, added or
    removed now, indexed or dropped anyway)."""
    with ix.reader() as reader:
        leaves = list(reader.leaf_readers())
        start = fold_from([sub.doc_count_all() for sub, _offset in leaves])
        if start == len(leaves):
            return Fold()
        gone = set(retired)
        ids = {sub.stored_fields(d)["article"] for sub, offset in leaves[start:]
               for d in range(sub.doc_count_all()) if offset + d not in gone and not sub.is_deleted(d)}
        return Fold(start, frozenset(ids - rewritten), leaves[start][1])


def _index_articles(ix: Any, articles: Iterable[Article], paragraphs: int, langs: Iterable[str],
                    progress: Progress | None, update: bool = False, keep: int | None = None) -> None:
    """Add the articles' paragraphs and commit; an update appends a segment
    and merges none, but drops the segments from ``keep`` on (:class:`Fold`).
    ``articles`` are read once (a spool streams them); ``paragraphs`` and
    ``langs`` are theirs. A rebuild of more paragraphs than its writers'
    segments take (:data:`index.budget.SEGMENT_PARAGRAPHS`) is written in
    rounds of about equal size, each by fresh writers that commit their
    segments and merge none."""
    langs = sorted(set(langs))
    laps = 1 if update else budget.rounds(paragraphs, _plan(paragraphs, update)[0])
    lap = -(-paragraphs // laps)
    total = len(articles) if isinstance(articles, Sized) else 0
    stream = enumerate(articles, start=1)
    i, coming = 0, next(stream, None)
    for n in range(laps):
        if coming is None and n:
            break  # large articles filled the rounds before (the first commits even none: an update's fold)
        writer = _writer(ix, lap, update)  # one round: lap is every paragraph
        try:
            for lang in langs:
                name = text_field(lang)
                if name not in ix.schema:
                    writer.add_field(name, language_field(name[5:]))
            added = 0
            while coming is not None and (added < lap or n == laps - 1):
                i, article = coming
                for doc in _docs(article):
                    writer.add_document(**doc)
                    added += 1
                if progress and i % 50 == 0:
                    progress("indexing", i, total)
                coming = next(stream, None)
            if keep is not None:
                writer.commit(mergetype=lambda _writer, segments: segments[:keep])
            else:
                writer.commit(merge=False)  # an update's segment stays apart; a rebuild's rounds are as written
        except BaseException:
            writer.cancel()
            raise
    if progress:
        progress("indexing", i, total)
    write_sidecars(ix)


def write_sidecars(ix: Any) -> None:
    """The raw posting arrays (index/sidecar.py) of every segment that has
    none yet: all of a rebuild's, an update's new one."""
    where = getattr(ix.storage, "folder", None)
    if where is None:  # an index in memory (tests): nothing to read faster
        return
    folder = Path(where)
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            segment = sub.segment()
            if segment is not None and not sidecar.paths(folder, segment.segment_id())[1].exists():
                sidecar.write(folder, sub, vector.segment_postings)


def update(corpus_root: Path, index_dir: Path, progress: Progress | None = None,
           memory_mb: int | None = None) -> BuildReport:
    """Re-index only added, changed and removed files (``memory_mb``: as
    for :func:`rebuild`).

    Files whose size and mtime are as the last build saw them are not read;
    the others are hashed, and only those whose content changed are parsed.
    When few files changed and no unregistered speaker is involved, only they
    are re-detected and re-indexed (:mod:`index.incremental`); otherwise
    version links and identities are worked out across the corpus again,
    still without re-parsing unchanged files. A full rebuild happens instead
    when there is no usable index yet, or when the curated knowledge, the
    manifest or the index format changed. A new language gets its text field
    added to the existing schema."""
    started = time.monotonic()
    meaning.warm_up()  # a changed file's vectors are needed at the end: load the encoder meanwhile
    with budget.using(memory_mb), store.writer_lock(index_dir):
        def afresh(damage: list[integrity.Damage] | None = None) -> BuildReport:
            # Read everything again; never patch damage into a new generation.
            notes: tuple[str, ...] = ()
            if damage:
                notes = (f"the index was damaged ({integrity.describe(damage)}); it was rebuilt from the corpus",)
            return _publish_new(corpus_root, index_dir, progress, started, notes=notes)

        try:
            live = store.current_generation(index_dir)
        except IndexMissing:
            return afresh()
        damage = integrity.verify(live, full=False)
        if damage:
            # An older briefing's index has no checksums: rebuilt, but it is not damaged.
            return afresh() if store.schema_of(live) not in (None, SCHEMA_VERSION) else afresh(damage)
        try:
            meta = store.read_json(live / store.META)
            old_knowledge = store.read_json(live / store.KNOWLEDGE)
            side = SideStore.open(live / SIDE_DB)
        except Exception as exc:
            damage = integrity.damage_behind(exc, live)
            if not damage:
                raise
            return afresh(damage)
        try:
            knowledge = load_knowledge(corpus_root)
            retired_before = side.get("retired", [])
            # Too many retired paragraphs (see _retire) and a rebuild is due.
            worn = len(retired_before) > max(RETIRED_MAX, meta.get("paragraphs", 0) // 5)
            # Parsed articles are reused only under the knowledge they were
            # parsed with (places, speakers), and each only while its file's
            # manifest entry is as it was (its id, title, language, date).
            fresh = meta.get("schema") == SCHEMA_VERSION and knowledge_to_dict(knowledge) == old_knowledge
            same_manifest = meta.get("manifest_sha256") == manifest_sha256(corpus_root)
            kept_entries = side.get("manifest")
            same = fresh and same_manifest and not worn
            if same:
                raw = side.get("identities")
                fast = incremental.plan(corpus_root, side, knowledge, Identities.from_dict(raw) if raw else None,
                                        kept_entries)
                if fast is not None:
                    side.close()
                    return _publish_incremental(corpus_root, index_dir, live, fast, knowledge, meta, progress, started)
            reusable = fresh and (same_manifest or kept_entries is not None)
            old = list(side.articles()) if reusable else []
            old_entries = entries_from_list(kept_entries) if reusable and not same_manifest else None
            old_alignments = {(al.source, al.target): al for al in side.alignments()}
            # Opening vectors of unchanged files are kept when they were made alike.
            old_leads = (side.leads() if meta.get("schema") == SCHEMA_VERSION
                         and knowledge.lengths == old_knowledge.get("lengths") else {})
        except (IndexError_, ConfigError):
            raise
        except Exception as exc:
            # Reading the live generation failed: damage (a changed byte the
            # open-time check does not read) is rebuilt; anything else is a bug.
            damage = integrity.damage_behind(exc, live)
            if not damage:
                raise
            return afresh(damage)
        finally:
            side.close()
        reuse: dict[str, Any] = {"reuse": {a.path: a for a in old}, "reuse_alignments": old_alignments,
                                 "reuse_leads": old_leads, "reuse_entries": old_entries}
        if not same:
            return _publish_new(corpus_root, index_dir, progress, started, **reuse)
        corpus, knowledge = _load(corpus_root, progress, **reuse)
        old_by_id = {a.id: a for a in old}
        new_by_id = {a.id: a for a in corpus.articles}
        added = tuple(i for i in new_by_id if i not in old_by_id)
        removed = tuple(i for i in old_by_id if i not in new_by_id)
        changed = tuple(i for i in new_by_id if i in old_by_id and new_by_id[i] != old_by_id[i])
        build_dir = store.new_build_dir(index_dir)
        with _cleanup_on_failure(build_dir, index_dir):
            _link_copy(live, build_dir)
            retired = list(retired_before)
            if added or removed or changed:
                ix = windex.open_dir(str(build_dir))
                retired += _retire(ix, (*removed, *changed))
                fold = _fold(ix, retired, {*added, *changed, *removed})
                retired = fold.retired(retired)
                fresh = [new_by_id[i] for i in (*added, *changed, *sorted(fold.ids)) if i in new_by_id]
                _index_articles(ix, fresh, sum(len(a.paragraphs) for a in fresh), (a.lang for a in fresh), progress,
                                update=True, keep=fold.keep)
            _write_side_store(build_dir, corpus, knowledge, started, retired)
            _write_vectors(build_dir, windex.open_dir(str(build_dir)), progress, update=True)
            store.publish(index_dir, build_dir)
        store.prune(index_dir)
        return _Outcome.of(corpus).report("update", index_dir, started, added=added, changed=changed, removed=removed)


def _publish_incremental(
    corpus_root: Path, index_dir: Path, live: Path, plan: incremental.Plan, knowledge: Knowledge,
    meta: dict[str, Any], progress: Progress | None, started: float,
) -> BuildReport:
    """Copy the live generation, patch the changed articles into its Whoosh
    segments and side store, and publish the copy."""
    build_dir = store.new_build_dir(index_dir)
    plain = knowledge_to_dict(knowledge)
    with _cleanup_on_failure(build_dir, index_dir):
        _link_copy(live, build_dir)
        shutil.copyfile(live / SIDE_DB, build_dir / SIDE_DB)  # its parts are linked with the segments
        side = SideStore.patch(build_dir / SIDE_DB)
        if plan.added or plan.changed or plan.removed:
            ix = windex.open_dir(str(build_dir))
            retired = [*side.get("retired", []), *_retire(ix, (*plan.removed, *plan.changed))]
            fold = _fold(ix, retired, {*plan.removed, *(a.id for a in plan.articles)})
            indexed = [*plan.articles, *(a for a in map(side.article, sorted(fold.ids)) if a is not None)]
            side.put("retired", fold.retired(retired))
            _index_articles(ix, indexed, sum(len(a.paragraphs) for a in indexed), (a.lang for a in indexed),
                            progress, update=True, keep=fold.keep)
        before = side.shares_of([*plan.removed, *plan.changed])
        side.delete_articles([*plan.removed, *plan.changed])
        side.put_articles(plan.articles, _registered(knowledge), plan.anchors)
        after = side.shares_of(a.id for a in plan.articles)
        side.fold()  # after the articles it replaces are stale: their old rows never join their new ones
        _write_vectors(build_dir, windex.open_dir(str(build_dir)), progress, side, update=True)
        side.put_leads(plan.leads)
        side.delete_nearest(plan.renearest)
        side.put_nearest(plan.nearest)
        side.delete_links(plan.released)
        side.put_links(plan.links)
        side.put_alignments(plan.alignments)
        side.set_translations(plan.translations)
        side.delete_files(plan.gone_files)
        side.put_files(plan.files)
        raw = side.get("identities")
        _summaries(side, plain, dict(raw["names"]) if raw else {}, (before, after))
        articles, paragraphs, languages = side.totals()
        side.count()
        side.finish(analyze=False)
        store.write_json(build_dir / store.KNOWLEDGE, plain)
        outcome = _Outcome(str(corpus_root), articles, paragraphs, tuple(languages),
                           tuple(sorted(plan.skipped, key=lambda s: s.path)), plan.unread,
                           tuple(meta.get("notes", ())), plan.versions_seconds)
        store.write_json(build_dir / store.META, outcome.meta(started, meta.get("manifest_sha256")))
        store.publish(index_dir, build_dir)
    store.prune(index_dir)
    return outcome.report("update", index_dir, started, incremental=True, added=tuple(plan.added),
                          changed=tuple(plan.changed), removed=tuple(plan.removed))


def _link_copy(src: Path, dst: Path) -> None:
    """Copy a generation by hard links where the file system allows it."""
    for entry in os.scandir(src):
        if entry.name in store.SIDE_FILES or not entry.is_file():
            continue
        target = dst / entry.name
        try:
            os.link(entry.path, target)
        except OSError:
            shutil.copy2(entry.path, target)
