"""Waivers (``waivers.toml``): accepted findings, each with a written reason."""

from __future__ import annotations

import os
import tomllib

from ..findings import CATALOGUE, Finding
from ..model.report import Report, outside_repo
from .registry import WAIVERS, rule


@rule(order=WAIVERS, codes=("V701", "V702", "V703", "V704", "F009"), needs=("findings",))
def waivers(report: Report, findings: list[Finding]) -> list[Finding]:
    """The waivers, after every rule before them; ``waivers.toml`` is noted even when absent."""
    report.files.append(report.data_dir / "waivers.toml")
    return apply_waivers(report, findings)


def apply_waivers(report: Report, findings: list[Finding]) -> list[Finding]:
    """``findings`` with the report's waivers applied, and findings about the
    waivers themselves. The pipeline notes ``waivers.toml`` as read."""
    path = report.data_dir / "waivers.toml"
    if not path.is_file():
        return findings
    refused = outside_repo(report, path)  # never read a file outside data/
    if refused is not None:
        return [*findings, refused]
    rel = report.rel(path)
    try:
        source = path.read_text(encoding="utf-8-sig")
        raw = tomllib.loads(source)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [*findings, Finding.of("V703", rel, variant="parse", exc=exc)]
    entries = raw.get("waiver", [])
    out = list(findings)
    if not isinstance(entries, list) or not all(isinstance(w, dict) for w in entries):
        return [*out, Finding.of("V703", rel, variant="table", line=1)]
    text = source.splitlines()
    starts = [i + 1 for i, ln in enumerate(text) if ln.strip() == "[[waiver]]"]
    for n, w in enumerate(entries):
        line = starts[n] if n < len(starts) else None
        code = str(w.get("code", "")).strip().upper()
        if not code:
            out.append(Finding.of("V703", rel, variant="code", line=line))
            continue
        if code not in CATALOGUE:
            out.append(Finding.of("V703", rel, variant="unknown", entry=code, line=line))
            continue
        if not CATALOGUE[code].waivable:
            out.append(Finding.of("V704", rel, entry=code, title=CATALOGUE[code].title, line=line))
            continue
        if "line" in w and not isinstance(w["line"], int):
            out.append(Finding.of("V703", rel, variant="line", written=w['line'], line=line))
            continue
        reason = str(w.get("reason", "")).strip()
        if not reason:
            out.append(Finding.of("V701", rel, entry=code, line=line))
            continue
        hit = False
        for i, f in enumerate(out):
            if f.code != code or f.waived is not None:
                continue
            if "file" in w and os.path.basename(f.path) != w["file"]:
                continue
            if "line" in w and f.line != w["line"]:
                continue
            if "column" in w and f.column != w["column"]:
                continue
            out[i] = f.waive(reason)
            hit = True
        if not hit:
            out.append(Finding.of("V702", rel, entry=code, line=line))
    return out
