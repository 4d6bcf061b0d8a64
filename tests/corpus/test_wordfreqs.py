"""wordfreq's frequencies from the memory-mapped tables (corpus/wordfreqs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import wordfreqs


@pytest.fixture
def original():  # type: ignore[no-untyped-def]
    """wordfreq's own get_frequency_dict, whether or not the tables are installed."""
    import wordfreq

    yield getattr(wordfreq.get_frequency_dict, "original", wordfreq.get_frequency_dict)
    wordfreqs.table.cache_clear()  # the next user maps the tables of its own cache again


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_every_word_of_a_list_has_wordfreq_s_own_frequency(lang: str, original, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_WORDFREQ_CACHE", str(tmp_path))
    words = dict(original(lang))
    wordfreqs.table.cache_clear()
    table = wordfreqs.table(lang, original)
    assert len(table) == len(words) > 100_000
    assert all(table[w] == f for w, f in words.items())
    assert "zzqx-no-word" not in table and 17 not in table
    with pytest.raises(KeyError):
        table["zzqx-no-word"]
    # written once, then memory-mapped by the next process (here: the next call)
    assert sorted(p.name.rsplit(".", 2)[1] for p in tmp_path.iterdir()) == ["freqs", "keys"]
    wordfreqs.table.cache_clear()
    again = wordfreqs.table(lang, original)
    assert type(again._keys).__name__ == "memmap" and again["the" if lang == "en" else next(iter(words))] > 0


def test_zipf_is_wordfreq_s_for_words_and_phrases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the tables, wordfreq's own lookup: its tokeniser, a phrase's
    words combined, numbers, Chinese segmented, its rounding."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    cases = [("the", "en"), ("New York", "en"), ("2019", "en"), ("don't", "en"), ("zzqx", "en"), ("Straße", "de"),
             ("Трампом", "ru"), ("وسيول", "ar"), ("深圳大学", "zh"), ("佐科", "zh")]
    code = ("import sys, json, wordfreq\n"
            f"cases = {cases!r}\n"
            "if sys.argv[1] == 'tables':\n"
            "    from corpus import wordfreqs; wordfreqs.install()\n"
            "print(json.dumps([wordfreq.zipf_frequency(w, l) for w, l in cases]))")
    env = {**__import__("os").environ, "BRIEFING_WORDFREQ_CACHE": str(tmp_path)}
    own, tables = (subprocess.run([sys.executable, "-c", code, how], capture_output=True, text=True, cwd=ROOT,
                                  env=env, timeout=300, check=True).stdout for how in ("own", "tables"))
    assert own == tables
    assert "[7.73, 5.32, 4.71, 6.2, 0.0, 5.27, 2.54, 2.68, 3.82, 2.77]" == own.strip()


def test_wordfreq_is_imported_with_a_quick_locate_that_finds_the_same_folders() -> None:
    """wordfreq finds its data folder through ``locate.this_dir``; imported
    through :func:`corpus.wordfreqs.quick_locate`, it finds the folder
    locate's own finds, and locate's own is back afterwards."""
    import locate

    wordfreq = wordfreqs.wordfreq_module()
    assert (wordfreq.DATA_PATH / "jieba_zh.txt").is_file()
    assert wordfreq.DATA_PATH == Path(wordfreq.__file__).parent / "data"
    own = locate.this_dir
    with wordfreqs.quick_locate():
        assert locate.this_dir is not own
        assert locate.this_dir() == own() == Path(__file__).parent
    assert locate.this_dir is own
