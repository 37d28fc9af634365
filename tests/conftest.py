"""Shared fixtures: Sphinx's testing app over the mini projects in tests/roots/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sample import PAGE, SAMPLE

pytest_plugins = ("sphinx.testing.fixtures",)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty repository (data/, docs/, conf.py): what make import and make new write into."""
    for d in ("data", "docs"):
        (tmp_path / d).mkdir()
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    return tmp_path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throw-away repository holding the sample report as ``demo/2021``."""
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    shutil.copytree(SAMPLE, tmp_path / "data" / "demo" / "2021")
    (tmp_path / "docs" / "demo").mkdir(parents=True)
    shutil.copy(PAGE, tmp_path / "docs" / "demo" / "2021.md")
    return tmp_path


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A test that builds a test root in place leaves the portal pages' generated sources in
    ``tests/roots`` (a build writes them into its source folder): fail the run and name them."""
    from govreport.model.generated import is_generated

    left = sorted(p for p in (Path(__file__).parent / "roots").rglob("*.md") if is_generated(p))
    if left:
        print("\nbuilt in place (build a copy of the root):", *left, sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
