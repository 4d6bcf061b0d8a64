"""The reader's config file: ``config.yaml`` in the user config dir
(``~/.config/briefing/`` on Linux), or the file named by ``BRIEFING_CONFIG``.

```yaml
bidi: auto        # auto | visual | terminal  (see tui/bidi.py)
briefing: default # the briefing that b clips to in the reader
memory: 2048      # MB that a build's processes may hold at once (index rebuild/update, the reader's rebuild)
```

Unknown keys and bad values are refused with ``file:line``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from corpus import BUNDLED_DIR
from corpus.yamlio import ConfigError, check_keys, load_yaml, where

KEYS = {"bidi", "briefing", "memory"}
MODES = ("auto", "visual", "terminal")  # how Arabic is drawn: tui/bidi.py


class Settings:
    """Resolved global options, shared by every command and the reader."""

    def __init__(self, corpus: Path | None, index: Path | None, bidi: str | None = None,
                 briefing: str | None = None, memory: int | None = None) -> None:
        from index.store import default_index_dir  # platformdirs and the standard library only

        self.corpus = (corpus or BUNDLED_DIR).resolve()
        self.index = (index or default_index_dir(self.corpus)).resolve()
        self.bidi = bidi or "auto"  # auto | visual | terminal; the config file fills it in main()
        self.briefing = briefing or "default"  # the reader's b clips to it
        self.memory = memory  # MB over all of a build's processes; None: index.budget.MEMORY_MB


def config_path() -> Path:
    env = os.environ.get("BRIEFING_CONFIG")
    return Path(env) if env else Path(user_config_dir("briefing")) / "config.yaml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The settings in the config file; {} when there is none. A file that
    ``BRIEFING_CONFIG`` names must exist: a mistyped name is not ignored."""
    named = path is not None or bool(os.environ.get("BRIEFING_CONFIG"))
    path = path or config_path()
    if not path.is_file():
        if named:
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise ConfigError(f"{path}: {what} (named by BRIEFING_CONFIG); unset it or point it at a config.yaml")
        return {}
    data = load_yaml(path) or {}
    check_keys(path, data, KEYS, "config")
    bidi = data.get("bidi")
    if bidi is not None and bidi not in MODES:
        raise ConfigError(f"{where(path, data, 'bidi')}: bidi must be one of {', '.join(MODES)}, not {bidi!r}")
    memory = data.get("memory")
    if memory is not None:
        from index.budget import MIN_MEMORY_MB  # only when the file sets it: the CLI starts without the index package

        if not isinstance(memory, int) or isinstance(memory, bool) or memory < MIN_MEMORY_MB:
            raise ConfigError(f"{where(path, data, 'memory')}: memory is a build's budget in MB, a whole number "
                              f"of at least {MIN_MEMORY_MB}, not {memory!r}")
    name = data.get("briefing")
    if name is not None:
        from .briefings import check_name

        try:
            check_name(str(name))
        except ValueError as exc:
            raise ConfigError(f"{where(path, data, 'briefing')}: {exc}") from None
    return dict(data)
