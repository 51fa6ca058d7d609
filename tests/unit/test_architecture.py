"""Dependencies point one way: nothing below `ui` imports Qt, no module imports in a cycle, and
the UI writes only through operations."""

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
        str(p.relative_to(PACKAGE)): sorted(
            n
            for n in _imports(p)
            if n.startswith(("PySide6", "shiboken6"))
            or n.startswith("hengdong_desktop.ui")
            or n == "hengdong_desktop.app"
        )
        for p in QT_FREE
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts) for p in QT_FREE if "migrations" not in p.parts
    )
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "bad = [m for m in sys.modules if m.startswith('PySide6')]\nassert not bad, bad\n"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# Module import graph --------------------------------------------------------------------------
def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py") if "versions" not in p.parts}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """The nodes under `if TYPE_CHECKING:`, which the type checker reads and Python never runs."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skipped


def imported_modules(name: str) -> set[str]:
    """The package's modules that importing `name` runs: every import statement, those inside
    functions too, with the packages a dotted name passes through (except the module's own
    packages, which Python has imported before the module)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = here.split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        for target in targets:
            parts = target.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in MODULES)
    parts = name.split(".")
    return found - {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


def import_cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_no_module_imports_in_a_cycle() -> None:
    graph = {name: imported_modules(name) for name in MODULES}
    assert "hengdong_desktop.ui.main_window" in graph["hengdong_desktop.app"]
    assert "hengdong_desktop.db.models" in graph["hengdong_desktop.db.audit"]
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"} - {"e"}}
    assert import_cycles(graph) == [{"a", "b", "c"}]


# The UI writes only through operations ---------------------------------------------------------
def _resolve(tree: ast.Module, name: str) -> dict[str, str]:
    """Local names → the package modules or module.function they stand for."""
    here = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = here.split(".")
                base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])])
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
    return aliases


def _target(func: ast.expr, aliases: dict[str, str]) -> str | None:
    """`module.function` for a call like `entry.save(...)`, `save(...)` or `ra.save_unit`."""
    if isinstance(func, ast.Name):
        return aliases.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in aliases:
        return f"{aliases[func.value.id]}.{func.attr}"
    return None


def _dry_run(call: ast.Call) -> bool:
    return any(
        k.arg == "dry_run" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
    )


def writing_services() -> set[str]:
    """Every function of services/ that writes the database: one that opens a write transaction
    (`db.write`, `db.bulk_writes`) or replaces the file (`backups.restore`), or calls such a
    function (a call with `dry_run=True` writes nothing)."""
    calls: dict[str, set[str]] = {}
    writers = {"hengdong_desktop.services.backups.restore"}
    for name in MODULES:
        if not name.startswith("hengdong_desktop.services"):
            continue
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        aliases = _resolve(tree, name)
        for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            qualified = f"{name}.{fn.name}"
            local = {f.name: f"{name}.{f.name}" for f in tree.body if isinstance(f, ast.FunctionDef)}
            found = calls.setdefault(qualified, set())
            for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
                if (
                    isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("write", "bulk_writes")
                    and ast.unparse(call.func.value).endswith("db")
                ):
                    writers.add(qualified)
                elif not _dry_run(call):
                    target = local.get(call.func.id) if isinstance(call.func, ast.Name) else None
                    found.add(target or _target(call.func, aliases) or "")
    while True:
        more = {f for f, called in calls.items() if f not in writers and called & writers}
        if not more:
            return writers
        writers |= more


# Writes before any window exists: the startup recovery restores a damaged database's backup.
BEFORE_THE_WINDOW = {("hengdong_desktop.ui.startup", "_open_after_check")}


def _operation_work(tree: ast.Module) -> set[int]:
    """The nodes of work given to an `Operation(...)`: its lambdas, and functions passed by name."""
    inside: set[int] = set()
    by_name: dict[tuple[int, str], ast.AST] = {}
    for scope in ast.walk(tree):
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            for stmt in ast.walk(scope):
                if isinstance(stmt, ast.FunctionDef):
                    by_name[(id(scope), stmt.name)] = stmt
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.Module):
            continue
        for call in (n for n in ast.walk(scope) if isinstance(n, ast.Call)):
            if not (isinstance(call.func, ast.Name) and call.func.id == "Operation"):
                continue
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                work = by_name.get((id(scope), arg.id)) if isinstance(arg, ast.Name) else arg
                if work is not None:
                    inside.update(id(n) for n in ast.walk(work))
    return inside


def test_the_ui_writes_only_through_operations() -> None:
    writers = writing_services()
    assert {
        "hengdong_desktop.services.entry.save",
        "hengdong_desktop.services.monthly.save_period",
        "hengdong_desktop.services.packages.merge.merge_files",
        "hengdong_desktop.services.demo.generate",
        "hengdong_desktop.services.reference_admin.save_unit",
    } <= writers
    assert "hengdong_desktop.services.packages.merge.verify_files" not in writers  # a dry run
    assert "hengdong_desktop.services.checks.check_database" not in writers
    offenders = []
    for name in MODULES:
        if not name.startswith("hengdong_desktop.ui"):
            continue
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        aliases = _resolve(tree, name)
        allowed = _operation_work(tree) | {
            id(c.func) for c in ast.walk(tree) if isinstance(c, ast.Call) and _dry_run(c)
        }
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef) or (name, fn.name) in BEFORE_THE_WINDOW:
                continue
            for node in ast.walk(fn):
                # a writing service called, or handed on as a value (e.g. a list's `save` function)
                target = _target(node, aliases) if isinstance(node, ast.Name | ast.Attribute) else None
                if target in writers and id(node) not in allowed:
                    offenders.append(f"{name}:{node.lineno} {target}")
        declarations = [n for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign | ast.Expr)]
        for node in declarations:  # at module level (the lists of reference data)
            for ref in ast.walk(node):
                if (
                    isinstance(ref, ast.Attribute)
                    and _target(ref, aliases) in writers
                    and not _declared_for_an_operation(tree, ref)
                ):
                    offenders.append(f"{name}:{ref.lineno} {_target(ref, aliases)}")
    assert sorted(set(offenders)) == []


def _declared_for_an_operation(tree: ast.Module, ref: ast.AST) -> bool:
    """A writing function named in a `ListSpec(save=...)` declaration: `spec.save` is then called
    only inside an Operation's work (checked here)."""
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        if (
            isinstance(call.func, ast.Name)
            and call.func.id == "ListSpec"
            and any(k.arg == "save" and ref in set(ast.walk(k.value)) for k in call.keywords)
        ):
            allowed = _operation_work(tree)
            uses = [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.Attribute)
                and n.attr == "save"
                and isinstance(n.value, ast.Attribute)
                and n.value.attr == "spec"
            ]
            return bool(uses) and all(id(n) in allowed for n in uses)
    return False
