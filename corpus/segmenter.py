"""jieba for the recognisers, cheap to start: a process that parses three
Chinese files pays for three files, not for jieba's tables.

Left to itself, jieba costs a process about 1.4 s and 110 MB before its
first word, whatever it then reads:

- ``jieba._compat`` imports ``pkg_resources`` (0.2 s) only to open jieba's
  own data files; without it, jieba opens them by path (its own fallback);
- the default tokenizer loads its 500,000-entry dict (0.35 s, 55 MB), and
  wordfreq's Chinese tokenizer loads another from wordfreq's word list;
- importing ``jieba.posseg`` parses the dictionary file again (0.45 s) for
  its part-of-speech tags, which :func:`jieba_tags` keeps in the user cache.

Here jieba is imported without ``pkg_resources``, both tokenizers look
words up in compact lexicons (corpus/lexicon.py, 10 ms each), and
``jieba.posseg`` gets its tags from the cached table. The segmentation and
the tags are jieba's own (tests/corpus/test_segmenter.py compares them).
"""

from __future__ import annotations

import io
import logging
import marshal
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from .atomic import write_bytes
from .cachedir import cache_dir

log = logging.getLogger(__name__)

_lock = threading.RLock()


@lru_cache(maxsize=1)
def jieba_module() -> Any:
    """The ``jieba`` module, its default tokenizer on the compact lexicon."""
    from . import lexicon

    with _lock:
        blocked = "pkg_resources" not in sys.modules and "jieba" not in sys.modules
        if blocked:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba opens files by path
        try:
            import jieba
        finally:
            if blocked:
                del sys.modules["pkg_resources"]
        jieba.setLogLevel(logging.WARNING)
        if not jieba.dt.initialized:
            lexicon.lean(jieba.dt)
    return jieba


def _posseg_module() -> Any:
    """``jieba.posseg`` imported; when this imports it, the module's own
    tokenizer reads an empty dictionary file, not jieba's."""
    dt = jieba_module().dt
    with _lock:
        if "jieba.posseg" not in sys.modules:
            dt.get_dict_file = lambda: io.BytesIO(b"")  # the instance's, for the import only
            try:
                import jieba.posseg  # noqa: F401
            finally:
                del dt.get_dict_file
    return sys.modules["jieba.posseg"]


@lru_cache(maxsize=1)
def posseg() -> Any:
    """``jieba.posseg``, its tags table from :func:`jieba_tags`."""
    module = _posseg_module()
    module.dt.word_tag_tab = jieba_tags()
    return module


@lru_cache(maxsize=1)
def jieba_tags() -> dict[str, str]:
    """jieba's dictionary words and their part-of-speech tags: the table
    ``jieba.posseg`` builds when imported (0.5–0.8 s, parsing its 350,000
    lines), built so once per machine and kept in the user cache as marshal
    (about 0.1 s to load), named by jieba's version and the dictionary's
    content. A cache that cannot be read or written is only a slower start."""
    from .lexicon import file_digest

    jieba = jieba_module()
    with jieba.dt.get_dict_file() as fh:
        dict_file = Path(fh.name)
    path = cache_dir("jieba", "BRIEFING_JIEBA_CACHE") / f"tags-{jieba.__version__}-{file_digest(dict_file)}.marshal"
    try:
        tags = marshal.loads(path.read_bytes())
        if isinstance(tags, dict):
            return tags
    except (OSError, EOFError, ValueError, TypeError):
        pass
    pos = _posseg_module()
    reader = pos.POSTokenizer.__new__(pos.POSTokenizer)  # jieba's own reading of the file, into a scratch object
    reader.load_word_tag(jieba.dt.get_dict_file())
    tags = reader.word_tag_tab
    try:
        write_bytes(path, marshal.dumps(tags))
    except OSError as exc:
        log.warning("jieba's part-of-speech tags cannot be cached in %s (%s)", path.parent, exc)
    return tags


@lru_cache(maxsize=1)
def lean_wordfreq() -> None:
    """Give wordfreq's Chinese tokenizer (``wordfreq.chinese``, which
    segments a word before looking its parts up) a compact lexicon of
    wordfreq's own dictionary file, unless it already has a tokenizer
    (once a process: every Chinese frequency asks)."""
    from . import lexicon
    from .wordfreqs import quick_locate

    jieba = jieba_module()
    with quick_locate():
        import wordfreq.chinese

    with _lock:
        if wordfreq.chinese.jieba_tokenizer is None:
            wordfreq.chinese.jieba_tokenizer = lexicon.lean(jieba.Tokenizer(dictionary=wordfreq.chinese.DICT_FILENAME))
