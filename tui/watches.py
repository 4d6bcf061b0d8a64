"""Saved searches that report what is new.

A watch is a name and a query, kept in ``watches.yaml`` under the per-user
data folder (the analyst may edit it). What a watch has already reported is
kept apart, per watch and corpus, in ``watch-state/NAME-CORPUS.json``: the
hits it has seen (article, paragraph and a hash of the paragraph's text) and
the content hash of every article at that run. Adding a watch records what
it matches now, so ``briefing watch run`` after ``briefing index update``
(a cron job) reports only hits that are new since the watch last ran, and
says whether each one's article is new or changed.

Watches look at a query's first :data:`MAX_HITS` hits by score.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corpus.yamlio import ConfigError, check_keys, load_yaml, where
from index.files import write_text

from .briefings import check_name, data_dir, now

if TYPE_CHECKING:
    from index import Index

MAX_HITS = 10_000


@dataclass(frozen=True)
class Watch:
    name: str
    query: str
    added: str = ""


@dataclass(frozen=True)
class NewHit:
    article: str
    paragraph: int
    lang: str
    title: str
    date: str | None
    snippet: str
    article_is: str  # "new", "changed" or "" (an article already there, unchanged)


@dataclass(frozen=True)
class Report:
    watch: Watch
    new: tuple[NewHit, ...]
    matches: int  # hits the query has now (at most MAX_HITS looked at)
    since: str | None  # when the watch last ran (None: never, for this corpus)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.watch.name, "query": self.watch.query, "since": self.since, "matches": self.matches,
                "new": [asdict(h) for h in self.new]}


def watches_path() -> Path:
    return data_dir() / "watches.yaml"


def load() -> list[Watch]:
    path = watches_path()
    if not path.exists():
        return []
    data = load_yaml(path) or {}
    check_keys(path, data, {"watches"}, "watches file")
    items = data.get("watches") or []
    if not isinstance(items, list):
        raise ConfigError(f"{where(path, data, 'watches')}: watches must be a list")
    out: list[Watch] = []
    for item in items:
        check_keys(path, item, {"name", "query", "added"}, "watch")
        name, query = item.get("name"), item.get("query")
        if not isinstance(name, str) or not isinstance(query, str) or not query.strip():
            raise ConfigError(f"{where(path, item)}: a watch needs a name and a query, both text")
        try:
            check_name(name, "watch")
        except ValueError as exc:
            raise ConfigError(f"{where(path, item, 'name')}: {exc}") from None
        if any(w.name == name for w in out):
            raise ConfigError(f"{where(path, item, 'name')}: a second watch named {name!r}")
        out.append(Watch(name, query, str(item.get("added") or "")))
    return out


def save(watches: list[Watch]) -> None:
    data = {"watches": [asdict(w) for w in watches]}
    write_text(watches_path(), "# Saved searches (briefing watch add/remove). Queries may be edited here.\n"
                     + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def default_name(query: str, taken: set[str]) -> str:
    """A name from the query's words (``深圳 date:2020`` → ``深圳-date-2020``)."""
    base = "-".join(re.findall(r"\w+", query))[:40].strip("-_") or "watch"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    return name


def _state_path(name: str, corpus: str) -> Path:
    digest = hashlib.sha256(corpus.encode()).hexdigest()[:10]
    return data_dir() / "watch-state" / f"{name}-{digest}.json"


def _key(article: str, n: int, text: str) -> str:
    return f"{article}:{n}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def check(index: Index, watch: Watch, advance: bool = True) -> Report:
    """What ``watch`` matches now that it had not seen at its last run;
    with ``advance``, remember this run. Raises QueryError for a query the
    index cannot run (an edited watches.yaml)."""
    corpus = index.status().corpus
    path = _state_path(watch.name, corpus)
    state: dict[str, Any] = {}
    if path.exists():
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}  # unreadable state: this run becomes the baseline again
    if state.get("query") != watch.query:
        state = {}  # an edited query starts afresh
    seen = set(state.get("seen", ()))
    before: dict[str, str] = state.get("articles", {})
    result = index.search(watch.query, limit=MAX_HITS)
    fingerprints = index.fingerprints()
    keys: list[str] = []
    new: list[NewHit] = []
    for h in result.hits:
        article = index.article(h.article)
        if article is None:
            continue
        text = article.paragraph(h.paragraph).text
        key = _key(h.article, h.paragraph, text)
        keys.append(key)
        if key in seen or not state:
            continue
        was = before.get(h.article)
        article_is = "new" if was is None else "changed" if was != fingerprints.get(h.article) else ""
        new.append(NewHit(h.article, h.paragraph, h.lang, h.title, h.date, h.snippet, article_is))
    if advance:
        write_text(path, json.dumps({"query": watch.query, "corpus": corpus, "ran": now(), "seen": keys,
                                           "articles": fingerprints}, ensure_ascii=False))
    return Report(watch, tuple(new), len(result.hits), state.get("ran"))


def add(index: Index, query: str, name: str | None = None) -> Watch:
    """Save a watch and record what it matches now. Raises QueryError for a
    bad query and ValueError for a bad or taken name."""
    index.prepare(query)  # the query's own errors, before anything is saved
    watches = load()
    taken = {w.name for w in watches}
    name = check_name(name, "watch") if name else default_name(query, taken)
    if name in taken:
        raise ValueError(f"a watch named {name!r} exists already (briefing watch remove {name})")
    watch = Watch(name, query, now())
    check(index, watch, advance=True)
    save([*watches, watch])
    return watch


def remove(name: str) -> None:
    watches = load()
    if not any(w.name == name for w in watches):
        known = ", ".join(w.name for w in watches) or "none"
        raise KeyError(f"no watch {name!r}; watches: {known}")
    save([w for w in watches if w.name != name])
    folder = data_dir() / "watch-state"
    for state in folder.glob("*.json") if folder.is_dir() else ():
        if state.stem[:-11] == name:  # NAME-<10 hex digits of the corpus>
            state.unlink(missing_ok=True)
