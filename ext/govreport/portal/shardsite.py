"""Sharded publishing (issue 22): ``make site SHARD=k/N`` and ``make site-assemble``.

A shard job checks the reports of its agencies (``shards.py``: stable by a hash
of the agency's slug) and builds everything of them: their pages, agency pages
and roll-ups' members pages (``sphinxext/shard.py``: the site-wide pages are
left out), their open data and search records, their Word files and the PDFs
of those that pass. It hands over ``_build/shards/shard-k/``: ``shard.json``
(its reports, published, withheld), ``html/``, ``search/``, ``docx/`` and
``pdf/``. No job holds the whole site: a shard's Sphinx builds read a shard's
pages.

The assemble job checks every report again (the same plan as ``make site``),
refuses shards that are missing, duplicated or disagree with it, puts the
shards' pages and search records in place and builds the site-wide pages
around them (``govreport_shard = "site"``: the index, year, comparison, status,
agency and province pages, the search index from every page's record, the
stylesheet trimmed to every page, the combined open data), then lays out and
verifies ``_build/site`` as ``make site`` does (``publish.assemble``). Given
the same ``SOURCE_DATE_EPOCH``, the assembled site is byte for byte the one-job
site (tests/test_publish_shards.py).

    python -m govreport.portal.shardsite shard K/N [-j J] [--strict]
    python -m govreport.portal.shardsite assemble [-j J] [--strict]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..checks.checkrun import find_root
from ..model.report import discover
from .portalmeta import portal_settings
from .publish import OUT, Plan, assemble, build_pdfs, plan, report_withheld, run_sphinx
from .shards import PAGES, Shard, parse, shard_of

SHARDS = Path("_build") / "shards"  # what shard jobs hand over (the workflow's artifacts)
MANIFEST = "shard.json"
#: The site-wide build of ``make site-assemble``: its own output and doctrees (the one-job
#: build's stay as they are).
SITE_PART = OUT / "site-part"
#: What a shard's HTML build writes that is the whole site's, not its pages': the top of the output
#: (the index and search pages Sphinx always writes, its bookkeeping), the theme's files, the search index.
_SITE_WIDE_DIRS = ("_static", "_search")


@dataclass
class Handed:
    """One shard's hand-over, as read back by the assemble job."""

    folder: Path
    shard: Shard
    reports: list[str]
    published: list[str]
    drafts: dict[str, str] = field(default_factory=dict)  # its report pages that are drafts -> why (PAGES)


def _hand_over_html(html: Path, records: Path, out: Path) -> None:
    """The shard's pages (without what the site-wide build writes) and their search records, into ``out``.

    ``html`` holds only what this build wrote (emptied before it); the records folder keeps those of
    pages earlier builds had (a report withheld since, an agency moved to another shard): only the
    records of the pages this build has are handed over."""
    pages = json.loads((html / PAGES).read_text(encoding="utf-8"))["pages"]
    for path in sorted(html.rglob("*")):
        rel = path.relative_to(html)
        if path.is_dir() or len(rel.parts) == 1 or rel.parts[0] in _SITE_WIDE_DIRS or rel.parts[0].startswith("."):
            continue
        dest = out / "html" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    shutil.copyfile(html / PAGES, out / PAGES)
    for doc in pages:
        record = records / f"{doc}.json"
        if record.is_file():  # a report page's (the others have none)
            dest = out / "search" / f"{doc}.json"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(record, dest)


def _drop_other_counts(root: Path, shard: Shard) -> None:
    """Hand-overs of shards of another N than ``shard``'s: none can be part of its site (the assembly
    refuses a mix), and after a change of N the folders of the old shards beyond the new N stayed."""
    for path in sorted((root / SHARDS).glob(f"*/{MANIFEST}")):
        try:
            count = int(json.loads(path.read_text(encoding="utf-8"))["count"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # unreadable: the assembly says so (handed_over); nothing is deleted on a guess
        if count != shard.count:
            shutil.rmtree(path.parent)
            print(f"已删除 {path.parent.relative_to(root)}：它是分成 {count} 片时的分片，现在分成 {shard.count} 片")


def build_shard(root: Path, shard: Shard, jobs: int = 2, strict: bool | None = None, pdf: bool = True) -> int:
    """Check shard ``shard``'s reports and build their pages, Word files and PDFs into ``_build/shards/shard-k``."""
    strict = portal_settings(root).publish == "strict" if strict is None else strict
    agencies = sorted({a for a, _ in discover(root) if shard.has(a)})
    p = plan(root, jobs, agencies)
    if report_withheld(p, strict):
        return 1
    out, work = root / SHARDS / shard.name, root / OUT / shard.name
    _drop_other_counts(root, shard)
    shutil.rmtree(out, ignore_errors=True)
    (out / "pdf").mkdir(parents=True)
    # Emptied first: Sphinx leaves the pages of earlier builds (an agency now in another shard, a report
    # withheld since), and everything here is handed over. The doctrees stay: pages are read again only
    # when changed, and written again (quick) because they are not there.
    shutil.rmtree(work / "html", ignore_errors=True)
    for builder, failed in (("html", "网页版构建失败"), ("docx", "Word 版生成失败")):
        if run_sphinx(root, builder, work / builder, jobs, work / "doctrees" / builder, str(shard)) != 0:
            print(f"分片 {shard}：{failed}", file=sys.stderr)
            return 1
    _hand_over_html(work / "html", work / "doctrees" / "html" / "govreport-search" / "html", out)
    if pdf and p.published:
        pdf_dir = build_pdfs(root, p.published, jobs, work=work, shard=str(shard))
        if pdf_dir is None:
            return 1
        for key in p.published:
            name = f"{key.replace('/', '-')}.pdf"
            if not (pdf_dir / name).is_file():
                print(f"分片 {shard}：报告 {key} 通过了检查，但没有生成 PDF", file=sys.stderr)
                return 1
            shutil.copyfile(pdf_dir / name, out / "pdf" / name)
    (out / "docx").mkdir()
    for key in p.published:
        name = f"{key.replace('/', '-')}.docx"
        if (work / "docx" / name).is_file():
            shutil.copyfile(work / "docx" / name, out / "docx" / name)
    reports = sorted([*p.published, *p.withheld])
    doc = {"shard": shard.index, "count": shard.count, "reports": reports, "published": sorted(p.published)}
    # Written whole (a temporary file, then renamed): another shard job in the same checkout reads it.
    part = out / f".{MANIFEST}.part"
    part.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(part, out / MANIFEST)
    print(f"分片 {shard}：{len(agencies)} 个单位，{len(reports)} 份报告，{len(p.published)} 份的网页、{'PDF 和 ' if pdf else ''}Word 版在 {out}；"
          f"暂缓发布 {len(p.withheld)} 份")
    return 0


def handed_over(root: Path) -> tuple[list[Handed], list[str]]:
    """The shards found under ``_build/shards``, and what is wrong with them."""
    found, problems = [], []
    for path in sorted((root / SHARDS).glob(f"*/{MANIFEST}")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            shard = Shard(int(doc["shard"]), int(doc["count"]))
            pages = json.loads((path.parent / PAGES).read_text(encoding="utf-8"))
            drafts = {str(k): str(v) for k, v in pages["drafts"].items()}
            found.append(Handed(path.parent, shard, [str(k) for k in doc["reports"]], [str(k) for k in doc["published"]], drafts))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
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


#: What the site-wide build's Sphinx writes into in place when a source changed since the shard
#: ran (its image and download copies): copied to it, not linked.
_SPHINX_COPIES = ("_images", "_downloads")


def _link(base: Path, src: str, dst: str) -> None:
    """A shard's file in the site-wide build's output: a hard link (a fresh copy across file systems).

    Copying 80,000 files of 10,000 reports took 28 s. Nothing writes into them in place: the
    site-wide build does not build the shards' pages and replaces any file of ours it writes
    (``common.replace_file``), a shard job replaces its whole hand-over, and ``_build/site`` is
    laid out from copies. A file two shards both hand over (the same image) is the later one's,
    as with copies, without writing into the earlier shard's."""
    if os.path.lexists(dst):
        os.unlink(dst)
    if Path(dst).relative_to(base).parts[0] in _SPHINX_COPIES:
        shutil.copy2(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _lay_out(root: Path, shards: list[Handed]) -> tuple[Path, Path]:
    """The shards' pages into the site-wide build's output, their search records beside its doctrees,
    and what they found of drafts joined into one file; the output folder and that file."""
    base = root / SITE_PART
    html, records = base / "html", base / "doctrees" / "html" / "govreport-search" / "html"
    shutil.rmtree(html, ignore_errors=True)
    shutil.rmtree(records, ignore_errors=True)
    drafts: dict[str, str] = {}
    for h in shards:
        for name, dest in (("html", html), ("search", records)):  # a shard with no reports hands over none
            if (h.folder / name).is_dir():
                shutil.copytree(h.folder / name, dest, dirs_exist_ok=True, copy_function=partial(_link, dest))
        drafts.update(h.drafts)
    parts = base / PAGES
    parts.write_text(json.dumps({"drafts": dict(sorted(drafts.items()))}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return html, parts


def assemble_site(root: Path, jobs: int = 2, strict: bool | None = None, pdf: bool = True) -> int:
    """Check again, verify the shards, build the site-wide pages around theirs and lay out ``_build/site``."""
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
    shards = sorted(shards, key=lambda h: h.shard.index)
    html, parts = _lay_out(root, shards)
    if run_sphinx(root, "html", html, jobs, root / SITE_PART / "doctrees" / "html", "site", (f"govreport_parts={parts}",)) != 0:
        print("网站的汇总页面构建失败", file=sys.stderr)
        return 1
    return assemble(root, p, html, [h.folder / "pdf" for h in shards] if pdf else None, [h.folder / "docx" for h in shards])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govreport.portal.shardsite", description="分片发布：各分片排版 PDF，汇总生成网站")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("shard", help="检查并排版一个分片（按单位划分）的报告：_build/shards/shard-k")
    s.add_argument("shard", help="k/N，例如 2/4")
    a = sub.add_parser("assemble", help="合并各分片，生成整个网站 _build/site")
    for q in (s, a):
        q.add_argument("-j", "--jobs", type=int, default=2)
        q.add_argument("--strict", action="store_true", help="任何报告有错误，整个网站都不发布")
        q.add_argument("--no-pdf", action="store_true", help="不排 PDF（网站中没有 PDF 版；分片和汇总都要这样运行）")
    args = ap.parse_args(argv)
    root = find_root()
    strict = True if args.strict else None
    if args.cmd == "shard":
        try:
            shard = parse(args.shard)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        return build_shard(root, shard, args.jobs, strict, not args.no_pdf)
    return assemble_site(root, args.jobs, strict, not args.no_pdf)


if __name__ == "__main__":
    sys.exit(main())
