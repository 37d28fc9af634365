"""The line reader every form feeds.

Every reader (``text``, ``flat``, ``htmlpage``, ``markdown``, ``docxfile``)
hands this module lines: narrative lines and table rows as tab-separated cells
(or, for ``pdftotext -layout``, space-aligned). A straight pipeline:

1. read the lines, drop page numbers, running heads and page furniture;
2. find the title and the six section headings;
3. find each table by its labels and read every cell (never guessing: a cell
   that cannot be read is left blank and reported with its source line);
4. rebuild the paragraphs of the narrative, one sentence per line.

The result is a ``Parsed``; ``write.import_report`` writes it. Every label that
differs from the official text is normalised and reported.

The model is in ``model``, the text shapes every reader shares in ``source``,
step 3 in ``tables`` (for a structured form, ``matcher`` reads each table found
from its rows' cells) and the page in ``render``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..format.labels import normalise_label, similarity
from ..format.spec import FormatSpec
from ..model.textcodec import decode
from .formats import layout_note
from .matcher import Matcher
from .model import Block, GridRow, Line, Note, Parsed, Problem, Values, spec_of
from .shapes import BARE_PAGE_NUMBER, CJK, CJK_SPACE, CLOSERS, PAGE_NUMBER, TERMINAL, compact
from .tables import find_tables

_SECTION = re.compile(r"^([一二三四五六])\s*[、.．，,]\s*(.*)$")
_SUBHEAD = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*")


def _official_rest(title: str) -> str:
    """A section title without its number: 总体情况."""
    return title.split("、", 1)[1] if "、" in title else title


def _read_lines(text: str) -> tuple[list[Line], str]:
    """Split into lines; tell web text (tab-separated tables) from PDF text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines: list[Line] = []
    page = 0
    for i, raw in enumerate(text.split("\n")):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        raw = raw.rstrip(" \t\u3000\u00a0") if "\t" not in raw else raw.rstrip(" \u3000\u00a0")
        lines.append(Line(i + 1, raw, page, "text" if raw.strip() else "blank"))
        if lines[-1].role == "text" and not raw.strip("\t "):
            lines[-1].role = "blank"
    tabbed = sum(1 for ln in lines if "\t" in ln.raw.strip())
    return lines, "web" if tabbed >= 3 else "pdf"


def _drop_page_numbers(lines: list[Line]) -> int:
    """Page numbers go; they also mark page breaks. Returns how many."""
    page = 0
    pages = 0
    for ln in lines:
        page = max(page, ln.page)
        ln.page = page
        if ln.role == "text" and "\t" not in ln.raw.strip() and (any(p.match(ln.raw.strip()) for p in PAGE_NUMBER) or BARE_PAGE_NUMBER.match(ln.raw)):
            ln.role = "drop"
            page += 1
            pages += 1
    return pages


def _drop_running_heads(lines: list[Line], title: str | None) -> int:
    """Short lines repeated on three or more pages, and repeats of the title."""
    repeats: dict[str, list[Line]] = {}
    for ln in lines:
        if ln.role != "text" or "\t" in ln.raw.strip() or re.search(r"\S {2,}\S", ln.raw.strip()):
            continue
        c = compact(ln.raw)
        if 4 <= len(c) <= 40 and not re.search(r"[。，；]", c) and re.search(f"[{CJK}]", c):
            repeats.setdefault(c, []).append(ln)
    heads = 0
    for c, same in repeats.items():
        if (len(same) >= 3 and len({ln.page for ln in same}) >= 3) or c == title:
            for ln in same:
                ln.role = "drop"
                heads += 1
    return heads


#: Page furniture before a title: "标题:", "当前位置：首页 > 政务公开 >".
#: Breadcrumbs end at their last separator; a ">" that closes a tag (``<b>示范县</b>``, shown as text) is no separator.
_TITLE_FURNITURE = re.compile(r"^(?:(?:文章)?标题|题目|名称|title)\s*[:：]|^[^<]*[>＞»›]", re.IGNORECASE)


def _title_text(raw: str) -> str:
    """A line as a title candidate, without the page furniture before it."""
    return _TITLE_FURNITURE.sub("", compact(raw))


def _find_title(lines: list[Line], notes: list[Note]) -> tuple[str | None, str | None, int | None]:
    """The title at the top (may take two lines): ``(title, agency name, year)``."""
    seen = [ln for ln in lines if ln.role == "text"][:15]
    for k, ln in enumerate(seen):
        c = _title_text(ln.raw)
        if "报告" not in c or "。" in c or len(c) > 60:
            continue
        if not re.search(r"(年度报告|工作报告|信息公开.*报告)(?:[（(].{0,8}[）)])?$", c):
            continue
        block = [ln]
        j = k - 1
        while j >= 0 and len(block) < 3:
            p = compact(seen[j].raw)
            if len(p) > 20 or re.search(r"[。，,：:;；./]", p) or seen[j].no < ln.no - 3:
                break
            block.insert(0, seen[j])
            j -= 1
        title = "".join(_title_text(b.raw) for b in block)
        for b in block:
            b.role = "title"
        before = [x for x in lines if x.role == "text" and x.no < block[0].no]
        for x in before:
            x.role = "drop"
        if before:
            notes.append(Note(before[0].no, f"标题之前的 {len(before)} 行文字不属于报告，已略去"))
        name: str | None = None
        year: int | None = None
        m = re.match(r"^(.*?)(\d{4})年度?(?:政府|政务)", title)
        if m and m.group(1):
            name, year = m.group(1), int(m.group(2))
        else:
            m = re.match(r"^(\d{4})年度?(.+?)(?:政府信息公开|政务公开)", title)
            if m:
                name, year = m.group(2), int(m.group(1))
        return title, name, year
    return None, None, None


def _find_sections(lines: list[Line], spec: FormatSpec, notes: list[Note]) -> dict[int, int]:
    """Mark the six section headings; returns section index -> line index."""
    found: dict[int, int] = {}
    last = -1
    for i, ln in enumerate(lines):
        if ln.role != "text":
            continue
        c = compact(ln.raw)
        m = _SECTION.match(c)
        if not m or "\t" in ln.raw.strip():
            continue
        idx = "一二三四五六".index(m.group(1))
        if idx in found or idx <= last:
            continue
        official = spec.sections[idx]
        rest, want = normalise_label(m.group(2).rstrip("。：:")), normalise_label(_official_rest(official))
        runin = re.search(r"[\s\u3000]*".join(map(re.escape, _official_rest(official))), ln.raw)
        if runin and len(rest) > len(want) + 6 and rest.startswith(want):
            ln.rest = ln.raw[runin.end() :].lstrip("。：: \u3000")
            c = c[: len(c) - len(compact(ln.rest))]
        elif not rest or not (rest == want or similarity(rest, want) >= 0.6 or (want in rest and len(rest) <= len(want) + 6)):
            continue
        ln.role, ln.section = "heading", idx
        found[idx] = i
        last = idx
        if c.rstrip("。：:") != official:
            notes.append(Note(ln.no, f"章节标题“{c}”已改为官方标题“{official}”"))
    for idx, title in enumerate(spec.sections):
        if idx not in found:
            notes.append(Note(None, f"原文中没有找到“{title}”一节；页面中保留了这一标题，请补上内容"))
    return found


def _clean(text: str, mode: str) -> str:
    """PDF text: spaces that pdftotext put between Chinese characters and digits go."""
    text = text.strip(" \t\u3000\u00a0")
    if mode == "pdf":
        for pat in CJK_SPACE:
            text = pat.sub("", text)
    return text


def _ends_mid_sentence(s: str) -> bool:
    """Text that stops inside a sentence (a web page broke the paragraph)."""
    s = s.rstrip()
    return bool(s) and (s[-1] in "、，," or bool(re.match(f"[{CJK}A-Za-z0-9]", s[-1]))) and s[-1] not in TERMINAL + CLOSERS


def _subheading(text: str) -> tuple[str, str] | None:
    """``（一）<sub-heading>。正文…`` -> (heading, rest); None if not a sub-heading."""
    m = _SUBHEAD.match(text)
    if not m:
        return None
    body = text[m.end() :]
    prefix = f"（{m.group(1)}）"
    cut = re.search(r"[。：:]", body)
    head = body[: cut.start()] if cut else body
    rest = body[cut.end() :] if cut else ""
    if not head or len(head) > 25 or re.search(r"[\d，,；;]", head):
        return None
    if not rest.strip() and cut is None and len(body) > 25:
        return None
    return prefix + head.strip(), rest.strip()


def _paragraphs(lines: list[Line], mode: str) -> list[tuple[int, str, int]]:
    """``(section, text, first line)`` of every paragraph, and table markers
    (text ``\\0t2`` …). Section -1 is the preamble."""
    out: list[tuple[int, str, int]] = []
    section = -1
    cur: list[str] = []
    cur_line = 0
    cur_section = -1
    widths = sorted(len(compact(ln.raw)) for ln in lines if ln.role == "text")
    full = widths[int(len(widths) * 0.8)] if widths else 0
    margins: dict[int, int] = {}
    for ln in lines:
        if ln.role == "text":
            ind = len(ln.raw) - len(ln.raw.lstrip(" "))
            margins[ln.page] = min(margins.get(ln.page, ind), ind)
    emitted: set[str] = set()

    def flush() -> None:
        nonlocal cur
        if cur:
            out.append((cur_section, "".join(cur), cur_line))
        cur = []

    prev: Line | None = None
    for ln in lines:
        if ln.role == "heading":
            flush()
            section = ln.section
            out.append((section, "\0h", ln.no))
            prev = None
            if ln.rest:
                cur, cur_line, cur_section = [ln.rest], ln.no, section
                prev = ln
            continue
        if ln.role.startswith("table:"):
            tid = ln.role.split(":")[1]
            if tid not in emitted:
                flush()
                emitted.add(tid)
                out.append((section, "\0" + tid, ln.no))
            prev = None
            continue
        if ln.role in ("drop", "title"):
            continue
        if ln.role == "blank":
            if mode == "web":
                flush()
            continue
        text = ln.raw.strip(" \t\u3000\u00a0")
        starts = True
        if mode == "pdf" and cur and prev is not None:
            indent = len(ln.raw) - len(ln.raw.lstrip(" "))
            margin = margins.get(ln.page, 0)
            short = len(compact(prev.raw)) < 0.8 * full and prev.raw.rstrip()[-1:] in TERMINAL + CLOSERS
            starts = indent >= margin + 2 or short or bool(_SUBHEAD.match(text))
        if starts:
            flush()
            cur, cur_line, cur_section = [text], ln.no, section
        else:
            last = cur[-1]
            sep = " " if re.search(r"[A-Za-z]$", last) and re.match(r"[A-Za-z]", text) else ""
            cur.append(sep + text)
        prev = ln
    flush()
    return out


def _join_broken(paras: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """Web text: a paragraph cut mid-sentence continues in the next one."""
    out: list[tuple[int, str, int]] = []
    for sec, text, no in paras:
        if (out and not text.startswith("\0") and not out[-1][1].startswith("\0") and out[-1][0] == sec
                and len(out[-1][1]) >= 30 and _ends_mid_sentence(out[-1][1])
                and _subheading(out[-1][1]) is None and _subheading(text) is None):
            psec, ptext, pno = out[-1]
            out[-1] = (psec, ptext + text, pno)
        else:
            out.append((sec, text, no))
    return out


#: Lines of a saved or archived page that are not report text (metadata, share/print links, attachments).
FURNITURE = re.compile(
    r"^(?:(?:发布|成文|印发|更新)(?:时间|日期)|文号|发文字号|索引号|发布机构|发文机关|来源|信息来源|栏目|所属栏目|原文链接|原文地址|本地目录|"
    r"浏览次数|访问量|点击[数率]|字号|字体|分享到?|【?打印(?:本页)?】?|【?关闭(?:窗口)?】?|附件下载|相关附件|附件|当前位置|您当前的位置|责任编辑|扫一扫.*)"
    r"(?:\s*[:：].*|\s*)$|^=+.*=+$|^页面链接与图片详见|^【\s*字[体号]|^正文$"
)


def _drop_furniture(lines: list[Line]) -> int:
    """Page furniture lines go (never table lines)."""
    n = 0
    for ln in lines:
        if ln.role == "text" and "\t" not in ln.raw.strip() and FURNITURE.match(compact(ln.raw)):
            ln.role = "drop"
            n += 1
    return n


def _problems(lines: list[Line], spec: FormatSpec, sections: dict[int, int], values: dict[str, Values],
              refused: dict[str, tuple[int, str]], year: int | None) -> list[Problem]:
    """Tables with no number read and sections not found, with where the text was looked at."""

    def seen_after(i: int) -> tuple[int | None, str]:
        for ln in lines[i + 1 : i + 40]:
            if ln.role not in ("blank", "drop"):
                return ln.no, ln.raw.strip().replace("\t", " ")[:40]
        return None, "（其后没有文字）"

    out: list[Problem] = []
    for idx, title in enumerate(spec.sections):
        if idx in sections:
            continue
        before = [i for k, i in sections.items() if k < idx]
        at = max(before) if before else -1
        no, seen = seen_after(at)
        out.append(Problem(f"“{title}”一节", no, f"前一节之后是“{seen}”" if before else f"开头是“{seen}”"))
    for t in spec.tables.values():
        if t.id in refused:
            # Another version's columns mean other things (2021's t2 ``issued`` is not 2019's ``made``):
            # never written into this grid, and the import stops unless forced.
            line, other = refused[t.id]
            whose = f"YEAR={year} 的报告" if year is not None else "这份报告"
            out.append(Problem(f"{t.title}（{t.caption}）", line,
                               f"原文是 {layout_note(other)}，{whose}应为 {layout_note(spec.version)}，两种格式的栏目含义不同，"
                               f"数字未导入；请确认 YEAR，或按 {spec.version} 年格式填写 {t.file}", other_format=True))
            continue
        if any(v is not None for v in values.get(t.id, {}).values()):
            continue
        head = sections.get(t.section)
        no, seen = seen_after(head) if head is not None else (None, "（这一节也没有找到）")
        out.append(Problem(f"{t.title}（{t.caption}）", no, f"“{spec.sections[t.section]}”之后是“{seen}”" if head is not None else seen))
    return out


def parse_text(text: str, year: int | None = None, mode: str | None = None, loose: frozenset[int] = frozenset(),
               version: str | None = None, grid: bool = False, cells: dict[int, GridRow] | None = None) -> Parsed:
    """Read a report's plain text: title, sections, tables, notes. Writes nothing.

    ``mode`` (web | pdf) overrides the guess: the other readers hand over
    tab-separated tables. ``grid``: each table row's fields are the table's grid columns (a saved page
    or a .docx, spans rebuilt), so a row's numbers are placed by their column, not counted. ``cells``: a
    structured form's grid rows by line, so that the table matcher reads its tables from their cells.
    """
    spec = spec_of(year, version)
    notes: list[Note] = []
    lines, guessed = _read_lines(text)
    mode = mode or guessed
    for ln in lines:
        ln.loose = ln.no in loose
    pages = _drop_page_numbers(lines)
    furniture = _drop_furniture(lines)
    title, name, title_year = _find_title(lines, notes)
    heads = _drop_running_heads(lines, title)
    if pages or heads or furniture:
        what = "、".join(x for x in (f"页码 {pages} 处" if pages else "", f"页眉 {heads} 处" if heads else "",
                                     f"页面附属文字（发布时间、分享、打印、附件等）{furniture} 行" if furniture else "") if x)
        notes.append(Note(None, f"已删除{what}"))
    sections = _find_sections(lines, spec, notes)
    section_notes = [n for n in notes if n.message.startswith("原文中没有找到“")]
    notes[:] = [n for n in notes if n not in section_notes]
    routes: dict[str, str] = {}
    place = Matcher(cells) if cells else None
    values, legacy, refused = find_tables(lines, spec, sections, mode, notes, grid, place, routes, cells)
    paras = _paragraphs(lines, mode)
    if mode == "web":
        paras = _join_broken(paras)
    preamble: list[Block] = []
    blocks: list[list[Block]] = [[] for _ in spec.sections]
    for sec, body, no in paras:
        if body == "\0h":
            continue
        target = preamble if sec < 0 else blocks[sec]
        if body.startswith("\0"):
            target.append(Block("table", body[1:], no))
            continue
        body = _clean(body, mode)
        sub = _subheading(body) if sec >= 0 else None
        if sub:
            written = body[: len(body) - len(sub[1])].rstrip("。：: ") if sub[1] else body.rstrip("。：: ")
            if compact(written) != sub[0]:
                notes.append(Note(no, f"小标题“{written}”已改为“{sub[0]}”"))
            target.append(Block("heading", sub[0], no))
            if sub[1]:
                target.append(Block("para", sub[1], no))
        elif body:
            target.append(Block("para", body, no))
    notes += section_notes
    notes.sort(key=lambda n: n.line or 0)
    if legacy and year is not None:
        seen = layout_note(legacy) if legacy != "older" else "较早的格式"
        notes.append(Note(None, f"{year} 年的报告应使用 {layout_note(spec.version)}，原文却用了 {seen}"))
    problems = _problems(lines, spec, sections, values, refused, year)  # another version's 表二 is a problem too
    form = "tab" if mode == "web" else "pdftotext"
    layout = legacy or spec.version
    return Parsed(mode, title, name, title_year, layout, values, preamble, blocks, notes, form, problems, spec.version, routes)


def read_source(path: Path) -> tuple[str, list[Note]]:
    """The text of a source file (``textcodec.decode``: UTF-8, GB18030, UTF-16 with a BOM)
    and a note when it was not UTF-8. Raises ``ValueError`` (in Chinese) when it is not text."""
    d = decode(path.read_bytes(), utf16=True, controls=False)  # a stray control character in a page is only dropped text
    if d.text is None:
        why = "含 NUL 字节，不是文本文件" if d.how == "binary" else "编码无法识别（既不是 UTF-8、GBK，也不是带 BOM 的 UTF-16）"
        raise ValueError(f"{path.name}：{why}；请另存为 UTF-8 文本再导入")
    names = {"gb18030": "GBK（GB18030）", "utf-16": "UTF-16（记事本的“Unicode”）"}
    notes = [Note(None, f"原文的编码是 {names[d.how]}，已按此读取")] if d.how in names else []
    return d.text, notes
