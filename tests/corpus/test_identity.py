"""Identity by spelling at the size of a real folder: the same links as
comparing every pair, without comparing every pair; and one full name as
one article writes it."""

from __future__ import annotations

import random

from corpus.identity import Union, _alike_pairs, _link_by_spelling, _similar, romanise
from corpus.models import Article, Kind, Paragraph
from corpus.project import Person, _written_alike
from corpus.text import script_of


def _folder_names(count: int, seed: int = 3) -> list[str]:
    """Made-up names, a third of them again with a German genitive's s or a
    letter dropped (not the first), and a few real ones in three scripts."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ber", "son", "ton", "man"]
    base = [" ".join("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title() for _ in range(2))
            for _ in range(count // 4)]
    names = []
    for _ in range(count):
        name, roll = rng.choice(base), rng.random()
        if roll < 0.2:
            name += "s"
        elif roll < 0.35:
            k = rng.randrange(1, len(name))
            name = name[:k] + name[k + 1 :]
        names.append(name)
    return names + ["Donald Trump", "Donald Trumps", "Дональд Трамп", "Boris Johnson", "Борис Джонсон", "特朗普"]


def test_names_alike_are_paired_as_comparing_every_pair_would() -> None:
    names = _folder_names(1200)
    ids = [f"unknown:{k}" for k in range(len(names))]
    written = {sid: [name] for sid, name in zip(ids, names, strict=True)}
    brute = sorted((i, j) for i in range(len(ids)) for j in range(i + 1, len(ids))
                   if (ka := romanise(names[i])) and (kb := romanise(names[j])) and ka[0] == kb[0] and
                   _similar(names[i], names[j], (script_of(names[i]), script_of(names[j]))))
    got = _alike_pairs(ids, written)
    assert got == brute and len(got) > 300
    at = {name: k for k, name in enumerate(names)}
    assert (at["Donald Trump"], at["Donald Trumps"]) in got
    assert (at["Donald Trump"], at["Дональд Трамп"]) in got  # Cyrillic beside Latin: the looser rule
    assert (at["Boris Johnson"], at["Борис Джонсон"]) in got
    assert not any(at["特朗普"] in pair for pair in got)  # pinyin (telangpu) is no spelling of Trump


def test_linked_names_share_a_root_and_curated_people_are_never_merged_by_spelling() -> None:
    ids = ["unknown:donald trumps", "unknown:boris johnson", "unknown:donald trump", "unknown:борис джонсон"]
    written = {"unknown:donald trumps": ["Donald Trumps"], "unknown:donald trump": ["Donald Trump"],
               "unknown:boris johnson": ["Boris Johnson"], "unknown:борис джонсон": ["Борис Джонсон"]}
    uf = Union({"trump", "johnson"})
    for sid in ids:
        uf.find(sid)
    _link_by_spelling(uf, ids, written, {"trump": ["Donald Trump"], "johnson": ["Boris Johnson"]})
    assert uf.groups() == {"trump": ["unknown:donald trumps", "unknown:donald trump", "trump"],
                           "johnson": ["unknown:boris johnson", "unknown:борис джонсон", "johnson"]}
    assert not uf.union("unknown:donald trump", "unknown:boris johnson")  # two curated people stay two
    assert uf.union("unknown:boris johnson", "unknown:donald trump", force=True)  # an analyst's merge
    # the curated id of the merge's first name leads the merged group
    assert uf.find("unknown:donald trumps") == uf.find("trump") == "johnson"



def test_one_full_name_as_one_article_writes_it_is_one_person() -> None:
    """An Arabic paragraph names ماثيو ريان twice, each carried from another
    version that names him otherwise (Mathew Ryan, Мэтью Райана): one
    person. A surname alone is no such evidence: جونسون in one article may
    be a father and his son."""
    paragraphs = (Paragraph(1, Kind.BODY, "جونسون", named=(("unknown:john johnson", "جونسون"),)),
                  Paragraph(2, Kind.BODY, "ماثيو ريان ... ماثيو ريان"))
    article = Article("ar-1", "ar-1.txt", "ar", "", None, "utf-8", "", paragraphs)
    carried = {2: [Person("unknown:mathew ryan", "ماثيو ريان", False),
                   Person("unknown:мэтью райана", "ماثيو ريان", True)],
               1: [Person("unknown:david johnson", "جونسون", False)]}
    assert _written_alike(article, carried) == [("unknown:mathew ryan", "unknown:мэтью райана")]
