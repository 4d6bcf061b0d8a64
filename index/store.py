"""Where an index lives on disk, and how generations are swapped safely.

```
<index dir>/
  LOCK                 writer lock (flock), holds the writer's pid
  current -> gen-...   symlink to the live generation, replaced atomically
  gen-.../             Whoosh segments + meta.json + knowledge.json
                       + side.sqlite (articles, alignments, summaries: index/sidestore.py)
                       + checksums.json (size and CRC-32 of each file: index/integrity.py)
  check.json           the result of the last `briefing index check`
  tmp-.../             a build in progress; never read, removed when stale
```

A rebuild writes a new ``tmp-`` folder, renames it to ``gen-`` and then
replaces the ``current`` symlink with ``os.replace``: a reader sees either the
old generation or the new one, never half of one. The previous generation is
kept so a reader that still has it open keeps working.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from . import integrity
from .errors import IndexBusy, IndexCorrupt, IndexMissing, StorageError
from .files import write_json as write_json  # build.py writes meta and knowledge through store

CURRENT = "current"
META = "meta.json"
KNOWLEDGE = "knowledge.json"
SIDE_DB = integrity.SIDE_DB
SIDE_FILES = (META, KNOWLEDGE, SIDE_DB)  # rewritten by every build, never hard-linked


def default_index_dir(corpus_root: Path) -> Path:
    """One index per corpus folder, under the per-user data directory."""
    root = corpus_root.resolve()
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:10]
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in root.name)[:40] or "corpus"
    return Path(user_data_dir("briefing", appauthor=False)) / "indexes" / f"{safe}-{digest}"


def current_generation(index_dir: Path) -> Path:
    link = index_dir / CURRENT
    try:
        target = os.readlink(link)
    except FileNotFoundError:
        raise IndexMissing(index_dir) from None
    except OSError as exc:
        raise StorageError(f"{link}: cannot read the index link: {exc.strerror}") from exc
    gen = index_dir / target
    if not gen.is_dir():
        raise IndexMissing(index_dir)
    return gen


def schema_of(gen: Path) -> object:
    """The schema a generation says it has; None when its meta cannot be read."""
    try:
        meta = read_json(gen / META)
    except (OSError, ValueError):
        return None
    return meta.get("schema") if isinstance(meta, dict) else None


def check_generation(gen: Path, index_dir: Path) -> dict[str, Any]:
    """Read and check a generation's meta; raises a clear error if unusable."""
    try:
        meta = read_json(gen / META)
    except FileNotFoundError:
        raise IndexCorrupt(index_dir, f"{gen.name}/{META} is missing") from None
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(index_dir, f"{gen.name}/{META} is unreadable: {exc}") from None
    if not isinstance(meta, dict):
        raise IndexCorrupt(index_dir, f"{gen.name}/{META} is not an object")
    return meta


def built_from(index_dir: Path) -> str | None:
    """The corpus folder the live generation was built from, as its meta
    says; None when there is no readable one (opening it says why)."""
    try:
        meta = read_json(current_generation(index_dir) / META)
    except (IndexMissing, StorageError, OSError, ValueError):
        return None
    corpus = meta.get("corpus") if isinstance(meta, dict) else None
    return corpus if isinstance(corpus, str) else None


def new_build_dir(index_dir: Path) -> Path:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        path = index_dir / f"tmp-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        path.mkdir()
    except OSError as exc:
        raise StorageError(f"{index_dir}: cannot create the index folder: {exc.strerror}") from exc
    return path


def read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, build_dir: Path) -> Path:
    """Record the checksum of every file of ``build_dir`` (index/integrity.py)
    and make it the live generation, atomically."""
    try:
        live: Path | None = current_generation(index_dir)
    except (IndexMissing, StorageError):
        live = None
    integrity.record(build_dir, previous=live)
    gen = index_dir / ("gen-" + build_dir.name.removeprefix("tmp-"))
    os.rename(build_dir, gen)
    link_tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(gen.name, link_tmp)
    os.replace(link_tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    return gen


def prune(index_dir: Path, keep: int = 2) -> None:
    """Remove stale builds and all but the newest ``keep`` generations.
    Called with the writer lock held, so no ``tmp-`` folder is in use."""
    try:
        live = os.readlink(index_dir / CURRENT)
    except OSError:
        live = None
    gens = sorted((p for p in index_dir.glob("gen-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in gens[:-keep]:
        if old.name != live:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in index_dir.glob("tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Only one writer at a time; a second one fails at once, naming the holder."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StorageError(f"{index_dir}: cannot write to the index folder: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            raise IndexBusy(index_dir, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        yield
    finally:
        os.close(fd)
