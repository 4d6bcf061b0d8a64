"""A scaled corpus made only from real paragraphs of the bundled articles.

Deterministic (seeded), generated on the fly, never committed. It keeps the
bundled language mix (zh 2 : ar 1 : de 1 : ru 1) and its translation pairs:
a fifth of the articles come as a Chinese article and its Arabic version,
built from paragraph pairs that the aligner matched in 002↔000 and declared
in the manifest. Every article carries a unique marker word (``bm000042``)
so that results can be checked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from corpus import BUNDLED_DIR, Kind, load_corpus

LANG_WEIGHTS = {"zh": 2, "ar": 1, "de": 1, "ru": 1}


@dataclass(frozen=True)
class Generated:
    root: Path
    articles: int
    pairs: int
    markers: dict[str, str]  # article id -> marker word
    langs: dict[str, str]  # article id -> language


def _pools() -> tuple[dict[str, list[str]], dict[str, list[str]], list[tuple[str, str]]]:
    corpus = load_corpus(BUNDLED_DIR)
    bodies: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    for a in corpus.articles:
        bodies.setdefault(a.lang, []).extend(p.text for p in a.paragraphs if p.kind in (Kind.BODY, Kind.TURN))
        titles.setdefault(a.lang, []).append(a.title)
    pairs: list[tuple[str, str]] = []
    for al in corpus.alignments:
        src, tgt = corpus.article(al.source), corpus.article(al.target)
        assert src is not None and tgt is not None
        for b in al.beads:
            if len(b.source) == 1 and len(b.target) == 1:
                ps, pt = src.paragraph(b.source[0]), tgt.paragraph(b.target[0])
                if ps.kind in (Kind.BODY, Kind.TURN) and pt.kind in (Kind.BODY, Kind.TURN):
                    pairs.append((ps.text, pt.text) if src.lang == "zh" else (pt.text, ps.text))
    return bodies, titles, pairs


def generate(root: Path, count: int, seed: int = 20201122) -> Generated:
    """Write ``count`` articles under ``root`` (batches of 1,000 per folder)."""
    rng = random.Random(seed)
    bodies, titles, pairs = _pools()
    langs = [lang for lang, w in LANG_WEIGHTS.items() for _ in range(w)]
    markers: dict[str, str] = {}
    article_langs: dict[str, str] = {}
    manifest: list[str] = ["articles:"]
    i = 0
    n_pairs = 0

    def write(i: int, lang: str, title: str, paras: list[str], declared: bool = False) -> str:
        rel = f"batch{i // 1000:03d}/a{i:06d}.txt"
        aid = f"a{i:06d}" if declared else rel.removesuffix(".txt")  # the manifest's id, or the path stem
        marker = f"bm{i:06d}"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n\n".join([title, f"{marker} {paras[0]}", *paras[1:]])
        path.write_text(text + "\n", encoding="utf-8")
        markers[aid], article_langs[aid] = marker, lang
        return rel

    while i < count:
        if count - i >= 2 and rng.random() < 0.2:
            k = rng.randint(6, 12)
            start = rng.randrange(len(pairs))
            chosen = [pairs[(start + j) % len(pairs)] for j in range(k)]
            zh_rel = write(i, "zh", rng.choice(titles["zh"]), [z for z, _ in chosen], declared=True)
            ar_rel = write(i + 1, "ar", rng.choice(titles["ar"]), [a for _, a in chosen], declared=True)
            manifest += [
                f'  - {{id: a{i:06d}, file: "{zh_rel}", lang: zh, translations: [a{i + 1:06d}]}}',
                f'  - {{id: a{i + 1:06d}, file: "{ar_rel}", lang: ar}}',
            ]
            i += 2
            n_pairs += 1
            continue
        lang = rng.choice(langs)
        k = rng.randint(6, 12)
        write(i, lang, rng.choice(titles[lang]), [rng.choice(bodies[lang]) for _ in range(k)])
        i += 1
    (root / "briefing.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return Generated(root, count, n_pairs, markers, article_langs)
