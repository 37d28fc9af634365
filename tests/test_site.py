"""The site as readers and writers meet it, in the built HTML (no browser: see test_browser.py).

tests/roots/test-site: 沙坡头区香山乡 with 2020 and 2021, 测试镇 2021 marked as a draft,
the project's own theme and a site.toml.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from govreport.sphinxext.search import GovSearchChinese, _cut, name_words
from govreport.web.sitetheme import load_site
from sphinx.testing.util import SphinxTestApp

SITE = Path(__file__).parent / "roots" / "test-site"


def _read(app: SphinxTestApp, name: str) -> str:
    return (Path(app.outdir) / name).read_text(encoding="utf-8")


def _build(src: Path, builder: str = "html", **overrides: str) -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=src, status=io.StringIO(), warning=io.StringIO(), confoverrides=overrides)
    try:
        app.build()
    except BaseException:
        app.cleanup()
        raise
    return app


@contextlib.contextmanager
def built(src: Path, builder: str = "html", **overrides: str) -> Iterator[SphinxTestApp]:
    """An app built once, cleaned up after (docutils' node registry is global)."""
    app = _build(src, builder, **overrides)
    try:
        yield app
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    src = tmp_path_factory.mktemp("site") / "root"
    shutil.copytree(SITE, src)
    app = _build(src)
    try:
        assert app.statuscode == 0 and app.warning.getvalue() == ""
        yield app
    finally:
        app.cleanup()


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_index_links_agencies_not_every_report(site: SphinxTestApp) -> None:
    index = _hrefs(_read(site, "index.html"))
    assert {"xiangshan/index.html", "other/index.html", "xiangshan/2021.html", "pdf/xiangshan-2021.pdf"} <= index
    assert "xiangshan/2020.html" not in index  # older years are on the agency's page
    agency = _read(site, "xiangshan/index.html")
    assert {"2021.html", "2020.html", "../pdf/xiangshan-2020.pdf", "../opendata/xiangshan-2020.json"} <= _hrefs(agency)
    assert "<h1>沙坡头区香山乡</h1>" in agency and "发布机关：中卫市沙坡头区香山乡人民政府" in agency


def test_report_page_years_and_pager(site: SphinxTestApp) -> None:
    page = _read(site, "xiangshan/2021.html")
    assert "上一年度：2020 年度报告" in page and 'href="2020.html"' in page
    assert 'href="../xiangshan/index.html">本机关全部年度</a>' in page
    assert "下一年度" not in page  # there is no 2022
    assert "下一年度：2021 年度报告" in _read(site, "xiangshan/2020.html")
    # the codes page from every page (header and footer)
    for name in ("index.html", "codes.html", "xiangshan/index.html", "xiangshan/2021.html"):
        assert "检查结果代码</a>" in _read(site, name), name


def test_titles_header_footer_favicon(site: SphinxTestApp) -> None:
    page = _read(site, "xiangshan/2021.html")
    assert "<title>沙坡头区香山乡2021年政府信息公开工作年度报告</title>" in page
    assert "<title>检查结果代码 &#8212; 测试政府信息公开年报网</title>" in _read(site, "codes.html")
    assert "<title>测试政府信息公开年报网</title>" in _read(site, "index.html")
    for name in ("index.html", "codes.html", "xiangshan/index.html", "xiangshan/2021.html", "search.html"):
        html = _read(site, name)
        assert '<span class="gov-brand__name">测试政府信息公开年报网</span>' in html, name
        assert '<span class="gov-brand__office">测试县人民政府办公室</span>' in html, name
        assert "网站标识码：6400000001" in html and "宁ICP备00000000号" in html, name
        assert 'rel="icon" href="' in html and "favicon.svg" in html, name
        assert "Search" not in re.sub(r"<script.*?</script>|<[^>]+>", "", html, flags=re.S), name  # every visible string Chinese
    assert (Path(site.outdir) / "_static" / "favicon.svg").is_file()


def test_site_toml_unknown_key(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('name = "x"\nofice = "y"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="ofice"):
        load_site(tmp_path)


@pytest.fixture(scope="module")
def sphinx_search(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    """The test site with Sphinx's own search (govreport_search = "sphinx", the benchmark's baseline)."""
    src = tmp_path_factory.mktemp("sphinx-search") / "root"
    shutil.copytree(SITE, src)
    with built(src, govreport_search="sphinx") as app:
        assert app.statuscode == 0  # (beside the module's other app, docutils warns of its nodes registered twice)
        yield app


def test_site_search_indexes_only_reports(site: SphinxTestApp) -> None:
    """The site's index (_search/), of the three report pages only; no page loads a whole-site index;
    the search page carries the index's version and starts its query before the stylesheet."""
    out = Path(site.outdir)
    index = json.loads(_read(site, "_search/index.json"))
    assert index["pages"] == 3
    assert not (out / "searchindex.js").exists()
    for page in [p for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "_static"]:
        html = page.read_text(encoding="utf-8")
        assert "searchindex.js" not in html and "searchtools.js" not in html, page
        assert 'class="gov-search-field" action="' in html, page  # the header's search box on every page
    urls = sorted(json.loads(gzip.decompress((out / "_search" / "f" / f"{i}.grs").read_bytes()))["u"] for i in range(3))
    assert urls == ["other/2021.html", "xiangshan/2020.html", "xiangshan/2021.html"]
    search = _read(site, "search.html")
    assert f'data-version="{index["version"]}" data-buckets="{index["buckets"]}"' in search
    assert search.index("window.govSearchPage = ui") < search.index('rel="stylesheet"')
    assert '<option value="2021">2021</option><option value="2020">2020</option>' in search


def test_light_pages(site: SphinxTestApp) -> None:
    """One trimmed stylesheet; no icon font, no Bootstrap bundle, no script that blocks the first paint."""
    out = Path(site.outdir)
    for name in ("index.html", "xiangshan/2021.html", "xiangshan/index.html", "search.html", "codes.html"):
        html = _read(site, name)
        head = html.split("</head>", 1)[0]
        assert re.findall(r'<link rel="stylesheet"[^>]*>', head) == [f'<link rel="stylesheet" href="{"../" * name.count("/")}_static/gov-site.css">'], name
        assert "fontawesome" not in html and "bootstrap.js" not in html and "doctools.js" not in html, name
        blocking = [s for s in re.findall(r"<script[^>]*\ssrc=[^>]*>", head) if "defer" not in s and 'type="module"' not in s]
        assert blocking == [], name
    css = _read(site, "_static/gov-site.css")
    theme = (out / "_static" / "styles" / "pydata-sphinx-theme.css").stat().st_size
    assert ".gov-brand{" in css and ".bd-header{" in css and "--gov-icon-bars" in css
    assert "@font-face" not in css and "data-theme=dark" not in css  # no icon font to download, no dark mode
    assert len(css.encode()) < theme / 3  # trimmed


def _index(app: SphinxTestApp) -> dict[str, object]:
    text = _read(app, "searchindex.js")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])  # type: ignore[no-any-return]


def test_chinese_words_indexed(sphinx_search: SphinxTestApp) -> None:
    site = sphinx_search
    terms = _index(site)["terms"]
    assert isinstance(terms, dict)
    for word in ("行政复议", "香山乡", "沙坡头区香山乡", "依申请公开", "政府信息公开申请", "上年结转", "结转下年度"):
        assert word in terms, word
    data = _read(site, "_static/language_data.js")
    assert "window.Stemmer = EnglishStemmer;" in data and "ChineseStemmer" not in data
    assert "var splitQuery = (query) =>" in data


def test_search_index_byte_identical(sphinx_search: SphinxTestApp, tmp_path: Path) -> None:
    site = sphinx_search
    src = tmp_path / "again"
    shutil.copytree(SITE, src)
    with built(src, govreport_search="sphinx") as again:
        assert _read(again, "searchindex.js") == _read(site, "searchindex.js")
        # and after an incremental rebuild that re-reads one page
        page = src / "xiangshan" / "2021.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again.build()
        assert _read(again, "searchindex.js") == _read(site, "searchindex.js")


def test_site_search_index_follows_the_pages(tmp_path: Path) -> None:
    """The site's index: byte-identical from a copy; not written again when no page changed; a new
    sentence is found after an incremental build, and it and the page's index files change with it."""
    src = tmp_path / "root"
    shutil.copytree(SITE, src, ignore=shutil.ignore_patterns("_build"))
    with built(src) as app:
        out = Path(app.outdir) / "_search"
        first = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        app.build()
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps  # nothing rewritten
        page = src / "xiangshan" / "2021.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n本年度试行了独角兽登记制度。\n", encoding="utf-8")
        app.build()
        info = json.loads((out / "index.json").read_text(encoding="utf-8"))
        assert info["version"] != json.loads(first["index.json"])["version"]
        from govreport.web.sitesearch import SUFFIX, fnv1a

        bucket = json.loads(gzip.decompress((out / "b" / f"{fnv1a('独角') % info['buckets']}{SUFFIX}").read_bytes()))
        assert "独角" in bucket["b"]
        texts = [json.loads(gzip.decompress(p.read_bytes())) for p in sorted((out / "f").glob(f"*{SUFFIX}"))]
        hit = [t["u"] for t in texts if any("独角兽登记制度" in x for _, _, ss in t["s"] for x in ss)]
        assert hit == ["xiangshan/2021.html"]
        # Records made by other code (an upgrade): every report page is read and written again.
        records = Path(app.doctreedir) / "govreport-search" / "html"
        (records / "xiangshan" / "2020.json").write_text('{"old": "format"}', encoding="utf-8")
        records.with_suffix(".code").write_text("older code", encoding="utf-8")
        app.build()
        assert json.loads((records / "xiangshan" / "2020.json").read_text(encoding="utf-8"))["u"] == "xiangshan/2020.html"
    shutil.copytree(SITE, tmp_path / "copy", ignore=shutil.ignore_patterns("_build"))
    with built(tmp_path / "copy") as again:
        out2 = Path(again.outdir) / "_search"
        assert {p.relative_to(out2).as_posix(): p.read_bytes() for p in out2.rglob("*") if p.is_file()} == first


def test_split_cached_and_name_parts() -> None:
    lang = GovSearchChinese({})
    lang.split("本年新收政府信息公开申请数量")
    hits = _cut.cache_info().hits
    lang.split("本年新收政府信息公开申请数量")
    assert _cut.cache_info().hits == hits + 1
    assert name_words("中卫市沙坡头区香山乡") == ["中卫市沙坡头区香山乡", "中卫市", "沙坡头区", "香山乡"]


def test_drafts_marked(site: SphinxTestApp, tmp_path: Path) -> None:
    index = _read(site, "index.html")
    cards = re.split(r'<li class="gov-agency-card', index)  # issue 21: one row per unit
    draft = [c for c in cards if "测试镇" in c]
    final = [c for c in cards if "沙坡头区香山乡" in c]
    assert len(draft) == 1 and "草稿" in draft[0] and len(final) == 1 and "草稿" not in final[0]
    assert "草稿</span> 本报告尚未定稿：report.toml 标明为草稿（draft = true）。" in _read(site, "other/2021.html")
    assert "gov-draft" not in _read(site, "xiangshan/2021.html")
    assert '<span class="gov-badge-draft">草稿</span>' in _read(site, "other/index.html")
    # the PDF's watermark: one command, called by draft pages only
    src = tmp_path / "latex"
    shutil.copytree(SITE, src)
    with built(src, "latex") as app:
        draft_tex, final_tex = _read(app, "other-2021.tex"), _read(app, "xiangshan-2021.tex")
    assert r"\providecommand{\GovDraft}" in draft_tex and r"\providecommand{\GovDraft}" in final_tex
    assert re.search(r"^\\GovDraft$", draft_tex, re.M) and not re.search(r"^\\GovDraft$", final_tex, re.M)


def test_findings_shown_and_marked(tmp_path: Path) -> None:
    src = tmp_path / "broken"
    shutil.copytree(SITE, src)
    csv = src / "data" / "xiangshan" / "2021" / "table3.csv"
    text = csv.read_text(encoding="utf-8")
    line_no, line = next((i + 1, x) for i, x in enumerate(text.splitlines()) if x.startswith("（七）总计"))
    csv.write_text(text.replace(line, "（七）总计,9,1,0,0,0,0,10"), encoding="utf-8")
    page = src / "xiangshan" / "2021.md"
    page.write_text(page.read_text(encoding="utf-8").replace("无。\n", "（请写明本年度存在的主要问题）\n", 1), encoding="utf-8")
    with built(src) as app:
        assert app.statuscode == 1
        html = _read(app, "xiangshan/2021.html")
    box = html[html.index('id="gov-findings"') : html.index("</div>", html.index('id="gov-findings"'))]
    assert "检查提示：" in box and "个错误" in box and "不能发布" in box
    assert f"data/xiangshan/2021/table3.csv:{line_no}:2" in box and "R301" in box and "X802" in box
    # the cells and the sentence concerned carry a mark with the codes
    assert re.search(r'<td class="gov-num gov-flagged[^"]*"[^>]*><p>9<span class="gov-flag">R301 R302</span>', html)
    assert re.search(r'<p class="gov-flagged"><span class="gov-flag">X802</span>（请写明', html)
    assert "草稿</span> 本报告尚未定稿：正文中还有模板占位文字。" in html
    assert html.index('id="gov-findings"') < html.index("一、总体情况")  # at the top
