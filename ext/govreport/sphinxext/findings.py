"""Findings in the Sphinx build: one warning each, stored per page, gating the build.

Every report page runs all checks when it is read; each finding is logged at its
CSV or Markdown line with ``type="govreport"`` and the finding's code as subtype
(so ``suppress_warnings = ["govreport.Y402"]`` works). Findings are kept in the
environment per page, so an incremental build that does not re-read a broken
page still fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..checks import checked
from ..findingcodes import CodeId
from ..findings import CATALOGUE, CATALOGUE_FILE, DECLARED, Finding
from ..model.missingmeta import missing_meta
from ..model.report import discover
from .common import data_root, page_report, under_title
from .domain import gov
from .portal import ARCHIVED, withheld_docs
from .preview import findings_notice, mark_findings
from .rulepacks import pack_codes
from .shard import built

logger = logging.getLogger(__name__)


def log_finding(f: Finding) -> None:
    """One finding as one Sphinx warning at its file and line."""
    sev = "豁免" if f.waived is not None else f.severity.zh
    msg = f"{sev} {f.code} {f.message}"
    if f.waived is not None:
        msg += f"（已豁免：{f.waived}）"
    # A location without ":" would be taken for a docname; file-level findings say line 1.
    location = f.location() if f.line is not None else f"{f.path}:1"
    logger.warning(msg, location=location, type="govreport", subtype=f.code)


def record_here(env: BuildEnvironment, line: int | None, code: CodeId, variant: str | None = None, **fields: object) -> None:
    """A finding at the current page's line (directives and roles on pages the
    report checks do not cover)."""
    root = Path(env.config.govreport_root).resolve()
    path = os.path.relpath(env.doc2path(env.docname), root).replace(os.sep, "/")
    record(env, env.docname, [Finding.of(code, path, variant=variant, line=line, values=fields)])


def record(env: BuildEnvironment, docname: str, found: list[Finding]) -> None:
    store = gov(env).findings.setdefault(docname, [])
    # The page scan and the directives report a directive's argument alike (issue 17): once.
    found = [f for f in dict.fromkeys(found) if f not in store]
    store.extend(found)
    for f in found:
        if f.waived is None:
            log_finding(f)


def record_report_findings(app: Sphinx, doctree: nodes.document) -> None:
    """A page step (``pagesteps``): the report's findings logged and kept; on the
    page, their marks and the notice under the title."""
    env = app.env
    result = page_report(env, env.docname)
    if result is None:
        return
    record(env, env.docname, result.findings)
    if app.config.govreport_publish == "passing":
        # The published edition (make site) is for the public: a report in it has
        # no error, its warnings are the writer's to-do list (still in the build
        # log), and an archive's 原文问题 are in its banner.
        return
    page = os.path.relpath(env.doc2path(env.docname), data_root(env)).replace(os.sep, "/")
    mark_findings(doctree, result, page)
    notice = findings_notice([f for f in result.findings if f.waived != ARCHIVED])  # 原文问题: the archive banner shows them
    if notice is not None:
        under_title(doctree, notice)


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Reports with data but no page are checked too (S505 and all the rest):
    otherwise the site would build while a report is missing from it."""
    store = gov(env).findings
    for key in [k for k in store if k.startswith(ORPHAN)]:
        del store[key]
    root = Path(env.config.govreport_root).resolve()
    for agency, year in discover(root):
        doc = f"{agency}/{year}"
        if not built(env, doc) and doc not in withheld_docs(env):  # issue 16: withheld, not missing
            record(env, ORPHAN + doc, checked(root, agency, year, Path(env.srcdir)).findings)
    for doc, f in missing_meta(root).items():  # tables without report.toml (F017): said, as make check says it
        if doc not in withheld_docs(env):
            record(env, ORPHAN + doc, [f])
    return []


#: Store key prefix for reports without a page.
ORPHAN = "__data__/"


def on_build_finished(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None:
        return
    # Pages not read again in this build keep their findings: show them again,
    # or an incremental build would fail without saying why.
    domain = gov(app.env)
    read_now = domain.build.read
    for doc, found in sorted(domain.findings.items()):
        if doc not in read_now and not doc.startswith(ORPHAN):
            for f in found:
                if f.waived is None:
                    log_finding(f)
    every = [f for found in domain.findings.values() for f in found]
    errors = [f for f in every if f.is_error]
    warnings = [f for f in every if not f.is_error and f.waived is None]
    if errors:
        logger.error("报告检查发现 %d 个错误，不能发布；请按上面的提示修改数据或正文。", len(errors))
        app.statuscode = 1
    elif warnings and app.config.govreport_fail_on_warning:
        logger.error("报告检查发现 %d 个警告（govreport_fail_on_warning 已开启）。", len(warnings))
        app.statuscode = 1


class FindingCodes(SphinxDirective):
    """The catalogue of finding codes, rendered from the catalogue (``findings.yaml``): each
    code's severity, title, whether it can be waived, and explanation."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(CATALOGUE_FILE))  # a code added or reworded: rebuild the page
        table = nodes.table(classes=["gov-codes"])
        tgroup = nodes.tgroup(cols=5)
        table += tgroup
        for w in (2, 2, 5, 2, 12):
            tgroup += nodes.colspec(colwidth=w)
        thead, tbody = nodes.thead(), nodes.tbody()
        tgroup += thead
        tgroup += tbody
        thead += _row(["代码", "级别", "名称", "可豁免", "说明"])
        # The catalogue's codes, then this repository's rule packs' (not another's declared in this process).
        codes = [c for c in CATALOGUE.values() if c.code not in DECLARED] + pack_codes(self.env, data_root(self.env))
        for code in codes:
            tbody += _row([code.code, code.severity.zh, code.title, "可" if code.waivable else "否", code.help])
        return [table]


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for c in cells:
        row += nodes.entry("", nodes.paragraph(text=c))
    return row


def setup_findings(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("govreport_fail_on_warning", False, "env", bool)
    app.connect("env-updated", on_env_updated)
    app.connect("build-finished", on_build_finished)
    app.add_directive("finding-codes", FindingCodes)
    return {}
