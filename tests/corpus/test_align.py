"""Language versions: detection without a manifest, paragraph alignment against
hand-checked gold, divergence flags. Real bundled texts plus a pair written for
these tests (tests/data/ports), so the method is not tuned to one article."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR, load_corpus
from corpus.align import Aligned, Alignment, align, numbers, pack
from corpus.models import Kind

PORTS = Path(__file__).parent.parent / "data" / "ports"

# 002 (zh) -> 000 (ar), checked by hand paragraph by paragraph against
# `briefing show`. The Chinese date line and view counter (2, 3) and the WeChat
# promotion (54-63) have no counterpart; the Arabic source line (52) and its
# list of unrelated headlines (53-64) have none either. The repeated Chinese
# title (4) is the Arabic "original title" line (2); the Arabic dateline with
# the reporters' names is folded into its first paragraph (3).
GOLD_002_000 = (
    [((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))]
    + [((n,), (n - 2,)) for n in range(5, 54)]
    + [((n,), ()) for n in range(54, 64)]
    + [((), (n,)) for n in range(52, 65)]
)

# en_ports -> ru_ports, written for this test: the Russian splits paragraphs 3
# and 8, merges 4 and 5, and each side has its own trailing promotion.
GOLD_PORTS = [
    ((1,), (1,)), ((2,), (2,)), ((3,), (3, 4)), ((4, 5), (5,)), ((6,), (6,)), ((7,), (7,)),
    ((8,), (8, 9)), ((9,), (10,)), ((10,), (11,)), ((11,), ()), ((), (12,)),
]


def precision_recall(al: Alignment, gold: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> tuple[float, float]:
    got = {(b.source, b.target) for b in al.beads}
    want = set(gold)
    return len(got & want) / len(got), len(got & want) / len(want)


@pytest.fixture(scope="module")
def unlabelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled texts without their manifest: nobody says which are versions."""
    root = tmp_path_factory.mktemp("unlabelled")
    for f in BUNDLED_DIR.glob("*.txt"):
        shutil.copy(f, root / f.name)
    return root


def test_the_translation_pair_is_found_without_a_manifest(unlabelled: Path) -> None:
    corpus = load_corpus(unlabelled)
    assert [(lk.a, lk.b, lk.declared) for lk in corpus.links] == [
        ("000_f3eee6bc68b515fc", "002_05264b1b95ebf856", False)
    ]
    assert corpus.links[0].confidence >= 0.7
    versions = {a.id[:3]: a.translations for a in corpus.articles}
    assert versions == {
        "000": ("002_05264b1b95ebf856",), "001": (), "002": ("000_f3eee6bc68b515fc",), "003": (), "004": (),
    }


def test_a_manifest_list_replaces_detection(unlabelled: Path, tmp_path: Path) -> None:
    for f in unlabelled.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "briefing.yaml").write_text(
        "articles:\n  - id: zh\n    file: 002_05264b1b95ebf856.txt\n    translations: []\n", encoding="utf-8"
    )
    corpus = load_corpus(tmp_path)
    assert corpus.links == ()
    assert corpus.article("zh").translations == ()


def test_alignment_of_the_interview_matches_the_gold() -> None:
    corpus = load_corpus(BUNDLED_DIR)
    al = align(corpus.article("002"), corpus.article("000"))
    precision, recall = precision_recall(al, GOLD_002_000)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    # The header and the trailing boilerplate of each side align to nothing.
    assert al.counterpart(3) == ()  # 浏览次数:1485
    assert all(al.counterpart(n) == () for n in range(54, 64))
    assert al.flipped().counterpart(53) == ()  # the first unrelated Arabic headline
    # Turns land on the same speaker's turn.
    zh, ar = corpus.article("002"), corpus.article("000")
    for b in al.beads:
        if b.source and b.target and zh.paragraph(b.source[0]).kind is Kind.TURN:
            assert zh.paragraph(b.source[0]).speaker == ar.paragraph(b.target[0]).speaker


def test_a_corpus_keeps_its_alignments_packed_and_gives_them_back_whole() -> None:
    corpus = load_corpus(BUNDLED_DIR)
    assert isinstance(corpus.alignments, Aligned) and len(corpus.alignments) == len(corpus.links) >= 1
    made = align(corpus.article("002"), corpus.article("000"), 0.9)
    kept = Aligned.of([made, made.flipped()])
    assert list(kept) == [made, made.flipped()] and kept[1] == made.flipped() and kept[-1:] == [made.flipped()]
    assert [(a.source, a.target) for a in corpus.alignments] == [(lk.a, lk.b) for lk in corpus.links]
    # Packed, the interview's alignment is under a tenth of its objects' size (951 bytes against 19 KB).
    objects = sys.getsizeof(made) + sum(sys.getsizeof(b) + sys.getsizeof(b.__dict__) + sys.getsizeof(b.source)
                                        + sys.getsizeof(b.target) for b in made.beads)
    assert 10 * len(pack(made)) < objects


def test_alignment_with_merged_and_split_paragraphs() -> None:
    corpus = load_corpus(PORTS)
    al = align(corpus.article("en_ports"), corpus.article("ru_ports"))
    assert precision_recall(al, GOLD_PORTS) == (1.0, 1.0)
    assert al.nearest(5) == 5 and al.nearest(8) == 8


def test_same_story_articles_are_not_linked() -> None:
    """Three articles on one port deal in one week; only the real translation pairs."""
    corpus = load_corpus(PORTS)
    assert [(lk.a, lk.b) for lk in corpus.links] == [("en_ports", "ru_ports")]
    assert corpus.article("de_ports_other").translations == ()
    assert corpus.article("ru_ports_other").translations == ()


def test_a_changed_number_is_flagged(tmp_path: Path) -> None:
    shutil.copy(BUNDLED_DIR / "002_05264b1b95ebf856.txt", tmp_path / "zh.txt")
    arabic = (BUNDLED_DIR / "000_f3eee6bc68b515fc.txt").read_text(encoding="utf-8")
    assert arabic.count("100 كيلومتر") == 1
    (tmp_path / "ar.txt").write_text(arabic.replace("100 كيلومتر", "150 كيلومتر"), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    al = align(corpus.article("zh"), corpus.article("ar"))
    bead = next(b for b in al.beads if 5 in b.source)
    assert bead.target == (3,)
    assert [f.describe() for f in bead.flags if f.type == "number"] == [
        "number 100 only in source",
        "number 150 only in target",
        "number 17 only in target",
        "number 2020 only in target",
    ]
    # The unchanged pair above it carries no number flag.
    original = align(load_corpus(BUNDLED_DIR).article("002"), load_corpus(BUNDLED_DIR).article("000"))
    same = next(b for b in original.beads if 5 in b.source)
    assert [f.value for f in same.flags if f.type == "number"] == ["17", "2020"]


def test_a_missing_person_is_flagged() -> None:
    """The Arabic guest list drops 王桂林's name (000¶9 is only his title)."""
    corpus = load_corpus(BUNDLED_DIR)
    al = align(corpus.article("002"), corpus.article("000"))
    bead = next(b for b in al.beads if 11 in b.source)
    assert [f.describe() for f in bead.flags] == ["person wang-guilin only in source"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-05-18", {"2020", "5", "18"}),
        ("70،000 متر", {"70000"}),
        ("٢٠٢٠ و ١٢", {"2020", "12"}),
        ("1,5 Prozent von 2.300", {"1.5", "2300"}),
        ("１４８５次", {"1485"}),
    ],
)
def test_numbers_are_read_across_scripts(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


def test_index_stores_the_alignment_and_cli_prints_it(index, run_briefing) -> None:  # type: ignore[no-untyped-def]
    ix = index
    stored = ix.alignment("002", "000")
    assert stored.confidence == 1.0  # declared in the bundled manifest
    # Stored once per link, in id order, and flipped on demand.
    assert stored == align(ix.article("000"), ix.article("002"), 1.0).flipped()
    assert min(precision_recall(stored, GOLD_002_000)) >= 0.95
    assert ix.alignment("000", "002") == stored.flipped()
    data = json.loads(run_briefing("align", "002", "000", "--json").stdout)
    assert set(data) >= {"source", "target", "confidence", "pairs"}
    assert data["pairs"][0] == {
        "source": [1],
        "target": [1],
        "score": data["pairs"][0]["score"],
        "flags": data["pairs"][0]["flags"],
    }
    assert {"source": [19], "target": [17]} == {k: data["pairs"][18][k] for k in ("source", "target")}
    unrelated = json.loads(run_briefing("align", "001", "004", "--json").stdout)
    assert unrelated["confidence"] < 0.5
    table = run_briefing("align", "002", "000").stdout
    assert "002 (zh) ↔ 000 (ar) · confidence 1.00" in table
    assert "person wang-guilin only in source" in table


def test_cli_align_names_an_unknown_id(run_briefing) -> None:  # type: ignore[no-untyped-def]
    r = run_briefing("align", "002", "nope", check=False)
    assert r.returncode == 2
    assert "no article 'nope'" in r.stderr


def test_cli_align_without_arguments_is_a_usage_error(run_briefing) -> None:  # type: ignore[no-untyped-def]
    r = run_briefing("align", check=False)
    assert r.returncode == 2 and "Missing argument" in r.stderr


def test_long_versions_align_within_a_bounded_band(tmp_path: Path) -> None:
    """Two long versions, one missing 30 paragraphs in its middle: every
    paragraph still meets its counterpart (the year it names), though the
    band around the diagonal no longer grows with the length."""
    from corpus.align import BAND_MAX, _band

    assert (_band(100, 100), _band(1500, 1500), _band(1500, 900)) == (40, BAND_MAX, 620)
    de = [f"Shenzhen wächst im Jahr {1000 + i} weiter." for i in range(700)]
    ru = [f"Шэньчжэнь растёт в {1000 + i} году." for i in range(700) if not 300 <= i < 330]
    (tmp_path / "de.txt").write_text("Titel\n\n" + "\n\n".join(de), encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Заголовок\n\n" + "\n\n".join(ru), encoding="utf-8")
    c = load_corpus(tmp_path)
    a, b = (next(x for x in c.articles if x.id == aid) for aid in ("de", "ru"))
    al = align(a, b)
    pairs = [(bead.source, bead.target) for bead in al.beads if bead.source and bead.target]
    assert len(pairs) == 671  # the title and the 670 paragraphs both have
    wrong = [(s, t) for s, t in pairs[1:] if numbers(a.paragraph(s[0]).text) != numbers(b.paragraph(t[0]).text)]
    assert len(wrong) <= 1  # at most the paragraph at the gap's edge meets its neighbour's counterpart
    assert all(abs(a.paragraph(s[0]).n - b.paragraph(t[0]).n - (30 if s[0] > 300 else 0)) <= 2 for s, t in wrong)
