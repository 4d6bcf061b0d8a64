"""Writing a file so that a reader sees the old one or the new one, never
half of either: the bytes go to a temporary file beside it, are synced to
disk, and the file is renamed over the old one. A failed write leaves the old
file and no temporary one. Used for what briefing caches once per machine
(corpus/) and for the index's own files and the analyst's briefings
(index/files.py builds on it)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


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
