"""The ``briefing`` command: a thin click layer over the corpus and index APIs.

One module per room: ``group`` (the group, its global options and the entry
point), ``output`` (the safe console, tables, JSON, pipe manners),
``session`` (errors, opening or building the index), ``complete`` (shell
completion), and one per group of commands: ``index_cmds``, ``reading``,
``briefing_cmds``, ``watch_cmds``.

Exit codes: 0 success; 1 failure (the previous index is untouched);
2 usage error (a bad option, query, id or YAML file); 3 index built but
some files were skipped (they are named).

``--help`` and ``--version`` load neither Whoosh, jieba nor numpy: the
index layer is imported by the commands that use it.
"""

from . import briefing_cmds, index_cmds, reading, watch_cmds  # noqa: F401  (each registers its commands)
from .group import cli, main

__all__ = ["cli", "main"]
