"""Split text into paragraphs and say what each one is.

The rules are language-neutral; the wording they look for (meta prefixes,
promotions, month names) comes from ``knowledge/cues.yaml``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .knowledge import Cues
from .models import Kind
from .text import CLOSING_QUOTES, HAN_RE, OPENING_QUOTES, fold_word, script_of, words

_BLANK = re.compile(r"\n[ \t\u3000\xa0]*\n")
_FINAL = tuple("。！？.!?…\"”»)）;；")
_COLON = re.compile(r"[:：]")
_QUOTES = frozenset(OPENING_QUOTES + CLOSING_QUOTES + "'")
_NUMBERED = re.compile(r"^\s*(\d{1,2}[.、)]|[一二三四五六七八九十]+[、.]|[IVX]+\.)\s*\S")


@dataclass(frozen=True)
class RawParagraph:
    kind: Kind
    text: str
    label: str | None = None  # speaker label as written, for turns


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, or by single newlines when the text
    has no blank lines. Hard-wrapped Latin/Cyrillic prose is re-joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK.split(text)
    out: list[str] = []
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if len(blocks) > 1 and _hard_wrapped(lines):
            out.append(" ".join(lines))
        else:
            out.extend(lines)
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2 or any(HAN_RE.search(ln) for ln in lines):
        return False
    body = lines[:-1]
    return all(40 <= len(ln) <= 100 for ln in body) and not all(ln.endswith(_FINAL) for ln in body)


def _size(text: str) -> int:
    """A length comparable across scripts: Han characters, or words elsewhere."""
    han = len(HAN_RE.findall(text))
    return han + len(words(text)) if han else len(words(text))


def _starts_with_cue(text: str, cues: tuple[str, ...]) -> str | None:
    stripped = text.lstrip("([（【《 \u3000")
    for cue in cues:
        if stripped.startswith(cue):
            rest = stripped[len(cue) :]
            if not rest or rest[0] in ":： )）】" or not cue[-1].isalnum():
                return cue
    return None


def is_short(text: str, scale: int = 1) -> bool:
    """Short enough to be a heading; ``scale`` 2 allows for colon headings."""
    return len(text) <= scale * 200 and _size(text) <= scale * (40 if HAN_RE.search(text) else 16)


def looks_like_name(label: str) -> bool:
    """Could ``label`` be a person's name as written before a colon?"""
    label = label.strip()
    if not label or len(label) > 40:
        return False
    if label[0] in _QUOTES or label[-1] in _QUOTES:
        return False  # a quoted phrase: a headline's slogan or title ("'The sea is ours': Bolivia hopes …")
    if script_of(label) == "han":
        if not (2 <= len(label) <= 4 and all(HAN_RE.match(ch) for ch in label)):
            return False
        from .segmenter import jieba_module, jieba_tags

        tags = jieba_tags()
        tag = tags.get(label)  # a word of the dictionary that is no name (观赛: a photo caption's label)
        if tag is not None and not tag.startswith("nr"):
            return False
        parts = list(jieba_module().cut(label))
        # places' names run together: 伦敦德里 (Londonderry: 伦敦 and 德里) is a headline's place
        return len(parts) < 2 or not all(tags.get(w) == "ns" for w in parts)
    parts = label.split()
    if not 1 <= len(parts) <= 4 or any(not w.replace("-", "").replace("'", "").isalpha() for w in parts):
        return False
    if script_of(label) == "arabic":
        return 2 <= len(parts) <= 3
    return len(parts) >= 2 and all(w[0].isupper() for w in parts)


def _label(text: str) -> tuple[str, str] | None:
    m = _COLON.search(text)
    if not m or m.start() == 0:
        return None
    label, rest = text[: m.start()].strip(), text[m.end() :].strip()
    if not rest or len(label) > 40:
        return None
    return label, rest


def fold_label(label: str) -> tuple[str, ...]:
    """How labels and registry names are compared: folded words, Han as written."""
    if script_of(label) == "han":
        return (label.replace(" ", ""),)
    return tuple(fold_word(w) for w, _, _ in words(label))


def classify(
    paragraphs: list[str],
    cues: Cues,
    known_labels: set[tuple[str, ...]],
) -> list[RawParagraph]:
    """Give each paragraph a kind. ``known_labels`` are folded registry names
    (people and roles) that make a ``Name:`` prefix a speaker turn."""
    n = len(paragraphs)
    kinds: list[Kind] = [Kind.BODY] * n
    labels: list[str | None] = [None] * n
    if not n:
        return []

    title = paragraphs[0]
    if is_short(title) or (len(title) <= 150 and not title.endswith(_FINAL)):
        kinds[0] = Kind.TITLE

    label_counts = Counter(lab[0] for p in paragraphs if (lab := _label(p)) and looks_like_name(lab[0]))
    tail_from = n
    for i, p in enumerate(paragraphs):
        if i and p == title and kinds[0] is Kind.TITLE:
            kinds[i] = Kind.TITLE
            continue
        if p in cues.boilerplate_exact:
            kinds[i] = Kind.BOILERPLATE
            continue
        if _starts_with_cue(p, cues.boilerplate):
            tail_from = min(tail_from, i)
            continue
        if len(p) <= 200 and _starts_with_cue(p, cues.meta):
            kinds[i] = Kind.META
            if _starts_with_cue(p, cues.source) and i >= n // 2:
                tail_from = min(tail_from, i + 1)
            continue
        if i == 0 and kinds[0] is Kind.TITLE:
            continue
        lab = _label(p)
        speaker = _speaker(p, _without_cue(lab[0], cues), cues, known_labels, label_counts) if lab else None
        if speaker:
            kinds[i], labels[i] = Kind.TURN, speaker
        elif _is_heading(p, lab is not None, paragraphs[i + 1] if i + 1 < n else ""):
            kinds[i] = Kind.HEADING
    for i in range(tail_from, n):
        if kinds[i] is not Kind.META:
            kinds[i] = Kind.BOILERPLATE
    return [RawParagraph(k, t, lab) for k, t, lab in zip(kinds, paragraphs, labels, strict=True)]


def _speaker(
    p: str, label: str, cues: Cues, known_labels: set[tuple[str, ...]], label_counts: Counter[str]
) -> str | None:
    """The label of a ``Name:`` paragraph when it names a speaker: a registry
    name or role, or a name that opens two turns, or a long paragraph or a
    sentence (a heading with a colon is short and has no final stop), but
    not, then, an organisation's or a building's name ("سجن لونغ لارتن:",
    Long Lartin prison, a headline run into its first sentence)."""
    named = fold_label(label) in known_labels or looks_like_name(label) and (
        label_counts[label] >= 2 or (not is_short(p) or p.endswith(_FINAL)) and not _organisation(label, cues))
    return label if named and not _starts_with_cue(label, cues.meta) else None


def _organisation(label: str, cues: Cues) -> bool:
    """Does the label name an organisation or a building: by its word, which
    Arabic writes first (سجن لونغ لارتن, Long Lartin prison) and the others
    last, unless that word is a frequent surname (Damon Hill)?"""
    parts = label.split()
    word = parts[0] if script_of(label) == "arabic" else parts[-1]
    if word.casefold() not in cues.organisations:
        return False
    from .namewords import surname

    return not surname(word)


def _without_cue(label: str, cues: Cues) -> str:
    """A label without the speech word that opens it ("قال نيلسون مانديلا:",
    "Said John Smith:"): the name of the one who speaks."""
    for cue in cues.attribution_before:
        if label.startswith(cue + " ") and len(label) > len(cue) + 1:
            return label[len(cue) + 1 :].strip()
    return label


def _is_heading(p: str, labelled: bool, following: str) -> bool:
    """A short line without a final stop: labelled (``谈联动互补:…``), ending
    in a colon, numbered, or followed by a long paragraph."""
    if p.endswith(_FINAL):
        return False
    if labelled and is_short(p, scale=2):
        return True
    return is_short(p) and bool(
        p.endswith((":", "：")) or _NUMBERED.match(p) or (following and not is_short(following))
    )


def derive_title(paragraphs: list[RawParagraph]) -> str:
    """The title line, or the first sentence of the first body paragraph."""
    for p in paragraphs:
        if p.kind is Kind.TITLE:
            return p.text
    for p in paragraphs:
        if p.kind in (Kind.BODY, Kind.TURN, Kind.HEADING):
            first = re.split(r"(?<=[。！？!?])|(?<=\.)\s", p.text, maxsplit=1)[0].strip()
            return first if len(first) <= 80 else first[:79].rstrip() + "…"
    return ""
