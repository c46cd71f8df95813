"""The benchmark app stays beside the product: installed for development, never imported by it."""

from __future__ import annotations

import ast
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from django.apps import apps
from django.conf import settings

import proposals


def test_bench_app_is_installed_in_a_checkout():
    assert apps.is_installed("bench")


def test_proposals_never_imports_the_bench_app():
    root = Path(proposals.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [
                f"{path.relative_to(root)}: {name}"
                for name in names
                if name == "bench" or name.startswith("bench.")
            ]
    assert offenders == []


def test_the_wheel_leaves_the_bench_app_out():
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    find = pyproject["tool"]["setuptools"]["packages"]["find"]

    def packaged(name: str) -> bool:
        included = any(fnmatch(name, pattern) for pattern in find.get("include", ["*"]))
        return included and not any(fnmatch(name, pattern) for pattern in find.get("exclude", []))

    assert packaged("proposals") and packaged("proposals.api") and packaged("tracker")
    assert not packaged("bench") and not packaged("bench.management.commands")
