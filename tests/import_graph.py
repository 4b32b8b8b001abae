"""The package's imports as a graph, and the two rules it keeps: no circle, and no arrow to a higher layer.

Read from the source with `ast` (nothing is imported), so a planted file in a copy of the package is judged
exactly as the real package is.
"""

from __future__ import annotations

import ast
from pathlib import Path

# The package's layers, lowest first: a module may import from its own layer's package or a lower layer, and
# never from a sibling (editing and releases know nothing of each other).
LAYERS = {"core": 0, "source": 1, "editing": 2, "releases": 2, "site": 3, "cli": 4, "__main__": 5}
# site/'s rooms the same way: the shared helpers, then charts and publishing, then pages, then the build that
# runs them (build, state, block_content, the live preview and the board pack, made from the built pages).
SITE_SHARED = {"blocks", "output", "templates", "escaping"}
SITE_ROOMS = {"shared": 0, "charts": 1, "publishing": 1, "pages": 2, "build": 3}


def module_name(path: Path, package_root: Path) -> str:
    parts = list(path.relative_to(package_root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package_root: Path) -> dict[str, set[str]]:
    """Each module of the package, and the package's modules it imports (at any depth in its code)."""
    paths = {module_name(p, package_root): p for p in package_root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                graph[name] |= _targets(node, package, paths)
            elif isinstance(node, ast.Import):
                graph[name] |= {alias.name for alias in node.names if alias.name in paths}
    return graph


def _targets(node: ast.ImportFrom, package: str, modules: dict[str, Path]) -> set[str]:
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = {f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in modules}
    named_modules = {f"{source}.{alias.name}" for alias in node.names}
    if source in modules and not named_modules <= found:
        found.add(source)
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import one another, directly or round a circle (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph[module]:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _place(module: str) -> tuple[str, str | None]:
    """The module's layer, and within site its room."""
    parts = module.split(".")
    layer = parts[1] if len(parts) > 1 else ""
    if layer != "site" or len(parts) < 3:
        return layer, None
    room = parts[2]
    return layer, "shared" if room in SITE_SHARED else room if room in SITE_ROOMS else "build"


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Every import from a lower layer (or room) to a higher one, or between siblings."""
    wrong = []
    for module, targets in graph.items():
        layer, room = _place(module)
        for target in targets:
            target_layer, target_room = _place(target)
            if not layer or not target_layer:
                continue  # the package's own __init__
            if layer != target_layer:
                if LAYERS[target_layer] >= LAYERS[layer]:
                    wrong.append((module, target))
            elif room and target_room and room != target_room and SITE_ROOMS[target_room] >= SITE_ROOMS[room]:
                wrong.append((module, target))
    return sorted(wrong)
