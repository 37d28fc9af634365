"""The site's search index (govreport/web/sitesearch.py, issue 21): terms, sections, files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from govreport.web.sitesearch import (
    SUFFIX,
    Page,
    Section,
    fnv1a,
    index_files,
    order,
    page_sections,
    query_terms,
    sentences,
    terms,
    write_index,
)


def _page(url: str, year: int, title: str, *text: str, unit: str = "香山乡") -> Page:
    return Page(url, title, unit, year, (Section("id2", "一、总体情况", tuple(text)),))


def _read(data: bytes) -> object:
    return json.loads(gzip.decompress(data))


def _ids(deltas: str) -> list[int]:
    out, prev = [], -1
    for d in deltas.split(","):
        prev += int(d) + 1
        out.append(prev)
    return out


def test_terms_are_han_characters_and_pairs_and_latin_words() -> None:
    assert terms("行政复议") == {"行", "政", "复", "议", "行政", "政复", "复议"}
    # Full-width letters and digits as ASCII, lower case; punctuation splits.
    assert terms("ＰＤＦ版，2021年") == {"pdf", "版", "2021", "年"}
    assert query_terms("行政复议") == ["行政", "政复", "复议"]
    assert query_terms("乡 PDF") == ["乡", "pdf"]
    assert query_terms("——！") == []
    assert query_terms("𠮷") == ["𠮷"] and query_terms("二〇二二年") == ["二〇", "〇二", "二二", "二年"]


def test_fnv1a_is_the_standard_hash_for_ascii() -> None:
    """The browser computes the same (govreport-sitesearch.js): the published FNV-1a 32-bit values."""
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
    assert fnv1a("") == 0x811C9DC5


def test_sentences_split_at_chinese_stops_and_are_bounded() -> None:
    assert sentences("本年新收申请19件。办结21件；结转 3 件！") == ["本年新收申请19件。", "办结21件；", "结转 3 件！"]
    long = sentences("表" * 2400)
    assert [len(s) for s in long] == [1000, 1000, 400]
    row = sentences(" ".join(["行政复议"] * 300))  # a wide row is cut between its cells, not inside a word
    assert all(part.split(" ") == ["行政复议"] * len(part.split(" ")) for part in row) and len(row) == 2


def test_page_sections_read_the_article_as_a_reader_sees_it() -> None:
    body = """<section id="id1"><h1>香山乡2021年政府信息公开工作年度报告<a class="headerlink" href="#id1">¶</a></h1>
<div class="gov-years docutils container"><p>本机关全部年度：2020 年度</p></div>
<p>统计期限自2021年1月1日至12月31日。</p>
<section id="id2"><h2>一、总体情况</h2><p>本年新收申请<span class="gov-value">19</span>件。办结21件。</p>
<table><tr><th><p>行政复议</p></th><td><p>1</p></td><td><p>2</p></td></tr></table>
<script>var x = "不是正文";</script><svg><title>图表</title><text>0 1 2</text></svg>
<section id="id3"><h3>（一）细目</h3><p>细目正文。</p></section>
<p>总体情况的最后一句。</p></section>
<div class="gov-pager"><p>下一年度：2022 年度报告</p></div>
<div><p>下载</p></span><p>仍是正文。</p></div></section>"""
    assert page_sections(body) == (
        Section("", "香山乡2021年政府信息公开工作年度报告", ("统计期限自2021年1月1日至12月31日。",)),
        Section("id2", "一、总体情况", ("本年新收申请19件。", "办结21件。", "行政复议 1 2")),
        Section("id3", "（一）细目", ("细目正文。",)),
        Section("id2", "一、总体情况", ("总体情况的最后一句。",)),  # after the nested section: its parent again
        Section("", "香山乡2021年政府信息公开工作年度报告", ("下载", "仍是正文。")),  # a stray </span> closes nothing
    )


def test_the_index_finds_a_page_by_every_term_newest_first() -> None:
    pages = order([_page("a/2020.html", 2020, "香山乡2020年报告", "行政复议1件。"),
                   _page("a/2021.html", 2021, "香山乡2021年报告", "行政复议2件。"),
                   _page("b/2021.html", 2021, "测试镇2021年报告", "没有诉讼。", unit="测试镇")])
    assert [p.url for p in pages] == ["a/2021.html", "b/2021.html", "a/2020.html"]
    info, files = index_files(pages)
    assert info.pages == 3 and info.files == len(files) - 1  # index.json besides
    def posting(term: str, part: str = "b") -> list[int]:
        bucket = _read(files[f"b/{fnv1a(term) % info.buckets}{SUFFIX}"])
        assert isinstance(bucket, dict)
        return _ids(bucket[part][term]) if term in bucket[part] else []
    assert posting("复议") == [0, 2]
    assert posting("诉讼") == [1]
    assert posting("香山", "t") == [0, 2] and posting("复议", "t") == []
    fragment = _read(files[f"f/1{SUFFIX}"])
    assert fragment == {"u": "b/2021.html", "t": "测试镇2021年报告", "n": "测试镇", "y": 2021,
                        "s": [["id2", "一、总体情况", ["没有诉讼。"]]]}
    filters = _read(files[f"filters{SUFFIX}"])
    assert filters == {"years": [[2021, "0,0"], [2020, "2"]], "units": [["测试镇", "1"], ["香山乡", "0,1"]], "v": info.version}
    assert all(_read(files[f"b/{k}{SUFFIX}"])["v"] == info.version for k in range(info.buckets))  # type: ignore[index]
    assert json.loads(files["index.json"]) == info.to_json()


def test_the_same_pages_give_the_same_bytes_and_a_withheld_page_leaves(tmp_path: Path) -> None:
    a = _page("a/2021.html", 2021, "香山乡2021年报告", "行政复议。")
    b = _page("b/2021.html", 2021, "测试镇2021年报告", "独有的词语。", unit="测试镇")
    first = write_index([a, b], tmp_path / "_search")
    stamp = (tmp_path / "_search" / "f" / f"0{SUFFIX}").stat().st_mtime_ns
    again = write_index([b, a], tmp_path / "_search")  # order given does not matter
    assert again == first
    assert (tmp_path / "_search" / "f" / f"0{SUFFIX}").stat().st_mtime_ns == stamp  # same bytes: not rewritten
    less = write_index([a], tmp_path / "_search")
    assert less.version != first.version
    assert not (tmp_path / "_search" / "f" / f"1{SUFFIX}").exists()
    every = b"".join(gzip.decompress(p.read_bytes()) for p in (tmp_path / "_search").rglob(f"*{SUFFIX}"))
    assert "独有".encode() not in every and "测试镇".encode() not in every
