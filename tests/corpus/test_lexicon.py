"""The compact jieba dictionary that queries and the recognisers segment
with (corpus/lexicon.py): the same words as jieba's own dictionary, the
same segmentation, and a cache that a damaged file cannot break."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import jieba
import pytest

from corpus import BUNDLED_DIR, lexicon, load_corpus
from index.query import segment_han


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@pytest.fixture(scope="module")
def lean() -> jieba.Tokenizer:
    return lexicon.tokenizer()


def test_segments_every_bundled_chinese_paragraph_as_jieba_does(reference: jieba.Tokenizer,
                                                                lean: jieba.Tokenizer) -> None:
    texts = [p.text for a in load_corpus(BUNDLED_DIR).articles if a.lang == "zh" for p in a.paragraphs]
    assert len(texts) > 90
    for text in texts:
        assert list(lean.cut(text)) == list(reference.cut(text)), text


def test_segments_generated_runs_of_dictionary_words_as_jieba_does(reference: jieba.Tokenizer,
                                                                   lean: jieba.Tokenizer) -> None:
    """Runs of real words in random order, where the dictionary's
    frequencies decide between competing splits."""
    words = sorted(w for w, f in reference.FREQ.items() if f and len(w) > 1)
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(words) for _ in range(rng.randint(2, 6)))
        assert list(lean.cut(text)) == list(reference.cut(text)), text
    assert segment_han("粤港澳大湾区科技创新合作") == list(reference.cut("粤港澳大湾区科技创新合作"))


def test_the_same_entries_and_frequencies(reference: jieba.Tokenizer, lean: jieba.Tokenizer) -> None:
    assert len(lean.FREQ) == len(reference.FREQ)
    assert lean.total == reference.total
    rng = random.Random(3)
    for w in rng.sample(sorted(reference.FREQ), 5000):
        assert lean.FREQ[w] == reference.FREQ[w]
        assert lean.FREQ.get(w) == reference.FREQ.get(w)
    for absent in ("不是词语之一的长串", "xyz", "Shenzhen"):
        assert absent not in lean.FREQ and lean.FREQ.get(absent) is None
        with pytest.raises(KeyError):
            lean.FREQ[absent]
    assert lean.FREQ.nbytes < 10_000_000  # against about 55 MB of Python objects


def test_build_follows_jiebas_rules() -> None:
    lex = lexicon.build([b"\xe5\xa4\xa7\xe6\xb9\xbe\xe5\x8c\xba 7 n\n", "大 3 a".encode(), b"\n",
                         "大湾区 9 n".encode(), "科技园区 2".encode()])
    assert lex["大湾区"] == 9  # a word repeated: its last line wins
    assert lex["大"] == 3  # a word that is also a prefix keeps its frequency
    assert lex["大湾"] == 0 and lex["科技园"] == 0 and lex["科"] == 0  # prefixes of words
    assert "湾区" not in lex and "区" not in lex
    assert lex.total == 7 + 3 + 9 + 2 and len(lex) == 7  # 3 words, 4 prefixes: 大湾 科 科技 科技园
    with pytest.raises(ValueError, match="line 2: 大湾区 many"):
        lexicon.build(["大 3".encode(), "大湾区 many".encode()])


def test_a_damaged_cache_is_computed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("BRIEFING_JIEBA_CACHE", str(tmp_path / "cache"))
    dict_file = tmp_path / "dict.txt"
    dict_file.write_text("大湾区 9 n\n科技 5 n\n", encoding="utf-8")
    first = lexicon.load(dict_file, "test")
    [cached] = (tmp_path / "cache").glob("lexicon-test-*.npz")
    again = lexicon.load(dict_file, "test")
    assert again["大湾区"] == first["大湾区"] == 9 and again.total == 14
    cached.write_bytes(b"not an npz")
    with caplog.at_level(logging.WARNING, logger="corpus.lexicon"):
        healed = lexicon.load(dict_file, "test")
    assert healed["科技"] == 5 and "cannot be read" in caplog.text
    assert lexicon.load(dict_file, "test")["科"] == 0  # cached again


def test_one_dictionary_is_cached_once_whatever_its_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each install of jieba writes its dictionary anew: the cache is named
    by content, so a second install with the same words shares the file."""
    import os

    monkeypatch.setenv("BRIEFING_JIEBA_CACHE", str(tmp_path / "cache"))
    for n, folder in enumerate(("venv-a", "venv-b")):
        dict_file = tmp_path / folder / "dict.txt"
        dict_file.parent.mkdir()
        dict_file.write_text("大湾区 9 n\n", encoding="utf-8")
        os.utime(dict_file, ns=(n * 10**9, n * 10**9))
        assert lexicon.load(dict_file, "test")["大湾区"] == 9
    assert len(list((tmp_path / "cache").glob("lexicon-test-*.npz"))) == 1
    dict_file.write_text("大湾区 8 n\n", encoding="utf-8")  # other words: their own file
    assert lexicon.load(dict_file, "test")["大湾区"] == 8
    assert len(list((tmp_path / "cache").glob("lexicon-test-*.npz"))) == 2
