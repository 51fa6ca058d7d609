"""Dependencies point one way: nothing below `ui` imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "hengdong_desktop"
# app.py and selftest.py are composition roots (GUI); entry.py and __main__.py dispatch to them or to the CLI.
ENTRY_POINTS = {"app.py", "entry.py", "__main__.py", "selftest.py"}
QT_FREE = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts and p.name not in ENTRY_POINTS]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_qt() -> None:
    assert len(QT_FREE) > 10
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if n.startswith(("PySide6", "shiboken6")) or
                                            n.startswith("hengdong_desktop.ui") or n == "hengdong_desktop.app")
        for p in QT_FREE
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in QT_FREE if "migrations" not in p.parts
    )
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "bad = [m for m in sys.modules if m.startswith('PySide6')]\nassert not bad, bad\n"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
