"""People and places carried across an article's versions, by sound and by alignment.

A recogniser that misses a name in one language (an Arabic name with no
speech word beside it, a Chinese transliteration jieba does not know) often
finds it in another version of the same article. Where two versions are
aligned paragraph by paragraph, each person named in one paragraph is looked
for in the aligned paragraph of the other, by the consonants the name sounds
with (:func:`corpus.sound.skeleton`): Trump, Трампа, ترامب and 特朗普 are all ``TLNP``.

- Found where that paragraph's own recogniser found a name: the two names
  are one person (a link for :mod:`corpus.identity`).
- Found where it found none: the span is added to the paragraph as that
  person (named, or quoted where the other version gives their words), with
  the other version's id, so that it is one person by construction.

Places of the world gazetteer are carried the same way: a place named in one
paragraph is looked for, in all its gazetteer names, in the aligned one (so a
common word such as the Arabic for Seoul, which alone needs more evidence, is
that place where the other version names it).

Nothing is carried on sound alone: only between aligned paragraphs of
linked versions, and only a span of the script's name shape (capitalised
words; Arabic words; Han transliteration letters) whose skeleton matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import TypeVar

from rapidfuzz import fuzz

from .align import Alignment
from .entities import SCAN_LIMIT, UNKNOWN_PREFIX, unknown_speaker_id
from .geo import gid_of, is_qualified, zipf
from .identity import Union
from .models import Article, Kind, Paragraph
from .people import AR_RARE, NAME_DOTS, is_name_part, name_parts_of, name_words, transliteration_alphabet
from .places import PlaceFinder, on_word_boundaries, word_boundaries
from .segmenter import jieba_tags
from .sound import (
    LOOSE_SKELETON,
    MATCH,
    MIN_SKELETON,
    PARTS,
    heard_in_han,
    heard_keys,
    last_word,
    likeness,
    near,
    near_start,
    skeleton,
    skeletons,
    sounds_alike,
    whole_names_alike,
)
from .text import AR_PROCLITICS, HAN_RE, arabic_definite_nouns, definite_elsewhere, first_script, script_of

WORD_ZIPF = 4.0  # a Latin word this frequent in its language is its word, not a name's spelling
PLACE_SKELETON = 4  # a place carried by its sound alone needs more (Croydon KLTN; not Kante, KNT)
_HAN_GLUE = "cpu"  # jieba's tags of the conjunctions, prepositions and particles (和, 于, 的)
HAN_SPAN_WORDS = 6  # jieba's words a Han span carried by its sound holds at most
SHORT_SKELETON = 2  # ... unless one word alone of the paragraph sounds exactly as its one-word name (Palu PL: 巴鲁)

T = TypeVar("T")
Node = tuple[str, str]  # (article id, place id)


@dataclass(frozen=True, slots=True)
class Person:
    sid: str
    name: str
    speaks: bool


def people_of(p: Paragraph) -> list[Person]:
    """Everyone a paragraph quotes or names, with whether they speak."""
    return [*(Person(sid, name, True) for sid, name in p.quotes), *(Person(sid, name, False) for sid, name in p.named)]


def _spans(text: str) -> Iterable[tuple[int, int, str]]:
    """The spans of ``text`` that could be a name, by script: one to three
    capitalised Latin or Cyrillic words, one to three Arabic words (without
    a proclitic on the first), a run of Han letters with its dots."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", text)]
    for i, (s, _e, w) in enumerate(words):
        sc = script_of(w)
        if sc in ("latin", "cyrillic") and w[:1].isupper() or sc == "arabic":
            for k in range(i, min(i + 3, len(words))):
                if k > i and text[words[k - 1][1] : words[k][0]] not in (" ", "-"):
                    break
                if script_of(words[k][2]) != sc:
                    break
                e = words[k][1]
                yield s, e, text[s:e]
                # (not ب before the article: بالدوين is Baldwin, not "with" الدوين)
                if sc == "arabic" and w[:1] in AR_PROCLITICS and len(w) > 3 and not w.startswith("ال", 1):
                    yield s + 1, e, text[s + 1 : e]
    if HAN_RE.search(text):
        for m in _han_letters().finditer(text):
            # the stretches of the run between jieba's word boundaries: not a word before the name (抵达巴鲁:
            # 达 ends the word before) nor after it (斯特林让曼城: 让, "let", and 曼城, Man City)
            run = m.group()
            cuts = sorted(word_boundaries(run))
            tags = jieba_tags()
            # (nor one that holds a conjunction, a preposition or a particle: 斯皮斯和, 的特朗普)
            ok = {(i, j) for i, j in zip(cuts, cuts[1:], strict=False)
                  if not (j - i == 1 and tags.get(run[i:j], "x")[:1] in _HAN_GLUE)}
            for k in range(len(cuts)):
                for j in range(k + 1, min(len(cuts), k + 1 + HAN_SPAN_WORDS)):
                    if (cuts[j - 1], cuts[j]) not in ok:
                        break
                    if cuts[j] - cuts[k] >= 2:
                        yield m.start() + cuts[k], m.start() + cuts[j], run[cuts[k] : cuts[j]]


@lru_cache(maxsize=1)
def _han_letters() -> re.Pattern[str]:
    """Runs of two transliteration letters or more, with their dots (霍莉·威洛比)."""
    return re.compile(f"[{re.escape(''.join(sorted(transliteration_alphabet())))}{NAME_DOTS}]{{2,}}")


def _find(person: Person, text: str, taken: list[tuple[int, int]],
          plausible: Callable[[str, int], bool], shortest: int = MIN_SKELETON) -> tuple[int, int, str] | None:
    """The span of ``text`` that sounds like ``person`` (their full name, or
    the last word of it), the longest of the best, outside ``taken``. One
    word alone (in Latin or Cyrillic, or an Arabic word of the language)
    must sound exactly as the name or its last word: a capitalised noun
    (German Notstand) or an Arabic word (مقابلة, "interview", for Nugroho)
    too easily sounds nearly like a name."""
    keys = [k for k in {*skeletons(person.name), *skeletons(last_word(person.name))} if len(k) >= shortest]
    if not keys:
        return None
    # (in Han text also as Chinese hears the name: 哈克特, Halkett)
    han = [k for k in {*heard_in_han(person.name), *heard_in_han(last_word(person.name))} if len(k) >= shortest] \
        if HAN_RE.search(text) else keys
    best: tuple[float, int, tuple[int, int, str]] | None = None
    for s, e, span in _spans(text):
        if any(s < te and ts < e for ts, te in taken):
            continue
        ks = skeleton(span)
        if len(ks) < shortest:
            continue
        # a span heard only nearly like the name opens with its sound (ليحتفظ, "to keep", is no Fleetwood),
        # and holds no sound more than a short name (هالكيت, Halkett, is no Holt; but other scripts drop
        # sounds: ودز for Вудсом)
        score = max(fuzz.ratio(ks, k) if ks == k or _onset(ks) == _onset(k) and
                    (len(k) >= LOOSE_SKELETON or len(ks) <= len(k)) else 0.0
                    for k in (han if HAN_RE.match(span) else keys))
        sc = script_of(span)
        alone = " " not in span and (sc in ("latin", "cyrillic") or sc == "arabic" and zipf(span, "ar") >= AR_RARE)
        if score >= (100 if alone else MATCH) and (best is None or (score, e - s) > best[:2]) and \
                (sc != "arabic" or _arabic_words_heard(span, person.name)) and plausible(span, s):
            best = (score, e - s, (s, e, span))
    return best[2] if best else None


def _arabic_words_heard(span: str, name: str) -> bool:
    """Is each word of the language in an Arabic span of several words heard
    in ``name``, as one of its words, or as the opening of a name of one word
    (ماك جريجور, McGregor)? Arabic writes few vowels, so two words together
    often sound nearly like a name, its sounds spread over a common word:
    يعاني أجويرو ("Aguero suffers") is no Mathew Ryan, أردوغان يحصل ("Erdogan
    gets") no Erdogan. Rare words are left to the span's likeness (ريان and
    هولت are words too: Ryan, Holt)."""
    ws = span.split()
    if len(ws) < 2:
        return True
    parts = [p for w in name_words(name) for p in PARTS.split(w) if p]  # (Kim Jong-un: كيم جونج أون)
    return all(zipf(w, "ar") < AR_RARE or any(_word_heard(w, part, len(parts) == 1) for part in parts) for w in ws)


def _word_heard(word: str, part: str, opening: bool) -> bool:
    """Does ``word`` sound like the name's word ``part`` (g and j alike, an
    h skipped, as :func:`_onset` hears them), or, ``opening``, like its start?"""
    for a in heard_keys(word, part):
        for b in heard_keys(part, word):
            x, y = _loose(a), _loose(b)
            if fuzz.ratio(x, y) >= MATCH or opening and len(x) >= 2 and y.startswith(x):
                return True
    return False


def _loose(key: str) -> str:
    """A skeleton past an h that one script writes and another drops, with
    g and j (K and S) alike: how :func:`_onset` and :func:`_word_heard` hear it."""
    return key.lstrip("H").replace("S", "K")


def _onset(key: str) -> str:
    """The first consonant class of a skeleton, past an h that one script
    writes and another drops (Hughes, Хьюз), with g and j alike (Arabic ج
    is either: جلين, Glenn; Chinese writes Ja as 雅, Jacobs)."""
    return _loose(key)[:1]


def _sole_short(person: Person, text: str, taken: list[tuple[int, int]],
                plausible: Callable[[str], bool]) -> tuple[int, int, str] | None:
    """A short name (Palu PL, Marlow NL) carried by its sound: the one word of
    ``text`` outside ``taken`` that sounds exactly like it, if only one
    does (巴鲁, بالو; Марлоу, مارلو)."""
    keys = {k for k in skeletons(person.name) if SHORT_SKELETON <= len(k) < PLACE_SKELETON}
    if not keys or " " in person.name:
        return None
    hits = {(s, e, span) for s, e, span in _spans(text) if " " not in span and skeleton(span) in keys and
            not any(s < te and ts < e for ts, te in taken)}
    if len({span for _s, _e, span in hits}) != 1:
        return None
    s, e, span = min(hits)
    return (s, e, span) if plausible(span) else None


Mention = tuple[str, int, int]  # (place id, start, end)


@dataclass
class Projection:
    """What the versions add: per article and paragraph, the people and the
    places carried into it; and pairs of ids found to be one person."""

    added: dict[str, dict[int, list[Person]]] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)
    places: dict[str, dict[int, list[Mention]]] = field(default_factory=dict)
    dropped: dict[str, dict[int, set[str]]] = field(default_factory=dict)  # names that are no one's (_denied)
    renamed: dict[str, str] = field(default_factory=dict)  # a place's id -> its id in every version
    reread: dict[str, dict[str, str]] = field(default_factory=dict)  # article -> a place's id -> its versions' reading

    def apply(self, article: Article) -> Article:
        article = _without_people(article, self.dropped.get(article.id, {}))
        if self.renamed:
            article = _renamed(article, self.renamed)
        if article.id in self.reread:
            article = _renamed(article, self.reread[article.id])
        extra, spots = self.added.get(article.id, {}), self.places.get(article.id, {})
        if not extra and not spots:
            return article
        paragraphs = []
        for p in article.paragraphs:
            more = extra.get(p.n)
            if more:
                quotes = (*p.quotes, *((x.sid, x.name) for x in more if x.speaks))
                named = tuple(q for q in (*p.named, *((x.sid, x.name) for x in more if not x.speaks))
                              if q not in quotes)
                p = replace(p, quotes=tuple(dict.fromkeys(quotes)), named=tuple(dict.fromkeys(named)))
            found = spots.get(p.n)
            if found:
                mentions = tuple(sorted({*p.mentions, *found}, key=lambda m: (m[1], m[0])))
                new = tuple(dict.fromkeys(m[0] for m in found if m[0] not in p.cities))
                p = replace(p, mentions=mentions, cities=(*p.cities, *new), carried=(*p.carried, *new))
            paragraphs.append(p)
        if extra:
            # one sense per article, now with the people carried in: a word of a person's name
            # (ويلوبي of Holly Willoughby, found only in another version) is no place of the world gazetteer
            parts = name_parts_of(name for p in paragraphs for _sid, name in (*p.quotes, *p.named))
            paragraphs = [_without_places_in(p, parts) for p in paragraphs]
        return replace(article, paragraphs=tuple(paragraphs))


def _renamed(article: Article, ids: Mapping[str, str]) -> Article:
    """``article`` with its places' ids as ``ids`` maps them."""
    if not any(c in ids for p in article.paragraphs for c in p.cities):
        return article

    def one(cs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ids.get(c, c) for c in cs))

    return replace(article, paragraphs=tuple(
        replace(p, mentions=tuple((ids.get(c, c), s, e) for c, s, e in p.mentions), cities=one(p.cities),
                carried=one(p.carried),
                renamed=(*p.renamed, *((ids[c], c) for c in p.cities if c in ids and ids[c] != c and
                                       c not in p.carried)))
        if any(c in ids for c in p.cities) else p for p in article.paragraphs))


def _without_places_in(p: Paragraph, parts: set[str]) -> Paragraph:
    """``p`` without its world-gazetteer mentions that are words of people's names."""
    drop = [m for m in p.mentions if (gid_of(m[0]) is not None or is_qualified(m[0])) and
            is_name_part(p.text[m[1] : m[2]], parts)]
    if not drop:
        return p
    mentions = tuple(m for m in p.mentions if m not in drop)
    left = {m[0] for m in mentions}
    gone = {m[0] for m in drop} - left
    return replace(p, mentions=mentions, cities=tuple(c for c in p.cities if c not in gone),
                   carried=tuple(c for c in p.carried if c not in gone))


def project(articles: Mapping[str, Article], alignments: Sequence[Alignment],
            plausible: Callable[[str, str, str, int], bool], places: PlaceFinder | None = None) -> Projection:
    """Carry each aligned paragraph's people, and its places of the world
    gazetteer, into the other version. ``plausible(span, lang)`` allows a
    span as a person's name in that language
    (:meth:`corpus.people.PersonFinder.plausible`); a place is carried where
    the other paragraph names it in any of its gazetteer names
    (:meth:`corpus.places.PlaceFinder.find`)."""
    out = Projection(dropped=_denied(articles, alignments))
    nouns: dict[str, frozenset[str]] = {}
    names: dict[str, frozenset[str]] = {}
    renames: list[tuple[str, str]] = []
    latin: set[str] = set()  # the ids of places the gazetteer does not know, named in Latin letters somewhere
    readings: list[tuple[Node, Node, bool]] = []  # (article, place id) pairs read alike or two ways
    if out.dropped:  # what is carried is carried from the versions without them
        articles = {aid: _without_people(a, out.dropped.get(aid, {})) for aid, a in articles.items()}
    for al in alignments:
        src, tgt = articles.get(al.source), articles.get(al.target)
        if src is None or tgt is None or src.lang == tgt.lang:
            continue
        for b in al.beads:
            if not b.source or not b.target:
                continue
            spelt = {src.id: _gazetteer_spelt(src, b.source), tgt.id: _gazetteer_spelt(tgt, b.target)}
            for a, ns, other, os_ in ((src, b.source, tgt, b.target), (tgt, b.target, src, b.source)):
                _carry(a, ns, other, os_, out.added, out.links, plausible, nouns, names)
                if places is not None:
                    _carry_places(a, ns, other, os_, spelt[other.id], places, out.places, nouns, renames, latin)
                    readings.extend(_readings(a, spelt[a.id], other, spelt[other.id], places))
    for aid, extra in out.added.items():
        if extra and aid in articles:
            out.links.extend(_surnames_alone(articles[aid], extra))
            out.links.extend(_written_alike(articles[aid], extra))
    out.renamed = _one_id_each(renames, latin)
    if places is not None:
        out.reread = _most_read(readings, alignments, places)
    for aid, spots in out.places.items():
        for ms in spots.values():
            ms[:] = [(out.reread.get(aid, {}).get(c, out.renamed.get(c, c)), s, e) for c, s, e in ms]
    return out


def _gazetteer_spelt(article: Article, ns: Sequence[int]) -> dict[str, str]:
    """The gazetteer places that ``article``'s paragraphs ``ns`` name, as written there."""
    return {cid: article.paragraph(n).text[s:e] for n in ns for cid, s, e in article.paragraph(n).mentions
            if gid_of(cid)}


def _readings(a: Article, ours: Mapping[str, str], other: Article, theirs: Mapping[str, str],
              places: PlaceFinder) -> Iterator[tuple[Node, Node, bool]]:
    """The places that ``a``'s paragraphs and ``other``'s aligned ones
    (``ours`` and ``theirs``, :func:`_gazetteer_spelt`) read differently
    from one name that fits both: Harlem, which
    one version takes for Haarlem in the Netherlands (the more populous)
    and another for Harlem in New York; 圣地亚哥, Santiago to the gazetteer,
    beside San Diego, which it sounds like; and those they read alike, as
    votes. Each as two ``(article, place id)``, and whether ``a`` writes
    the place's own gazetteer name."""
    for cid, form in ours.items():
        gid = gid_of(cid)
        assert gid is not None
        own = places.table.places[gid][0] == form if gid in places.table.places else False
        if cid in theirs:
            yield (a.id, cid), (other.id, cid), own  # read alike: a vote for this reading
            continue
        for tid, tform in theirs.items():
            tgid = gid_of(tid)
            assert tgid is not None
            if tid not in ours and (sounds_alike(form, tform) or places.find(form, a.lang, {tgid: tid}) and
                                    places.find(tform, other.lang, {gid: cid})):
                yield (a.id, cid), (other.id, tid), own


def _most_read(readings: Iterable[tuple[Node, Node, bool]], alignments: Sequence[Alignment],
               places: PlaceFinder) -> dict[str, dict[str, str]]:
    """One reading of a name across an article's versions: where they read
    it differently, the place that most of them chose (each version once,
    with those that read it alike); on a tie, the one a version names by
    its own name (Harlem), else the likelier place
    (:meth:`corpus.places.PlaceFinder.likelier`). It holds for every version
    of the article, those the name was carried into too. Article -> place
    id -> the chosen id."""
    pairs: list[tuple[Node, Node]] = []
    owned: set[Node] = set()  # those whose version writes the place's own name
    for x, y, own in readings:
        pairs.append((x, y))
        if own:
            owned.add(x)
    versions = {aid: group for group in components((al.source, al.target) for al in alignments) for aid in group}
    out: dict[str, dict[str, str]] = {}
    for nodes in components(pairs):
        votes = Counter(cid for _aid, cid in nodes)
        if len(votes) < 2:
            continue
        most = max(votes.values())
        tied = [cid for cid, n in votes.items() if n == most]
        tied = [cid for cid in tied if any(node in owned for node in nodes if node[1] == cid)] or tied
        best = places.likelier([gid for cid in tied if (gid := gid_of(cid)) is not None])
        chosen = next((cid for cid in tied if gid_of(cid) == best), tied[0])
        for aid in versions.get(nodes[0][0], [nodes[0][0]]):
            out.setdefault(aid, {}).update((cid, chosen) for cid in votes if cid != chosen)
    return out


def components(pairs: Iterable[tuple[T, T]]) -> list[list[T]]:
    """The connected groups of the nodes that ``pairs`` join (union-find)."""
    parent: dict[T, T] = {}

    def find(x: T) -> T:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[T, list[T]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())


def _one_id_each(pairs: Iterable[tuple[str, str]], latin: Set[str] = frozenset()) -> dict[str, str]:
    """Each id of a group of ids found to be one place -> the group's
    gazetteer id (two are never joined), else its smallest of those named
    in Latin letters (``latin``: punta-eugenia~mx, not bwnt-ywjyny~mx), else
    its smallest: the same whichever version was read first."""
    pairs = list(pairs)
    uf = Union({x for pair in pairs for x in pair if not is_qualified(x)})
    for a, b in pairs:
        uf.union(a, b)
    groups: dict[str, list[str]] = {}
    for x in list(uf.parent):
        groups.setdefault(uf.find(x), []).append(x)
    return {x: best for members in groups.values()
            for best in [min(members, key=lambda m: (is_qualified(m), m not in latin, m))] for x in members}


def _surnames_alone(article: Article, extra: Mapping[int, list[Person]]) -> list[tuple[str, str]]:
    """One sense per article, with the people carried in: a surname alone
    that the article's own recogniser found (وأخبر ستوريدج) is the one full
    name in the article, its own or carried (دانييل ستوريدج, named only in
    a heading the Arabic rules do not read), whose surname sounds the same.
    Where two full names share it (David and John Howard Johnson), neither."""
    people = [x for p in article.paragraphs for x in (*people_of(p), *extra.get(p.n, ()))]
    # surname's sound -> full name's sound -> the ids it has (carried from several versions: one each)
    fulls: dict[str, dict[str, set[str]]] = {}
    for x in people:
        if len(name_words(x.name)) > 1 and written_in_full(x):
            fulls.setdefault(skeleton(last_word(x.name)), {}).setdefault(skeleton(x.name), set()).add(x.sid)
    # a surname carried in alone for a full name of another version (Sumbung, for Селина Самбунг): that full
    # name is the article's too
    for p in article.paragraphs:
        for x in extra.get(p.n, ()):
            full = x.sid.removeprefix(UNKNOWN_PREFIX)
            if x.sid.startswith(UNKNOWN_PREFIX) and len(name_words(x.name)) == 1 and len(full.split()) > 1 and \
                    skeleton(last_word(full)) == skeleton(x.name):
                fulls.setdefault(skeleton(x.name), {}).setdefault(skeleton(full), set()).add(x.sid)
    out: list[tuple[str, str]] = []
    for x in people:
        if len(name_words(x.name)) == 1 and x.sid.startswith(UNKNOWN_PREFIX) and written_in_full(x):
            key = skeleton(x.name)
            owners = fulls.get(key, {}) if len(key) >= MIN_SKELETON else {}
            if len(owners) == 1:
                out.extend((x.sid, sid) for sid in sorted(next(iter(owners.values()))) if sid != x.sid)
    return out


def _written_alike(article: Article, extra: Mapping[int, list[Person]]) -> list[tuple[str, str]]:
    """One full name as one article writes it is one person, though the
    versions it was carried from name them otherwise (ماثيو ريان, carried
    from Mathew Ryan in one version and Мэтью Райана in another). A surname
    alone is no such evidence (جونسون: a father and his son)."""
    ids: dict[str, dict[str, None]] = {}
    for p in article.paragraphs:
        for x in (*people_of(p), *extra.get(p.n, ())):
            if len(name_words(x.name)) > 1:
                ids.setdefault(x.name, {})[x.sid] = None
    return [(first, sid) for first, *others in map(list, ids.values()) for sid in others]


def _denied(articles: Mapping[str, Article], alignments: Sequence[Alignment]) -> dict[str, dict[int, set[str]]]:
    """The names that a version in another script gives as people's, where
    the linked version in the Latin script (the script of the foreign names
    that Arabic, Chinese and Russian transliterate) spells them too but
    names no person who sounds like them anywhere in the article: سينسبري
    and Сейнсбери are Sainsbury's, the shop; Селли Оук, Selly Oak. A name
    the registry knows, or that any Latin version names as a person, stays.
    Returns article id -> paragraph -> the names to drop."""
    verdict: dict[tuple[str, int, str], bool] = {}  # (article, paragraph, name) -> some Latin version has them
    latin: dict[str, bool] = {}
    witnesses: dict[str, _Witness] = {}
    for al in alignments:
        src, tgt = articles.get(al.source), articles.get(al.target)
        if src is None or tgt is None or src.lang == tgt.lang:
            continue
        for a, other, pairs in ((src, tgt, [(b.source, b.target) for b in al.beads]),
                                (tgt, src, [(b.target, b.source) for b in al.beads])):
            if not _in_latin(other, latin) or _in_latin(a, latin):
                continue
            if other.id not in witnesses:
                witnesses[other.id] = _Witness(other)
            witness = witnesses[other.id]
            for ns, os_ in pairs:
                texts = [other.paragraph(n).text[:SCAN_LIMIT] for n in os_]
                there: list[str] | None = None  # the spans of those paragraphs, listed when first needed
                named = [(k, y) for k in ns for y in people_of(a.paragraph(k)) if y.sid.startswith(UNKNOWN_PREFIX)]
                for n, y in named:
                    key = (a.id, n, y.name)
                    if verdict.get(key):
                        continue
                    if witness.names(y.name):
                        verdict[key] = True
                        continue
                    if there is None:
                        there = list(dict.fromkeys(span for t in texts for _s, _e, span in _spans(t)))
                    spelt = witness.spells(y.name, there)
                    if spelt is not None:
                        verdict[key] = spelt or verdict.get(key, False)
    out: dict[str, dict[int, set[str]]] = {}
    for (aid, n, name), kept in verdict.items():
        if not kept:
            out.setdefault(aid, {}).setdefault(n, set()).add(name)
    return out


class _Witness:
    """What a Latin-script version says of a name another version gives."""

    def __init__(self, article: Article) -> None:
        self.lang = article.lang
        self.people = [x.name for q in article.paragraphs for x in people_of(q)]
        self.words = {w.casefold() for x in self.people for w in name_words(x)}
        self._named: dict[str, bool] = {}  # a name -> whether it names a person who sounds like it

    def names(self, name: str) -> bool:
        """Does it name a person who sounds like ``name``?"""
        if name not in self._named:
            self._named[name] = any(sounds_alike(x, name) or sounds_alike(last_word(x), name) or
                                    sounds_alike(x, last_word(name)) for x in self.people)
        return self._named[name]

    def spells(self, name: str, spans: Sequence[str]) -> bool | None:
        """Of a name it does not give as a person's (:meth:`names`): True
        where ``spans`` spell it as part of a person's name there; False
        where they spell it as no one's; None where they do not spell it."""
        # (a word of the language is no name's spelling: Schluss sounds like جايلز)
        alike = [span for span in spans if sounds_alike(span, name)
                 and not all(zipf(w, self.lang) >= WORD_ZIPF for w in name_words(span))]
        if any(w.casefold() in self.words for span in alike for w in name_words(span)):
            return True  # spelt so in a person's name there (Giles of Larry Giles)
        return False if alike else None


def _in_latin(article: Article, memo: dict[str, bool]) -> bool:
    if article.id not in memo:
        memo[article.id] = first_script(" ".join(p.text for p in article.paragraphs[:4])[:2000]) == "latin"
    return memo[article.id]


def _without_people(article: Article, names: Mapping[int, set[str]]) -> Article:
    if not names:
        return article
    return replace(article, paragraphs=tuple(
        replace(p, quotes=tuple(q for q in p.quotes if q[1] not in names[p.n]),
                named=tuple(q for q in p.named if q[1] not in names[p.n])) if p.n in names else p
        for p in article.paragraphs))


def _carry_places(a: Article, ns: Sequence[int], other: Article, os_: Sequence[int], spelt: Mapping[str, str],
                  places: PlaceFinder, found: dict[str, dict[int, list[Mention]]], nouns: dict[str, frozenset[str]],
                  renames: list[tuple[str, str]], latin: set[str]) -> None:
    """Places of the world gazetteer that ``other``'s paragraphs ``os_`` name
    (``spelt``: as written there, :func:`_gazetteer_spelt`), looked for where
    ``a``'s ``ns`` do not name them (``nouns``: as for
    :func:`_carry`); and the places the gazetteer does not know (named with
    their country: :meth:`corpus.places.PlaceFinder._qualified`), by their
    sound, where ``a`` does not name them itself; where it does, in its own
    script, the two ids go to ``renames`` (and to ``latin`` those named
    in Latin letters)."""
    theirs = {gid: cid for cid in spelt if (gid := gid_of(cid))}
    unknown = {cid: other.paragraph(n).text[s:e] for n in os_ for cid, s, e in other.paragraph(n).mentions
               if is_qualified(cid)}
    if not theirs and not unknown:
        return
    for n in ns:
        p = a.paragraph(n)
        if p.kind is Kind.BOILERPLATE:
            continue
        already = [*p.mentions, *found.get(a.id, {}).get(n, ())]  # carried from another version too
        have = {cid for cid, _s, _e in already}
        wanted = {gid: cid for gid, cid in theirs.items() if cid not in have}
        text = p.text[:SCAN_LIMIT]
        got = _places_in(text, a.lang, wanted, [(s, e) for _cid, s, e in already], _names_of(a), places,
                         partial(_carried_place, places, a, nouns)) if wanted else []
        ours = {cid: text[s:e] for cid, s, e in already if is_qualified(cid)}
        for o, f in ours.items():
            # named here with its country, by the gazetteer there (肯萨斯 in 密苏里州的肯萨斯, Kansas City): one place
            country = o.rsplit("~", 1)[1].upper()
            renames.extend((o, cid) for gid, cid in theirs.items()
                           if places.table.places[gid][2] == country and near_start(f, spelt[cid]))
        for cid, form in unknown.items():
            if cid in have:
                continue
            # the paragraph names it itself, romanised otherwise (Пунта-Эухения, Punta Eugenia): one place
            same = [o for o, f in ours.items() if o.rsplit("~", 1)[1] == cid.rsplit("~", 1)[1] and near(form, f)]
            if same:
                renames.extend((cid, o) for o in same)
                latin.update(x for x, f in ((cid, form), *((o, ours[o]) for o in same)) if script_of(f) == "latin")
                continue
            hit = _find(Person(cid, form, False), text, [(s, e) for _c, s, e in (*already, *got)],
                        partial(_may_name, places, a.lang, form), PLACE_SKELETON)
            if hit is not None and on_word_boundaries(text, hit[0], hit[1]):
                got.append((cid, hit[0], hit[1]))
        if got:
            found.setdefault(a.id, {}).setdefault(n, []).extend(got)


def _may_name(places: PlaceFinder, lang: str, name: str, span: str, _start: int) -> bool:
    """May ``span`` (at ``_start``), which sounds like the place ``name``, be its name here?"""
    return places.could_be(span, lang) and _place_shaped(span, name, lang)


def _place_shaped(span: str, name: str, lang: str) -> bool:
    """May an Arabic ``span`` that sounds like the place ``name`` (nearly,
    or exactly) be its name? Not with the article ال on a word (المنتظم,
    "the regular", for Livingston); and a span of another number of words
    than the name only where it sounds exactly like it (ستتحرك, "will
    move", is no Salt Lake City; ألاسدير لامونت, a person, no Scotland)."""
    if lang != "ar":
        return True
    ws = span.split()
    if any(w.startswith("ال") for w in ws):
        return False
    return len(ws) == len(name.split()) or skeleton(span) in skeletons(name)


def _carried_place(places: PlaceFinder, article: Article, nouns: dict[str, frozenset[str]], span: str) -> bool:
    """May ``span`` of ``article``, the one word of its paragraph that
    sounds exactly like a short place name its other version names there
    (:func:`_sole_short`), be that place's name? What
    :meth:`corpus.places.PlaceFinder.could_be` allows; in Arabic, which has
    no capitals to tell a name, also a word under WORD_ZIPF that the article
    never writes with the definite article (a noun would have it somewhere):
    wordfreq counts a transliteration inside longer words' clitic forms, so
    بالو (Palu) and مارلو (Marlow) score as often as rare words. A name
    matched only nearly by its sound (:func:`_find`) keeps the stricter test."""
    if places.could_be(span, article.lang):
        return True
    return article.lang == "ar" and all(zipf(w, "ar") < WORD_ZIPF for w in span.split()) and \
        not definite_elsewhere(span, _ar_nouns(article, nouns))


def _places_in(text: str, lang: str, wanted: Mapping[int, str], spans: list[tuple[int, int]],
               people: frozenset[str], places: PlaceFinder, sole: Callable[[str], bool]) -> list[Mention]:
    """Where ``text`` names the ``wanted`` places (GeoNames id -> place id):
    by any of their gazetteer names, else by the sound of their name (巴鲁
    for Palu, which the gazetteer does not spell so), outside ``spans`` and
    outside people's names (one sense per article: ويلوبي of هولي ويلوبي is
    no place)."""

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in spans) and not any(text[s:e] in name for name in people)

    out: list[Mention] = []
    for m in places.find(text, lang, wanted):
        if free(m[1], m[2]):
            out.append(m)
            spans.append(m[1:])
    got = {m[0] for m in out}
    for gid, cid in wanted.items():
        name = places.table.places.get(gid, ("",))[0]
        if cid in got or not name:
            continue
        person = Person(cid, name, False)
        hit = _find(person, text, spans, partial(_may_name, places, lang, name), PLACE_SKELETON) or \
            _sole_short(person, text, spans, sole)
        if hit is not None and free(hit[0], hit[1]) and on_word_boundaries(text, hit[0], hit[1]):
            out.append((cid, hit[0], hit[1]))
            spans.append(hit[:2])
            got.add(cid)
    return out


def _carry(a: Article, ns: Sequence[int], other: Article, os_: Sequence[int],
           added: dict[str, dict[int, list[Person]]], links: list[tuple[str, str]],
           plausible: Callable[[str, str, str, int], bool], nouns: dict[str, frozenset[str]],
           names: dict[str, frozenset[str]]) -> None:
    """People of ``other``'s paragraphs ``os_`` looked for in ``a``'s ``ns``
    (``nouns``: each Arabic article's definite nouns, ``names``: each German
    article's names, filled as needed)."""
    theirs = [x for n in os_ for x in people_of(other.paragraph(n))]
    if not theirs:
        return
    if other.lang == "de":  # a German genitive is heard as its name (Trumps Kundgebung: Trump)
        written = names.get(other.id)
        if written is None:
            written = names[other.id] = _names_of(other)
        theirs = [Person(x.sid, x.name[:-1], x.speaks) if x.name.endswith("s") and x.name[:-1] in written else x
                  for x in theirs]
    for n in ns:
        p = a.paragraph(n)
        if p.kind is Kind.BOILERPLATE:
            continue
        ours = people_of(p)
        have = added.setdefault(a.id, {}).setdefault(n, [])
        # the spans of the names found here already are no one else's
        taken = [(m.start(), m.end()) for y in ours for m in re.finditer(re.escape(y.name), p.text)]
        at = partial(_plausible_at, plausible, a.lang, p.text)  # may a span at its place here be a name?
        for x in theirs:
            same = [y for y in ours if sounds_alike(x.name, y.name) or sounds_alike(last_word(x.name), y.name)]
            if same:
                # one id for two names only where the whole names sound alike: a surname alone may be
                # anyone's of that name (Johnson: David or John Howard), and links are never undone
                # and only where each is written in full: Джонсон, the surname of Джон Говард Джонсон,
                # sounds like Johnson, whom another article's paragraph may name alone
                links.extend((x.sid, y.sid) for y in _likest(x, [y for y in same if whole_names_alike(x.name, y.name)
                                                                   and written_in_full(x) and written_in_full(y)],
                                                             theirs) if y.sid != x.sid)
                # their words in the other version are their words here too
                have.extend(Person(y.sid, y.name, True) for y in same if x.speaks and not y.speaks)
                _full_around(x, same, p.text, taken, have, at)
                continue
            short = _short_alike(x, ours, theirs)
            if short is not None:  # Wu, 吴, وو: a short name only where it is the one of its sound on both sides
                if short.sid != x.sid:
                    links.append((x.sid, short.sid))
                if x.speaks and not short.speaks:
                    have.append(Person(short.sid, short.name, True))
                continue
            if any(y.sid == x.sid for y in have):
                continue
            got = _find(x, p.text, taken, at)
            if got is not None and a.lang == "ar" and definite_elsewhere(got[2], _ar_nouns(a, nouns)):
                got = None  # a noun the article also writes with the article (قرش, القرش: a shark)
            if got is not None:
                taken.append(got[:2])
                have.append(Person(x.sid, got[2], x.speaks))


def _likest(x: Person, alike: Sequence[Person], theirs: Sequence[Person]) -> list[Person]:
    """Of the names ``alike`` that sound like ``x``, the one person it is:
    the likest, where no other person's likeness to ``x`` is as great and no
    other name of ``theirs`` is likelier that person's (乔丹·斯皮思 is Jordan
    Spieth, not Justin Thomas beside him, who sounds a little like him too)."""
    if not alike:
        return []
    score: dict[str, float] = {}
    for y in alike:  # (one person may be written two ways here: Trump, Дональда Трампа)
        score[y.sid] = max(score.get(y.sid, 0.0), likeness(x.name, y.name))
    ranked = sorted(score.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return []  # two people as alike: neither is tied to x
    best = max(score, key=score.__getitem__)
    ys = [y for y in alike if y.sid == best]
    if any(z.sid != x.sid and likeness(z.name, y.name) > score[best] for z in theirs for y in ys):
        return []
    return ys[:1]


def _short_alike(x: Person, ours: Sequence[Person], theirs: Sequence[Person]) -> Person | None:
    """The one name of ``ours`` that is one word and sounds exactly like
    ``x``, a one-word name too short to be heard alike by chance (Wu F, Yuan
    N: 吴, وو, Юань), where no other name of either side sounds so."""
    if len(name_words(x.name)) != 1:
        return None
    key = skeleton(x.name)
    if not key or len(key) >= MIN_SKELETON or any(z.sid != x.sid and skeleton(z.name) == key for z in theirs):
        return None
    alike = [y for y in ours if len(name_words(y.name)) == 1 and skeleton(y.name) == key]
    return alike[0] if len({y.sid for y in alike}) == 1 else None


def _ar_nouns(article: Article, memo: dict[str, frozenset[str]]) -> frozenset[str]:
    """The words an Arabic article writes with the definite article
    (:func:`corpus.text.arabic_definite_nouns`), once per article."""
    got = memo.get(article.id)
    if got is None:
        got = memo[article.id] = arabic_definite_nouns(p.text[:SCAN_LIMIT] for p in article.paragraphs)
    return got


def _full_around(x: Person, same: Sequence[Person], text: str, taken: list[tuple[int, int]],
                 have: list[Person], plausible: Callable[[str, int], bool]) -> None:
    """Where the paragraph's own names match a full name ``x`` only by its
    surname alone (وأضاف جايلز, for Larry Giles), the full name the paragraph
    also writes around one of them (قال حارس الإنقاذ لاري جايلز) is carried
    too, with ``x``'s id (added to ``have``)."""
    if len(name_words(x.name)) < 2 or any(len(name_words(y.name)) > 1 for y in same) or \
            any(y.sid == x.sid for y in have):
        return
    theirs = {y.name for y in same}
    free = [(s, e) for s, e in taken if text[s:e] not in theirs]
    got = _find(x, text, free, plausible)
    if got is not None and any(got[0] < e and s < got[1] for s, e in taken if text[s:e] in theirs):
        taken.append(got[:2])
        have.append(Person(x.sid, got[2], x.speaks))


@lru_cache(maxsize=64)
def _plausible_at(plausible: Callable[[str, str, str, int], bool], lang: str, text: str, span: str,
                  start: int) -> bool:
    return plausible(span, lang, text, start)


def _names_of(article: Article) -> frozenset[str]:
    """Every person's name an article gives, as written."""
    return frozenset(x.name for p in article.paragraphs for x in people_of(p))


def written_in_full(x: Person) -> bool:
    """Is ``x.name`` its person's whole name, not a part of it (a surname
    alone, or a first name alone, that the article gave the full name's
    id)? An unregistered id is its full name folded; a registered one
    counts as whole."""
    if not x.sid.startswith(UNKNOWN_PREFIX) or unknown_speaker_id(x.name) == x.sid:
        return True  # (its own id: Paul Mills-Hicks is unknown:paul mills hicks)
    full = x.sid[len(UNKNOWN_PREFIX) :]
    got, want = name_words(x.name), name_words(full)
    if len(got) < len(want):
        return False
    # a Chinese transliteration without dots: 佐科 of 佐科威多多
    return not (len(got) == len(want) == 1 and HAN_RE.match(full[:1]) and len(x.name) < len(full))
