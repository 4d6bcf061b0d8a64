"""``briefing index rebuild --cluster``: a rebuild whose heavy stages run on a
Dask cluster's workers gives what a local rebuild gives. A LocalCluster of two
worker processes stands in for the machines; the folders are shared because
they are on this one."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import LocalCluster

from bench.generate import generate
from corpus import BUNDLED_DIR
from index import ClusterError, Index, rebuild, store
from index import meaning as meaning_index
from index.cluster import DaskWorkers, connect
from tests.conftest import BRIEFING, env_for
from tests.index.test_streaming import _whoosh

pytestmark = pytest.mark.xdist_group("dask-cluster")  # one cluster per worker process, started once

QUERIES = ("Shenzhen", "深圳", "Чжуншань", "innovation", "cooperation lang:de", "kind:turn 创新",
           '"Greater Bay Area"', "~port cooperation across the bay", "Zhongshan OR Guangzhou")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as lc:
        yield lc.scheduler_address


def _ranked(ix: Index, query: str) -> tuple[int, list[tuple[float, frozenset[tuple[str, int]]]]]:
    """The count of matches, and the best hits (up to 5,000) by score, hits of
    one score as a set. The order among equal scores follows document
    numbers, which depend on how paragraphs were split into segments (two
    local rebuilds differ there too), so the group that the limit may cut is
    left out."""
    limit = 5_000
    result = ix.search(query, limit=limit)
    groups: dict[float, set[tuple[str, int]]] = {}
    for h in result.hits:
        groups.setdefault(round(h.score, 5), set()).add((h.article, h.paragraph))
    ranked = sorted(((s, frozenset(g)) for s, g in groups.items()), key=lambda sg: -sg[0])
    return result.total, ranked[:-1] if len(result.hits) == limit else ranked


def _facts(ix: Index) -> dict[str, Any]:
    versions = ix.versions()
    return {
        "speakers": [s.to_dict() for s in ix.speakers(full=True)],
        "places": [c.to_dict() for c in ix.cities(full=True)],
        "versions": versions,
        "alignments": [ix.alignment(lk.a, lk.b) for g in versions for lk in g.links],
        "articles": [a for a in ix.articles()],
        "searches": {q: _ranked(ix, q) for q in QUERIES},
    }


def _same_as_local(corpus: Path, tmp_path: Path, address: str) -> dict[str, Any]:
    local = rebuild(corpus, tmp_path / "local")
    spread = rebuild(corpus, tmp_path / "cluster", cluster=address)
    assert (spread.articles, spread.paragraphs, spread.skipped) == (local.articles, local.paragraphs, local.skipped)
    gens = [store.current_generation(tmp_path / name) for name in ("local", "cluster")]
    # The same Whoosh documents and terms, with the same document frequencies.
    assert _whoosh(gens[1]) == _whoosh(gens[0])
    # Every segment has its posting sidecar and its paragraph vectors.
    for gen in gens:
        segments = {p.name.split(".")[0] for p in gen.glob("*.trm")}
        assert segments and all((gen / f"{s}.vix").exists() for s in segments)
        assert all(p.exists() for s in segments for p in meaning_index.paths_of(gen, s))
        assert not list(gen.glob(f"*{meaning_index.SPILL_SUFFIX}"))  # the rows that waited for their lists
    with Index(tmp_path / "local") as a, Index(tmp_path / "cluster") as b:
        facts_a, facts_b = _facts(a), _facts(b)
        assert b.check() == []  # the checksums cover the workers' files
    assert facts_b == facts_a
    return facts_a


def test_bundled_corpus_on_two_workers(cluster: str, tmp_path: Path) -> None:
    facts = _same_as_local(BUNDLED_DIR, tmp_path, cluster)
    # What the comparison covered: the bundled five's known facts.
    assert {"hu-gang", "li-qingquan"} <= {s["id"] for s in facts["speakers"]}
    assert any(set(g.ids) == {"000", "002"} for g in facts["versions"])
    assert facts["searches"]["Чжуншань"][0] > 0 and facts["searches"]["~port cooperation across the bay"][1]


@pytest.mark.slow
def test_generated_folder_on_two_workers(cluster: str, tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 2000, seed=7).root
    facts = _same_as_local(corpus, tmp_path, cluster)
    assert len(facts["articles"]) == 2000
    assert len(facts["versions"]) > 100 and len(facts["alignments"]) > 100
    total, ranked = facts["searches"]["Shenzhen"]
    assert total > 5_000 and sum(len(g) for _s, g in ranked) > 1_000


def test_a_cluster_that_does_not_answer_is_named_and_the_index_stays(tmp_path: Path) -> None:
    rebuild(BUNDLED_DIR, tmp_path / "ix")
    before = store.current_generation(tmp_path / "ix")
    with pytest.raises(ClusterError, match=r"no Dask scheduler answers at tcp://127\.0\.0\.1:9 .*dask scheduler"):
        rebuild(BUNDLED_DIR, tmp_path / "ix", cluster="tcp://127.0.0.1:9")
    assert store.current_generation(tmp_path / "ix") == before
    assert [p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith("tmp-")] == []


def test_the_cli_rebuilds_on_a_cluster(cluster: str, tmp_path: Path) -> None:
    env = env_for(BUNDLED_DIR, tmp_path / "ix")
    r = subprocess.run([BRIEFING, "index", "rebuild", "--json", "--cluster", cluster], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["articles"] == 5
    r = subprocess.run([BRIEFING, "search", "--json", "Чжуншань"], capture_output=True, text=True, env=env)
    assert {h["article"] for h in json.loads(r.stdout)["hits"]} == {"004"}
    r = subprocess.run([BRIEFING, "index", "rebuild", "--cluster", "tcp://127.0.0.1:9"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 1
    assert "--cluster: no Dask scheduler answers at tcp://127.0.0.1:9" in r.stderr
    assert "Traceback" not in r.stderr


def test_workers_that_cannot_reach_the_folders_are_named(cluster: str, tmp_path: Path) -> None:
    with connect(cluster) as workers:
        assert isinstance(workers, DaskWorkers) and len(workers.addresses) == 2
        with pytest.raises(ClusterError, match="cannot reach .*elsewhere") as err:
            workers.check_paths(tmp_path / "elsewhere", tmp_path)
        assert all(address in str(err.value) for address in workers.addresses)
        workers.check_paths(BUNDLED_DIR, tmp_path)  # reachable: no error


def test_workers_map_keeps_the_order_of_its_items(cluster: str) -> None:
    with connect(cluster) as workers:
        assert list(workers.map(str, range(100), chunksize=7)) == [str(i) for i in range(100)]
        assert list(workers.map(str, [], chunksize=3)) == []


def test_a_build_without_cluster_never_imports_dask(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from index import rebuild, Index; from corpus import BUNDLED_DIR\n"
            f"rebuild(BUNDLED_DIR, Path({str(tmp_path / 'ix')!r}))\n"
            f"Index(Path({str(tmp_path / 'ix')!r})).search('Shenzhen')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
