"""No import cycle inside ``ext/govreport``, at any depth (issue 20).

The graph is read from the source with ``ast``, not by importing it: every
``import`` and ``from … import`` counts wherever it is written (module level,
inside a function, under ``if TYPE_CHECKING``), relative imports are resolved,
and ``from pkg import name`` is an edge to ``pkg.name`` when that is a module
(and to ``pkg`` itself, whose ``__init__`` runs first). A module's import of its
own enclosing packages is not an edge: Python initialises them before it anyway.
Same rules as ``shared/tools/importcycles.py``.
"""

from __future__ import annotations

import ast
from itertools import pairwise
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "govreport"

#: Cycles left on purpose, each as its sorted module names; any other cycle fails.
KNOWN_CYCLES: list[list[str]] = []

#: The package's parts from the bottom up (issue 20): a module imports its own part and the
#: layers below it, never a layer above nor another part of its own layer (except at the bottom).
LAYERS: list[set[str]] = [
    {"findings", "findingcodes", "pycache"},  # the finding model, its generated code list, the pickled values
    {"format"},  # the spec, its validation, the vocabulary read from it
    {"model"},  # a report's files: read, written, all or none
    {"checks"},  # the rules, running them as a batch, their cache, their summary
    {"edition", "web", "importer", "workbench"},  # PDF/Word/open data, the site's parts, import, the writer's preview
    {"portal"},  # many reports: roll-ups, archives, 内容雷同, publishing, the province
    {"sphinxext", "cli"},  # the two front ends
]
#: Outside the layers: the package's ``__init__`` registers the portal's hooks into loading
#: and checking; ``python -m govreport`` and ``python -m govreport.district`` are commands.
ENTRY_POINTS = {"govreport", "govreport.__main__", "govreport.district"}

Graph = dict[str, dict[str, tuple[Path, int]]]  # module -> {module it imports: (file, line of an import: module level first)}


def module_name(package_dir: Path, path: Path) -> str:
    """``ext/govreport/checks/pipeline.py`` -> ``govreport.checks.pipeline``."""
    parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package_dir: Path) -> Graph:
    """Every module of the package and the package's modules each one imports."""
    files = {module_name(package_dir, p): p for p in sorted(package_dir.rglob("*.py"))}
    graph: Graph = {m: {} for m in files}
    for m, path in files.items():
        here = m.split(".") if path.name == "__init__.py" else m.split(".")[:-1]  # the package a relative import starts from
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else [])) if node.level else node.module or ""
                targets = [base, *(f"{base}.{a.name}" for a in node.names)]
            else:
                continue
            for t in targets:
                while t not in files and "." in t:  # a name inside a module: the module
                    t = t.rsplit(".", 1)[0]
                if t in files and t != m and not m.startswith(t + "."):
                    graph[m].setdefault(t, (path, node.lineno))
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """One shortest cycle through each strongly connected group of modules, as a path
    ``[a, b, …, a]`` starting at the group's first module by name."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan; the package has ~160 modules, recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    out = []
    for group in sorted(groups):
        start, members = group[0], set(group)
        came: dict[str, str] = {}
        frontier = [start]
        while frontier and start not in came:  # breadth first: the shortest way back to start
            nxt = []
            for v in frontier:
                for w in sorted(graph[v]):
                    if w in members and w not in came:
                        came[w] = v
                        nxt.append(w)
            frontier = nxt
        path = [start]
        v = came[start]
        while v != start:
            path.append(v)
            v = came[v]
        out.append([start, *reversed(path[1:]), start])
    return out


def layer_breaches(graph: Graph, layers: list[set[str]], entry_points: set[str], root: Path) -> list[str]:
    """Each import against the layers, as ``a → b (a.py:3)``; a part in no layer is one too."""
    rank = {part: i for i, parts in enumerate(layers) for part in parts}
    out = []
    for m, imported in sorted(graph.items()):
        if m in entry_points:
            continue
        part = m.split(".")[1]
        if part not in rank:
            out.append(f"{m}: in no layer")
            continue
        for t, (path, line) in sorted(imported.items()):
            to = t.split(".")[1]
            if to != part and to in rank and not (rank[to] < rank[part] or rank[to] == rank[part] == 0):
                out.append(f"{m} → {t}（{path.relative_to(root).as_posix()}:{line} 导入）")
    return out


def describe(graph: Graph, cycle: list[str], root: Path) -> str:
    """``a → b (b.py:12) → a (a.py:3)``: each step with the import that makes it."""
    steps = [cycle[0]]
    for a, b in pairwise(cycle):
        path, line = graph[a][b]
        steps.append(f"{b}（{path.relative_to(root).as_posix()}:{line} 导入）")
    return " → ".join(steps)


def test_govreport_has_no_import_cycle() -> None:
    graph = import_graph(PACKAGE)
    # Not vacuous: the package is read, with imports inside functions.
    assert len(graph) > 100 and "govreport.checks.checkrun" in graph["govreport.cli.commands"]
    found = [c for c in cycles(graph) if sorted(set(c)) not in KNOWN_CYCLES]
    assert not found, "import cycles:\n" + "\n".join(describe(graph, c, PACKAGE.parent) for c in found)


def test_govreport_imports_down_its_layers() -> None:
    graph = import_graph(PACKAGE)
    assert {m.split(".")[1] for m in graph if m not in ENTRY_POINTS} == set().union(*LAYERS)  # every part placed, none stale
    assert not layer_breaches(graph, LAYERS, ENTRY_POINTS, PACKAGE.parent), "\n".join(layer_breaches(graph, LAYERS, ENTRY_POINTS, PACKAGE.parent))


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_a_function_local_import_is_found(tmp_path: Path) -> None:
    pkg = _write(tmp_path, {
        "pkg/__init__.py": "from . import a\n",
        "pkg/a.py": "from .b import helper\n",
        "pkg/b.py": "def helper():\n    from pkg import a  # hidden in a function\n    return a\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..b import helper\nimport pkg.sub\nimport os\n",
    })
    graph = import_graph(pkg)
    assert graph == {
        "pkg": {"pkg.a": (pkg / "__init__.py", 1)},  # from . import a: the module a
        "pkg.a": {"pkg.b": (pkg / "a.py", 1)},  # a name inside pkg.b: pkg.b
        "pkg.b": {"pkg.a": (pkg / "b.py", 2)},  # only a.py: pkg is b's own package
        "pkg.sub": {},
        "pkg.sub.c": {"pkg.b": (pkg / "sub" / "c.py", 3)},  # ..b from pkg/sub/c.py; TYPE_CHECKING counts
    }
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]
    assert describe(graph, ["pkg.a", "pkg.b", "pkg.a"], tmp_path) == "pkg.a → pkg.b（pkg/a.py:1 导入） → pkg.a（pkg/b.py:2 导入）"


@pytest.mark.parametrize("late", ["from .a import f\n", "import pkg.a\n"])
def test_the_shortest_cycle_of_a_group_is_named(tmp_path: Path, late: str) -> None:
    pkg = _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b, z\n",
        "pkg/b.py": "from . import c\n",
        "pkg/c.py": "from .a import f\n",
        "pkg/z.py": "def g():\n    " + late.rstrip() + "\n",
    })
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.z", "pkg.a"]]


def test_no_cycle_no_finding(tmp_path: Path) -> None:
    pkg = _write(tmp_path, {"pkg/__init__.py": "from .a import f\n", "pkg/a.py": "from . import b\n", "pkg/b.py": "import json\n"})
    assert cycles(import_graph(pkg)) == []


def test_an_import_up_or_across_a_layer_is_found(tmp_path: Path) -> None:
    pkg = _write(tmp_path, {
        "pkg/__init__.py": "from .top import run\n",  # an entry point: anything
        "pkg/base.py": "",
        "pkg/low/__init__.py": "",
        "pkg/low/a.py": "from ..base import x\nfrom . import b\n",  # down, and its own part: fine
        "pkg/low/b.py": "def f():\n    from ..top import run  # up, hidden in a function\n",
        "pkg/mid1/m.py": "from ..mid2 import n\n",  # across its own layer
        "pkg/mid2/n.py": "from pkg.low import a\n",
        "pkg/top/__init__.py": "",
        "pkg/stray.py": "",
    })
    layers = [{"base"}, {"low"}, {"mid1", "mid2"}, {"top"}]
    assert layer_breaches(import_graph(pkg), layers, {"pkg"}, tmp_path) == [
        "pkg.low.b → pkg.top（pkg/low/b.py:2 导入）",
        "pkg.mid1.m → pkg.mid2.n（pkg/mid1/m.py:1 导入）",
        "pkg.stray: in no layer",
    ]
