"""Incremental publishing never goes stale (issue 22, item 2).

The district's roll-up quzhengfu/2023 passes, then fails (one member's number
changed: U905), then passes again; then a report leaves the repository. After
each step the site that ``make site`` gives on top of the earlier builds'
folders must equal, file by file, the site of a clean build of the same sources.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from govreport.portal.publish import SITE, build_site
from govreport.web import sitefiles
from portal_helpers import district_copy, edit

ROLLUP = "quzhengfu/2023"
MEMBER = "data/nanshan/2023/table2.csv"


def _site_equals_clean_build(root: Path, work: Path) -> dict[str, str]:
    """Compare the incremental site with a clean build's (same folder, ``_build`` set aside
    and restored); return the incremental site's files by path."""
    incremental = work / "incremental"
    shutil.rmtree(incremental, ignore_errors=True)
    shutil.copytree(root / SITE, incremental)
    kept = work / "kept-build"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.move(root / "_build", kept)
    assert build_site(root, jobs=1, pdf=False) == 0
    clean = root / SITE
    a, b = sitefiles.files(incremental), sitefiles.files(clean)
    assert a == b, (sorted(set(a) - set(b)), sorted(set(b) - set(a)))
    _, mismatch, errors = filecmp.cmpfiles(incremental, clean, a, shallow=False)
    assert mismatch == [] and errors == [], mismatch + errors
    shutil.rmtree(root / "_build")
    shutil.move(kept, root / "_build")
    return {p: (incremental / p).read_text(encoding="utf-8", errors="replace") for p in a}


def test_pass_fail_pass_equals_clean_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = district_copy(tmp_path / "repo", layout="repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1706659200")
    monkeypatch.chdir(root)

    assert build_site(root, jobs=1, pdf=False) == 0  # passes
    site = _site_equals_clean_build(root, tmp_path)
    assert sitefiles.of_reports(site, {ROLLUP}) == ["data/quzhengfu/2023/table2.csv", "data/quzhengfu/2023/table3.csv",
                                                    "docx/quzhengfu-2023.docx", "opendata/quzhengfu-2023-members.csv", "opendata/quzhengfu-2023.csv",
                                                    "opendata/quzhengfu-2023.json", "quzhengfu/2023-members.html",
                                                    "quzhengfu/2023.html"]
    assert 'href="2023.html"' in site["quzhengfu/index.html"]

    edit(root / MEMBER, "行政规范性文件,1,0,12", "行政规范性文件,2,0,12")  # the roll-up no longer adds up
    capsys.readouterr()
    assert build_site(root, jobs=1, pdf=False) == 0  # fails: withheld, every file of it gone
    assert "U905" in capsys.readouterr().out
    site = _site_equals_clean_build(root, tmp_path)
    assert sitefiles.of_reports(site, {ROLLUP}) == []
    assert '"quzhengfu/2023": 1' in site["opendata/publication.json"]
    assert 'href="2023.html"' not in site["quzhengfu/index.html"]
    assert "quzhengfu,示例区人民政府,2023," not in site["opendata/all.csv"]
    # The stale page is still in the publishing build's own folder: only the site leaves it out.
    assert (root / "_build/publish/html/quzhengfu/2023.html").is_file()

    edit(root / MEMBER, "行政规范性文件,2,0,12", "行政规范性文件,1,0,12")  # passes again
    assert build_site(root, jobs=1, pdf=False) == 0
    site = _site_equals_clean_build(root, tmp_path)
    assert len(sitefiles.of_reports(site, {ROLLUP})) == 8

    # A report removed from the repository leaves the site too.
    shutil.rmtree(root / "data/jiaoyu/2021")
    (root / "docs/jiaoyu/2021.md").unlink()
    assert build_site(root, jobs=1, pdf=False) == 0
    site = _site_equals_clean_build(root, tmp_path)
    assert sitefiles.of_reports(site, {"jiaoyu/2021"}) == []


def test_site_files_list() -> None:
    assert sitefiles.owner("quzhengfu/2023.html") == ROLLUP
    assert sitefiles.owner("data/quzhengfu/2023/table2.csv") == ROLLUP
    assert sitefiles.owner("opendata/quzhengfu-2023-members.csv") == ROLLUP
    assert sitefiles.owner("opendata/all.csv") is None and sitefiles.owner("quzhengfu/index.html") is None
    assert sitefiles.owner("data/quzhengfu/2023") is None  # the folder's files, not the folder
    assert sitefiles.foreign(["a/2023.html", "b/2023.html", "index.html"], {"b/2023"}) == ["a/2023.html"]
