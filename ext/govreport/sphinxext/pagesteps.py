"""What is done to a page once it is read, in one written order (issue 20).

One ``doctree-read`` handler runs the steps below, top to bottom, instead of a
handler per module ordered by priorities. Each step does nothing on a page it
is not for (most are for report pages only). The order is what readers see:
the links, the archive banner, the findings' notice and the agency's years are
each inserted right below the title, so the one inserted last is on top; and
what the page scan found is recorded (and logged) before the report's findings.

The handler runs before Sphinx's own collectors (titles, table of contents,
images, downloads: priority 500), so they see the page as the steps left it.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx

from .agencies import add_report_nav
from .findings import record_report_findings
from .portal import add_banner, write_members_data
from .safety import record_scan
from .signoff import add_signoff
from .site import add_report_links, write_report_data

Step = Callable[[Sphinx, nodes.document], None]

PAGE_STEPS: tuple[Step, ...] = (
    add_report_links,  # HTML: the report's PDF, Word, CSV files and open data, under the title
    write_report_data,  # HTML: the report's CSV copies and tidy CSV/JSON in the output
    add_banner,  # 存档 banner under the title; a roll-up's link to its members
    write_members_data,  # HTML: a roll-up's members as open data
    record_scan,  # the page scan's findings, and what the guards removed
    record_report_findings,  # the report's findings: logged, kept, marked, the notice on top
    add_signoff,  # the 落款 at the end of the report
    add_report_nav,  # draft banner and the agency's years under the title, pager at the end; orphan
)


def run_page_steps(app: Sphinx, doctree: nodes.document) -> None:
    for step in PAGE_STEPS:
        step(app, doctree)


def setup_pagesteps(app: Sphinx) -> None:
    app.connect("doctree-read", run_page_steps, priority=400)
