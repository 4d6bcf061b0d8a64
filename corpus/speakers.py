"""Who speaks in a paragraph besides ``Name:`` turns: quote attributions and
guest lists.

- Quote attributions: a name next to an attribution word from
  ``knowledge/cues.yaml`` — after it (徐扬生表示, "Chen Ming said") or before it
  with an optional role between ("По словам вице-мэра Чжуншаня Лэй Юэлуна").
  Registry names are found in every script; names the registry lacks are taken
  from Chinese by jieba's part-of-speech tags (``nr``), and from alphabetic
  scripts as runs of capitalised words, leaving out known places.
- Guest lists: short lines made of roles and one name
  (``全国政协委员、佳都科技董事长兼CEO刘伟``, ``ليو وي ، عضو …``) give that
  person's roles as written.

A Latin form in brackets right after a name (``Лэй Юэлуна (Lei Yuelong)``) is
kept as a second written form of the same person: evidence for linking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .entities import Entities, unknown_speaker_id
from .knowledge import Cues
from .segmenter import posseg
from .text import HAN_RE, script_of, words

_FINAL = tuple("。！？.!?…")
_SEP = re.compile(r"\s*[、,，،;；]\s*|\s+(?:and|und|и)\s+")
_SENTENCE_END = re.compile(r"[。！？.!?;；]")
_BRACKET_LATIN = re.compile(r"^\s*[(（]\s*([A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+){1,2})\s*[)）]")
_CAP = re.compile(r"^[A-ZА-ЯЁ][a-zа-яё'’-]+$")


def han_name_before(text: str, end: int) -> tuple[str, int] | None:
    """The Chinese personal name (jieba ``nr``) that ends at ``end``, with its start."""
    window_start = max(0, end - 14)
    toks = [(w.word, w.flag) for w in posseg().cut(text[window_start:end])]
    if not toks or toks[-1][1] != "nr":
        return None
    name = toks[-1][0]
    # 王 + 桂林: a one-character surname tagged apart from the given name.
    if len(toks) >= 2 and toks[-2][1] == "nr" and len(toks[-2][0]) == 1:
        name = toks[-2][0] + name
    if not 2 <= len(name) <= 4 or not all(HAN_RE.match(ch) for ch in name):
        return None
    return name, end - len(name)


def nominative(name: str, genitive: bool) -> str:
    """Undo the Russian genitive of a name after "по словам" (Лэй Юэлуна → Лэй Юэлун)."""
    if not genitive or script_of(name) != "cyrillic":
        return name
    out = []
    for w in name.split():
        if w.endswith("ой") and len(w) > 4:
            w = w[:-2] + "а"  # Смирновой -> Смирнова
        elif w.endswith("ии"):
            w = w[:-1] + "я"  # Марии -> Мария
        elif w.endswith("ея") or w.endswith("ия"):
            w = w[:-1] + "й"  # Сергея -> Сергей
        elif w.endswith("ы") or (w.endswith("и") and w[-2:-1] in "гкхжчшщ"):
            w = w[:-1] + "а"  # Ирины -> Ирина, Ольги -> Ольга
        elif w.endswith(("а", "я")) and len(w) > 3 and w[-2] not in "аеёиоуыэюя":
            w = w[:-1]
        out.append(w)
    return " ".join(out)


@lru_cache(maxsize=256)
def _lower_words(text: str) -> frozenset[str]:
    return frozenset(w for w, _, _ in words(text) if w.islower())


def _alternation(patterns: Iterable[str], cues: Sequence[str]) -> re.Pattern[str] | None:
    """One regex for many cue words. The leading class of first characters
    lets the engine skip most positions instead of trying every alternative."""
    if not cues:
        return None
    first = "".join(sorted({re.escape(c[0]) for c in cues}))
    return re.compile(f"(?=[{first}])(?:{'|'.join(patterns)})")


class Attributor:
    """Finds quoted speakers and guest-list roles in one article's paragraphs."""

    def __init__(self, cues: Cues, entities: Entities) -> None:
        self.after = sorted(cues.attribution_after, key=len, reverse=True)
        self.before = sorted(cues.attribution_before, key=len, reverse=True)
        self.guests = cues.guests
        self.organisations = cues.organisations
        self.entities = entities
        self._after_re = _alternation(map(re.escape, self.after), self.after)
        self._before_re = _alternation((rf"(?<!\w){re.escape(c)}(?!\w)" for c in self.before), self.before)

    # -- quotes ------------------------------------------------------------
    def quotes(self, text: str) -> tuple[tuple[str, str], ...]:
        """``(speaker id, name as written)`` for each person whose words the
        paragraph attributes to them, in order, without repeats."""
        found: list[tuple[int, str, str]] = []
        taken: list[tuple[int, int]] = []
        for pid, s, e in self.entities.names.mentions(text):
            if self._follows(text, e) or self._preceded(text, s):
                found.append((s, pid, text[s:e]))
                taken.append((s, e))
                found.extend((s, pid, latin) for latin in self._bracketed(text, e))
        for start, end, form, genitive in self._unknown_names(text):
            if any(ts < end and start < te for ts, te in taken) or self._is_place(form) or self._organisation(form):
                continue
            written = nominative(form, genitive)
            sid = self.entities.people.resolve(written) or unknown_speaker_id(written)
            found.append((start, sid, written))
            taken.append((start, end))
            found.extend((start, sid, latin) for latin in self._bracketed(text, end))
        found.sort(key=lambda x: x[0])
        return tuple(dict.fromkeys((sid, form) for _, sid, form in found))

    def _follows(self, text: str, end: int) -> bool:
        rest = text[end : end + 12].lstrip(" ,，")
        rest = _BRACKET_LATIN.sub("", rest).lstrip(" ,，") if rest.startswith(("(", "（")) else rest
        return any(rest.startswith(cue) for cue in self.after)

    def _preceded(self, text: str, start: int) -> bool:
        if not self._before_re:
            return False
        window = text[max(0, start - 60) : start]
        for m in self._before_re.finditer(window):
            if not _SENTENCE_END.search(window[m.end() :]):
                return True
        return False

    @staticmethod
    def _bracketed(text: str, end: int) -> list[str]:
        m = _BRACKET_LATIN.match(text[end:])
        return [m.group(1)] if m else []

    def _is_place(self, form: str) -> bool:
        return bool(self.entities.cities.mentions(form))

    def _organisation(self, form: str) -> bool:
        """A name with an organisation's or a place's word ("Supreme Court", "Port Shenzhen") is no person."""
        return any(w.casefold() in self.organisations for w, _, _ in words(form))

    def _unknown_names(self, text: str) -> list[tuple[int, int, str, bool]]:
        out: list[tuple[int, int, str, bool]] = []
        if self._after_re:
            for m in self._after_re.finditer(text):
                cue = m.group()
                if HAN_RE.match(cue[0]):
                    got = han_name_before(text, m.start())
                    if got:
                        out.append((got[1], m.start(), got[0], False))
                elif got2 := self._caps_before(text, m.start()):
                    out.append((*got2, False))
        if self._before_re:
            for m in self._before_re.finditer(text):
                got3 = self._caps_after(text, m.end())
                if got3:
                    out.append((*got3, m.group().lower() == "по словам"))
        return out

    def _caps_before(self, text: str, end: int) -> tuple[int, int, str] | None:
        """The last two capitalised words right before ``end`` ("… Chen Ming said")."""
        run: list[tuple[str, int, int]] = []
        for word, s, e in reversed([w for w in words(text[:end]) if w[2] >= end - 60]):
            if text[e : run[0][1] if run else end].strip(" ,") or not self._name_word(word, text):
                break
            run.insert(0, (word, s, e))
        run = run[-2:]
        return (run[0][1], run[-1][2], " ".join(w[0] for w in run)) if len(run) == 2 else None

    def _name_word(self, word: str, text: str) -> bool:
        """Capitalised, not a place, and not a common word that merely opens a
        sentence (it also occurs in lower case in the same text)."""
        return bool(_CAP.match(word)) and word.lower() not in _lower_words(text) and not self._is_place(word)

    def _caps_after(self, text: str, start: int) -> tuple[int, int, str] | None:
        run: list[tuple[str, int, int]] = []
        for w in words(text[start : start + 80]):
            word, s, e = w[0], w[1] + start, w[2] + start
            gap = text[(run[-1][2] if run else start) : s]
            if _SENTENCE_END.search(gap) or "(" in gap or "（" in gap:
                break
            if self._name_word(word, text):
                if run and gap.strip():
                    break
                run.append((word, s, e))
                if len(run) == 3:
                    break
            elif run:
                break
        if len(run) < 2:
            return None
        return run[0][1], run[-1][2], " ".join(w[0] for w in run)

    # -- guest lists -------------------------------------------------------
    def guest_roles(self, text: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """For a guest-list line: ``((speaker id, name as written, roles),)``."""
        line = text.strip()
        if len(line) > 200 or line.endswith(_FINAL) or not _SEP.search(line) and " " not in line:
            return ()
        mentions = self.entities.names.mentions(line)
        if len(mentions) == 1:
            pid, s, e = mentions[0]
            name = line[s:e]
        elif not mentions:
            got = self._guest_name(line)
            if not got:
                return ()
            name, s, e = got
            pid = self.entities.people.resolve(name) or unknown_speaker_id(name)
        else:
            return ()
        if s > 0 and e < len(line.rstrip()):
            return ()  # a name in the middle is prose, not a guest line
        rest = (line[:s] + line[e:]).strip(" ,，،、")
        roles = tuple(r.strip(" ,，،、") for r in _SEP.split(rest) if r and r.strip(" ,，،、"))
        if not roles:
            return ()
        return ((pid, name, roles),)

    def _guest_name(self, line: str) -> tuple[str, int, int] | None:
        if HAN_RE.search(line[-1:]):
            last = line.rsplit(" ", 1)
            if len(last) == 2 and 2 <= len(last[1]) <= 4 and all(HAN_RE.match(ch) for ch in last[1]):
                return last[1], len(line) - len(last[1]), len(line)  # 副总裁 黄海涛
            got = han_name_before(line, len(line))
            if got and got[1] > 0:
                return got[0], got[1], len(line)
            return None
        m = re.match(r"^((?:[A-ZА-ЯЁ][a-zа-яё'’-]+\s+){1,2}[A-ZА-ЯЁ][a-zа-яё'’-]+)\s*[,،]", line) or re.match(
            r"^([\u0620-\u064a]+(?:\s+[\u0620-\u064a]+){1,2})\s*[،,]", line
        )
        if m and not self._is_place(m.group(1)):
            return m.group(1), 0, m.end(1)
        return None

    def opens_guest_list(self, text: str) -> bool:
        return any(cue in text for cue in self.guests)
