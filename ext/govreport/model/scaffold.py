"""Start a new report: the page with the six headings, CSVs with every label.

Carries over what the format links across years when the agency's previous
report exists (the spec's ``across_years``): t3.carried_in from last year's
t3.carried_over, and last year's t2 in_force as the starting point of 表二. Under
each heading, the placeholder of the spec's ``section_guide``. Never overwrites a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..format.labels import Number
from ..format.spec import FormatSpec, spec_for_year
from .atomic import leftovers, write_all
from .csvwrite import table_csv
from .report import SLUG, TITLE_SUFFIX, Report, load_report


@dataclass
class Created:
    paths: list[Path]
    notes: list[str]


class AlreadyExists(Exception):
    pass


#: Annual reports exist since the 2008 regulations; later years are typos.
FIRST_YEAR, LAST_YEAR = 2008, 2100


def page_text(title: str, year: int, spec: FormatSpec) -> str:
    lines = [f"# {title}", "",
             f"本报告根据《中华人民共和国政府信息公开条例》和{spec.name}要求编制，"
             f"统计期限自{year}年1月1日至{year}年12月31日。", ""]
    for i, section in enumerate(spec.sections):
        lines += [f"## {section}", "", spec.section_guide[i], ""]
        for t in spec.tables.values():
            if t.section == i:
                lines += [f"```{{report-table}} {t.title}", "```", ""]
    return "\n".join(lines)


def new_report(root: Path, agency: str, year: int, name: str | None = None, full_name: str | None = None) -> Created:
    """Create ``data/<agency>/<year>/`` and ``docs/<agency>/<year>.md``."""
    check_names(agency, year)
    data_dir = root / "data" / agency / str(year)
    page = root / "docs" / agency / f"{year}.md"
    spec = spec_for_year(year)
    existing = [p for p in [data_dir / "report.toml", page, *(data_dir / t.file for t in spec.tables.values())] if p.exists()]
    if existing:
        raise AlreadyExists("以下文件已存在，未做任何修改：\n" + "\n".join(f"  {p.relative_to(root)}" for p in existing))
    notes: list[str] = []
    prev: Report | None = None
    if (root / "data" / agency / str(year - 1) / "report.toml").is_file():
        prev = load_report(root, agency, year - 1)
        notes.append(f"沿用 {year - 1} 年报告：机构名称、{carried_text(spec)}")
    name = name or (prev.name if prev else None)
    if not name:
        raise ValueError("新机构需要机构名称：make new AGENCY=… YEAR=… NAME=沙坡头区香山乡")
    full = full_name or (prev.full_name if prev else name)
    check_text(name, "NAME")
    check_text(full, "FULL_NAME")
    values: dict[str, dict[tuple[str, str], Number | None]] = {}
    for t in spec.tables.values():
        values[t.id] = {k: 0 for k in t.keys()}
    if prev is not None:
        carry_over(spec, prev, values)
    files = {data_dir / "report.toml": report_toml(name, full, year, spec)}
    for t in spec.tables.values():
        files[data_dir / t.file] = table_csv(t, values[t.id])
    files[page] = page_text(f"{name}{year}{TITLE_SUFFIX}", year, spec)
    notes += leftovers(list(files))  # an interrupted run's temporary files: removed, and said (issue 26)
    write_all(files)  # issue 17: all or none (a full disk leaves nothing behind)
    return Created(list(files), notes)


def carry_over(spec: FormatSpec, prev: Report, values: dict[str, dict[tuple[str, str], Number | None]]) -> None:
    """Start this year's cells from last year's report, by the format's across-year
    rules (the same rules the checks apply): this = last year's cell, with nothing
    yet issued or repealed; the rule's ``new_report`` cells start at the same value
    (表三: everything carried in is still open, so 一＋二＝三＋四 holds when empty)."""
    for rule in spec.across_years:
        old = prev.tables.get(rule.table)
        if old is None:
            continue
        t = spec.tables[rule.table]
        for _, this, last, plus, minus in rule.lines(t):
            if last[0] not in old.spec.rows or last[1] not in old.spec.rows[last[0]].cols:
                continue  # last year's format has no such cell (2019 表二)
            v = old.get(*last)
            values[t.id][this] = v
            for k in plus + minus:
                values[t.id][k] = 0
            for other in rule.new_report:
                values[t.id][(other, this[1]) if rule.each == "column" else (this[0], other)] = v


def carried_text(spec: FormatSpec) -> str:
    """What ``make new`` carries over, in words: the ``name`` and ``last_name`` of each across-year rule."""
    parts = []
    for rule in spec.across_years:
        title = spec.tables[rule.table].title
        if rule.plus or rule.minus:
            parts.append(f"{title}“{rule.name}”的起点")
        else:
            parts.append(f"{title}“{rule.name}”（取自上年“{rule.last_name}”）")
    return "、".join(parts)


def check_names(agency: str, year: int) -> None:
    """The folder names of a report: a pinyin slug and a four-digit year."""
    if not SLUG.match(agency):
        shown = _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04x}", agency)  # a newline shown, not printed: one line
        raise ValueError(f"机构简称“{shown}”只能用小写拼音字母、数字和连字符，例如 xiangshan")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"年度“{year}”应为四位数字的年份（{FIRST_YEAR}–{LAST_YEAR}），例如 2024")


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_UNSEEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def check_text(value: str, what: str) -> None:
    """A name for report.toml: what its check accepts (reportmeta.validate)."""
    from .reportmeta import _CONTROL, MAX_TEXT

    if len(value) > MAX_TEXT or _CONTROL.search(value):
        raise ValueError(f"{what} 不能超过 {MAX_TEXT} 字，也不能含换行、控制字符或文字方向控制符（如 U+202E）")


def report_toml(name: str, full_name: str, year: int, spec: FormatSpec, note: str = "", imported_from: str = "") -> str:
    """The text of ``report.toml`` (``make new`` and ``make import`` write the same shape;
    an import also records its source, which is what lets it be archived).

    Every value and every comment goes through a TOML writer (tomlkit): a newline in a name or in the
    source's file name can never start a live key (issue 26: ``archive = true`` out of a file name)."""
    import tomlkit

    doc = tomlkit.document()

    def comment(text: str) -> None:
        doc.add(tomlkit.comment(_CONTROL_CHARS.sub(" ", text)))  # one line: a control character shown as a space

    comment("报告元数据：每份报告只在这里写一次。")
    comment(f"报告标题：{name}{year}{TITLE_SUFFIX}")
    if note:
        comment(note)
    doc.add("agency", name)
    doc.add("full_name", full_name)
    comment(f"格式版本：{spec.name}")
    doc.add("format", spec.version)
    comment(f"发布时填写发布日期，例如 published = {year + 1}-01-31")
    if imported_from:
        comment("导入的来源（存档须有）")
        doc.add("imported_from", imported_from)
        comment("按发布的原文存档（原文的问题列为“原文问题”，不阻止发布）：写 archive = true，")
        comment("并写原文的发布日期 published = …；原文没有日期时写 undated = true（不要编造日期）。")
    return tomlkit.dumps(doc)
