"""Incremental rebuilds re-read exactly the pages whose data changed.

A tiny synthetic site (govreport/portal/synth.py): agency A with five years, agency B with
three. Each test builds once, changes something, builds again with a fresh
Sphinx application over the same build folder (as ``make html`` and ``make
serve`` do) and records which documents Sphinx re-reads. The portal pages (issue 20:
documents generated from data/, ``model.generated``) are recorded apart.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pytest
from govreport.edition.opendata import tidy_rows, to_csv, to_json
from govreport.model.csvwrite import table_csv
from govreport.model.generated import is_generated
from govreport.model.report import load_report
from govreport.portal import synth
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.testing.util import SphinxTestApp

CONF = """\
from pathlib import Path
extensions = ["myst_parser", "sphinx_design", "govreport.sphinxext"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
govreport_root = str(Path(__file__).resolve().parent.parent)
"""


@pytest.fixture
def site(tmp_path: Path) -> synth.Site:
    made = synth.make_site(tmp_path / "site", synth.plan(8, seed=7))
    (made.docs / "conf.py").write_text(CONF, encoding="utf-8")
    assert synth.findings_of(made) == []
    return made


def build(site: synth.Site, jobs: int = 1, portal: list[str] | None = None) -> list[str]:
    """Build the site's HTML with ``jobs`` processes; the documents Sphinx read, sorted, but
    the generated portal pages: those in ``portal`` (sorted) when given."""
    read: list[str] = []

    def note(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
        read.extend(docnames)

    app = SphinxTestApp("html", srcdir=site.docs, builddir=site.root / "_build", parallel=jobs)
    try:
        app.connect("env-before-read-docs", note)
        app.build()
        assert app.statuscode == 0
    finally:
        app.cleanup()
    time.sleep(0.01)  # the next change is later than this build's reads
    generated = [d for d in read if is_generated(site.docs / f"{d}.md")]
    if portal is not None:
        portal[:] = sorted(generated)
    return sorted(d for d in read if d not in generated)


def agencies(site: synth.Site) -> tuple[str, str]:
    names = sorted({a for a, _ in site.reports})
    return names[0], names[1]


def test_nothing_changed_nothing_reread(site: synth.Site) -> None:
    portal: list[str] = []
    first = build(site, portal=portal)
    assert len(first) == len(site.reports) + 2  # every report, index and codes
    years = sorted({y for _, y in site.reports})
    # a comparison per year, a page per agency, the index's list per year but the newest
    assert portal == sorted([*(f"compare-{y}" for y in years), *(f"{a}/index" for a in agencies(site)), *(f"index-{y}" for y in years[:-1])])
    assert build(site, portal=portal) == [] and portal == []


def open_data(site: synth.Site) -> dict[str, str]:
    out = site.root / "_build" / "html" / "opendata"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


@pytest.mark.parametrize("jobs", [1, 2])
def test_csv_change_rereads_its_page_and_next_year(site: synth.Site, jobs: int) -> None:
    a, _ = agencies(site)
    build(site, jobs)
    before = open_data(site)
    synth.edit_csv(site.root, a, 2021, 0)
    portal: list[str] = []
    assert build(site, jobs, portal) == [f"{a}/2021", f"{a}/2022"]
    # the figures of 2021: its comparison, next year's (its 上年), the agency's history
    assert portal == sorted([f"{a}/index", "compare-2021", "compare-2022"])
    # The open data follow: that report's files, the combined ones and that year's
    # comparison of the units (issue 21) change, as if written from scratch.
    after = open_data(site)
    assert {n for n in after if after[n] != before[n]} == {f"{a}-2021.csv", f"{a}-2021.json", "all.csv", "all.json", "compare-2021.csv"}
    every = [row for k in site.reports for row in tidy_rows(load_report(site.root, *k))]
    assert after["all.csv"] == to_csv(every) and after["all.json"] == to_json(every)


def test_page_change_rereads_that_page_and_next_year(site: synth.Site) -> None:
    """The page, and next year's, whose 内容雷同 check (U910) compares with it."""
    _, b = agencies(site)
    build(site)
    page = site.docs / b / "2022.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    assert build(site) == [f"{b}/2022", f"{b}/2023"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_new_waivers_file_rereads_its_page(site: synth.Site, jobs: int) -> None:
    """A file a page looked for and did not find (here waivers.toml) is watched;
    with -j 2 what the worker processes noted is merged back."""
    _, b = agencies(site)
    build(site, jobs)
    assert build(site, jobs) == []
    (site.root / "data" / b / "2023" / "waivers.toml").write_text("", encoding="utf-8")
    assert build(site, jobs) == [f"{b}/2023"]


def test_new_report_rereads_index_and_next_year(site: synth.Site) -> None:
    """Adding B's 2020 report: its page, the index that lists it, and B's 2021
    page (checked against last year now that there is one)."""
    _, b = agencies(site)
    build(site)
    src = site.root / "data" / b / "2021"
    new = site.root / "data" / b / "2020"
    new.mkdir()
    for f in src.iterdir():
        (new / f.name).write_bytes(f.read_bytes())
    # 2020's 四、结转 must equal 2021's 二、上年结转 and its stock precede 2021's.
    later = load_report(site.root, b, 2021)
    spec = later.spec
    t3 = dict(later.tables["t3"].values)
    for col in spec.tables["t3"].columns:
        t3[("carried_over", col)] = later.tables["t3"].get("carried_in", col)
        t3[("new", col)] = later.tables["t3"].get("carried_in", col)
        t3[("carried_in", col)] = 0
        for row in spec.tables["t3"].rows:
            if row not in ("new", "carried_in", "carried_over"):
                t3[(row, col)] = 0
    (new / "table3.csv").write_text(table_csv(spec.tables["t3"], t3), encoding="utf-8")
    t2 = dict(later.tables["t2"].values)
    for row in ("rules", "normative"):
        t2[(row, "issued")], t2[(row, "repealed")] = 0, 0
        t2[(row, "in_force")] = later.tables["t2"].get(row, "in_force") - later.tables["t2"].get(row, "issued") + later.tables["t2"].get(row, "repealed")  # type: ignore[operator]
    (new / "table2.csv").write_text(table_csv(spec.tables["t2"], t2), encoding="utf-8")
    # its own narrative: a copy of 2021's would be 内容雷同 (U910) for 2021
    page = synth.page_text(random.Random(2020), spec, later.name, later.full_name, 2020)
    (site.docs / b / "2020.md").write_text(page, encoding="utf-8")
    site.reports.append((b, 2020))
    assert synth.findings_of(site) == []
    portal: list[str] = []
    assert build(site, portal=portal) == sorted([f"{b}/2020", f"{b}/2021", "index"])
    # a new year of the site: every comparison and the index's every year link it; B's page lists it
    assert portal == sorted([f"{b}/index", *(f"compare-{y}" for y in range(2020, 2026)), *(f"index-{y}" for y in range(2020, 2025))])


def test_removed_report_rereads_index(site: synth.Site) -> None:
    _, b = agencies(site)
    build(site)
    shutil.rmtree(site.root / "data" / b / "2023")
    (site.docs / b / "2023.md").unlink()
    portal: list[str] = []
    assert build(site, portal=portal) == ["index"]
    # 2023's units and 2024's year before; the index's lists, as the index (every list of reports)
    assert portal == sorted([f"{b}/index", "compare-2023", "compare-2024", *(f"index-{y}" for y in range(2021, 2025))])
