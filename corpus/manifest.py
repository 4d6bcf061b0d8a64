"""The optional corpus manifest, ``briefing.yaml`` in the corpus folder.

```yaml
articles:
  - id: "002"                       # required, unique
    file: 002_05264b1b95ebf856.txt  # required, relative to the folder
    lang: zh                        # optional; detected when absent
    title: ...                      # optional; taken from the text when absent
    date: 2020-05-18                # optional; found in the text when absent
    source: ...                     # optional
    translations: ["000"]           # optional; ids of other language versions.
                                    # Listed (even as []), it replaces detection
                                    # for this article.
```
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .yamlio import ConfigError, LineDict, check_keys, load_yaml, str_list, where

MANIFEST_NAME = "briefing.yaml"
_KEYS = {"id", "file", "lang", "title", "date", "source", "translations"}
LANG_CODE = re.compile(r"^[a-z]{2,3}$")  # ISO 639-1 or 639-3, as fastText and the index name them


def lang_code(value: object) -> str | None:
    """``value`` as a language code (lower-cased), or None when it is not one."""
    code = str(value).strip().lower()
    return code if LANG_CODE.match(code) else None


@dataclass(frozen=True)
class Entry:
    id: str
    file: str  # relative, forward slashes
    lang: str | None
    title: str | None
    date: str | None
    source: str | None
    translations: tuple[str, ...] | None  # None: not declared, let detection decide


def entries_from_list(items: Iterable[Mapping[str, Any]]) -> dict[str, Entry]:
    """Entries stored as JSON (each :class:`Entry`'s fields by name, as an
    index keeps them so that an update does not parse the manifest again
    while its hash is unchanged), read back by relative file path."""
    out: dict[str, Entry] = {}
    for d in items:
        t = d["translations"]
        out[d["file"]] = Entry(d["id"], d["file"], d["lang"], d["title"], d["date"], d["source"],
                               None if t is None else tuple(t))
    return out


APART_BYTES = 1 << 20  # a manifest this large (about 15,000 entries) is read in a child process


def load_manifest(root: Path) -> dict[str, Entry]:
    """Entries by relative file path. Every error names ``file:line``.

    A manifest of :data:`APART_BYTES` or more is read in a child process:
    reading YAML builds a node, marks and line records for every value
    before any entry exists, about 4 KB an entry, and Python's allocator
    keeps most of that from the system once it is freed (a 100,000-entry
    manifest left a process 340 MB larger, holding 38 MB of entries). A
    build sizes its workers by what this process holds (index/budget.py),
    so that would have cost it a parse worker. The child reads it the same
    way, and its errors come back as they are."""
    path = root / MANIFEST_NAME
    if not path.is_file():
        return {}
    if path.stat().st_size >= APART_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            return child.submit(_read_manifest, root).result()
    return _read_manifest(root)


def _read_manifest(root: Path) -> dict[str, Entry]:
    path = root / MANIFEST_NAME
    data = load_yaml(path) or {}
    check_keys(path, data, {"articles"}, f"{MANIFEST_NAME} (top level)")
    items = data.get("articles") or []
    if not isinstance(items, list):
        raise ConfigError(f"{where(path, data, 'articles')}: 'articles' must be a list")
    entries: dict[str, Entry] = {}
    ids: dict[str, str] = {}
    root_resolved = root.resolve()
    for node in items:
        check_keys(path, node, _KEYS, "a manifest entry")
        for key in ("id", "file"):
            if node.get(key) is None or str(node.as_written(key)).strip() == "":
                raise ConfigError(f"{where(path, node)}: manifest entry needs {key!r}")
        # As written: an unquoted 010 is the id "010", not the number 10 or 8.
        aid, rel = str(node.as_written("id")), str(node.as_written("file")).replace("\\", "/")
        if aid in ids:
            raise ConfigError(f"{where(path, node, 'id')}: duplicate id {aid!r} (also used for {ids[aid]})")
        target = (root / rel).resolve()
        if rel.startswith("/") or not target.is_relative_to(root_resolved):
            raise ConfigError(f"{where(path, node, 'file')}: {rel!r} is outside the corpus folder")
        if rel in entries:
            raise ConfigError(f"{where(path, node, 'file')}: {rel!r} is listed twice")
        ids[aid] = rel
        entries[rel] = Entry(
            id=aid,
            file=rel,
            lang=_lang(path, node),
            title=str(node["title"]) if node.get("title") else None,
            date=_date(path, node),
            source=str(node["source"]) if node.get("source") else None,
            translations=_translations(path, node, aid),
        )
    for node, entry in zip(items, entries.values(), strict=True):
        for other in entry.translations or ():
            if other not in ids:
                raise ConfigError(
                    f"{where(path, node, 'translations')}: translation {other!r} is not an id in the manifest"
                )
    return entries


def _date(path: Path, node: LineDict) -> str | None:
    if node.get("date") is None:
        return None
    date = str(node.as_written("date")).strip()
    try:
        return dt.datetime.fromisoformat(date).date().isoformat()
    except ValueError as exc:
        raise ConfigError(f"{where(path, node, 'date')}: date {date!r} is not a real date in the form "
                          "YYYY-MM-DD") from exc


def _lang(path: Path, node: LineDict) -> str | None:
    if node.get("lang") is None:
        return None
    lang = lang_code(node.as_written("lang"))
    if lang is None:
        raise ConfigError(f"{where(path, node, 'lang')}: lang {node.as_written('lang')!r} is not a language "
                          "code; use a two- or three-letter ISO 639 code such as zh, ar, ru, de, en")
    return lang


def _translations(path: Path, node: LineDict, aid: str) -> tuple[str, ...] | None:
    if "translations" not in node:
        return None
    written = node.as_written("translations")
    translations = str_list(path, node, "translations", written if isinstance(written, list) else node["translations"])
    if aid in translations:
        raise ConfigError(f"{where(path, node, 'translations')}: article {aid!r} is listed as its own translation")
    return translations


def manifest_sha256(root: Path) -> str | None:
    """The manifest's content hash (None without one): an update that sees
    it change re-reads everything."""
    path = root / MANIFEST_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
