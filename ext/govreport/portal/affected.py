"""What a pull request's preview must rebuild (issue 22): the reports it changed
and the pages that show them.

A report's numbers reach next year's report (上年 columns, Y-checks), every
roll-up that lists it as a member (the sum, the drill-down) and its agency's
page. The preview build finds these by content anyway (the Sphinx environment's
digests, the PDF stamps); this list is what the reviewer is told to open, and
the artifact that says which reports changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model.report import discover, load_meta


@dataclass
class Affected:
    changed: list[str] = field(default_factory=list)  # "agency/year", touched by the pull request
    next_year: list[str] = field(default_factory=list)  # reports that read a changed one as last year's
    rollups: list[str] = field(default_factory=list)  # roll-ups with a changed member
    agencies: list[str] = field(default_factory=list)  # agency pages showing a changed report

    def reports(self) -> list[str]:
        """Every report whose page or PDF the change reaches."""
        return sorted({*self.changed, *self.next_year, *self.rollups})

    def as_json(self, base: str) -> str:
        return json.dumps({"base": base, **asdict(self), "pages": pages(self)}, ensure_ascii=False, indent=2) + "\n"


def affected(root: Path, changed: list[str]) -> Affected:
    """The reports and pages ``changed`` reaches (reports deleted by the change count as changed only)."""
    every = {f"{a}/{y}" for a, y in discover(root)}
    out = Affected(changed=sorted(changed))
    touched = {(k.split("/")[0], int(k.split("/")[1])) for k in changed}
    for agency, year in sorted(touched):
        nxt = f"{agency}/{year + 1}"
        if nxt in every and nxt not in changed:
            out.next_year.append(nxt)
    years = {y for _, y in touched}
    for agency, year in discover(root):
        if year in years and f"{agency}/{year}" not in changed:
            if any((str(m), year) in touched for m in load_meta(root, agency, year).members):
                out.rollups.append(f"{agency}/{year}")
    out.agencies = sorted({k.split("/")[0] for k in out.reports()})
    return out


def pages(a: Affected) -> list[str]:
    """The site paths to open in the preview, changed reports first."""
    keys = [*a.changed, *a.next_year, *a.rollups]
    out = [p for k in keys for p in (f"{k.split('/')[0]}/{k.split('/')[1]}.html", f"pdf/{k.replace('/', '-')}.pdf")]
    return out + [f"{agency}/index.html" for agency in a.agencies]


def markdown(a: Affected) -> str:
    """The job summary's part: which reports changed, which pages to look at in the preview."""
    if not a.changed:
        return "## 本次改动的报告\n\n没有改动任何报告的数据或正文。\n"
    lines = ["## 本次改动的报告", "", "改动：" + "、".join(f"`{k}`" for k in a.changed)]
    if a.next_year:
        lines.append("下一年度的报告（比较上年数字）：" + "、".join(f"`{k}`" for k in a.next_year))
    if a.rollups:
        lines.append("汇总报告（成员之和）：" + "、".join(f"`{k}`" for k in a.rollups))
    lines += ["", "在网页预览（site-preview）中查看：" + "、".join(f"`{p}`" for p in pages(a)), ""]
    return "\n".join(lines)
