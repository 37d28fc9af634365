"""The benchmarks' two editions of a synthetic site.

* ``ours``: :func:`govreport.portal.synth.make_site`, the project's own layout, conf.py
  and pages (``report-table``, ``{value}``, ``report-index``), built with the
  govreport extension;
* ``baseline``: what a user would write without this project: the same pages
  with plain ``csv-table`` directives over the same CSV files, the numbers typed
  into the prose, an index with a plain toctree, and no govreport extension.

Everything else (the reports, their numbers and prose) is
:mod:`govreport.portal.synth`, which the tests use too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_EXT = Path(__file__).resolve().parent.parent / "ext"
if str(_EXT) not in sys.path:
    sys.path.insert(0, str(_EXT))

from govreport.format.spec import FormatSpec  # noqa: E402
from govreport.portal.synth import (  # noqa: E402
    FIRST_YEAR,
    REPO,
    Mode,
    Report,
    Site,
    _write,
    busy_report,
    edit_csv,
    findings_of,
    plan,
    show,
    write_reports,
)
from govreport.portal.synth import make_site as _make_ours  # noqa: E402

__all__ = ["FIRST_YEAR", "REPO", "Mode", "Report", "Site", "baseline_page", "busy_report", "edit_csv", "findings_of", "make_site", "plan"]

def baseline_page(page: str, report: Report, spec: FormatSpec) -> str:
    """``page`` without this project: csv-table over the same CSVs, numbers typed in."""

    def number(m: re.Match[str]) -> str:
        t, r, c = m.group(1).split(".")
        return show(report.values, t, r, c)

    text = re.sub(r"\{value\}`([^`]+)`", number, page)
    for t in spec.tables.values():
        csv_rel = f"../../data/{report.agency}/{report.year}/{t.file}"
        head = 0 if t.id == "t2" else 1
        text = text.replace(f"```{{report-table}} {t.title}\n```",
                            f"```{{csv-table}} {t.title} {t.caption}\n:file: {csv_rel}\n:header-rows: {head}\n```")
    return text



#: The baseline's configuration: the project's HTML settings, without govreport.
_CONF_BASELINE = '''"""Synthetic benchmark site, baseline: plain Sphinx + MyST, csv-table, no govreport."""
project = "政府信息公开工作年度报告"
author = ""
copyright = ""
language = "zh_CN"
root_doc = "index"
extensions = ["myst_parser", "sphinx_design"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 0
exclude_patterns = ["_build", ".venv", "README.md"]
html_theme = "alabaster"
html_title = project
html_theme_options = {"page_width": "1180px", "body_max_width": "none", "sidebar_width": "230px"}
html_sidebars = {
    "**": ["about.html", "searchfield.html", "localtoc.html", "relations.html"],
    "index": ["about.html", "searchfield.html"],
}
html_show_sourcelink = False
html_show_sphinx = False
html_show_copyright = False  # no copyright line: the footer would show a bare "©."
html_copy_source = False
html_last_updated_fmt = None
'''



def make_site(dest: Path, reports: list[Report], mode: Mode = "ours") -> Site:
    """Write one edition of the site at ``dest`` (replacing what is there)."""
    if mode == "ours":
        return _make_ours(dest, reports)
    write_reports(dest, reports, lambda r, spec: baseline_page(r.page, r, spec))
    _write(dest / "conf.py", _CONF_BASELINE)
    toc = "\n".join(f"{r.agency}/{r.year}" for r in sorted(reports, key=lambda r: (r.agency, -r.year)))
    _write(dest / "docs" / "index.md",
           "# 政府信息公开工作年度报告\n\n本站发布各机关的政府信息公开工作年度报告。\n\n"
           f"```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n\n```{{toctree}}\n:hidden:\n:caption: 参考\n\ncodes\n```\n")
    _write(dest / "docs" / "codes.md", "# 检查结果代码\n\n（没有检查，也就没有代码。）\n")
    return Site(dest, mode, [(r.agency, r.year) for r in reports])
