"""``提交``: one commit of a report's own files, on a branch named for the report.

The commit is made with git's plumbing and a temporary index (``read-tree``,
``update-index``, ``write-tree``, ``commit-tree``, ``update-ref``): the
writer's checkout, its index, the current branch and every other change in
the work tree stay exactly as they were. The branch ``report/<agency>-<year>``
starts from the current commit the first time and grows from its own tip
after that. Nothing is ever pushed.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..model.diff import compare_reports, export_data, meta_changes, plain
from ..model.report import load_report


class CommitError(RuntimeError):
    """No commit made; the message says why, in Chinese."""


@dataclass(frozen=True)
class Committed:
    branch: str
    commit: str
    message: str
    files: list[str]


def branch_name(agency: str, year: int) -> str:
    return f"report/{agency}-{year}"


def _git(root: Path, *args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
    if check and proc.returncode != 0:
        raise CommitError(f"git {args[0]} 失败：{proc.stderr.strip()[:300]}")
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _identity(root: Path) -> dict[str, str]:
    """The writer's git identity; a neutral one when none is configured (a fresh machine)."""
    env = dict(os.environ)
    if not _git(root, "config", "user.name", check=False):
        env.setdefault("GIT_AUTHOR_NAME", "报告编辑器")
        env.setdefault("GIT_COMMITTER_NAME", "报告编辑器")
    if not _git(root, "config", "user.email", check=False):
        env.setdefault("GIT_AUTHOR_EMAIL", "workbench@localhost")
        env.setdefault("GIT_COMMITTER_EMAIL", "workbench@localhost")
    return env


def report_files(root: Path, docs: Path, agency: str, year: int) -> list[str]:
    """The report's own files, relative to ``root``: its data folder's files and its page."""
    data = root / "data" / agency / str(year)
    out = []
    if data.is_dir() and not data.is_symlink():
        for p in sorted(data.iterdir()):
            if p.is_file() and not p.is_symlink() and not p.name.startswith("."):
                out.append(p.relative_to(root).as_posix())
    page = docs / agency / f"{year}.md"
    if page.is_file() and not page.is_symlink() and page.resolve().is_relative_to(root.resolve()):
        out.append(page.relative_to(root).as_posix())
    return out


def message(root: Path, docs: Path, agency: str, year: int, parent: str | None) -> str:
    """The commit message: the report, then each changed number as ``make diff`` words it."""
    new = load_report(root, agency, year, docs)
    lines = [f"{new.name} {year}：更新报告（工作台提交）", ""]
    with tempfile.TemporaryDirectory(prefix="govreport-commit-") as tmp:
        old_root = Path(tmp)
        if parent and export_data(root, parent, old_root) and (old_root / "data" / agency / str(year) / "report.toml").is_file():
            old = load_report(old_root, agency, year)
            changes, notes = compare_reports(old, new)
            lines += [plain(c) + ("（自动计算）" if c.derived else "") for c in changes] + notes
            lines += [f"report.toml {m.what}: {m.old} → {m.new}" for m in meta_changes(old, new)]
        else:
            lines.append(f"新增报告 {agency}/{year}")
    return "\n".join(lines) + "\n"


def commit_report(root: Path, docs: Path, agency: str, year: int) -> Committed:
    """Commit the report's files on its branch; :class:`CommitError` when not a git checkout or nothing changed."""
    top = _git(root, "rev-parse", "--show-toplevel", check=False)
    if not top or Path(top).resolve() != root.resolve():
        raise CommitError("这个目录不是 Git 仓库的根目录，无法提交；保存的修改已经在文件中")
    branch = branch_name(agency, year)
    ref = f"refs/heads/{branch}"
    tip = _git(root, "rev-parse", "--verify", "-q", ref + "^{commit}", check=False) or None
    parent = tip or _git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}", check=False) or None
    files = report_files(root, docs, agency, year)
    page = (docs / agency / f"{year}.md").resolve().relative_to(root.resolve()).as_posix()
    prefixes = (f"data/{agency}/{year}/", page)
    with tempfile.TemporaryDirectory(prefix="govreport-index-") as tmp:
        env = dict(_identity(root), GIT_INDEX_FILE=str(Path(tmp) / "index"))
        if parent:
            _git(root, "read-tree", parent, env=env)
        # The report's files as they are in the work tree; its files deleted there, removed.
        listed = _git(root, "ls-files", "-z", "--", *prefixes, env=env).split("\0")
        for gone in [p for p in listed if p and p not in files]:
            _git(root, "update-index", "--force-remove", "--", gone, env=env)
        for rel in files:
            blob = _git(root, "hash-object", "-w", "--", rel)
            _git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}", env=env)
        tree = _git(root, "write-tree", env=env)
    if parent:
        changed = [p for p in _git(root, "diff-tree", "-r", "--name-only", parent, tree).splitlines() if p]
        if not changed:
            raise CommitError("报告的文件与上次提交相同，没有需要提交的改动")
        outside = [p for p in changed if not p.startswith(prefixes)]
        if outside:  # cannot happen (only the report's paths were staged): refuse rather than commit them
            raise CommitError("提交会包含报告之外的文件，已取消：" + "、".join(outside[:5]))
    else:
        changed = files
    text = message(root, docs, agency, year, parent)
    args = ["commit-tree", tree, *(["-p", parent] if parent else []), "-F", "-"]
    proc = subprocess.run(["git", *args], cwd=root, input=text, capture_output=True, text=True, env=_identity(root))
    if proc.returncode != 0:
        raise CommitError(f"git commit-tree 失败：{proc.stderr.strip()[:300]}")
    commit = proc.stdout.strip()
    _git(root, "update-ref", "-m", "govreport workbench", ref, commit, tip or "0" * 40)
    if _git(root, "symbolic-ref", "-q", "HEAD", check=False) == ref:
        # The writer has this branch checked out: its index follows for these files only.
        _git(root, "reset", "-q", "--", *changed)
    return Committed(branch, commit, text, changed)
