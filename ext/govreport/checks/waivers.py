"""Waivers (``waivers.toml``): accepted findings, each with a written reason."""

from __future__ import annotations

import os
import tomllib

from ..findings import CATALOGUE, Finding
from ..report import Report, outside_repo


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
        return [*findings, Finding.make("V703", f"waivers.toml 无法解析：{exc}", rel)]
    entries = raw.get("waiver", [])
    out = list(findings)
    if not isinstance(entries, list) or not all(isinstance(w, dict) for w in entries):
        return [*out, Finding.make("V703", "每条豁免要写成一个 [[waiver]] 段（两层方括号），段里写 code = \"…\" 和 reason = \"…\"", rel, line=1)]
    text = source.splitlines()
    starts = [i + 1 for i, ln in enumerate(text) if ln.strip() == "[[waiver]]"]
    for n, w in enumerate(entries):
        line = starts[n] if n < len(starts) else None
        code = str(w.get("code", "")).strip().upper()
        if not code:
            out.append(Finding.make("V703", "豁免条目缺少 code", rel, line=line))
            continue
        if code not in CATALOGUE:
            out.append(Finding.make("V703", f"豁免条目的 code “{code}”不是检查结果代码（见网站“检查结果代码”页）", rel, line=line))
            continue
        if not CATALOGUE[code].waivable:
            out.append(Finding.make("V704", f"{code}（{CATALOGUE[code].title}）必须改正，不能豁免", rel, line=line))
            continue
        if "line" in w and not isinstance(w["line"], int):
            out.append(Finding.make("V703", f"line 要写数字，不加引号：line = {w['line']}", rel, line=line))
            continue
        reason = str(w.get("reason", "")).strip()
        if not reason:
            out.append(Finding.make("V701", f"对 {code} 的豁免没有写理由（reason）", rel, line=line))
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
            out.append(Finding.make("V702", f"对 {code} 的豁免没有匹配到任何检查结果", rel, line=line))
    return out
