"""Hypothesis strategies for hostile queries, shared by the index, CLI and
reader tests: random Unicode, unbalanced quotes and brackets, lone operators,
filters with no value, control characters and huge inputs."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = [
    "AND", "OR", "NOT", "(", ")", '"', "'", "lang:", "city:", "speaker:", "kind:", "article:", "lang:zz",
    "city:Atlantis", "kind:nope", "*", "?", "~", "^2", "\\", ":", "::", "深圳", "شنتشن", "Чжуншаню", "Kooperation",
    "[bold]", "[/]", "\x1b[2J", "\u202e", "\u200b", "\x00", "   ", "\n", "粤港澳大湾区", "وشنتشن", "-", "+", "{}", "[]",
]

queries = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=10).map("".join),
    st.integers(min_value=1000, max_value=20000).map(lambda n: "深圳 " * (n // 3)),  # huge
)
