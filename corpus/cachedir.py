"""Where briefing keeps what it builds once per machine and reuses: the
compiled gazetteer (corpus/geo.py), the encoder's int8 graph
(corpus/encoder.py) and wordfreq's lists as memory-mapped tables
(corpus/wordfreqs.py)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str, env: str) -> Path:
    """The folder named by the environment variable ``env`` when it is set,
    else ``<user cache>/briefing/<name>`` (platformdirs)."""
    given = os.environ.get(env)
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("briefing")) / name
