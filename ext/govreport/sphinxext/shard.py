"""A shard's LaTeX build (issue 22): only its agencies' reports are read and typeset.

``govreport_shard = "k/N"`` (what ``make site SHARD=k/N`` sets) keeps the LaTeX
documents of the agencies in shard *k* and leaves the other agencies' report
pages unread, so a shard's build holds a share of the site, not all of it. A
report's PDF is made from its own page and data (and its members' data for a
roll-up), so it is byte for byte the PDF of the whole build
(tests/test_publish_shards.py).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from ..model.report import discover
from ..portal.shards import parse


def _on_config(app: Sphinx, config: Config) -> None:
    if not config.govreport_shard:
        return
    shard = parse(config.govreport_shard)
    root = Path(config.govreport_root or app.confdir).resolve()
    others = sorted({a for a, _ in discover(root) if not shard.has(a)})
    config.exclude_patterns = [*config.exclude_patterns, *(f"{a}/*" for a in others)]
    config.latex_documents = [d for d in config.latex_documents if "/" in d[0] and shard.has(d[0].split("/")[0])]


def setup_shard(app: Sphinx) -> None:
    app.add_config_value("govreport_shard", "", "env", str)
    app.connect("config-inited", _on_config, priority=600)  # after the withheld reports are left out (portal.py)
