"""Saved web pages (``.html``/``.htm``) as article text.

A saved news page is mostly menus, share buttons, related links and
scripts around a few paragraphs of article. trafilatura (a maintained
extractor made for news pages, on lxml) finds the article's main text and
its metadata; this module only turns its result into what the loader reads:
paragraphs separated by blank lines, a title and a date when the page gives
them. It is imported only when a folder holds a web page (trafilatura takes
0.2 s to import).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .decode import DecodeError


@dataclass(frozen=True)
class WebPage:
    text: str  # paragraphs separated by blank lines
    title: str | None
    date: str | None  # YYYY-MM-DD
    encoding: str


def read_web_page(data: bytes) -> WebPage:
    """The article in a saved web page; raises :class:`DecodeError` when
    the page holds no article text."""
    import trafilatura
    from trafilatura.utils import decode_file

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every page it finds empty
    html = decode_file(data)  # the page's declared charset, else detection
    if not html.strip():
        raise DecodeError("empty web page")
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True,
                               deduplicate=False, with_metadata=False)
    if not text or not text.strip():
        raise DecodeError("web page with no article text")
    meta = trafilatura.extract_metadata(html)
    lines = [line.strip() for line in text.splitlines()]
    return WebPage(
        text="\n\n".join(line for line in lines if line),
        title=(meta.title or "").strip() or None if meta else None,
        date=meta.date if meta and meta.date else None,
        encoding="html",
    )
