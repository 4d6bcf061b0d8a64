"""Where briefing keeps what it builds once per machine and reuses: the
compiled gazetteer (corpus/geo.py), the encoder's int8 graph
(corpus/encoder.py) and wordfreq's lists as memory-mapped tables
(corpus/wordfreqs.py); and whether a ``BRIEFING_*`` switch that turns one of
them off (the encoder, the vectors, the world gazetteer) is set so."""

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


OFF = frozenset({"off", "0", "no", "false"})  # what turns a BRIEFING_* switch off


def switched_off(env: str) -> bool:
    """Is the environment variable ``env`` set to turn its part off
    (``BRIEFING_ENCODER=off``, ``BRIEFING_GAZETTEER=no``)?"""
    return os.environ.get(env, "").lower() in OFF
