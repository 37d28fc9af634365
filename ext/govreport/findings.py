"""Findings: what the checks report, with a stable code, a severity and a location.

Modelled on frictionless-py's errors and sphinx-needs' warning catalogue: every
kind of finding is declared once in :data:`CATALOGUE` (code, severity, title,
explanation); the site's code page is generated from it.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import get_args

from .findingcodes import CodeId


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def zh(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


E, W = Severity.ERROR, Severity.WARNING


#: Names a template may not use: they are the finding's own fields (location, expected, found).
RESERVED = frozenset({"code", "path", "line", "col", "column", "expected", "found", "variant", "waived", "severity", "values"})


class TemplateError(ValueError):
    """A message template that cannot be formatted, or fields that do not fit it."""


def template_fields(template: str) -> tuple[str, ...]:
    """The named fields of ``template`` in order of first use; positional (``{}``, ``{0}``),
    attribute or index fields (``{a.b}``, ``{a[0]}``) and reserved names are errors: a template
    is filled only by the names its code declares."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"template {template!r}: {exc}") from None
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if not name.isidentifier() or name in RESERVED:
            raise TemplateError(f"template {template!r}: field {{{name}}} is not a declared name")
        if spec and "{" in spec:
            raise TemplateError(f"template {template!r}: nested field in {{{name}:{spec}}}")
        if name not in names:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    help: str
    #: The message, with named fields (``str.format`` syntax); one text per kind of finding.
    template: str | None = None
    #: Named texts when a code's findings differ in kind (``variant=`` picks one).
    variants: Mapping[str, str] = field(default_factory=dict)
    #: Cut the formatted message to this many characters (values quoted from user files).
    limit: int | None = None

    def __post_init__(self) -> None:
        # Fail at load, not at the first finding: every template parses and names only fields.
        for text in self.texts().values():
            template_fields(text)

    def texts(self) -> dict[str | None, str]:
        """Every template of this code, keyed by variant (``None``: the plain template)."""
        out: dict[str | None, str] = {}
        if self.template is not None:
            out[None] = self.template
        out.update(self.variants)
        return out

    def fields(self, variant: str | None = None) -> tuple[str, ...]:
        return template_fields(self._text(variant))

    def _text(self, variant: str | None) -> str:
        texts = self.texts()
        if variant not in texts:
            known = "、".join(repr(v) for v in texts) or "none"
            raise TemplateError(f"{self.code}: no template {variant!r} (declared: {known})")
        return texts[variant]

    def format(self, variant: str | None = None, **values: object) -> str:
        """The message of this code (and variant) with ``values``: a field the template
        names but ``values`` lacks, or a value it does not name, is an error at once."""
        text = self._text(variant)
        names = template_fields(text)
        missing = [n for n in names if n not in values]
        extra = [n for n in values if n not in names]
        if missing or extra:
            raise TemplateError(f"{self.code} {variant or ''}: missing fields {missing}, unknown fields {extra}")
        msg = text.format(**values)
        return msg[: self.limit] if self.limit is not None else msg

    @property
    def waivable(self) -> bool:
        """Only findings that can be right to keep may be waived: across-year
        figures (repeals, corrections of last year's report), prose the
        patterns misread, and warnings. Sums, cells, labels, files and sections
        must be fixed."""
        return self.code in WAIVABLE or self.severity is Severity.WARNING


#: The texts of a relation inside a table (R301–R304: the spec's relations, by column or by row).
_RELATION = {"column": "{table} {what} 列：{left}＝{lvalue}，{right}＝{rvalue}，应相等",
             "row": "{table}“{what}”行：{left}＝{lvalue}，{right}＝{rvalue}，应相等"}

_CODES = [
    # F: files
    Code("F001", E, "数据文件缺失", "报告目录中缺少某张表的 CSV 文件，或页面引用的文件不存在。",
         variants={"file": "缺少{table}（{caption}）的数据文件 {name}", "table": "report-table：没有这份报告的数据 {where}（可运行 make new 新建，或用 :report: 机构/年度 指定）", "table_report": "report-table：没有这份报告的数据 {where}（:report: {report} 不是 机构/年度，或没有这份报告）", "csv": "report-table：:csv: 的文件 data/{csv_opt} 不存在"}),
    Code("F002", E, "数据文件为空", "CSV 文件没有任何内容，或只有空白单元格。",
         variants={"empty": "CSV 文件是空的，应包含表头和各行数据", "blank": "CSV 文件只有空白单元格，应包含表头和各行数据"}),
    Code("F003", E, "无法读取的文件", "文件不是文本（例如 Excel 的 .xlsx 改名为 .csv）、编码无法识别（如 UTF-16）、含控制字符，或有没有闭合的引号。请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”。",
         variants={"binary": "这不是文本 CSV 文件（可能是 Excel 工作簿改了扩展名）；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", "utf16": "文件是 UTF-16 编码（Excel 的“Unicode 文本”），不是 CSV；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", "encoding": "文件编码无法识别（既不是 UTF-8 也不是 GBK）；请另存为“CSV UTF-8（逗号分隔）”", "control": "第 {start} 行有控制字符 U+{codepoint:04X}，这不是文本 CSV 文件；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”", "csv": "第 {start} 行起无法按 CSV 读取（{exc}），常见原因是引号没有配对；请另存为“CSV UTF-8（逗号分隔）”", "quote": "第 {start} 行的引号“\"”没有配对，从这里到文件末尾都被当成了一个单元格；请补上或删去这个引号", "open": "无法打开文件 {name}：{reason}"}),
    Code("F004", W, "文件不是 UTF-8 编码", "文件按 GBK（GB18030）读取成功。Excel 默认“CSV（逗号分隔）”保存为 GBK；请改用“CSV UTF-8（逗号分隔）”另存，以免在其他电脑上乱码。",
         template="文件是 GBK 编码，已按 GBK 读取；请在 Excel/WPS 中“另存为 → CSV UTF-8（逗号分隔）”，或在记事本中“另存为”时编码选 UTF-8"),
    Code("F005", W, "分隔符不是逗号", "文件用分号或制表符分隔，已按该分隔符读取。请另存为逗号分隔的 CSV。",
         template="文件用{name}分隔，应为逗号；已按{name}读取，请另存为逗号分隔的 CSV"),
    Code("F006", E, "路径在 data/ 目录之外", "页面只能读取 data/ 目录下的数据文件；该路径被拒绝。",
         template="report-table：路径“{csv_opt}”在 data/ 目录之外，拒绝读取"),
    Code("F007", E, "报告元数据有误", "report.toml 缺失、无法解析，或缺少必填项 agency（format 不写时按年度）。",
         variants={"missing": "缺少 report.toml（报告元数据）", "parse": "report.toml 无法解析：{exc}", "key": "report.toml 缺少必填项 {key}"}),
    Code("F008", E, "格式版本不适用", "报告使用的格式版本与年度不符：2021 年及以后的报告必须使用国办公开办函〔2021〕30号格式。",
         variants={"unknown": "未知的格式版本“{format}”，可用：{versions}", "year": "{year} 年的报告应使用 {name}（format = \"{version}\"），实为“{format}”"}),
    # L: labels and shape
    Code("L101", E, "未知的行标签", "CSV 第一列的标签不是官方格式中的行；给出最接近的官方标签。",
         variants={"label_guess": "行标签“{label}”不在官方格式中，是否应为“{guess}”？", "label": "行标签“{label}”不在官方格式中", "label_extra": "行标签“{label}”不在官方格式中；官方格式的各行都已齐全，这是多出的一行，请删除", "blank_guess": "这一行的行标签（第一格）是空的，是否应为“{guess}”？", "blank": "这一行的行标签（第一格）是空的", "blank_extra": "这一行的行标签（第一格）是空的；官方格式的各行都已齐全，这是多出的一行，请删除"}),
    Code("L102", E, "未知的列标签", "表头中的列标签不是官方格式中的列；给出最接近的官方标签。",
         template="列标签“{label}”不在官方格式中",
         variants={"guess": "列标签“{label}”不在官方格式中，是否应为“{guess}”？", "extra": "列标签“{label}”不在官方格式中；官方格式的各列都已齐全，这是多出的一列，请删除"}),
    Code("L103", E, "重复的行", "同一行标签出现了两次；只读取第一次。",
         template="行“{official}”重复出现（第一次在第 {first} 行），本行未读取"),
    Code("L104", E, "重复的列", "同一列标签出现了两次；只读取第一列。",
         template="列“{official}”重复出现（第一次在第 {first} 列），本列未读取"),
    Code("L105", E, "缺少行", "官方格式中的行在 CSV 中不存在。",
         variants={"after": "缺少行“{label}”，应在“{previous}”行之后", "first": "缺少行“{label}”，应为表头后的第一行"}),
    Code("L106", E, "缺少列", "官方格式中的列在 CSV 中不存在。",
         template="缺少列“{label}”"),
    Code("L107", W, "标签写法与官方不同", "标签与官方文字只差全角/半角括号、“1、”与“1.”、空格或引号等写法；已按官方标签读取，表格中显示官方文字。建议改为官方写法。",
         variants={"row": "行标签“{label}”应写作“{official}”（{how}）", "row_split": "行标签“{label}”应写作“{official}”（{how}；没有加引号的半角逗号把它拆成了 {parts} 格）", "column": "列标签“{label}”应写作“{official}”（{how}）", "stub": "表头第一格“{label}”应写作“{stub}”（{how}）"}),
    Code("L108", E, "单元格个数不对", "数据行的单元格比表头多；多出的单元格无法对应到列。",
         variants={"beyond": "行“{row}”第 {field} 格“{text}”在表头中没有对应的列（表头只有 {width} 个数据列），无法读取", "not_in_row": "行“{row}”没有“{label}”列，第 {field} 格“{text}”无法读取；该格应为空"}),
    Code("L109", E, "使用了 2019 年旧格式", "表中出现 2019 年格式（国办公开办函〔2019〕60号）的行或列，例如不分项的“（六）其他处理”。2021 年及以后的报告须使用 2021 年格式。",
         variants={"column": "列“{t}”是 2019 年格式的列，2021 年格式没有这一列", "row": "“{first}”是 2019 年格式的行；2021 年格式将其分为 1.至 3. 三项", "legacy_row": "{table}用的是 2019 年格式，“{first}”不分项：2019 年格式（国办公开办函〔2019〕60号）的“{legacy}”只有一行，2021 年格式要求分为 {n} 行“{rows}”分别填写（没有发生的填 0，不要自行拆分原来的合计数）"}),
    Code("L110", E, "缺少表头行", "CSV 的第一行应为表头，第一格为官方的行标题（例如“项目”或“信息内容”）。",
         variants={"row": "CSV 第一行应为表头（“{stub}”和各列标签），实为“{label}”行", "stub": "表头第一格应为“{stub}”，实为“{label}”"}),
    # C: cells
    Code("C201", E, "空白单元格", "数值单元格不能为空；没有发生请填 0。",
         template="{table}“{row}”行“{label}”列：单元格为空，应填数字（没有发生请填 0）"),
    Code("C202", E, "全角数字", "数字用了全角字符（如 １２）；请改为半角数字（12）。",
         template="{table}“{row}”行“{label}”列：“{text}”是全角数字，应写半角“{half}”"),
    Code("C203", E, "千位分隔符", "数字中有千位分隔符（如 1,369）；请直接写 1369。",
         template="{table}“{row}”行“{label}”列：“{text}”带千位分隔符，应写“{plain}”",
         variants={"split": "{table}“{row}”行“{label}”列：“{text}”带千位分隔符，应写“{plain}”（逗号没有加引号，把这个数拆成了 {parts} 格）"}),
    Code("C204", E, "用文字代替数字", "单元格写了“无”“—”“-”“/”等；没有发生请填 0。",
         template="{table}“{row}”行“{label}”列：单元格写了“{text}”，应填数字（没有发生请填 0）"),
    Code("C205", E, "负数", "件数和金额不能为负数。",
         template="{table}“{row}”行“{label}”列：“{text}”是负数，件数和金额不能为负"),
    Code("C206", E, "件数不是整数", "件数必须是非负整数；只有收费金额（万元）可以有小数。",
         template="{table}“{row}”行“{label}”列：“{text}”是小数，件数应为整数"),
    Code("C207", W, "多余的空格", "单元格前后有空格；已忽略空格读取。",
         template="{table}“{row}”行“{label}”列：单元格“{text}”前后有空格，已按“{read}”读取"),
    Code("C208", E, "不是数字", "单元格内容不是数字。",
         template="{table}“{row}”行“{label}”列：“{text}”不是数字",
         variants={"comma": "{table}“{row}”行“{label}”列：“{text}”不是数字；小数点应写“.”（“{point}”）"}),
    Code("C209", W, "收费金额小数位过多", "收费金额以万元为单位，超过 4 位小数（即不足 1 元）通常说明把“元”当成了“万元”。",
         template="{table}“{row}”行“{label}”列：收费金额“{text}”万元有 {decimals} 位小数（不足 1 元），是否把“元”填成了“万元”？"),
    Code("C210", W, "收费金额数值异常", "收费金额以万元为单位；数值过大（超过 1000000 万元，即 100 亿元）多半是把“元”填成了“万元”。",
         template="{table}“{row}”行“{label}”列：收费金额 {text} 万元（{yi} 亿元）过大，是否把“元”填成了“万元”？"),
    # R: relations inside a table
    Code("R301", E, "表三勾稽关系不平衡", "每一列：一（本年新收）＋二（上年结转）＝三（七）总计＋四（结转下年度继续办理）。",
         variants=_RELATION),
    Code("R302", E, "表三办理结果合计不符", "每一列：（一）至（六）各项之和＝（七）总计。",
         variants=_RELATION),
    Code("R303", E, "表三申请人合计不符", "每一行：自然人＋商业企业＋科研机构＋社会公益组织＋法律服务机构＋其他＝总计。",
         variants=_RELATION),
    Code("R304", E, "表四总计不符", "行政复议、未经复议直接起诉、复议后起诉各自：结果维持＋结果纠正＋其他结果＋尚未审结＝总计。",
         variants=_RELATION),
    # Y: across years
    Code("Y401", E, "上年结转与上年报告不符", "本年表三“二、上年结转”每一列应等于上年报告表三“四、结转下年度继续办理”的同一列。可在 waivers.toml 中说明理由后豁免。",
         variants={"column_equal": "{table} {what} 列：{name}＝{now}，但 {last_year} 年报告的{last_name}＝{before}，应相等", "column_sum": "{table} {what} 列{name}：{last_name} {before}{terms}＝{want}，表中为 {now}", "row_equal": "{table}“{what}”：{name}＝{now}，但 {last_year} 年报告的{last_name}＝{before}，应相等", "row_sum": "{table}“{what}”{name}：{last_name} {before}{terms}＝{want}，表中为 {now}"}),
    Code("Y402", W, "现行有效件数不连续", "上年现行有效件数＋本年制发件数－本年废止件数，应等于本年现行有效件数（规章、行政规范性文件）。修改、清理可能打破这一关系，请在 waivers.toml 中说明。",
         variants={"column_equal": "{table} {what} 列：{name}＝{now}，但 {last_year} 年报告的{last_name}＝{before}，应相等", "column_sum": "{table} {what} 列{name}：{last_name} {before}{terms}＝{want}，表中为 {now}", "row_equal": "{table}“{what}”：{name}＝{now}，但 {last_year} 年报告的{last_name}＝{before}，应相等", "row_sum": "{table}“{what}”{name}：{last_name} {before}{terms}＝{want}，表中为 {now}"}),
    # S: sections of the narrative
    Code("S501", E, "缺少必备章节", "报告必须包含格式规定的六个部分，不能遗漏；没有内容的部分写“无”。",
         template="缺少第{number}部分“{title}”"),
    Code("S502", E, "章节顺序不对", "六个部分应按格式规定的顺序排列。",
         template="“{title}”的位置不对：六个部分应按一至六的顺序排列"),
    Code("S503", E, "章节标题与官方不同", "章节标题应与格式规定的文字一致。",
         template="章节标题“{title}”应为“{official}”"),
    Code("S504", E, "章节内容为空", "没有内容的部分也要用文字说明（如“无”或“本年度无…”）。",
         template="“{official}”一节没有内容；没有可报告的内容也要写明“无”"),
    Code("S505", E, "缺少报告页面", "data/ 中有报告数据，但 docs/ 中没有对应的页面。",
         template="缺少报告页面 {page}"),
    Code("S506", E, "缺少必备表格", "第二、三、四部分必须包含对应的统计表（report-table 指令）。",
         template="“{official}”一节应包含{table}（```{{report-table}} {table}```）"),
    Code("S507", E, "表格指令有误", "report-table 指令的参数应为 表二、表三 或 表四（只写一个）。",
         variants={"section": "report-table 的参数“{arg}”不对，应为 表二、表三 或 表四（只写一个）", "directive": "report-table：未知的表“{arg}”，应为 表二、表三 或 表四"}),
    # P: prose against tables
    Code("P601", E, "正文数字与表格不符", "正文中的数字（如“收到申请 N 件”）与表格中的数字不一致。请用 {value} 角色引用表格数值，避免两处不一致。",
         template="正文写{what} {written} 件，表格中为 {value}"),
    Code("P602", E, "正文说没有，表格却有", "正文写“未收到政府信息公开申请”等，但表格中的数字不为 0。",
         template="正文写“{written}”，但表格中{what}为 {v}"),
    Code("P603", E, "数值引用有误", "{value} 引用的表、行或列不存在；引用写成 表.行.列，例如 t3.new.total。",
         template="{{value}}：{problem}", variants={"page": "{{value}}：页面 {docname} 不对应 data/ 中的任何报告"}),
    # X: report-level
    Code("X801", W, "统计期间未写明", "报告应写明统计期间为该年 1 月 1 日至 12 月 31 日。",
         variants={"missing": "正文没有写明统计期间（{year}年1月1日至12月31日）", "year": "统计期间写的是“{written}”，本报告是 {year} 年度（是否照抄了上年报告？）"}),
    Code("X802", W, "正文中还有模板占位文字", "make new 生成的“（请……）”占位文字还没有替换成报告内容。",
         template="模板占位文字还没有替换：“{text}……”"),
    # V: waivers
    Code("V701", E, "豁免缺少理由", "waivers.toml 中的每条豁免都必须写明理由（reason）。",
         template="对 {entry} 的豁免没有写理由（reason）"),
    Code("V702", W, "豁免没有对应的问题", "waivers.toml 中的豁免没有匹配到任何检查结果，可能已经不需要了。",
         template="对 {entry} 的豁免没有匹配到任何检查结果"),
    Code("V703", E, "豁免文件有误", "waivers.toml 无法解析，或条目写法不对：每条豁免写成 [[waiver]]，带 code 和 reason。",
         variants={"table": "每条豁免要写成一个 [[waiver]] 段（两层方括号），段里写 code = \"…\" 和 reason = \"…\"", "parse": "waivers.toml 无法解析：{exc}", "code": "豁免条目缺少 code", "unknown": "豁免条目的 code “{entry}”不是检查结果代码（见网站“检查结果代码”页）", "line": "line 要写数字，不加引号：line = {written}"}),
    Code("V704", E, "该问题不能豁免", "表内合计、单元格、标签、文件和章节的错误必须改正，不能豁免；可以豁免的是跨年度数字（Y401）、正文数字（P601、P602）和各种警告。",
         template="{entry}（{title}）必须改正，不能豁免"),
    # issue 15: import
    Code("X810", W, "导入说明等待核对", "make import 把导入时改正的标签、未导入的行和读不出的单元格逐条写在 data/<机构>/<年度>/import-notes.md；对照原文核对、改好 CSV 后删除这个文件。",
         template="导入说明 {notes} 还在：{items} 条说明（改正的标签、未导入的行和单元格）等待核对；对照原文核对、改好 CSV 后删除这个文件",
         variants={"partial": "导入说明 {notes} 还在（部分导入）：{items} 条说明（改正的标签、未导入的行和单元格）等待核对；对照原文核对、改好 CSV 后删除这个文件"}),
    # issue 17: safety — only the report's own files, escaped and typed values, robust reading
    Code("F009", E, "文件指向仓库之外", "数据文件、报告目录或页面是符号链接（或位于符号链接的目录中），实际位置在仓库之外；拒绝读取，内容不显示。请把文件本身放进仓库。",
         variants={"page": "页面是指向仓库之外的符号链接，拒绝读取", "data": "{what}是指向 data/ 之外的符号链接，拒绝读取（内容不显示、不发布）"}),
    Code("F010", E, "页面无法读取", "报告页面（.md）不是 UTF-8 或 GBK 文本（例如 UTF-16，或含控制字符）；请在编辑器中另存为 UTF-8。",
         variants={"open": "无法打开页面：{reason}", "utf16": "文件是 UTF-16 编码（或含 NUL 字节），不是 UTF-8 文本；请在编辑器中另存为 UTF-8",
                   "control": "第 {start} 行有控制字符 U+{codepoint:04X}，这不是文本文件；请另存为 UTF-8",
                   "encoding": "文件编码无法识别（既不是 UTF-8 也不是 GBK）；请另存为 UTF-8"}),
    Code("F011", W, "页面不是 UTF-8 编码", "报告页面按 GBK（GB18030）读取成功（记事本在中文 Windows 上的默认编码）；请另存为 UTF-8，以免在其他电脑上乱码。",
         template="页面是 GBK 编码，已按 GBK 读取；请在编辑器中另存为 UTF-8"),
    Code("F012", E, "元数据类型不对", "report.toml 中的项类型不对：agency、full_name、format 要写带引号的文字，published 要写日期（如 2022-01-31，不加引号），archive、draft 写 true 或 false，members 写数组。",
         variants={"text": "report.toml 的 {key}（{what}）应为带引号的文字，实为{kind} {value!r}",
                   "value": "report.toml 的 {key}（{what}）应为{want}，如 {example}，实为{kind} {shown}",
                   "date": "report.toml 的 {key}（{what}）应为日期，如 published = 2022-01-31，实为{kind} {shown}",
                   "date_quoted": "report.toml 的 {key}（{what}）应为日期，如 published = 2022-01-31（日期不加引号），实为{kind} {shown}"},
         limit=300),
    Code("F013", E, "report.toml 不是文件", "data/<机构>/<年度>/report.toml 应是一个文本文件，实为目录或其他类型。",
         variants={"kind": "report.toml 应是一个文本文件，实为目录或其他类型", "open": "report.toml 无法读取：{reason}"}),
    Code("F014", E, "标题年度与目录不符", "报告页面标题中的年度应与报告所在的目录（docs/<机构>/<年度>.md、data/<机构>/<年度>/）一致。",
         template="标题写的是 {written} 年，但报告在 {year} 年的目录中（{rel}）"),
    Code("F015", E, "数值过大", "单元格中的数字位数过多（件数超过 12 位、金额整数部分超过 12 位），无法作为件数或金额；请检查是否粘贴错误。",
         template="{table}“{row}”行“{label}”列：数字有 {digits} 位，超过 {limit} 位，不可能是件数或金额（是否粘贴错误？）"),
    Code("F016", E, "元数据过长或含控制字符", "report.toml 中的文字过长（超过 200 字）或含换行、控制字符。",
         variants={"long": "report.toml 的 {key}（{what}）长 {length} 字（最多 {limit} 字）", "control": "report.toml 的 {key}（{what}）含换行、控制字符或文字方向控制符（如 U+202E）"}),
    Code("F017", E, "报告目录缺少 report.toml", "data/<机构>/<年度>/ 中有表格（CSV），但没有 report.toml：这份报告不会被检查，也不会发布。请加上 report.toml（可用 make new 生成）。",
         template="缺少 {rel}：目录中有 {tables}，但没有 report.toml，这份报告不会被检查、也不会发布。请加上 {rel}（写 agency、full_name、format，例如用 make new AGENCY={agency} YEAR={year} NAME=… 生成后放回这些表格）",
         variants={"many": "缺少 {rel}：目录中有 {tables} 等，但没有 report.toml，这份报告不会被检查、也不会发布。请加上 {rel}（写 agency、full_name、format，例如用 make new AGENCY={agency} YEAR={year} NAME=… 生成后放回这些表格）"}),
    Code("S508", E, "不允许的指令", "报告页面只能使用本项目的指令和普通 MyST：读取文件的指令（include、literalinclude、raw、csv-table 的 :file:/:url:）和 eval-rst 不能使用，内容不会出现在网站和 PDF 中。",
         variants={"refused": "不允许使用 {name} 指令（会读取文件或嵌入原始标记），内容不会发布", "csv_file": "csv-table 不能用 :file: 或 :url: 读取文件；统计表请用 report-table"}),
    Code("S509", E, "引用了 docs/ 和 data/ 之外的文件", "图片、下载链接等只能引用仓库 docs/ 和 data/ 目录中的文件（按实际路径判断，符号链接指向外面的也拒绝）。",
         variants={"path": "{what}：“{target}”在 docs/ 和 data/ 之外（按实际路径），拒绝读取", "image_removed": "图片“{uri}”在 docs/ 和 data/ 之外，未发布", "download_removed": "下载“{target}”在 docs/ 和 data/ 之外，未发布"}),
    Code("S510", E, "页面中有原始 HTML", "报告页面不能直接写 HTML（如 <script>、<iframe>、<div>）；这些内容不会发布。请用 Markdown 写。",
         variants={"html": "页面中有原始 HTML“{html}”，不会发布；请用 Markdown 写", "script_option": "{name} 的 :{option}: 是脚本链接（javascript: 等），不会发布", "raw_removed": "原始 {format} 内容未发布", "script_removed": "脚本链接（javascript: 等）未发布"}),
    Code("S511", E, "公式中有不允许的 TeX 命令", "公式（math）中不能用读写文件或改变 TeX 规则的命令（如 \\input、\\include、\\openin、\\write、\\catcode、\\def）。",
         variants={"page": "公式中不能使用 {bad}（TeX 读写文件、改变读入规则的命令），公式未排版", "removed": "公式中有 {bad}，未排版"}),
    Code("X830", E, "构建目录无法写入", "_build/ 目录只读或磁盘已满，无法写入构建结果或检查缓存；检查照常进行，结果不缓存。",
         template="构建目录无法写入（{why}）。请检查 _build/ 的权限和磁盘空间，或运行 make clean 后重试。"),
    # issue 12: 2019 leftovers in a 2021-format table
    Code("L111", E, "2019 年格式留下的空白分项", "2021 年格式把 2019 年格式（国办公开办函〔2019〕60号）的“（六）其他处理”一行分为 1.至 3. 三项；表三这三行全部空白，多半是按 2019 年格式只填了（或导入了）一行。请按原始记录分项填写，没有发生的填 0；不要自行拆分原来的合计数。",
         template="{table}“{legacy}”的 {n} 个分项全部空白，多半是照 2019 年格式只有一行：2019 年格式（国办公开办函〔2019〕60号）的“{legacy}”只有一行，2021 年格式要求分为 {n} 行“{rows}”分别填写（没有发生的填 0，不要自行拆分原来的合计数）"),
    # issue 14: the PDF edition as an official document (落款, deadline, title)
    Code("X803", W, "没有成文日期", "report.toml 应写 published（成文日期，例如 published = 2022-01-28）：它是发布的报告的一部分，PDF 和网页的落款显示它。",
         template="{count} 份报告的 report.toml 没有 published（成文日期），PDF 和网页不显示落款：{names}"),
    Code("X804", W, "成文日期晚于法定期限", "政府信息公开条例第五十条：本机关的报告于次年 1 月 31 日前公布，县级以上人民政府的报告（deadline = \"03-31\"）于 3 月 31 日前公布。",
         template="成文日期 {published} 晚于法定期限 {last}（政府信息公开条例第五十条）"),
    Code("X805", W, "deadline 写法不对", "report.toml 的 deadline 只能是 \"01-31\"（默认）或 \"03-31\"（县级以上人民政府的报告）；旧的 level 项改写为 deadline。",
         variants={"value": "deadline 应为 \"01-31\"（本机关的报告）或 \"03-31\"（县级以上人民政府的报告），实为“{kind}”", "old": "report.toml 的 {name} 已不再使用，法定期限应写 {instead}"}),
    Code("X806", W, "title_break 与标题不一致", "report.toml 的 title_break 去掉“|”后必须与报告标题一字不差，否则按默认位置分行。",
         template="title_break 去掉“|”后应与标题“{title}”一致，实为“{written}”；已按默认位置分行"),
    Code("X807", W, "单位分组写法不对", "report.toml 的 group（首页目录中的分组）只能是 portal.toml 的 groups 列出的一项（默认：政府及汇总、部门、乡镇街道）；不写则列在“未分组”。",
         template="report.toml 的 group 应为 {groups} 之一，实为“{group}”；首页把这个单位列在“未分组”"),
    # issue 16: the district portal (roll-ups U901–U929, archives A951–A959, charts X820–X829)
    Code("U901", E, "汇总成员报告缺失", "report.toml 的 members 列出的单位在同一年度没有报告（data/<成员>/<年度>/report.toml），汇总数字无法算出。",
         template="成员 {m} 没有 {year} 年的报告（应有 data/{m}/{year}/report.toml），汇总数字缺这一单位"),
    Code("U902", E, "汇总成员重复", "同一单位在 members 中出现了两次；每个成员只能计入一次。",
         template="成员 {m} 在 members 中出现了两次，只计入一次"),
    Code("U903", E, "成员属于两个汇总", "同一年度里一个单位只能计入一份汇总报告，否则上级汇总时会重复计算。",
         template="成员 {m} 同时列在 {agency} 的 {year} 年汇总报告中；同一单位只能计入一份汇总"),
    Code("U904", E, "汇总成员有错误", "成员报告有检查错误（不能发布），汇总数字含有这些错误的数字；先改正成员报告。",
         template="成员 {m} 的 {year} 年报告有 {n} 个错误（不能发布），汇总数字含有这些数字；先改正成员报告"),
    Code("U905", E, "汇总数字与成员之和不符", "汇总报告的每个单元格应等于各成员同一单元格之和；CSV 中留空或不提供的单元格由成员之和算出。",
         template="{table}“{row}”{column_label}：汇总为 {got}，成员之和为 {want}（{parts}），应相等"),
    Code("U906", W, "汇总成员与上年不同", "汇总成员与上年的汇总不同（有新增或减少）；上年结转等跨年数字因此可能与上年汇总不一致。",
         template="汇总成员与 {last_year} 年不同：{change}；上年结转等跨年数字可能因此与上年汇总不同"),
    Code("U907", E, "汇总成员写法有误", "members 应写成机构简称的列表，例如 members = [\"xiangshan\", \"dongyuan\"]；不能包括汇总报告本身或另一份汇总报告。",
         variants={"name": "members 中的“{m}”不是机构简称（小写拼音），应写成字符串，例如 \"xiangshan\"", "self": "汇总报告不能把自己（{m}）列为成员", "rollup": "成员 {m} 本身是汇总报告；汇总报告只能汇总单位的报告"}),
    # issue 22: a province built from its districts' published open data (federation/)
    Code("U941", E, "省级汇总配置有误", "portal.toml 的 [[federation.members]] 每一项写 name（地区名称）和 path（本机上已发布网站的目录）或 url（已发布网站的网址，http 或 https）之一，可加 site（读者访问的网址）；名称不能重复。",
         variants={"limit": "成员地区最多 {limit} 个，实际 {count} 个；只读前 {limit} 个", "empty": "[federation] 应列出成员地区：每个写成一段 [[federation.members]]，带 name 和 path 或 url；实际没有成员", "twice": "成员地区“{name}”写了两次；只计第一次", "member_shape": "第 {n} 个成员地区：应写成 [[federation.members]] 一段，带 name 和 path 或 url；这个地区不读取",
                   "member_unknown": "第 {n} 个成员地区：不认识的项 {unknown}（可以写 {keys}）；这个地区不读取",
                   "member_text": "第 {n} 个成员地区：{item} 应是带引号的文字（1 至 {limit} 字，不含换行）；这个地区不读取",
                   "member_name": "第 {n} 个成员地区：缺少 name（地区名称）；这个地区不读取",
                   "member_where": "第 {n} 个成员地区：“{name}”应写 path（本机目录）或 url（网址）二者之一；这个地区不读取",
                   "member_url": "第 {n} 个成员地区：“{name}”的 url 应以 http:// 或 https:// 开头；这个地区不读取",
                   "member_site": "第 {n} 个成员地区：“{name}”的 site 应以 http:// 或 https:// 开头；这个地区不读取", "parse": "portal.toml 无法解析：{exc}"}),
    Code("U942", E, "成员地区的数据无法读取", "读不到成员地区网站的 opendata/all.csv 或 opendata/publication.json（目录或文件不存在、网址无法访问、超时或文件过大）；该地区不计入全省的数字，页面上注明。",
         template="成员地区“{member}”：{problem}；该地区不计入",
         variants={"publication_text": "成员地区“{member}”：文件不是 UTF-8 文本；该地区不计入", "csv_text": "成员地区“{member}”：all.csv 不是 UTF-8 文本；该地区不计入"}),
    Code("U943", E, "成员地区的数据行有误", "成员地区 opendata/all.csv 中的一行无法读取：列数不对、表/行/列名称不是官方格式、数值不是数字、单位不符、重复，或属于没有发布的报告。这一行不计入，用到它的数字留空（不猜）。",
         variants={"too_many": "成员地区“{name}”：all.csv 超过 {limit} 行，后面的行不读；这一行不计入",
                   "csv": "成员地区“{name}”：CSV 格式有误（{exc}），从这一行起不读；这一行不计入",
                   "width": "成员地区“{name}”：应有 {want} 个单元格，实有 {got} 个；这一行不计入",
                   "key": "成员地区“{name}”：单位简称“{agency}”或年度“{year}”写法不对；这一行不计入",
                   "unpublished": "成员地区“{name}”：报告 {key} 不在该地区 publication.json 的已发布报告中；这一行不计入",
                   "cell": "成员地区“{name}”：“{table} / {label} / {col_label}”不是官方格式中的单元格；这一行不计入",
                   "unit": "成员地区“{name}”：单位应是“{want}”，实为“{got}”；这一行不计入",
                   "amount": "成员地区“{name}”：数值“{raw}”不是金额；这一行不计入",
                   "count": "成员地区“{name}”：数值“{raw}”不是件数；这一行不计入",
                   "twice": "成员地区“{name}”：{key} 的“{table} / {label} / {col_label}”出现了两次（只计第一次）；这一行不计入",
                   "head": "成员地区“{member}”的 all.csv 第一行应是 {columns}，实为 {head}；该地区不计入"}),
    Code("U944", E, "成员地区的发布清单有误", "成员地区的 opendata/publication.json 不是 JSON，或没有 published、withheld 等项；该地区不计入全省的数字。",
         variants={"json": "成员地区“{member}”的 publication.json 不是 JSON（{exc}）；该地区不计入",
                   "object": "成员地区“{member}”的 publication.json 应是一个对象（{{…}}）；该地区不计入",
                   "lists": "成员地区“{member}”的 publication.json 的 published、archived 应是“单位/年度”的列表；该地区不计入",
                   "withheld": "成员地区“{member}”的 publication.json 的 withheld 应写成 {{\"单位/年度\": 错误数}}；该地区不计入",
                   "rollups": "成员地区“{member}”的 publication.json 的 rollups 应写成 {{\"单位/年度\": [成员单位, …]}}；该地区不计入"}),
    Code("U945", W, "成员地区没有写明汇总关系", "成员地区的 publication.json 没有 rollups 项（网站由旧版本生成），无法判断哪些单位已计入本地区的汇总报告；为不重复计算，该地区不计入全省汇总。请用新版本重新生成该地区的网站。",
         template="成员地区“{name}”的 publication.json 没有 rollups（汇总关系）：该地区不计入全省汇总"),
    Code("U910", W, "内容雷同", "正文第一部分（总体情况）和第五部分（存在的主要问题及改进情况）与上年报告的句子大半相同（去掉标题、数字后逐句比较）。",
         template="第一、五部分有 {repeated} 句与 {last_year} 年报告相同（占上年 {total} 句的 {share:.0%}，超过一半）：{listed}"),
    Code("A951", E, "只有导入的历史报告可以存档", "report.toml 中 archive = true 表示按原发布文本照录，只适用于导入的已发布报告：须写明 imported_from（原文来源）。新写的报告不能存档，必须改正。",
         template="report.toml 写了 archive = true，但没有 imported_from（原发布文本的来源）：只有导入的已发布报告可以存档"),
    Code("A952", E, "存档报告缺少发布日期", "存档报告是已经发布的原文，report.toml 须写明原发布日期 published；原文没有载明日期时写 undated = true（不编造日期）。",
         template="存档报告须写明原发布日期，例如 published = {next_year}-01-31；原文没有载明日期时写 undated = true"),
    Code("X820", E, "图表指令有误", "report-chart 的参数应为关键指标的名称（见“关键指标”表），agency-history 的参数为机构简称。",
         variants={"chart": "report-chart 的参数“{arg}”不是图表名称，可用：{names}", "agency": "report-chart 不在报告页面上时要写 :agency: 机构简称", "history": "agency-history：机构“{agency}”没有报告"}),
]

#: Error codes a report may waive with a written reason (warnings always may).
WAIVABLE = {"Y401", "P601", "P602"}

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}


def check_code_ids(declared: Iterable[str], catalogue: Iterable[str]) -> None:
    """The ``CodeId`` literal and the catalogue name the same codes (run at import)."""
    a, b = set(declared), set(catalogue)
    if a != b:
        raise TemplateError(f"findingcodes.CodeId and CATALOGUE differ: only in CodeId {sorted(a - b)}, "
                            f"only in CATALOGUE {sorted(b - a)}; run tools/findingcodes.py")


def code_id(code: str) -> CodeId:
    """A code read from data (the spec's rules): checked against the catalogue."""
    if code not in CATALOGUE:
        raise TemplateError(f"unknown finding code {code!r}")
    return code  # type: ignore[return-value]


check_code_ids(get_args(CodeId), CATALOGUE)

#: Codes data may declare at run time (issue 20, rule packs): ``K`` and three digits, a letter no core code uses.
DECLARABLE = re.compile(r"K[0-9]{3}")
#: The codes declared at run time (also in CATALOGUE): never a core code.
DECLARED: dict[str, Code] = {}


def declare(code: Code, waivable: bool = False) -> Code:
    """Add a code a rule pack declares to the catalogue (and to WAIVABLE when ``waivable``);
    declaring it again replaces it (the pack was edited). A core code, or one outside
    :data:`DECLARABLE`, is an error: data never changes the core catalogue."""
    if not DECLARABLE.fullmatch(code.code) or (code.code in CATALOGUE and code.code not in DECLARED):
        raise TemplateError(f"{code.code}: only codes K000–K999 not in the catalogue can be declared")
    CATALOGUE[code.code] = DECLARED[code.code] = code
    (WAIVABLE.add if waivable else WAIVABLE.discard)(code.code)
    return code


@dataclass(frozen=True)
class Finding:
    """One problem, located at a file, line and (for CSV) column."""

    code: str
    message: str
    path: str  # relative to the repository root, POSIX separators
    line: int | None = None
    col: int | None = None  # 1-based CSV field index
    column: str | None = None  # the column's official label
    expected: str | None = None
    found: str | None = None
    waived: str | None = None  # the recorded reason, when waived
    severity: Severity = field(default=E)

    @classmethod
    def make(cls, code: str, message: str, path: str, **kw: object) -> Finding:
        """A finding with a message written by the caller (being replaced by :meth:`of`)."""
        return cls(code=code, message=message, path=path, severity=CATALOGUE[code].severity, **kw)  # type: ignore[arg-type]

    @classmethod
    def of(cls, code: CodeId, path: str, *, variant: str | None = None, line: int | None = None,
           col: int | None = None, column: str | None = None, expected: str | None = None,
           found: str | None = None, values: Mapping[str, object] | None = None, **fields: object) -> Finding:
        """A finding whose message is its code's template (``variant``) filled with ``fields``
        (and ``values``: fields gathered by the caller in a dict)."""
        entry = CATALOGUE[code]
        return cls(code=code, message=entry.format(variant, **(values or {}), **fields), path=path, line=line, col=col,
                   column=column, expected=expected, found=found, severity=entry.severity)

    @classmethod
    def declared(cls, code: Code, path: str, *, variant: str | None = None, line: int | None = None, col: int | None = None, column: str | None = None,
                 expected: str | None = None, found: str | None = None, **fields: object) -> Finding:
        """A finding of a code declared at run time (:func:`declare`): typed by its ``Code``, so
        :meth:`of` keeps the ``CodeId`` literal for the core codes, which this refuses."""
        if DECLARED.get(code.code) is not code:
            raise TemplateError(f"{code.code} is not a declared code (findings.declare)")
        return cls(code=code.code, message=code.format(variant, **fields), path=path, line=line, col=col, column=column,
                   expected=expected, found=found, severity=code.severity)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR and self.waived is None

    def location(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc

    def waive(self, reason: str) -> Finding:
        return replace(self, waived=reason)

    def text(self) -> str:
        """``path:line:col: 错误 CODE message`` as printed by ``make check``."""
        sev = "豁免" if self.waived is not None else self.severity.zh
        msg = self.message + (f"（已豁免：{self.waived}）" if self.waived is not None else "")
        return f"{self.location()}: {sev} {self.code} {msg}"

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["title"] = CATALOGUE[self.code].title
        return d


def flatten(findings: Iterable[Finding]) -> list[tuple[str, str, int | None, str | None]]:
    """``[(code, path, line, column), ...]``: what tests compare."""
    return [(f.code, f.path, f.line, f.column) for f in findings]


def sort_key(f: Finding) -> tuple[str, int, int, str]:
    return (f.path, f.line or 0, f.col or 0, f.code)


def to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
