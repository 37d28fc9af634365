"""Sphinx configuration for the site in docs/ (run with ``-c .``; see the Makefile).

The list of PDFs is derived from the reports present in data/, never kept by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "ext"))

from govreport.latex import latex_documents_for, latex_elements_for  # noqa: E402

project = "政府信息公开工作年度报告"
author = ""
copyright = ""
language = "zh_CN"
root_doc = "index"
extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 0
exclude_patterns = ["_build", ".venv", "README.md"]
suppress_warnings: list[str] = []
# Checks that only warn do not fail the build unless this is set.
govreport_fail_on_warning = False
govreport_root = str(ROOT)

# ---- HTML edition
html_theme = "alabaster"
html_title = project
# page_width is also alabaster's breakpoint for the phone layout (sidebar below the text).
html_theme_options = {"page_width": "1180px", "body_max_width": "none", "sidebar_width": "230px"}
# The sidebar of a report page: search, the page's own six sections, the
# previous and next report. Not alabaster's default tree of every page: with
# hundreds of reports it is long to read, and building it into every page makes
# the build grow as N² (at 200 reports, half the build time).
html_sidebars = {
    "**": ["about.html", "searchfield.html", "localtoc.html", "relations.html"],
    "index": ["about.html", "searchfield.html"],
}
html_show_sourcelink = False
html_show_sphinx = False
html_show_copyright = False  # no copyright line: the footer would show a bare "©."
html_copy_source = False
html_last_updated_fmt = None

# ---- PDF edition: one LaTeX document per report, named after agency and year.
latex_engine = "xelatex"
# Full rules like the printed form; no zebra stripes.
latex_table_style = ["standard", "nocolorrows"]
# Titles from report.toml are text, not LaTeX markup; broken into lines by meaning (officialdoc.title_lines).
latex_documents = latex_documents_for(ROOT)
latex_elements = latex_elements_for()
latex_domain_indices = False
latex_use_xindy = False
latex_show_urls = "no"
latex_show_pagerefs = False

# Reproducible builds: the workflows set SOURCE_DATE_EPOCH to the commit time.
if "SOURCE_DATE_EPOCH" in os.environ:
    today_fmt = "%Y-%m-%d"
