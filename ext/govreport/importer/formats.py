"""What the other format versions' specs say about a table: the labels that mark a source as written in
another version (``specs/gov*.yaml``), read from the specs, never listed here."""

from __future__ import annotations

import functools

from ..format.labels import normalise_label
from ..format.spec import TableSpec, load_spec, versions


def _own(t: TableSpec) -> set[str]:
    """Every label of the table's form: rows, columns, block titles, stub and header texts."""
    out = {normalise_label(r.label) for r in t.rows.values()}
    out |= {normalise_label(c.label) for c in t.columns.values()}
    out |= {normalise_label(x) for x in (*t.titles, t.stub)}
    out |= {normalise_label(c.text) for row in t.grid for c in row if c.kind in ("h", "s") and c.text}
    return out


@functools.cache
def _foreign(version: str, tid: str) -> tuple[tuple[str, str], ...]:
    spec = load_spec(version)
    own = _own(spec.tables[tid])
    out: dict[str, str] = {}
    for v in versions():
        other = load_spec(v).tables.get(tid) if v != version else None
        if other is None:
            continue
        for label in sorted(_own(other) - own):
            out.setdefault(label, v)
    return tuple(out.items())


def foreign_labels(version: str, t: TableSpec) -> dict[str, str]:
    """Normalised labels of this table in another format version that this version does not have,
    each with that version (2019 表二's column ``made`` in a 2021 table; 2021's ``issued`` in a 2019 one)."""
    found = dict(_foreign(version, t.id)) if version in versions() else {}
    # The spec's own ``legacy`` list names labels of an older format (the oldest shipped one): for a spec read from elsewhere.
    older = versions()[0] if versions() and versions()[0] != version else "older"
    return {normalise_label(x): older for x in t.legacy if normalise_label(x) not in _own(t)} | found


def legacy_row_labels(t: TableSpec) -> frozenset[str]:
    """Normalised labels of the older rows this version split (``legacy_rows``: 2019's t3 row ``other``)."""
    return frozenset(normalise_label(lr.label) for lr in t.legacy_rows)


def split_rows(t: TableSpec, version: str) -> dict[str, tuple[str, ...]]:
    """Rows of ``t`` that format ``version`` splits into others: row id -> the labels of its parts."""
    other = load_spec(version).tables.get(t.id)
    if other is None:
        return {}
    by_label = {normalise_label(r.label): r.id for r in t.rows.values()}
    return {by_label[normalise_label(lr.label)]: tuple(other.rows[x].label for x in lr.into)
            for lr in other.legacy_rows if normalise_label(lr.label) in by_label}


def layout_note(version: str) -> str:
    """``2019 年格式（<the spec's name>）``: the format version and the spec's ``name``."""
    try:
        return f"{version} 年格式（{load_spec(version).name}）"
    except KeyError:
        return "较早的格式"


def version_with_row(tid: str, label: str, besides: str) -> str:
    """The format version (other than ``besides``) in which ``label`` is a row of table ``tid``; "" if none."""
    want = normalise_label(label)
    for v in reversed(versions()):
        t = load_spec(v).tables.get(tid) if v != besides else None
        if t is not None and any(normalise_label(r.label) == want for r in t.rows.values()):
            return v
    return ""
