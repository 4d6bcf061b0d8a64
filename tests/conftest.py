"""Shared fixtures. Every test runs with its own user data and cache dirs, so
nothing touches the developer's real indexes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from corpus.cachedir import cache_dir

ROOT = Path(__file__).resolve().parent.parent
BRIEFING = str(Path(sys.executable).with_name("briefing"))
# The world gazetteer (corpus.geo), the sentence encoder's int8 graph
# (corpus.encoder) and jieba's tags (corpus.places) are built once per machine;
# the tests share the machine's copies rather than building them in every
# isolated cache.
for _name, _env in (("geo", "BRIEFING_GEO_CACHE"), ("encoder", "BRIEFING_ENCODER_CACHE"),
                    ("jieba", "BRIEFING_JIEBA_CACHE")):
    os.environ[_env] = str(cache_dir(_name, _env))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.delenv("BRIEFING_INDEX", raising=False)


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, indexed once for the whole session (read-only use)."""
    from index import rebuild

    path = tmp_path_factory.mktemp("bundled-index")
    rebuild(BUNDLED_DIR, path)
    return path


@pytest.fixture(scope="session")
def float32_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus embedded by the float32 pass (``BRIEFING_ENCODER=numpy``),
    for the tests that show similarities as literals. The int8 pass's integer kernels
    differ with the CPU's instruction set, by up to 0.01 of a similarity, so
    its second decimal is the machine's; float32's last bits are too, but
    they are a millionth, not a hundredth. A query is embedded in float32
    either way. Built by the installed ``briefing`` in a process of its own:
    a process keeps the first encoder it loads, so building it here would
    give it the int8 vectors of a build before it, or every later build in
    this process its float32 ones."""
    path = tmp_path_factory.mktemp("float32-index")
    subprocess.run([BRIEFING, "index", "rebuild"], check=True, capture_output=True, timeout=600,
                   env=env_for(BUNDLED_DIR, path) | {"BRIEFING_ENCODER": "numpy"})
    return path


@pytest.fixture(scope="session")
def index(bundled_index: Path):  # type: ignore[no-untyped-def]
    from index import Index

    with Index(bundled_index) as ix:
        yield ix


@pytest.fixture
def open_index():  # type: ignore[no-untyped-def]
    """Open an index for this test; closed when the test ends."""
    from index import Index

    opened: list[Index] = []

    def open_(path: Path) -> Index:
        ix = Index(path)
        opened.append(ix)
        return ix

    yield open_
    for ix in opened:
        ix.close()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    dst = tmp_path / "corpus"
    shutil.copytree(BUNDLED_DIR, dst)
    return dst


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def env_for(corpus: Path, index: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(BRIEFING_CORPUS=str(corpus), BRIEFING_INDEX=str(index))
    return env


@pytest.fixture
def run_briefing(bundled_index: Path):  # type: ignore[no-untyped-def]
    """Run the installed ``briefing`` against the session's bundled index."""

    def run(
        *args: str, check: bool = True, stdin: str | None = None, columns: int = 300
    ) -> subprocess.CompletedProcess[str]:
        env = env_for(BUNDLED_DIR, bundled_index) | {"COLUMNS": str(columns)}
        r = subprocess.run([BRIEFING, *args], capture_output=True, text=True, input=stdin, timeout=120, env=env)
        if check:
            assert r.returncode == 0, r.stderr
        return r

    return run


def rows(app, kind: type) -> list:  # type: ignore[no-untyped-def]
    """The rows of ``kind`` (ArticleItem, HitItem…) that the reader's one-line
    lists show, top to bottom: they are options of an OptionList, not widgets."""
    from tui.widgets.panes import RowList

    return [r for pane in app.query(RowList) for r in pane.rows() if isinstance(r, kind)]
