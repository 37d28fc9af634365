"""``python -m govreport``: the project's commands without a Sphinx build.

    check [--format text|json|github] [REPORT ...]   run every check
    new AGENCY YEAR [--name NAME]                    start a report
    pdf                                              typeset _build/latex into _build/pdf
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..checks import Checked, check_report
from ..checks.cache import CheckCache
from ..checks.checkrun import find_root, run_checks, select
from ..checks.summary import annotation
from ..findings import Finding, Severity, sort_key
from ..model.report import discover, load_meta
from ..portal.rulepacks import packs


def cmd_check(args: argparse.Namespace) -> int:
    root = find_root()
    packs(root)  # issue 20: the rule packs' codes, also for findings taken from the check cache
    store = None if args.no_cache else CheckCache(root)
    # Each name must name something: `check xs 2020` (a space for the slash) must not check xs alone.
    unknown = [n for n in args.reports if not select(root, [n]) and not _missing_meta(root, [n])]
    if unknown:
        print(f"没有找到报告：{' '.join(unknown)}（写法：机构简称，或 机构简称/年度，例如 xiangshan/2021）", file=sys.stderr)
        return 2
    results = run_checks(root, args.reports, args.jobs, store)
    findings = sorted((f for r in results for f in r.findings), key=sort_key)
    findings = sorted(dict.fromkeys(findings + _page_findings(root, args.reports, results) + _missing_meta(root, args.reports)), key=sort_key)
    if not args.reports:
        findings = sorted(dict.fromkeys(findings + _members(root)), key=sort_key)
    note = _undated(results)
    if args.format == "json":
        # X803 is left out of this list: it is one note about the whole run, not a
        # finding of a report (the list must equal the build's findings, tests/security.py).
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    elif args.format == "github":
        for f in findings + ([note] if note is not None else []):
            print(annotation(f))  # X803 once, after the reports' own findings
    else:
        for f in findings:
            print(f.text())
        errors = sum(f.is_error for f in findings)
        warnings = sum(1 for f in findings if f.severity is Severity.WARNING and f.waived is None)
        waived = sum(f.waived is not None for f in findings)
        reused = f"（{store.hits} 份报告的文件自上次检查后没有改动，沿用了上次的结果）" if store is not None and store.hits else ""
        print(f"检查了 {len(results)} 份报告：{errors} 个错误，{warnings} 个警告，{waived} 个已豁免。{reused}")
        if note is not None:
            print(note.text(), file=sys.stderr)  # stdout stays the per-report findings and the count
    return 1 if any(f.is_error for f in findings) else 0


def _members(root: Path) -> list[Finding]:
    """A province's members (portal.toml ``[federation]``): their problems, as its build reports them
    (U941–U945), so that ``make check`` shows them before a build does (issue 22)."""
    from ..portal.federation.config import federation

    if not federation(root).declared:
        return []
    from ..portal.federation.province import load_province

    return load_province(root).findings


def _page_findings(root: Path, names: list[str], results: list[Checked] | None = None) -> list[Finding]:
    """What the build says about pages besides their reports' checks (issue 17):
    directives, raw HTML, files outside the repository, pages of no report."""
    from ..checks.pagescan import check_pages

    only = None
    if names:
        only = {f"{a}/{y}" for a, y in select(root, names)} | {n.strip("/") for n in names}
    metas = {r.report.key: r.report for r in results or []}
    return check_pages(root, root / "docs", only, metas) if (root / "docs").is_dir() else []


def _missing_meta(root: Path, names: list[str]) -> list[Finding]:
    """Report folders with tables but no report.toml (F017): never passed over in silence (issue 26)."""
    from ..model.missingmeta import missing_meta

    return list(missing_meta(root, {n.strip("/") for n in names} if names else None).values())


def _undated(results: list[Checked]) -> Finding | None:
    """X803 once for all reports without a 成文日期 (officialdoc.undated), from the
    checked reports' metadata: report.toml is not read again."""
    from ..model.officialdoc import undated

    return undated([r.report for r in results])


def cmd_pdf(args: argparse.Namespace) -> int:
    from ..edition.pdf import build_all

    root = find_root()
    copy = [root / "_build" / "html" / "pdf"] if (root / "_build" / "html").is_dir() else []
    names = [f"{a}-{y}" for a, y in discover(root)]  # not the .tex of deleted reports
    from ..model.buildlock import BUSY, Busy, build_lock

    try:
        with build_lock(root, "make pdf"):  # one build at a time per checkout (issue 26)
            return build_all(root / "_build" / "latex", root / "_build" / "pdf", jobs=args.jobs, copy_to=copy, names=names)
    except Busy as exc:
        print(exc, file=sys.stderr)
        return BUSY


def cmd_new(args: argparse.Namespace) -> int:
    from ..model.scaffold import AlreadyExists, new_report

    root = find_root()
    try:
        made = new_report(root, args.agency, args.year, args.name, args.full_name)
    except AlreadyExists as exc:
        print(exc, file=sys.stderr)
        return 1
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:  # issue 17: nothing was written (atomic.write_all)
        print(exc.strerror or exc, file=sys.stderr)
        return 1
    for note in made.notes:
        print(note)
    return _report_made(root, made.paths, "新建", args.agency, args.year)


def cmd_diff(args: argparse.Namespace) -> int:
    from ..checks.summary import write_summary
    from ..model.diff import GitError, data_diff, markdown

    root = find_root()
    try:
        result = data_diff(root, args.base)
    except GitError as exc:
        print(exc, file=sys.stderr)
        return 2
    text = markdown(result)
    print(text)
    if args.summary:
        write_summary(text)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from ..checks.summary import blob_url, finding_from_dict, markdown, report_json, top_annotations, write_summary
    from ..model.officialdoc import undated

    root = find_root()
    packs(root)  # issue 20: the rule packs' codes (titles of their findings)
    if args.input:
        raw = json.loads(sys.stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8"))
        items = raw["findings"] if isinstance(raw, dict) else raw
        findings = [finding_from_dict(d) for d in items]
        keys = list(raw["reports"]) if isinstance(raw, dict) else [f"{a}/{y}" for a, y in select(root, args.reports)]
        # X803 is not in check's JSON list (one note per run): from the reports' metadata
        wanted = set(keys)
        note = undated([load_meta(root, a, y) for a, y in discover(root) if f"{a}/{y}" in wanted])
    else:
        # issue 22: with the check cache (by content) and in parallel: at a district's
        # 1,000 reports the annotations come first, before the site is built.
        results = run_checks(root, args.reports, args.jobs, CheckCache(root))
        if args.reports and not results:
            print(f"没有找到报告：{' '.join(args.reports)}", file=sys.stderr)
            return 2
        findings = list(dict.fromkeys([f for r in results for f in r.findings] + _page_findings(root, args.reports, results)
                                      + _missing_meta(root, args.reports)))
        keys = [r.report.key for r in results]
        note = _undated(results)
    gate: int | None = None
    others: list[Finding] = []
    if args.changed_since or args.publish:  # issue 16: a PR fails only on the reports it changes, shown first
        from ..portal.publish import gate_findings

        findings, others, gate = gate_findings(root, findings, args.changed_since)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report_json(findings + others, keys), encoding="utf-8")
    if note is not None:
        # X803 once in the annotations and the job summary (a warning: never fails);
        # not in the JSON above, which like check's JSON lists the reports' findings.
        findings = [*findings, note]
    for line in top_annotations(findings, args.limit):
        print(line)
    text = markdown(findings, len(keys), blob_url(os.environ), args.limit)
    if others:
        from ..portal.publish import others_markdown

        text += others_markdown(others, blob_url(os.environ))
    if args.changed_since:  # issue 22: which reports changed, and which preview pages show them
        from ..portal.affected import affected
        from ..portal.affected import markdown as affected_markdown
        from ..portal.publish import changed_reports

        reach = affected(root, changed_reports(root, args.changed_since))
        text += "\n\n" + affected_markdown(reach)
        listing = Path(args.json).parent / "changed.json" if args.json else None
        if listing is not None:
            listing.write_text(reach.as_json(args.changed_since), encoding="utf-8")
    if write_summary(text) is None:
        print(text)
    if gate is not None:
        return gate
    return 1 if any(f.is_error for f in findings) else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a published report's text; print the importer's notes, then the checks."""
    from ..importer import Incomplete, import_report
    from ..importer.model import one_line
    from ..model.scaffold import AlreadyExists

    root = find_root()
    source = Path(args.file)
    if not source.is_file():
        print(f"找不到文件：{source}", file=sys.stderr)
        return 2
    try:
        made = import_report(root, source, args.agency, args.year, args.name, args.full_name, args.force)
    except (AlreadyExists, Incomplete) as exc:
        print(exc, file=sys.stderr)
        return 1
    except ValueError as exc:
        print(one_line(str(exc)), file=sys.stderr)  # it may begin with a file name holding a newline
        return 2
    except OSError as exc:  # issue 17: nothing was written (atomic.write_all)
        print(exc.strerror or exc, file=sys.stderr)
        return 1
    for note in made.notes:
        print(note.text(source.name))
    return _report_made(root, made.paths, "写入", args.agency, args.year)


def cmd_import_eval(args: argparse.Namespace) -> int:
    """Import every sample of a folder and compare with its expected.json; non-zero on any wrong or invented number."""
    from ..importer.evaluate import evaluate, table

    folder = Path(args.dir)
    if not (folder / "expected.json").is_file():
        print(f"找不到 {folder / 'expected.json'}", file=sys.stderr)
        return 2
    scores = evaluate(folder)
    print(table(scores))
    for s in scores:
        for m in s.misses:
            print(f"{s.file}: {m}")
        if s.error:
            print(f"{s.file}: {s.error}")
    bad = [s for s in scores if not s.ok]
    print(f"{len(scores)} 个样本：{sum(s.right for s in scores)}/{sum(s.total for s in scores)} 个数正确，"
          f"{sum(s.wrong for s in scores)} 个错误，{sum(s.blank for s in scores)} 个留空，{sum(s.invented for s in scores)} 个编造。")
    return 1 if bad else 0


def _report_made(root: Path, paths: list[Path], verb: str, agency: str, year: int) -> int:
    """After new/import: the files written, then the checks of the new report."""
    for p in paths:
        print(f"{verb} {p.relative_to(root)}")
    result = check_report(root, agency, year)
    # The page scan of make check too (S508–S511): the import's summary and make check give the same findings.
    findings = sorted(dict.fromkeys(result.findings + _page_findings(root, [f"{agency}/{year}"])), key=sort_key)
    for f in findings:
        print(f.text())
    errors = sum(f.is_error for f in findings)
    print(f"检查：{errors} 个错误，{len(findings) - errors} 个警告。"
          f"下一步：编辑 docs/{agency}/{year}.md 和 data/{agency}/{year}/ 中的 CSV，用 make serve 预览。")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreport", description="政府信息公开工作年度报告：检查、新建、导入")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查报告（不构建网站）")
    p.add_argument("reports", nargs="*", help="机构 或 机构/年度；省略则检查全部")
    p.add_argument("--format", choices=["text", "json", "github"], default="text")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="并行进程数（报告多时）；默认为 CPU 核数")
    p.add_argument("--no-cache", action="store_true",
                   help="全部重新检查，不用 _build/.govreport 中上次的结果（默认只重新检查文件有改动的报告）")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("pdf", help="把 _build/latex 排成 PDF（_build/pdf）")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    p.set_defaults(func=cmd_pdf)
    p = sub.add_parser("new", help="新建一份报告（正文模板和全部为 0 的表格）")
    p.add_argument("agency", help="机构简称（小写拼音），例如 xiangshan")
    p.add_argument("year", type=int)
    p.add_argument("--name", help="标题中的机构名称，例如 沙坡头区香山乡（新机构必填）")
    p.add_argument("--full-name", help="发文机关全称，例如 中卫市沙坡头区香山乡人民政府")
    p.set_defaults(func=cmd_new)
    p = sub.add_parser("import", help="从已发布的报告导入正文和表格：保存的网页、网页文字、pdftotext -layout、Markdown、Word（.docx、.doc）、WPS（.wps）、PDF（含扫描件）、Excel（.xlsx、.xls）")
    p.add_argument("file", help="报告文件（.html、.txt、.md、.docx、.doc、.wps、.pdf、.png、.jpg、.xlsx、.xls）")
    p.add_argument("agency", help="机构简称（小写拼音），例如 xiangshan")
    p.add_argument("year", type=int)
    p.add_argument("--name", help="标题中的机构名称（默认取自原文标题）")
    p.add_argument("--full-name", help="发文机关全称（默认同机构名称）")
    p.add_argument("--force", action="store_true", help="覆盖已有的文件；有表或章节没有找到时也写出读到的部分（部分导入）")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("import-eval", help="导入一个文件夹中的全部样本，与 expected.json 中的真实数字比较")
    p.add_argument("dir", help="样本文件夹（含 expected.json）")
    p.set_defaults(func=cmd_import_eval)
    p = sub.add_parser("diff", help="列出与某个 git 版本相比变化了的数字（Markdown 表格）")
    p.add_argument("base", nargs="?", default="HEAD", help="比较的基准版本，例如 origin/main；默认 HEAD（未提交的修改）")
    p.add_argument("--summary", action="store_true", help="同时追加到 $GITHUB_STEP_SUMMARY")
    p.set_defaults(func=cmd_diff)
    p = sub.add_parser("summary", help="检查结果写成 GitHub 标注、作业摘要（Markdown）和 JSON 报告")
    p.add_argument("reports", nargs="*", help="机构 或 机构/年度；省略则检查全部")
    p.add_argument("--input", help="读取 check --format json 的输出（- 为标准输入），不重新检查")
    p.add_argument("--json", help="把 JSON 报告写到这个文件（供上传为构建产物）")
    p.add_argument("--limit", type=int, default=10, help="错误、警告各最多标注几个（GitHub 每步显示 10 个）")
    p.add_argument("--changed-since", help="只有这个版本以来改动了的报告有错误才失败，它们的问题排在前面（拉取请求）")
    p.add_argument("--publish", action="store_true", help="发布：有错误的报告暂缓发布，不算失败（portal.toml 的 publish = \"strict\" 除外）")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    p.set_defaults(func=cmd_summary)
    # issue 16: the district portal (imported when run: publishing reads HTML, which a check does not)
    def cmd_site(args: argparse.Namespace) -> int:
        from ..portal.publish import cmd_site as run

        return run(args)

    def cmd_status(args: argparse.Namespace) -> int:
        from ..portal.status import cmd_status as run

        return run(args)

    p = sub.add_parser("site", help="发布：检查全部报告，生成只含通过检查的报告的网站 _build/site（网页版、PDF、开放数据）")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--strict", action="store_true", help="有任何报告有错误就整个网站不发布")
    p.add_argument("--no-pdf", action="store_true", help="只生成网页版（不排 PDF）")
    p.set_defaults(func=cmd_site)
    p = sub.add_parser("status", help="各单位各年度报告的状态（发布、暂缓、存档、期限、雷同）")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    p.set_defaults(func=cmd_status)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ValueError as exc:  # the error classes are imported only when one is raised: a start-up spared
        from ..format.rulepack import PackError
        from ..format.specvalid import SpecError

        if isinstance(exc, PackError):  # issue 20: a district's rule pack (or portal.toml's list of them), located
            print(f"规则包有误，无法检查：\n{exc}", file=sys.stderr)
            return 2
        if isinstance(exc, SpecError):  # a typo in a format spec: its located lines, not a traceback
            print(f"格式定义有误，无法检查：\n{exc}", file=sys.stderr)
            return 2
        raise
