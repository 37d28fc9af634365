"""The Sphinx extension keeps its per-page state in one Domain (issue 20, item 5).

- No module sets an attribute on the environment or keys state by ``id()`` of the
  environment, the application or the configuration (an AST scan of the package).
- One ``doctree-read`` handler: the page steps run in the order written in ``pagesteps``.
- ``clear_doc`` forgets everything a page left; ``merge_domaindata`` brings back
  exactly what worker processes noted: a build with ``-j 2`` ends with the same
  domain data as a build in one process.
"""

from __future__ import annotations

import ast
import copy
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from govreport.findings import Finding
from govreport.sphinxext import pagesteps
from govreport.sphinxext.domain import GovReportDomain
from govreport.sphinxext.findings import ORPHAN
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.testing.util import SphinxTestApp

PACKAGE = Path(__file__).resolve().parents[1] / "ext" / "govreport"
ROOTS = Path(__file__).resolve().parent / "roots"
#: What a page leaves in the domain: per page, and as the set of pages that have one.
PAGE_MAPS = ("absent", "listing", "findings", "drafts", "digests")
PAGE_SETS = ("cards", "federation")


# ---- no state on env, none keyed by id()


def _is_env(node: ast.expr) -> bool:
    """``env``, ``self.env``, ``app.env``, ``builder.env``…"""
    return (isinstance(node, ast.Name) and node.id == "env") or (isinstance(node, ast.Attribute) and node.attr == "env")


def _is_owner(node: ast.expr) -> bool:
    """What an ``id()`` key would stand for: the environment, the application, the configuration."""
    names = {"env", "app", "config"}
    return (isinstance(node, ast.Name) and node.id in names) or (isinstance(node, ast.Attribute) and node.attr in names)


def state_violations(source: str, where: str = "<source>") -> list[str]:
    """``file:line: what`` for each attribute set on an environment and each ``id()`` of an owner, in line order."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, where)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            if node.func.id in ("setattr", "delattr") and _is_env(node.args[0]):
                found.append((node.lineno, f"{node.func.id}() on env"))
            if node.func.id == "id" and _is_owner(node.args[0]):
                found.append((node.lineno, f"id({ast.unparse(node.args[0])})"))
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for t in targets:
            for part in ast.walk(t):
                if isinstance(part, ast.Attribute) and _is_env(part.value) and isinstance(part.ctx, (ast.Store, ast.Del)):
                    found.append((node.lineno, f"env.{part.attr} set"))
    return [f"{where}:{line}: {what}" for line, what in sorted(found)]


def test_the_scan_finds_what_it_forbids() -> None:
    bad = """
setattr(env, "govreport_x", {})
self.env.govreport_y = set()
app.env.cache: dict = {}
env.counter += 1
del env.old
_D[id(app)] = 1
_E.get(id(self.config))
"""
    assert [v.split(": ", 1)[1] for v in state_violations(bad)] == [
        'setattr() on env', "env.govreport_y set", "env.cache set", "env.counter set", "env.old set", "id(app)", "id(self.config)",
    ]
    # reading is fine, and so is the environment's own API
    assert state_violations("x = env.config\nenv.note_dependency(p)\nd = gov(env).findings\nd[env.docname] = 1\nk = id(node)\n") == []


def test_no_module_sets_attributes_on_env_or_keys_by_id() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += state_violations(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    assert found == []


def test_one_doctree_read_handler() -> None:
    """Page steps are added to ``pagesteps.PAGE_STEPS``, not connected with a priority of their own."""
    connected = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "doctree-read"):
                connected.append(f"{path.relative_to(PACKAGE)}:{ast.unparse(node.args[1])}")
    assert connected == ["sphinxext/pagesteps.py:run_page_steps"]
    assert [s.__name__ for s in pagesteps.PAGE_STEPS] == [
        "add_report_links", "write_report_data", "add_banner", "write_members_data",
        "record_scan", "record_report_findings", "add_signoff", "add_report_nav",
    ]


# ---- clear_doc and merge_domaindata


def _domain() -> GovReportDomain:
    return GovReportDomain(cast(BuildEnvironment, SimpleNamespace(domaindata={})))


def _read(d: GovReportDomain, doc: str, n: int) -> None:
    """What reading ``doc`` leaves behind (``n`` tells two readings apart)."""
    d.absent[doc] = {f"/r/data/{doc}/waivers.toml"}
    d.listing[doc] = [("a", 2020 + n)]
    d.findings[doc] = [Finding.of("X802", f"docs/{doc}.md", line=n, values={"text": "（请"})]
    d.drafts[doc] = "" if n % 2 else "正文中还有模板占位文字"
    d.digests[doc] = {f"/r/docs/{doc}.md": str(n)}
    d.cards.add(doc)
    d.federation.add(doc)


def test_clear_doc_forgets_the_page_only() -> None:
    d = _domain()
    for i, doc in enumerate(["a/2021", "a/2022"]):
        _read(d, doc, i)
    d.findings[ORPHAN + "b/2021"] = [Finding.of("S505", "data/b/2021/report.toml", values={"page": "docs/b/2021.md"})]
    d.nav_seen["years"] = {"a": (2021, 2022)}
    before = copy.deepcopy(d.data)
    d.clear_doc("a/2022")
    for name in PAGE_MAPS:
        assert "a/2022" not in d.data[name] and d.data[name]["a/2021"] == before[name]["a/2021"]
    for name in PAGE_SETS:
        assert d.data[name] == {"a/2021"}
    # not a page's: a report without a page, what the site's pages showed
    assert d.findings[ORPHAN + "b/2021"] == before["findings"][ORPHAN + "b/2021"]
    assert d.nav_seen == before["nav_seen"]


def test_merged_worker_data_equals_reading_in_one_process() -> None:
    docs = ["a/2021", "a/2022", "b/2021", "index"]
    serial = _domain()
    for i, doc in enumerate(docs):
        _read(serial, doc, i)
    # The main process kept a/2021 from an earlier build; it reads the other three in two workers.
    main = _domain()
    _read(main, "a/2021", 0)
    for i, doc in enumerate(docs):
        if doc != "a/2021":
            _read(main, doc, 100 + i)  # last build's, cleared before the workers start
            main.clear_doc(doc)
    chunks = [["a/2022", "b/2021"], ["index"]]
    for chunk in chunks:
        worker = _domain()
        worker.data.update(copy.deepcopy(main.data))  # forked from the main process
        for doc in chunk:
            _read(worker, doc, docs.index(doc))
        _read(worker, "a/2021", 99)  # a page outside the chunk is not the worker's to give
        main.merge_domaindata(set(chunk), copy.deepcopy(worker.data))  # pickled back
    assert main.data == serial.data


def test_a_changed_data_version_starts_afresh() -> None:
    """Sphinx raises on the domain's data of another version, and reads every page
    again (``Sphinx._load_existing_env``): an old pickle is never half-used."""
    d = _domain()
    old = {"gov": {**copy.deepcopy(d.data), "version": GovReportDomain.data_version - 1}}
    with pytest.raises(OSError, match="out of date"):
        GovReportDomain(cast(BuildEnvironment, SimpleNamespace(domaindata=old)))


def _build(srcdir: Path, out: Path, jobs: int) -> tuple[dict[str, Any], set[str], set[str]]:
    """The domain's data after a fresh build, the pages read, and the pages merged back from workers."""
    read: set[str] = set()
    merged: set[str] = set()

    def note_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        read.update(docnames)

    def note_merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        merged.update(docnames)

    app = SphinxTestApp("html", srcdir=srcdir, builddir=out, parallel=jobs, freshenv=True)
    try:
        app.connect("env-before-read-docs", note_read)
        app.connect("env-merge-info", note_merge)
        app.build()
        data = copy.deepcopy(app.env.domaindata["gov"])
    finally:
        app.cleanup()
    return data, read, merged


def test_parallel_build_keeps_what_a_serial_build_keeps(tmp_path: Path) -> None:
    src = tmp_path / "site"
    shutil.copytree(ROOTS / "test-site", src)
    # a page with a card's draft badge and one with a province's list of members
    (src / "cards.md").write_text("---\norphan: true\n---\n# 卡片\n\n{gov-draft-badge}`other/2021`\n", encoding="utf-8")
    (src / "members.md").write_text("---\norphan: true\n---\n# 成员\n\n```{federation-index}\n```\n", encoding="utf-8")
    one, read, merged = _build(src, tmp_path / "one", 1)
    two, read2, merged2 = _build(src, tmp_path / "two", 2)
    assert merged == set() and merged2 == read2 == read  # every page came back from a worker
    for name in (*PAGE_MAPS, *PAGE_SETS, "nav_seen"):  # every table has something to merge
        assert one[name], name
    assert two == one
