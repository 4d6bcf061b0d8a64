"""Package names imported when first used (PEP 562).

``briefing --version`` must not load the parser, Whoosh or numpy just
because a package's ``__init__`` re-exports them: a package lists where each
name lives, and :func:`lazy_exports` gives it the module ``__getattr__``
that imports it on first use (and keeps it, so the next use is a plain
attribute).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each
    exported name to the submodule that defines it."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
