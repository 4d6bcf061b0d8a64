"""A hit's row: the snippet cut around its first match to the row's width,
before any reordering, so that a right-to-left hit keeps its match in view."""

from __future__ import annotations

from rich.cells import cell_len

from tui.widgets.rows import HitItem, window

RU = "За последние годы Чжуншаню удалось добиться больших успехов в развитии"


def shown(text: str, at: int, room: int) -> str:
    start, end = window(text, at, room)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def test_window_starts_at_a_word_before_the_match_and_fills_the_row() -> None:
    assert shown(RU, RU.index("Чжуншаню"), 26) == "…годы Чжуншаню удалось до…"
    assert shown(RU, 3, 26) == "За последние годы Чжуншан…"  # the match in the row's first half: from the start
    assert shown(RU, RU.index("развитии"), 26) == "…ольших успехов в развитии"  # the end shown: no gap
    assert shown("abc def", 4, 7) == "abc def"  # it all fits
    for at in range(0, len(RU), 7):
        for room in (8, 13, 26, 40):
            assert len(shown(RU, at, room)) <= room


def test_window_counts_cells_not_characters() -> None:
    text = "深圳" * 30
    out = shown(text, 30, 20)
    assert out == "…深圳深圳深圳深圳深…" and cell_len(out) == 20


def test_an_arabic_hit_in_visual_order_shows_its_match_beside_its_start() -> None:
    snippet = "من أجل سرد قصة قوانغتشو وشنتشن Shuangcheng ، عملت أخبار المنطقة الاقتصادية الخاصة"
    at = snippet.index("وشنتشن")
    line = HitItem.of("000", 5, "ar", snippet, ((at, at + 6),), "visual", width=40)
    row = str(line.text)
    assert row.startswith("000 ¶5 ar ") and cell_len(row) <= 40
    # drawn right to left: the logical start ("…" and the match) is at the row's right end
    assert row == "000 ¶5 ar …خأ تلمع ، Shuangcheng " + "وشنتشن"[::-1] + "…"
    reversed_ = [(s.start, s.end) for s in line.text.spans if getattr(s.style, "reverse", False)]
    assert reversed_ == [(len(row) - 7, len(row) - 1)]  # the match, highlighted where it is drawn
    # without a width (a caller that does not know it), the old length
    assert len(str(HitItem.of("000", 5, "ar", snippet * 3, ((at, at + 6),), "terminal").text)) > 100
