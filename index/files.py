"""Writing a file so that a reader sees the old one or the new one, never
half of either: the text goes to a temporary file beside it, is synced to
disk, and is renamed over the old one. A failed write leaves the old file
and no temporary one. Used for the index's own JSON files, the query
segmenter's cached dictionary, and the analyst's briefings, watches and
exports (tui/)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically; its folder is made when needed."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; its folder is made when needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own (two writers never share a temporary file), opened as
    # a new file so that it gets the usual permissions (mkstemp's are 0600).
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any, **dumps: Any) -> None:
    """``data`` as compact JSON (UTF-8, not ASCII-escaped), atomically."""
    write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":"), **dumps))
