"""All the state the extension keeps about pages, in one Domain (issue 20).

As ``sphinx.ext.todo``'s ``TodoDomain``: what a page leaves behind when it is
read lives in ``env.domaindata["gov"]`` (pickled with the environment), is
cleared when the page is read again or removed (``clear_doc``) and merged back
from the worker processes of a parallel read (``merge_domaindata``). One owner,
instead of attributes set on ``env`` each with a purge and a merge handler.

What only the running application knows (the pages this build reads, whether
the last build was interrupted, the reports withheld, the members of a
province) is kept on the domain instance (``GovReportDomain.build``): Sphinx
makes one instance with each environment it creates or loads, one per
application, and never pickles it.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, cast

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

if TYPE_CHECKING:
    from ..findings import Finding
    from ..portal.federation.province import Province

#: Per-page tables: page -> what it left behind.
PAGE_MAPS = ("absent", "listing", "findings", "drafts", "digests", "outputs")
#: Per-page sets: the pages that have something.
PAGE_SETS = ("cards", "federation")


@dataclass
class BuildState:
    """What the application knows and no environment keeps (never pickled)."""

    #: The pages read in this build (``env-before-read-docs`` to the end of the build).
    read: set[str] = field(default_factory=set)
    #: The reports a ``passing`` build withholds, "agency/year" -> errors (portal, from ``config-inited``).
    withheld: dict[str, int] = field(default_factory=dict)
    #: The output folder still had the marker of an unfinished build when this one began (freshness).
    interrupted: bool = False
    #: Each agency's years with a page, worked out once per build (agencies).
    years: dict[str, tuple[int, ...]] | None = None
    #: The province's members, read once (federation).
    province: Province | None = None
    #: The site-wide build of a sharded site: report page -> why it is a draft, as its shard read it (shard).
    handed_drafts: dict[str, str] = field(default_factory=dict)
    #: The whole site's exclusions, as a matcher made once (``portalpages.page_exists``).
    site_excluded: Callable[[str], bool] | None = None


class GovReportDomain(Domain):
    """Per-page state of the govreport extension; it declares no objects, roles or directives."""

    name = "gov"
    label = "政府信息公开工作年度报告"
    #: Bump when the shape of ``data`` changes: Sphinx then starts from a fresh environment
    #: (a mismatch is an error Sphinx answers by reading every page again).
    data_version = 2
    initial_data: ClassVar[dict[str, Any]] = {
        "absent": {},  # page -> files it looked for and did not find (common.note_files)
        "listing": {},  # page -> the reports in data/ it showed (common.note_listing)
        "findings": {},  # page, or findings.ORPHAN + "agency/year" -> its findings
        "drafts": {},  # report page -> why it is a draft ("" when final), as found when read
        "digests": {},  # page -> file -> SHA-256 when the page was read (freshness)
        "outputs": {},  # page -> file of the HTML output (a page's CSV) -> its text, made when the page was read
        "cards": set(),  # pages whose cards show drafts (a report index)
        "federation": set(),  # pages with a {federation-index}
        "nav_seen": {},  # what the pages written last time showed (agencies._rewrite): the site's, no page's
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.build = BuildState()

    @property
    def absent(self) -> dict[str, set[str]]:
        return cast("dict[str, set[str]]", self.data["absent"])

    @property
    def listing(self) -> dict[str, list[tuple[str, int]]]:
        return cast("dict[str, list[tuple[str, int]]]", self.data["listing"])

    @property
    def findings(self) -> dict[str, list[Finding]]:
        return cast("dict[str, list[Finding]]", self.data["findings"])

    @property
    def drafts(self) -> dict[str, str]:
        return cast("dict[str, str]", self.data["drafts"])

    @property
    def digests(self) -> dict[str, dict[str, str]]:
        return cast("dict[str, dict[str, str]]", self.data["digests"])

    @property
    def outputs(self) -> dict[str, dict[str, str]]:
        return cast("dict[str, dict[str, str]]", self.data["outputs"])

    @property
    def cards(self) -> set[str]:
        return cast("set[str]", self.data["cards"])

    @property
    def federation(self) -> set[str]:
        return cast("set[str]", self.data["federation"])

    @property
    def nav_seen(self) -> dict[str, Any]:
        return cast("dict[str, Any]", self.data["nav_seen"])

    def clear_doc(self, docname: str) -> None:
        for name in PAGE_MAPS:
            self.data[name].pop(docname, None)
        for name in PAGE_SETS:
            self.data[name].discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for name in PAGE_MAPS:
            ours, theirs = self.data[name], otherdata[name]
            for doc in docnames:
                if doc in theirs:
                    ours[doc] = theirs[doc]
        for name in PAGE_SETS:
            self.data[name] |= otherdata[name] & docnames


def gov(env: BuildEnvironment) -> GovReportDomain:
    """The extension's domain in ``env``."""
    return cast(GovReportDomain, env.domains["gov"])


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    gov(env).build.read = set(docnames)


def _finished(app: Sphinx, exc: Exception | None) -> None:
    """A next build of this application (the warm preview's) reads its own pages."""
    gov(app.env).build.read = set()


def setup_domain(app: Sphinx) -> None:
    app.add_domain(GovReportDomain)
    app.connect("env-before-read-docs", _before_read, priority=100)
    app.connect("build-finished", _finished, priority=1000)  # after every other handler has used it
