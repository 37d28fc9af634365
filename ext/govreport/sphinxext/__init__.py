"""Sphinx extension for 政府信息公开工作年度报告: tables, values, checks, site.

Each module registers what it defines with its own ``setup_<name>(app)``;
this ``setup()`` composes them.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from .agencies import setup_agencies
from .charts import setup_charts
from .cjk import setup_cjk
from .common import setup_common
from .comparepage import setup_comparepage
from .docx import setup_docx
from .domain import setup_domain
from .federation import setup_federation
from .findings import setup_findings
from .freshness import setup_freshness
from .gc_tuning import setup_gc_tuning
from .html import setup_html
from .latex import setup_latex
from .latexfresh import setup_latexfresh
from .lightpages import setup_lightpages
from .members import setup_members
from .pagesteps import setup_pagesteps
from .portal import setup_portal
from .portalpages import setup_portalpages
from .rulepacks import setup_rulepacks
from .safety import setup_safety
from .search import setup_search
from .searchprune import setup_searchprune
from .shard import setup_shard
from .signoff import setup_signoff
from .site import setup_site
from .sitesearch import setup_sitesearch
from .tables import setup_tables
from .unitindex import setup_unitindex
from .values import setup_values


def _default_root(app: Sphinx, config: Config) -> None:
    if not config.govreport_root:
        config.govreport_root = str(app.confdir)


def _load_specs(app: Sphinx, config: Config) -> None:
    """Every format spec, loaded before any page: a typo in one is a ConfigError
    naming its file and line (review1 1.8), not a traceback from inside a directive."""
    from sphinx.errors import ConfigError

    from ..format.spec import load_spec, versions
    from ..format.specvalid import SpecError

    try:
        for v in versions():
            load_spec(v)
    except SpecError as exc:
        raise ConfigError(str(exc)) from None  # the located lines are the whole story


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("govreport_root", "", "env", str)
    app.connect("config-inited", _default_root)
    app.connect("config-inited", _load_specs)
    setup_domain(app)  # issue 20: all per-page state, one owner
    setup_pagesteps(app)  # issue 20: what is done to a page once read, in one written order
    setup_common(app)
    setup_tables(app)
    setup_values(app)
    setup_findings(app)
    setup_site(app)
    setup_agencies(app)
    setup_search(app)
    setup_sitesearch(app)  # issue 21: search that does not grow with the site
    setup_members(app)  # issue 21: a roll-up's 汇总明细 on a page of its own
    setup_unitindex(app)  # issue 21: the index for a hundred units
    setup_comparepage(app)  # issue 21: every unit's key figures of a year side by side
    setup_lightpages(app)  # issue 21: one trimmed stylesheet, no icon font, nothing render-blocking
    setup_cjk(app)
    setup_html(app)
    setup_latex(app)
    setup_signoff(app)
    setup_gc_tuning(app)
    setup_safety(app)
    setup_freshness(app)
    setup_portalpages(app)  # issue 20: portal pages are documents, their sources written when the build starts
    setup_portal(app)  # issue 16: publish what passes, archives, roll-ups, status board
    setup_charts(app)
    setup_docx(app)  # issue 24: the Word edition (sphinx-build -b docx)
    setup_shard(app)  # issue 22: the parts of a sharded site (make site SHARD=k/N, make site-assemble)
    setup_latexfresh(app)  # issue 22: make site writes the .tex of the reports read again only
    setup_searchprune(app)  # issue 22: an incremental build's search index equals a clean build's
    setup_federation(app)  # issue 22: a province's pages from its districts' published open data
    setup_rulepacks(app)  # issue 20: a district's rule packs (portal.toml's rule_packs)
    # env_version is a digest of this package's code and specs (the check cache's):
    # a page read by other code than this is read again, so an upgrade (or a
    # developer's edit) never leaves doctrees made by the old code in a build.
    from ..checks.cache import code_digest

    env_version = int.from_bytes(code_digest()[:4], "big") | 1  # never 0, which Sphinx ignores
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": env_version}
