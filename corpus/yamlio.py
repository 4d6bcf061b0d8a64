"""Strict, safe YAML reading with file:line messages.

Only the safe loader (``yaml.CSafeLoader``, or ``yaml.SafeLoader`` without
libyaml) is used, so tags that would build objects are refused.
Mappings come back as :class:`LineDict`, which remembers the line of each key,
so validation errors can point at ``file:line``.

Plain scalars are read as YAML 1.2's core schema reads them, not as YAML
1.1 does: ``2020-13-45`` is a string to be checked (not a date that fails to
construct), ``010`` and ``000`` stay strings as written (not the octal 8 and
0), ``no``/``on``/``yes`` are strings (``lang: no`` is Norwegian), and
``1:30`` is not a base-60 number. Only ``true``/``false``, ``null``/``~``,
decimal integers without a leading zero and decimal floats are typed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A YAML file is malformed or does not match what we expect."""


class LineDict(dict):
    """A dict that knows the line (1-based) of its own start and of each key."""

    line: int = 0
    key_lines: dict[str, int]
    raw: dict[str, Any]  # each plain scalar value (or list of them) exactly as written

    def as_written(self, key: str) -> Any:
        """The value of ``key`` with its plain scalars as the text wrote them
        (``id: 1.10`` is "1.10", not 1.1)."""
        return self.raw.get(key, self.get(key))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, on libyaml when PyYAML was built with it (a
    manifest of thousands of entries: 2.4 s in pure Python, 0.2 s with it),
    with YAML 1.2 core resolution of plain scalars (see the module's docstring)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # An explicitly tagged value that cannot be built (!!timestamp 2020-13-45,
        # !!int x, !!binary ...) raises a bare ValueError or TypeError: give it a line.
        try:
            return super().construct_object(node, deep=deep)
        except (ConfigError, yaml.YAMLError):
            raise
        except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
            raise ConfigError(f"line {node.start_mark.line + 1}: {node.value!r} cannot be read as "
                              f"{node.tag.rsplit(':', 1)[-1]}: {exc}") from exc


_CORE = "tag:yaml.org,2002:"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in {_CORE + t for t in ("bool", "int", "float", "timestamp")}]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_CORE + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_CORE + "int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _CORE + "float",
    re.compile(r"^(?:[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    out.raw = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise ConfigError(f"line {key_node.start_mark.line + 1}: mapping keys must be plain scalars")
        key = str(key)
        if key in out:
            raise ConfigError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag != _CORE + "null":
            out.raw[key] = value_node.value
        elif isinstance(value_node, yaml.SequenceNode) and all(
            isinstance(v, yaml.ScalarNode) and v.tag != _CORE + "null" for v in value_node.value
        ):
            out.raw[key] = [v.value for v in value_node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Load ``path`` safely; every error names the file and, where known, the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except ConfigError as exc:
        raise ConfigError(f"{path}:{str(exc).removeprefix('line ')}") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: malformed YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: malformed YAML: {exc}") from exc


def where(path: Path, node: Any, key: str | None = None) -> str:
    """``file:line`` for a mapping (or one of its keys) loaded by :func:`load_yaml`."""
    if isinstance(node, LineDict):
        line = node.key_lines.get(key, node.line) if key else node.line
        return f"{path}:{line}"
    return str(path)


def check_keys(path: Path, node: Any, allowed: set[str], what: str) -> None:
    """Refuse unknown keys, naming the file, line and the keys that are allowed."""
    if not isinstance(node, dict):
        raise ConfigError(f"{where(path, node)}: {what} must be a mapping, not {type(node).__name__}")
    for key in node:
        if key not in allowed:
            raise ConfigError(
                f"{where(path, node, key)}: unknown key {key!r} in {what}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )


def str_list(path: Path, node: Any, key: str, value: Any) -> tuple[str, ...]:
    """A string or list of strings, as a tuple."""
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v) for v in value)
    raise ConfigError(f"{where(path, node, key)}: {key!r} must be a string or a list of strings")
