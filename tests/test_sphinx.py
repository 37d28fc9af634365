"""Build the mini projects with Sphinx (HTML and LaTeX) and check what comes out."""

from __future__ import annotations

import gc
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors


def warnings_of(app: SphinxTestApp) -> list[str]:
    return [ln for ln in strip_colors(app.warning.getvalue()).splitlines() if ln.strip()]


@pytest.mark.sphinx("html", testroot="basic")
def test_html_clean_build(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    assert app.statuscode == 0
    html = (Path(app.outdir) / "demo" / "2021.html").read_text(encoding="utf-8")
    # the value role: numbers from the CSV inside sentences, no spaces from soft breaks
    assert '本年度新收申请<span class="gov-value">6</span>件，办结<span class="gov-value">6</span>件。行政处罚决定' in html
    assert '<span class="gov-value">1.25</span>万元' in html
    # accessible tables: caption, header cells with scope, scrolling box
    assert "<caption>" in html and "表三 收到和处理政府信息公开申请情况" in html
    assert '<th class="gov-head" colspan="7" scope="colgroup">' in html
    assert '<th class="gov-stub" rowspan="22" scope="rowgroup">' in html
    assert '<th class="gov-stub" scope="row">1.属于国家秘密</th>' not in html  # paragraphs inside
    assert re.search(r'<th class="gov-stub" scope="row">\s*<p>1\.属于国家秘密</p>', html)
    # issue 13: each box a focusable region named after its table
    assert len(re.findall(r'<div aria-label="表[二三四] [^"]+" class="gov-table-scroll" role="region" tabindex="0">', html)) == 3
    assert re.search(r'<td class="gov-num" colspan="3"><p>12</p></td>', html)
    # links to the PDF edition, the CSV files and the open data
    assert 'href="../pdf/demo-2021.pdf"' in html
    for name in ("table2.csv", "table3.csv", "table4.csv"):
        assert f'href="../data/demo/2021/{name}"' in html
        copy = Path(app.outdir) / "data" / "demo" / "2021" / name
        # issue 15: the download carries a UTF-8 BOM (Excel on Chinese Windows), otherwise the file as it is.
        assert copy.read_bytes() == b"\xef\xbb\xbf" + (Path(app.srcdir) / "data" / "demo" / "2021" / name).read_bytes().removeprefix(b"\xef\xbb\xbf")
    assert not (Path(app.outdir) / "_downloads").exists()
    assert 'href="../opendata/demo-2021.json"' in html
    assert (Path(app.outdir) / "opendata" / "demo-2021.csv").is_file()
    index = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "gov-agency-card" in index and "测试乡" in index  # a unit's row in the index (issue 21: unitindex.py) and 'href="pdf/demo-2021.pdf"' in index


@pytest.mark.sphinx("html", testroot="basic")
def test_dependencies_noted(app: SphinxTestApp) -> None:
    app.build()
    deps = {Path(d).name for d in app.env.dependencies["demo/2021"]}
    assert {"table2.csv", "table3.csv", "table4.csv", "report.toml"} <= deps


@pytest.mark.sphinx("latex", testroot="basic")
def test_latex_tables(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    tex = (Path(app.outdir) / "demo-2021.tex").read_text(encoding="utf-8")
    # issue 14: longtables that may break across pages, head repeated
    assert tex.count(r"\begin{longtable}") == 3
    # merged cells survive: the 22-row stub and the 7-column header
    assert r"\govmultirow{22}" in tex
    assert r"\sphinxstartmulticolumn{7}" in tex
    # merged cells get the width of the columns they span (not an equal share):
    # 表三's columns, widened so that 自然人 fits on one line (issue 14)
    widths = [[int(a), int(b)] for a, b in re.findall(r"\\X\{(\d+)\}\{(\d+)\}", tex)]
    t3 = widths[4:14]
    total = t3[0][1]
    assert rf"\sphinxcolwidth{{{2 * (t3[1][0] + t3[2][0])}}}{{{2 * total}}}" in tex  # （二）部分公开: columns 1+2
    assert t3[3][0] / total * 442.2 >= 3 * 9.5 + 8  # 自然人 (3 characters of 9.5 bp) and the padding
    # the caption is kept in print (issue 14), with the official title
    assert r"\govtablecaption{表三}{收到和处理政府信息公开申请情况}" in tex
    assert r"\raggedleft\arraybackslash" in tex


@pytest.mark.sphinx("html", testroot="broken")
def test_errors_fail_the_build(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 1
    assert warnings_of(app) == [
        "data/demo/2021/table3.csv:2:8: WARNING: 错误 R303 表三“一、本年新收政府信息公开申请数量”行："
        "自然人＋商业企业＋科研机构＋社会公益组织＋法律服务机构＋其他＝7，总计＝6，应相等 [govreport.R303]",
        "data/demo/2021/table3.csv:25:2: WARNING: 错误 R301 表三 自然人 列：一＋二＝7，三（七）总计＋四＝6，应相等 [govreport.R301]",
        "data/demo/2021/table4.csv:2:6: WARNING: 错误 R304 表四“行政复议”行：结果维持＋结果纠正＋其他结果＋尚未审结＝1，总计＝2，应相等 [govreport.R304]",
        "demo/2021.md:8:14: WARNING: 错误 P601 正文写本年新收申请 9 件，表格中为 6 [govreport.P601]",
        "ERROR: 报告检查发现 4 个错误，不能发布；请按上面的提示修改数据或正文。",
    ]
    html = (Path(app.outdir) / "demo" / "2021.html").read_text(encoding="utf-8")
    # reviewers see waivers (and warnings) on the page
    assert "检查提示" in html and "已豁免（统计期间在发布页面另行说明）" in html


@pytest.mark.sphinx("html", testroot="broken", confoverrides={"suppress_warnings": ["govreport.P601"]})
def test_suppress_warnings_hides_but_still_fails(app: SphinxTestApp) -> None:
    app.build()
    assert not any("P601" in w for w in warnings_of(app))
    assert app.statuscode == 1


@pytest.mark.sphinx("html", testroot="basic")
def test_codes_page_lists_the_catalogue(app: SphinxTestApp) -> None:
    from govreport.findings import CATALOGUE

    app.build()
    html = (Path(app.outdir) / "codes.html").read_text(encoding="utf-8")
    for code in CATALOGUE.values():
        assert f"<p>{code.code}</p>" in html and code.title in html


def test_real_site_builds_without_warnings(tmp_path: Path) -> None:
    import subprocess

    root = Path(__file__).parent.parent
    # The site's own conf.py and pages over the frozen sample (tests/roots/test-sample), not the
    # repository's data/ and docs/ reports: those are content, archives included, and change.
    site, sample = tmp_path / "site", root / "tests" / "roots" / "test-sample"
    shutil.copytree(sample / "docs", site / "docs")
    shutil.copytree(sample / "data", site / "data")
    for name in ("index.md", "codes.md"):
        shutil.copy(root / "docs" / name, site / "docs" / name)
    shutil.copy(root / "conf.py", site / "conf.py")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", "-c", str(site), str(site / "docs"), str(tmp_path / "html")],
        capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(root / "ext")),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


@pytest.mark.sphinx("html", testroot="hostile")
def test_hostile_input_is_escaped_and_refused(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 1
    # directive findings come while the page is parsed, the page's own checks after
    assert warnings_of(app) == [
        "demo/2021.md:34: WARNING: 错误 F006 report-table：路径“../conf.py”在 data/ 目录之外，拒绝读取 [govreport.F006]",
        "data/demo/other/table4.csv:4:6: WARNING: 错误 R304 表四“复议后起诉”行：结果维持＋结果纠正＋其他结果＋尚未审结＝0，总计＝3，应相等 [govreport.R304]",
        "data/demo/2021/table2.csv:3:2: WARNING: 错误 C208 表二“规章”行“本年制发件数”列：“<b>1</b>”不是数字 [govreport.C208]",
        "data/demo/2021/table2.csv:3:3: WARNING: 错误 C208 表二“规章”行“本年废止件数”列：“\\textbf{2}&%$#_~^”不是数字 [govreport.C208]",
        "demo/2021.md:7:3: WARNING: 错误 P603 {value}：引用“t3.nosuch.total”：表三 中没有“nosuch”行“total”列 [govreport.P603]",
        "ERROR: 报告检查发现 5 个错误，不能发布；请按上面的提示修改数据或正文。",
    ]
    html = (Path(app.outdir) / "demo" / "2021.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;1&lt;/b&gt;" in html and "<b>1</b>" not in html
    assert html.count('<table class="gov-table gov-t') == 4  # the refused one is not rendered


@pytest.mark.sphinx("latex", testroot="hostile")
def test_hostile_input_is_escaped_in_latex(app: SphinxTestApp) -> None:
    app.build()
    tex = (Path(app.outdir) / "demo-2021.tex").read_text(encoding="utf-8")
    assert r"\textbackslash{}textbf\{2\}\&\%\$\#\_\textasciitilde{}\textasciicircum{}" in tex


@pytest.mark.sphinx("html", testroot="broken")
def test_incremental_build_still_fails_and_says_why(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 1
    first = warnings_of(app)
    app.warning.truncate(0)
    app.warning.seek(0)
    app.statuscode = 0
    app.build()  # nothing changed: no page is read again
    assert app.statuscode == 1
    assert sorted(warnings_of(app)) == sorted(first)


def test_report_without_page_fails_and_names_are_escaped(tmp_path: Path, rootdir: Path) -> None:
    import io

    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-basic", src)
    meta = src / "data/demo/2021/report.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('agency = "测试乡"', 'agency = "测试乡<script>alert(1)</script>*强调*{value}`x`"'), encoding="utf-8")
    shutil.copytree(src / "data/demo/2021", src / "data/other/2021")  # data, but no page
    app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
        warnings = strip_colors(app.warning.getvalue())
        assert app.statuscode == 1
        assert "WARNING: 错误 S505 缺少报告页面 other/2021.md [govreport.S505]" in warnings
        index = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;*强调*{value}`x`" in index
    finally:
        app.cleanup()


def _basic_app(make_app, rootdir: Path, tmp_path: Path) -> SphinxTestApp:  # type: ignore[no-untyped-def]
    shutil.copytree(rootdir / "test-basic", tmp_path / "basic")
    return make_app("html", srcdir=tmp_path / "basic")


def test_gc_threshold_raised_for_the_build_only(make_app, rootdir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A larger collector threshold while Sphinx builds (fewer collections over
    the doctrees held), and the process's own setting again afterwards."""
    from govreport.sphinxext.gc_tuning import THRESHOLD

    before = gc.get_threshold()
    assert before[0] < THRESHOLD[0]  # pytest runs with CPython's default
    app = _basic_app(make_app, rootdir, tmp_path)
    assert gc.get_threshold() == before
    seen: list[tuple[int, int, int]] = []
    app.connect("env-updated", lambda app, env: seen.append(gc.get_threshold()))
    app.connect("html-page-context", lambda *args: seen.append(gc.get_threshold()))
    app.build()
    assert set(seen) == {THRESHOLD}
    assert gc.get_threshold() == before


def test_gc_threshold_restored_after_a_failed_build(make_app, rootdir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An error during the build, and a build-finished handler that raises
    again when told of it, still leave the process's setting as it was."""
    from sphinx.errors import ExtensionError

    before = gc.get_threshold()
    app = _basic_app(make_app, rootdir, tmp_path)

    def fail(*args: object) -> None:
        raise RuntimeError("boom")

    app.connect("doctree-read", fail)
    app.connect("build-finished", fail)
    with pytest.raises(ExtensionError):
        app.build()
    assert gc.get_threshold() == before
