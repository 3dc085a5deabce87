"""The import rules of ``docs/architecture.md`` and DESIGN.md ("Layout"), read from the source.

The source under ``src/analysis`` is parsed with :mod:`ast`; nothing is imported. Every import
statement counts, at module level, under ``if TYPE_CHECKING:`` and inside functions alike.

Rules
-----
* **layers**: imports run one way, from a layer to its own layer or the layers below it::

      vocabulary   errors, columns, catalog, periods, running
      stage 1      loaders/*, _engine/*          (loaders and _engine never import each other)
      analyses     volume, frequency, progression, symmetry, pace, weekly_metrics, correlate,
                   rmcorr, workload, acwr
      reassessment reassessment/*
      plots        plots/*
      output       report/*, sample/*
      cli          cli

  ``analysis/__init__.py`` is the face: it imports only loaders, reassessment and errors, and it
  sits on the reassessment layer for the modules that import it.
* **private**: no module imports a ``_name`` from a module of another package. A package is a
  subpackage folder; the flat modules of ``analysis`` share none, so a flat module importing a
  ``_name`` from another flat module breaks the rule too. ``analysis._engine`` is the private
  package the analyses share under plain names, so importing its modules is allowed.
* **cycles**: no import cycle between modules.
* **face**: ``loaders/__init__.py`` stays a face, under 40 lines.

A failure lists every violation as ``file:line imports X from Y (rule)``.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "analysis"

VOCABULARY, STAGE1, ANALYSES, REASSESSMENT, PLOTS, OUTPUT, CLI = range(7)
LAYERS = {  # layer -> its name in messages, and the first components after "analysis." in it
    VOCABULARY: ("vocabulary", "errors columns catalog periods running"),
    STAGE1: ("loaders/_engine", "loaders _engine"),
    ANALYSES: (
        "analyses",
        "volume frequency progression symmetry pace weekly_metrics correlate rmcorr workload acwr"
        " phases spacing outlook testdays",
    ),
    REASSESSMENT: ("reassessment", "reassessment"),
    PLOTS: ("plots", "plots"),
    OUTPUT: ("report/sample", "report sample"),
    CLI: ("cli", "cli"),
}
LAYER_NAMES = {layer: name for layer, (name, _) in LAYERS.items()}
LAYER_OF_TOP = {top: layer for layer, (_, tops) in LAYERS.items() for top in tops.split()}
FACE_MAY_IMPORT = {"loaders", "reassessment", "errors"}
FACE_LAYER = REASSESSMENT
NEVER_EACH_OTHER = {"loaders": "_engine", "_engine": "loaders"}
SHARED_PRIVATE_PACKAGE = f"{PACKAGE}._engine"
LOADERS_FACE_MAX_LINES = 40


@dataclass(frozen=True)
class Module:
    name: str  # analysis.loaders.log; a package's __init__ is named for the package
    path: Path
    where: str  # the path as a violation names it: src/analysis/loaders/log.py
    is_package: bool

    @property
    def package(self) -> str:
        """The package the module belongs to (a package's __init__ belongs to itself)."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Import:
    importer: Module
    line: int
    target: str  # the module the statement reads from (resolved, absolute)
    name: str | None  # the name imported from it (None for `import a.b.c`)

    def describe(self, rule: str) -> str:
        what = self.name if self.name is not None else self.target
        return f"{self.importer.where}:{self.line} imports {what} from {self.target} ({rule})"


@dataclass(frozen=True)
class Tree:
    modules: dict[str, Module]
    imports: dict[str, list[Import]]  # module name -> its imports of the package's modules


def scan(src: Path) -> Tree:
    """Parse every module of ``src/analysis`` (``os.walk``: the notebooks symlink is not followed)."""
    modules = {}
    for folder, dirs, files in os.walk(src / PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = Path(folder).relative_to(src).parts
        for file in sorted(f for f in files if f.endswith(".py")):
            is_package = file == "__init__.py"
            name = ".".join(rel if is_package else (*rel, file[:-3]))
            path = Path(folder) / file
            where = path.relative_to(src.parent).as_posix()
            modules[name] = Module(name, path, where, is_package)
    imports = {name: _imports(module, modules) for name, module in sorted(modules.items())}
    return Tree(modules, imports)


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _imports(module: Module, modules: dict[str, Module]) -> list[Import]:
    """Every import of the package's code, one per imported name, at any depth of the file."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                Import(module, node.lineno, a.name, None) for a in node.names if _ours(a.name)
            ]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            if not _ours(source):
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in modules:  # `from analysis import columns`: a module import
                    found.append(Import(module, node.lineno, submodule, None))
                else:
                    found.append(Import(module, node.lineno, source, alias.name))
    return sorted(found, key=lambda i: (i.line, i.target, i.name or ""))


def _top(name: str) -> str | None:
    """``analysis.loaders.log`` -> ``loaders``; the face ``analysis`` -> None."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def _layer(name: str) -> int | None:
    top = _top(name)
    return FACE_LAYER if top is None else LAYER_OF_TOP.get(top)


def _layer_name(name: str) -> str:
    layer = _layer(name)
    return "face" if _top(name) is None else LAYER_NAMES[layer] if layer is not None else "?"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


# --- the rules ------------------------------------------------------------------------------------


def layer_violations(tree: Tree) -> list[str]:
    out = []
    for name, module in tree.modules.items():
        if _layer(name) is None:
            out.append(f"{module.where}:1 is in no layer (add {_top(name)!r} to LAYER_OF_TOP)")
    for name, imports in tree.imports.items():
        here, here_top = _layer(name), _top(name)
        if here is None:
            continue
        for imp in imports:
            there, there_top = _layer(imp.target), _top(imp.target)
            if here_top is None:  # the face
                if there_top not in FACE_MAY_IMPORT:
                    out.append(imp.describe("face: it imports only loaders, reassessment, errors"))
            elif there is None:
                continue  # a module in no layer, reported above
            elif there > here:
                rule = f"layer: {_layer_name(name)} may not import {_layer_name(imp.target)}"
                out.append(imp.describe(rule))
            elif there_top is not None and NEVER_EACH_OTHER.get(here_top) == there_top:
                out.append(
                    imp.describe(f"layer: {here_top} and {there_top} never import each other")
                )
    return out


def _scope(module: Module) -> str:
    """Where a module's private names may be imported: its subpackage, or itself when flat."""
    return module.name if module.package == PACKAGE and not module.is_package else module.package


def private_violations(tree: Tree) -> list[str]:
    out = []
    for name, imports in tree.imports.items():
        scope = _scope(tree.modules[name])
        for imp in imports:
            parts = imp.target.split(".")
            for i, part in enumerate(parts):  # a private module on the way, other than _engine
                owner, path = ".".join(parts[:i]), ".".join(parts[: i + 1])
                if _private(part) and path != SHARED_PRIVATE_PACKAGE and owner != scope:
                    out.append(imp.describe(f"private: module {part} of another package"))
                    break
            if imp.name is not None and _private(imp.name):
                source = tree.modules.get(imp.target)
                if (_scope(source) if source else imp.target) != scope:
                    out.append(imp.describe("private: a _name from another package"))
    return out


def cycles(tree: Tree) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's SCC)."""
    graph = {
        name: sorted({i.target for i in imports if i.target in tree.modules})
        for name, imports in tree.imports.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return sorted(found)


def cycle_violations(tree: Tree) -> list[str]:
    out = []
    for component in cycles(tree):
        members = set(component)
        rule = "cycle: " + " <-> ".join(component)
        out += [
            imp.describe(rule)
            for name in component
            for imp in tree.imports[name]
            if imp.target in members
        ]
    return out


def _fail(violations: list[str], what: str) -> None:
    if violations:
        report = "\n".join(violations)
        print(report)
        pytest.fail(f"{len(violations)} {what}:\n{report}", pytrace=False)


# --- the rules on the source ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tree() -> Tree:
    return scan(SRC)


def test_the_source_is_found(tree: Tree) -> None:
    assert {"analysis", "analysis.cli", "analysis.loaders", "analysis.loaders.log"} <= set(
        tree.modules
    )
    assert sum(len(i) for i in tree.imports.values()) > 100


def test_imports_run_one_way_through_the_layers(tree: Tree) -> None:
    _fail(layer_violations(tree), "imports against the layers")


def test_no_private_name_is_imported_from_another_package(tree: Tree) -> None:
    _fail(private_violations(tree), "private imports across packages")


def test_no_import_cycle(tree: Tree) -> None:
    _fail(cycle_violations(tree), "imports in a cycle")


def test_loaders_face_is_short() -> None:
    path = SRC / PACKAGE / "loaders" / "__init__.py"
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines < LOADERS_FACE_MAX_LINES, (
        f"{path.relative_to(ROOT)} has {lines} lines; the face re-exports, the code lives in "
        f"the modules (under {LOADERS_FACE_MAX_LINES} lines)"
    )


# --- the checker on a made-up tree with one violation of each kind -------------------------------

FAKE = {
    "__init__.py": "from analysis.loaders import read_logs\nfrom analysis import plots\n",
    "errors.py": "",
    "columns.py": "from analysis.errors import Oops\n",
    "volume.py": (
        "from analysis import columns as C\n"
        "from analysis._engine import sessions\n"
        "from analysis._engine.sessions import _encode\n"
        "from analysis.progression import e1rm\n"
    ),
    "progression.py": "def f():\n    from analysis.plots.style import THEME\n",
    "cli.py": "from analysis import __version__\nfrom analysis.columns import _floats\n",
    "mystery.py": "",
    "loaders/__init__.py": "from .log import read_logs\n",
    "loaders/log.py": "from .base import _sniff\nfrom analysis._engine.stats import z\n",
    "loaders/base.py": "from analysis.loaders.log import read_logs\n",
    "_engine/__init__.py": "",
    "_engine/sessions.py": "from analysis.volume import weekly_volume\n",
    "_engine/stats.py": "",
    "plots/__init__.py": "",
    "plots/style.py": "from ._colours import RED\nfrom analysis.loaders._hidden import x\n",
    "plots/_colours.py": "",
    "loaders/_hidden.py": "",
}


def test_the_checker_finds_each_kind_of_violation(tmp_path: Path) -> None:
    for rel, text in FAKE.items():
        path = tmp_path / "src" / PACKAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    fake = scan(tmp_path / "src")
    a = "src/analysis"
    assert layer_violations(fake) == [
        f"{a}/mystery.py:1 is in no layer (add 'mystery' to LAYER_OF_TOP)",
        f"{a}/__init__.py:2 imports analysis.plots from analysis.plots "
        "(face: it imports only loaders, reassessment, errors)",
        f"{a}/_engine/sessions.py:1 imports weekly_volume from analysis.volume "
        "(layer: loaders/_engine may not import analyses)",
        f"{a}/loaders/log.py:2 imports z from analysis._engine.stats "
        "(layer: loaders and _engine never import each other)",
        f"{a}/progression.py:2 imports THEME from analysis.plots.style "
        "(layer: analyses may not import plots)",
    ]
    assert private_violations(fake) == [
        f"{a}/cli.py:2 imports _floats from analysis.columns "
        "(private: a _name from another package)",
        f"{a}/plots/style.py:2 imports x from analysis.loaders._hidden "
        "(private: module _hidden of another package)",
        f"{a}/volume.py:3 imports _encode from analysis._engine.sessions "
        "(private: a _name from another package)",
    ]
    assert cycles(fake) == [
        ["analysis._engine.sessions", "analysis.volume"],
        ["analysis.loaders.base", "analysis.loaders.log"],
    ]
    assert cycle_violations(fake)[0] == (
        f"{a}/_engine/sessions.py:1 imports weekly_volume from analysis.volume "
        "(cycle: analysis._engine.sessions <-> analysis.volume)"
    )
