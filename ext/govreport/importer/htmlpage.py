"""A saved web page (HTML), including Word-exported HTML (``mso-`` styles, ``<o:p>``).

Parsed with lxml's HTML parser. The report is the part of the page that holds
the section headings and the mandated tables; the page chrome around and inside
it (navigation, breadcrumbs, share/print links, attachment lists, scripts) is
dropped. Each table's grid is rebuilt from its rowspan/colspan, so every number
lands in its column; a cell a span covers is written blank, as a browser's copy
does. A table that holds other tables is layout, not data: its cells are read as
blocks. Lines go to the line reader as tab-separated rows.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml import html as lhtml

from ..format.spec import load_spec, versions
from .bounds import MAX_DEPTH, MAX_GRID_CELLS, MAX_GRID_COLUMNS, clip_span
from .model import Parsed
from .source import Grid, parse_source

_DROP_TAGS = {"script", "style", "noscript", "iframe", "nav", "form", "button", "select", "input", "textarea", "object", "svg", "head",
              "link", "meta", "template"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote", "dd", "dt", "dl", "center",
          "header", "footer", "aside", "main", "pre", "address", "caption", "figure", "figcaption", "hr",
          "tr", "td", "th", "tbody", "thead", "tfoot"}
#: class/id of page chrome (navigation, breadcrumbs, share and print links, attachments, related links, footers).
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|bread|position|location|weizhi|dqwz|share|bdshare|fenxiang|print|dayin|"
    r"footer|foot|header|head|top|toolbar|sidebar|side|fujian|attach(?:ment)?s?|download|xgwz|xgxx|related|relevant|pagination|"
    r"fontsize|font-size|zihao|qrcode|ewm|close|guanbi|comment|search|login|skip|headerlink|report-links)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CJK_GAP = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef（）“”])\s+(?=[\u2e80-\u9fff\uff00-\uffef（）“”])")
_TITLE = re.compile(r"(?:\d{4}|[〇一二三四五六七八九零]{4})\s*年.{0,40}报告")


def _text(s: str) -> str:
    """Whitespace (and &nbsp;) collapsed; none left between Chinese characters."""
    s = re.sub(r"[\s\u00a0\u3000]+", " ", s).strip()
    return _CJK_GAP.sub("", s)


def _attr(el: Any, name: str) -> str:
    v = el.get(name)
    return v if isinstance(v, str) else ""


def _span(el: Any, name: str) -> int:
    m = re.match(r"\s*([0-9]{1,6})", _attr(el, name))  # a hostile 5000-digit span: int() never sees it
    return clip_span(int(m.group(1))) if m else 1


def _tag(el: Any) -> str:
    t = el.tag
    if not isinstance(t, str):
        return ""
    return t.rsplit("}", 1)[-1].split(":")[-1].lower()


def _is_report_table(el: Any, words: tuple[str, ...]) -> bool:
    """Does the ``<table>`` hold one of ``words`` (the specs' ``anchors.page``)?"""
    text = "".join(el.itertext())
    return any(k in text for k in words)


def _anchors(body: Any) -> list[Any]:
    """The elements the report must contain: its section headings and its tables (the specs' anchors, of every
    version: a page is read before its format is known)."""
    specs = [load_spec(v) for v in versions()]
    words = tuple(dict.fromkeys(x for s in specs for t in s.tables.values() for x in t.anchors.page))
    heads = tuple(dict.fromkeys(p for s in specs for p in s.section_anchors))
    out: list[Any] = []
    for el in body.iter("table"):
        if el.find(".//table") is None and _is_report_table(el, words):
            out.append(el)
    for el in body.iter():
        if _tag(el) in ("p", "div", "h1", "h2", "h3", "h4", "span", "strong", "b", "td", "font"):
            own = _text(el.text or "")
            if any(re.match(p, own) for p in heads):
                out.append(el)
    return out


def _common(els: list[Any]) -> Any:
    """The lowest element containing all of ``els``."""
    paths = []
    for el in els:
        chain = [el, *el.iterancestors()]
        paths.append(list(reversed(chain)))
    common = None
    for nodes in zip(*paths, strict=False):
        if all(n is nodes[0] for n in nodes):
            common = nodes[0]
        else:
            break
    return common


def _title(doc: Any) -> tuple[str, int] | None:
    """The report's title from the page: its meta title, first heading or <title>."""
    for el in doc.iter("meta"):
        if _attr(el, "name").lower() in ("articletitle", "title", "og:title") or _attr(el, "property").lower() == "og:title":
            t = _text(_attr(el, "content"))
            if _TITLE.search(t):
                return t, el.sourceline or 1
    for tag in ("h1", "h2", "title"):
        for el in doc.iter(tag):
            t = _text("".join(el.itertext())).rstrip("¶ ")  # a Sphinx page's heading ends in its link mark
            if _TITLE.search(t) and len(t) <= 80:
                if tag == "title":
                    t = re.split(r"\s*[-_|—]\s*(?=[^-_|—]*$)", t)[0] if re.search(r"[-_|—]", t) else t
                return t, el.sourceline or 1
    return None


class _Walker:
    """Emit the report's blocks and table rows in document order."""

    def __init__(self, grid: Grid) -> None:
        self.out = grid
        self.buf: list[str] = []
        self.line = 0

    def flush(self) -> None:
        text = _text("".join(self.buf)).replace("\t", " ")
        if text:
            self.out.text(text, self.line)
        self.buf = []

    def put(self, text: str | None, line: int) -> None:
        if text:
            if not self.buf or not "".join(self.buf).strip():
                self.line = line
            self.buf.append(text)

    def walk(self, el: Any) -> None:
        tag = _tag(el)
        line = el.sourceline or self.line
        if tag == "table":
            self.flush()
            if el.find(".//table") is not None:  # layout: its cells are blocks
                self.walk_children(el)
                self.flush()
            else:
                self.grid(el)
            self.put_tail(el)
            return
        if tag == "br":
            self.flush()
            self.put_tail(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.put(el.text, line)
        self.walk_children(el, text=False)
        if block:
            self.flush()
        self.put_tail(el)

    def walk_children(self, el: Any, text: bool = True) -> None:
        if text:
            self.put(el.text, el.sourceline or self.line)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child)
            else:
                self.put(child.tail, self.line)

    def put_tail(self, el: Any) -> None:
        self.put(el.tail, self.line)

    def grid(self, table: Any) -> None:
        """The table's rows with every cell in its grid column (spans rebuilt).

        Spans are clipped to ``MAX_SPAN`` and to the table's rows; a grid past ``MAX_GRID_CELLS`` cells or
        ``MAX_GRID_COLUMNS`` columns stops being read there, with a note (issue 26: ``rowspan=200
        colspan=200`` × 400 took 2 GB)."""
        taken: set[tuple[int, int]] = set()
        below: dict[int, set[int]] = {}  # row -> columns a cell of a row above spans into (its rowspan)
        rows: list[tuple[int, dict[int, str], set[int], set[int]]] = []
        trs = [tr for tr in table.iter("tr") if _owner(tr) is table]
        for r, tr in enumerate(trs):
            cells: dict[int, str] = {}
            spanned: set[int] = set()  # columns a cell of this row spans beyond its first
            c = 0
            line = tr.sourceline or self.line
            for cell in tr:
                if _tag(cell) not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rs, cs = min(_span(cell, "rowspan"), len(trs) - r), _span(cell, "colspan")
                if c + cs > MAX_GRID_COLUMNS or len(taken) + rs * cs > MAX_GRID_CELLS:
                    too = f"超过 {MAX_GRID_COLUMNS} 列" if c + cs > MAX_GRID_COLUMNS else f"合并单元格展开后超过 {MAX_GRID_CELLS} 格"
                    self.out.cut(cell.sourceline or line, "表格的其余部分", f"表格{too}（官方表格约 300 格），从这一格起未读取"
                                 "（网页可能已损坏或是恶意构造的）")
                    rows.append((line, cells, spanned, below.get(r, set())))
                    self.rows_out(rows)
                    return
                cells[c] = _cell_text(cell)
                spanned.update(range(c + 1, c + cs))
                for dr in range(rs):
                    for dc in range(cs):
                        taken.add((r + dr, c + dc))
                    if dr:
                        below.setdefault(r + dr, set()).update(range(c, c + cs))
                c += cs
            rows.append((line, cells, spanned, below.get(r, set())))
        self.rows_out(rows)

    def rows_out(self, rows: list[tuple[int, dict[int, str], set[int], set[int]]]) -> None:
        """The table's rows, each cell in its grid column."""
        for line, cells, spanned, covered in rows:
            self.out.row(line, cells, spanned, covered)




def _owner(tr: Any) -> Any:
    return next((a for a in tr.iterancestors() if _tag(a) == "table"), None)


def _cell_text(cell: Any) -> str:
    """A cell's text: its paragraphs and <br> run together (a label broken over lines is one label)."""
    parts: list[str] = []
    for node in cell.iter():
        if not isinstance(node.tag, str):
            if node.tail:
                parts.append(node.tail)
            continue
        if node is not cell and _tag(node) == "br":
            parts.append(" ")
        if node.text and _tag(node) not in _DROP_TAGS:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
    return _text("".join(parts)).replace("\t", " ")


def read_html(text: str, year: int | None, version: str | None = None) -> Parsed:
    """Read a saved report page."""
    return parse_source(html_source(text), year, version)


def html_source(text: str) -> Grid:
    """A saved report page's lines: its text, and its tables' rows by their grid columns."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lhtml.HTMLParser()
    doc = lhtml.document_fromstring(text or "<html></html>", parser=parser)
    # libxml2 stops at 255 levels of nesting and drops what is deeper, saying so only in its error log.
    cut = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message), None)
    src = Grid("html", by_column=True)
    title = _title(doc)
    body = doc.find("body")
    body = body if body is not None else doc
    for el in list(body.iter()):
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Comment) and el.getparent() is not None:
                el.drop_tree()
    anchors = _anchors(body)
    kept = [a for el in anchors for a in (el, *el.iterancestors())]  # held: lxml reuses a freed proxy's id
    keep = {id(a) for a in kept}
    # A report table's own cells are never chrome (a Sphinx page's header cells have class "gov-head").
    tables = [el for el in anchors if _tag(el) == "table"]
    dropped = 0
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or id(el) in keep or el.getparent() is None:
            continue
        if any(a is t for a in el.iterancestors("table") for t in tables):
            continue
        if _tag(el) in _DROP_TAGS or _CHROME.search(f"{_attr(el, 'class')} {_attr(el, 'id')}") or _attr(el, "role") in ("navigation", "banner"):
            el.drop_tree()
            dropped += 1
    root = _common(anchors) if anchors else body
    if root is None:
        root = body
    if title and title[0] not in _text("".join(root.itertext()))[:200]:
        src.text(title[0], title[1])
    _Walker(src).walk(root)
    if dropped:
        src.note(None, f"网页中的导航、分享、打印、附件等页面元素 {dropped} 处不属于报告，已略去")
    if not anchors:
        src.note(None, "网页中没有找到报告的章节标题和统计表，按整个页面读取")
    if cut is not None:  # stops the import (a problem), located, saying what was cut
        src.cut(cut.line or None, f"网页第 {MAX_DEPTH} 层以下的内容", f"网页的标签嵌套超过 {MAX_DEPTH} 层（从第 {cut.line} 行起），"
                "更深处的内容读不到，已截去；请在浏览器中打开原网页，把报告正文另存为新的网页或复制成文字后再导入")
    return src
