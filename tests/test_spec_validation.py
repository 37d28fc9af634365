"""The format spec is validated on load: each kind of typo is an error naming the
file and line (never a check silently switched off); the shipped specs load clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from govreport.findings import CATALOGUE
from govreport.format.spec import SPEC_DIR, display_path, load_spec, load_spec_file, versions
from govreport.format.specvalid import SpecError

SHIPPED = (SPEC_DIR / "gov2021.yaml").read_text(encoding="utf-8")


def line_of(text: str, snippet: str, nth: int = 0) -> int:
    """The 1-based line where the ``nth`` occurrence of ``snippet`` starts."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(snippet, pos + 1)
    return text.count("\n", 0, pos) + 1


def errors_of(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[list[str], str, str]:
    """Load the shipped 2021 spec with ``old`` replaced by ``new``; its errors,
    the modified text and how errors name the file."""
    assert SHIPPED.count(old) >= count, old
    text = SHIPPED.replace(old, new, count)
    path = tmp_path / "gov2021.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec_file(path, remember=False)
    assert str(info.value) == "\n".join(info.value.errors)
    return info.value.errors, text, str(path)


@pytest.mark.parametrize("version", versions())
def test_shipped_specs_load_clean(version: str) -> None:
    spec = load_spec_file(SPEC_DIR / f"gov{version}.yaml", remember=False)  # really validated
    assert spec.version == version and spec.path == f"specs/gov{version}.yaml"
    assert display_path(SPEC_DIR / "gov2021.yaml") == "specs/gov2021.yaml"


def test_misspelt_key_is_an_error_not_all_columns(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "rules: {label: 规章, cols:", "rules: {label: 规章, colz:")
    assert errors == [f"{f}:{line_of(text, 'colz:')}: unknown key “colz” in tables.t2.rows.rules (allowed: cols, label, title)"]


def test_unknown_top_level_and_table_keys(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "    widths: [5, 8, 27", "    width: [5, 8, 27")
    assert errors == [  # sorted by line
        f"{f}:{line_of(text, '  t3:')}: tables.t3: 'widths' is a required property",
        f"{f}:{line_of(text, 'width:')}: unknown key “width” in tables.t3 (allowed: anchors, caption, columns, derived, file, grid, head, "
        "legacy, legacy_rows, number, relations, rows, section, stub, widths)",
    ]


def test_importer_anchors_are_checked(tmp_path: Path) -> None:
    """The importer's anchors (issue 20: its labels come from the spec): a pattern that does not compile and an
    unknown kind of anchor are located errors, not a failure of the first import."""
    errors, text, f = errors_of(tmp_path, "line: ['^行政复议.{0,8}\\Z']", "line: ['^行政复议(']")
    assert errors == [f"{f}:{line_of(text, '^行政复议(')}: tables.t4.anchors.line: “^行政复议(” is not a regular expression "
                      "(missing ), unterminated subpattern at position 5)"]
    errors, text, f = errors_of(tmp_path, "      page: [行政复议]", "      pages: [行政复议]")
    assert errors == [f"{f}:{line_of(text, 'pages:')}: unknown key “pages” in tables.t4.anchors "
                      "(allowed: flat_row, line, page, run, run_head, run_strict)"]
    errors, text, f = errors_of(tmp_path, "section_anchors: ['^", "section_anchors: ['^(")
    assert len(errors) == 1 and errors[0].startswith(f"{f}:{line_of(text, 'section_anchors:')}: section_anchors: “^(")


def test_relation_naming_a_column_that_does_not_exist(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "left: [upheld, corrected, other, pending]", "left: [upheld, corrected, other, pendng]")
    assert errors == [f"{f}:{line_of(text, 'pendng')}: tables.t4.relations.outcomes.left: unknown column “pendng” "
                      "(known: upheld, corrected, other, pending, total)"]


def test_relation_naming_a_row_that_does_not_exist(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "left: [new, carried_in]", "left: [new, caried_in]")
    assert errors == [f"{f}:{line_of(text, 'caried_in')}: tables.t3.relations.balance.left: unknown row “caried_in” "
                      "(known: new, carried_in, open, partial, deny_1, deny_2, deny_3, deny_4 …)"]


def test_relation_code_not_in_the_catalogue(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "code: R302", "code: R399")
    assert errors == [f"{f}:{line_of(text, 'R399')}: tables.t3.relations.1.code: finding code R399 is not in the findings catalogue (findings.yaml)"]


def test_relation_code_without_its_message_template(tmp_path: Path) -> None:
    """A relation's finding is R30x's "column" or "row" text: a code without it fails at load (issue 20)."""
    errors, text, f = errors_of(tmp_path, "code: R302", "code: C201")
    assert errors == [f"{f}:{line_of(text, 'C201')}: tables.t3.relations.1.code: finding code C201 has no message template 'column' (findings.yaml)"]


def test_relation_without_a_code(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "        code: R304\n", "")
    assert errors == [f"{f}:{line_of(text, '- id: outcomes')}: tables.t4.relations.0: 'code' is a required property"]


def test_duplicate_relation_id(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "- id: results", "- id: balance")
    assert errors == [  # and the derived total that relation computed has lost it
        f"{f}:{line_of(text, 'from: results}')}: tables.t3.derived: “from: results” is not a relation of the table (known: balance, row_total)",
        f"{f}:{line_of(text, '- id: balance', 1)}: tables.t3.relations: id “balance” twice",
    ]


def test_duplicate_row_id_is_not_silently_the_last(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "      deny_2: {label: 2.", "      deny_1: {label: 2.")
    assert errors == [f"{f}:{line_of(text, 'deny_1: {label: 2.')}: duplicate key “deny_1” in tables.t3.rows (first at line {line_of(text, 'deny_1: {label: 1.')})"]


def test_derived_from_an_unknown_relation(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{col: total, from: outcomes}", "{col: total, from: outcome}")
    assert errors == [f"{f}:{line_of(text, 'from: outcome}')}: tables.t4.derived: “from: outcome” is not a relation of the table (known: outcomes)"]


def test_derived_cell_its_relation_does_not_compute(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{row: total, from: results}", "{row: total, from: balance}")
    assert errors == [f"{f}:{line_of(text, 'from: balance}')}: tables.t3.derived: relation “balance” does not compute row “total” (its right side must be just that)"]


def test_grid_naming_an_unknown_row(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{label: deny_1}, {row: deny_1}", "{label: deny_1}, {row: deny_9}")
    assert errors == [f"{f}:{line_of(text, 'deny_9')}: tables.t3.grid row 7: unknown row “deny_9” "
                      "(known: new, carried_in, open, partial, deny_1, deny_2, deny_3, deny_4 …)"]


def test_grid_that_leaves_out_a_data_cell(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{label: fee}, {d: fee.amount, cs: 3}", "{label: fee}, {h: （空）, cs: 3}")
    assert errors == [f"{f}:{line_of(text, '    grid:')}: tables.t2.grid does not show the data cell(s) fee.amount"]


def test_grid_row_that_does_not_fill_the_width(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{label: license}, {d: license.decisions, cs: 3}", "{label: license}, {d: license.decisions, cs: 2}")
    assert errors == [f"{f}:{line_of(text, '{label: license}')}: tables.t2.grid row 6: the row has 3 of the 4 columns (widths) filled"]


def test_grid_data_cell_twice(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{label: coercion}, {d: coercion.decisions, cs: 3}", "{label: coercion}, {d: penalty.decisions, cs: 3}")
    assert errors == [
        f"{f}:{line_of(text, '    grid:')}: tables.t2.grid does not show the data cell(s) coercion.decisions",
        f"{f}:{line_of(text, '{label: coercion}')}: tables.t2.grid row 10: data cell penalty.decisions appears twice (first in grid row 9)",
    ]


def test_label_written_again_in_the_grid(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "{stub: true}, {col: issued}", "{stub: true}, {h: 本年制发件数}")
    assert errors == [f"{f}:{line_of(text, '{h: 本年制发件数}')}: tables.t2.grid row 1: “本年制发件数” is a label of the table; write {{col: issued}} (labels are written once)"]


def test_grid_cell_with_two_contents(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "[{title: fee, cs: 4}]", "[{title: fee, h: x, cs: 4}]")
    assert errors == [f"{f}:{line_of(text, '{title: fee, h: x')}: tables.t2.grid row 11 cell 0: write exactly one of h, s, col, label, head, title, stub, d, row (found h, title)"]


def test_across_year_rule_naming_an_unknown_row(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "    last: carried_over", "    last: carried_ovr")
    assert errors == [f"{f}:{line_of(text, 'carried_ovr')}: across_years.carried_in.last: unknown row “carried_ovr” of t3 "
                      "(known: new, carried_in, open, partial, deny_1, deny_2, deny_3, deny_4 …)"]


def test_across_year_rule_naming_an_unknown_column(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "plus: {issued: 本年制发}", "plus: {isued: 本年制发}")
    assert errors == [f"{f}:{line_of(text, 'isued')}: across_years.in_force.plus: unknown column “isued” of t2 "
                      "(known: issued, repealed, in_force, decisions, amount)"]


def test_across_year_rule_code_not_in_the_catalogue(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "code: Y402", "code: Y499")
    assert errors == [f"{f}:{line_of(text, 'Y499')}: across_years.1.code: finding code Y499 is not in the findings catalogue (findings.yaml)"]


def test_wrong_type(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "    head: 3\n", "    head: three\n")
    assert errors == [f"{f}:{line_of(text, 'head: three')}: tables.t3.head: 'three' is not of type 'integer'"]


def test_row_limited_to_an_unknown_column(tmp_path: Path) -> None:
    errors, text, f = errors_of(tmp_path, "cols: [decisions], title: 第二十条第（五）项", "cols: [decision], title: 第二十条第（五）项")
    assert errors[0] == f"{f}:{line_of(text, '[decision]')}: tables.t2.rows.license.cols: unknown column “decision” (known: issued, repealed, in_force, decisions, amount)"


def test_yaml_syntax_error(tmp_path: Path) -> None:
    errors, _, f = errors_of(tmp_path, "    file: table4.csv", "    file: [table4.csv")
    assert len(errors) == 1 and errors[0].startswith(f"{f}:") and ": YAML: " in errors[0]


def test_catalogue_text_agrees_with_the_spec() -> None:
    """The findings catalogue names what the spec's rules say (one source, two texts)."""
    for v in versions():
        spec = load_spec(v)
        for rule in spec.across_years:
            code = CATALOGUE[rule.code]
            words = [rule.name, *(n for _, n in rule.plus + rule.minus)]
            if not (rule.plus or rule.minus):
                words.append(rule.last_name)
            assert all(w in code.help for w in words), (v, rule.id, words, code.help)
        for t in spec.tables.values():
            for rel in t.relations:
                assert CATALOGUE[rel.code].title.startswith(t.title), (v, t.id, rel.id)


def test_a_valid_text_is_remembered_and_an_edit_validated_again(tmp_path: Path) -> None:
    path = tmp_path / "gov2021.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    load_spec_file(path)  # validated, remembered
    load_spec_file(path)  # the same text: not validated again
    path.write_text(SHIPPED.replace("code: R301", "code: R399"), encoding="utf-8")
    with pytest.raises(SpecError):
        load_spec_file(path)  # changed: validated again


def test_a_relation_added_in_the_yaml_alone_is_checked(tmp_path: Path) -> None:
    """No Python to touch: the relation's code and the words of its message come from the YAML."""
    from govreport.checks import check_relations
    from govreport.model.csvload import load_table

    text = SHIPPED.replace("""        left: [upheld, corrected, other, pending]
        right: [total]
""", """        left: [upheld, corrected, other, pending]
        right: [total]
      - id: suits_alike
        code: R304
        name: 两类诉讼相同
        each: column
        left: [suit_direct]
        right: [suit_after]
        right_name: 复议后起诉（示例）
""")
    path = tmp_path / "gov2021.yaml"
    path.write_text(text, encoding="utf-8")
    t4 = load_spec_file(path, remember=False).tables["t4"]
    csv = tmp_path / "table4.csv"
    csv.write_text("项目,结果维持,结果纠正,其他结果,尚未审结,总计\n行政复议,0,0,0,0,0\n未经复议直接起诉,1,0,0,0,1\n复议后起诉,1,0,0,0,1\n", encoding="utf-8")
    assert check_relations(load_table(csv, t4, "t4.csv")[0]) == []
    csv.write_text("项目,结果维持,结果纠正,其他结果,尚未审结,总计\n行政复议,0,0,0,0,0\n未经复议直接起诉,2,0,0,0,2\n复议后起诉,1,0,0,0,1\n", encoding="utf-8")
    found = check_relations(load_table(csv, t4, "t4.csv")[0])
    assert [f.message for f in found] == [
        "表四 结果维持 列：未经复议直接起诉＝2，复议后起诉（示例）＝1，应相等",
        "表四 总计 列：未经复议直接起诉＝2，复议后起诉（示例）＝1，应相等",
    ]
