"""The Whoosh schema: one document per paragraph.

Text lives in one field per language (``text_zh``, ``text_ar`` ...), each with
that language's analyzer, so a query is analysed in every language the index
holds. The paragraph text itself is not stored in Whoosh: it is read from the
side store (``side.sqlite``, index/sidestore.py) for display and snippets.
"""

from __future__ import annotations

import re

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import ANALYZER_VERSION, IndexPositions, analyzer

# Bump when the schema, the analysis or the side store changes shape.
# 1020: city frequencies; 1030: SQLite side store; 1040: only article and n stored; 1050: no field lengths;
# 1060: quoted speakers in speaker; 1070: article dates; 1080: sentence vectors for version detection;
# 1090: the article list read in pages (indexes by date and by language);
# 1100: places from the world gazetteer (GeoNames ids, facts, names for expansion);
# 1110: paragraph vectors as inverted lists (index/meaning.py), not HNSW graphs;
# 1111-1113: summaries stored per entity (tables share and summary), so an update merges only what it touched;
#   paragraphs zlib-packed, ref without rowid; what grows with the text in parts shared by hard link;
# 1114: a summary keeps its state for updates (counts, each name's first article), not its list of articles;
# 1115: opening vectors stored a block of articles a row, read without a row per article.
SCHEMA_VERSION = 1115 + ANALYZER_VERSION
FILTER_FIELDS = ("lang", "city", "place", "speaker", "article", "kind", "date")
FILTER_ALIASES = {"place": "city"}  # place: names any place (a city, a region, a country); city: is its old name
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


def text_field(lang: str) -> str:
    return f"text_{lang if _LANG_RE.match(lang) else 'xx'}"


def build_schema(langs: set[str]) -> Schema:
    # Only the article id and paragraph number are stored (a hit's address;
    # the side store has the rest). Every indexed term is a posting that a
    # build writes in pure Python, so nothing is indexed that no query uses.
    fields = {
        "article": ID(stored=True),
        "n": STORED(),
        "lang": ID(),
        "kind": ID(),
        # the article's date, YYYY-MM-DD (none when it has none); a column, for --sort date
        "date": ID(sortable=True),
        "speaker": KEYWORD(commas=True, lowercase=True),
        # one entry per mention, so a paragraph that names a place often ranks higher
        "city": KEYWORD(commas=True, lowercase=True),
    }
    for lang in sorted({text_field(lang)[5:] for lang in langs} or {"xx"}):
        fields[f"text_{lang}"] = language_field(lang)
    return Schema(**fields)


def language_field(lang: str) -> TEXT:
    field = TEXT(analyzer=analyzer(lang), phrase=True, multitoken_query="phrase")
    # Not "scorable" in Whoosh's sense: that only records each paragraph's
    # length, which ranking without length normalisation never reads
    # (see :class:`Codec`). Which fields rank: :func:`is_ranked`.
    field.scorable = False
    field.format = IndexPositions(field_boost=1.0)  # the same postings, analysed faster
    return field


class Codec(W3Codec):
    """Whoosh's codec without per-block length statistics: after each
    segment a writer looks up the field length of every posting's document
    for them (a stat() call per posting when, as here, no lengths are
    recorded), and only length-normalised scoring reads them. Segments name
    their codec, so this class must stay importable."""

    length_stats = False


def is_ranked(fieldname: str) -> bool:
    """Fields whose matches are scored by term frequency (index/ranking.py):
    the text, and places (one entry per mention); the other filters score 1."""
    return fieldname == "city" or fieldname.startswith("text_")
