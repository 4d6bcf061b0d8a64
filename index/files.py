"""Writing a file so that a reader sees the old one or the new one, never
half of either (:func:`corpus.atomic.write_bytes`). Used for the index's own
JSON files, the query segmenter's cached dictionary, and the analyst's
briefings, watches and exports (tui/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpus.atomic import write_bytes

__all__ = ["write_bytes", "write_json", "write_text"]


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; its folder is made when needed."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, data: Any, **dumps: Any) -> None:
    """``data`` as compact JSON (UTF-8, not ASCII-escaped), atomically."""
    write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":"), **dumps))
