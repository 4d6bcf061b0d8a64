"""Turn a file's bytes into text, recording the encoding that was found.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are recognised exactly;
everything else goes through charset-normalizer. Binary data is refused
rather than guessed at. The file on disk is only ever read.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Legacy encodings analysts meet in news archives, tried in this order when
# charset-normalizer is unsure. Each is checked for mostly-letters output.
_LEGACY = ("gb18030", "cp1256", "cp1251", "big5", "shift_jis", "cp1252")


class DecodeError(ValueError):
    """The bytes are not text we can read."""


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    # by distinct character: a text has a few thousand at most
    bad = sum(
        count
        for ch, count in Counter(text).items()
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\t\n\r\f\v"
    )
    return bad / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: of the two byte orders that decode to clean text,
    the one with real spaces and newlines (the other turns them into U+2000/U+0A00)."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    best, best_score = None, 0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) >= 0.01 or _letter_ratio(text) < 0.6:
            continue
        score = text.count(" ") + text.count("\n")
        if score > best_score:
            best, best_score = enc, score
    return best


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`DecodeError` saying why."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {enc} byte-order mark but is not {enc}: {exc}") from exc
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    candidates = ([best.encoding] if best is not None else []) + list(_LEGACY)
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _control_ratio(text) < 0.01 and _letter_ratio(text) > 0.5:
            return text, codecs.lookup(enc).name
    raise DecodeError("undecodable: not UTF-8, UTF-16 or a recognised legacy encoding")


def _letter_ratio(text: str) -> float:
    sample = [ch for ch in text[:20_000] if not ch.isspace()]
    if not sample:
        return 0.0
    letters = sum(1 for ch in sample if ch.isalnum() or unicodedata.category(ch).startswith("P"))
    return letters / len(sample)


def _checked(text: str, enc: str) -> tuple[str, str]:
    # a few escape sequences are hostile text, not binary: shown inertly later
    if _control_ratio(text[:100_000]) > 0.05:
        raise DecodeError(f"binary file (control characters in {enc} text)")
    return text, codecs.lookup(enc).name
