"""Display-order Arabic for terminals that do not reorder (python-bidi)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from tui.bidi import VisualBidi, for_display, piece, resolve_mode, visual_line


def test_modes_resolve_from_the_terminal() -> None:
    assert resolve_mode("auto", {"TERM": "xterm-256color"}) == "visual"
    assert resolve_mode("auto", {"TERM": "xterm", "KONSOLE_VERSION": "230804"}) == "terminal"
    assert resolve_mode("auto", {"TERM": "mlterm"}) == "terminal"
    assert resolve_mode("terminal", {}) == "terminal" and resolve_mode("visual", {"MLTERM": "3.9"}) == "visual"


def test_pieces_keep_their_place_and_spaces() -> None:
    assert piece(" لين نا", "visual") == " ان نيل"
    assert piece(" لين نا", "terminal") == " لين نا"
    assert piece("Lin Na", "visual") == "Lin Na"


def test_lines_keep_styles_and_mirror_brackets() -> None:
    line = Text("قال (هو) 25")
    line.stylize("bold", 0, 3)  # قال
    out = visual_line(line, rtl=True)
    assert out.plain == "25 (وه) لاق"
    bold = [out.plain[s.start:s.end] for s in out.spans if "bold" in str(s.style)]
    assert bold == ["لاق"]


def test_only_text_with_rtl_is_wrapped_for_reordering() -> None:
    assert isinstance(for_display(Text("深圳 Shenzhen"), False, "visual"), Text)
    assert isinstance(for_display(Text("شنتشن"), True, "visual"), VisualBidi)
    assert isinstance(for_display(Text("شنتشن"), True, "terminal"), Text)
    wrapped = VisualBidi(Text("واحد اثنان ثلاثة أربعة"), True)
    assert list(wrapped.lines(Console(width=40), 11)) == ["نانثا دحاو", "ةعبرأ ةثالث"]
