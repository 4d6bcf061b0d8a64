"""An index that knows when it is damaged (issue 15): checksums written with
every generation, verified at open and by `index check`; every read command
names the damaged file and the rebuild; `update` rebuilds a damaged index;
the reader opens its modal, where r brings back a working index."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import BUNDLED_DIR
from index import Index, IndexCorrupt, integrity, rebuild
from tests.conftest import BRIEFING, env_for

KINDS: dict[str, Callable[[Path], Path]] = {
    "postings": lambda g: next(g.glob("*.pst")),
    "terms": lambda g: next(g.glob("*.trm")),
    "stored columns": lambda g: next(g.glob("*._stored.col")),
    "TOC": lambda g: next(g.glob("_MAIN_*.toc")),
    "side store": lambda g: g / "side.sqlite",
    "side store part": lambda g: g / "side.0001.sqlite",
    "meta": lambda g: g / "meta.json",
    "knowledge": lambda g: g / "knowledge.json",
}


def truncate(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(min(100, path.stat().st_size // 2))


def flip(path: Path, at: float = 0.5, count: int = 2) -> None:
    data = bytearray(path.read_bytes())
    i = int(len(data) * at)
    for k in range(count):
        data[(i + k) % len(data)] ^= 0xA5
    path.write_bytes(bytes(data))


DAMAGE = {"truncated": truncate, "flipped": flip}


@pytest.fixture
def damaged_copy(bundled_index: Path, tmp_path: Path) -> Callable[[], tuple[Path, Path]]:
    """A private copy of the session's bundled index: (index folder, live generation)."""

    def make() -> tuple[Path, Path]:
        dst = tmp_path / f"ix-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(bundled_index, dst, symlinks=True)
        return dst, (dst / "current").resolve()

    return make


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BRIEFING, *args], capture_output=True, text=True, env=env, timeout=120)


def test_every_file_of_a_generation_is_recorded(bundled_index: Path) -> None:
    gen = (bundled_index / "current").resolve()
    files = integrity.recorded(gen)
    on_disk = {p.name for p in gen.iterdir() if p.name != integrity.CHECKSUMS and "LOCK" not in p.name}
    assert set(files) == on_disk >= {"meta.json", "knowledge.json", "side.sqlite"}
    assert all(files[n]["size"] == (gen / n).stat().st_size for n in files)
    assert integrity.verify(gen, full=True) == []
    assert integrity.quick_check(gen) == [] and integrity.check(gen) == []


@pytest.mark.parametrize("how", sorted(DAMAGE))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_damage_to_each_file_is_named_by_every_read_command(
    damaged_copy: Callable[[], tuple[Path, Path]], kind: str, how: str
) -> None:
    ix, gen = damaged_copy()
    target = KINDS[kind](gen)
    DAMAGE[how](target)
    env = env_for(BUNDLED_DIR, ix)
    for args in (["search", "深圳", "--json"], ["show", "002"], ["articles"], ["speakers"], ["cities"],
                 ["align", "002", "000"], ["index", "status"]):
        r = run(*args, env=env)
        assert r.returncode == 1, (kind, how, args, r.stdout[:200], r.stderr)
        assert f"{gen.name}/{target.name}" in r.stderr and "rebuild it with: briefing index rebuild" in r.stderr
        assert "Traceback" not in r.stderr
    r = run("index", "check", "--json", env=env)
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["ok"] is False and f"{gen.name}/{target.name}" in [d["file"] for d in report["damaged"]]
    status = run("index", "check", env=env)
    assert f"damaged: {gen.name}/{target.name}" in status.stderr


def test_update_rebuilds_a_damaged_index_and_says_so(damaged_copy: Callable[[], tuple[Path, Path]]) -> None:
    ix, gen = damaged_copy()
    flip(KINDS["postings"](gen))
    env = env_for(BUNDLED_DIR, ix)
    r = run("index", "update", "--json", env=env)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["mode"] == "rebuild" and report["articles"] == 5
    assert any(
        n.startswith("the index was damaged (") and "it was rebuilt from the corpus" in n for n in report["notes"]
    )
    assert json.loads(run("search", "深圳", "--json", env=env).stdout)["total"] > 0
    assert run("index", "check", env=env).returncode == 0
    status = json.loads(run("index", "status", "--json", env=env).stdout)
    assert status["last_check"]["ok"] is True and status["last_check"]["generation"] == status["generation"]


def test_rebuild_of_a_damaged_index_needs_no_cleaning_by_hand(damaged_copy: Callable[[], tuple[Path, Path]]) -> None:
    ix, gen = damaged_copy()
    truncate(KINDS["side store"](gen))
    (gen / "meta.json").unlink()
    env = env_for(BUNDLED_DIR, ix)
    assert run("articles", env=env).returncode == 1
    assert run("index", "rebuild", env=env).returncode == 0
    assert len(json.loads(run("articles", "--json", env=env).stdout)) == 5


def test_a_bug_is_not_reported_as_damage(
    bundled_index: Path, monkeypatch: pytest.MonkeyPatch, open_index: Callable[[Path], Index]
) -> None:
    """An error that no damaged file explains is raised as it is: a coding
    bug must fail, not tell the user to rebuild."""
    ix = open_index(bundled_index)
    try:
        def broken(*_a: object, **_k: object) -> None:
            raise KeyError("a bug of ours")

        monkeypatch.setattr(ix, "_hit", broken)
        with pytest.raises(KeyError, match="a bug of ours"):
            ix.search("深圳")
    finally:
        ix.close()


def test_damage_after_opening_is_found_when_reading(
    damaged_copy: Callable[[], tuple[Path, Path]], open_index: Callable[[Path], Index]
) -> None:
    ix_dir, gen = damaged_copy()
    ix = open_index(ix_dir)
    try:
        assert ix.search("深圳").total > 0
        part = KINDS["side store part"](gen)  # the paragraphs are there
        data = part.read_bytes()
        part.write_bytes(data[:4096] + bytes(b ^ 0x5A for b in data[4096:]))  # every page but the header
        ix._gen._articles.clear()  # so that the next read goes to the damaged file
        with pytest.raises(IndexCorrupt, match=f"{gen.name}/side.0001.sqlite: its content changed"):
            for aid in ("000", "001", "002", "003", "004"):
                ix.article(aid)
    finally:
        ix.close()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_random_damage_never_gives_a_wrong_answer_or_a_traceback(
    bundled_index: Path, tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    """Property: flip random bytes in random files of the index; opening and
    reading either answer exactly as the undamaged index does, or raise the
    damage error naming a file. Nothing else."""
    rng = random.Random(seed)
    dst = tmp_path_factory.mktemp("flip")
    shutil.rmtree(dst)
    shutil.copytree(bundled_index, dst, symlinks=True)
    gen = (dst / "current").resolve()
    files = [p for p in gen.iterdir() if p.stat().st_size > 0]
    for _ in range(rng.randint(1, 3)):
        flip(rng.choice(files), at=rng.random(), count=rng.randint(1, 4))
    try:
        ix = Index(dst)
    except IndexCorrupt as exc:
        assert gen.name in str(exc) and "briefing index rebuild" in str(exc)
        return
    try:
        answer = (ix.search("深圳 OR Zhongshan").total, [a.id for a in ix.articles()], ix.article("004").title)
    except IndexCorrupt as exc:
        assert "briefing index rebuild" in str(exc)
        return
    finally:
        ix.close()
    assert answer == EXPECTED[bundled_index]


class _Expected(dict):  # type: ignore[type-arg]
    def __missing__(self, key: Path) -> tuple[int, list[str], str]:
        with Index(key) as ix:
            self[key] = (ix.search("深圳 OR Zhongshan").total, [a.id for a in ix.articles()], ix.article("004").title)
        return self[key]


EXPECTED = _Expected()


def test_an_index_made_before_checksums_is_outdated_not_damaged(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    rebuild(BUNDLED_DIR, ix)
    gen = (ix / "current").resolve()
    (gen / integrity.CHECKSUMS).unlink()
    meta = json.loads((gen / "meta.json").read_text())
    (gen / "meta.json").write_text(json.dumps(meta | {"schema": 1052}))
    r = run("articles", env=env_for(BUNDLED_DIR, ix))
    assert r.returncode == 1 and "has schema version 1052" in r.stderr
    r = run("index", "update", "--json", env=env_for(BUNDLED_DIR, ix))
    assert r.returncode == 0 and not any("damaged" in n for n in json.loads(r.stdout)["notes"])


def test_an_update_records_checksums_that_hold(tmp_path: Path) -> None:
    """An update hard-links the segments it keeps: their checksums are taken
    over from the previous generation (not read again), and still hold."""
    from index import update

    corpus = tmp_path / "c"
    shutil.copytree(BUNDLED_DIR, corpus)
    ix = tmp_path / "ix"
    rebuild(corpus, ix)
    before = (ix / "current").resolve()
    (corpus / "new.txt").write_text("Titel\n\nShenzhen wächst weiter.", encoding="utf-8")
    report = update(corpus, ix)
    after = (ix / "current").resolve()
    assert report.incremental and after != before
    shared = [p.name for p in after.iterdir() if (before / p.name).exists()
              and p.stat().st_ino == (before / p.name).stat().st_ino and p.name in integrity.recorded(after)]
    assert any(name.endswith(".pst") for name in shared)
    assert all(integrity.recorded(after)[n] == integrity.recorded(before)[n] for n in shared)
    assert integrity.verify(after, full=True) == []
