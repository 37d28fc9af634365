"""CSV files that Excel on Chinese Windows opens correctly: a UTF-8 BOM on what make new/import write; the loader reads both."""

from __future__ import annotations

from pathlib import Path

from govreport.checks import check_report
from govreport.format.spec import spec_for_year
from govreport.importer import import_report
from govreport.model.csvload import load_table
from govreport.model.csvwrite import BOM_BYTES, with_bom
from govreport.model.scaffold import new_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_new_writes_bom(root: Path) -> None:
    new_report(root, "xiangshan", 2022, "沙坡头区香山乡")
    for name in ("table2.csv", "table3.csv", "table4.csv"):
        assert (root / "data" / "xiangshan" / "2022" / name).read_bytes().startswith(BOM_BYTES), name


def test_import_writes_bom(root: Path) -> None:
    import_report(root, FIXTURES / "huaian-2024.txt", "huaian", 2024)
    for name in ("table2.csv", "table3.csv", "table4.csv"):
        assert (root / "data" / "huaian" / "2024" / name).read_bytes().startswith(BOM_BYTES), name


def test_loader_reads_with_and_without_bom(root: Path) -> None:
    import_report(root, FIXTURES / "huaian-2024.txt", "huaian", 2024)
    t3 = spec_for_year(2024).tables["t3"]
    path = root / "data" / "huaian" / "2024" / "table3.csv"
    with_, _ = load_table(path, t3, "table3.csv")
    path.write_bytes(path.read_bytes()[len(BOM_BYTES):])
    without, _ = load_table(path, t3, "table3.csv")
    assert with_.values == without.values and with_.values[("new", "total")] == 3119
    assert not [f for f in check_report(root, "huaian", 2024).findings if f.code.startswith("F")]


def test_with_bom() -> None:
    assert with_bom("项目,总计\n".encode()) == BOM_BYTES + "项目,总计\n".encode()
    assert with_bom(BOM_BYTES + b"a\n") == BOM_BYTES + b"a\n"
    gbk = "项目".encode("gb18030")
    assert with_bom(gbk) == gbk  # not UTF-8: left alone


def test_downloads_carry_bom(repo: Path, tmp_path: Path) -> None:
    """The report's CSV originals copied into the site get the BOM even when the file in data/ has none."""
    from govreport.model.report import load_report
    from govreport.sphinxext.site import _write_report

    src = repo / "data" / "demo" / "2021" / "table3.csv"
    src.write_bytes(src.read_bytes().removeprefix(BOM_BYTES))
    out = tmp_path / "html"
    _write_report(out, load_report(repo, "demo", 2021))
    copies = sorted(out.rglob("table*.csv"))
    assert [p.name for p in copies] == ["table2.csv", "table3.csv", "table4.csv"]
    assert all(p.read_bytes().startswith(BOM_BYTES) for p in copies)
    assert (out / "opendata" / "demo-2021.csv").read_bytes().startswith(BOM_BYTES)
