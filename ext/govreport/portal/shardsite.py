"""Sharded publishing (issue 22): ``make site SHARD=k/N`` and ``make site-assemble``.

A shard job checks the reports of its agencies (``shards.py``: stable by a hash
of the agency's slug) and typesets the PDFs of those that pass: the expensive
part, about nine tenths of a district's ``make site``. It hands over
``_build/shards/shard-k/``: ``shard.json`` (its reports, published, withheld)
and ``pdf/``.

The assemble job checks every report again (the same plan as ``make site``),
refuses shards that are missing, duplicated or disagree with it, then runs the
very steps of ``make site`` (``publish.build_html`` and ``publish.assemble``:
pages, agency pages, index, status board, search, per-report and combined
open data) with the shards' PDFs in place of its own. Given the same
``SOURCE_DATE_EPOCH``, the assembled site is byte for byte the one-job site
(tests/test_publish_shards.py).

    python -m govreport.portal.shardsite shard K/N [-j J] [--strict]
    python -m govreport.portal.shardsite assemble [-j J] [--strict]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..checks.checkrun import find_root
from ..model.report import discover
from .portalmeta import portal_settings
from .publish import OUT, Plan, assemble, build_docx, build_html, build_pdfs, plan, report_withheld
from .shards import Shard, parse, shard_of

SHARDS = Path("_build") / "shards"  # what shard jobs hand over (the workflow's artifacts)
MANIFEST = "shard.json"


@dataclass
class Handed:
    """One shard's hand-over, as read back by the assemble job."""

    folder: Path
    shard: Shard
    reports: list[str]
    published: list[str]


def build_shard(root: Path, shard: Shard, jobs: int = 2, strict: bool | None = None) -> int:
    """Check shard ``shard``'s reports and typeset those that pass into ``_build/shards/shard-k``."""
    strict = portal_settings(root).publish == "strict" if strict is None else strict
    agencies = sorted({a for a, _ in discover(root) if shard.has(a)})
    p = plan(root, jobs, agencies)
    if report_withheld(p, strict):
        return 1
    out = root / SHARDS / shard.name
    shutil.rmtree(out, ignore_errors=True)
    (out / "pdf").mkdir(parents=True)
    if p.published:
        pdf_dir = build_pdfs(root, p.published, jobs, work=root / OUT / shard.name, shard=str(shard))
        if pdf_dir is None:
            return 1
        for key in p.published:
            name = f"{key.replace('/', '-')}.pdf"
            if not (pdf_dir / name).is_file():
                print(f"分片 {shard}：报告 {key} 通过了检查，但没有生成 PDF", file=sys.stderr)
                return 1
            shutil.copyfile(pdf_dir / name, out / "pdf" / name)
    reports = sorted([*p.published, *p.withheld])
    doc = {"shard": shard.index, "count": shard.count, "reports": reports, "published": sorted(p.published)}
    (out / MANIFEST).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"分片 {shard}：{len(agencies)} 个单位，{len(reports)} 份报告，{len(p.published)} 份的 PDF 在 {out / 'pdf'}；"
          f"暂缓发布 {len(p.withheld)} 份")
    return 0


def handed_over(root: Path) -> tuple[list[Handed], list[str]]:
    """The shards found under ``_build/shards``, and what is wrong with them."""
    found, problems = [], []
    for path in sorted((root / SHARDS).glob(f"*/{MANIFEST}")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            shard = Shard(int(doc["shard"]), int(doc["count"]))
            found.append(Handed(path.parent, shard, [str(k) for k in doc["reports"]], [str(k) for k in doc["published"]]))
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path.relative_to(root)} 读不懂（{exc}）：重新运行这个分片")
    return found, problems


def agree(p: Plan, shards: list[Handed], every: list[str]) -> list[str]:
    """What keeps the shards from making the site ``p`` describes (empty: they do)."""
    if not shards:
        return [f"{SHARDS} 中没有分片：先运行 make site SHARD=k/N（k = 1…N）"]
    out = []
    counts = sorted({h.shard.count for h in shards})
    if len(counts) > 1:
        out.append(f"分片的总数不一致（{'、'.join(map(str, counts))}）：都用同一个 N 重新运行")
    n = counts[-1]
    have = sorted(h.shard.index for h in shards)
    missing = [k for k in range(1, n + 1) if k not in have]
    if missing:
        out.append(f"缺少分片 {'、'.join(f'{k}/{n}' for k in missing)}")
    if len(have) != len(set(have)):
        out.append("有重复的分片")
    published = set(p.published)
    for h in shards:
        wrong = [k for k in h.reports if shard_of(k.split("/")[0], h.shard.count) != h.shard.index]
        if wrong:
            out.append(f"分片 {h.shard} 含有不属于它的报告：{'、'.join(wrong)}")
        mine = [k for k in every if shard_of(k.split("/")[0], h.shard.count) == h.shard.index]
        if sorted(h.reports) != sorted(mine):
            out.append(f"分片 {h.shard} 的报告与仓库不一致（数据在分片之后改动过？）：重新运行这个分片")
        elif sorted(h.published) != sorted(k for k in mine if k in published):
            out.append(f"分片 {h.shard} 的检查结果与汇总时的检查结果不一致：重新运行这个分片")
    return out


def assemble_site(root: Path, jobs: int = 2, strict: bool | None = None) -> int:
    """Check again, verify the shards, build the site-wide HTML and lay out ``_build/site``."""
    strict = portal_settings(root).publish == "strict" if strict is None else strict
    p = plan(root, jobs)
    if report_withheld(p, strict):
        return 1
    shards, problems = handed_over(root)
    problems += agree(p, shards, [f"{a}/{y}" for a, y in discover(root)])
    for line in problems:
        print(f"{SHARDS}: 错误 {line}", file=sys.stderr)
    if problems:
        return 1
    html = build_html(root, jobs)
    if html is None:
        return 1
    docx = build_docx(root, jobs)  # the Word edition is cheap (about 0.2 s a report): built here, not per shard
    if docx is None:
        return 1
    return assemble(root, p, html, [h.folder / "pdf" for h in sorted(shards, key=lambda h: h.shard.index)], docx)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govreport.portal.shardsite", description="分片发布：各分片排版 PDF，汇总生成网站")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("shard", help="检查并排版一个分片（按单位划分）的报告：_build/shards/shard-k")
    s.add_argument("shard", help="k/N，例如 2/4")
    a = sub.add_parser("assemble", help="合并各分片，生成整个网站 _build/site")
    for q in (s, a):
        q.add_argument("-j", "--jobs", type=int, default=2)
        q.add_argument("--strict", action="store_true", help="任何报告有错误，整个网站都不发布")
    args = ap.parse_args(argv)
    root = find_root()
    strict = True if args.strict else None
    if args.cmd == "shard":
        try:
            shard = parse(args.shard)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        return build_shard(root, shard, args.jobs, strict)
    return assemble_site(root, args.jobs, strict)


if __name__ == "__main__":
    sys.exit(main())
