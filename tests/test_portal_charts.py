"""Charts and agency history (issue 16): SVG for HTML, LaTeX's picture for the PDF, same data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from govreport.portal.charts import picture, svg
from govreport.portal.charts.figures import CHARTS, history
from portal_helpers import DISTRICT
from sphinx.testing.util import SphinxTestApp
from sphinx.util import texescape


def test_svg_is_accessible_and_lists_every_value() -> None:
    h = history(DISTRICT, "quzhengfu")
    assert [y.year for y in h.years] == [2021, 2022, 2023] and all(y.rollup for y in h.years)
    text = svg.bar_chart(CHARTS["applications"], h, "c1")
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="gov-chart" role="img"')
    assert '<title id="c1-t">示例区人民政府：依申请公开：收到、办结和结转</title>' in text
    desc = re.search(r'<desc id="c1-d">(.*?)</desc>', text).group(1)  # type: ignore[union-attr]
    for y in h.years:
        assert f"{y.year} 年：本年新收申请 {y.values['new']}件，办结 {y.values['done']}件，结转下年度 {y.values['carried_over']}件" in desc
        assert f">{y.values['new']}</text>" in text  # the numbers as real text
    assert text == svg.bar_chart(CHARTS["applications"], history(DISTRICT, "quzhengfu"), "c1")  # deterministic


def test_archived_years_are_marked() -> None:
    h = history(DISTRICT, "xiguan")
    text = svg.bar_chart(CHARTS["appeals"], h, "x")
    assert ">2021*</text>" in text and "* 存档原文" in text and "2021 年（存档原文）" in text
    tex = picture.bar_chart(CHARTS["appeals"], h)
    assert [m.group(1) for m in re.finditer(r"\\makebox\(0,0\)\[t\]\{\\scriptsize ([^}]+)\}", tex)] == ["2021*", "2022", "2023"]
    assert "* 存档原文" in tex


def test_the_pdf_chart_draws_the_svg_bars() -> None:
    """The same bars in both: heights from one axis top (svg.axis_top), in the same order; the
    title's TeX specials escaped (the share chart's title has a %)."""
    texescape.init()  # as Sphinx's LaTeX builder does before writing
    h = history(DISTRICT, "quzhengfu")
    for kind in CHARTS.values():
        rects = [float(m.group(1)) for m in re.finditer(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#\w+"><title>', svg.bar_chart(kind, h, "c"))]
        tex = picture.bar_chart(kind, h)
        rules = [float(m.group(1)) for m in re.finditer(r"\\rule\{[\d.]+\\unitlength\}\{([\d.]+)\\unitlength\}", tex)]
        assert len(rules) == len([r for r in rects if r > 0]) > 0 and rules == pytest.approx([r for r in rects if r > 0], abs=0.06), kind.id
    assert "比例（\\%）" in picture.bar_chart(CHARTS["share"], h)


def test_withheld_years_give_no_data() -> None:
    assert [y.year for y in history(DISTRICT, "shuiwu", skip=["shuiwu/2023"]).years] == [2021, 2022]


@pytest.mark.sphinx("html", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_agency_page_and_report_chart_in_html(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 0
    page = (Path(app.outdir) / "agency-quzhengfu.html").read_text(encoding="utf-8")
    assert page.count('role="img"') == 4 and "示例区人民政府关键指标（按年度）" in page
    assert "2023（汇总）" in page and "行政诉讼纠正（件）" in page
    report = (Path(app.outdir) / "nanshan" / "2023.html").read_text(encoding="utf-8")
    assert report.count('role="img"') == 1 and "南山乡关键指标（按年度）" in report
    # the report-chart of 2022 shows the years up to 2022 only
    r22 = (Path(app.outdir) / "nanshan" / "2022.html").read_text(encoding="utf-8")
    assert ">2022</text>" in r22 and ">2023</text>" not in r22


@pytest.mark.sphinx("html", testroot="district", srcdir="district-bad-chart", confoverrides={"govreport_publish": "passing"})
def test_bad_chart_name_is_a_finding(app: SphinxTestApp) -> None:
    page = Path(app.srcdir) / "nanshan" / "2023.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{report-chart} 申请", "{report-chart} 饼图"), encoding="utf-8")
    app.build()
    assert "X820 report-chart 的参数“饼图”不是图表名称" in app.warning.getvalue()
    assert app.statuscode == 1


@pytest.mark.sphinx("latex", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_charts_in_the_latex_need_no_package(app: SphinxTestApp) -> None:
    app.build()
    tex = (Path(app.outdir) / "agency-quzhengfu.tex").read_text(encoding="utf-8")
    assert "pgfplots" not in tex and "tikz" not in tex  # loading them was a third of every XeLaTeX run
    assert tex.count("\\begin{picture}(640,300)") == 4


@pytest.mark.slow
@pytest.mark.sphinx("latex", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_agency_pdf_is_byte_identical(app: SphinxTestApp, tmp_path: Path) -> None:
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        pytest.fail("latexmk/xelatex missing: run make system")
    app.build()
    pdfs = []
    for run in ("a", "b"):
        work = tmp_path / run
        shutil.copytree(app.outdir, work)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", FORCE_SOURCE_DATE="1")
        proc = subprocess.run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "agency-quzhengfu.tex"],
                              cwd=work, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-2000:]
        pdfs.append((work / "agency-quzhengfu.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "a" / "agency-quzhengfu.pdf"), "-"], capture_output=True, text=True).stdout
    assert "依申请公开：收到、办结和结转" in text and "本年新收申请" in text


def test_html_charts_are_byte_identical(tmp_path: Path) -> None:
    """Two builds of the district with SOURCE_DATE_EPOCH: the agency and report pages are the same bytes."""
    src = tmp_path / "src"
    shutil.copytree(DISTRICT, src)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", PYTHONPATH=str(Path(__file__).parent.parent / "ext"))
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", "-D", "govreport_publish=passing", str(src), str(out)],
                              env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        outs.append(out)
    for page in ("agency-quzhengfu.html", "nanshan/2023.html", "quzhengfu/2023.html", "status.html"):
        assert (outs[0] / page).read_bytes() == (outs[1] / page).read_bytes(), page
