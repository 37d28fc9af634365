"""Issue 17: ``make check`` and the build agree, and builds are never stale.

The catalogue of bad directive arguments and layouts is run through both;
the sets of located findings must be equal (and not empty). Then the
incremental build: content changed with the modification time kept, a spec
change, an interrupted build, a read-only or full ``_build``, ``make new`` on a
full disk.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from security import APPENDED, PAGE, ROOT, append_to_page, build, check, make_site, ours

CATALOGUE: dict[str, str] = {
    "report-nosuch": "```{report-table} 表三\n:report: nosuch/2021\n```",
    "report-malformed": "```{report-table} 表三\n:report: ../../etc\n```",
    "csv-missing": "```{report-table} 表四\n:csv: xiangshan/2021/nosuch.csv\n```",
    "csv-outside": "```{report-table} 表四\n:csv: ../conf.py\n```",
    "csv-absolute": "```{report-table} 表四\n:csv: /etc/hostname\n```",
    "other-report-bad-table": "```{report-table} 表九\n:report: xiangshan/2021\n```",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.mark.parametrize("case", sorted(CATALOGUE))
def test_directive_arguments_agree(site: Path, case: str) -> None:
    append_to_page(site, CATALOGUE[case])
    checked, built = check(site), build(site)
    c, b = ours(checked.found), ours(built.found)
    assert c, checked.text
    assert c == b, (checked.text, built.text)
    assert any(line == APPENDED for _, path, line in c if path == PAGE)
    assert checked.status == 1 and built.status != 0


def test_csv_option_with_a_broken_table_agrees(site: Path) -> None:
    bad = site / "data/xiangshan/other.csv"
    bad.write_text((site / "data/xiangshan/2021/table4.csv").read_text(encoding="utf-8").replace("行政复议,", "行政复议,x", 1), encoding="utf-8")
    append_to_page(site, "```{report-table} 表四\n:csv: xiangshan/other.csv\n```")
    c, b = ours(check(site).found), ours(build(site).found)
    assert c and c == b
    assert {code for code, _, _ in c} >= {"C208"}


def test_renamed_agency_folder_agrees(site: Path) -> None:
    (site / "data/xiangshan").rename(site / "data/xs")
    checked, built = check(site), build(site)
    c, b = ours(checked.found), ours(built.found)
    assert ("S505", "data/xs/2021/report.toml", 1) in c
    assert any(code == "F001" and path == PAGE for code, path, _ in c)
    assert c == b


def test_value_role_on_a_page_of_no_report_agrees(site: Path) -> None:
    (site / "docs/notes.md").write_text("# 说明\n\n本年新收{value}`t3.new.total`件。\n", encoding="utf-8")
    c, b = ours(check(site).found), ours(build(site).found)
    assert ("P603", "docs/notes.md", 3) in c and c == b


# ------------------------------------------------------------- freshness


def _html(site: Path) -> str:
    return (site / "_build/html/xiangshan/2021.html").read_text(encoding="utf-8")


def test_content_change_with_kept_mtime_is_rebuilt(site: Path) -> None:
    build(site)
    csv = site / "data/xiangshan/2021/table4.csv"
    st = os.stat(csv)
    csv.write_text(csv.read_text(encoding="utf-8").replace("行政复议,0,0,0,0,0", "行政复议,1,0,0,0,1"), encoding="utf-8")
    os.utime(csv, ns=(st.st_atime_ns, st.st_mtime_ns))
    page = site / PAGE
    st = os.stat(page)
    page.write_text(page.read_text(encoding="utf-8").replace("## 六、其他需要报告的事项\n\n无", "## 六、其他需要报告的事项\n\n新的一句话。"), encoding="utf-8")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    from sphinx.cmd.build import build_main

    os.chdir(site)
    try:
        assert build_main(["-c", ".", "-q", "-b", "html", "docs", "_build/html"]) == 0  # incremental: no -E
    finally:
        os.chdir(ROOT)
    assert "新的一句话。" in _html(site)
    published = (site / "_build/html/data/xiangshan/2021/table4.csv").read_text(encoding="utf-8")
    assert "行政复议,1,0,0,0,1" in published


def test_spec_change_rereads_report_pages(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.sphinxext import freshness
    from sphinx.cmd.build import build_main

    specs = site.parent / "specs"
    shutil.copytree(ROOT / "ext/govreport/format/specs", specs)
    monkeypatch.setattr(freshness, "SPECS", specs)
    monkeypatch.chdir(site)
    assert build_main(["-c", ".", "-q", "-b", "html", "docs", "_build/html"]) == 0
    first = (site / "_build/html/xiangshan/2021.html").stat().st_mtime_ns
    assert build_main(["-c", ".", "-q", "-b", "html", "docs", "_build/html"]) == 0
    assert (site / "_build/html/xiangshan/2021.html").stat().st_mtime_ns == first  # nothing changed: not rewritten
    spec = next(specs.glob("*.yaml"))
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert build_main(["-c", ".", "-q", "-b", "html", "docs", "_build/html"]) == 0
    assert (site / "_build/html/xiangshan/2021.html").stat().st_mtime_ns != first


def test_interrupted_build_is_repaired(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed while writing: pages read but unwritten, search index without them."""
    from govreport.sphinxext.freshness import MARKER
    from sphinx.cmd.build import build_main

    monkeypatch.chdir(site)
    assert build_main(["-c", ".", "-q", "-b", "html", "docs", "_build/html"]) == 0
    (site / "_build/html/xiangshan/2021.html").unlink()
    shutil.rmtree(site / "_build/html/_search")  # the search index (issue 21) lost too
    (site / "_build/html" / MARKER).write_text("killed\n", encoding="utf-8")
    assert build_main(["-c", ".", "-q", "-b", "html", "docs", "_build/html"]) == 0
    assert (site / "_build/html/xiangshan/2021.html").is_file()
    index = json.loads((site / "_build/html/_search/index.json").read_text(encoding="utf-8"))
    assert index["pages"] >= 1
    assert not (site / "_build/html" / MARKER).exists()


def test_read_only_build_folder(site: Path) -> None:
    """``_build`` exists but its owner may not write into it: make check still runs.

    Root writes into read-only folders, so as root (this machine, CI's
    containers) the copy is given to an unprivileged user (nobody, 65534) and
    the check runs as that user (setpriv); as a user it runs as that user."""
    import json
    import tempfile

    cmd = [sys.executable, "-m", "govreport", "check", "--no-cache", "--format", "json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "ext"))
    with tempfile.TemporaryDirectory(prefix="govreport-ro-") as scratch:
        repo = Path(scratch) / "site"
        shutil.copytree(site, repo, symlinks=True)
        (repo / "_build").mkdir()
        if os.geteuid() == 0:
            assert shutil.which("setpriv"), "setpriv (util-linux) is needed to run the check as an unprivileged user"
            os.chmod(scratch, 0o755)  # nobody reaches the copy (and ext/ through its link), owns it, and nothing else
            for path in [repo, *repo.rglob("*")]:
                os.lchown(path, 65534, 65534)
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        os.chmod(repo / "_build", 0o500)
        probe = [*cmd[: cmd.index(sys.executable)], "touch", "_build/probe"]
        assert subprocess.run(probe, cwd=repo, capture_output=True).returncode != 0, "_build is writable: nothing is tested"
        proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env)
    assert "Traceback" not in proc.stderr and proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_unwritable_build_folder_gives_a_clear_message(site: Path) -> None:
    """_build is a file (or unwritable): make html says so, no traceback."""
    (site / "_build").write_text("not a folder\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "ext"))
    proc = subprocess.run([sys.executable, "-m", "govreport.model.writable", "_build/html"], cwd=site, capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "X830" in proc.stderr and "_build" in proc.stderr
    checked = check(site)
    assert "Traceback" not in checked.text and checked.status == 0


def test_make_new_on_a_full_disk_leaves_nothing(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from govreport.model import atomic
    from govreport.model.scaffold import new_report

    real_fsync, calls = os.fsync, []

    def full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError, match="没有留下任何文件"):
        new_report(site, "newtown", 2024, "新镇")
    assert not (site / "data/newtown").exists() and not (site / "docs/newtown").exists()
    assert not list(site.rglob(".*.tmp"))
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    made = new_report(site, "newtown", 2024, "新镇")  # and it runs again
    assert len(made.paths) == 5 and all(p.is_file() for p in made.paths)


def test_job_summary_has_the_page_findings(site: Path) -> None:
    """What CI shows (findings.json, annotations, the job summary) is make check's set."""
    import contextlib
    import io
    import json

    from govreport.cli.commands import main

    (site / "docs/evil.md").write_text("# 页面\n\n<script>x</script>\n", encoding="utf-8")
    os.chdir(site)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(["summary", "--json", "_build/check/findings.json"])
    finally:
        os.chdir(ROOT)
    items = json.loads((site / "_build/check/findings.json").read_text(encoding="utf-8"))["findings"]
    assert status == 1 and {(f["code"], f["path"], f["line"]) for f in items} == {("S510", "docs/evil.md", 3)}


@pytest.mark.slow
def test_killed_build_is_repaired(site: Path) -> None:
    """A real sphinx-build killed (SIGKILL) while writing pages: the next build
    writes every page again and the search index holds every report.

    The kill is a hook, not a timing: tests/kill_after_pages.py makes the build
    kill itself once 10 pages are written (a serial build writes them in name
    order), so the same 10 of 41 report pages are on disk on every run."""
    for i in range(40):
        shutil.copytree(site / "data/xiangshan/2021", site / f"data/a{i:02d}/2021")
        (site / f"docs/a{i:02d}").mkdir()
        shutil.copy(site / PAGE, site / f"docs/a{i:02d}/2021.md")
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nextensions.append(\"kill_after_pages\")  # test hook: SIGKILL while writing\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "ext"), str(ROOT / "tests")]))
    cmd = [sys.executable, "-m", "sphinx", "-c", ".", "-b", "html", "docs", "_build/html"]
    killed = subprocess.run(cmd, cwd=site, capture_output=True, text=True, env=dict(env, GOVREPORT_TEST_KILL_AFTER="10"))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    written = sorted(p.parent.name for p in (site / "_build/html").glob("*/2021.html"))
    assert written == [f"a{i:02d}" for i in range(10)], "the build was not killed after its 10th page"
    again = subprocess.run(cmd, cwd=site, capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    assert sorted(p.parent.name for p in (site / "_build/html").glob("*/2021.html")) == [*(f"a{i:02d}" for i in range(40)), "xiangshan"]
    index = json.loads((site / "_build/html/_search/index.json").read_text(encoding="utf-8"))
    assert index["pages"] == 41  # every report page indexed (issue 21)
