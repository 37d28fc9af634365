"""A district's rule packs (issue 20): its own rules in YAML, named in portal.toml, without Python.

The example pack is ``tests/fixtures/rulepacks/shiliqu.yaml`` (one rule of each kind: a relation
between cells, a phrase of the narrative, a publication deadline), run on a copy of the
synthetic district (tests/roots/test-district).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from govreport.checks import check_report, run_checks
from govreport.cli.commands import main
from govreport.findings import CATALOGUE, DECLARED, PACK_WORDING, Code, Finding, Severity, TemplateError
from govreport.findings import declare_pack_code as declare
from govreport.format.rulepack import FIELDS, RULES, PackError, load_packs
from govreport.model.report import load_report
from govreport.portal import rulepacks
from portal_helpers import REPO, district_copy, edit, findings
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

EXAMPLE = Path(__file__).parent / "fixtures" / "rulepacks" / "shiliqu.yaml"
PACK = "rules/shiliqu.yaml"
#: How the relation rule (K001) names its sides.
SIDES = ("表二“行政规范性文件”行“现行有效件数”列＋表二“规章”行“现行有效件数”列 应≥"
         "表二“行政规范性文件”行“本年制发件数”列＋表二“规章”行“本年制发件数”列")


def with_pack(root: Path, text: str | None = None, name: str = PACK) -> Path:
    """``root``'s portal.toml names the pack ``name`` (the example's text unless ``text``)."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(EXAMPLE.read_text(encoding="utf-8") if text is None else text, encoding="utf-8")
    portal = root / "portal.toml"
    portal.write_text(portal.read_text(encoding="utf-8") + f'rule_packs = ["{name}"]\n', encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _catalogue_as_before() -> Iterator[None]:
    """Each test's declared codes leave with it: the core catalogue equals the CodeId literal
    again for the other tests (test_code_literal_matches_catalogue), and no pack is remembered."""
    before, declared = dict(CATALOGUE), dict(DECLARED)
    yield
    for store, old in ((CATALOGUE, before), (DECLARED, declared)):
        store.clear()
        store.update(old)
    rulepacks._MEMO.clear()


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """The synthetic district as a repository (docs/, data/, conf.py) with the example pack."""
    root = district_copy(tmp_path / "district", "repo")
    with_pack(root)
    return root


def packed(found: list[Finding]) -> list[tuple[str, str, str]]:
    """(code, location, message) of the packs' findings."""
    return [(f.code, f.location(), f.message) for f in found if f.code.startswith("K")]


# ------------------------------------------------------------------ the example pack


def test_example_pack_declares_its_codes() -> None:
    (pack,) = load_packs([(EXAMPLE, PACK)])
    assert (pack.id, pack.version, pack.title, pack.formats) == ("shiliqu", "1", "示例区补充规则", ("2021",))
    assert [(r.kind, r.code.code, r.line) for r in pack.rules] == [("relation", "K001", 7), ("phrase", "K002", 17), ("deadline", "K003", 26)]
    assert CATALOGUE["K001"] is DECLARED["K001"] is pack.rules[0].code
    assert (CATALOGUE["K001"].severity, CATALOGUE["K001"].title) == (Severity.ERROR, "现行有效件数少于本年制发件数")
    assert CATALOGUE["K001"].waivable and CATALOGUE["K003"].waivable


def test_the_fields_are_worded_by_the_catalogue(tmp_path: Path) -> None:
    """findings.yaml's ``packs:`` words each kind's fields (a cell, a section, a quoted phrase, a
    date; their joins); every code a pack declares carries its kind's wording."""
    assert set(PACK_WORDING) == set(RULES)
    assert all(set(w.joins) <= set(FIELDS[kind]) for kind, w in PACK_WORDING.items())
    (pack,) = load_packs([(EXAMPLE, PACK)])
    assert all(r.code.phrases == PACK_WORDING[r.kind].phrases for r in pack.rules)
    k001, k002 = CATALOGUE["K001"], CATALOGUE["K002"]
    assert k001.joins == {"left_name": "＋", "right_name": "＋"} and k001.format(
        left=1, right=2, op="≥", left_name=["甲", "乙"], right_name=["丙"]) == "现行有效的规章和行政规范性文件共 1 件，少于本年制发的 2 件（甲＋乙 应≥丙）"
    assert k002.phrase("section", title="一、总体情况") == "“一、总体情况”一节" and k002.phrase("whole") == "正文"
    assert k002.join("phrases", [k002.phrase("quoted", text=t) for t in ("甲", "乙")]) == "“甲”、“乙”"
    assert CATALOGUE["K003"].phrase("date", y=2024, m=2, d=5) == "2024年2月5日"
    # a message that names no side takes no join of it (a join is only for a field the texts name)
    path = tmp_path / "plain.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("（{left_name} 应{op}{right_name}）", ""), encoding="utf-8")
    load_packs([(path, "rules/plain.yaml")])
    assert CATALOGUE["K001"].joins == {} and CATALOGUE["K001"].phrases == PACK_WORDING["relation"].phrases


def test_every_kind_passes(district: Path) -> None:
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == []


def test_packs_read_the_report_and_change_nothing(district: Path) -> None:
    edit(district / "data/jiaoyu/2023/table2.csv", "行政规范性文件,0,0,30", "行政规范性文件,31,0,30")
    report = load_report(district, "jiaoyu", 2023, district / "docs")
    files, found, values = list(report.files), list(report.findings), dict(report.tables["t2"].values)
    got, read = run_checks(report, lambda: load_report(district, "jiaoyu", 2022))
    assert [f.code for f in got if f.code.startswith("K")] == ["K001"]
    assert (report.files, report.findings, report.tables["t2"].values) == (files, found, values)
    assert {district / "portal.toml", district / PACK} <= set(read)  # an edited pack checks the report again


def test_relation_fails_at_its_first_cell(district: Path) -> None:
    edit(district / "data/jiaoyu/2023/table2.csv", "行政规范性文件,0,0,30", "行政规范性文件,31,0,30")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == [
        ("K001", "data/jiaoyu/2023/table2.csv:4:4", f"现行有效的规章和行政规范性文件共 30 件，少于本年制发的 31 件（{SIDES}）"),
    ]
    found = next(f for f in findings(district, "jiaoyu", 2023, district / "docs") if f.code == "K001")
    assert (found.column, found.expected, found.found, found.is_error) == ("现行有效件数", "≥ 31", "30", True)


def test_phrase_fails_at_its_section(district: Path) -> None:
    assert packed(findings(district, "nanshan", 2022, district / "docs")) == [
        ("K002", "docs/nanshan/2022.md:7", "“一、总体情况”一节没有写到业务培训：应写明“业务培训”、“政务公开培训”之一"),
    ]
    # A soft line break inside the phrase still counts (the prose checks' reading: line breaks removed).
    page = district / "docs/nanshan/2022.md"
    text = page.read_text(encoding="utf-8")
    assert "## 二、" in text
    page.write_text(text.replace("## 二、", "本年组织了业务\n培训。\n\n## 二、", 1), encoding="utf-8")
    assert packed(findings(district, "nanshan", 2022, district / "docs")) == []


def test_deadline_late_and_missing(district: Path) -> None:
    meta = district / "data/jiaoyu/2023/report.toml"
    edit(meta, "published = 2024-01-26", "published = 2024-02-05")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == [
        ("K003", "data/jiaoyu/2023/report.toml:5", "成文日期 2024年2月5日 晚于本区规定的 2024年1月28日（2023 年度报告）"),
    ]
    edit(meta, "published = 2024-02-05\n", "")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == [
        ("K003", "data/jiaoyu/2023/report.toml", "report.toml 没有写成文日期（published），无法核对是否在本区规定的 2024年1月28日 前印发"),
    ]


def test_edge_of_the_deadline_passes(district: Path) -> None:
    edit(district / "data/jiaoyu/2023/report.toml", "published = 2024-01-26", "published = 2024-01-28")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == []


RELATION = """\
id: ops
version: "2"
title: 运算
rules:
  - code: K101
    kind: relation
    severity: error
    title: 关系
    help: 说明
    message: "{left_name}＝{left}，{right_name}＝{right}，应{op}"
    waivable: false
    left: t3.new.total
    op: "OP"
    right: {sum: [t3.new.natural, t3.new.commercial]}
"""


@pytest.mark.parametrize("op", ["==", "<=", ">="])
def test_relation_ops_pass(district: Path, op: str) -> None:
    (district / "portal.toml").write_text('rule_packs = ["rules/ops.yaml"]\n', encoding="utf-8")
    (district / "rules/ops.yaml").write_text(RELATION.replace("OP", op), encoding="utf-8")
    # jiaoyu 2023 received nothing: 0 against 0 + 0, whatever the operator
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == []


@pytest.mark.parametrize(("op", "sign", "found"), [("==", "＝", True), ("<=", "≤", True), (">=", "≥", False)])
def test_relation_ops(district: Path, op: str, sign: str, found: bool) -> None:
    (district / "portal.toml").write_text('rule_packs = ["rules/ops.yaml"]\n', encoding="utf-8")
    (district / "rules/ops.yaml").write_text(RELATION.replace("OP", op), encoding="utf-8")
    # 新收 3 in 总计, 1 by 自然人 and 1 by 商业企业: 3 > 1 + 1 (R303 says the row does not add up)
    edit(district / "data/jiaoyu/2023/table3.csv", "一、本年新收政府信息公开申请数量,0,0,0,0,0,0,0",
         "一、本年新收政府信息公开申请数量,1,1,0,0,0,0,3")
    want = [("K101", "data/jiaoyu/2023/table3.csv:2:8",
             f"表三“一、本年新收政府信息公开申请数量”行“总计”列＝3，表三“一、本年新收政府信息公开申请数量”行“自然人”列＋"
             f"表三“一、本年新收政府信息公开申请数量”行“商业企业”列＝2，应{sign}")]
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == (want if found else [])


PHRASE = """\
id: anywhere
version: "1"
title: 正文
formats: ["2021"]
rules:
  - {code: K201, kind: phrase, severity: warning, title: 网上申请, help: 说明, waivable: true,
     message: "{section}没有写到网上申请：应写明{phrases}之一", any: [网上申请平台, 在线申请]}
"""


def test_phrase_anywhere_and_packs_of_another_format(district: Path) -> None:
    (district / "portal.toml").write_text('rule_packs = ["rules/anywhere.yaml"]\n', encoding="utf-8")
    (district / "rules/anywhere.yaml").write_text(PHRASE, encoding="utf-8")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == [
        ("K201", "docs/jiaoyu/2023.md:1", "正文没有写到网上申请：应写明“网上申请平台”、“在线申请”之一"),
    ]
    edit(district / "docs/jiaoyu/2023.md", "## 六、其他需要报告的事项\n", "## 六、其他需要报告的事项\n\n本年开通在线申请。\n")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == []
    # formats: ["2019"]: a report in the 2021 format is not checked by it
    (district / "rules/anywhere.yaml").write_text(PHRASE.replace('formats: ["2021"]', 'formats: ["2019"]').replace("在线申请]", "无此说法]"), encoding="utf-8")
    assert packed(findings(district, "jiaoyu", 2023, district / "docs")) == []


# ------------------------------------------------------------------ pack errors


def pack_errors(tmp_path: Path, text: str, name: str = "bad.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_packs([(path, f"rules/{name}")])
    return info.value.errors


def test_unknown_key_is_located(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('    op: ">="\n', '    opp: ">="\n').replace("title: 示例区补充规则", "titel: 示例区补充规则")
    assert pack_errors(tmp_path, text) == [
        "rules/bad.yaml:1: the top level: 'title' is a required property",
        "rules/bad.yaml:4: unknown key “titel” in the top level (allowed: formats, id, rules, title, version)",
    ]
    text = EXAMPLE.read_text(encoding="utf-8").replace('    op: ">="\n', '    opp: ">="\n')
    assert pack_errors(tmp_path, text) == [
        "rules/bad.yaml:7: rules.0: 'op' is a required property",
        "rules/bad.yaml:15: unknown key “opp” in rules.0 (allowed: code, help, kind, left, message, op, right, severity, title, waivable)",
    ]


def test_bad_op_kind_and_template_are_located(tmp_path: Path) -> None:
    text = (EXAMPLE.read_text(encoding="utf-8").replace('op: ">="', 'op: "<"')
            .replace("kind: phrase", "kind: phrases"))
    assert pack_errors(tmp_path, text) == ["rules/bad.yaml:18: rules.1.kind: 'phrases' is not one of ['relation', 'phrase', 'deadline']"]
    text = (EXAMPLE.read_text(encoding="utf-8").replace('op: ">="', 'op: "<"')
            .replace("{section}没有写到", "{chapter}没有写到").replace('by: "01-28"', 'by: "02-29"'))
    assert pack_errors(tmp_path, text) == [
        "rules/bad.yaml:15: rules.0.op: '<' is not one of ['==', '<=', '>=']",
        "rules/bad.yaml:22: rules.1.message: unknown field {chapter} (this kind gives: section, phrases)",
        "rules/bad.yaml:34: rules.2.by: “02-29” is not a date of every year (MM-DD)",
    ]


def test_unknown_cell_id_and_section_are_located(tmp_path: Path) -> None:
    text = (EXAMPLE.read_text(encoding="utf-8").replace("t2.rules.in_force]", "t2.rules.in_forse]")
            .replace("right: {sum: [t2.normative.issued", "right: {sum: [t9.normative.issued").replace("section: 1", "section: 7"))
    assert pack_errors(tmp_path, text) == [
        "rules/bad.yaml:14: rules.0.left.sum.1: unknown cell “t2.rules.in_forse”: row t2.rules of format 2021 has no column “in_forse” "
        "(known: issued, repealed, in_force)",
        "rules/bad.yaml:16: rules.0.right.sum.0: unknown cell “t9.normative.issued”: format 2021 has no table “t9” (known: t2, t3, t4)",
        "rules/bad.yaml:24: rules.1.section: 7 is not a section of format 2021 (1 to 6)",
    ]


def test_cells_are_checked_in_every_format_the_pack_applies_to(tmp_path: Path) -> None:
    """Without ``formats``, a pack applies to every format version: 2019's 表二 has other columns."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('formats: ["2021"]\n', "")
    assert pack_errors(tmp_path, text) == [
        f"rules/bad.yaml:{line}: rules.0.{side}.sum.{i}: unknown cell “t2.{row}.{col}”: row t2.{row} of format 2019 has no column “{col}” "
        "(known: made, published, open_total)"
        for line, side, i, row, col in [(13, "left", 0, "normative", "in_force"), (13, "left", 1, "rules", "in_force"),
                                        (15, "right", 0, "normative", "issued"), (15, "right", 1, "rules", "issued")]
    ]


def test_duplicate_codes_within_and_across_packs(tmp_path: Path) -> None:
    assert pack_errors(tmp_path, EXAMPLE.read_text(encoding="utf-8").replace("code: K003", "code: K001")) == [
        "rules/bad.yaml:26: rules.2.code: K001 is also declared at rules/bad.yaml:7",
    ]
    other = tmp_path / "other.yaml"
    other.write_text(EXAMPLE.read_text(encoding="utf-8").replace("id: shiliqu", "id: other").replace("code: K001", "code: K009"), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_packs([(EXAMPLE, PACK), (other, "rules/other.yaml")])
    assert info.value.errors == [
        "rules/other.yaml:17: rules.1.code: K002 is also declared at rules/shiliqu.yaml:17",
        "rules/other.yaml:26: rules.2.code: K003 is also declared at rules/shiliqu.yaml:26",
    ]


def test_core_codes_and_warnings_that_cannot_be_waived(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("code: K001", "code: R301").replace("waivable: true\n    section", "waivable: false\n    section")
    assert pack_errors(tmp_path, text) == [
        "rules/bad.yaml:7: rules.0.code: 'R301' does not match '^K[0-9]{3}$'",
        "rules/bad.yaml:23: rules.1.waivable: a warning can always be waived (false is for errors)",
    ]


def test_broken_pack_stops_check_and_build_with_its_lines(district: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    edit(district / PACK, '    op: ">="\n', '    opp: ">="\n')
    monkeypatch.chdir(district)
    assert main(["check", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("规则包有误，无法检查：\nrules/shiliqu.yaml:7: rules.0: 'op' is a required property\n"), err
    assert "Traceback" not in err



def test_broken_pack_stops_the_build(tmp_path: Path, rootdir: Path) -> None:
    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-basic", src)
    (src / "portal.toml").write_text("", encoding="utf-8")
    edit(with_pack(src), '    op: ">="\n', '    opp: ">="\n')
    with pytest.raises(ConfigError, match=re.escape("规则包有误：\nrules/shiliqu.yaml:7: rules.0: 'op' is a required property\n"
                                                    "rules/shiliqu.yaml:15: unknown key “opp” in rules.0")):
        SphinxTestApp("html", srcdir=src)


def test_portal_toml_naming_a_missing_pack(district: Path) -> None:
    portal = district / "portal.toml"
    portal.write_text(portal.read_text(encoding="utf-8").replace(PACK, "rules/none.yaml"), encoding="utf-8")
    line = portal.read_text(encoding="utf-8").splitlines().index('rule_packs = ["rules/none.yaml"]') + 1
    with pytest.raises(PackError) as info:
        check_report(district, "jiaoyu", 2023)
    assert info.value.errors == [f"portal.toml:{line}: rule_packs: “rules/none.yaml” does not exist"]
    portal.write_text(portal.read_text(encoding="utf-8").replace("rules/none.yaml", "../outside.yaml"), encoding="utf-8")
    (district.parent / "outside.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PackError) as info:
        check_report(district, "jiaoyu", 2023)
    assert info.value.errors == [f"portal.toml:{line}: rule_packs: “../outside.yaml” is outside the repository"]


# ------------------------------------------------------------------ waivers, findings


def test_waiver_of_a_pack_finding(district: Path) -> None:
    edit(district / "data/jiaoyu/2023/table2.csv", "行政规范性文件,0,0,30", "行政规范性文件,31,0,30")
    (district / "data/jiaoyu/2023/waivers.toml").write_text(
        '[[waiver]]\ncode = "K001"\nline = 4\nreason = "一件规范性文件当年制发当年废止，已报区司法局备案"\n', encoding="utf-8")
    found = check_report(district, "jiaoyu", 2023, district / "docs")
    (k001,) = [f for f in found.findings if f.code == "K001"]
    assert k001.waived == "一件规范性文件当年制发当年废止，已报区司法局备案" and not k001.is_error
    assert [f.code for f in found.findings if f.code.startswith("V")] == []


def test_waiver_refused_when_the_pack_says_so(district: Path) -> None:
    edit(district / PACK, "waivable: true\n    left:", "waivable: false\n    left:")
    (district / "data/jiaoyu/2023/waivers.toml").write_text('[[waiver]]\ncode = "K001"\nreason = "x"\n', encoding="utf-8")
    found = check_report(district, "jiaoyu", 2023, district / "docs").findings
    assert [(f.code, f.location(), f.message) for f in found if f.code == "V704"] == [
        ("V704", "data/jiaoyu/2023/waivers.toml:1", "K001（现行有效件数少于本年制发件数）必须改正，不能豁免"),
    ]


def test_declared_codes_keep_the_core_typed() -> None:
    with pytest.raises(TemplateError):
        declare(Code("R301", Severity.ERROR, "x", "y", template="z"))
    with pytest.raises(TemplateError):
        declare(Code("Q001", Severity.ERROR, "x", "y", template="z"))
    with pytest.raises(TemplateError):  # a core code never goes through the untyped path
        Finding.declared(CATALOGUE["S505"], "x.md", page="y")
    with pytest.raises(TemplateError):  # a Code made but not declared
        Finding.declared(Code("K998", Severity.ERROR, "x", "y", template="{n}"), "x.md", n=1)
    code = declare(Code("K999", Severity.WARNING, "标题", "说明", template="写了 {n} 次"))
    f = Finding.declared(code, "data/a/2021/table3.csv", line=3, col=2, n=2)
    assert (f.text(), f.as_dict()["title"]) == ("data/a/2021/table3.csv:3:2: 警告 K999 写了 2 次", "标题")


# ------------------------------------------------------------------ make check, the build


def test_make_check_lists_the_packs_findings(district: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(district)
    assert main(["check", "--no-cache"]) == 1  # the district's own errors (shuiwu 2023)
    out = capsys.readouterr().out.splitlines()
    assert [ln for ln in out if " K0" in ln] == [
        "docs/nanshan/2022.md:7: 警告 K002 “一、总体情况”一节没有写到业务培训：应写明“业务培训”、“政务公开培训”之一",
        "docs/nanshan/2023.md:7: 警告 K002 “一、总体情况”一节没有写到业务培训：应写明“业务培训”、“政务公开培训”之一",
        "docs/xiguan/2022.md:7: 警告 K002 “一、总体情况”一节没有写到业务培训：应写明“业务培训”、“政务公开培训”之一",
    ]


def test_python_m_govreport_check_from_the_cache(district: Path) -> None:
    """A second run takes the findings from the check cache, in a new process: the
    packs' codes are declared all the same (their titles in the JSON)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "ext")}
    for _ in range(2):
        run = subprocess.run([sys.executable, "-m", "govreport", "check", "--format", "json"], cwd=district, env=env,
                             capture_output=True, text=True, check=False)
        assert run.returncode == 1, run.stderr
        got = [(d["code"], d["path"], d["line"], d["title"]) for d in json.loads(run.stdout) if d["code"].startswith("K")]
        assert got == [("K002", f"docs/{k}.md", 7, "总体情况没有写业务培训") for k in ("nanshan/2022", "nanshan/2023", "xiguan/2022")]
    assert (district / "_build/.govreport/check-cache.pickle").is_file()


def test_build_warns_and_lists_the_codes(tmp_path: Path, rootdir: Path) -> None:
    src = tmp_path / "site"
    shutil.copytree(rootdir / "test-basic", src)
    (src / "portal.toml").write_text("", encoding="utf-8")
    with_pack(src)
    app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
        warnings = strip_colors(app.warning.getvalue())
        assert "demo/2021.md:5: WARNING: 警告 K002 “一、总体情况”一节没有写到业务培训：应写明“业务培训”、“政务公开培训”之一 [govreport.K002]" in warnings
        assert ("data/demo/2021/report.toml:1: WARNING: 警告 K003 report.toml 没有写成文日期（published），无法核对是否在本区规定的 "
                "2022年1月28日 前印发 [govreport.K003]") in warnings
        codes = (Path(app.outdir) / "codes.html").read_text(encoding="utf-8")
        assert codes.index("<p>X820</p>") < codes.index("<p>K001</p>") < codes.index("<p>K003</p>")
        assert "<p>晚于本区规定的发布日期</p>" in codes
        assert {Path(d).name for d in app.env.dependencies["codes"]} >= {"portal.toml", "shiliqu.yaml"}  # edited: listed again
    finally:
        app.cleanup()


def test_readme_shows_the_example_pack() -> None:
    """The README's example is the pack these tests run (after its header comment)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 本地区的补充规则"):]
    block = section[section.index("```yaml\n") + 8: section.index("```\n", section.index("```yaml\n") + 8)]
    assert block == "".join(EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[1:])
