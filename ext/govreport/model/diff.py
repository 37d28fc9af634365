"""``make diff BASE=<rev>``: every number that changed since a git revision.

The base revision's ``data/`` is read straight from git (``git archive``) into
a temporary folder with the same layout, and both sides are loaded with the
project's own loader (:func:`govreport.model.report.load_report`), so a changed label
spelling or a reordered CSV row is no change, while every changed number is
one. The result is a Markdown table for reviewers: 报告、表、行、列、原值 → 新值,
plus the reports added or removed.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..format.spec import TableSpec, occupancy
from .csvload import Key, TableData
from .report import Report, discover, load_report

_NUMBERED = re.compile(r"^\d+\.")


class GitError(RuntimeError):
    """``git`` failed: an unknown revision, or not a repository."""


@dataclass(frozen=True)
class Change:
    """One cell whose value differs between base and working tree."""

    report: str  # agency/year
    name: str  # agency name as in the title
    year: int
    table: str  # 表三
    row: str  # the row's label, with its group where the label alone is ambiguous
    column: str
    old: str
    new: str
    path: str  # repository-relative CSV path (working tree side, else base side)
    line: int | None = None
    derived: bool = False  # computed by the build on both sides, not typed


@dataclass(frozen=True)
class Meta:
    """A changed field of ``report.toml`` (agency name, format, publication date)."""

    report: str
    what: str
    old: str
    new: str


@dataclass
class DataDiff:
    base: str  # the revision as given
    base_commit: str  # its full commit id
    has_data: bool  # whether the base revision has a data/ folder at all
    added: list[Report] = field(default_factory=list)
    removed: list[Report] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    meta: list[Meta] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # whole tables added or removed

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changes or self.meta or self.notes)


# ---------------------------------------------------------------------- git


def _git(root: Path, *args: str) -> bytes:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args)} 失败：{msg}")
    return proc.stdout


def resolve(root: Path, rev: str) -> str:
    """The full commit id of ``rev``; :class:`GitError` when it is unknown."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"找不到 git 版本“{rev}”（在浅克隆中需要 fetch-depth: 0）") from None


def export_data(root: Path, commit: str, dest: Path) -> bool:
    """Write ``data/`` as it is at ``commit`` under ``dest`` (same layout).

    Returns False when that revision has no ``data/`` folder.
    """
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    tree = f"{prefix}data"
    if not _git(root, "ls-tree", "-d", "--name-only", commit, "--", tree).strip():
        return False
    blob = _git(root, "archive", "--format=tar", commit, "--", tree)
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter=_inside_only)
        else:  # Python < 3.11.4 (Debian 12's 3.11.2): git's own archive, regular files only
            for member in tar.getmembers():
                target = (dest / member.name).resolve()
                if member.isfile() and target.is_relative_to(dest.resolve()):
                    tar.extract(member, dest)
    if prefix:  # a project inside a bigger repository: move data/ up
        (dest / tree).rename(dest / "data")
    return True


def _inside_only(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, but a link leaving data/ (or absolute) is skipped,
    not an error: the base revision's symlinks are refused like the working tree's."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


# ------------------------------------------------------------------ compare


def row_names(spec: TableSpec) -> dict[str, str]:
    """A readable name per row: the label, preceded by its group when the label
    is a numbered item (t3's deny_1 gets the text of the stub cell over deny_1 … deny_8
    before its label)."""
    names = {rid: r.label for rid, r in spec.rows.items()}
    covering: list[tuple[int, int, str]] = []  # (first grid row, last grid row, stub text)
    for placed in occupancy(spec):
        for r, _, cell in placed:
            if cell.kind == "s":
                covering.append((r, r + cell.rs - 1, cell.text))
        for r, _, cell in placed:
            if cell.kind != "d" or cell.key is None:
                continue
            rid = cell.key[0]
            label = spec.rows[rid].label
            if not _NUMBERED.match(label):
                continue
            groups = [t for a, b, t in covering if a <= r <= b and t != label]
            if groups:
                names[rid] = f"{groups[-1]} {label}"
    return names


def _fmt(v: int | Decimal) -> str:
    return str(v) if isinstance(v, int) else format(v, "f")


def shown(data: TableData, key: Key) -> str:
    """How a cell reads in the diff: the number, the text when unreadable."""
    value = data.values.get(key)
    if value is not None:
        return _fmt(value)
    if key in data.raw:
        return f"“{data.raw[key]}”" if data.raw[key] else "（空）"
    return "（无）"


def _same(a: TableData, b: TableData, key: Key) -> bool:
    va, vb = a.values.get(key), b.values.get(key)
    if va is not None and vb is not None:
        return va == vb  # 1.0 and 1.00 are the same number
    return shown(a, key) == shown(b, key)


def compare_reports(old: Report, new: Report) -> tuple[list[Change], list[str]]:
    """Every changed cell of every table of one report, in table and CSV order."""
    changes: list[Change] = []
    notes: list[str] = []
    spec = new.spec
    for t in spec.tables.values():
        before, after = old.tables.get(t.id), new.tables.get(t.id)
        was = before is not None and before.loaded
        now = after is not None and after.loaded
        if not was and not now:
            continue
        if was != now:
            verb = "新增" if now else "删除"
            notes.append(f"{new.name} {new.year}：{verb}了{t.title}（{t.file}）")
            continue
        assert before is not None and after is not None
        names = row_names(t)
        for key in t.keys():
            if _same(before, after, key):
                continue
            rid, cid = key
            line = after.where(rid, cid)[0] or before.where(rid, cid)[0]
            changes.append(Change(
                report=new.key, name=new.name, year=new.year, table=t.title, row=names[rid],
                column=t.columns[cid].label, old=shown(before, key), new=shown(after, key),
                path=after.path, line=line, derived=key in before.derived and key in after.derived,
            ))
    return changes, notes


def _meta(old: Report, new: Report) -> list[Meta]:
    out = []
    for what, a, b in [
        ("机构名称", old.name, new.name),
        ("发文机关", old.full_name, new.full_name),
        ("格式版本", old.format, new.format),
        ("发布日期", str(old.published or "（未填）"), str(new.published or "（未填）")),
    ]:
        if a != b:
            out.append(Meta(new.key, what, a, b))
    return out


def meta_changes(old: Report, new: Report) -> list[Meta]:
    """The changed fields of one report's ``report.toml`` (the workbench's commit message lists them too)."""
    return _meta(old, new)


def data_diff(root: Path, base: str) -> DataDiff:
    """Compare ``data/`` at revision ``base`` with the working tree under ``root``."""
    commit = resolve(root, base)
    now = {k: load_report(root, *k) for k in discover(root)}
    with tempfile.TemporaryDirectory(prefix="govreport-diff-") as tmp:
        old_root = Path(tmp)
        has_data = export_data(root, commit, old_root)
        before = {k: load_report(old_root, *k) for k in discover(old_root)}
    result = DataDiff(base=base, base_commit=commit, has_data=has_data)
    for k in sorted(now.keys() | before.keys()):
        if k not in before:
            result.added.append(now[k])
        elif k not in now:
            result.removed.append(before[k])
        else:
            changes, notes = compare_reports(before[k], now[k])
            result.changes += changes
            result.notes += notes
            result.meta += _meta(before[k], now[k])
    return result


# ----------------------------------------------------------------- Markdown


def _cell(text: str) -> str:
    """Table-cell text: no pipes, no line breaks."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown(d: DataDiff) -> str:
    """The diff as Markdown: a heading, a summary line, tables and lists."""
    short = d.base_commit[:10]
    if d.base_commit.startswith(d.base):  # a commit id: shortened
        label = d.base[:10] if len(d.base) > 10 else d.base
    else:
        label = f"{d.base}（{short}）"
    out = [f"## 数据变更：与 `{label}` 相比", ""]
    if d.empty:
        out += ["数据没有变化。", ""]
        return "\n".join(out)
    typed = [c for c in d.changes if not c.derived]
    parts = []
    if d.changes:
        reports = len({c.report for c in d.changes})
        derived = len(d.changes) - len(typed)
        extra = f"（另有 {derived} 个自动计算的合计随之变化）" if derived else ""
        parts.append(f"{reports} 份报告中 {len(typed)} 个数字有变化{extra}")
    if d.added:
        parts.append(f"新增 {len(d.added)} 份报告")
    if d.removed:
        parts.append(f"删除 {len(d.removed)} 份报告")
    if not d.has_data:
        parts.append("基准版本中还没有 data/ 目录")
    out += ["；".join(parts) + "。", ""]
    if d.changes:
        out += ["| 报告 | 表 | 行 | 列 | 原值 → 新值 |", "|---|---|---|---|---|"]
        for c in d.changes:
            where = f"{c.name} {c.year}"
            value = f"{_cell(c.old)} → **{_cell(c.new)}**"
            column = _cell(c.column) + ("（自动计算）" if c.derived else "")
            out.append(f"| {_cell(where)} | {c.table} | {_cell(c.row)} | {column} | {value} |")
        out.append("")
    if d.meta:
        out += ["| 报告 | report.toml | 原值 → 新值 |", "|---|---|---|"]
        for m in d.meta:
            out.append(f"| {m.report} | {m.what} | {_cell(m.old)} → **{_cell(m.new)}** |")
        out.append("")
    for note in d.notes:
        out.append(f"- {note}")
    for r in d.added:
        out.append(f"- 新增报告 `{r.key}`：{r.title}")
    for r in d.removed:
        out.append(f"- 删除报告 `{r.key}`：{r.title}")
    if d.notes or d.added or d.removed:
        out.append("")
    return "\n".join(out)


def plain(c: Change) -> str:
    """One change as a line: ``<table title> <column label> <row name>: 12 → 15``."""
    return f"{c.table} {c.column} {c.row}: {c.old} → {c.new}"
