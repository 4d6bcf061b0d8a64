"""End to end: the installed ``briefing`` in a real terminal (tmux), driven
by send-keys and read with capture-pane, as a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR
from tests.conftest import BRIEFING

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is installed by `make test`")


def tmux_cmd(name: str) -> list[str]:
    """tmux on a server of the session's own (``-L``): with one shared
    server, a test starting a session while another test's last session
    ends could meet the server on its way out ("server exited
    unexpectedly")."""
    return ["tmux", "-L", name]


class Tmux:
    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, *keys: str) -> None:
        subprocess.run([*tmux_cmd(self.name), "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*tmux_cmd(self.name), "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=True
        ).stdout

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        """The screen once every one of ``texts`` is on it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{texts!r} never all appeared; screen:\n{self.screen()}")

    def settled(self, *texts: str, still: float = 0.6, timeout: float = 30) -> str:
        """The screen once every one of ``texts`` is on it and it has not
        changed for ``still`` seconds: the answer to the last key typed,
        not to a key before it, whose results may hold the same words."""
        end = time.monotonic() + timeout
        screen = self.wait_for(*texts, timeout=timeout)
        while time.monotonic() < end:
            time.sleep(still)
            again = self.screen()
            if again == screen and all(t in screen for t in texts):
                return screen
            screen = again
        raise AssertionError(f"the screen never settled with {texts!r}:\n{self.screen()}")

    def type_in_bar(self, text: str, tries: int = 3) -> None:
        """Type ``text`` into the focused search bar a key at a time, as a
        person does, until the bar shows it whole. (Once, on a loaded
        machine, the first key of "~universities …" never reached the bar;
        the reader then searched for the words, not by meaning.) ctrl+u
        clears the bar for another try."""
        for _ in range(tries):
            for ch in text:
                self.send("-l", ch)
                time.sleep(0.02)
            end = time.monotonic() + 5
            while time.monotonic() < end:
                if text in self.screen().splitlines()[1]:
                    return
                time.sleep(0.1)
            self.send("C-u")
        raise AssertionError(f"the search bar never showed {text!r}:\n{self.screen()}")

    def footer_keys(self, shown: bool, timeout: float = 30) -> None:
        """Wait until the footer shows the reader's letter keys (the lists
        have focus), or hides them (the search bar or a prompt has it: a
        letter typed now is text)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if ("a Articles" in self.screen().splitlines()[-1]) == shown:
                return
            time.sleep(0.1)
        raise AssertionError(f"the footer never {'showed' if shown else 'hid'} the keys:\n{self.screen()}")

    def quit(self) -> None:
        """Press q and check the reader ends (and takes the pane with it)."""
        self.send("q")
        for _ in range(50):
            if not self.alive():
                break
            time.sleep(0.1)
        assert not self.alive()

    def alive(self) -> bool:
        has = subprocess.run([*tmux_cmd(self.name), "has-session", "-t", self.name], capture_output=True)
        return has.returncode == 0


@contextmanager
def session(cmd: str, width: int = 120, height: int = 36, prefix: str = "briefing") -> Iterator[Tmux]:
    """A detached tmux session of exactly ``width`` x ``height`` running ``cmd``, killed afterwards."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    subprocess.run([*tmux_cmd(name), "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), cmd],
                   check=True)
    # detached sessions may otherwise follow the server's default size (80x24)
    subprocess.run([*tmux_cmd(name), "set-option", "-t", name, "window-size", "manual"], check=True)
    subprocess.run([*tmux_cmd(name), "resize-window", "-t", name, "-x", str(width), "-y", str(height)], check=True)
    try:
        yield Tmux(name)
    finally:
        subprocess.run([*tmux_cmd(name), "kill-session", "-t", name], capture_output=True)


def _env(bundled_index: Path) -> str:
    return f"env -u COLUMNS -u LINES BRIEFING_CORPUS={BUNDLED_DIR} BRIEFING_INDEX={bundled_index} TERM=xterm-256color"


@pytest.fixture
def tmux(bundled_index: Path) -> Iterator[Tmux]:
    with session(f"{_env(bundled_index)} {BRIEFING}") as t:
        yield t


def test_open_interview_search_and_quit(tmux: Tmux) -> None:
    tmux.wait_for("5 articles · 187 paragraphs", "2020-05-18 zh ⇄ “广深科创1+1”", "Чжуншань привлекает",
                  "─ Overview ─", "Dates: 2020-05-17 … 2020-05-18 (3 undated)", "  000 ar ⇄ 002 zh")
    tmux.send("Enter")  # 002, the newest
    tmux.wait_for("002 · zh · 2020-05-18", "本期云桌会嘉宾", "  1 “广深科创1+1”云桌会")
    for _ in range(5):
        tmux.send("j")
    tmux.send("/")
    tmux.footer_keys(shown=False)  # the search bar has focus: the letters that follow are text
    tmux.type_in_bar("Shenzhen")
    # Each hit is cut to the row around its first match: an Arabic hit, drawn right to left, ends
    # with its start, the match beside it ("…" where the text goes on, at its start and its end).
    screen = tmux.wait_for("hits · Shenzhen → 深圳 · شنتشن", "003 ¶3 zh …圳)建于龙岗、扎根龙岗",
                           "000 ¶5 ar …لمع ، Shuangcheng " + "وشنتشن"[::-1] + "…")
    assert "Traceback" not in screen
    tmux.send("Escape")
    tmux.footer_keys(shown=True)
    tmux.quit()


@pytest.fixture
def tmux_float32(float32_index: Path) -> Iterator[Tmux]:
    """The reader on the index embedded in float32 (tests.conftest.float32_index):
    similarities the same to the second decimal on every CPU."""
    with session(f"{_env(float32_index)} {BRIEFING}") as t:
        yield t


def test_a_meaning_query_and_like_this(tmux_float32: Tmux) -> None:
    """An English query by meaning finds the Chinese articles; l in the
    reader lists paragraphs like the one under the cursor elsewhere."""
    tmux = tmux_float32
    tmux.wait_for("5 articles · 187 paragraphs")
    tmux.send("/")
    tmux.footer_keys(shown=False)
    time.sleep(0.5)  # the bar has focus before the first letter arrives
    tmux.type_in_bar("~universities and districts cooperating")
    # the first hits, each after its similarity
    screen = tmux.settled("Similar 20", "20 most similar paragraphs, by meaning")
    hits = [line.split("│")[1].rstrip() for line in screen.splitlines() if " 003 ¶" in line]
    assert hits[:2] == ["0.37 003 ¶12 zh 亮点二:共建粤港澳国…", "0.36 003 ¶8 zh 协议深度解读:“八大亮…"]
    assert "Traceback" not in screen
    tmux.send("Escape")
    tmux.footer_keys(shown=True)  # the hit list has focus
    tmux.send("Enter")
    tmux.wait_for("003 · zh")
    time.sleep(0.3)
    tmux.send("l")
    screen = tmux.wait_for("Like 003 ¶12 · 20", "paragraphs like 003 ¶12 in other articles, by meaning")
    assert "Traceback" not in screen
    tmux.quit()


def test_places_pane_lists_cities_then_countries_with_their_country(tmux: Tmux) -> None:
    """The Places pane, as a person sees it: cities with their country code
    first, the country from the world gazetteer after the regions; Enter on
    a place lists its mentions."""
    tmux.wait_for("5 articles · 187 paragraphs", "Places 17", "Shenzhen CN")
    tmux.send("c")
    time.sleep(0.5)  # the pane has focus before the cursor keys arrive
    for _ in range(16):
        tmux.send("j")
        time.sleep(0.15)
    screen = tmux.wait_for("China country")
    assert "Traceback" not in screen
    tmux.send("Enter")
    tmux.wait_for("Mentions 13", "000 ¶8 ar")
    tmux.quit()


def test_m_draws_the_world_map(tmux: Tmux) -> None:
    tmux.wait_for("5 articles · 187 paragraphs")
    tmux.send("m")
    screen = tmux.wait_for("Map · 10 places · the whole corpus", "● Shenzhen 231", "Escape, q or m closes")
    assert "⬤" in screen and "Traceback" not in screen  # Shenzhen, the most mentioned, drawn largest
    tmux.send("m")
    tmux.wait_for("Overview")
    tmux.quit()


def test_side_by_side_follows_the_cursor(tmux: Tmux) -> None:
    """Open the Chinese interview, toggle side by side, move down five
    paragraphs: the Arabic column shows the aligned paragraph (002¶6 ↔ 000¶4)."""
    tmux.wait_for("5 articles · 187 paragraphs")
    tmux.send("Enter")  # 002, the newest
    tmux.wait_for("002 · zh · 2020-05-18")
    tmux.send("t")
    tmux.wait_for("002 zh ⇄ 000 ar · conf 1.00")
    for _ in range(5):
        tmux.send("j")
    # tmux does not reorder Arabic, so the reader draws it in visual order
    # (--bidi auto): "كيف تنتقل Guangshen" reads "Guangshen لقتنت فيك" on screen.
    screen = tmux.wait_for("广深如何从你追我赶的竞合态势", "Guangshen لقتنت فيك")
    row = next(line for line in screen.splitlines() if "广深如何从你追我赶" in line)
    assert "ومنافسة مطاردتك"[::-1] in row  # 000¶4 on the same screen row as 002¶6: aligned
    assert "Traceback" not in screen
    tmux.quit()


def test_reader_leaves_when_its_terminal_goes_away_without_a_hangup_signal(bundled_index: Path) -> None:
    """A reader that never gets SIGHUP (here it ignores it, as under some
    wrappers) must still end when its terminal is closed, not spin on the
    dead terminal at full CPU."""
    import os

    name = f"briefing-{uuid.uuid4().hex[:8]}"
    cmd = (f"trap '' HUP; exec env BRIEFING_CORPUS={BUNDLED_DIR} BRIEFING_INDEX={bundled_index} "
           f"TERM=xterm-256color {BRIEFING}")
    subprocess.run([*tmux_cmd(name), "new-session", "-d", "-s", name, "-x", "120", "-y", "36", cmd], check=True)
    t = Tmux(name)
    pid = int(subprocess.run([*tmux_cmd(name), "display-message", "-p", "-t", name, "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout)
    try:
        t.wait_for("5 articles · 187 paragraphs")
        subprocess.run([*tmux_cmd(name), "kill-session", "-t", name], check=True)
        end = time.monotonic() + 15
        while time.monotonic() < end:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the reader outlived its terminal")
    finally:
        subprocess.run([*tmux_cmd(name), "kill-session", "-t", name], capture_output=True)
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass


@pytest.fixture
def shell(bundled_index: Path) -> Iterator[Tmux]:
    """A bash prompt 40 columns wide, with the bundled index in its environment."""
    with session(
        f"{_env(bundled_index)} PS1='$ ' bash --norc --noprofile", width=40, height=50, prefix="briefing-sh"
    ) as t:
        yield t


def test_cli_in_a_narrow_terminal_and_in_a_pipefail_script(shell: Tmux) -> None:
    """At 40 columns the tables keep ids whole (a block per row when the
    columns do not fit); a closed pipe is status 0 for `set -o pipefail`;
    the reader without a terminal says so instead of drawing for ever."""
    shell.send(f"{BRIEFING} articles", "Enter")
    screen = shell.wait_for("      id  004", "   title  Чжуншань привлекает", "versions  000")
    assert "      id  002" in screen and "      id  003" in screen
    shell.send("clear", "Enter")
    shell.send(f"{BRIEFING} articles | cut -f1", "Enter")  # piped: tab-separated, whole rows
    shell.wait_for("id\n000\n001\n002\n003\n004")
    shell.send("clear", "Enter")
    shell.send(f"set -o pipefail; {BRIEFING} show 002 | head -1; echo rc=$?", "Enter")
    shell.wait_for("rc=0")
    shell.send("clear", "Enter")
    shell.send(f"{BRIEFING} < /dev/null > /tmp/briefing-no-tty.out; echo rc=$?", "Enter")
    screen = shell.wait_for("rc=2")
    assert "needs a terminal" in screen


def test_clip_briefing_sort_by_date_and_watches(bundled_index: Path, tmp_path: Path) -> None:
    """b clips the paragraph under the cursor with a note, B shows the
    briefing (with the Arabic version's paragraph), o orders hits by date,
    and the palette's Watches lists a saved search and runs it."""
    data = tmp_path / "data"
    env = dict(os.environ, XDG_DATA_HOME=str(data), BRIEFING_CORPUS=str(BUNDLED_DIR), BRIEFING_INDEX=str(bundled_index))
    subprocess.run([BRIEFING, "watch", "add", "Zhongshan", "--name", "zs"], env=env, check=True, capture_output=True)
    with session(f"{_env(bundled_index)} XDG_DATA_HOME={data} {BRIEFING}") as tmux:
        tmux.wait_for("5 articles · 187 paragraphs", "─ Overview ─")
        tmux.send("Enter")  # 002, the newest
        tmux.wait_for("002 · zh · 2020-05-18")
        for _ in range(6):
            tmux.send("j")
        tmux.send("b")
        tmux.wait_for("Clip 002 ¶7 to briefing default. Note (optional):")
        for ch in "launch":
            tmux.send(ch)
        tmux.send("Enter")
        tmux.wait_for("Clipped 002 ¶7 to briefing default (clip 1)")
        tmux.send("B")
        screen = tmux.wait_for("Briefing default: 1 clip", " 1. 2020-05-18 zh 002 ¶7", "with ar ¶5", "✎ launch",
                               "K Move up")
        assert "Traceback" not in screen
        tmux.send("Escape")
        tmux.footer_keys(shown=True)  # the briefing is closed: the reader has the keys again
        tmux.wait_for("002 · zh · 2020-05-18")
        tmux.send("/")
        tmux.footer_keys(shown=False)  # the search bar has focus: the letters that follow are text
        tmux.type_in_bar("Guangzhou")
        tmux.wait_for("77 hits · Guangzhou")
        tmux.send("Escape")
        tmux.footer_keys(shown=True)
        tmux.send("o")
        screen = tmux.wait_for("Hits 77 · newest first", "2020-05-18 002 ¶7 zh")
        assert "Traceback" not in screen
        tmux.send("C-p")  # the Watches entry of the command palette
        tmux.wait_for("Search for commands")
        for ch in "Watches":
            tmux.send(ch)
        tmux.wait_for("Saved searches and their new hits")
        tmux.send("Enter")
        tmux.wait_for("Watches 1: new hits since each last ran", "zs  Zhongshan  0 new")
        tmux.send("Enter")  # runs its query
        screen = tmux.wait_for("6 hits · Zhongshan")
        assert "Traceback" not in screen
        tmux.quit()
    stored = (data / "briefing" / "briefings" / "default.yaml").read_text(encoding="utf-8")
    assert "paragraph: 7" in stored and "note: launch" in stored
