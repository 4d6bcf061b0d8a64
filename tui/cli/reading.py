"""The reading commands: articles, versions, show, search, like, speakers,
places (cities), align."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from .complete import article_ids, languages, query_words
from .group import cli
from .output import EXIT_USAGE, cell, consoles, emit_json, fail, print_table, say
from .session import current_index, errors, unknown_article

if TYPE_CHECKING:
    from rich.text import Text

@cli.command("articles")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def articles_cmd(as_json: bool) -> None:
    """List the articles: id, language, date, title, versions."""
    ix = current_index()
    rows: list[dict[str, Any]] = [
        {"id": a.id, "path": a.path, "lang": a.lang, "title": a.title, "date": a.date,
         "paragraphs": a.paragraph_count, "translations": list(a.translations), "encoding": a.encoding,
         "versions": [{"id": v, "lang": info.lang if (info := ix.info(v)) else None,
                       "confidence": ix.version_confidence(a.id, v)} for v in a.translations]}
        for a in ix.articles()
    ]
    if as_json:
        emit_json(rows)
        return
    print_table(("id", "lang", "date", "¶", "versions", "title"),
                [(r["id"], r["lang"], r["date"] or "", str(r["paragraphs"]),
                  ", ".join(f"{v['id']} {v['confidence']:.2f}" for v in r["versions"]),
                  r["title"]) for r in rows], ids=(0,), id_lists=(4,), wide=(5,))


@cli.command("versions")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--below", type=click.FloatRange(0.0, 1.0), default=None, metavar="X",
              help="Only groups whose weakest link is below X (0..1): the ones to audit.")
def versions_cmd(as_json: bool, below: float | None) -> None:
    """List the groups of language versions with their links' confidences,
    weakest first. Correct them in overrides.yaml (versions: link / unlink)."""
    ix = current_index()
    groups = [g for g in ix.versions() if below is None or g.weakest < below]
    if as_json:
        emit_json([g.to_dict() for g in groups])
        return
    rows = []
    for g in groups:
        langs = dict(zip(g.ids, g.langs, strict=True))
        links = "; ".join(f"{lk.a}~{lk.b} {'declared' if lk.declared else f'{lk.confidence:.2f}'}" for lk in g.links)
        rows.append((", ".join(g.ids), " ".join(langs[i] for i in g.ids), f"{g.weakest:.2f}", links))
    print_table(("articles", "languages", "weakest", "links"), rows, ids=(), id_lists=(0,), wide=(3,))
    say(
        f"{len(groups)} of {len(ix.versions())} version groups"
        + (f" with a link below {below}" if below is not None else "")
    )


@cli.command("show")
@click.argument("article_id", shell_complete=article_ids)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show_cmd(article_id: str, as_json: bool) -> None:
    """Print one article by paragraph, with kinds, speakers and cities."""
    from rich.text import Text

    ix = current_index()
    with errors():
        article = ix.article(article_id)
    if article is None:
        unknown_article(ix, article_id)
    if as_json:
        emit_json({"id": article.id, "lang": article.lang, "title": article.title, "date": article.date,
               "path": article.path, "translations": list(article.translations),
               "paragraphs": [{"n": p.n, "kind": p.kind.value, "text": p.text, "speaker": p.voice,
                               "speakers": list(p.voices), "label": p.label, "cities": list(p.cities)}
                              for p in article.paragraphs]})
        return
    out = consoles()[0]
    out.print(cell(f"{article.title}  [{article.id} · {article.lang} · {article.date or 'no date'} · {article.path}]"))
    for p in article.paragraphs:
        tag = p.kind.value + (f" · {p.voice}" if p.voice else "")
        line = Text(f"{p.n:>4} ", style="dim")
        line.append(f"{tag:<22} ", style="cyan")
        line.append(cell(p.text))
        out.print(line)


SNIPPET_COLUMN = 120  # characters of a hit's snippet in the table (centred on its first match)


def _print_result(result: Any, label: bool, dated: bool = False) -> None:
    from corpus.text import window

    for note in result.notes:
        say("note: " + note)
    for exp in result.expanded:
        say("expanded: " + exp)
    out = consoles()[0]
    # On a terminal the snippet is cut around its first match to what a row shows; piped, it is whole.
    room = min(SNIPPET_COLUMN, max(30, out.width - 40)) if out.is_terminal else None
    rows = []
    for h in result.hits:
        text, spans = window(h.snippet, h.highlights, room) if room else (h.snippet, h.highlights)
        snippet = cell(text)
        for s, e in spans:
            snippet.stylize("bold reverse", s, e)
        row = (h.article, str(h.paragraph), h.lang, f"{h.score:.2f}", h.speaker or "", snippet)
        rows.append((h.date or "", *row) if dated else row)
    headers = ("article", "¶", "lang", "similarity" if result.meaning else "score", "speaker", "snippet")
    print_table(
        ("date", *headers) if dated else headers,
        rows,
        ids=(1,) if dated else (0,),
        wide=(6,) if dated else (5,),
        title=f"query: {result.query}" if label else None,
    )
    footer = (f"{len(result.hits)} most similar paragraphs" if result.meaning
              else f"{result.total_text} matching paragraphs, {len(result.hits)} shown")
    if result.in_boilerplate:
        count = f"{'' if result.in_boilerplate_exact else '≈'}{result.in_boilerplate:,}"
        it = "it" if result.in_boilerplate == 1 else "them"
        footer += f"; {count} {'hit' if result.in_boilerplate == 1 else 'hits'} in boilerplate: --all shows {it}"
    say(footer)


def _stdin_queries() -> Iterator[tuple[int, str | None]]:
    """``(line number, query)`` per line of stdin; None for a line that is
    not UTF-8. A byte-order mark and CR line ends are dropped."""
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            yield n, None


@cli.command("search")
@click.argument("query", shell_complete=query_words)
@click.option(
    "--lang", multiple=True, shell_complete=languages,
    help="Only articles in this language (zh, ar, de, ru, en ...); repeat it for several."
)
@click.option(
    "--limit", type=click.IntRange(min=1, max=10_000), default=20, show_default=True, help="Most hits to show."
)
@click.option("--exact", is_flag=True, help="Do not expand city and person names into other languages.")
@click.option(
    "--all", "include_boilerplate", is_flag=True, help="Also search boilerplate (promotions, headline lists)."
)
@click.option("--sort", type=click.Choice(("score", "date")), default="score", show_default=True,
              help="Order of the hits: best first, or newest article first (undated last).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; with QUERY '-', one JSON line per input line.")
def search_cmd(query: str, lang: tuple[str, ...], limit: int, exact: bool, include_boilerplate: bool,
               sort: str, as_json: bool) -> None:
    """Search paragraphs. QUERY supports AND/OR/NOT (or -word), "phrases" and
    the filters lang:, city: (or place:), speaker:, article:, kind:, date:. Use '-' to read one
    query per line from stdin: JSON gives one line per input line (a blank or
    non-UTF-8 line gets an "error"); tables are titled with their query."""
    from index import QueryError

    ix = current_index()
    many = query == "-"
    queries = _stdin_queries() if many else iter([(0, query)])
    failed = False
    for n, q in queries:
        if not many and not (q or "").strip():
            fail("bad query '': the query has no words to search for", EXIT_USAGE)
        if q is None or not q.strip():
            if many and as_json:
                problem = f"line {n} is not UTF-8 text" if q is None else "empty query"
                emit_json({"query": q or "", "error": problem})
            elif q is None:
                say(f"briefing: line {n} of stdin is not UTF-8 text")
            if q is None:
                failed = True
            continue
        try:
            with errors():
                result = ix.search(q, lang=lang, limit=limit, exact=exact, include_boilerplate=include_boilerplate,
                                   sort=sort)
        except QueryError as exc:
            failed = True
            if many and as_json:
                emit_json({"query": q, "error": str(exc)})
                continue
            say(f"briefing: bad query {q!r}: {exc}")
            if not many:
                sys.exit(EXIT_USAGE)
            continue
        if as_json:
            emit_json(result.to_dict())
        else:
            _print_result(result, label=many, dated=sort == "date")
    if failed:
        sys.exit(EXIT_USAGE)


@cli.command("like")
@click.argument("article_id", shell_complete=article_ids)
@click.argument("paragraph", type=click.IntRange(min=1))
@click.option(
    "--lang", multiple=True, shell_complete=languages,
    help="Only articles in this language (zh, ar, de, ru, en ...); repeat it for several."
)
@click.option(
    "--limit", type=click.IntRange(min=1, max=10_000), default=20, show_default=True, help="Most hits to show."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def like_cmd(article_id: str, paragraph: int, lang: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Paragraphs like PARAGRAPH of ARTICLE_ID in other articles, in every
    language, by meaning: who else reported this? The article and its own
    versions are left out."""
    from index import QueryError

    ix = current_index()
    try:
        with errors():
            result = ix.like(article_id, paragraph, lang=lang, limit=limit)
    except QueryError as exc:
        fail(f"like {article_id} {paragraph}: {exc}", EXIT_USAGE)
    if as_json:
        emit_json(result.to_dict())
    else:
        _print_result(result, label=False)


@cli.command("speakers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def speakers_cmd(as_json: bool) -> None:
    """List the people who speak in the corpus, across languages."""
    ix = current_index()
    rows = ix.speakers(full=True)
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    print_table(("id", "name", "as written", "turns", "articles", "roles"),
                [(r.id, r.name, " · ".join(f for forms in r.names.values() for f in forms), str(r.turns),
                  ", ".join(r.articles), "; ".join(r.roles)) for r in rows], ids=(0,), id_lists=(4,), wide=(5,))


@cli.command("places")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def places_cmd(as_json: bool) -> None:
    """List the places the articles mention (cities, then regions and
    countries), with their country and counts per article. Also: cities."""
    ix = current_index()
    with errors():
        rows = ix.cities(full=True)
    if as_json:
        emit_json([r.to_dict() for r in rows])
        return
    print_table(("id", "name", "kind", "country", "as written", "mentions", "articles"),
                [(r.id, r.name, r.kind, r.country, " · ".join(f for forms in r.names.values() for f in forms),
                  str(r.mentions), ", ".join(f"{a}:{n}" for a, n in r.articles.items())) for r in rows], ids=(0,),
                id_lists=(6,), wide=(4,))


cli.add_command(places_cmd, name="cities")


@cli.command("align")
@click.argument("source", shell_complete=article_ids)
@click.argument("target", shell_complete=article_ids)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--width", type=click.IntRange(min=20, max=400), default=60, show_default=True,
              help="Characters of each paragraph shown per column in the table (piped: every character).")
def align_cmd(source: str, target: str, as_json: bool, width: int) -> None:
    """Align the paragraphs of SOURCE and TARGET, two language versions of one
    article, and flag pairs whose numbers, cities or people disagree. Linked
    versions were aligned at index time; any other pair is aligned now, and
    its confidence says how likely the two are versions at all."""
    from corpus.text import window

    if source == target:
        fail(f"align needs two different articles, not {source!r} twice (its versions: briefing show {source})",
             EXIT_USAGE)
    ix = current_index()
    with errors():
        src, tgt = ix.article(source), ix.article(target)
        if src is None:
            unknown_article(ix, source)
        if tgt is None:
            unknown_article(ix, target)
        al = ix.alignment(source, target)
    if as_json:
        emit_json(al.to_dict())
        return
    piped = not consoles()[0].is_terminal

    def texts(article: Any, ns: tuple[int, ...]) -> Text:
        joined = " ⏎ ".join(article.paragraph(n).text for n in ns)
        return cell(joined if piped else window(joined, (), width)[0])

    rows = [(",".join(map(str, b.source)), texts(src, b.source), ",".join(map(str, b.target)), texts(tgt, b.target),
             f"{b.score:.2f}" if b.source and b.target else "", "; ".join(f.describe() for f in b.flags))
            for b in al.beads]
    print_table(("¶", source, "¶", target, "score", "flags"), rows, ids=(0, 2), wide=(1, 3),
                title=f"{source} ({src.lang}) ↔ {target} ({tgt.lang}) · confidence {al.confidence:.2f} · "
                      f"{len(al.beads)} pairs")

