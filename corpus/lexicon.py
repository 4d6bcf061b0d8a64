"""jieba's dictionary in 8 MB instead of 55, loaded in 10 ms instead of 350.

jieba keeps its dictionary as a Python dict of every word and every prefix
of a word: 498,000 strings and their frequencies, about 55 MB of objects,
loaded from its marshal cache in 0.3-0.4 s by every process that segments
a word (and again for wordfreq's own dictionary). Here the same entries are
two sorted numpy arrays: a 64-bit BLAKE2b hash of each entry, and its
frequency (0 for a prefix). Two different entries share a hash with a
probability of about 10⁻⁸. A look-up costs about 3 µs (a hash and a binary
search) against 0.1 µs in a dict, so each answer is kept in a bounded memo:
jieba asks of the same characters and words again and again (51 real
Chinese news stories asked 13,000 distinct entries).

The arrays are computed from a jieba dictionary file once per machine (a
few seconds, reading the file a line at a time) and cached in the user
cache folder, named by jieba's version and the file's content. The
segmentation is jieba's: its own ``Tokenizer``, given this mapping as its
``FREQ`` (``get_DAG`` and ``calc`` only look entries up). :func:`lean`
makes any jieba ``Tokenizer`` load it in place of its dict: the reader's
query segmenter (:func:`tokenizer`) and the recognisers' (corpus/segmenter.py).
"""

from __future__ import annotations

import hashlib
import io
import logging
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .atomic import write_bytes
from .cachedir import cache_dir

log = logging.getLogger(__name__)


def word_key(word: str) -> int:
    """A word's 64-bit BLAKE2b hash: how the sorted-hash tables here and in
    corpus/wordfreqs.py find it."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def find(keys: np.ndarray, word: str) -> int:
    """Where ``word``'s hash is in the sorted array ``keys``, or -1."""
    k = word_key(word)
    i = int(np.searchsorted(keys, np.uint64(k)))
    return i if i < len(keys) and int(keys[i]) == k else -1


def file_digest(path: Path) -> str | None:
    """A file's content as a short name for what is cached from it (a 5 MB
    dictionary hashes in milliseconds), or None when it cannot be read."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
    except OSError:
        return None


MEMO_MAX = 200_000  # answers a lexicon keeps (about 20 MB when full) before it starts afresh


class Lexicon(Mapping[str, int]):
    """Word (or prefix of a word) -> frequency, read-only, by hash."""

    def __init__(self, keys: np.ndarray, freqs: np.ndarray, total: int) -> None:
        self._keys = keys  # sorted uint64
        self._freqs = freqs  # int64, in the same order
        self.total = total
        self._memo: dict[str, int] = {}  # entry -> frequency, -1 for no entry

    def _freq(self, word: str) -> int:
        got = self._memo.get(word)
        if got is None:
            i = find(self._keys, word)
            got = int(self._freqs[i]) if i >= 0 else -1
            if len(self._memo) >= MEMO_MAX:
                self._memo.clear()
            self._memo[word] = got
        return got

    def __getitem__(self, word: str) -> int:
        got = self._freq(word)
        if got < 0:
            raise KeyError(word)
        return got

    def get(self, word: str, default: Any = None) -> Any:
        got = self._freq(word)
        return default if got < 0 else got

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._freq(word) >= 0

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a Lexicon keeps hashes, not words: it cannot be iterated")

    @property
    def nbytes(self) -> int:
        return int(self._keys.nbytes + self._freqs.nbytes)


def build(lines: Iterable[bytes]) -> Lexicon:
    """The entries of a jieba dictionary (``word freq [tag]`` lines), as
    jieba's ``gen_pfdict`` makes them: a word's frequency (the last line of
    a word repeated wins), every prefix of a word at 0 unless it is a word.
    Hashes are gathered in flat arrays (8 bytes an entry), not in a dict."""
    keys, freqs, prefixes = array("Q"), array("q"), array("Q")
    total = 0
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip().decode("utf-8")
        if not line:
            continue
        try:
            word, freq_text = line.split(" ")[:2]
            freq = int(freq_text)
        except ValueError:
            raise ValueError(f"invalid dictionary entry at line {lineno}: {line}") from None
        total += freq
        keys.append(word_key(word))
        freqs.append(freq)
        for end in range(1, len(word)):
            prefixes.append(word_key(word[:end]))
    word_keys = np.frombuffer(keys, dtype=np.uint64)[::-1]  # reversed: the first found is a word's last line
    word_keys, first = np.unique(word_keys, return_index=True)
    word_freqs = np.frombuffer(freqs, dtype=np.int64)[::-1][first]
    pre = np.setdiff1d(np.unique(np.frombuffer(prefixes, dtype=np.uint64)), word_keys, assume_unique=True)
    all_keys = np.concatenate([word_keys, pre])
    order = np.argsort(all_keys, kind="stable")
    all_freqs = np.concatenate([word_freqs, np.zeros(len(pre), dtype=np.int64)])
    return Lexicon(all_keys[order], all_freqs[order], total)


def _cache_path(dict_file: Path, version: str) -> Path | None:
    """Named by the dictionary's content (a 5 MB file hashes in milliseconds),
    not its time: every install of one jieba shares one cached file, where a
    name by modification time left one more 8 MB file per installation."""
    digest = file_digest(dict_file)
    return None if digest is None else cache_dir("jieba", "BRIEFING_JIEBA_CACHE") / f"lexicon-{version}-{digest}.npz"


def load(dict_file: Path, version: str) -> Lexicon:
    """jieba's dictionary file as a :class:`Lexicon`, from the cache when
    it has it (else computed and cached; a cache that cannot be read or
    written is only a slower start)."""
    cache = _cache_path(dict_file, version)
    if cache is not None and cache.is_file():  # read whole: 8 MB in 10 ms
        try:
            with np.load(cache) as z:
                return Lexicon(z["keys"], z["freqs"], int(z["total"]))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("the cached jieba lexicon %s cannot be read (%s); computing it again", cache, exc)
    with open(dict_file, "rb") as f:
        lex = build(f)
    if cache is not None:
        buf = io.BytesIO()
        np.savez(buf, keys=lex._keys, freqs=lex._freqs, total=np.int64(lex.total))
        try:
            write_bytes(cache, buf.getvalue())
        except OSError as exc:
            log.warning("the jieba lexicon cannot be cached in %s (%s)", cache.parent, exc)
    return lex


def lean(tok: Any) -> Any:
    """Make jieba ``Tokenizer`` ``tok`` load its dictionary as a
    :class:`Lexicon` when it is first used, not as jieba's dict (jieba's
    ``check_initialized`` calls the instance's ``initialize``)."""
    import jieba  # imported already: ``tok`` is one of its tokenizers

    def initialize(dictionary: str | None = None) -> None:
        if dictionary is not None and dictionary != tok.dictionary:
            raise ValueError("a lean jieba tokenizer keeps the dictionary it was made with")
        with tok.lock:
            if tok.initialized:
                return
            with type(tok).get_dict_file(tok) as f:  # the class's: segmenter.posseg shadows the instance's a moment
                dict_file = Path(f.name)
            lex = load(dict_file, jieba.__version__)
            tok.FREQ, tok.total, tok.initialized = lex, lex.total, True

    tok.initialize = initialize
    return tok


def tokenizer() -> Any:
    """A jieba ``Tokenizer`` for queries, on the compact dictionary."""
    from .segmenter import jieba_module

    tok = lean(jieba_module().Tokenizer())
    tok.initialize()
    return tok
