"""Imports go corpus -> index -> tui only; the headless layers never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["corpus", "index"])
def test_headless_layers_never_import_textual(package: str) -> None:
    code = f"import sys, pkgutil, importlib, {package}\n" \
        f"[importlib.import_module('{package}.' + m.name) for m in pkgutil.iter_modules({package}.__path__)]\n" \
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_corpus_never_imports_whoosh() -> None:
    code = (
        "import sys, pkgutil, importlib, corpus\n"
        "[importlib.import_module('corpus.' + m.name) for m in pkgutil.iter_modules(corpus.__path__)]\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'index'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_the_private_names_contract_finds_what_it_names() -> None:
    """The import-linter contract of tests/contracts.py (run by ``make
    lint``): another package's private names and modules are found, however
    the import is written; a package's own, dunders and public names are not."""
    from tests.contracts import private_imports

    packages = {"corpus", "index", "tui"}
    source = (
        "from corpus.loader import auto_id, _auto_id\n"
        "from corpus import (\n    discover,\n    _secret as s,\n)\n"
        "import corpus._private\n"
        "from ._own import x\n"
        "from ..corpus import _relative\n"
        "from corpus import __version__\n"
        "from index.search import _merge\n"
    )
    assert private_imports("index.incremental", source, packages) == [
        (1, "from corpus.loader import _auto_id"),
        (2, "from corpus import _secret"),
        (6, "import corpus._private"),
        (8, "from corpus import _relative"),
    ]
    assert private_imports("tui.cli", "from index.search import _merge\nfrom tui._x import y\n", packages) == [
        (1, "from index.search import _merge"),
    ]
    assert private_imports("index", "from . import _own\nfrom .. import corpus\n", packages, is_package=True) == []
