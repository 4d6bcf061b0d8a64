"""The HTML export in a real browser (issue 17): headless Chromium renders
a briefing with a Chinese clip and its Arabic version, and the screenshot
shows the Arabic passage laid out right to left (its quote bar on the right,
its lines flush right and ragged left) and the Chinese one left to right.

Chromium and the fonts come from Debian (``make system-deps``)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BRIEFING, env_for

BAR = (0xB8, 0x86, 0x0B)  # the quote bar of tui/export.py's CSS (border-inline-start)
WIDTH, HEIGHT = 1000, 1100


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        pytest.fail("Chromium is not installed: `make system-deps` installs it (Debian package chromium)")
    return found


def screenshot(html: Path, png: Path, profile: Path) -> None:
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={png}", html.as_uri()],
        capture_output=True, timeout=120, check=True)


def bars(img) -> list[tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """The quote bars: (x0, x1, y0, y1) of each solid run of the bar colour."""
    px = img.load()
    columns: dict[int, list[int]] = {}
    for x in range(img.width):
        ys = [y for y in range(img.height) if px[x, y][:3] == BAR]
        if len(ys) > 20:
            columns[x] = ys
    found: list[tuple[int, int, int, int]] = []
    for x in sorted(columns):
        ys = columns[x]
        runs, start = [], ys[0]
        for a, b in zip(ys, ys[1:] + [None], strict=True):  # type: ignore[operator]
            if b is None or b != a + 1:
                runs.append((start, a))
                start = b
        for y0, y1 in runs:
            for i, (bx0, bx1, by0, by1) in enumerate(found):
                if bx1 == x - 1 and abs(by0 - y0) <= 1 and abs(by1 - y1) <= 1:
                    found[i] = (bx0, x, by0, by1)
                    break
            else:
                found.append((x, x, y0, y1))
    return [b for b in found if b[3] - b[2] > 20]


def lines(img, x0: int, x1: int, y0: int, y1: int) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(leftmost, rightmost) ink of each text line in the box: runs of rows
    with ink, joined across small gaps (Arabic dots sit apart from their
    letters), at least a few pixels tall."""
    px = img.load()
    rows = [(y, [x for x in range(x0, x1) if sum(px[x, y][:3]) < 300]) for y in range(y0, y1 + 1)]
    bands: list[list[tuple[int, list[int]]]] = []
    for y, ink in rows:
        if not ink:
            continue
        if bands and y - bands[-1][-1][0] <= 4:
            bands[-1].append((y, ink))
        else:
            bands.append([(y, ink)])
    return [(min(min(ink) for _, ink in band), max(max(ink) for _, ink in band))
            for band in bands if band[-1][0] - band[0][0] >= 8]


def test_html_export_lays_out_arabic_right_to_left(tmp_path: Path, bundled_index: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    env = env_for(Path(__file__).resolve().parents[1] / "corpus" / "bundled", bundled_index)
    subprocess.run([BRIEFING, "clip", "002", "7"], env=env, check=True, capture_output=True, timeout=120)
    html = tmp_path / "briefing.html"
    subprocess.run([BRIEFING, "export", "--format", "html", "-o", str(html)], env=env, check=True,
                   capture_output=True, timeout=120)
    png = tmp_path / "briefing.png"
    screenshot(html, png, tmp_path / "chromium-profile")
    img = Image.open(png).convert("RGB")
    assert img.size == (WIDTH, HEIGHT)

    found = sorted(bars(img), key=lambda b: b[2])  # top to bottom: the Chinese clip, then its Arabic version
    assert len(found) == 2, found
    zh, ar = found
    assert zh[0] < WIDTH * 0.15, zh  # the Chinese bar on the left
    assert ar[1] > WIDTH * 0.85, ar  # the Arabic bar on the right: inline-start is the right in RTL

    # The Chinese passage: lines flush left against its bar.
    zh_lines = lines(img, zh[1] + 1, WIDTH - 40, zh[2], zh[3])
    assert len(zh_lines) >= 2
    assert max(left for left, _ in zh_lines) - min(left for left, _ in zh_lines) <= 4
    assert zh_lines[0][0] - zh[1] < 40
    assert max(right for _, right in zh_lines) - min(right for _, right in zh_lines) > 30

    # The Arabic passage: lines flush right against its bar, ragged on the left.
    ar_lines = lines(img, 40, ar[0] - 1, ar[2], ar[3])
    assert len(ar_lines) >= 3, ar_lines
    rights = [right for _, right in ar_lines]
    assert max(rights) - min(rights) <= 4, ar_lines
    assert ar[0] - max(rights) < 40
    lefts = [left for left, _ in ar_lines]
    assert max(lefts) - min(lefts) > 30, ar_lines  # ragged on the left, as Chinese is on the right
