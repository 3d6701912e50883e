"""The tree is the architecture: one folder per feature, imports that only point down, no
cycles, and the test-package builder out of the runtime's reach."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import pipeline

from .conftest import ROOT

PACKAGE = ROOT / "pipeline"
#: Each feature's layer; a module may import its own feature and any lower layer.
LAYERS = {
    "model": 0,
    "infra": 1,
    "ingest": 2, "mt": 2,
    "formats": 3, "glossary": 3,
    "memory": 4, "qa": 4, "store": 4,
    "run": 5,
    "api": 6, "workspace": 6,
    "cli": 7, "__main__": 8,
    "testing": 9,
}
#: What any module may take from the package root (not the API: that would import a run).
ROOT_NAMES = {"__version__"}


def _modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
            for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, *, top_level_only: bool = False) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every ``pipeline`` import, inside functions too unless asked;
    imports under ``if TYPE_CHECKING:`` are left out (they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "pipeline":
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names
                      if a.name.split(".")[0] == "pipeline"]
    return found


def _feature(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "api"


def test_every_module_lives_in_a_feature_folder():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "api.py"]
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} \
        == set(LAYERS) - {"api", "__main__"}


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_only_point_down(module):
    own = _feature(module)
    for target, names, line in _imports(_modules()[module]):
        if target == "pipeline":
            assert set(names) <= ROOT_NAMES or own in ("cli", "__main__", "testing"), \
                f"{module}:{line} imports {names} from the package root"
            continue
        other = _feature(target)
        assert other in LAYERS, f"{module}:{line}: unknown feature {other!r}"
        assert other == own or LAYERS[other] < LAYERS[own], \
            f"{module}:{line} ({own}, layer {LAYERS[own]}) imports {target} " \
            f"({other}, layer {LAYERS[other]})"


def test_no_import_cycle_between_modules():
    modules = _modules()
    graph = {m: {t for t, _, _ in _imports(p, top_level_only=True) if t in modules and t != m}
             for m, p in modules.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_every_module_imports_on_its_own():
    """Catches cycles that only show when a module is imported first."""
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        importlib.import_module(info.name)


@pytest.mark.parametrize("package", ["pipeline", "pipeline.glossary"])
def test_exported_names_are_not_shadowed_by_submodules(package):
    """A lazily exported ``enforce`` must stay the function after ``pipeline.glossary.enforce``
    (a module) was imported somewhere."""
    module = importlib.import_module(package)
    for info in pkgutil.iter_modules(module.__path__):
        importlib.import_module(f"{package}.{info.name}")
    for name in module.__all__:
        value = getattr(module, name)
        assert not isinstance(value, type(pipeline)), f"{package}.{name} is a module"
