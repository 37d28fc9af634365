"""Issue 17's table: what a hostile pull request adds, one case at a time.

Each case appends hostile Markdown to the sample report's page in a throw-away
copy of the repository, runs ``make check`` and ``make html`` over it, and
asserts: the planted secret (a file outside the repository, the repository's
``.git/config``) is in no file under ``_build/`` and in no output; both runs
answer with the same located finding; and the build fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from security import APPENDED, PAGE, PLANT, append_to_page, build, check, leaks, make_site, ours

OUT = "../../../outside"
#: name: (Markdown appended to the page, code expected at its first line, line offset)
CASES: dict[str, tuple[str, str, int]] = {
    "literalinclude": (f"```{{literalinclude}} {OUT}/secret.txt\n```", "S508", 0),
    "include": (f"```{{include}} {OUT}/secret.txt\n```", "S508", 0),
    "include-colon-fence": (f":::{{include}} {OUT}/secret.txt\n:::", "S508", 0),
    "git-config": ("```{literalinclude} ../../.git/config\n```", "S508", 0),
    "eval-rst-raw-file": ("```{eval-rst}\n.. raw:: html\n   :file: {ABS}/secret.txt\n```", "S508", 0),
    "eval-rst-include": (f"```{{eval-rst}}\n.. include:: {OUT}/secret.txt\n```", "S508", 0),
    "raw-html-file": ("```{raw} html\n:file: {ABS}/secret.txt\n```", "S508", 0),
    "raw-html": (f"```{{raw}} html\n<script>alert('{PLANT}')</script>\n```", "S508", 0),
    "raw-latex-catcode": (f"```{{raw}} latex\n\\catcode`\\%=12 \\input{{{{ABS}}/secret.txt}} {PLANT}\n```", "S508", 0),
    "csv-table-file": (f"```{{csv-table}}\n:file: {OUT}/secret.csv\n```", "S508", 0),
    "download-role": (f"文件：{{download}}`下载 <{OUT}/secret.txt>`。", "S509", 0),
    "image": (f"```{{image}} {OUT}/secret.png\n```", "S509", 0),
    "figure": (f"```{{figure}} {OUT}/secret.png\n图\n```", "S509", 0),
    "markdown-image": (f"![图]({OUT}/secret.png)", "S509", 0),
    "markdown-link-to-file": (f"[下载]({OUT}/secret.txt)", "S509", 0),
    "card-image": (f"```{{card}} 卡片\n:img-top: {OUT}/secret.png\n\n文字\n```", "S509", 0),
    "nested-in-note": (f"````{{note}}\n说明\n\n```{{literalinclude}} {OUT}/secret.txt\n```\n````", "S508", 3),
    "math-input": ("```{math}\n\\input{{ABS}/secret.txt}\n```", "S511", 0),
    "math-role": ("公式 {math}`\\input{{ABS}/secret.txt}`。", "S511", 0),
    "math-catcode": ("```{math}\n\\catcode`\\^=12 x^2\n```", "S511", 0),
    "script-tag": (f"<script>alert('{PLANT}')</script>", "S510", 0),
    "inline-html": (f"文字<img src=x onerror=\"alert('{PLANT}')\">文字", "S510", 0),
    "card-javascript-link": ("```{card} 卡片\n:link: javascript:alert(1)\n\n文字\n```", "S510", 0),
    "iframe": (f"<iframe src=\"javascript:alert('{PLANT}')\"></iframe>", "S510", 0),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_page(site: Path, case: str) -> None:
    markdown, code, offset = CASES[case]
    append_to_page(site, markdown.replace("{ABS}", str(site.parent / "outside")))
    checked = check(site)
    built = build(site)
    where = (code, PAGE, APPENDED + offset)
    assert where in ours(checked.found), checked.text
    assert where in ours(built.found), built.text
    assert checked.status == 1 and built.status != 0
    assert ours(checked.found) == ours(built.found)
    assert leaks(site, checked, built, authored=PLANT in markdown) == []
    html = (site / "_build/html/xiangshan/2021.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<iframe" not in html and "onerror=" not in html and "href=\"javascript:" not in html.lower()
    assert not (site / "_build/html/_downloads").exists() and not (site / "_build/html/_images").exists()


@pytest.mark.parametrize("case", ["literalinclude", "math-input", "raw-latex-catcode", "eval-rst-include"])
def test_hostile_page_latex(site: Path, case: str) -> None:
    """The LaTeX the PDF is made from holds neither the file nor a command to read it."""
    markdown, _, _ = CASES[case]
    secret = str(site.parent / "outside")
    append_to_page(site, markdown.replace("{ABS}", secret))
    built = build(site, "latex")
    tex = (site / "_build/latex/xiangshan-2021.tex").read_text(encoding="utf-8")
    assert PLANT not in tex
    assert f"\\input{{{secret}" not in tex
    assert "\\catcode`\\%" not in tex
    assert leaks(site, built) == []


def test_image_inside_docs_is_published(site: Path) -> None:
    """The policy refuses what leaves docs/ and data/, not images of the report's own."""
    (site / "docs/xiangshan/seal.png").write_bytes(b"\x89PNG\r\n\x1a\nown-image")
    append_to_page(site, "![印章](seal.png)")
    built = build(site)
    assert {c for c, _, _ in ours(built.found)} == set(), built.text
    assert list((site / "_build/html/_images").glob("seal*.png"))


def test_symlinked_image_inside_docs_is_refused(site: Path) -> None:
    """A symlink in docs/ pointing outside: the real path decides."""
    (site / "docs/xiangshan/seal.png").symlink_to(site.parent / "outside/secret.png")
    append_to_page(site, "![印章](seal.png)")
    checked, built = check(site), build(site)
    where = ("S509", PAGE, APPENDED)
    assert where in ours(checked.found) and where in ours(built.found)
    assert leaks(site, checked, built) == []


def test_html_comment_is_allowed_and_not_published(site: Path) -> None:
    append_to_page(site, f"<!-- 审阅意见：{PLANT} -->")
    checked, built = check(site), build(site)
    assert not any(c == "S510" for c, _, _ in checked.found | built.found)


def test_other_page_is_scanned_too(site: Path) -> None:
    """A page that is no report's (docs/evil.md) is checked by make check as by the build."""
    (site / "docs/evil.md").write_text(f"# 页面\n\n```{{literalinclude}} ../../outside/secret.txt\n```\n\n<script>{PLANT}</script>\n", encoding="utf-8")
    checked, built = check(site), build(site)
    want = {("S508", "docs/evil.md", 3), ("S510", "docs/evil.md", 6)}
    assert want <= ours(checked.found) and want <= ours(built.found)
    assert leaks(site, checked, built, authored=True) == []
