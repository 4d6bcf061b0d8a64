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
