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
from dataclasses import dataclass
from pathlib import Path

from .yamlio import ConfigError, check_keys, load_yaml, str_list, where

MANIFEST_NAME = "briefing.yaml"
_KEYS = {"id", "file", "lang", "title", "date", "source", "translations"}


@dataclass(frozen=True)
class Entry:
    id: str
    file: str  # relative, forward slashes
    lang: str | None
    title: str | None
    date: str | None
    source: str | None
    translations: tuple[str, ...] | None  # None: not declared, let detection decide


def load_manifest(root: Path) -> dict[str, Entry]:
    """Entries by relative file path. Every error names ``file:line``."""
    path = root / MANIFEST_NAME
    if not path.is_file():
        return {}
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
            if not node.get(key):
                raise ConfigError(f"{where(path, node)}: manifest entry needs {key!r}")
        aid, rel = str(node["id"]), str(node["file"]).replace("\\", "/")
        if aid in ids:
            raise ConfigError(f"{where(path, node, 'id')}: duplicate id {aid!r} (also used for {ids[aid]})")
        target = (root / rel).resolve()
        if rel.startswith("/") or not target.is_relative_to(root_resolved):
            raise ConfigError(f"{where(path, node, 'file')}: {rel!r} is outside the corpus folder")
        if rel in entries:
            raise ConfigError(f"{where(path, node, 'file')}: {rel!r} is listed twice")
        date = node.get("date")
        if isinstance(date, (dt.date, dt.datetime)):
            date = date.isoformat()[:10]
        elif date is not None:
            try:
                date = dt.date.fromisoformat(str(date)).isoformat()
            except ValueError as exc:
                raise ConfigError(f"{where(path, node, 'date')}: date {date!r} is not YYYY-MM-DD") from exc
        ids[aid] = rel
        entries[rel] = Entry(
            id=aid,
            file=rel,
            lang=str(node["lang"]) if node.get("lang") else None,
            title=str(node["title"]) if node.get("title") else None,
            date=date,
            source=str(node["source"]) if node.get("source") else None,
            translations=(
                str_list(path, node, "translations", node.get("translations")) if "translations" in node else None
            ),
        )
    for node, entry in zip(items, entries.values(), strict=True):
        for other in entry.translations or ():
            if other not in ids:
                raise ConfigError(f"{where(path, node, 'translations')}: translation {other!r} is not an id in the manifest")
    return entries


def manifest_sha256(root: Path) -> str | None:
    """The manifest's content hash (None without one): an update that sees
    it change re-reads everything."""
    path = root / MANIFEST_NAME
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
