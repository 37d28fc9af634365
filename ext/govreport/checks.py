"""Every check of the format, driven by the spec, collecting all findings.

``check_report`` is what both the Sphinx build and ``govreport check`` call.
Pure Python, no docutils.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .csvload import Number, TableData, normalise_label
from .findings import CATALOGUE, Finding, sort_key
from .narrative import Page, flat_text, read_page
from .report import Report, load_report
from .spec import Relation

# ---------------------------------------------------------------- relations


def _fmt(v: Number) -> str:
    return format(v, "f") if not isinstance(v, int) else str(v)


def _total(values: list[Number | None]) -> Number | None:
    if any(v is None for v in values):
        return None
    return sum(values, 0)  # type: ignore[arg-type]


def check_relations(t: TableData) -> list[Finding]:
    """``sum(left) == sum(right)`` for every relation, column or row it applies to."""
    out: list[Finding] = []
    spec = t.spec
    for rel in spec.relations:
        if rel.each == "column":
            lines = [(r, c) for c in spec.columns for r in [rel.right[0]] if c in spec.rows[r].cols]
            for r0, col in lines:
                out += _one(t, rel, [(r, col) for r in rel.left], [(r, col) for r in rel.right], (r0, col), spec.columns[col].label)
        else:
            for row in spec.rows.values():
                if all(c in row.cols for c in rel.left + rel.right):
                    out += _one(t, rel, [(row.id, c) for c in rel.left], [(row.id, c) for c in rel.right], (row.id, rel.right[0]), row.label)
    return out


def _short(t: TableData, row: str) -> str:
    label = t.spec.rows[row].label
    m = re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", label)
    return m.group(1).rstrip("、") if m and row in ("new", "carried_in", "carried_over", "total") else label


def _one(t: TableData, rel: Relation, left: list[tuple[str, str]], right: list[tuple[str, str]], at: tuple[str, str], what: str) -> list[Finding]:
    lv = _total([t.values.get(k) for k in left])
    rv = _total([t.values.get(k) for k in right])
    if lv is None or rv is None or lv == rv:
        return []  # unreadable cells are reported already
    # A derived cell equals its sum by construction; report at a cell the writer typed.
    if all(k in t.derived for k in right):
        return []
    spec = t.spec
    if at in t.derived:  # a computed cell has no line: point at a cell the writer typed
        at = next((k for k in right + left if k not in t.derived), at)
    line, col = t.where(*at)
    if rel.each == "column":
        lname = "＋".join(_short(t, r) for r, _ in left) if len(left) <= 3 else "各项之和"
        rname = "＋".join(_short(t, r) for r, _ in right)
        msg = f"{spec.title} {what} 列：{lname}＝{_fmt(lv)}，{rname}＝{_fmt(rv)}，应相等"
        if rel.id == "balance":
            msg = f"{spec.title} {what} 列：一＋二＝{_fmt(lv)}，三（七）总计＋四＝{_fmt(rv)}，应相等"
        elif rel.id == "results":
            msg = f"{spec.title} {what} 列：办理结果（一）至（六）各项之和＝{_fmt(lv)}，（七）总计＝{_fmt(rv)}，应相等"
        column = what
    else:
        parts = "＋".join(spec.columns[c].label for _, c in left)
        msg = f"{spec.title}“{what}”行：{parts}＝{_fmt(lv)}，{spec.columns[right[0][1]].label}＝{_fmt(rv)}，应相等"
        column = spec.columns[at[1]].label
    return [Finding.make(rel.code, msg, t.path, line=line, col=col, column=column, expected=_fmt(lv), found=_fmt(rv))]


# --------------------------------------------------------------- across years


def check_previous(report: Report, prev: Report) -> list[Finding]:
    out: list[Finding] = []
    cur3, old3 = report.tables.get("t3"), prev.tables.get("t3")
    if cur3 and old3 and cur3.loaded and old3.loaded:
        for col, c in cur3.spec.columns.items():
            now, before = cur3.get("carried_in", col), old3.get("carried_over", col)
            if now is None or before is None or now == before:
                continue
            line, field = cur3.where("carried_in", col)
            out.append(Finding.make(
                "Y401",
                f"表三 {c.label} 列：二、上年结转＝{now}，但 {prev.year} 年报告的四、结转下年度继续办理＝{before}，应相等",
                cur3.path, line=line, col=field, column=c.label, expected=str(before), found=str(now)))
    cur2, old2 = report.tables.get("t2"), prev.tables.get("t2")
    if cur2 and old2 and cur2.loaded and old2.loaded:
        for row in ("rules", "normative"):
            label = cur2.spec.rows[row].label
            last = old2.get(row, "in_force")
            issued, repealed, now = (cur2.get(row, c) for c in ("issued", "repealed", "in_force"))
            if None in (last, issued, repealed, now):
                continue
            want = last + issued - repealed  # type: ignore[operator]
            if want == now:
                continue
            line, field = cur2.where(row, "in_force")
            out.append(Finding.make(
                "Y402",
                f"表二“{label}”现行有效件数：上年 {last}＋本年制发 {issued}－本年废止 {repealed}＝{want}，表中为 {now}",
                cur2.path, line=line, col=field, column="现行有效件数", expected=str(want), found=str(now)))
    return out


# ------------------------------------------------------------------ sections


def check_sections(report: Report, page: Page) -> list[Finding]:
    out: list[Finding] = []
    rel = report.rel(page.path)
    official = list(report.spec.sections)
    by_norm = {_norm_title(t): i for i, t in enumerate(official)}
    found: dict[int, int] = {}  # official index -> position in page
    for pos, sec in enumerate(page.sections):
        idx = by_norm.get(_norm_title(sec.title))
        if idx is None:
            idx = _title_guess(sec.title, official)
            if idx is None:
                continue  # an extra section is allowed
        if sec.title != official[idx]:
            out.append(Finding.make("S503", f"章节标题“{sec.title}”应为“{official[idx]}”", rel, line=sec.line, expected=official[idx], found=sec.title))
        if idx in found:
            continue
        found[idx] = pos
        if not any(b.kind in ("paragraph", "directive", "other") for b in sec.blocks):
            out.append(Finding.make("S504", f"“{official[idx]}”一节没有内容；没有可报告的内容也要写明“无”", rel, line=sec.line))
    last = -1
    for idx, title in enumerate(official):
        if idx not in found:
            out.append(Finding.make("S501", f"缺少第{title.split('、')[0]}部分“{title}”", rel, line=page.title_line, expected=title))
            continue
        if found[idx] < last:
            out.append(Finding.make("S502", f"“{title}”的位置不对：六个部分应按一至六的顺序排列", rel, line=page.sections[found[idx]].line))
        last = max(last, found[idx])
    for sec in page.sections:
        for b in sec.blocks:
            if b.kind == "directive" and b.name == "report-table" and not any(_is_table(report, b.arg, t) for t in report.spec.tables):
                out.append(Finding.make("S507", f"report-table 的参数“{b.arg}”不对，应为 表二、表三 或 表四（只写一个）", rel, line=b.line, found=b.arg))
    # Each mandated table in its own section.
    for t in report.spec.tables.values():
        if t.section not in found:
            continue
        sec = page.sections[found[t.section]]
        if not any(b.kind == "directive" and b.name == "report-table" and _is_table(report, b.arg, t.id) for b in sec.blocks):
            out.append(Finding.make("S506", f"“{official[t.section]}”一节应包含{t.title}（```{{report-table}} {t.title}```）", rel, line=sec.line))
    return out


def _norm_title(t: str) -> str:
    return normalise_label(t).replace(".", "、").replace(",", "、")


def _title_guess(title: str, official: list[str]) -> int | None:
    """A section heading that starts with an official number (一、 … 六、)."""
    m = re.match(r"^\s*([一二三四五六])\s*[、.．,，]", title)
    if not m:
        return None
    return "一二三四五六".index(m.group(1))


def _is_table(report: Report, arg: str, tid: str) -> bool:
    try:
        return report.spec.table(arg).id == tid
    except KeyError:
        return False


# --------------------------------------------------------------------- prose

Getter = Callable[[Report], Number | None]


def _cell(table: str, row: str, col: str) -> Getter:
    return lambda r: r.value(table, row, col)


def _suits(col: str) -> Getter:
    def get(r: Report) -> Number | None:
        a, b = r.value("t4", "suit_direct", col), r.value("t4", "suit_after", col)
        return None if a is None or b is None else a + b

    return get


N = r"(\d[\d,]*)\s*(?:件|个)"
#: (pattern, what it names, value getter, outcome getter factory or None)
PHRASES: list[tuple[re.Pattern[str], str, Getter, Callable[[str], Getter] | None]] = [
    (re.compile(r"(?:收到|受理|新收|接收|接到)(?:(?!复议|诉讼)[^，。；,\d]){0,20}?申请(?:共|合计|总计)?\s*" + N), "本年新收申请", _cell("t3", "new", "total"), None),
    (re.compile(r"(?:答复|办结|办理完毕|(?<!不予)(?<!其他)处理)(?:各类)?(?:申请)?(?:共|合计)?\s*" + N), "办理结果（七）总计", _cell("t3", "total", "total"), None),
    (re.compile(r"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?\s*" + N), "上年结转", _cell("t3", "carried_in", "total"), None),
    (re.compile(N + r"(?:申请)?(?:顺延|结转)(?:到|至)?下(?:一)?年"), "结转下年度继续办理", _cell("t3", "carried_over", "total"), None),
    (re.compile(r"(?:结转下(?:一)?年度?|顺延(?:到|至)下(?:一)?年度?)(?:继续办理|办理|答复)?(?:的)?(?:申请)?(?:共)?\s*" + N), "结转下年度继续办理", _cell("t3", "carried_over", "total"), None),
    (re.compile(r"行政复议(?:案件|申请)?(?:共|合计)?\s*" + N), "行政复议总计", _cell("t4", "review", "total"), lambda col: _cell("t4", "review", col)),
    (re.compile(r"行政诉讼(?:案件)?(?:共|合计)?\s*" + N), "行政诉讼总计", _suits("total"), _suits),
    (re.compile(r"现行有效(?:的)?(?:行政)?规范性文件(?:共|合计)?\s*" + N), "现行有效行政规范性文件", _cell("t2", "normative", "in_force"), None),
    (re.compile(r"现行有效(?:的)?规章(?:共|合计)?\s*" + N), "现行有效规章", _cell("t2", "rules", "in_force"), None),
]
OUTCOMES = {"结果维持": "upheld", "结果纠正": "corrected", "其他结果": "other", "尚未审结": "pending"}
_OUTCOME = re.compile(r"(结果维持|结果纠正|其他结果|尚未审结)\s*" + N)
NONE_PHRASES: list[tuple[re.Pattern[str], str, Getter]] = [
    (re.compile(r"(?:未|没有)(?:收到|受理|接到)(?:过)?(?:任何)?(?:政府信息公开|依申请公开)?申请"), "本年新收申请", _cell("t3", "new", "total")),
    (re.compile(r"(?:未|没有)(?:发生|产生)(?:过)?(?:因政府信息公开(?:工作)?(?:申请)?(?:引起|提起)的)?(?:政府信息公开)?行政复议"), "行政复议总计", _cell("t4", "review", "total")),
    (re.compile(r"(?:未|没有)(?:发生|产生)(?:过)?[^。；，,]{0,20}?行政诉讼"), "行政诉讼总计", _suits("total")),
]
#: Every phrase of PHRASES ends in a number of 件 or 个.
_COUNTED = re.compile(r"[\d,]\s*(?:件|个)")
_VALUE_ROLE = re.compile(r"\{value\}`([^`]*)`")
#: How the placeholders of ``make new`` (scaffold.PLACEHOLDERS) begin.
PLACEHOLDER_PREFIXES = ("（请", "（下表数字来自")
_PERIOD = re.compile(r"(?:(\d{4})\s*年\s*)?1\s*月\s*1\s*日\s*(?:至|到|—|－|-|~)\s*(?:(\d{4})\s*年\s*)?12\s*月\s*31\s*日")


def check_prose(report: Report, page: Page) -> list[Finding]:
    out: list[Finding] = []
    rel = report.rel(page.path)
    whole = ""
    for block in page.paragraphs():
        text, where = flat_text(block)
        whole += text
        if text.startswith(PLACEHOLDER_PREFIXES):
            out.append(Finding.make("X802", f"模板占位文字还没有替换：“{text[:30]}……”", rel, line=block.line, col=1))
        # Most paragraphs hold no role, no count and no denial: skip their patterns.
        for m in _VALUE_ROLE.finditer(block.text) if "{value}" in block.text else ():
            try:
                report.spec.resolve(m.group(1))
            except KeyError as exc:
                line = block.line + block.text.count("\n", 0, m.start())
                col = m.start() - (block.text.rfind("\n", 0, m.start()) + 1) + 1
                out.append(Finding.make("P603", f"{{value}}：{exc.args[0]}", rel, line=line, col=col, found=m.group(1)))
        for pat, what, get, outcomes in PHRASES if _COUNTED.search(text) else ():
            for m in pat.finditer(text):
                out += _compare(report, rel, what, get(report), m.group(1), where[m.start(1)])
                if outcomes is None:
                    continue
                clause = re.split(r"[；;。]", text[m.end():], maxsplit=1)[0]
                for om in _OUTCOME.finditer(clause):
                    pos = m.end() + om.start(2)
                    out += _compare(report, rel, f"{what[:4]}{om.group(1)}", outcomes(OUTCOMES[om.group(1)])(report), om.group(2), where[pos])
        for pat, what, get in NONE_PHRASES if "未" in text or "没有" in text else ():
            for m in pat.finditer(text):
                v = get(report)
                if v:
                    line, col = where[m.start()]
                    out.append(Finding.make("P602", f"正文写“{m.group(0)}”，但表格中{what}为 {v}", rel, line=line, col=col, expected="0", found=str(v)))
    periods = list(_PERIOD.finditer(whole.replace("\0", "")))
    if whole and not periods:
        out.append(Finding.make("X801", f"正文没有写明统计期间（{report.year}年1月1日至12月31日）", rel, line=page.title_line))
    for m in periods:
        years = {int(y) for y in m.groups() if y}
        if years and years != {report.year}:
            out.append(Finding.make("X801", f"统计期间写的是“{m.group(0)}”，本报告是 {report.year} 年度（是否照抄了上年报告？）",
                                    rel, line=page.title_line, expected=str(report.year), found=m.group(0)))
    return out


def _compare(report: Report, rel: str, what: str, value: Number | None, written: str, at: tuple[int, int]) -> list[Finding]:
    if value is None:
        return []
    n = int(written.replace(",", ""))
    if n == value:
        return []
    return [Finding.make("P601", f"正文写{what} {written} 件，表格中为 {value}", rel, line=at[0], col=at[1], expected=str(value), found=written)]


# ------------------------------------------------------------------- waivers


def apply_waivers(report: Report, findings: list[Finding]) -> list[Finding]:
    path = report.data_dir / "waivers.toml"
    report.files.append(path)
    if not path.is_file():
        return findings
    rel = report.rel(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [*findings, Finding.make("V703", f"waivers.toml 无法解析：{exc}", rel)]
    entries = raw.get("waiver", [])
    out = list(findings)
    if not isinstance(entries, list) or not all(isinstance(w, dict) for w in entries):
        return [*out, Finding.make("V703", "每条豁免要写成一个 [[waiver]] 段（两层方括号），段里写 code = \"…\" 和 reason = \"…\"", rel, line=1)]
    text = path.read_text(encoding="utf-8-sig").splitlines()
    starts = [i + 1 for i, ln in enumerate(text) if ln.strip() == "[[waiver]]"]
    for n, w in enumerate(entries):
        line = starts[n] if n < len(starts) else None
        code = str(w.get("code", "")).strip().upper()
        if not code:
            out.append(Finding.make("V703", "豁免条目缺少 code", rel, line=line))
            continue
        if code not in CATALOGUE:
            out.append(Finding.make("V703", f"豁免条目的 code “{code}”不是检查结果代码（见网站“检查结果代码”页）", rel, line=line))
            continue
        if not CATALOGUE[code].waivable:
            out.append(Finding.make("V704", f"{code}（{CATALOGUE[code].title}）必须改正，不能豁免", rel, line=line))
            continue
        if "line" in w and not isinstance(w["line"], int):
            out.append(Finding.make("V703", f"line 要写数字，不加引号：line = {w['line']}", rel, line=line))
            continue
        reason = str(w.get("reason", "")).strip()
        if not reason:
            out.append(Finding.make("V701", f"对 {code} 的豁免没有写理由（reason）", rel, line=line))
            continue
        hit = False
        for i, f in enumerate(out):
            if f.code != code or f.waived is not None:
                continue
            if "file" in w and os.path.basename(f.path) != w["file"]:
                continue
            if "line" in w and f.line != w["line"]:
                continue
            if "column" in w and f.column != w["column"]:
                continue
            out[i] = f.waive(reason)
            hit = True
        if not hit:
            out.append(Finding.make("V702", f"对 {code} 的豁免没有匹配到任何检查结果", rel, line=line))
    return out


# ---------------------------------------------------------------------- all


@dataclass
class Checked:
    report: Report
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def check_report(root: Path, agency: str, year: int, docs: Path | None = None, loads: Loads | None = None) -> Checked:
    """Load one report and run every check on it.

    ``loads``, when checking many reports, keeps each report's tables for next
    year's check (which compares 二、上年结转 with them) instead of reading them twice.
    """
    report = load_report(root, agency, year, docs)
    if loads is not None:
        loads.put(report)
    findings = list(report.findings)
    for t in report.tables.values():
        if t.loaded:
            findings += check_relations(t)
    prev_dir = root / "data" / agency / str(year - 1)
    # Noted even when absent: adding last year's report must re-check this one.
    report.files.append(prev_dir / "report.toml")
    if (prev_dir / "report.toml").is_file():
        prev = loads.get(root, agency, year - 1) if loads is not None else load_report(root, agency, year - 1)
        report.files += prev.files
        findings += check_previous(report, prev)
    report.files.append(report.page)
    if report.page.is_file():
        page = read_page(report.page)
        findings += check_sections(report, page)
        findings += check_prose(report, page)
    else:
        findings.append(Finding.make("S505", f"缺少报告页面 {report.rel(report.page)}", report.rel(report.data_dir / "report.toml")))
    from .portalhooks import extend, finish  # issue 16: roll-ups, archives, 内容雷同

    findings = finish(report, apply_waivers(report, extend(report, findings)))
    findings.sort(key=sort_key)
    return Checked(report, findings)


#: Reports kept in memory: a build reads pages one after another, and a page
#: needs its own report and last year's, so a few dozen are plenty whatever N is.
KEEP = 64
_CACHE: dict[tuple[str, str, int, str], tuple[tuple[tuple[str, int], ...], Checked]] = {}


def _keep(memo: dict[Any, Any], key: Any, value: Any) -> None:
    """``memo[key] = value``, forgetting the oldest entries beyond ``KEEP``."""
    memo.pop(key, None)
    memo[key] = value
    while len(memo) > KEEP:
        del memo[next(iter(memo))]


def _stamp(files: list[Path]) -> tuple[tuple[str, int], ...]:
    out = []
    for f in files:
        try:
            out.append((str(f), os.stat(f).st_mtime_ns))
        except OSError:
            out.append((str(f), -1))
    return tuple(out)


class Loads:
    """``load_report`` memoised on the files each report read, for checking many
    reports: last year's tables are then read once, not again for next year's
    check. The reports handed out are shared: do not modify them."""

    def __init__(self, watch: bool = True) -> None:
        """``watch``: check that a kept report's files are unchanged before handing
        it out (a long-lived build process); a one-shot run need not."""
        self._memo: dict[tuple[str, str, int], tuple[tuple[tuple[str, int], ...], Report]] = {}
        self.watch = watch

    def put(self, report: Report) -> None:
        """Keep ``report`` as just loaded (a copy: its check adds files and findings)."""
        snapshot = replace(report, docs=None, tables=dict(report.tables), findings=list(report.findings), files=list(report.files))
        _keep(self._memo, (str(report.root), report.agency, report.year), (_stamp(snapshot.files) if self.watch else (), snapshot))

    def get(self, root: Path, agency: str, year: int) -> Report:
        hit = self._memo.get((str(root), agency, year))
        if hit and (not self.watch or hit[0] == _stamp(hit[1].files)):
            return hit[1]
        report = load_report(root, agency, year)
        self.put(report)
        return report


_LOADS = Loads()


def shared_load(root: Path, agency: str, year: int) -> Report:
    """A report's tables from the build's memo of loads (do not modify it): issue 16's charts and roll-ups."""
    return _LOADS.get(root, agency, year)


def checked(root: Path, agency: str, year: int, docs: Path | None = None) -> Checked:
    """``check_report`` memoised on the files it read (one build reads a report
    from several directives and roles)."""
    key = (str(root), agency, year, str(docs))
    hit = _CACHE.get(key)
    if hit and hit[0] == _stamp(hit[1].report.files):
        return hit[1]
    result = check_report(root, agency, year, docs, _LOADS)
    _keep(_CACHE, key, (_stamp(result.report.files), result))
    return result
