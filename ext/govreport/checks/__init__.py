"""Every check of the format, driven by the spec, collecting all findings.

``check_report`` is what both the Sphinx build and ``govreport check`` call.
Pure Python, no docutils. One module per rule family:

- :mod:`.relations`  sums inside a table (the spec's relations)
- :mod:`.across`     this year against last year's report (the spec's across_years)
- :mod:`.sections`   the six sections of the narrative
- :mod:`.prose`      numbers in the narrative against the tables
- :mod:`.waivers`    accepted findings (``waivers.toml``)
- :mod:`.registry`   the rules as declarations: codes, needs, order (``@rule``)
- :mod:`.pipeline`   runs the registered rules: findings and the files read
"""

from __future__ import annotations

from .across import check_previous
from .pipeline import KEEP, Checked, Loads, Members, check_report, checked, run_checks, shared_load
from .prose import check_prose
from .registry import RULES, Rule, RuleError, rule
from .relations import check_relations
from .sections import check_sections
from .waivers import apply_waivers

__all__ = [
    "KEEP",
    "RULES",
    "Checked",
    "Loads",
    "Members",
    "Rule",
    "RuleError",
    "apply_waivers",
    "check_previous",
    "check_prose",
    "check_relations",
    "check_report",
    "check_sections",
    "checked",
    "rule",
    "run_checks",
    "shared_load",
]
