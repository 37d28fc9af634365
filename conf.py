"""Sphinx configuration for the site in docs/ (run with ``-c .``; see the Makefile).

The list of PDFs is derived from the reports present in data/, never kept by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "ext"))

from govreport.edition.latex import latex_documents_for, latex_elements_for  # noqa: E402
from govreport.web.sitetheme import html_settings  # noqa: E402

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

# ---- HTML edition: pydata-sphinx-theme with a government portal's header and
# footer. The settings are made in govreport/web/sitetheme.py (shared with the
# benchmark's baseline); the site's name, office, contact, 网站标识码 and ICP
# 备案号 are in site.toml.
globals().update(html_settings(ROOT))

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
