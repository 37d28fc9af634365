"""Publish what passes (issue 16): a report with an error is withheld, the rest publish."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from govreport.cli.commands import main
from govreport.portal.publish import SITE, Plan, assemble, build_site, changed_reports, verify
from portal_helpers import district_copy, edit
from sphinx.testing.util import SphinxTestApp


@pytest.mark.sphinx("html", testroot="district", confoverrides={"govreport_publish": "passing"})
def test_passing_build_withholds_the_failing_report(app: SphinxTestApp) -> None:
    app.build()
    out = Path(app.outdir)
    assert app.statuscode == 0
    assert not (out / "shuiwu" / "2023.html").exists() and (out / "shuiwu" / "2022.html").is_file()
    assert not (out / "opendata" / "shuiwu-2023.csv").exists() and not (out / "data" / "shuiwu" / "2023").exists()
    assert "示例区税务局,2023," not in (out / "opendata" / "all.csv").read_text(encoding="utf-8-sig")
    assert "示例区税务局,2022," in (out / "opendata" / "all.csv").read_text(encoding="utf-8-sig")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "暂缓发布：2 个错误，改正后发布" in index  # issue 21: on the unit's row of the index
    assert "shuiwu/2023.html" not in index


@pytest.mark.sphinx("html", testroot="district")
def test_make_html_stays_strict(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 1


def test_assemble_leaves_out_dot_files(tmp_path: Path) -> None:
    """What a build killed mid-write leaves (common.replace_file's .name.part) is not published."""
    html = tmp_path / "html"
    for rel in ("a/2023.html", "opendata/.all.csv.part", "opendata/all.csv"):
        (html / rel).parent.mkdir(parents=True, exist_ok=True)
        (html / rel).write_text("agency,agency_name,year\n", encoding="utf-8")
    assert assemble(tmp_path, Plan(published=["a/2023"]), html, None) == 0
    site = tmp_path / SITE
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "a/2023.html", "opendata/all.csv", "opendata/publication.json"]


def test_verify_refuses_a_withheld_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "2023.html").write_text("x", encoding="utf-8")
    (site / "b").mkdir()
    p = Plan(published=["b/2023"], withheld={"a/2023": 2})
    assert verify(site, p) == ["暂缓发布的报告 a/2023 出现在网站中：a/2023.html",
                               "报告 b/2023 通过了检查，但网站中没有它的页面", "报告 b/2023 通过了检查，但网站中没有它的 PDF"]


def test_verify_reads_the_open_data_join(tmp_path: Path) -> None:
    """A withheld report's rows in opendata/all.csv are refused, a name with a comma in it read as CSV;
    another agency or year is not taken for it."""
    (tmp_path / "opendata").mkdir()
    (tmp_path / "opendata" / "all.csv").write_text(
        "\ufeffagency,agency_name,year,table,row,column,value,unit\n"
        "ab,乙,2023,表二,规章,本年制发件数,0,件\na,甲,2022,表二,规章,本年制发件数,1,件\na,甲,2023,表二,规章,本年制发件数,2,件\n"
        'c,"丙局,办公室",2023,表二,规章,本年制发件数,3,件\nd,"丁,2021,x",2022,表二,规章,本年制发件数,4,件\n',
        encoding="utf-8")
    p = Plan(published=[], withheld={"b/2023": 1, "a/2023": 1, "a/2024": 1, "c/2023": 1, "丁/2021": 1})
    assert verify(tmp_path, p, pdf=False) == ["暂缓发布的报告 a/2023 的数据在 opendata/all.csv 中",
                                              "暂缓发布的报告 c/2023 的数据在 opendata/all.csv 中"]


def test_verify_reads_the_search_index(tmp_path: Path) -> None:
    """What the search finds is what is published: a withheld report in the index, a published one missing."""
    from govreport.web.sitesearch import Page, Section, write_index

    site = tmp_path / "site"
    for key in ("a/2023", "b/2023"):
        (site / key).parent.mkdir(parents=True, exist_ok=True)
        (site / f"{key}.html").write_text("x", encoding="utf-8")
    write_index([Page("a/2023.html", "甲2023年报告", "甲", 2023, (Section("", "", ("正文。",)),))], site / "_search")
    (site / "a" / "2023.html").unlink()
    p = Plan(published=["b/2023"], withheld={"a/2023": 2})
    assert verify(site, p, pdf=False) == ["暂缓发布的报告 a/2023 在全文搜索索引中", "报告 b/2023 通过了检查，但全文搜索索引中没有它"]


def _git(root: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e",
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_pull_request_fails_only_on_reports_it_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = district_copy(tmp_path / "repo", layout="repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    # An unrelated, correct edit: shuiwu/2023's errors (not changed here) do not fail it.
    edit(root / "docs/nanshan/2023.md", "本年度未收取信息处理费。", "本年度未收取信息处理费，也未减免。")
    assert changed_reports(root, "HEAD") == ["nanshan/2023"]
    assert main(["summary", "--changed-since", "HEAD"]) == 0
    capsys.readouterr()
    # An error in the report it changes fails it, and its findings come first.
    t4 = root / "data/nanshan/2023/table4.csv"
    lines = t4.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = str(int(cells[1]) + 1)
    lines[1] = ",".join(cells)
    t4.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["summary", "--changed-since", "HEAD"]) == 1
    out = capsys.readouterr().out
    annotations = [ln for ln in out.splitlines() if ln.startswith("::")]
    assert annotations and all("nanshan/2023" in ln for ln in annotations)
    assert out.index("## 检查结果") < out.index("## 其他报告的检查结果") and "shuiwu/2023" in out.split("## 其他报告")[1]
    # Publishing (no base): withheld, not failed; strict: failed.
    assert main(["summary", "--publish"]) == 0
    (root / "portal.toml").write_text('publish = "strict"\n', encoding="utf-8")
    assert main(["summary", "--publish"]) == 1


@pytest.mark.slow
def test_make_site_publishes_what_passes(tmp_path: Path) -> None:
    """The whole publishing step: checks, HTML and PDF of the passing reports, _build/site verified."""
    root = district_copy(tmp_path / "repo", layout="repo")
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    assert build_site(root, jobs=2) == 0
    site = root / "_build" / "site"
    pdfs = sorted(p.name for p in (site / "pdf").iterdir())
    assert "shuiwu-2023.pdf" not in pdfs and "shuiwu-2022.pdf" in pdfs and "xiguan-2021.pdf" in pdfs and len(pdfs) == 17
    assert sorted(p.name for p in (site / "docx").iterdir()) == [n.replace(".pdf", ".docx") for n in pdfs]  # Word 版 too
    assert not (site / "shuiwu" / "2023.html").exists() and (site / "status.html").is_file()
    assert '"shuiwu/2023": 2' in (site / "opendata" / "publication.json").read_text(encoding="utf-8")
    assert build_site(root, jobs=2, strict=True) == 1


def test_a_page_failing_the_page_scan_withholds_only_its_report(tmp_path: Path) -> None:
    """Issue 26: raw HTML in one page (as an imported web page may hold) made `make site` produce no site:
    the page scan's errors (S508–S511) now withhold that report like any other error."""
    from govreport.portal.publish import plan

    root = district_copy(tmp_path / "repo", layout="repo")
    edit(root / "docs" / "xiguan" / "2021.md", "本年新收政府信息公开申请", "本年<b>新收</b>政府信息公开申请")
    p = plan(root)
    assert p.withheld == {"shuiwu/2023": 2, "xiguan/2021": 2}  # <b> and </b>
    assert [(f.code, f.line) for f in p.findings["xiguan/2021"] if f.is_error] == [("S510", 15), ("S510", 15)]
    assert build_site(root, jobs=1, pdf=False) == 0
    site = root / "_build" / "site"
    assert not (site / "xiguan" / "2021.html").exists() and (site / "xiguan" / "2022.html").is_file()
    assert '"xiguan/2021": 2' in (site / "opendata" / "publication.json").read_text(encoding="utf-8")
