"""The README's picture: drawn by the reader itself (make screenshot)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.screenshot import wide_characters


def test_wide_characters_take_two_cells_in_the_svg() -> None:
    svg = ('<text class="r1" x="0" y="20" textLength="24.4" clip-path="url(#l1)">深圳</text>'
           '<text class="r1" x="48.8" y="20" textLength="36.6" clip-path="url(#l1)">a&#160;b</text>')
    fixed = wide_characters(svg)
    assert 'textLength="48.8" clip-path="url(#l1)">深圳</text>' in fixed  # rich gives len(): 2 cells, not 4
    assert 'textLength="36.6" clip-path="url(#l1)">a&#160;b</text>' in fixed


def test_make_screenshot_draws_the_side_by_side_reader(tmp_path: Path) -> None:
    out = tmp_path / "reader.svg"
    r = subprocess.run([sys.executable, "-m", "tui.screenshot", str(out)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "002&#160;zh&#160;⇄&#160;000&#160;ar" in svg
    assert "Speakers&#160;10" in svg and "Places&#160;17" in svg
