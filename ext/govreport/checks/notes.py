"""The notes of an import, kept beside its CSVs until a reviewer has gone through them.

Here, not in the importer: the checks must not import the importer package
(its modules cost ~20 ms per process and it sits above the checks).
"""

from __future__ import annotations

from ..findings import Finding
from ..model.report import Report, outside_repo
from .registry import rule

#: Written by ``importer.write.import_report`` into ``data/<agency>/<year>/``.
NOTES_FILE = "import-notes.md"


@rule(order=600, codes=("X810", "F009"))
def import_notes(report: Report) -> list[Finding]:
    """X810 while the import's notes wait for review; the notes file is noted even when absent."""
    report.files.append(report.data_dir / NOTES_FILE)
    return check_import_notes(report)


def check_import_notes(report: Report) -> list[Finding]:
    """X810 while ``import-notes.md`` exists (the pipeline notes it as read even
    when absent, so deleting it re-checks); F009 when it links out of ``data/``,
    and then it is never read."""
    path = report.data_dir / NOTES_FILE
    refused = outside_repo(report, path)
    if refused is not None:
        return [refused]
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    items = sum(1 for line in text.splitlines() if line.startswith("- `"))
    partial = "partial" if "## 部分导入" in text else None
    return [Finding.of("X810", report.rel(path), variant=partial, notes=NOTES_FILE, items=items, line=1)]
