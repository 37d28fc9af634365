"""A real PDF of the frozen sample report: XeLaTeX runs, the text reads back, and a
character that no installed font has makes the PDF step fail and name it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from govreport.edition.pdf import build_all
from govreport.edition.texrun import MISSING
from test_publish import project_copy

pytestmark = pytest.mark.slow

# U+10FFFD (Supplementary Private Use Area-B, last code point): no font on any
# machine has it, so XeLaTeX must report it missing.
NO_GLYPH = "\U0010fffd"


def test_missing_glyph_line_is_recognised() -> None:
    line = "Missing character: There is no 𠀀 (U+20000) in font FandolFang-Regular:mode=node;script=hani;language=dflt;!"
    assert MISSING.search(line)


def _latex(tree: Path) -> Path:
    for tool in ("xelatex", "latexmk", "pdftotext"):
        assert shutil.which(tool), f"{tool} is missing: run `make system-test` (or see README)"
    out = tree / "_build" / "latex"
    env = dict(os.environ, PYTHONPATH=str(tree / "ext"))
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "-b", "latex", "-c", str(tree), str(tree / "docs"), str(out)],
                   check=True, env=env)
    return out


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = project_copy(tmp_path_factory.mktemp("pdf"))
    out = tree / "_build"
    assert build_all(_latex(tree), out / "pdf", jobs=2) == 0
    pdf = out / "pdf" / "xiangshan-2021.pdf"
    assert pdf.is_file()
    return pdf


def test_pdf_text(sample_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(sample_pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "沙坡头区香山乡2021年政府信息公开工作年度报告" in flat
    for title in ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]:
        assert title in flat
    # table labels and numbers, read back in table order
    for label in ["第二十条第（一）项", "本年收费金额（单位：万元）", "申请人情况", "法人或其他组织",
                  "（七）总计", "2.其他法律行政法规禁止公开", "四、结转下年度继续办理",
                  "未经复议直接起诉", "复议后起诉"]:
        assert label in flat, label
    assert "行政规范性文件101" in flat  # 本年制发 1, 废止 0, 现行有效 1
    assert "行政处罚4" in flat
    assert "一、本年新收政府信息公开申请数量0000000" in flat
    assert "000000000000000" in flat  # 表四: fifteen zeros


def test_missing_glyph_fails_the_pdf_and_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A sentence with a character no installed font has: the PDF step fails and says which character."""
    tree = project_copy(tmp_path)
    page = tree / "docs" / "xiangshan" / "2021.md"
    page.write_text(page.read_text(encoding="utf-8").replace("## 一、总体情况\n", f"## 一、总体情况\n\n缺字测试{NO_GLYPH}。\n", 1),
                    encoding="utf-8")
    failed = build_all(_latex(tree), tree / "_build" / "pdf", jobs=1)
    out = capsys.readouterr()
    assert failed == 1
    assert "U+10FFFD" in out.out + out.err
    assert not (tree / "_build" / "pdf" / "xiangshan-2021.pdf").exists()


def test_pdf_page_size(sample_pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.28 x 841.89 pts (A4)" in info
