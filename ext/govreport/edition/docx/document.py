"""A Word document in official-document form, written with python-docx.

``WordReport`` holds one report's document: the page and grid of ``page``,
the styles (body 仿宋 3号 on the grid, title 小标宋 2号, headings 黑体 and 楷体),
page numbers "— 1 —" in 4号 at the outer corners (odd pages right, even pages
left, one character in: GB/T 9704 7.5), and the methods the Sphinx translator
calls to add the title, headings, paragraphs, runs, links and the 落款.

Styles are Word's own (Normal, Title, Heading 1–3): a writer who opens the
file finds the headings in the navigation pane and can restyle the document.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from . import page
from .page import FALLBACKS, ROLES, Font

#: Word's built-in style of each heading level below the title (section depth 2, 3, 4…).
HEADINGS = {2: ("Heading 1", "heading1"), 3: ("Heading 2", "heading2"), 4: ("Heading 3", "strong")}
TABLE_TEXT = "Table Text"  # a style of ours: table cells, off the grid
CAPTION = "Caption"


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def rfonts(font: Font) -> Any:
    """``w:rFonts`` for a role: Chinese in ``font.name``, Latin letters and digits in ``font.latin``.

    ``w:hint="eastAsia"`` makes the characters both scripts share (“”—…) take
    the Chinese font, as they do in a document typed in Chinese Word."""
    return _el("w:rFonts", ascii=font.latin, hAnsi=font.latin, eastAsia=font.name, cs=font.latin, hint="eastAsia")


def set_run_props(rpr: Any, font: Font | None = None, size: float | None = None, bold: bool | None = None,
                  color: str | None = None, spacing: int | None = None) -> None:
    """Font, size (bp), bold, colour and character spacing (twips) on a ``w:rPr``, in the schema's order."""
    order = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "spacing", "kern", "sz", "szCs", "vertAlign", "lang"]

    def put(el: Any) -> None:
        name = el.tag.split("}")[1]
        old = rpr.find(qn(f"w:{name}"))
        if old is not None:
            rpr.remove(old)
        rank = order.index(name)
        for i, child in enumerate(rpr):
            other = child.tag.split("}")[1]
            if other in order and order.index(other) > rank:
                rpr.insert(i, el)
                return
        rpr.append(el)

    if font is not None:
        put(rfonts(font))
    if bold is not None:
        put(_el("w:b", val="1" if bold else "0"))
        put(_el("w:bCs", val="1" if bold else "0"))
    if color is not None:
        put(_el("w:color", val=color))
    if spacing is not None:
        put(_el("w:spacing", val=str(spacing)))
    if size is not None:
        half = str(round(size * 2))
        put(_el("w:sz", val=half))
        put(_el("w:szCs", val=half))


def _reset(style_el: Any) -> tuple[Any, Any]:
    """A style's paragraph and run properties, emptied."""
    for tag in ("w:pPr", "w:rPr"):
        old = style_el.find(qn(tag))
        if old is not None:
            style_el.remove(old)
    ppr, rpr = _el("w:pPr"), _el("w:rPr")
    # pPr before rPr, after the name/basedOn/next/link/ui/q flags and rsid
    style_el.append(ppr)
    style_el.append(rpr)
    return ppr, rpr


def _ppr(ppr: Any, *, line: int | None = page.LINE_PITCH, first_chars: float | None = None, align: str | None = None,
         keep_next: bool = False, snap: bool = False, outline: int | None = None, before: int = 0, after: int = 0,
         widow: bool = False) -> None:
    """Paragraph properties in the schema's order: exact line height on the grid pitch,
    no space around, the first line indented in grid characters.

    Paragraphs do not snap to the document grid (``snap``): they carry its figures
    themselves (exact line height = the grid's pitch, characters condensed to its
    width: ``page.CONDENSE`` on Chinese runs, ``text``). Word and WPS would lay them out alike on the grid,
    but LibreOffice sets every character on two cells of a grid whose cell is
    narrower than the type (a 16 bp character, a 15.79 bp cell): 14 pages
    instead of 9 for the sample, 14 characters a line instead of 28."""
    if keep_next:
        ppr.append(_el("w:keepNext"))
    ppr.append(_el("w:widowControl", val="1" if widow else "0"))
    ppr.append(_el("w:overflowPunct", val="0"))  # no punctuation hanging past the type area
    if not snap:
        ppr.append(_el("w:snapToGrid", val="0"))
    spacing = _el("w:spacing", before=str(before), after=str(after))
    if line is not None:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    if first_chars is not None:
        ppr.append(_el("w:ind", firstLineChars=str(round(first_chars * 100)), firstLine=str(page.chars(first_chars)),
                       left="0", leftChars="0", right="0", rightChars="0"))
    if align is not None:
        ppr.append(_el("w:jc", val=align))
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=str(outline)))


def _indent(p: Any, **attrs: str) -> None:
    """A paragraph's ``w:ind``, replaced by ``attrs`` (python-docx keeps the schema's order)."""
    ppr = p._p.get_or_add_pPr()
    ppr._remove_ind()
    ind = ppr.get_or_add_ind()
    for k, v in attrs.items():
        ind.set(qn(f"w:{k}"), v)


def _font_entry(font: Font, alt: str | None) -> Any:
    """A ``w:font`` of the font table: its Chinese character set and, when given, the name to use instead."""
    el = _el("w:font", name=font.name)
    if alt:
        el.append(_el("w:altName", val=alt))
    el.append(_el("w:charset", val="86"))  # GB2312
    el.append(_el("w:family", val=font.family))
    el.append(_el("w:pitch", val="variable"))
    return el


class WordReport:
    """One report's Word document, being written."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self._ids: dict[str, str] = {}
        self._drop_template_extras()
        self._page()
        self._styles()
        self._fonts()
        self._footers()
        self.body = self.doc.element.body

    # ---- setup

    def _drop_template_extras(self) -> None:
        """python-docx's template brings a thumbnail of an empty page and a second,
        unused copy of its styles (stylesWithEffects): neither belongs in the report."""
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                part.drop_rel(rid)
        rels = part.package.rels
        for rid, rel in list(rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                rels.pop(rid)
        for p in list(self.doc.paragraphs):  # the template's empty paragraph
            p._element.getparent().remove(p._element)

    def _page(self) -> None:
        s = self.doc.sections[0]
        s.page_width, s.page_height = Twips(page.PAGE_W), Twips(page.PAGE_H)
        s.top_margin, s.bottom_margin = Twips(page.TOP), Twips(page.BOTTOM)
        s.left_margin, s.right_margin = Twips(page.LEFT), Twips(page.RIGHT)
        s.header_distance, s.footer_distance = Twips(page.HEADER), Twips(page.FOOTER)
        s.gutter = Twips(0)
        sect = s._sectPr
        grid = sect.find(qn("w:docGrid"))
        if grid is None:
            grid = _el("w:docGrid")
            sect.append(grid)
        grid.attrib.clear()
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(page.LINE_PITCH))
        grid.set(qn("w:charSpace"), str(page.CHAR_SPACE))
        for key in list(sect.attrib):  # the template's revision ids
            del sect.attrib[key]
        self.doc.settings.odd_and_even_pages_header_footer = True

    def _styles(self) -> None:
        styles = self.doc.styles
        body = ROLES["body"]
        # Document defaults: 3号 仿宋, Chinese language (line breaking, punctuation).
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        for child in list(rpr):
            rpr.remove(child)
        set_run_props(rpr, body, page.BODY_PT)
        rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
        ppr_default = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        if ppr_default is not None:
            for child in list(ppr_default):
                ppr_default.remove(child)

        ppr, rpr = _reset(styles["Normal"].element)
        _ppr(ppr, first_chars=2, align="both")
        set_run_props(rpr, body, page.BODY_PT)

        ppr, rpr = _reset(styles["Title"].element)
        _ppr(ppr, align="center", first_chars=0, keep_next=True, outline=0, after=page.LINE_PITCH)
        set_run_props(rpr, ROLES["title"], page.TITLE_PT, bold=False, color="000000")

        for level, (name, role) in HEADINGS.items():
            ppr, rpr = _reset(styles[name].element)
            _ppr(ppr, first_chars=2, align="both", keep_next=True, outline=level - 1)
            set_run_props(rpr, ROLES[role], page.BODY_PT, bold=False, color="000000")

        ppr, rpr = _reset(styles[CAPTION].element)
        _ppr(ppr, first_chars=0, align="center", keep_next=True)
        set_run_props(rpr, ROLES["table_head"], page.BODY_PT, bold=False, color="000000")

        from docx.enum.style import WD_STYLE_TYPE

        cell = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = styles["Normal"]
        ppr, rpr = _reset(cell.element)
        _ppr(ppr, line=None, first_chars=0, snap=False)
        set_run_props(rpr, body, None, spacing=0)

        for name in ("Header", "Footer"):
            ppr, rpr = _reset(styles[name].element)
            # one 4号 line of exact height: the footer's room below the type area is known (page.FOOTER)
            _ppr(ppr, line=page.twips(page.FOLIO_PT), first_chars=0, snap=False)
            set_run_props(rpr, ROLES["folio"], page.FOLIO_PT, spacing=0)

    def _fonts(self) -> None:
        """Every font the document names, in its font table with the name to fall back to."""
        part = next(p for p in self.doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
        table = parse_xml(f"<w:fonts {nsdecls('w')}/>")
        named = {f.name: f for f in ROLES.values()}
        for font in [*named.values(), *FALLBACKS]:
            table.append(_font_entry(font, font.alt))
        latin = _el("w:font", name="Times New Roman")
        latin.append(_el("w:charset", val="00"))
        latin.append(_el("w:family", val="roman"))
        latin.append(_el("w:pitch", val="variable"))
        table.append(latin)
        from lxml import etree

        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _footers(self) -> None:
        """"— 1 —" in 4号: odd pages at the right, even pages at the left, one character from the edge."""
        s = self.doc.sections[0]
        one = page.twips(page.FOLIO_PT)
        for footer, align, side in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"), (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.style = self.doc.styles["Footer"]
            p.alignment = align
            _indent(p, **{side: str(one)})
            self._run(p, "— ")
            self._field(p, "PAGE", "1")
            self._run(p, " —")
        # the headers exist (empty) so that a draft's watermark has a place on every page
        for header in (s.header, s.even_page_header):
            header.is_linked_to_previous = False

    # ---- content

    def _run(self, p: Any, text: str) -> Any:
        return p.add_run(text)

    def _field(self, p: Any, code: str, shown: str) -> None:
        """A field (PAGE), with the text shown until Word or LibreOffice updates it."""
        for kind in ("begin", None, "separate", None, "end"):
            r = p.add_run()
            if kind is None and code:
                instr = _el("w:instrText")
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.text = f" {code} "
                r._r.append(instr)
                code = ""
            elif kind is None:
                r.text = shown
            else:
                r._r.append(_el("w:fldChar", fldCharType=kind))

    def title(self, lines: list[str]) -> None:
        """The title in its lines (officialdoc.title_lines), one paragraph broken with line breaks."""
        p = self.doc.add_paragraph(style="Title")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()

    def style_id(self, name: str) -> str:
        """The id of a style by its name, looked up once (python-docx looks it up among all styles each time)."""
        if name not in self._ids:
            self._ids[name] = self.doc.styles[name].style_id
        return self._ids[name]

    def heading(self, depth: int) -> Any:
        """An empty heading paragraph for a section at ``depth`` (2 = 一、, 3 = （一）)."""
        return self.paragraph(HEADINGS[min(depth, max(HEADINGS))][0])

    def paragraph(self, style: str | None = None, first_chars: float | None = None) -> Any:
        p = self.doc.add_paragraph()
        if style is not None:
            p._p.get_or_add_pPr().style = self.style_id(style)
        if first_chars is not None:
            _indent(p, firstLineChars=str(round(first_chars * 100)), firstLine=str(page.chars(first_chars)))
        return p

    def hanging(self, p: Any, chars: float, level: int = 0) -> None:
        """A list item: indented by its level, its marker hanging ``chars`` characters."""
        left = 2 + level * 2 + chars
        _indent(p, leftChars=str(round(left * 100)), left=str(page.chars(left)),
                hangingChars=str(round(chars * 100)), hanging=str(page.chars(chars)))

    def text(self, p: Any, text: str) -> list[Any]:
        """``text`` added to paragraph ``p``: its Chinese characters condensed to the grid's
        width (``page.CONDENSE``), Latin letters and digits at their own (one run each)."""
        runs = []
        for part, wide in page.by_width(text):
            run = p.add_run(part)
            if wide:
                set_run_props(run._r.get_or_add_rPr(), spacing=page.CONDENSE)
            runs.append(run)
        return runs

    def hyperlink(self, p: Any, text: str, url: str) -> Any:
        """A link (its text as written, in the paragraph's font); returns the run."""
        rid = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
        link.append(run)
        p._p.append(link)
        return run

    def signoff(self, name: str, date: str) -> None:
        """落款 (GB/T 9704 7.3.5.3): one empty line, the organ's name, the date under it."""
        name_right, date_right = page.indents(name, date)
        blank = self.paragraph()
        blank.paragraph_format.keep_with_next = True
        for text, right, keep in ((name, name_right, True), (date, date_right, False)):
            p = self.paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _indent(p, firstLine="0", firstLineChars="0", right=str(right), rightChars=str(round(right / page.CHAR * 100)))
            p.paragraph_format.keep_with_next = keep
            self.text(p, text)

    def watermark(self, text: str) -> None:
        """``text`` (草稿) across every page, as Word's own watermark: a shape in the headers."""
        s = self.doc.sections[0]
        for i, header in enumerate((s.header, s.even_page_header), start=1):
            p = header.paragraphs[0]
            p._p.append(parse_xml(_WATERMARK.format(ns=f"{nsdecls('w')} {_VML}", n=i, text=text, font=ROLES["strong"].name)))

    def properties(self, title: str, author: str, when: dt.datetime, category: str = "", keywords: str = "") -> None:
        """Document properties, every one set: none left from python-docx's template or the clock."""
        cp = self.doc.core_properties
        cp.title, cp.author, cp.last_modified_by = title, author, author
        cp.subject, cp.category, cp.keywords = "政府信息公开工作年度报告", category, keywords
        cp.comments, cp.content_status, cp.identifier, cp.language, cp.version = "", category, "", "zh-CN", ""
        cp.created = cp.modified = when
        cp.revision = 1

    def save(self, path: Path, when: dt.datetime) -> None:
        from .package import reproducible

        path.parent.mkdir(parents=True, exist_ok=True)
        import io

        buf = io.BytesIO()
        self.doc.save(buf)
        data = reproducible(buf.getvalue(), when)
        if not path.is_file() or path.read_bytes() != data:  # unchanged files keep their time
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)


_VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
#: Word's watermark shape (what 设计 → 水印 writes): text on a path, light grey,
#: rotated 45°, centred on the type area, behind the text.
_WATERMARK = (
    '<w:r {ns}><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
    '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
    '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s102{n}" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:315;z-index:-251657216;'
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d1d1d1" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;{font}&quot;;font-size:1pt" string="{text}"/>'
    "</v:shape></w:pict></w:r>"
)
