"""The raw posting arrays beside each segment (index/sidecar.py) hold what
Whoosh's blocks hold, term for term, and the reader uses them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex

from corpus import BUNDLED_DIR
from index import Index, rebuild, store, update
from index.sidecar import Sidecar
from index.vector import segment_postings
from tests.conftest import write


def _every_term_matches(gen: Path) -> int:
    ix = windex.open_dir(str(gen))
    checked = 0
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            side = Sidecar.open(gen, sub.segment().segment_id())
            assert side is not None, sub.segment().segment_id()
            for field, text in sub.all_terms():
                ids, weights = side.get(field, text)
                want_ids, want_weights = segment_postings(sub, field, text)
                assert np.array_equal(ids, want_ids) and np.array_equal(weights, want_weights), (field, text)
                assert ids.dtype == np.int64 and weights.dtype == np.float64
                checked += 1
            assert len(side.get("text_zh", "没有这个词".encode())[0]) == 0
            side.close()
    ix.close()
    return checked


def test_sidecar_holds_every_term_of_every_segment(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(BUNDLED_DIR, corpus)
    rebuild(corpus, tmp_path / "ix")
    assert _every_term_matches(store.current_generation(tmp_path / "ix")) > 5000
    # An update adds a segment, and its sidecar; the old ones are kept as they are.
    write(corpus / "new.txt", "Neuer Bericht\n\nShenzhen und Zhongshan wachsen zusammen.\n")
    report = update(corpus, tmp_path / "ix")
    assert report.incremental and report.added == ("new",)
    gen = store.current_generation(tmp_path / "ix")
    assert len(list(gen.glob("*.vix"))) == 2
    _every_term_matches(gen)
    with Index(tmp_path / "ix") as ix:
        assert {h.article for h in ix.search("Zhongshan", limit=50).hits} == {"004", "new"}


def test_a_segment_without_sidecar_is_read_from_whoosh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuild(BUNDLED_DIR, tmp_path / "ix")
    read: list[str] = []
    get = Sidecar.get
    monkeypatch.setattr(Sidecar, "get", lambda self, field, text: read.append(field) or get(self, field, text))
    with Index(tmp_path / "ix") as ix:
        with_sidecar = [(r.total, r.hits) for r in (ix.search(q) for q in ("深圳 创新", "Shenzhen", "city:Shenzhen"))]
    assert {"text_zh", "city"} <= set(read)  # the first runs read the arrays
    gen = store.current_generation(tmp_path / "ix")
    for f in [*gen.glob("*.vec"), *gen.glob("*.vix")]:
        f.unlink()
    store.integrity.record(gen)  # as an older briefing's generation: no sidecars, checksums that say so
    with Index(tmp_path / "ix") as ix:
        assert [(r.total, r.hits) for r in (ix.search(q) for q in ("深圳 创新", "Shenzhen", "city:Shenzhen"))] \
            == with_sidecar
