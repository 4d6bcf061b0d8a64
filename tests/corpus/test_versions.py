"""Version groups: detection on real human translations, and the group rules.

The real translations (tests/data/translations, NTREX-128, CC BY-SA 4.0) are
built into raw folders without a manifest by their own script, with seeds
the development runs did not look at; the truth comes with each folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from corpus import BUNDLED_DIR, ConfigError, load_corpus
from corpus.evidence import Link, groups
from corpus.knowledge import VersionOverrides, load_knowledge
from corpus.versions import UNRELATED, VERIFY_MID, assign, verify
from tests.conftest import write

TRANSLATIONS = Path(__file__).resolve().parents[1] / "data" / "translations"

if TYPE_CHECKING:
    from index import Index


def build_folder(out: Path, seed: int) -> tuple[Path, dict]:  # type: ignore[type-arg]
    subprocess.run([sys.executable, str(TRANSLATIONS / "build_folder.py"), str(out), "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    return out / "corpus", json.loads((out / "truth.json").read_text(encoding="utf-8"))


def true_pairs(truth: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    out = set()
    for group in truth["groups"]:
        ids = sorted(name.rsplit(".", 1)[0] for name in group)
        out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return out


def shown_pairs(corpus) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """What the reader offers: each article's versions."""
    return {(min(a.id, v), max(a.id, v)) for a in corpus.articles for v in a.translations}


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.slow
def test_versions_of_real_translations_are_found(tmp_path: Path, seed: int) -> None:
    """Precision ≥ 0.99 and recall ≥ 0.95 on a folder of real human
    translations (zh, ar, ru, de, en; many stories share a topic), no article
    has a version in its own language, and the cursor jump lands right."""
    root, truth = build_folder(tmp_path / "f", seed)
    corpus = load_corpus(root)
    want, got = true_pairs(truth), shown_pairs(corpus)
    right = got & want
    precision, recall = len(right) / len(got), len(right) / len(want)
    assert precision >= 0.99 and recall >= 0.95, (precision, recall, sorted(got - want), sorted(want - got))
    lang = {a.id: a.lang for a in corpus.articles}
    assert not [a.id for a in corpus.articles if any(lang[v] == a.lang for v in a.translations)]
    # Jump: a paragraph's aligned partner holds one of its sentences.
    sentences = {n.rsplit(".", 1)[0]: [set(p["sentences"]) for p in ps] for n, ps in truth["paragraphs"].items()}
    jumps = good = 0
    for al in corpus.alignments:
        if (al.source, al.target) in want:
            src, tgt = sentences[al.source], sentences[al.target]
            for bead in al.beads:
                for s in bead.source:
                    if bead.target:
                        jumps += 1
                        good += any(src[s - 1] & tgt[t - 1] for t in bead.target)
    assert jumps > 500 and good / jumps >= 0.97


def test_the_model_free_path_still_pairs_the_bundled_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BRIEFING_ENCODER=off (or the encoder missing): numbers, names, turns and
    lengths alone still find 002 ↔ 000 without a manifest, and nothing else."""
    monkeypatch.setenv("BRIEFING_ENCODER", "off")
    root = tmp_path / "c"
    shutil.copytree(BUNDLED_DIR, root)
    (root / "briefing.yaml").unlink()
    corpus = load_corpus(root)
    assert [(lk.a, lk.b) for lk in corpus.links] == [("000_f3eee6bc68b515fc", "002_05264b1b95ebf856")]


def test_verification_tells_a_translation_from_a_story_on_the_same_topic(tmp_path: Path) -> None:
    """The same paragraphs in order read as one text; the same paragraphs
    shuffled (one topic, another story) do not."""
    import numpy as np

    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 16))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b = a + rng.normal(scale=0.3, size=a.shape)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    in_order = verify(a, b, UNRELATED)
    shuffled = verify(a, b[[3, 5, 0, 4, 1, 2]], UNRELATED)
    assert in_order > VERIFY_MID > 4 * shuffled, (in_order, shuffled)


# -- the group rules, on a scorer of our own -----------------------------------


class Table:
    """A scorer from a table of pair scores (0 for pairs not listed)."""

    def __init__(self, scores: dict[tuple[str, str], float]) -> None:
        self.scores = {tuple(sorted(k)): v for k, v in scores.items()}
        self.asked: list[tuple[str, str]] = []

    def __call__(self, a: str, b: str, force: bool = False) -> float:
        self.asked.append((a, b))
        return self.scores.get(tuple(sorted((a, b))), 0.0)  # type: ignore[arg-type]


LANGS = {"zh1": "zh", "zh2": "zh", "ar1": "ar", "ar2": "ar", "ru1": "ru", "de1": "de"}


def groups_of(links: list[Link]) -> set[frozenset[str]]:
    """The groups the links make (as the loader makes them: components)."""
    ids = {x for lk in links for x in (lk.a, lk.b)}
    return {frozenset({aid, *others}) for aid, others in groups(ids, links).items()}


def test_each_article_gets_at_most_one_partner_per_language() -> None:
    """zh1 scores well with both Arabic articles: it takes the stronger, and
    the other Arabic article is left alone (never two of one language)."""
    score = Table({("zh1", "ar1"): 0.9, ("zh1", "ar2"): 0.8})
    links = assign([("zh1", "ar1"), ("zh1", "ar2")], LANGS, score)  # type: ignore[arg-type]
    assert [(lk.a, lk.b) for lk in links] == [("ar1", "zh1")]


def test_two_articles_of_one_language_are_never_versions_by_detection() -> None:
    score = Table({("zh1", "zh2"): 1.0})
    assert assign([("zh1", "zh2")], LANGS, score) == []  # type: ignore[arg-type]


def test_weak_links_do_not_chain_unrelated_stories() -> None:
    """zh1~ar1 and ar1~ru1 are strong, but zh1 and ru1 do not read as one
    text: ru1 stays out of the group (it would have joined by chaining)."""
    score = Table({("zh1", "ar1"): 0.95, ("ar1", "ru1"): 0.9, ("zh1", "ru1"): 0.1})
    links = assign([("zh1", "ar1"), ("ar1", "ru1")], LANGS, score)  # type: ignore[arg-type]
    assert groups_of(links) == {frozenset({"zh1", "ar1"})}
    # When every member agrees, the group forms, with a link for every pair.
    score = Table({("zh1", "ar1"): 0.95, ("ar1", "ru1"): 0.9, ("zh1", "ru1"): 0.7})
    links = assign([("zh1", "ar1"), ("ar1", "ru1")], LANGS, score)  # type: ignore[arg-type]
    assert groups_of(links) == {frozenset({"zh1", "ar1", "ru1"})}
    assert {(lk.a, lk.b): lk.confidence for lk in links} == {("ar1", "zh1"): 0.95, ("ar1", "ru1"): 0.9,
                                                              ("ru1", "zh1"): 0.7}


def test_groups_never_merge_two_of_one_language() -> None:
    score = Table({("zh1", "ar1"): 0.95, ("zh2", "ru1"): 0.9, ("ar1", "ru1"): 0.8, ("zh1", "ru1"): 0.8,
                   ("ar1", "zh2"): 0.8})
    links = assign([("zh1", "ar1"), ("zh2", "ru1"), ("ar1", "ru1")], LANGS, score)  # type: ignore[arg-type]
    assert groups_of(links) == {frozenset({"zh1", "ar1"}), frozenset({"zh2", "ru1"})}


def test_overrides_unlink_and_link() -> None:
    score = Table({("zh1", "ar1"): 0.95, ("zh1", "de1"): 0.2})
    over = VersionOverrides(link=(("de1", "zh1"),), unlink=frozenset({("ar1", "zh1")}))
    links = assign([("zh1", "ar1")], LANGS, score, [Link("de1", "zh1", 1.0, True)], over)  # type: ignore[arg-type]
    assert [(lk.a, lk.b, lk.confidence, lk.declared) for lk in links] == [("de1", "zh1", 1.0, True)]


# -- overrides.yaml, across a rebuild -------------------------------------------


@pytest.mark.slow
def test_overrides_link_and_unlink_survive_a_rebuild(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    from index import rebuild

    root, truth = build_folder(tmp_path / "f", 21)
    want = sorted(true_pairs(truth))
    cut = want[0]  # a true pair the analyst says is not one
    grouped = {n for g in truth["groups"] if len(g) > 1 for n in g}
    lone = sorted(n.rsplit(".", 1)[0] for n in truth["files"] if n not in grouped)  # no version in the folder
    joined = next((a, b) for a in lone for b in lone if a.split("-")[0] != b.split("-")[0])
    write(root / "overrides.yaml", "versions:\n"
          f"  unlink: [[{cut[0]}, {cut[1]}]]\n"
          f"  link: [[{joined[0]}, {joined[1]}]]\n")
    rebuild(root, tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    assert cut[1] not in ix.info(cut[0]).translations  # type: ignore[union-attr]
    assert ix.info(joined[0]).translations == (joined[1],)  # type: ignore[union-attr]
    assert ix.version_confidence(*joined) == 1.0
    group = next(g for g in ix.versions() if joined[0] in g.ids)
    assert [(lk.a, lk.b, lk.declared) for lk in group.links] == [(*sorted(joined), True)]


@pytest.mark.parametrize(("text", "message"), [
    ("versions:\n  link: [[a]]\n", "overrides.yaml:2: link entry 1 must be two different article ids"),
    ("versions:\n  unlink: [[a, a]]\n", "overrides.yaml:2: unlink entry 1 must be two different article ids"),
    ("versions:\n  link: a\n", "overrides.yaml:2: 'link' must be a list of pairs of article ids"),
    ("versions:\n  links: [[a, b]]\n", "links"),
    ("versions:\n  link: [[a, b]]\n  unlink: [[b, a]]\n", "a and b are both linked and unlinked"),
    ("speakers: {}\nversions: [a, b]\n", "overrides.yaml:2: 'versions' must hold 'link' and/or 'unlink'"),
])
def test_bad_version_overrides_are_named(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "overrides.yaml", text)
    with pytest.raises(ConfigError, match=None) as err:
        load_knowledge(tmp_path)
    assert message in str(err.value), str(err.value)


@pytest.mark.slow
@pytest.mark.parametrize("against_most", [64, 0])
def test_update_pairs_as_a_rebuild_does(tmp_path: Path, open_index: Callable[[Path], Index],
                                        monkeypatch: pytest.MonkeyPatch, against_most: int) -> None:
    """After removing one version of a story, changing another article and
    adding a file, an incremental update gives the groups (and confidences) a
    fresh rebuild gives: the partners of what changed pair anew. (Without the
    people recogniser: real news names people the registry does not know,
    and an update that involves them takes the full path, tested apart.)
    The same with the new articles compared with all in one pass, and
    (``against_most`` 0: as for an update of many files) a pass per question."""
    from index import incremental, rebuild, update

    monkeypatch.setenv("BRIEFING_GAZETTEER", "off")
    monkeypatch.setattr(incremental, "AGAINST_MOST", against_most)

    root, truth = build_folder(tmp_path / "f", 31)
    rebuild(root, tmp_path / "ix")
    group = next(sorted(g) for g in truth["groups"] if len(g) >= 3)
    (root / group[0]).unlink()
    other = next(n for n in sorted(truth["files"]) if n not in group)
    text = (root / other).read_text(encoding="utf-8")
    write(root / other, text.replace("\n\n", "\n\n", 1) + "\n\nOne more paragraph at the end.\n")
    write(root / "zz-added.txt", (root / group[1]).read_text(encoding="utf-8").split("\n\n")[0] + "\n")
    # an article that changes language: the rows of those it was nearest to, in its old language, go
    german = next(n for n in sorted(truth["files"]) if n.startswith("de-") and n not in group and n != other
                  and "en-" + n[3:] in truth["files"])
    english = "en-" + german[3:]  # its own story's English version: the same people
    write(root / german, (root / english).read_text(encoding="utf-8"))
    report = update(root, tmp_path / "ix")
    assert report.incremental and report.removed == (group[0].rsplit(".", 1)[0],)
    rebuild(root, tmp_path / "fresh")
    a, b = open_index(tmp_path / "ix"), open_index(tmp_path / "fresh")
    assert a.articles() == b.articles()
    assert [g.to_dict() for g in a.versions()] == [g.to_dict() for g in b.versions()]
    # The nearest-neighbour table the update renewed (reading only the rows
    # it needed) is the one a rebuild works out all against all.
    from index.sidestore import SideStore

    renewed, whole = (SideStore.open(tmp_path / ix / "current" / "side.sqlite").nearest() for ix in ("ix", "fresh"))
    assert renewed.keys() == whole.keys() and len(whole) > 50
    assert {k: v[0] for k, v in renewed.items()} == {k: v[0] for k, v in whole.items()}
    assert max(abs(renewed[k][1] - whole[k][1]) for k in whole) < 1e-5


def test_version_overrides_that_cannot_apply_are_named(tmp_path: Path) -> None:
    """A link to an unknown id, or one touching an article whose versions the
    manifest declares, is named in the build's notes and changes nothing; an
    unlink of two undeclared articles applies."""
    root = tmp_path / "c"
    shutil.copytree(BUNDLED_DIR, root)
    write(root / "overrides.yaml", "versions:\n  link: [[001, '002'], [001, nosuch]]\n  unlink: [['003', '004']]\n")
    corpus = load_corpus(root)
    assert (
        "overrides: versions link [001, 002]: briefing.yaml declares the versions of 002, and it wins" in corpus.notes
    )
    assert "overrides: versions link [001, nosuch]: no article 'nosuch'" in corpus.notes
    assert {a.id: a.translations for a in corpus.articles}["001"] == ()
    assert [(lk.a, lk.b) for lk in corpus.links] == [("000", "002")]


def test_update_applies_an_edited_unlink(tmp_path: Path, open_index: Callable[[Path], Index]) -> None:
    """Editing versions: in overrides.yaml is a knowledge change: update
    rebuilds, and the pair is no longer linked."""
    from index import rebuild, update

    root = tmp_path / "c"
    shutil.copytree(BUNDLED_DIR, root)
    (root / "briefing.yaml").unlink()
    rebuild(root, tmp_path / "ix")
    pair = ("000_f3eee6bc68b515fc", "002_05264b1b95ebf856")
    assert open_index(tmp_path / "ix").info(pair[0]).translations == (pair[1],)  # type: ignore[union-attr]
    write(root / "overrides.yaml", f"versions:\n  unlink: [[{pair[0]}, {pair[1]}]]\n")
    report = update(root, tmp_path / "ix")
    assert not report.incremental
    assert open_index(tmp_path / "ix").info(pair[0]).translations == ()  # type: ignore[union-attr]


@pytest.mark.slow
def test_a_full_update_embeds_only_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_index: Callable[[Path], Index]
) -> None:
    """A manifest change makes update read the folder again; the opening vectors
    of unchanged files come from the index, so only the changed file's
    opening is embedded again (the paragraph samples of the pairs verified
    are made afresh), and the groups are a rebuild's."""
    from corpus import meaning
    from index import rebuild, update

    root, truth = build_folder(tmp_path / "f", 41)
    rebuild(root, tmp_path / "ix")
    changed = sorted(truth["files"])[0]
    write(root / changed, (root / changed).read_text(encoding="utf-8") + "\nOne more line.\n")
    write(root / "briefing.yaml", "articles: []\n")
    batches: list[list[str]] = []
    real = meaning.embed

    def counting(texts):  # type: ignore[no-untyped-def]
        batches.append(list(texts))
        return real(texts)

    monkeypatch.setattr(meaning, "embed", counting)
    monkeypatch.setattr("corpus.loader.meaning.embed", counting)
    report = update(root, tmp_path / "ix")
    assert not report.incremental and report.articles == len(truth["files"])
    opening = meaning.lead_text(
        open_index(tmp_path / "ix").article(changed.rsplit(".", 1)[0]), load_knowledge().lengths
    )  # type: ignore[arg-type]
    assert batches[0] == [opening]  # the openings: one, not 140 (then the samples of the pairs verified)
    rebuild(root, tmp_path / "fresh")
    assert [g.to_dict() for g in open_index(tmp_path / "ix").versions()] == [
        g.to_dict() for g in open_index(tmp_path / "fresh").versions()
    ]


# -- opening vectors at scale (issue 16) ----------------------------------------


def test_leads_keep_float16_rows_and_grow() -> None:
    import numpy as np

    from corpus.versions import Leads

    rng = np.random.default_rng(5)
    vecs = rng.standard_normal((2500, 512)).astype(np.float32)
    leads = Leads((f"a{i}", v) for i, v in enumerate(vecs[:1500]))  # past the first 1,024 rows
    leads.put([f"a{i}" for i in range(1500, 2500)], vecs[1500:])
    assert len(leads) == 2500 and list(leads)[:3] == ["a0", "a1", "a2"] and "a2499" in leads and "b" not in leads
    assert np.array_equal(leads["a1700"], vecs[1700].astype(np.float16).astype(np.float32))
    leads.put(["a3", "new"], vecs[:2] * 2)  # replaced in place, and one added
    assert len(leads) == 2501 and np.array_equal(leads["a3"], (vecs[0] * 2).astype(np.float16).astype(np.float32))
    assert np.array_equal(leads.block(leads.rows(["new", "a5"])), np.stack([leads["new"], leads["a5"]]))
    assert np.array_equal(Leads(dict(leads.items()))["a42"], leads["a42"])


def test_nearest_in_blocks_and_chunks_is_the_whole_argmax(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 rows against chunks of 5 columns find what one argmax over
    every article of each language finds, similarity included."""
    import numpy as np

    from corpus import versions

    rng = np.random.default_rng(11)
    ids = [f"x{i}" for i in range(240)]
    langs = {aid: ("zh", "ar", "de")[i % 3] for i, aid in enumerate(ids)}
    vecs = rng.standard_normal((240, 512)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ev = versions.Evidence(lambda _a: None, langs, {})
    ev.leads.put(ids, vecs)
    monkeypatch.setattr(versions, "QUERY_ROWS", 7)
    near = ev.nearest(ids[:50], ids)
    full = vecs.astype(np.float16).astype(np.float32)
    for aid in ids[:50]:
        for lang in ("zh", "ar", "de"):
            if lang == langs[aid]:
                assert (aid, lang) not in near
                continue
            others = [o for o in ids if langs[o] == lang]
            sims = full[[ids.index(o) for o in others]] @ full[ids.index(aid)]
            best = int(sims.argmax())
            assert near[(aid, lang)][0] == others[best]
            assert near[(aid, lang)][1] == pytest.approx(float(sims[best]), abs=2e-6)


@pytest.mark.parametrize("block", [5, 4096])
def test_copies_of_a_text_tie_and_the_first_wins_wherever_they_sit(monkeypatch: pytest.MonkeyPatch,
                                                                   block: int) -> None:
    """Two copies of an opening (one vector) are equally near to everything,
    wherever they sit in the matrix product (its last columns are worked out
    by other code, and can differ in the last bits): the first, in the order
    given, is each article's nearest, within a chunk of columns or across two."""
    import numpy as np

    from corpus import versions

    rng = np.random.default_rng(3)
    vecs = rng.standard_normal((301, 512)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs[300] = vecs[202]  # "de-copy" is "de-002" again, and last
    ids = [f"zh-{i:03d}" for i in range(200)] + [f"de-{i:03d}" for i in range(100)] + ["de-copy"]
    langs = {aid: aid[:2] for aid in ids}
    ev = versions.Evidence(lambda _a: None, langs, {})
    ev.leads.put(ids, vecs)
    monkeypatch.setattr(versions, "QUERY_ROWS", block)
    near = ev.nearest(ids[:200], ids)
    first = [aid for aid in ids[:200] if near[(aid, "de")][0] == "de-002"]
    assert first and not [aid for aid in ids[:200] if near[(aid, "de")][0] == "de-copy"]
    sims, where = ev.best_of(ids[:200], ["de-copy", "de-002"])  # the order given decides
    assert {ids[r] for r in np.flatnonzero(where == 0)} >= set(first)


def test_a_rebuild_s_search_answers_both_ways_as_each_language_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every article among all (a rebuild's question) is answered from one
    product per pair of languages, read down and across: the same nearest
    articles as asking each language on its own, the same similarities
    within float32's last bits, and of two copies of a text the first, in
    either direction of the product and across blocks."""
    import numpy as np

    from corpus import versions

    rng = np.random.default_rng(11)
    vecs = rng.standard_normal((303, 512)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs[301] = vecs[5]  # "zh-copy" is "zh-005" again
    vecs[302] = vecs[260]  # "de-copy" is "de-010" again
    ids = [f"zh-{i:03d}" for i in range(150)] + [f"ar-{i:03d}" for i in range(100)] + \
          [f"de-{i:03d}" for i in range(51)] + ["zh-copy", "de-copy"]
    langs = {aid: aid[:2] for aid in ids}
    ev = versions.Evidence(lambda _a: None, langs, {})
    ev.leads.put(ids, vecs)
    monkeypatch.setattr(versions, "QUERY_ROWS", 16)
    both = ev.nearest(ids, ids)
    alone: dict[tuple[str, str], tuple[str, float]] = {}
    for lang in ("zh", "ar", "de"):
        alone.update(ev.nearest([aid for aid in ids if langs[aid] == lang], ids))
    assert both.keys() == alone.keys() and len(both) == 2 * len(ids)
    assert {k: v[0] for k, v in both.items()} == {k: v[0] for k, v in alone.items()}
    assert max(abs(both[k][1] - alone[k][1]) for k in both) < 1e-5
    assert not [k for k, v in both.items() if v[0] in ("zh-copy", "de-copy")]
    # The same text at another row of a product: the same nearest, its similarity within the last bits
    # (BLAS may sum a row in an order that depends on its place in the block).
    for a, b in ((("de-010", "zh"), ("de-copy", "zh")), (("zh-005", "de"), ("zh-copy", "de"))):
        assert both[a][0] == both[b][0] and abs(both[a][1] - both[b][1]) <= 2e-6
    assert list(both) == [(aid, lang) for lang in ("zh", "ar", "de") for aid in ids if langs[aid] != lang]
    # kept as arrays, read as the mapping the side store writes: no answer in an article's own language
    assert isinstance(both, versions.Nearest) and dict(both.items()) == both
    assert both.get(("zh-001", "zh")) is None and both.get(("xx-001", "ar")) is None
    assert both.get(("zh-001", "ru")) is None and ("ar-003", "de") in both
    assert all(isinstance(v[0], str) and isinstance(v[1], float) for v in both.values())


def test_one_pass_against_a_few_answers_as_the_whole_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """:class:`corpus.versions.Against` (the similarities of a few articles
    with all, worked out in one pass) answers ``nearest`` and ``best_of`` as
    the evidence does, block by block: the same nearest articles, the same
    similarities within float32's last bits, and of two copies of a text the
    first in the order given, in its rows or its columns."""
    import numpy as np

    from corpus import versions

    rng = np.random.default_rng(5)
    vecs = rng.standard_normal((401, 512)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs[400] = vecs[302]  # "de-copy" is "de-002" again
    ids = [f"zh-{i:03d}" for i in range(150)] + [f"ar-{i:03d}" for i in range(150)] + \
          [f"de-{i:03d}" for i in range(100)] + ["de-copy"]
    langs = {aid: aid[:2] for aid in ids}
    ev = versions.Evidence(lambda _a: None, langs, {})
    ev.leads.put(ids, vecs)
    monkeypatch.setattr(versions, "QUERY_ROWS", 64)  # blocks of rows in both
    probes = ["zh-007", "ar-100", "de-002", "de-copy", "de-050"]
    one = ev.against(probes)
    whole = ev.nearest(probes, ids)
    got = one.nearest(probes, ids)
    assert got.keys() == whole.keys() and len(got) == 10
    assert {k: v[0] for k, v in got.items()} == {k: v[0] for k, v in whole.items()}
    assert max(abs(got[k][1] - whole[k][1]) for k in got) < 1e-5
    assert got[("zh-007", "de")][0] != "de-copy"
    for among in (["de-002", "de-copy", "de-050"], ["de-copy", "de-002"], ["zh-007"]):
        rows = [aid for aid in ids if aid not in among]
        (b1, w1), (b2, w2) = ev.best_of(rows, among), one.best_of(rows, among)
        assert np.array_equal(w1, w2) and np.allclose(b1, b2, atol=1e-5)
    assert not one.nearest([], ids) and one.best_of(ids[:3], [])[1].tolist() == [0, 0, 0]
