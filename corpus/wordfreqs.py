"""Word frequencies from wordfreq, without wordfreq's dictionaries in memory.

wordfreq looks a word up in a dict of its language's whole list (713,447
words in Russian), built on first use and kept: 366 MB of a process for the
five languages briefing reads, in every process that asks (each parse
worker, and the main process, whose memory Whoosh's forked index writers
then carry too). Here each language's list is written once per machine to
the user cache as two sorted arrays, the words' 64-bit hashes and their
frequencies, which every process memory-maps (11 MB for Russian, shared
through the page cache), and wordfreq's own lookup (its tokeniser, the
combination of a phrase's words, its rounding) reads them in place of its
dict: :func:`install` hands wordfreq a table for ``get_frequency_dict``.
The answers are wordfreq's own (tests/corpus/test_wordfreqs.py compares
every word of a list).
"""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import write_bytes
from .cachedir import cache_dir
from .lexicon import find, word_key

log = logging.getLogger(__name__)

FORMAT = 1  # of the cached arrays; a change writes them anew
_lock = threading.Lock()
_import_lock = threading.Lock()
_installed = False  # read without the lock: every look-up asks


class FrequencyTable:
    """What wordfreq asks of a frequency dict (``word in d``, ``d[word]``),
    answered from the sorted hashes and their frequencies."""

    def __init__(self, keys: np.ndarray, freqs: np.ndarray) -> None:
        self._keys, self._freqs = keys, freqs

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and find(self._keys, word) >= 0

    def __getitem__(self, word: str) -> float:
        i = find(self._keys, word)
        if i < 0:
            raise KeyError(word)
        return float(self._freqs[i])

    def __len__(self) -> int:
        return len(self._keys)


def _paths(lang: str) -> tuple[Path, Path]:
    stem = f"{lang}-wordfreq{version('wordfreq')}-{FORMAT}"
    folder = cache_dir("wordfreq", "BRIEFING_WORDFREQ_CACHE")
    return folder / f"{stem}.keys.npy", folder / f"{stem}.freqs.npy"


def _save(path: Path, array: np.ndarray) -> None:
    buf = io.BytesIO()
    np.save(buf, array)
    write_bytes(path, buf.getvalue())


def _mapped(keys_path: Path, freqs_path: Path) -> FrequencyTable:
    return FrequencyTable(np.load(keys_path, mmap_mode="r"), np.load(freqs_path, mmap_mode="r"))


@lru_cache(maxsize=None)
def table(lang: str, original: Any) -> FrequencyTable:
    """The language's table, memory-mapped; written from ``original``
    (wordfreq's own ``get_frequency_dict``) the first time on a machine, or
    kept in memory for this process when the cache cannot be written."""
    keys_path, freqs_path = _paths(lang)
    try:
        return _mapped(keys_path, freqs_path)
    except (OSError, ValueError):
        pass
    words = original(lang)
    keys = np.fromiter((word_key(w) for w in words), dtype=np.uint64, count=len(words))
    freqs = np.fromiter(words.values(), dtype=np.float64, count=len(words))
    order = np.argsort(keys, kind="stable")
    keys, freqs = keys[order], freqs[order]
    if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):  # two words, one hash: never seen, but then not here
        raise RuntimeError(f"wordfreq's {lang} list has two words with one 64-bit hash")
    wordfreq = wordfreq_module()

    getattr(original, "cache_clear", lambda: None)()  # wordfreq keeps the dict and the list it came from:
    wordfreq.get_frequency_list.cache_clear()  # let them go
    try:
        _save(freqs_path, freqs)  # the keys last: a reader that finds them finds both
        _save(keys_path, keys)
        return _mapped(keys_path, freqs_path)
    except OSError as exc:
        log.warning("wordfreq's %s list cannot be kept in %s (%s); held in memory", lang, keys_path.parent, exc)
        return FrequencyTable(keys, freqs)


@contextmanager
def quick_locate() -> Iterator[None]:
    """While importing wordfreq's modules: ``locate.this_dir``, which
    wordfreq asks for its data folder on import, answered from the caller's
    frame. locate's own takes ``inspect.stack()``, which reads the source
    lines of every frame on the stack: 0.1 s a call, in every process that
    parses."""
    import locate

    original = locate.this_dir

    def this_dir() -> Path:  # as locate's: the folder of the caller's file, else the working folder
        caller = sys._getframe(1).f_globals
        if "__file__" in caller:
            return Path(os.path.abspath(caller["__file__"])).parent
        return Path(os.path.abspath(os.getcwd()))

    with _import_lock:
        locate.this_dir = this_dir
        try:
            yield
        finally:
            locate.this_dir = original


def wordfreq_module() -> Any:
    """wordfreq, imported (the first time) with :func:`quick_locate`."""
    if "wordfreq" not in sys.modules:
        with quick_locate():
            import wordfreq  # noqa: F401
    return sys.modules["wordfreq"]


def install() -> None:
    """Make wordfreq read its frequencies from the tables (idempotent)."""
    global _installed
    if _installed:
        return
    wordfreq = wordfreq_module()
    with _lock:
        if hasattr(wordfreq.get_frequency_dict, "original"):
            _installed = True
            return
        original = wordfreq.get_frequency_dict

        def get_frequency_dict(lang: str, wordlist: str = "best", match_cutoff: None = None) -> Any:
            if wordlist != "best" or match_cutoff is not None:
                return original(lang, wordlist, match_cutoff)
            return table(lang, original)

        get_frequency_dict.original = original  # type: ignore[attr-defined]
        wordfreq.get_frequency_dict = get_frequency_dict
        wordfreq.get_frequency_list.cache_clear()
        _installed = True


def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang``, from the tables
    (for Chinese, wordfreq segments the word on a compact lexicon:
    corpus/segmenter.py)."""
    wordfreq = wordfreq_module()
    install()
    if lang == "zh":
        from .segmenter import lean_wordfreq

        lean_wordfreq()
    return float(wordfreq.zipf_frequency(word, lang))
