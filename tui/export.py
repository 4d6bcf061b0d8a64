"""A briefing written out: Markdown, one self-contained HTML file, or JSON.

Corpus text is data in every format: Markdown escapes the characters that
would make it markup, HTML escapes it, and control characters are dropped
(a clip keeps the text exactly as clipped; only its rendering is cleaned).
Every passage in HTML carries ``lang`` and ``dir``, so a browser lays out
Arabic right to left and picks fonts by language. With an index, the HTML
file opens with a world map of the places the clipped paragraphs name.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.text import printable

from .briefings import Briefing, Clip
from .worldmap import Spot

if TYPE_CHECKING:
    from index import Index

FORMATS = ("md", "html", "json")
RTL = {"ar", "fa", "he", "ur"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_MD_LEADING = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=])", re.M)

Status = Callable[[Clip], str]


@dataclass(frozen=True)
class PlaceMap:
    """What the HTML export's map shows: the places of the clipped
    paragraphs (with their mentions there) over the gazetteer's land."""

    spots: tuple[Spot, ...]
    land: tuple[tuple[float, float], ...]


def place_map(ix: Index | None, briefing: Briefing, fmt: str = "html") -> PlaceMap | None:
    """The places the clipped paragraphs name, counted, with their
    coordinates, for the HTML export's map; None for other formats or
    without an index."""
    if fmt != "html" or ix is None:
        return None
    from corpus.geo import land_points

    counts: Counter[str] = Counter()
    for c in briefing.clips:
        article = ix.article(c.article)
        if article is not None and 1 <= c.paragraph <= len(article.paragraphs):
            counts.update(cid for cid, _s, _e in article.paragraph(c.paragraph).mentions)
    facts = {p.id: p for p in ix.cities()}
    spots = tuple(Spot(f.name, f.lat, f.lon, n) for cid, n in counts.items()
                  if (f := facts.get(cid)) is not None and f.lat is not None and f.lon is not None)
    return PlaceMap(spots, tuple(land_points()) if spots else ())


def _md(text: str) -> str:
    """Corpus text as Markdown that renders as the text itself."""
    out = _MD_SPECIAL.sub(r"\\\1", printable(text))
    return _MD_LEADING.sub(lambda m: (f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}"), out)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in _md(text).split("\n"))


def cite(title: str, date: str | None, lang: str, paragraphs: str, path: str) -> str:
    return f"{title}, {date or 'no date'}, {lang}, ¶{paragraphs}, {path}"


def markdown(briefing: Briefing, status: Status = lambda c: "") -> str:
    out = [f"# Briefing: {_md(briefing.name)}", ""]
    out.append(f"{len(briefing.clips)} {'clip' if len(briefing.clips) == 1 else 'clips'}")
    for i, c in enumerate(briefing.clips, 1):
        out += ["", f"## {i}. {_md(c.title)}", "", _quote(c.text), ""]
        state = status(c)
        out.append("— " + _md(cite(c.title, c.date, c.lang, str(c.paragraph), c.path))
                   + f" [{_md(c.article)}]" + (f" ({state})" if state else ""))
        for v in c.versions:
            out += ["", f"**{_md(v.lang)}** ({_md(v.article)} ¶{', '.join(map(str, v.paragraphs)) or '—'}):", ""]
            out.append(_quote(v.text) if v.text else "> (no aligned paragraph)")
            out += ["", "— " + _md(cite(v.title, v.date, v.lang, ", ".join(map(str, v.paragraphs)) or "—", v.path))]
            for flag in v.flags:
                out += ["", f"⚑ {_md(flag)}"]
        if c.note:
            out += ["", f"**Note:** {_md(c.note)}"]
        if c.query:
            out += ["", f"*Found by:* `{printable(c.query).replace('`', '´')}` · clipped {c.clipped}"]
    return "\n".join(out) + "\n"


CSS = """
body { font-family: "Noto Sans", "DejaVu Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
       sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.6; color: #1d1d1f; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #ccc; padding-bottom: .3rem; }
h2 { font-size: 1.15rem; margin-top: 2.2rem; }
blockquote { margin: .6rem 0; padding: .2rem 1rem; border-inline-start: 6px solid #b8860b; background: #faf7ef; }
blockquote[dir="rtl"] { text-align: right; }
.cite { color: #555; font-size: .9rem; }
.version { margin-inline-start: 1.5rem; }
.flag { color: #8a5a00; font-weight: bold; }
.note { background: #eef4ff; padding: .4rem .8rem; border-radius: 4px; }
.state { color: #b00020; font-weight: bold; }
.query { color: #555; font-size: .85rem; }
figure.map { margin: 1rem 0; } figure.map svg { width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { color: #555; font-size: .9rem; }
"""


def _e(text: str) -> str:
    return html.escape(printable(text), quote=True)


def _passage(text: str, lang: str) -> str:
    direction = "rtl" if lang in RTL else "ltr"
    paras = "".join(f"<p>{_e(p)}</p>" for p in text.split("\n\n")) if text else "<p>—</p>"
    return f'<blockquote lang="{_e(lang)}" dir="{direction}">{paras}</blockquote>'


def _html_cite(title: str, date: str | None, lang: str, paragraphs: str, path: str) -> str:
    """The citation with the title isolated (``bdi``), so an Arabic title
    does not reorder the date, ¶ and path after it."""
    return (f'<bdi lang="{_e(lang)}">{_e(title)}</bdi>, {_e(date or "no date")}, {_e(lang)}, ¶{_e(paragraphs)}, '
            f"{_e(path)}")


def to_html(briefing: Briefing, status: Status = lambda c: "", places: PlaceMap | None = None) -> str:
    out = ['<!DOCTYPE html>', '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>Briefing: {_e(briefing.name)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<h1>Briefing: {_e(briefing.name)}</h1>",
           f"<p>{len(briefing.clips)} {'clip' if len(briefing.clips) == 1 else 'clips'}</p>"]
    if places is not None and places.spots:
        from .worldmap import svg

        names = ", ".join(f"{s.name} ({s.count})" for s in sorted(places.spots, key=lambda s: (-s.count, s.name)))
        out.append(f'<figure class="map">{svg(places.land, places.spots, "Where the clips are")}'
                   f"<figcaption>Places in the clipped paragraphs: {_e(names)}</figcaption></figure>")
    for i, c in enumerate(briefing.clips, 1):
        out.append(f'<section class="clip"><h2>{i}. <bdi lang="{_e(c.lang)}">{_e(c.title)}</bdi></h2>')
        out.append(_passage(c.text, c.lang))
        state = status(c)
        out.append(
            f'<p class="cite">— {_html_cite(c.title, c.date, c.lang, str(c.paragraph), c.path)} [{_e(c.article)}]'
            + (f' <span class="state">{_e(state)}</span>' if state else "")
            + "</p>"
        )
        for v in c.versions:
            ns = ", ".join(map(str, v.paragraphs)) or "—"
            out.append(f'<div class="version"><p><strong>{_e(v.lang)}</strong> ({_e(v.article)} ¶{ns})</p>')
            out.append(_passage(v.text, v.lang))
            out.append(f'<p class="cite">— {_html_cite(v.title, v.date, v.lang, ns, v.path)}</p>')
            out.extend(f'<p class="flag">⚑ {_e(flag)}</p>' for flag in v.flags)
            out.append("</div>")
        if c.note:
            out.append(f'<p class="note"><strong>Note:</strong> <span dir="auto">{_e(c.note)}</span></p>')
        if c.query:
            out.append(f'<p class="query">Found by: <code>{_e(c.query)}</code> · clipped {_e(c.clipped)}</p>')
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def to_json(briefing: Briefing, status: Status = lambda c: "") -> str:
    data = briefing.to_dict()
    for d, c in zip(data["clips"], briefing.clips, strict=True):
        d["status"] = status(c)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(briefing: Briefing, fmt: str, status: Status = lambda c: "", places: PlaceMap | None = None) -> str:
    if fmt == "html":
        return to_html(briefing, status, places)
    return {"md": markdown, "json": to_json}[fmt](briefing, status)
