"""Knowing when an index is damaged: a checksum of every file of a generation.

As Lucene writes a checksum footer on every file and verifies cheap parts at
open (and everything with ``CheckIndex``), a generation here records, when
it is published, the size and CRC-32 of each of its files (Whoosh's segments
and TOC, ``side.sqlite``, ``meta.json``, ``knowledge.json``) in
``checksums.json``, which carries a checksum of its own list.

- At open (:func:`verify`, ``full=False``): every file is present with its
  recorded size, and the small ones are checksummed (every file, while the
  generation is small enough to read whole in a few milliseconds).
- ``briefing index check`` (``full=True``): every checksum, and SQLite's
  ``PRAGMA quick_check`` of the side store.
- When reading fails anywhere, the caller checks in full (:func:`check`) to
  find out whether the index is damaged (and which file) or the failure is
  a bug of ours, which must stay a bug.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import write_json

CHECKSUMS = "checksums.json"
SIDE_DB = "side.sqlite"  # as index/store.py names it (store imports this module)
SIDE_PARTS = "side.[0-9]*.sqlite"  # its parts (index/sidestore.py)
CHECK_RESULT = "check.json"  # in the index folder: the last `index check`, for `index status`
SMALL_FILE = 1 << 20  # checksummed at every open
SMALL_INDEX = 48 << 20  # a generation this small is checksummed whole at every open (~30 ms)
_CHUNK = 1 << 20

# What reading a damaged file raises: I/O errors, and truncated or changed
# bytes met by struct, zlib, pickle, JSON and SQLite, or by lookups past what
# a damaged table of contents promises. Only these are checked for damage
# (and become IndexCorrupt when a checksum says so); any other exception is
# a bug, and stays one.
READ_ERRORS: tuple[type[BaseException], ...] = (
    OSError, EOFError, ValueError, KeyError, IndexError, TypeError, OverflowError, MemoryError,
    struct.error, zlib.error, pickle.UnpicklingError, sqlite3.DatabaseError,
)


def _read_error(exc: BaseException) -> bool:
    """Could a damaged file have raised ``exc``? One of :data:`READ_ERRORS`,
    or a bare ``Exception``: Whoosh raises one for a block whose tag is
    wrong ("Block tag error"). A bug (an AssertionError, a NameError, an
    AttributeError ...) is not."""
    return isinstance(exc, READ_ERRORS) or type(exc) is Exception


@dataclass(frozen=True)
class Damage:
    """One damaged file of a generation and what is wrong with it."""

    file: str  # relative to the index folder: gen-…/MAIN_x.pst
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "problem": self.problem}


def crc32(path: Path) -> str:
    value = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            value = zlib.crc32(chunk, value)
    return f"{value:08x}"


def _listed(gen: Path) -> list[Path]:
    """The files a generation is made of (not its checksum list, not Whoosh's locks)."""
    return sorted(p for p in gen.iterdir() if p.is_file() and p.name != CHECKSUMS and "LOCK" not in p.name)


def _same_inode(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        sa, sb = a.stat(), b.stat()
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _seal(files: dict[str, Any]) -> str:
    return f"{zlib.crc32(json.dumps(files, sort_keys=True).encode()):08x}"


def record(gen: Path, previous: Path | None = None) -> None:
    """Write ``checksums.json`` for a finished generation (before it is
    published). A file hard-linked from the ``previous`` generation (an
    update copies the segments it does not change that way) is the same
    inode, so its recorded checksum is taken over instead of read again."""
    before: dict[str, dict[str, Any]] = {}
    if previous is not None:
        try:
            before = recorded(previous)
        except ValueError:
            before = {}
    files: dict[str, dict[str, Any]] = {}
    for p in _listed(gen):
        st = p.stat()
        old = before.get(p.name)
        if (
            old is not None
            and old.get("size") == st.st_size
            and _same_inode(p, previous / p.name if previous else None)
        ):
            files[p.name] = {"size": st.st_size, "crc32": old["crc32"]}
        else:
            files[p.name] = {"size": st.st_size, "crc32": crc32(p)}
    write_json(gen / CHECKSUMS, {"files": files, "seal": _seal(files)}, sort_keys=True)


def recorded(gen: Path) -> dict[str, dict[str, Any]]:
    """The recorded files; raises :class:`ValueError` naming what is wrong
    with the list itself (missing, unreadable, altered)."""
    path = gen / CHECKSUMS
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise ValueError("is missing") from None
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ValueError(f"is unreadable ({type(exc).__name__})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or data.get("seal") != _seal(files):
        raise ValueError("does not match its own checksum")
    return files


def verify(gen: Path, full: bool) -> list[Damage]:
    """What is damaged in generation ``gen``: every file present with its
    recorded size; checksums of the small files, or of all when ``full`` or
    when the generation is small."""
    where = gen.name + "/"
    try:
        files = recorded(gen)
    except ValueError as exc:
        return [Damage(where + CHECKSUMS, str(exc))]
    out: list[Damage] = []
    total = 0
    sizes: dict[str, int] = {}
    for name, info in files.items():
        try:
            size = (gen / name).stat().st_size
        except FileNotFoundError:
            out.append(Damage(where + name, "is missing"))
            continue
        except OSError as exc:
            out.append(Damage(where + name, f"cannot be read ({exc.strerror})"))
            continue
        if size != info.get("size"):
            out.append(Damage(where + name, f"is {size:,} bytes; it was written with {info.get('size'):,}"))
            continue
        sizes[name] = size
        total += size
    whole = full or total <= SMALL_INDEX
    for name, size in sizes.items():
        if whole or size <= SMALL_FILE:
            try:
                if crc32(gen / name) != files[name].get("crc32"):
                    out.append(Damage(where + name, "its content changed since it was written (checksum)"))
            except OSError as exc:
                out.append(Damage(where + name, f"cannot be read ({exc.strerror})"))
    return out


def quick_check(gen: Path) -> list[Damage]:
    """SQLite's own check of the side store's pages and structure (``side.sqlite`` and its parts)."""
    out: list[Damage] = []
    for path in [gen / SIDE_DB, *sorted(gen.glob(SIDE_PARTS))]:
        where = f"{gen.name}/{path.name}"
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                rows = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            out.append(Damage(where, f"SQLite: {exc}"))
            continue
        if rows != ["ok"]:
            out.append(Damage(where, "SQLite quick_check: " + "; ".join(rows[:3])))
    return out


def check(gen: Path) -> list[Damage]:
    """Everything (``briefing index check``, and after a read failed): every
    checksum, then SQLite's quick_check of the side store. Empty when nothing
    is damaged: a failure is then not the index's."""
    return verify(gen, full=True) or quick_check(gen)


def damage_behind(exc: BaseException, gen: Path) -> list[Damage]:
    """The damage of ``gen`` that explains ``exc``, a failure while reading
    it: every file checked (:func:`check`) when a damaged file could have
    raised it; none for any other exception, which is a bug."""
    return check(gen) if _read_error(exc) else []


def describe(damage: list[Damage]) -> str:
    shown = "; ".join(str(d) for d in damage[:3])
    return shown + (f"; and {len(damage) - 3} more" if len(damage) > 3 else "")


def save_check(index_dir: Path, result: dict[str, Any]) -> None:
    """Keep the last check's result beside the generations (best effort:
    a read-only index is still checked, the result is then not kept)."""
    try:
        write_json(index_dir / CHECK_RESULT, result)
    except OSError:
        pass


def last_check(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / CHECK_RESULT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
