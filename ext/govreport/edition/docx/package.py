"""A saved .docx made reproducible: the same document gives the same bytes.

python-docx writes each zip entry with the clock's time, in the order it walks
the package. Here the entries are written again in a fixed order
(``[Content_Types].xml`` first, as Word writes it, then by name), each with the
one time given (``SOURCE_DATE_EPOCH`` in a reproducible build), the same
permissions and the same compression.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
import zipfile

FIRST = ("[Content_Types].xml", "_rels/.rels")


def build_time() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (the workflows set it to the commit time), else now; UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def reproducible(data: bytes, when: dt.datetime) -> bytes:
    """The zip ``data`` rewritten: fixed entry order, times, attributes and compression."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]  # a zip entry's time starts in 1980
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    order = [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the build machine
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()
