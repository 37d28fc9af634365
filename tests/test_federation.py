"""Federation for a province (issue 22, item 4): a province's site from its districts' published open data.

One district (tests/roots/test-district) is published with ``make site`` (no PDFs); four members are made of its
``opendata/``: 甲区 as published (a folder), 乙区 whose roll-up of 2023 was not published (served by a local web
server: its units then count themselves), 丙区 with one malformed row, and 丁区 whose folder does not exist.
The province's pages and CSV are read back; every expected number is computed from the district's source CSVs.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from govreport.model.generated import is_generated
from govreport.portal.federation.config import federation
from govreport.portal.federation.fetch import FetchError, read
from govreport.portal.publish import SITE, build_site
from portal_helpers import REPO, district_copy

MEMBERS = ["dongyuan", "xiguan", "nanshan", "jiaoyu"]  # quzhengfu's roll-up (its report.toml)
NEW = ("表三", "一、本年新收政府信息公开申请数量", "总计")
DONE = ("表三", "（七）总计", "总计")


def _source(district: Path, agency: str, year: int, label: str) -> int:
    """The 总计 of a row of table3.csv as the district's writer typed it."""
    with open(district / "data" / agency / str(year) / "table3.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("总计")
    return int(next(r for r in rows if r[0] == label)[col])


def _conf(dest: Path) -> None:
    """The project's conf.py with the province's folder as its root (as portal_helpers.district_copy)."""
    main = REPO / "conf.py"
    old, new = "ROOT = Path(__file__).parent.resolve()", f"ROOT = Path({str(dest)!r})"
    (dest / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO / 'ext')!r})\n"
        f"_SRC = open({str(main)!r}, encoding='utf-8').read()\n"
        f"exec(compile(_SRC.replace({old!r}, {new!r}), {str(main)!r}, 'exec'))\n", encoding="utf-8")


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    """``folder`` on a local web server (http://127.0.0.1:PORT/), for the test's duration."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _opendata(site: Path, dest: Path) -> Path:
    """A member made of a published site's open data alone (what federation reads)."""
    (dest / "opendata").mkdir(parents=True)
    for name in ("all.csv", "publication.json"):
        shutil.copy(site / "opendata" / name, dest / "opendata" / name)
    return dest


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    work = tmp_path_factory.mktemp("federation")
    district = district_copy(work / "district", layout="repo")
    with contextlib.chdir(district):
        assert build_site(district, jobs=1, pdf=False) == 0
    site = district / SITE
    assert (site / "opendata" / "compare-2023.csv").is_file()  # a site-wide file, not a report "compare"'s

    members = work / "members"
    _opendata(site, members / "a")
    b = _opendata(site, members / "b")  # its roll-up of 2023 not published: the units count themselves
    pub = json.loads((b / "opendata/publication.json").read_text(encoding="utf-8"))
    pub["published"].remove("quzhengfu/2023")
    del pub["rollups"]["quzhengfu/2023"]
    (b / "opendata/publication.json").write_text(json.dumps(pub, ensure_ascii=False), encoding="utf-8")
    rows = (b / "opendata/all.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (b / "opendata/all.csv").write_text("".join(r for r in rows if not r.startswith("quzhengfu,示例区人民政府,2023,")), encoding="utf-8")
    c = _opendata(site, members / "c")  # one malformed number, in a report the total counts
    text = (c / "opendata/all.csv").read_text(encoding="utf-8")
    bad = f"shuiwu,示例区税务局,2022,{','.join(NEW)},"
    line = next(i for i, r in enumerate(text.splitlines(), 1) if r.startswith(bad))
    old = text.splitlines()[line - 1]
    (c / "opendata/all.csv").write_text(text.replace(old, bad + "十二,件"), encoding="utf-8")

    root = work / "province"
    (root / "docs").mkdir(parents=True)
    _conf(root)
    (root / "docs" / "index.md").write_text("# 示例省政府信息公开工作年度报告\n\n```{federation-index}\n```\n", encoding="utf-8")
    with _served(b) as url:
        (root / "portal.toml").write_text(
            '[federation]\ntitle = "示例省"\n\n'
            f'[[federation.members]]\nname = "甲区"\npath = "{members / "a"}"\nsite = "https://a.example.gov.cn/"\n\n'
            f'[[federation.members]]\nname = "乙区"\nurl = "{url}"\n\n'
            '[[federation.members]]\nname = "丙区"\npath = "../members/c"\n\n'
            '[[federation.members]]\nname = "丁区"\npath = "../members/d/_build/site"\n', encoding="utf-8")
        # As make site runs it, from the province's folder (no data/ of its own: found by its portal.toml).
        proc = subprocess.run([sys.executable, "-m", "govreport", "site", "--no-pdf", "-j", "1"], cwd=root, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=str(REPO / "ext")))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The members' problems are warnings of the build, located (the site is published without them).
    assert f"../members/c/opendata/all.csv:{line}: 错误 U943 成员地区“丙区”：数值“十二”不是件数" in proc.stderr
    yield root, district, f"{line}"


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def test_province_rollup_counts_each_report_once(province: tuple[Path, Path, str]) -> None:
    root, district, _ = province
    site = root / SITE
    q23 = _source(district, "quzhengfu", 2023, NEW[1])
    units23 = sum(_source(district, a, 2023, NEW[1]) for a in MEMBERS)
    assert (q23, units23) == (107, 107)  # the roll-up adds up (U905), so 乙区 gives the same as 甲区
    rollup = {(r[1], r[2], r[3], r[4]): r[5] for r in _csv(site / "opendata/province/rollup-2023.csv")[1:]}
    # 甲区: its roll-up (quzhengfu; shuiwu/2023 withheld); 乙区: the 4 units; 丙区: as 甲区; 丁区: not read.
    assert rollup[("合计", *NEW)] == str(q23 + units23 + q23) == "321"
    assert rollup[("甲区", *NEW)] == rollup[("乙区", *NEW)] == rollup[("丙区", *NEW)] == "107"
    assert not any(k[0] == "丁区" for k in rollup)

    # 2022: each district = roll-up + shuiwu (not a member); 丙区's shuiwu number is malformed: blank, not guessed.
    done22 = _source(district, "quzhengfu", 2022, DONE[1]) + _source(district, "shuiwu", 2022, DONE[1])
    rollup22 = {(r[1], r[2], r[3], r[4]): r[5] for r in _csv(site / "opendata/province/rollup-2022.csv")[1:]}
    assert rollup22[("合计", *DONE)] == str(3 * done22)
    assert rollup22[("甲区", *NEW)] == str(_source(district, "quzhengfu", 2022, NEW[1]) + _source(district, "shuiwu", 2022, NEW[1]))
    assert rollup22[("丙区", *NEW)] == "" and rollup22[("合计", *NEW)] == ""

    page = (site / "province-rollup-2023.html").read_text(encoding="utf-8")
    assert "1 份报告相加：示例区人民政府（汇总报告）；未计入暂缓发布的 示例区税务局" in page
    assert "4 份报告相加：东园镇、示例区教育局、南山乡、西关街道" in page
    assert "未计入：丁区" in page and "<td>321</td>" in page


def test_province_comparison_and_status(province: tuple[Path, Path, str]) -> None:
    root, district, _ = province
    site = root / SITE
    rows = {r[1]: r for r in _csv(site / "opendata/province/compare-2023.csv")[1:]}
    assert [rows[n][4] for n in ("甲区", "乙区", "丙区", "丁区")] == ["107", "107", "107", ""]
    assert rows["甲区"][5] == str(_source(district, "quzhengfu", 2023, DONE[1]))
    compare = (site / "province-compare-2023.html").read_text(encoding="utf-8")
    assert 'href="https://a.example.gov.cn/compare-2023.html">甲区</a>' in compare
    status = (site / "province-status.html").read_text(encoding="utf-8")
    assert "2023 年度：已发布 5 份（其中存档 0 份），暂缓发布 1 份" in status
    assert "暂缓发布（2 个错误）" in status and "存档原文" in status
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://a.example.gov.cn/quzhengfu/2023.html">2023 年度报告</a>（汇总）' in index
    assert 'href="https://a.example.gov.cn/pdf/shuiwu-2022.pdf"' in index
    assert "2023 年度：暂缓发布" in index
    url = next(d for d in federation(root).members if d.name == "乙区").url
    assert f'href="{url}dongyuan/2023.html"' in index  # a web member: links to its own site
    assert "丙区" in index and 'href="../members' not in index  # a folder without site: names, no links


def test_province_pages_are_documents(province: tuple[Path, Path, str]) -> None:
    """Issue 20: the province's pages are generated sources (read again each build: the members'
    data is not a file here), written in the theme like any page."""
    root, _, _ = province
    made = sorted(p.name for p in (root / "docs").glob("*.md") if is_generated(p))
    assert made == [*(f"province-compare-{y}.md" for y in (2021, 2022, 2023)), *(f"province-rollup-{y}.md" for y in (2021, 2022, 2023)),
                    "province-status.md"]
    page = (root / SITE / "province-rollup-2023.html").read_text(encoding="utf-8")
    assert '<article class="bd-article">' in page and "<h1>示例省 2023 年度汇总" in page and "<title>示例省 2023 年度汇总" in page


def test_malformed_row_and_missing_member_are_located(province: tuple[Path, Path, str]) -> None:
    root, _, line = province
    status = (root / SITE / "province-status.html").read_text(encoding="utf-8")
    assert (f"<code>U943</code> 成员地区的数据行有误：成员地区“丙区”：数值“十二”不是件数；这一行不计入（../members/c/opendata/all.csv:{line}）"
            in status)
    assert ("<code>U942</code> 成员地区的数据无法读取：成员地区“丁区”：找不到 ../members/d/_build/site/opendata/publication.json："
            "请确认 path 指向该地区已发布的网站目录（make site 生成的 _build/site）；该地区不计入") in status
    index = (root / SITE / "index.html").read_text(encoding="utf-8")
    assert "找不到 ../members/d/_build/site/opendata/publication.json" in index


def test_make_check_lists_the_members_problems(province: tuple[Path, Path, str]) -> None:
    """In the province's repository, make check says what its build would of the members (located), and fails."""
    root, _, line = province
    proc = subprocess.run([sys.executable, "-m", "govreport", "check"], cwd=root, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO / "ext")))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"../members/c/opendata/all.csv:{line}: 错误 U943 成员地区“丙区”：数值“十二”不是件数" in proc.stdout
    assert "错误 U942 成员地区“丁区”：找不到 ../members/d/_build/site/opendata/publication.json" in proc.stdout
    assert "检查了 0 份报告" in proc.stdout


def test_portal_toml_federation_is_validated_with_lines(tmp_path: Path) -> None:
    (tmp_path / "portal.toml").write_text(
        'publish = "passing"\n[federation]\n\n[[federation.members]]\nname = "甲区"\npath = "a"\n\n'
        '[[federation.members]]\nname = "乙区"\nurl = "ftp://b.example.cn/"\n\n'
        '[[federation.members]]\nname = "丙区"\npath = "c"\nurl = "https://c.example.cn"\n\n'
        '[[federation.members]]\nname = "甲区"\nurl = "https://a.example.cn"\n\n'
        '[[federation.members]]\nname = "戊区"\npth = "e"\n', encoding="utf-8")
    fed = federation(tmp_path)
    assert [m.name for m in fed.members] == ["甲区"]
    assert [(f.code, f.location()) for f in fed.findings] == [
        ("U941", "portal.toml:10"), ("U941", "portal.toml:15"), ("U941", "portal.toml:18"), ("U941", "portal.toml:23")]
    assert "“乙区”的 url 应以 http:// 或 https:// 开头" in fed.findings[0].message
    assert "“丙区”应写 path（本机目录）或 url（网址）二者之一" in fed.findings[1].message
    assert "成员地区“甲区”写了两次" in fed.findings[2].message
    assert "不认识的项 pth" in fed.findings[3].message
    (tmp_path / "portal.toml").write_text('publish = "passing"\n', encoding="utf-8")
    assert not federation(tmp_path).declared  # a district: no federation, nothing to say


def test_web_reads_are_bounded(tmp_path: Path) -> None:
    (tmp_path / "opendata").mkdir()
    (tmp_path / "opendata" / "all.csv").write_bytes(b"x" * 5000)
    from govreport.portal.federation.config import Member

    with _served(tmp_path) as url:
        m = Member("甲区", url=url)
        assert read(tmp_path, m, "opendata/all.csv") == b"x" * 5000
        with pytest.raises(FetchError, match=r"opendata/all.csv 有 5000 字节，超过上限 1000 字节"):
            read(tmp_path, m, "opendata/all.csv", limit=1000)
        with pytest.raises(FetchError, match=r"publication.json 无法下载：服务器回答 404（文件不存在）"):
            read(tmp_path, m, "opendata/publication.json")
    with pytest.raises(FetchError, match="无法访问"):
        read(tmp_path, Member("甲区", url=url), "opendata/all.csv", timeout=2)  # the server is gone


class _Trickle(http.server.BaseHTTPRequestHandler):
    """A server that sends one byte every 0.2 s: never done within a time limit."""

    def do_GET(self) -> None:
        import time

        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        pass


def test_a_slow_member_times_out(tmp_path: Path) -> None:
    from govreport.portal.federation.config import Member

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FetchError, match=r"opendata/all.csv 在 1 秒内没有下载完（超时）"):
            read(tmp_path, Member("甲区", url=f"http://127.0.0.1:{server.server_address[1]}/"), "opendata/all.csv", timeout=1)
    finally:
        server.shutdown()
        server.server_close()


def _member_files(folder: Path, publication: str, rows: str) -> None:
    (folder / "opendata").mkdir(parents=True)
    (folder / "opendata" / "publication.json").write_text(publication, encoding="utf-8")
    (folder / "opendata" / "all.csv").write_text("\ufeffagency,agency_name,year,table,row,column,value,unit\n" + rows, encoding="utf-8")


def test_an_older_site_without_rollups_is_not_added_up(tmp_path: Path) -> None:
    from govreport.portal.federation.config import Member
    from govreport.portal.federation.rows import load
    from govreport.portal.federation.sums import district_total

    _member_files(tmp_path / "old", '{"published": ["a/2023"], "archived": [], "withheld": {}}',
                  "a,甲单位,2023,表三,一、本年新收政府信息公开申请数量,总计,5,件\n"
                  "a,甲单位,2023,表三,一、本年新收政府信息公开申请数量,自然人,5,件\n"
                  "a,甲单位,2023,表三,一、本年新收政府信息公开申请数量,总计,6,件\n"
                  "a,甲单位,2023,表三,一、本年新收申请,总计,5,件\n"
                  "a,甲单位,2023,表三,一、本年新收政府信息公开申请数量,商业企业,5,万元\n")
    d = load(tmp_path, Member("甲区", path="old"))
    assert [(f.code, f.location()) for f in d.findings] == [
        ("U945", "old/opendata/publication.json"), ("U943", "old/opendata/all.csv:4"), ("U943", "old/opendata/all.csv:5"),
        ("U943", "old/opendata/all.csv:6")]
    assert d.reports[("a", 2023)].value("t3", "new", "total") == 5  # the first; the repeated row is a finding, not a sum
    assert "出现了两次" in d.findings[1].message and "不是官方格式中的单元格" in d.findings[2].message
    assert "单位应是“件”，实为“万元”" in d.findings[3].message
    total = district_total(d, 2023)
    assert total.cells == {} and "没有写明汇总关系" in total.note  # left out, not counted twice

    _member_files(tmp_path / "bad", '{"published": "a/2023"}', "")
    d = load(tmp_path, Member("乙区", path="bad"))
    assert [(f.code, f.location()) for f in d.findings] == [("U944", "bad/opendata/publication.json")]
    assert d.error == "成员地区“乙区”的 publication.json 的 published、archived 应是“单位/年度”的列表；该地区不计入"


def test_province_pages_build_as_text(province: tuple[Path, Path, str], tmp_path: Path) -> None:
    """Issue 20: the province's pages are content every builder writes (not only the HTML's): as
    text, a comparison row per district, the roll-up's counting, the index's reports."""
    root, _, _ = province
    out = tmp_path / "text"
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-c", str(root), "-b", "text", "-d", str(tmp_path / "doctrees"),
                           str(root / "docs"), str(out)], cwd=root, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO / "ext")))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    compare = (out / "province-compare-2023.txt").read_text(encoding="utf-8")
    assert any("甲区" in line and "| 107" in line for line in compare.splitlines()), compare
    assert "示例省汇总" in compare and "data-gov-sort" not in compare
    rollup = (out / "province-rollup-2023.txt").read_text(encoding="utf-8")
    assert "1 份报告相加：示例区人民政府（汇总报告）" in rollup and "各地区的计入方式" in rollup
    index = (out / "index.txt").read_text(encoding="utf-8")
    assert "2023 年度报告（汇总）" in index and "各地区发布情况" in index
    status = (out / "province-status.txt").read_text(encoding="utf-8")
    assert "2023 年度：已发布 5 份（其中存档 0 份），暂缓发布 1 份" in status and "暂缓发布（2 个错误）" in status


def test_a_year_gone_from_every_member_leaves_the_site(province: tuple[Path, Path, str]) -> None:
    """Run last (it builds the province again, with 乙区's server gone)."""
    root, _, _ = province
    html = root / "_build" / "publish" / "html"
    stale = [html / "province-compare-1999.html", html / "province-rollup-1999.html", html / "opendata/province/rollup-1999.csv"]
    for path in stale:
        path.write_text("上次构建留下的", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "govreport", "site", "--no-pdf", "-j", "1"], cwd=root, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO / "ext")))
    assert proc.returncode == 0, proc.stderr
    assert "U942" in proc.stderr and "乙区" in proc.stderr  # the web member is gone: said, and left out
    assert not any(p.exists() for p in stale)
    assert not list((root / SITE).glob("*1999*")) and (root / SITE / "province-rollup-2023.html").is_file()
