"""An import-linter contract that import-linter does not ship: no module
imports another package's private names (``from corpus.loader import
_auto_id`` in ``index/``), nor its private modules (``corpus._x``).

A name is private when it starts with one underscore; dunders are not.
Imports inside one package are that package's own business. Configured in
pyproject.toml (``[tool.importlinter]``) and run by ``lint-imports``.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(module: str, source: str, packages: set[str], is_package: bool = False) -> list[tuple[int, str]]:
    """(line, what) for each private name of another package that ``source``
    (the text of ``module``, an ``__init__`` when ``is_package``) imports."""
    own = module.split(".")[0]
    package_path = module.split(".") + ([""] if is_package else [])  # "." is the package itself
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module
                base = package_path[: len(package_path) - node.level]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            top = target.split(".")[0]
            if top not in packages or top == own:
                continue
            parts = target.split(".")
            for alias in node.names:
                if any(_private(p) for p in parts[1:]) or _private(alias.name):
                    found.append((node.lineno, f"from {target} import {alias.name}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in packages and parts[0] != own and any(_private(p) for p in parts[1:]):
                    found.append((node.lineno, f"import {alias.name}"))
    return found


class PrivateNamesContract(Contract):
    type_name = "private"
    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        packages = {str(p) for p in self.packages}  # type: ignore[attr-defined]
        broken: list[str] = []
        for module in sorted(m for m in graph.modules if m.split(".")[0] in packages):
            spec = importlib.util.find_spec(module)
            if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
                continue
            source = Path(spec.origin).read_text(encoding="utf-8")
            found = private_imports(module, source, packages, spec.origin.endswith("__init__.py"))
            broken += [f"{module}:{line}: {what}" for line, what in found]
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["broken"]:
            output.print_error(line)
            output.new_line()
