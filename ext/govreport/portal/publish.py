"""Publish what passes (issue 16): the site holds every report that passes its checks.

``make site`` (``python -m govreport site``) checks every report again and
builds the HTML and PDF editions with ``govreport_publish = "passing"``: a report
with an error is withheld — no page, no PDF, no data — and listed as withheld
with its error count; an archived report is published with its 原文问题. The
site is then assembled in ``_build/site`` and verified: a withheld report's page,
PDF or data in it is an error, as is a published report without its PDF.
``portal.toml`` ``publish = "strict"`` (or ``--strict``) fails the whole site
when any report has an error, as before.

For a pull request, ``changed_reports`` are the reports whose files it touches:
their findings come first and only their errors fail the check.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import checked
from ..checks.cache import CheckCache
from ..checks.checkrun import find_root, run_checks
from ..checks.pagescan import check_pages
from ..findings import Finding
from ..model.missingmeta import missing_meta
from ..model.report import Report, discover
from ..web import sitefiles
from ..web.sitesearch import indexed_urls
from .archive import is_archived
from .portalmeta import portal_meta, portal_settings

OUT = Path("_build") / "publish"  # the publishing build's own folders (not make html's)
SITE = Path("_build") / "site"
_PATH = re.compile(r"^(?:data/([a-z][a-z0-9-]*)/(\d{4})/|docs/([a-z][a-z0-9-]*)/(\d{4})\.md$)")


@dataclass
class Plan:
    """Which reports the site publishes."""

    published: list[str] = field(default_factory=list)  # "agency/year"
    archived: list[str] = field(default_factory=list)  # published, as archives
    withheld: dict[str, int] = field(default_factory=dict)  # "agency/year" -> errors
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    # A published roll-up's members ("agency/year" -> agencies): a province adding up districts
    # (issue 22, federation) counts each report once, itself or through the roll-up that sums it.
    rollups: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps({"published": self.published, "archived": self.archived, "withheld": self.withheld,
                           "rollups": self.rollups}, ensure_ascii=False, indent=2) + "\n"


def plan(root: Path, jobs: int = 1, agencies: list[str] | None = None) -> Plan:
    """Check every report (with the check cache), or those of ``agencies``, and sort them."""
    out = Plan()
    if agencies is not None and not agencies:
        return out  # none (select() would take an empty list for every report)
    results = run_checks(root, agencies or [], jobs, CheckCache(root))
    pages = page_findings(root, root / "docs", [r.report.key for r in results])
    for r in results:
        key = r.report.key
        out.findings[key] = r.findings + pages.get(key, [])
        errors = sum(f.is_error for f in out.findings[key])
        if errors:
            out.withheld[key] = errors
        else:
            out.published.append(key)
            meta = portal_meta(root / "data" / r.report.agency / str(r.report.year))
            if meta.is_rollup:
                out.rollups[key] = list(meta.members)
            if is_archived(Report(root=root, agency=r.report.agency, year=r.report.year)):
                out.archived.append(key)
    for key, f in missing_meta(root).items():  # tables without report.toml (F017): listed as withheld, not passed over
        if agencies is None or key.split("/")[0] in agencies:
            out.findings[key], out.withheld[key] = [f], 1
    return out


def withheld_in_build(root: Path, docs: Path | None = None) -> dict[str, int]:
    """The reports a ``passing`` build leaves out. With the repository's own pages
    folder, from the check cache of ``make check`` (only changed reports are
    checked again, in parallel when many); else each checked here."""
    import os

    if docs is None or docs.resolve() == (root / "docs").resolve():
        results = run_checks(root, [], os.cpu_count() or 1, CheckCache(root))
        pages = page_findings(root, root / "docs", [r.report.key for r in results])
        counts = {r.report.key: sum(f.is_error for f in r.findings + pages.get(r.report.key, [])) for r in results}
        return {k: n for k, n in counts.items() if n} | dict.fromkeys(missing_meta(root), 1)
    out = {}
    keys = [f"{a}/{y}" for a, y in discover(root)]
    pages = page_findings(root, docs, keys)
    for agency, year in discover(root):
        key = f"{agency}/{year}"
        n = len(checked(root, agency, year, docs).errors) + sum(f.is_error for f in pages.get(key, []))
        if n:
            out[key] = n
    return out | dict.fromkeys(missing_meta(root), 1)


def page_findings(root: Path, docs: Path, keys: list[str]) -> dict[str, list[Finding]]:
    """The page scan of ``make check`` (S508–S511: directives, raw HTML, outside files, TeX) of each report's
    page, by report: a page the build would refuse withholds its report, not the whole site (issue 26)."""
    if not docs.is_dir():
        return {}
    out: dict[str, list[Finding]] = {}
    for f in check_pages(root, docs, set(keys)):
        key = next((k for k in keys if f.path.endswith(f"/{k}.md")), None)
        if key is not None:
            out.setdefault(key, []).append(f)
    return out


def changed_reports(root: Path, base: str) -> list[str]:
    """Reports whose data or page differ between ``base`` and the working tree."""
    proc = subprocess.run(["git", "diff", "--name-only", base, "--", "data", "docs"], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ValueError(f"git diff {base} 失败：{proc.stderr.strip()}")
    found = []
    for line in proc.stdout.splitlines():
        m = _PATH.match(line.strip())
        if m:
            key = f"{m.group(1) or m.group(3)}/{m.group(2) or m.group(4)}"
            if key not in found:
                found.append(key)
    return found


def run_sphinx(root: Path, builder: str, out: Path, jobs: int, doctrees: Path | None = None, shard: str = "",
            settings: tuple[str, ...] = ()) -> int:
    cmd = [sys.executable, "-m", "sphinx", "-q", "-c", str(root), "-b", builder, "-d", str(doctrees or root / OUT / "doctrees" / builder),
           "-D", "govreport_publish=passing", "-j", str(max(1, jobs))]
    if shard:
        cmd += ["-D", f"govreport_shard={shard}"]
    for setting in settings:
        cmd += ["-D", setting]
    return subprocess.run([*cmd, str(root / "docs"), str(out)], cwd=root).returncode


def report_withheld(p: Plan, strict: bool) -> bool:
    """Say which reports are withheld and why; True when that fails the whole site (strict)."""
    if not p.withheld:
        return False
    print(f"暂缓发布 {len(p.withheld)} 份报告（有错误）：" + "、".join(f"{k}（{n} 个错误）" for k, n in p.withheld.items()))
    for key in p.withheld:
        for f in p.findings.get(key, []):
            if f.is_error:
                print(f.text())
    if strict:
        print("publish = \"strict\"：有报告未通过检查，整个网站不发布。", file=sys.stderr)
    return strict


def _edition(root: Path, builder: str, jobs: int, failed: str) -> Path | None:
    """One Sphinx edition of the passing reports in the publishing build's own folder (withheld
    reports have no page, hence nothing in any edition); None, and ``failed`` said, if it fails."""
    out = root / OUT / builder
    if run_sphinx(root, builder, out, jobs) != 0:
        print(failed, file=sys.stderr)
        return None
    return out


def build_html(root: Path, jobs: int) -> Path | None:
    """The HTML edition of the passing reports."""
    return _edition(root, "html", jobs, "网页版构建失败")


def build_pdfs(root: Path, keys: list[str], jobs: int, work: Path | None = None, shard: str = "") -> Path | None:
    """The PDFs of ``keys`` (passing reports), typeset where their stamps say so;
    in ``work`` (``latex/``, ``doctrees/``, ``pdf/``) instead of the publishing
    build's folder, and with ``shard`` only that shard's reports read (``sphinxext/shard.py``)."""
    from ..edition.pdf import build_all

    base = work or root / OUT
    latex, pdf_dir = base / "latex", base / "pdf"
    if run_sphinx(root, "latex", latex, 1, base / "doctrees" / "latex" if work else None, shard) != 0:
        print("LaTeX 生成失败", file=sys.stderr)
        return None
    names = [k.replace("/", "-") for k in keys]
    if names and build_all(latex, pdf_dir, jobs=jobs, names=names) != 0:
        return None
    return pdf_dir


def build_site(root: Path, jobs: int = 2, strict: bool | None = None, pdf: bool = True) -> int:
    """Check, build the passing reports' HTML and PDF, assemble and verify ``_build/site``."""
    strict = portal_settings(root).publish == "strict" if strict is None else strict
    p = plan(root, jobs)
    if report_withheld(p, strict):
        return 1
    html = build_html(root, jobs)
    if html is None:
        return 1
    pdf_dir = build_pdfs(root, p.published, jobs) if pdf else None
    if pdf and pdf_dir is None:
        return 1
    docx = build_docx(root, jobs)
    if docx is None:
        return 1
    return assemble(root, p, html, [pdf_dir] if pdf_dir is not None else None, [docx])


def build_docx(root: Path, jobs: int) -> Path | None:
    """The Word edition (issue 24) of the passing reports."""
    return _edition(root, "docx", jobs, "Word 版生成失败")


#: Build bookkeeping in Sphinx's output folder, never published; and Sphinx's inventory of every
#: page (intersphinx's objects.inv: no reader of the site uses it, and a sharded site has no one
#: build that knows every page), and the general index an output folder may keep from before
#: html_use_index was off (sitetheme: Sphinx does not remove it).
_NOT_SITE = (".doctrees/", ".buildinfo", ".govreport-build-incomplete", "objects.inv", "genindex.html")


def assemble(root: Path, p: Plan, html: Path, pdf_dirs: list[Path] | None, docx_dirs: list[Path] | None = None) -> int:
    """Lay out ``_build/site`` from the HTML output, the PDFs and the Word files, and verify it.

    Only what ``p`` publishes: every file of another report (withheld now, or
    gone from the repository) that an earlier build left in the output folder
    is left out (``sitefiles.REPORT_FILES``), so the site is what a clean build
    would give.
    """
    site = root / SITE
    shutil.rmtree(site, ignore_errors=True)
    published = set(p.published)
    made: set[Path] = set()  # folders made: one mkdir each, not one a file (a site has ~8 files a report)
    for rel in sitefiles.files(html):
        if rel.startswith(_NOT_SITE) or ((k := sitefiles.owner(rel)) is not None and k not in published):
            continue
        if "/." in f"/{rel}":  # no dot files: a build killed mid-write leaves a .name.part (common.replace_file)
            continue
        if (folder := (site / rel).parent) not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        shutil.copy2(html / rel, site / rel)
    site.mkdir(parents=True, exist_ok=True)
    if pdf_dirs is not None:
        (site / "pdf").mkdir(exist_ok=True)
        for k in p.published:
            name = f"{k.replace('/', '-')}.pdf"
            for d in pdf_dirs:
                if (d / name).is_file():
                    shutil.copyfile(d / name, site / "pdf" / name)
                    break
    if docx_dirs is not None:
        (site / "docx").mkdir(exist_ok=True)
        for k in p.published:
            for d in docx_dirs:
                src = d / f"{k.replace('/', '-')}.docx"
                if src.is_file():
                    shutil.copyfile(src, site / "docx" / src.name)
                    break
    (site / "opendata").mkdir(exist_ok=True)
    (site / "opendata" / "publication.json").write_text(p.as_json(), encoding="utf-8")
    problems = verify(site, p, pdf_dirs is not None)
    for line in problems:
        print(f"{SITE}: 错误 {line}", file=sys.stderr)
    if problems:
        return 1
    print(f"发布的网站：{SITE}（{len(p.published)} 份报告，其中存档 {len(p.archived)} 份；暂缓发布 {len(p.withheld)} 份）")
    return 0


def verify(site: Path, p: Plan, pdf: bool = True) -> list[str]:
    """What must hold of the assembled site: nothing of a withheld report, everything of a published one."""
    out = []
    published = set(p.published)
    for rel in sitefiles.foreign(sitefiles.files(site), published):
        key = sitefiles.owner(rel)
        if key in p.withheld:
            out.append(f"暂缓发布的报告 {key} 出现在网站中：{rel}")
        else:
            out.append(f"不发布的报告 {key} 出现在网站中：{rel}")
    all_csv = site / "opendata" / "all.csv"
    if all_csv.is_file():
        # One pass over the file, read as CSV (a name may hold a quoted comma), for the reports it
        # holds: a search of the whole file for each withheld report took 0.3 s each at 10,000
        # reports (a 190 MB file).
        with all_csv.open(encoding="utf-8-sig", newline="") as f:
            rows = csv.reader(f)
            head = next(rows, [])
            ai, yi = (head.index(c) if c in head else -1 for c in ("agency", "year"))
            held = {f"{r[ai]}/{r[yi]}" for r in rows if len(r) > max(ai, yi)} if min(ai, yi) >= 0 else set()
        out += [f"暂缓发布的报告 {key} 的数据在 opendata/all.csv 中" for key in p.withheld if key in held]
    search = site / "_search"  # the site's search index (sitesearch.py): what it finds is what is published
    indexed = set(indexed_urls(search)) if (search / "index.json").is_file() else None
    if indexed is not None:
        out += [f"暂缓发布的报告 {key} 在全文搜索索引中" for key in p.withheld if f"{key}.html" in indexed]
        out += [f"报告 {key} 通过了检查，但全文搜索索引中没有它" for key in p.published if f"{key}.html" not in indexed]
    for key in p.published:
        a, y = key.split("/")
        if not (site / a / f"{y}.html").is_file():
            out.append(f"报告 {key} 通过了检查，但网站中没有它的页面")
        if pdf and not (site / "pdf" / f"{a}-{y}.pdf").is_file():
            out.append(f"报告 {key} 通过了检查，但网站中没有它的 PDF")
        if (site / "docx").is_dir() and not (site / "docx" / f"{a}-{y}.docx").is_file():
            out.append(f"报告 {key} 通过了检查，但网站中没有它的 Word 版")
    return out


def cmd_site(args: object) -> int:
    from ..model.buildlock import BUSY, Busy, build_lock
    root = find_root()
    try:
        with build_lock(root, "make site"):  # one build at a time per checkout (issue 26)
            return build_site(root, getattr(args, "jobs", 2), True if getattr(args, "strict", False) else None, not getattr(args, "no_pdf", False))
    except Busy as exc:
        print(exc, file=sys.stderr)
        return BUSY


def gate_findings(root: Path, findings: list[Finding], base: str | None) -> tuple[list[Finding], list[Finding], int]:
    """For ``summary``: the changed reports' findings, the others', and the exit code.

    With ``base`` (a pull request): fail when a report changed since ``base`` has an
    error; its findings are annotated and summarised first, the others after.
    Without (publishing): every finding; fail only when ``portal.toml`` says strict.
    """
    strict = portal_settings(root).publish == "strict"
    if base is None:
        return findings, [], 1 if strict and any(f.is_error for f in findings) else 0
    changed = changed_reports(root, base)
    prefixes = tuple(p for k in changed for p in (f"data/{k}/", f"docs/{k}.md"))
    mine = [f for f in findings if f.path.startswith(prefixes)]
    rest = [f for f in findings if not f.path.startswith(prefixes)]
    failed = any(f.is_error for f in mine) or (strict and any(f.is_error for f in rest))
    return mine, rest, 1 if failed else 0


def others_markdown(others: list[Finding], blob: str | None) -> str:
    """The job summary's part for reports the pull request did not change."""
    from ..checks.summary import markdown

    errors = sum(f.is_error for f in others)
    body = markdown(others, len({f.path.split("/")[1] + f.path.split("/")[2] for f in others if f.path.count("/") >= 2}), blob)
    body = body.replace("## 检查结果", "## 其他报告的检查结果（本次没有改动；有错误的暂缓发布，不影响本次检查）", 1)
    return f"\n\n{body}\n（其中 {errors} 个错误）\n"
