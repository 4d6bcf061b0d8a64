"""Strict, safe YAML reading with file:line messages.

Only the safe loader (``yaml.CSafeLoader``, or ``yaml.SafeLoader`` without libyaml) is used, so tags that would build objects are refused.
Mappings come back as :class:`LineDict`, which remembers the line of each key,
so validation errors can point at ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """A YAML file is malformed or does not match what we expect."""


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the line (1-based) of its own start and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, on libyaml when PyYAML was built with it (a
    manifest of thousands of entries: 2.4 s in pure Python, 0.2 s with it)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise ConfigError(f"line {key_node.start_mark.line + 1}: mapping keys must be plain scalars")
        key = str(key)
        if key in out:
            raise ConfigError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]


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
