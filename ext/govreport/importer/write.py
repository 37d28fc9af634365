"""Write an import: ``report.toml``, the three CSVs, the page and ``import-notes.md``.

An import never pretends: when a table or a section was not found, nothing is
written unless the caller forces it, and then the notes say the import is partial.
"""

from __future__ import annotations

from pathlib import Path

from ..format.spec import load_spec, spec_for_year
from ..model.atomic import leftovers, write_all
from ..model.csvwrite import table_csv
from ..model.report import TITLE_SUFFIX
from ..model.scaffold import AlreadyExists, check_names, check_text, report_toml
from .detect import read_file
from .model import Imported, Note, Parsed, Problem
from .notes import NOTES_FILE
from .readers import FORMS
from .render import render_page


class Incomplete(ValueError):
    """Tables or sections were not found; nothing was written."""

    def __init__(self, source: Path, parsed: Parsed) -> None:
        self.source, self.parsed = source, parsed
        super().__init__(describe_problems(source, parsed) + "\n未写入任何文件。确认要导入读到的部分，请加 FORCE=1（--force），导入说明中会注明是部分导入。")


def describe_problems(source: Path, parsed: Parsed) -> str:
    """Which tables and sections are missing, where the file was looked at, which form it was read as."""
    head = f"{source.name} 读作{FORMS.get(parsed.form, parsed.form)}，以下内容没有找到" + ("或不能导入：" if any(p.other_format or p.cut for p in parsed.problems) else "：")
    return "\n".join([head, *(f"  {_at(source, p)}{p.what}：{p.seen}" if p.other_format or p.cut else f"  {_at(source, p)}{p.what}：没有找到（{p.seen}）"
                              for p in parsed.problems)])


def _at(source: Path, p: Problem | Note) -> str:
    if not p.line:
        return ""
    return f"{source.name}:{p.line}:{p.col}: " if p.col else f"{source.name}:{p.line}: "


def notes_markdown(source: Path, parsed: Parsed, notes: list[Note], name: str, year: int) -> str:
    """``import-notes.md``: every corrected label, refused row and unreadable cell with its source position."""
    out = [f"# 导入说明：{name} {year} 年度", "",
           f"由 `{source.name}` 导入，读作{FORMS.get(parsed.form, parsed.form)}。"
           "请对照原文逐条核对，核对完毕后删除本文件（它存在时 `make check` 给出 X810 提醒）。", ""]
    if parsed.problems:
        out += ["## 部分导入：以下内容没有找到", ""]
        out += [f"- `{_at(source, p).rstrip(': ') or source.name}` {p.what}：{p.seen}" for p in parsed.problems]
        out.append("")
    out += ["## 逐条说明", ""]
    out += [f"- `{_at(source, n).rstrip(': ') or source.name}` {n.message}" for n in notes] or ["- （没有）"]
    return "\n".join(out) + "\n"


def _title_name(found: str | None, given: bool) -> str | None:
    """The agency name read from the source's title, when it is one ``make new`` would accept.

    The title comes from the published page, so it may hold control characters or be
    absurdly long: never written. Without NAME that stops the import; with NAME it is
    simply not used (nor echoed into the notes).
    """
    if found is None:
        return None
    try:
        check_text(found, "原文标题中的机构名称")
    except ValueError as exc:
        if given:
            return None
        raise ValueError(f"{exc}，未使用；请用 NAME=…（--name）指定机构名称") from None
    return found


def import_report(
    root: Path,
    source: Path,
    agency: str,
    year: int,
    name: str | None = None,
    full_name: str | None = None,
    force: bool = False,
) -> Imported:
    """Import ``source`` as ``data/<agency>/<year>/`` and ``docs/<agency>/<year>.md``.

    Raises ``Incomplete`` (nothing written) when a table or section was not
    found, unless ``force``; ``AlreadyExists`` when files exist, unless ``force``.
    """
    check_names(agency, year)
    if name:  # issue 17's rule for make new holds for make import too: report.toml and the H1 stay one line
        check_text(name, "NAME")
    if full_name:
        check_text(full_name, "FULL_NAME")
    spec = spec_for_year(year)
    data_dir = root / "data" / agency / str(year)
    page = root / "docs" / agency / f"{year}.md"
    targets = [data_dir / "report.toml", *(data_dir / t.file for t in spec.tables.values()), page]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise AlreadyExists("以下文件已存在，未做任何修改（要覆盖请加 --force）：\n" + "\n".join(f"  {p.relative_to(root)}" for p in existing))
    cleaned = leftovers([*targets, data_dir / NOTES_FILE])  # an interrupted import's temporary files (issue 26)
    parsed = read_file(source, year, force=force)  # force: also beyond the size limit of an import file
    spec = load_spec(parsed.version) if parsed.version else spec  # a 2020 source in the 2021 grid stays in it
    if parsed.problems and not force:
        raise Incomplete(source, parsed)
    notes = [*(Note(None, c) for c in cleaned), *parsed.notes]
    if parsed.title_year is not None and parsed.title_year != year:
        notes.insert(0, Note(None, f"原文标题是 {parsed.title_year} 年的报告，导入为 {year} 年"))
    title_name = _title_name(parsed.name, given=bool(name))
    name = name or title_name
    if not name:
        raise ValueError("原文标题中找不到机构名称，请用 --name 指定，例如 --name 沙坡头区香山乡")
    if title_name and title_name != name:
        notes.insert(0, Note(None, f"原文标题中的机构名称是“{parsed.name}”，按 --name 使用“{name}”"))
    if parsed.problems:
        notes.insert(0, Note(None, "部分导入：" + "；".join(f"{p.what}{'是另一格式，未导入' if p.other_format else '被截去' if p.cut else '没有找到'}" for p in parsed.problems)))
    files = {data_dir / "report.toml": report_toml(name, full_name or name, year, spec, f"由 {source.name} 导入", imported_from=source.name)}
    for t in spec.tables.values():
        files[data_dir / t.file] = table_csv(t, parsed.values.get(t.id, {}))
    files[page] = render_page(parsed, f"{name}{year}{TITLE_SUFFIX}", spec)
    notes_path = data_dir / NOTES_FILE
    if notes or parsed.problems:
        files[notes_path] = notes_markdown(source, parsed, notes, name, year)
        targets.append(notes_path)
    write_all(files)  # all files or none: a full disk leaves nothing behind
    if not (notes or parsed.problems) and notes_path.exists():  # a re-import with nothing to say: the old notes no longer hold
        notes_path.unlink()
    return Imported(targets, notes, parsed)
