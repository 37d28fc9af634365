"""Rules as declarations, the catalogue as data (issue 20, item 2).

A newcomer adds a check with one YAML entry (``findings.yaml``), one rule declaration
(``@rule(codes=…, needs=…, order=…)``) and its test, as the first test here does with a throwaway
code and rule; the pipeline runs it in its place, and the finding's message is the template's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from govreport.checks import RULES, Members, RuleError, check_report
from govreport.checks.registry import Registry
from govreport.findings import (
    CATALOGUE,
    CATALOGUE_FILE,
    PACKS_KEY,
    RESERVED,
    CatalogueError,
    Code,
    Finding,
    Severity,
    TemplateError,
    declare,
    load_catalogue,
)
from govreport.model.narrative import Page
from govreport.model.report import Report, discover, load_report
from portal_helpers import district_copy, edit
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"

NEW_ENTRY = """\
Z901:
  severity: warning
  waivable: true
  title: 正文过短
  help: 正文少于规定的字数。
  template: "正文只有 {chars} 字，少于 {least} 字"
"""


@pytest.fixture
def z901(tmp_path: Path) -> Iterator[Code]:
    """The throwaway code, read from its own YAML entry as the shipped ones are; removed afterwards."""
    path = tmp_path / "extra.yaml"
    path.write_text(NEW_ENTRY, encoding="utf-8")
    [entry] = load_catalogue(path).values()
    declare(entry)
    try:
        yield entry
    finally:
        del CATALOGUE[entry.code]


def short_page(report: Report, page: Page) -> list[Finding]:
    chars = sum(len(b.text) for b in page.paragraphs())
    return [Finding.of("Z901", report.rel(report.page), chars=chars, least=10**6, line=1)]  # type: ignore[arg-type]  # a code declared at run time


def test_a_new_rule_is_one_declaration(repo: Path, z901: Code) -> None:
    before = check_report(repo, "demo", 2021)
    with RULES.added(short_page, name="test.short_page", codes=("Z901",), needs=("page",), order=440):
        found = check_report(repo, "demo", 2021)
    assert "test.short_page" not in RULES  # cleaned up
    [new] = [f for f in found.findings if f.code == "Z901"]
    assert re.fullmatch(r"正文只有 \d+ 字，少于 1000000 字", new.message)
    assert (new.path, new.line, new.severity) == ("docs/demo/2021.md", 1, Severity.WARNING)
    assert [f for f in found.findings if f.code != "Z901"] == before.findings
    assert check_report(repo, "demo", 2021).findings == before.findings  # gone with its registration


def test_a_rule_emitting_an_undeclared_code_fails(repo: Path, z901: Code) -> None:
    with RULES.added(short_page, name="test.short_page", codes=("X802",), needs=("page",), order=440):
        with pytest.raises(RuleError, match=r"rule test\.short_page emitted Z901, not among its declared codes \(X802\)"):
            check_report(repo, "demo", 2021)
    assert "test.short_page" not in RULES


def test_rules_run_in_their_declared_order(repo: Path) -> None:
    seen: list[str] = []

    def late(report: Report, findings: list[Finding]) -> list[Finding]:
        seen.append("late")
        return findings

    def early(report: Report) -> list[Finding]:
        seen.append("early")
        return []

    # Registered late first: the order is the declaration's, not the registration's.
    with RULES.added(late, name="test.late", codes=(), needs=("findings",), order=850), \
            RULES.added(early, name="test.early", codes=(), order=150):
        names = [r.name for r in RULES.ordered()]
        check_report(repo, "demo", 2021)
    assert seen == ["early", "late"]
    assert names.index("relations.relations") < names.index("test.early") < names.index("across.across_years")
    assert names.index("waivers.waivers") < names.index("test.late") < names.index("portal.as_published")


def test_a_rule_needing_what_is_missing_is_skipped(repo: Path) -> None:
    """No last year's report: the across-year rules do not run (and are not asked to)."""
    ran: list[Report] = []

    def needs_last_year(report: Report, previous: Report) -> list[Finding]:
        ran.append(previous)
        return []

    with RULES.added(needs_last_year, name="test.previous", codes=(), needs=("previous",), order=210):
        checked = check_report(repo, "demo", 2021)
    assert ran == [] and repo / "data" / "demo" / "2020" / "report.toml" in checked.files


def test_a_rule_needing_members_gets_them_with_their_files_noted(tmp_path: Path) -> None:
    """``members``: the reports a report lists, loaded, their files noted; skipped without members."""
    root = district_copy(tmp_path / "d")
    edit(root / "data/quzhengfu/2023/report.toml", 'members = ["dongyuan", "xiguan", "nanshan", "jiaoyu"]',
         'members = ["dongyuan", "ghost", 7, "quzhengfu", "dongyuan"]')
    seen: dict[str, object] = {}

    def reads_members(report: Report, members: Members) -> list[Finding]:
        seen[report.agency] = members
        seen["names"] = list(members.names)
        seen["exists"] = [m for m in members.names if members.exists(m)]
        seen["tables"] = sorted(members["dongyuan"].tables)
        return []

    with RULES.added(reads_members, name="test.members", codes=(), needs=("members",), order=725):
        rollup = check_report(root, "quzhengfu", 2023, docs=root)
        member = check_report(root, "dongyuan", 2023, docs=root)
    assert "dongyuan" not in seen  # it lists no members: the rule is skipped
    assert seen["names"] == ["dongyuan", "ghost"]  # slugs, once each, not the report itself
    assert seen["exists"] == ["dongyuan"] and seen["tables"] == ["t2", "t3", "t4"]
    dongyuan = root / "data/dongyuan/2023"
    assert {dongyuan / "report.toml", root / "data/ghost/2023/report.toml"} <= set(rollup.files)  # noted, absent too
    assert root / "data/ghost/2023/report.toml" not in member.files
    view = replace(rollup.report, files=[])  # a loaded member's files are noted on the run's report, once
    members = Members(view)
    members["dongyuan"], members["dongyuan"]
    assert view.files == load_report(root, "dongyuan", 2023).files and dongyuan / "table2.csv" in view.files


def test_a_declaration_is_checked_when_registered() -> None:
    reg = Registry()

    def f(report: Report) -> list[Finding]:
        return []

    with pytest.raises(RuleError, match=r"codes \['Z999'\] are not in the catalogue"):
        reg.add(f, codes=("Z999",))
    with pytest.raises(RuleError, match=r"unknown needs \['members_of'\]"):
        reg.add(f, codes=(), needs=("members_of",))
    first = reg.add(f, codes=("X802",), order=1)
    assert reg.add(f, codes=("X802",), order=1) is first  # registering again is a no-op
    with pytest.raises(RuleError, match="already registered"):
        reg.add(lambda report: [], codes=(), name=first.name)
    assert [r.name for r in reg] == ["test_rule_registry.f"]


def test_the_portal_registers_its_rules_like_any_other() -> None:
    names = {r.name: r for r in RULES}
    assert {"portal.carry_over", "portal.archive", "portal.rollup", "portal.similarity", "portal.as_published"} <= set(names)
    assert names["portal.rollup"].codes == frozenset({"U901", "U902", "U903", "U904", "U905", "U906", "U907"})
    assert names["portal.as_published"].order > names["waivers.waivers"].order  # 原文问题 after the waivers


@pytest.mark.parametrize("root", sorted(p.name for p in ROOTS.iterdir() if (p / "data").is_dir()))
def test_every_root_emits_only_declared_codes(root: str) -> None:
    """Each rule's findings are checked against its declaration as the pipeline runs (RuleError)."""
    base = ROOTS / root
    for agency, year in discover(base):
        docs = base if (base / agency / f"{year}.md").is_file() else None
        for f in check_report(base, agency, year, docs).findings:
            assert f.code in CATALOGUE


# ------------------------------------------------------------------ the catalogue file


def test_every_code_declares_whether_it_can_be_waived() -> None:
    raw = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    assert all(isinstance(entry["waivable"], bool) for code, entry in raw.items() if code != PACKS_KEY)
    # The values the old rule gave (errors only for across-year figures and prose; every warning).
    waivable = {c.code for c in CATALOGUE.values() if c.waivable}
    warnings = {c.code for c in CATALOGUE.values() if c.severity is Severity.WARNING}
    assert waivable == warnings | {"Y401", "P601", "P602"}


def test_a_malformed_catalogue_fails_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "findings.yaml"
    path.write_text("""\
F001:
  severity: error
  waivable: false
  title: 数据文件缺失
  help: 说明
  template: "缺少 {name}"
  colour: red
F002:
  severity: fatal
  waivable: maybe
  title: 空
  help: 说明
  template: "第 {line} 行"
F001:
  severity: error
  waivable: false
  title: 又一次
  help: 说明
  template: "x"
F003:
  severity: warning
  waivable: true
  title: 位置参数
  help: 说明
  variants:
    a: "第 {} 行"
F04:
  severity: warning
F005:
  severity: warning
  title: 没有消息
  help: 说明
""", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.errors == [f"{path}:14: duplicate code F001 (first at line 1)"]  # the YAML's own errors first
    path.write_text(path.read_text(encoding="utf-8").replace("F001:\n  severity: error\n  waivable: false\n  title: 又一次", "F006:\n  severity: error\n  waivable: false\n  title: 又一次"), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.errors == [
        f"{path}:7: F001: unknown key “colour” (allowed: severity, waivable, title, help, template, variants, limit, phrases, joins)",
        f"{path}:9: F002: severity should be error or warning, not 'fatal'",
        f"{path}:10: F002: waivable should be true or false, not 'maybe'",
        f"{path}:13: F002: template '第 {{line}} 行': field {{line}} is not a declared name",
        f"{path}:26: F003: template '第 {{}} 行': field {{}} is not a declared name",
        f"{path}:27: 'F04' is not a finding code (a capital letter and three digits, e.g. F001)",
        f"{path}:29: F005: missing waivable",
        f"{path}:29: F005: no message: declare a template or variants",
    ]


def test_a_catalogue_that_is_not_yaml_fails_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "findings.yaml"
    path.write_text('F001:\n  severity: error\n  title: "unclosed\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(f"{path}:4: YAML:")):
        load_catalogue(path)


def test_a_list_field_is_joined_as_the_code_declares(tmp_path: Path) -> None:
    """``joins``: the separator of a listed field is the catalogue's wording, checked at load."""
    path = tmp_path / "findings.yaml"
    entry = NEW_ENTRY.replace('template: "正文只有 {chars} 字，少于 {least} 字"',
                              'template: "正文只有 {chars} 字（{parts}），少于 {least} 字"\n  joins:\n    parts: "＋"')
    path.write_text(entry, encoding="utf-8")
    [code] = load_catalogue(path).values()
    assert code.format(chars=3, least=5, parts=["甲 1", "乙 2"]) == "正文只有 3 字（甲 1＋乙 2），少于 5 字"
    assert code.join("parts", ["a", "b"]) == "a＋b" and CATALOGUE["F017"].join("tables", ["a", "b"]) == "a、b"
    path.write_text(entry.replace("    parts:", "    part:") + '  phrases:\n    x: "{y}"\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.errors == [f"{path}:8: Z901: joins names “part”, not a field of the code's templates or phrases"]


def test_a_malformed_packs_section_fails_with_file_and_line(tmp_path: Path) -> None:
    """``packs:`` (the wording of rule packs' fields, by kind) is validated at load like a code."""
    path = tmp_path / "findings.yaml"
    path.write_text(NEW_ENTRY + """\
packs:
  relation:
    phrases:
      cell: "{table}“{row}”行“{col}”列"
    colour: red
  phrase:
    joins: [、]
  deadline: 年月日
""", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.errors == [
        f"{path}:11: packs: unknown key “colour” in relation (allowed: phrases, joins)",
        f"{path}:13: packs: phrase.joins should map names to texts",
        f"{path}:14: packs: deadline should be a mapping (phrases:, joins:)",
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("    colour: red\n", "").replace("joins: [、]", "joins: {phrases: 、}")
                    .replace("deadline: 年月日", "deadline: {}"), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.errors == [f"{path}:10: packs: template '{{table}}“{{row}}”行“{{col}}”列': field {{col}} is not a declared name"]


def test_every_key_of_report_toml_is_described_in_the_catalogue() -> None:
    """F012/F016 name each report.toml key by its phrase, X805 each retired key's replacement."""
    from govreport.model.reportmeta import KEYS, RETIRED
    assert all(k.name in CATALOGUE["F012"].phrases and k.name in CATALOGUE["F016"].phrases for k in KEYS)
    assert all(name in CATALOGUE["X805"].phrases for name in RETIRED)


def test_reserved_names_are_the_findings_own_fields() -> None:
    assert {"line", "path", "code", "found", "expected"} <= RESERVED


def test_a_phrase_is_checked_like_a_template(tmp_path: Path) -> None:
    path = tmp_path / "findings.yaml"
    path.write_text("Z901:\n  severity: warning\n  waivable: true\n  title: t\n  help: h\n  template: \"{how}\"\n"
                    "  phrases:\n    ok: \"新增 {members}\"\n    bad: \"第 {col} 列\"\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert info.value.errors == [f"{path}:9: Z901: template '第 {{col}} 列': field {{col}} is not a declared name"]


def test_phrases_hold_the_wording_a_field_is_built_from() -> None:
    u906 = CATALOGUE["U906"]
    assert u906.phrase("added", members=["xiangshan", "dongyuan"]) == "新增 xiangshan、dongyuan"  # a list: joined by 、
    with pytest.raises(TemplateError, match="no phrase 'moved'"):
        u906.phrase("moved", members=[])
    with pytest.raises(TemplateError, match=r"fields \[\], the phrase names \['members'\]"):
        u906.phrase("added")
    assert CATALOGUE["L107"].phrase("number", written="1、", plain="1") == "序号“1、”应为“1.”"


def test_declare_refuses_a_second_text_for_a_code() -> None:
    known = CATALOGUE["F004"]
    assert declare(known) is known  # the same declaration again: a no-op
    with pytest.raises(TemplateError, match="F004 is already declared"):
        declare(Code("F004", Severity.WARNING, "另一个名称", "h", template="另一条消息"))
    assert CATALOGUE["F004"] is known


def test_the_shipped_catalogue_is_the_one_loaded() -> None:
    assert load_catalogue(CATALOGUE_FILE) == CATALOGUE | {}  # nothing declared at run time is left over


# A copy of its own (srcdir): other tests of test-basic expect their first build to read every page.
@pytest.mark.sphinx("html", testroot="basic", srcdir="basic-codes-waivable")
def test_codes_page_says_whether_each_code_can_be_waived(app: SphinxTestApp) -> None:
    app.build()
    html = (Path(app.outdir) / "codes.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr[^>]*>\s*<td><p>([A-Z]\d{3})</p></td>\s*<td><p>(错误|警告)</p></td>\s*<td><p>[^<]*</p></td>\s*<td><p>(可|否)</p></td>", html)
    assert rows == [(c.code, c.severity.zh, "可" if c.waivable else "否") for c in CATALOGUE.values()]
    assert CATALOGUE_FILE in {Path(p) for p in app.env.dependencies["codes"]}  # the page follows findings.yaml
