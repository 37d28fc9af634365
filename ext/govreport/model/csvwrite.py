"""Write a mandated table as the CSV a civil servant edits (the form's own layout).

Every CSV written starts with a UTF-8 byte order mark: Excel on Chinese Windows
reads UTF-8 without one as GBK and shows the labels garbled. The loader
(``csvload``) reads files with and without it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..format.spec import TableSpec
from .csvload import Number

#: The UTF-8 byte order mark, as text and as bytes.
BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")


def with_bom(data: bytes) -> bytes:
    """A CSV file's bytes with the BOM (added only when missing; UTF-8 files only)."""
    if data.startswith(BOM_BYTES):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data  # GB18030 and the like: a BOM would make it neither
    return BOM_BYTES + data


def _fmt(v: Number | None) -> str:
    return "" if v is None else format(v, "f") if not isinstance(v, int) else str(v)


def table_csv(spec: TableSpec, values: dict[tuple[str, str], Number | None]) -> str:
    """The CSV text of a table, BOM first: header rows and block titles as in the form.

    Cells absent from ``values`` are written blank, so the checks catch them.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    header: tuple[str, ...] | None = None
    width = 1 + max(len(r.cols) for r in spec.rows.values())
    for row in spec.rows.values():
        if row.title:
            w.writerow([row.title] + [""] * (width - 1))
        if row.cols != header or row.title:
            cols = [spec.columns[c].label for c in row.cols]
            w.writerow([spec.stub, *cols] + [""] * (width - 1 - len(cols)))
            header = row.cols
        cells = [_fmt(values.get((row.id, c))) for c in row.cols]
        w.writerow([row.label, *cells] + [""] * (width - 1 - len(cells)))
    return BOM + buf.getvalue()


def write_table(path: Path, spec: TableSpec, values: dict[tuple[str, str], Number | None]) -> None:
    path.write_text(table_csv(spec, values), encoding="utf-8")
