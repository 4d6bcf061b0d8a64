"""jieba as the recognisers start it (corpus/segmenter.py): without
pkg_resources, on compact lexicons, jieba.posseg's tags from the cache, and
every answer as jieba and wordfreq give it when started their own way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from corpus import BUNDLED_DIR, load_corpus
from tests.conftest import ROOT

WORDS = ["深圳", "粤港澳大湾区", "龙岗区", "胡刚", "特朗普", "研究", "科技创新", "香港中文大学", "中山", "伦敦"]

LEAN = """
import json, sys
from corpus.segmenter import jieba_module, posseg
from corpus.wordfreqs import zipf
texts = json.load(sys.stdin)
jieba = jieba_module()
import wordfreq.chinese
out = {
    "cut": [list(jieba.cut(t)) for t in texts],
    "cut_hmm_off": [list(jieba.cut(t, HMM=False)) for t in texts],
    "pos": [[(w.word, w.flag) for w in posseg().cut(t)] for t in texts],
    "zipf": [zipf(w, "zh") for w in %(words)r],
    "pkg_resources": "pkg_resources" in sys.modules,
    "freq": type(jieba.dt.FREQ).__name__,
    "wordfreq_freq": type(wordfreq.chinese.jieba_tokenizer.FREQ).__name__,
    "tags": len(posseg().dt.word_tag_tab),
}
print(json.dumps(out))
""" % {"words": WORDS}

OWN = """
import json, sys
import jieba, jieba.posseg, wordfreq
texts = json.load(sys.stdin)
out = {
    "cut": [list(jieba.cut(t)) for t in texts],
    "cut_hmm_off": [list(jieba.cut(t, HMM=False)) for t in texts],
    "pos": [[(w.word, w.flag) for w in jieba.posseg.cut(t)] for t in texts],
    "zipf": [wordfreq.zipf_frequency(w, "zh") for w in %(words)r],
    "freq": type(jieba.dt.FREQ).__name__,
    "tags": len(jieba.posseg.dt.word_tag_tab),
}
print(json.dumps(out))
""" % {"words": WORDS}


def _run(code: str, texts: list[str], cache: Path) -> dict[str, object]:
    env = {**os.environ, "BRIEFING_JIEBA_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=600, check=True)
    return dict(json.loads(done.stdout))


def test_the_lean_start_segments_tags_and_counts_as_jieba_and_wordfreq_do(tmp_path: Path) -> None:
    """Every bundled Chinese paragraph cut (with and without jieba's HMM)
    and tagged, and wordfreq's frequencies of Chinese words, the same from
    a process started the lean way (twice: the caches built, then read) as
    from one where jieba and wordfreq load their own dicts."""
    texts = [p.text for a in load_corpus(BUNDLED_DIR).articles if a.lang == "zh" for p in a.paragraphs]
    assert len(texts) > 90
    own = _run(OWN, texts, tmp_path / "unused")
    assert own["freq"] == "dict"
    for attempt in ("built", "cached"):
        lean = _run(LEAN, texts, tmp_path / "cache")
        assert (lean["freq"], lean["wordfreq_freq"], lean["pkg_resources"]) == ("Lexicon", "Lexicon", False), attempt
        for key in ("cut", "cut_hmm_off", "pos", "zipf", "tags"):
            assert lean[key] == own[key], (attempt, key)
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()) == ["lexicon", "lexicon", "tags"]
    zipfs = dict(zip(WORDS, own["zipf"], strict=True))  # type: ignore[call-overload]
    assert zipfs["研究"] > 5 > zipfs["胡刚"]  # real frequencies, not a table of zeros
