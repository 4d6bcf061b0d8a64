"""Briefings: the passages an analyst clips while reading, with their
translations, kept for writing.

A briefing is a YAML file the analyst owns, one per name, under the
per-user data folder (``~/.local/share/briefing/briefings/NAME.yaml`` on
Linux; ``XDG_DATA_HOME`` moves it). A clip keeps everything needed to cite
it without the corpus: the paragraph as clipped, the aligned paragraphs of
every version of its article with the divergence flags of their beads, the
query that found it and when it was clipped. So a briefing still opens when
its articles have changed or gone; :func:`status` says which.

Files are written atomically (a temporary file renamed over the old one),
so an interrupted save leaves the previous briefing whole.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from platformdirs import user_data_dir

from corpus.yamlio import ConfigError, check_keys, load_yaml, where
from index.files import write_text

if TYPE_CHECKING:
    from index import Index

DEFAULT = "default"
_NAME = re.compile(r"^\w[\w.-]{0,63}$")
CLIP_KEYS = {"article", "paragraph", "lang", "title", "date", "path", "corpus", "text", "versions", "query",
             "clipped", "note"}
VERSION_KEYS = {"article", "lang", "title", "date", "path", "paragraphs", "text", "flags"}


def data_dir() -> Path:
    return Path(user_data_dir("briefing", appauthor=False))


def check_name(name: str, what: str = "briefing") -> str:
    """A briefing or watch name: a file name on every system, so letters
    (any script), digits, ``.``, ``_`` and ``-``, starting with a letter or digit."""
    if not _NAME.match(name):
        raise ValueError(f"{what} name {name!r}: use up to 64 letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit")
    return name


@dataclass(frozen=True)
class Version:
    """The paragraphs of one other language version aligned with a clip."""

    article: str
    lang: str
    title: str
    date: str | None
    path: str
    paragraphs: tuple[int, ...]
    text: str  # the aligned paragraphs, a blank line between them
    flags: tuple[str, ...]  # the bead's divergence flags, described


@dataclass(frozen=True)
class Clip:
    article: str
    paragraph: int
    lang: str
    title: str
    date: str | None
    path: str
    corpus: str
    text: str
    versions: tuple[Version, ...]
    query: str
    clipped: str  # ISO 8601, UTC
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["versions"] = [{**asdict(v), "paragraphs": list(v.paragraphs), "flags": list(v.flags)}
                         for v in self.versions]
        return d


@dataclass(frozen=True)
class Briefing:
    name: str
    clips: tuple[Clip, ...] = field(default=())

    @property
    def path(self) -> Path:
        return briefing_path(self.name)

    def add(self, clip: Clip) -> Briefing:
        return replace(self, clips=(*self.clips, clip))

    def remove(self, i: int) -> Briefing:
        return replace(self, clips=self.clips[:i] + self.clips[i + 1:])

    def move(self, i: int, step: int) -> Briefing:
        j = i + step
        if not (0 <= i < len(self.clips) and 0 <= j < len(self.clips)):
            return self
        clips = list(self.clips)
        clips[i], clips[j] = clips[j], clips[i]
        return replace(self, clips=tuple(clips))

    def with_note(self, i: int, note: str) -> Briefing:
        clips = list(self.clips)
        clips[i] = replace(clips[i], note=note)
        return replace(self, clips=tuple(clips))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "clips": [c.to_dict() for c in self.clips]}


def briefing_path(name: str) -> Path:
    return data_dir() / "briefings" / f"{check_name(name)}.yaml"


def names() -> list[str]:
    folder = data_dir() / "briefings"
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if _NAME.match(p.stem))


def load(name: str) -> Briefing:
    """The briefing ``name``; an empty one when there is no file yet.
    A file that is not a briefing raises :class:`ConfigError` with file:line."""
    path = briefing_path(name)
    if not path.exists():
        return Briefing(name)
    data = load_yaml(path)
    if data is None:
        return Briefing(name)
    check_keys(path, data, {"name", "clips"}, "briefing")
    clips = data.get("clips") or []
    if not isinstance(clips, list):
        raise ConfigError(f"{where(path, data, 'clips')}: clips must be a list")
    return Briefing(name, tuple(_clip(path, c) for c in clips))


def _text(path: Path, node: Any, key: str, required: bool = True) -> str:
    value = node.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(node.as_written(key) if hasattr(node, "as_written") else value)
    if not isinstance(value, str):
        raise ConfigError(f"{where(path, node, key)}: {key} must be text")
    return value


def _clip(path: Path, node: Any) -> Clip:
    check_keys(path, node, CLIP_KEYS, "clip")
    for key in ("article", "paragraph", "text"):
        if key not in node:
            raise ConfigError(f"{where(path, node)}: a clip needs {key}:")
    n = node["paragraph"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ConfigError(f"{where(path, node, 'paragraph')}: paragraph must be a number from 1")
    versions = node.get("versions") or []
    if not isinstance(versions, list):
        raise ConfigError(f"{where(path, node, 'versions')}: versions must be a list")
    return Clip(
        article=_text(path, node, "article"),
        paragraph=n,
        lang=_text(path, node, "lang", False),
        title=_text(path, node, "title", False),
        date=_text(path, node, "date", False) or None,
        path=_text(path, node, "path", False),
        corpus=_text(path, node, "corpus", False),
        text=_text(path, node, "text"),
        versions=tuple(_version(path, v) for v in versions),
        query=_text(path, node, "query", False),
        clipped=_text(path, node, "clipped", False),
        note=_text(path, node, "note", False),
    )


def _version(path: Path, node: Any) -> Version:
    check_keys(path, node, VERSION_KEYS, "version")
    ns = node.get("paragraphs") or []
    flags = node.get("flags") or []
    if not isinstance(ns, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in ns):
        raise ConfigError(f"{where(path, node, 'paragraphs')}: paragraphs must be a list of numbers")
    if not isinstance(flags, list) or not all(isinstance(x, str) for x in flags):
        raise ConfigError(f"{where(path, node, 'flags')}: flags must be a list of text")
    return Version(
        article=_text(path, node, "article"),
        lang=_text(path, node, "lang", False),
        title=_text(path, node, "title", False),
        date=_text(path, node, "date", False) or None,
        path=_text(path, node, "path", False),
        paragraphs=tuple(ns),
        text=_text(path, node, "text", False),
        flags=tuple(flags),
    )


def save(briefing: Briefing) -> Path:
    """Write ``briefing`` atomically; the folder is made when needed."""
    path = briefing.path
    write_text(path, "# A briefing of clips (briefing clip, or b in the reader). Notes may be edited here.\n"
                     + yaml.safe_dump(briefing.to_dict(), allow_unicode=True, sort_keys=False, width=100))
    return path


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_clip(index: Index, article_id: str, n: int, query: str = "", note: str = "") -> Clip:
    """Paragraph ``n`` of ``article_id`` with the aligned paragraphs of every
    version of the article. Raises KeyError for an unknown article or
    paragraph (the message names it)."""
    article = index.article(article_id)
    if article is None:
        raise KeyError(f"no article {article_id!r}")
    if not 1 <= n <= len(article.paragraphs):
        raise KeyError(f"{article_id} has paragraphs 1 to {len(article.paragraphs)}, not {n}")
    versions = []
    for vid in article.translations:
        other = index.article(vid)
        if other is None:
            continue
        al = index.alignment(article.id, other.id)
        if al is None:
            continue
        bead = next((b for b in al.beads if n in b.source), None)
        target = bead.target if bead else ()
        versions.append(Version(
            article=other.id, lang=other.lang, title=other.title, date=other.date, path=other.path,
            paragraphs=tuple(target),
            text="\n\n".join(other.paragraph(m).text for m in target),
            flags=tuple(f.describe(f"{article.lang} ({article.id})", f"{other.lang} ({other.id})")
                        for f in bead.flags) if bead else (),
        ))
    return Clip(
        article=article.id, paragraph=n, lang=article.lang, title=article.title, date=article.date,
        path=article.path, corpus=index.status().corpus, text=article.paragraph(n).text,
        versions=tuple(versions), query=query, clipped=now(), note=note,
    )


def status(index: Index | None, clip: Clip) -> str:
    """"" when the clipped paragraph still reads as clipped; otherwise
    "changed since clipped", "gone" or "from another corpus"."""
    if index is None:
        return ""
    if clip.corpus and clip.corpus != index.status().corpus:
        return "from another corpus"
    article = index.article(clip.article)
    if article is None:
        return "gone"
    if clip.paragraph > len(article.paragraphs) or article.paragraph(clip.paragraph).text != clip.text:
        return "changed since clipped"
    return ""
