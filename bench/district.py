"""The benchmark's district-shaped site (issue 16) in two editions.

* ``ours``: :func:`govreport.portal.district.make_district` (units, a roll-up with its
  members, several years, archived reports, one withheld, 示例数据), an
  ``{agency-history}`` page (table and charts) for every unit, the status board,
  the project's conf.py; built with ``govreport_publish = "passing"`` as
  ``make site`` builds it (the report with an error left out).
* ``baseline``: the same pages without this project, as for the flat site
  (``bench/synth.py``): the three tables as ``csv-table`` over the same CSV files
  (a roll-up's 表四, which the project sums from the members, written out), the
  numbers typed into the prose; each agency page and the status board a typed
  Markdown table of the same figures (no charts); a plain toctree for the
  index; no govreport extension; the project's theme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from govreport.portal.synth import _write, write_reports

from bench import portal, synth

_CHART = re.compile(r"```\{report-chart\}[^\n]*\n```\n?")


@dataclass
class Editions:
    ours: portal.Portal
    base: Path
    pages: list[str]  # docnames both editions have (the withheld report's page in neither)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _figures(root: Path, agency: str, skip: list[str]) -> str:
    """The agency's key figures by year as a typed Markdown table (what
    ``{agency-history}`` shows, without its charts)."""
    from govreport.portal.charts.figures import FIGURES, fmt, history

    h = history(root, agency, None, skip)
    lines = [_row(["指标", *(str(y.year) for y in h.years)]), _row(["---"] * (len(h.years) + 1))]
    lines += [_row([f"{f.label}（{f.unit}）", *(fmt(y.values[k], f.unit) for y in h.years)]) for k, f in FIGURES.items()]
    return "\n".join(lines) + "\n"


def _status(root: Path) -> str:
    """The status board as a typed Markdown table."""
    from govreport.portal.status import board

    head = ["年度", "单位", "状态", "错误", "警告", "发布日期", "法定期限", "是否按期", "与上年雷同"]
    rows = [_row(head), _row(["---"] * len(head))] + [_row(r.cells()) for r in board(root)]
    return "# 报告状态\n\n" + "\n".join(rows) + "\n"


def make_baseline(p: portal.Portal, dest: Path) -> list[str]:
    """Write the baseline edition of the district ``p`` at ``dest``; its docnames."""
    from govreport.format.spec import load_spec
    from govreport.model.csvwrite import table_csv
    from govreport.model.report import load_report

    spec = load_spec("2021")
    root, d = p.root, p.district
    withheld = set(d.withheld)
    reports = []
    for toml in sorted((root / "data").glob("*/*/report.toml")):
        agency, year = toml.parent.parent.name, int(toml.parent.name)
        if f"{agency}/{year}" in withheld:
            continue
        loaded = load_report(root, agency, year)  # a roll-up's blank tables filled from its members
        values = {tid: dict(t.values) for tid, t in loaded.tables.items()}
        text = _CHART.sub("", (root / "docs" / agency / f"{year}.md").read_text(encoding="utf-8"))
        reports.append(synth.Report(agency, year, loaded.name or agency, loaded.full_name, values, text))  # type: ignore[arg-type]
    write_reports(dest, reports, lambda r, sp: synth.baseline_page(r.page, r, sp))
    for r in reports:  # the baseline's csv-table needs every table as a file (a roll-up's 表四 too)
        for t in spec.tables.values():
            path = dest / "data" / r.agency / str(r.year) / t.file
            if not path.is_file():
                path.write_text(table_csv(t, dict(r.values[t.id])), encoding="utf-8")
    skip = sorted(withheld)
    pages = [f"{r.agency}/{r.year}" for r in reports]
    for agency in sorted({r.agency for r in reports} | {a.split("/")[0] for a in withheld}):
        name = next(u.name for u in d.units if u.slug == agency)
        table = _figures(root, agency, skip)
        _write(dest / "docs" / f"agency-{agency}.md", f"# {name}历年情况\n\n**示例数据**\n\n{table}")
        years = "\n".join(f"- [{r.year} 年度政府信息公开工作年度报告]({r.year}.md)" for r in reports if r.agency == agency)
        _write(dest / "docs" / agency / "index.md", f"# {name}\n\n{years}\n\n## 历年对比\n\n{table}")
        pages += [f"agency-{agency}", f"{agency}/index"]
    _write(dest / "docs" / "status.md", _status(root))
    toc = "\n".join(sorted(pages))
    _write(dest / "docs" / "index.md", "# 示例区政府信息公开工作年度报告\n\n**示例数据**\n\n"
                 f"```{{toctree}}\n:maxdepth: 1\n\nstatus\n{toc}\n```\n")
    _write(dest / "conf.py", synth._CONF_BASELINE)
    return sorted(pages)


def make_editions(work: Path, n: int, seed: int = 1) -> Editions:
    """Both editions of a district of about ``n`` reports under ``work``."""
    ours = portal.generate(work / f"district-{n}", n, seed)
    base = work / f"district-baseline-{n}"
    pages = make_baseline(ours, base)
    return Editions(ours, base, pages)


def warnings_expected(err: str, repeated: list[str]) -> str | None:
    """What is wrong with a build's warnings of the ours edition, or None: the
    only ones allowed are 内容雷同 (U910) on the pages that copy last year's text."""
    warned = set()
    err = re.sub(r"\x1b\[[0-9;]*m", "", err)  # Sphinx colours its warnings when CI=true
    for line in err.splitlines():
        if "WARNING" not in line and "ERROR" not in line:
            continue
        m = re.match(r"^.*?docs/([a-z0-9-]+/\d{4})\.md:\d+: WARNING: .*\[govreport\.U910\]$", line)
        if not m:
            return f"unexpected: {line[:300]}"
        warned.add(m.group(1))
    if warned != set(repeated):
        return f"U910 on {sorted(warned)}, expected {sorted(repeated)}"
    return None
