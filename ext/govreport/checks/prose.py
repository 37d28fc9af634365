"""Prose against tables: numbers the narrative writes that stand for table values."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..findings import Finding
from ..format.labels import Number
from ..format.wording import period_matches, same_count
from ..model.narrative import Page, flat_text
from ..model.report import Report
from .registry import rule

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
#: After 行政复议/行政诉讼 in a denial: 纠错, 纠正, 败诉 deny the outcome, not that a case happened.
_OUTCOME_DENIED = r"(?:案件)?(?:中)?(?:被)?(?:纠错|纠正|败诉|撤销)"
_NOT_OUTCOME = f"(?!{_OUTCOME_DENIED})"
NONE_PHRASES: list[tuple[re.Pattern[str], str, Getter]] = [
    (re.compile(r"(?:未|没有)(?:收到|受理|接到)(?:过)?(?:任何)?(?:政府信息公开|依申请公开)?申请"), "本年新收申请", _cell("t3", "new", "total")),
    (re.compile(r"(?:未|没有)(?:发生|产生)(?:过)?(?:因政府信息公开(?:工作)?(?:申请)?(?:引起|提起)的)?(?:政府信息公开)?行政复议" + _NOT_OUTCOME),
     "行政复议总计", _cell("t4", "review", "total")),
    (re.compile(r"(?:未|没有)(?:发生|产生)(?:过)?[^。；，,]{0,20}?行政诉讼" + _NOT_OUTCOME), "行政诉讼总计", _suits("total")),
    # "未发生…被行政复议纠错或行政诉讼败诉": the outcome is denied, not the case (a real sentence, 上海 2025).
    (re.compile(r"(?:未|没有)(?:发生|出现)(?:过)?[^。；，,]{0,20}?行政复议" + _OUTCOME_DENIED), "行政复议结果纠正", _cell("t4", "review", "corrected")),
    (re.compile(r"(?:未|没有)(?:发生|出现)(?:过)?[^。；，,]{0,20}?行政诉讼" + _OUTCOME_DENIED), "行政诉讼结果纠正", _suits("corrected")),
]
#: Every phrase of PHRASES ends in a number of 件 or 个.
_COUNTED = re.compile(r"[\d,]\s*(?:件|个)")
_VALUE_ROLE = re.compile(r"\{value\}`([^`]*)`")
#: How the placeholders of ``make new`` (scaffold.PLACEHOLDERS) begin.
PLACEHOLDER_PREFIXES = ("（请", "（下表数字来自")


@rule(order=420, codes=("P601", "P602", "P603", "X801", "X802"), needs=("page",))
def check_prose(report: Report, page: Page) -> list[Finding]:
    out: list[Finding] = []
    rel = report.rel(page.path)
    whole = ""
    for block in page.paragraphs():
        text, where = flat_text(block)
        whole += text
        if text.startswith(PLACEHOLDER_PREFIXES):
            out.append(Finding.of("X802", rel, text=text[:30], line=block.line, col=1))
        # Most paragraphs hold no role, no count and no denial: skip their patterns.
        for m in _VALUE_ROLE.finditer(block.text) if "{value}" in block.text else ():
            try:
                report.spec.resolve(m.group(1))
            except KeyError as exc:
                line = block.line + block.text.count("\n", 0, m.start())
                col = m.start() - (block.text.rfind("\n", 0, m.start()) + 1) + 1
                out.append(Finding.of("P603", rel, problem=exc.args[0], line=line, col=col, found=m.group(1)))
        for pat, what, get, outcomes in PHRASES if _COUNTED.search(text) else ():
            for m in pat.finditer(text):
                if not same_count(report, what, m.group(0), m.group(1)):
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
                    out.append(Finding.of("P602", rel, written=m.group(0), what=what, v=v, line=line, col=col, expected="0", found=str(v)))
    return out + check_period(report, rel, page, whole)


# The wordings of the statistical period and of 受理/收到 (PHRASES, NONE_PHRASES
# above) are the one place the importer engineer's govreport.format.wording module is
# to take over (issue 15): check_prose only calls check_period and the patterns.


def check_period(report: Report, rel: str, page: Page, whole: str) -> list[Finding]:
    """X801: the narrative states the year's 1月1日至12月31日, of this year."""
    out: list[Finding] = []
    periods = period_matches(whole.replace("\0", ""))
    if whole and not periods:
        out.append(Finding.of("X801", rel, variant="missing", year=report.year, line=page.title_line))
    for m in periods:
        years = {int(y) for y in m.groups() if y}
        if years and years != {report.year}:
            out.append(Finding.of("X801", rel, variant="year", written=m.group(0), year=report.year, line=page.title_line, expected=str(report.year), found=m.group(0)))
    return out


def _compare(report: Report, rel: str, what: str, value: Number | None, written: str, at: tuple[int, int]) -> list[Finding]:
    if value is None:
        return []
    n = int(written.replace(",", ""))
    if n == value:
        return []
    return [Finding.of("P601", rel, what=what, written=written, value=value, line=at[0], col=at[1], expected=str(value), found=written)]
