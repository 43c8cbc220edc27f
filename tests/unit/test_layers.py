"""The layer rules of ``docs/architecture.md``, read from the code's own imports (AST).

Every import counts, including those under ``if TYPE_CHECKING:`` and inside functions:
a circle drawn only for the type checker is still a circle a reader has to untangle.

Known violations are listed in ``ALLOWED`` below. The list only shrinks: an entry that
no longer matches the code fails :func:`test_allow_list_has_no_stale_entries`, so
whoever removes a violation also removes its entry.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("workersai", "langchain_workersai", "llamaindex_workersai")
FRONT_ENDS = ("langchain_workersai", "llamaindex_workersai")

CATALOG = "workersai.catalog"
EMULATOR = "workersai.emulator"
TRANSPORT = frozenset({
    "workersai._http", "workersai._http_shell", "workersai._backend", "workersai.binding",
    "workersai._binding_js", "workersai._sse", "workersai._retry", "workersai._errors_map",
    "workersai.config",
})
"""The only I/O and the pure helpers it uses."""
CLIENT_AND_ABOVE = frozenset({"workersai.client", "workersai.tasks", "workersai.batch"})
CATALOG_MAY_IMPORT = frozenset({
    "workersai.errors", "workersai.types", "workersai._json", "workersai.config",
    "workersai._stack",
})
"""Leaves the catalog (data) may use besides itself (``config``: where its cache lives)."""

# Known violations, as (importer, imported) pairs or circles (sorted module names).
ALLOWED_EDGES: frozenset[tuple[str, str]] = frozenset()
ALLOWED_CIRCLES: frozenset[tuple[str, ...]] = frozenset()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` names (or lies inside)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _resolve(alias.name, known)) is not None:
                    yield target
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                target = sub if sub in known else _resolve(base, known)
                if target is not None and target != module:
                    yield target


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module -> the project modules it imports."""
    known = _files()
    return {m: frozenset(_imports(m, p, known)) for m, p in known.items()}


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_private(module: str) -> bool:
    return any(part.startswith("_") for part in module.split(".")[1:])


def circles() -> set[tuple[str, ...]]:
    """Every strongly connected set of two or more modules (Tarjan)."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[tuple[str, ...]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.add(tuple(sorted(group)))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def violations() -> set[tuple[str, str]]:
    """Every (importer, imported) pair that breaks a layer rule."""
    bad: set[tuple[str, str]] = set()
    for module, targets in graph().items():
        for target in targets:
            if _breaks_rule(module, target):
                bad.add((module, target))
    return bad


def _reaches_catalog(module: str) -> bool:
    """Whether ``module`` imports the catalog, directly or through other modules."""
    edges, seen, todo = graph(), set(), [module]
    while todo:
        current = todo.pop()
        if _inside(current, CATALOG):
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(edges.get(current, ()))
    return False


def _breaks_rule(module: str, target: str) -> bool:
    if module.startswith(FRONT_ENDS):
        # front ends: the public core only
        return _inside(target, "workersai") and _is_private(target)
    if _inside(module, CATALOG):
        # the catalog is data: itself and a few leaves
        return not _inside(target, CATALOG) and target not in CATALOG_MAY_IMPORT
    if _inside(module, EMULATOR):
        # the emulator shares only catalog data with the client
        return not (_inside(target, EMULATOR) or _inside(target, CATALOG))
    if module in TRANSPORT:
        # the transport knows no model facts and nothing above it; of wire, only the
        # modules that reach no catalog (the envelope)
        return _inside(target, CATALOG) or any(
            _inside(target, c) for c in CLIENT_AND_ABOVE) or (
            _inside(target, "workersai.wire") and _reaches_catalog(target))
    if _inside(module, "workersai.wire"):
        # wire is pure: no I/O, nothing above it
        return target in TRANSPORT - {"workersai.config"} or any(
            _inside(target, c) for c in CLIENT_AND_ABOVE)
    return False


def test_the_graph_sees_the_packages() -> None:
    edges = graph()
    assert "workersai.client" in edges
    assert "workersai.wire.stream" in edges["workersai.client"]
    assert any(t.startswith("workersai") for t in edges["langchain_workersai.chat_models"])


def test_no_import_circles() -> None:
    new = circles() - ALLOWED_CIRCLES
    assert not new, f"import circles: {sorted(new)}"


def test_layer_rules() -> None:
    new = violations() - ALLOWED_EDGES
    assert not new, "imports across a layer rule:\n" + "\n".join(
        f"  {a} -> {b}" for a, b in sorted(new))


def test_allow_list_has_no_stale_entries() -> None:
    stale = sorted(ALLOWED_EDGES - violations()) + sorted(ALLOWED_CIRCLES - circles())
    assert not stale, f"fixed violations still allowed (remove them): {stale}"


def test_rules_catch_what_they_forbid() -> None:
    assert _breaks_rule("langchain_workersai.x", "workersai._fields")
    assert _breaks_rule("llamaindex_workersai.x", "workersai.tasks._tool_run")
    assert not _breaks_rule("langchain_workersai.x", "workersai.integration")
    assert _breaks_rule("workersai.catalog._x", "workersai.client")
    assert _breaks_rule("workersai.binding", "workersai.catalog")
    assert _breaks_rule("workersai._http", "workersai.wire.chat")  # wire.chat -> catalog
    assert not _breaks_rule("workersai._http", "workersai.wire.envelope")
    assert _breaks_rule("workersai.emulator._app", "workersai.wire.chat")
    assert not _breaks_rule("workersai.emulator._app", "workersai.catalog")
    assert _breaks_rule("workersai.wire.chat", "workersai._http")


def test_no_module_reaches_into_the_client_privates() -> None:
    """Shared call logic lives in ``workersai._ops``; nobody imports ``client._x`` names."""
    found = []
    for module, path in _files().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or module == "workersai.client":
                continue
            name = node.module or ""
            if name == "workersai.client" or (node.level and name == "client"):
                found += [f"{module}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert not found, found
