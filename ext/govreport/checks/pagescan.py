"""What a page may do: only the report's own files, no raw HTML or LaTeX, no TeX I/O.

Pure Python (markdown-it, no docutils): ``make check`` and the Sphinx build
both call :func:`scan_page`, so every finding the build can report about a
page's directives and roles, ``make check`` reports too (the build's own
guards in ``sphinxext/safety.py`` only neutralise; they report only what this
scan missed). The policy:

- directives that read files (``include``, ``literalinclude``, ``raw``,
  ``csv-table :file:/:url:``) and ``eval-rst`` are refused (S508);
- images, figures, downloads and links to local files must resolve, symlinks
  followed, inside ``docs/`` or ``data/`` (S509);
- raw HTML is refused (S510), except HTML comments, which are never shown;
- math must not use TeX's file and catcode primitives (S511);
- ``report-table`` arguments go through :func:`table_ref`, which the directive
  calls too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findingcodes import CodeId
from ..findings import CATALOGUE, Finding
from ..format.spec import FormatSpec
from ..model.csvload import load_table
from ..model.generated import is_generated, may_be_generated
from ..model.pagefile import decode_page, inside, read_page_text
from ..model.report import Report, load_meta
from .relations import check_relations

# ------------------------------------------------------------------- paths

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_remote(target: str) -> bool:
    return bool(_SCHEME.match(target)) and not target.startswith(("path:", "project:", "file:"))


def local_target(target: str, srcdir: Path, page_dir: Path) -> Path:
    """Where Sphinx looks for a relative file name (``env.relfn2path``): ``/x`` is
    relative to the source folder, anything else to the page's folder."""
    target = target.removeprefix("path:").removeprefix("project:").removeprefix("file://").split("#", 1)[0]
    if target.startswith("/") and not target.startswith("//"):
        return srcdir / target.lstrip("/")
    return page_dir / target


# -------------------------------------------------------------------- math

#: TeX primitives and LaTeX commands that read or write files, run commands or
#: change how TeX reads its input; none belongs in a formula.
_TEX_IO = re.compile(
    r"\\(input|include|includeonly|InputIfFileExists|IfFileExists|openin|openout|read|readline|write|"
    r"immediate|closein|closeout|newread|newwrite|catcode|uccode|lccode|csname|endcsname|def|edef|gdef|xdef|"
    r"let|futurelet|expandafter|scantokens|everyeof|everyjob|endinput|special|directlua|latelua|"
    r"usepackage|RequirePackage|documentclass|lstinputlisting|verbatiminput|includegraphics|"
    r"newcommand|renewcommand|providecommand|DeclareRobustCommand|makeatletter|jobname|shellescape|"
    r"pdffilesize|filesize|filedump|pdffiledump|mdfivesum|pdfmdfivesum|message|errmessage|show|showthe)(?![A-Za-z])"
)


def math_problem(tex: str) -> str | None:
    """The first forbidden command in a formula, e.g. ``\\input``; None when clean."""
    m = _TEX_IO.search(tex)
    if m:
        return m.group(0)
    if "^^" in tex:  # ^^5c is a backslash to TeX: the commands above, disguised
        return "^^"
    return None


# ------------------------------------------------------------ report-table


@dataclass
class TableRef:
    """What a ``report-table`` directive names, and what is wrong with it."""

    findings: list[Finding] = field(default_factory=list)
    key: tuple[str, int] | None = None
    table: str | None = None  # the spec's table id
    csv: Path | None = None  # the file ``:csv:`` names, inside data/
    files: list[Path] = field(default_factory=list)
    data: Any = None  # the TableData of ``:csv:``, when readable


_DOCNAME = re.compile(r"\A(?:.*/)?([a-z][a-z0-9-]*)/([0-9]{4})\Z")


def report_key(docname: str) -> tuple[str, int] | None:
    """``xiangshan/2021`` -> ``("xiangshan", 2021)``; None for other pages."""
    m = _DOCNAME.match(docname)
    return (m.group(1), int(m.group(2))) if m else None


def table_ref(
    root: Path, page_rel: str, line: int | None, docname: str, arg: str,
    report_opt: str | None, csv_opt: str | None, spec_of: Callable[[str, int], Any],
) -> TableRef:
    """Resolve a ``report-table`` directive: which report, which table, which CSV.

    ``spec_of(agency, year)`` gives that report's format spec. The same code
    for the build (the directive) and for ``make check`` (:func:`scan_page`).
    """
    out = TableRef()
    key = report_key(report_opt if report_opt is not None else docname)
    if key is None or not (root / "data" / key[0] / str(key[1])).is_dir():
        where = f"data/{key[0]}/{key[1]}/" if key else CATALOGUE["F001"].phrase("no_report")
        if report_opt is not None:
            out.findings.append(Finding.of("F001", page_rel, variant="table_report", where=where, report=report_opt, line=line))
        else:
            out.findings.append(Finding.of("F001", page_rel, variant="table", where=where, line=line))
        return out
    out.key = key
    out.files.append(root / "data" / key[0] / str(key[1]) / "report.toml")
    spec = spec_of(*key)
    try:
        table = spec.table(arg)
    except KeyError:
        if report_key(docname) != key:  # the page's own checks report it (S507)
            out.findings.append(Finding.of("S507", page_rel, variant="directive", arg=arg, line=line, found=arg))
        return out
    out.table = table.id
    if csv_opt is None:
        return out
    data_dir = (root / "data").resolve()
    path = root / "data" / csv_opt
    if not inside(path, [data_dir]):
        out.findings.append(Finding.of("F006", page_rel, csv_opt=csv_opt, line=line, found=csv_opt))
        return out
    if not path.is_file():
        out.findings.append(Finding.of("F001", page_rel, variant="csv", csv_opt=csv_opt, line=line, found=csv_opt))
        out.files.append(path)  # re-read when it appears
        return out
    path = path.resolve()
    out.csv = path
    out.files.append(path)
    rel = path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else csv_opt
    data, found = load_table(path, table, rel)
    out.findings += found
    if data.loaded:
        out.findings += check_relations(data)
        out.data = data
    return out


# ------------------------------------------------------------- the scanner

#: Directives refused whatever their arguments: they read files, or embed
#: markup that bypasses these checks.
REFUSED = {"include", "literalinclude", "raw", "eval-rst", "eval-md"}
#: Directives whose argument is a file (an image): allowed inside docs/ and data/.
PATH_ARG = {"image", "figure"}
#: Options that name an image (sphinx-design cards).
PATH_OPTIONS = {"img-top", "img-bottom", "img-background", "image"}
#: Directives whose content is not Markdown: not scanned further.
LITERAL = {"code", "code-block", "sourcecode", "code-cell", "math", "report-table", "mermaid", "graphviz", "csv-table", "list-table"}
#: Roles whose content is a file.
PATH_ROLES = {"download", "file-download"}
#: Cheap test: a page with none of these needs no full scan.
_RISKY = re.compile(
    r"include|raw|eval-|download|image|figure|csv-table|img-|math|:report:|:csv:|<[A-Za-z!/?]|\]\(|\\input"
)
_FENCE_INFO = re.compile(r"^\{([\w:.-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")
_ROLE_NAME = re.compile(r"\{([\w:.-]+)\}$")
_COMMENT = re.compile(r"^(?:\s*<!--(?:(?!-->).)*-->)+\s*$", re.DOTALL)


_SCRIPT_URL = re.compile(r"^[\s\x00-\x20]*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def script_url(url: str) -> bool:
    """A link that runs code when clicked (``javascript:``, ``data:``)."""
    return bool(_SCRIPT_URL.match(url))


def html_is_comment(html: str) -> bool:
    return bool(_COMMENT.match(html))


@dataclass
class Context:
    root: Path
    srcdir: Path
    page: Path
    rel: str
    docname: str
    is_report: bool  # the page belongs to a report whose data exists
    spec_of: Callable[[str, int], Any]
    allowed: list[Path]
    out: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def add(self, code: CodeId, line: int | None, *, variant: str | None = None, found: str | None = None, **fields: object) -> None:
        self.out.append(Finding.of(code, self.rel, variant=variant, line=line, found=found, values=fields))


_MD: Any = None


def _md() -> Any:
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.colon_fence import colon_fence_plugin

        _MD = MarkdownIt("commonmark").use(colon_fence_plugin)
    return _MD


def scan_page(
    root: Path, srcdir: Path, page: Path, source: str, spec_of: Callable[[str, int], Any], is_report: bool,
) -> tuple[list[Finding], list[Path]]:
    """Findings about what ``page`` (text ``source``) does, and the files it made it read."""
    root, srcdir = root.resolve(), srcdir.resolve()
    try:
        rel = page.resolve().relative_to(root).as_posix()
        docname = page.resolve().relative_to(srcdir).with_suffix("").as_posix()
    except ValueError:
        return [], []
    ctx = Context(root, srcdir, page, rel, docname, is_report, spec_of,
                  [srcdir, (root / "data").resolve()])
    need_values = not is_report and ("{value}" in source or "report-table" in source)
    if not (need_values or _RISKY.search(source)):
        return [], []
    _scan(ctx, source, 0)
    return ctx.out, ctx.files


def _scan(ctx: Context, source: str, offset: int) -> None:
    tokens = _md().parse(source)
    for tok in tokens:
        line = tok.map[0] + 1 + offset if tok.map else None
        if tok.type in ("fence", "colon_fence"):
            _fence(ctx, tok.info.strip(), tok.content, line or offset + 1)
        elif tok.type == "html_block":
            if not html_is_comment(tok.content):
                ctx.add("S510", line, variant="html", html=_short(tok.content), found=_short(tok.content))
        elif tok.type == "inline" and tok.children:
            _inline(ctx, tok.children, line or offset + 1)


_TAG = re.compile(r"<\s*(/?[A-Za-z!?][\w:-]*)")


def _short(text: str) -> str:
    """The HTML's first tag only (``<script>``): the page's markup is not echoed."""
    m = _TAG.search(text)
    return f"<{m.group(1)}>" if m else "<…>"


def _options(content: str) -> tuple[dict[str, str], int]:
    """A directive's ``:key: value`` lines (or YAML block) and how many lines they take."""
    lines = content.split("\n")
    opts: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for ln in lines[1:end]:
                if ":" in ln:
                    k, v = ln.split(":", 1)
                    opts[k.strip()] = v.strip().strip("'\"")
            return opts, end + 1
    n = 0
    for ln in lines:
        m = _OPTION.match(ln.strip())
        if not m:
            break
        opts[m.group(1)] = m.group(2).strip()
        n += 1
    return opts, n


def _fence(ctx: Context, info: str, content: str, line: int) -> None:
    m = _FENCE_INFO.match(info)
    if not m:
        return  # a code block
    name, arg = m.group(1), m.group(2).strip()
    opts, used = _options(content)
    if name in REFUSED:
        ctx.add("S508", line, variant="refused", name=name, found=name)
        return
    if name == "csv-table" and ("file" in opts or "url" in opts):
        ctx.add("S508", line, variant="csv_file", found="csv-table")
    if name in PATH_ARG and arg:
        _path(ctx, arg, line, name)
    for k in PATH_OPTIONS & opts.keys():
        _path(ctx, opts[k], line, f"{name} :{k}:")
    for k, v in opts.items():
        if script_url(v):
            ctx.add("S510", line, variant="script_option", name=name, option=k, found=k)
    if name == "math":
        _math(ctx, content, line)
    if name == "report-table":
        _report_table(ctx, arg, opts, line)
    if name not in LITERAL and content.strip():
        body = "\n".join(content.split("\n")[used:])
        _scan(ctx, body, line + used)


def _path(ctx: Context, target: str, line: int | None, what: str) -> None:
    if not target or is_remote(target):
        return
    path = local_target(target, ctx.srcdir, ctx.page.parent)
    if "*" in path.name:
        path = path.parent
    if not inside(path, ctx.allowed):
        ctx.add("S509", line, variant="path", what=what, target=target, found=target)


def _math(ctx: Context, tex: str, line: int | None) -> None:
    bad = math_problem(tex)
    if bad:
        ctx.add("S511", line, variant="page", bad=bad, found=bad)


def _report_table(ctx: Context, arg: str, opts: dict[str, str], line: int) -> None:
    if ctx.is_report and "report" not in opts and "csv" not in opts:
        return  # the page's own table: the report's checks cover it
    ref = table_ref(ctx.root, ctx.rel, line, ctx.docname, arg, opts.get("report"), opts.get("csv"), ctx.spec_of)
    ctx.out += ref.findings
    ctx.files += ref.files


def _inline(ctx: Context, children: list[Any], line: int) -> None:
    prev_text = ""
    for child in children:
        t = child.type
        if t in ("softbreak", "hardbreak"):
            line += 1
        elif t == "html_inline":
            if not html_is_comment(child.content):
                ctx.add("S510", line, variant="html", html=_short(child.content), found=_short(child.content))
        elif t == "image":
            _path(ctx, child.attrGet("src") or "", line, CATALOGUE["S509"].phrase("image"))
        elif t == "link_open":
            href = str(child.attrGet("href") or "")
            if href and not href.startswith("#") and not is_remote(href):
                path = local_target(href, ctx.srcdir, ctx.page.parent)
                if path.is_file() or href.startswith("path:"):
                    _path(ctx, href, line, CATALOGUE["S509"].phrase("link"))
        elif t == "code_inline":
            m = _ROLE_NAME.search(prev_text)
            if m:
                _role(ctx, m.group(1), child.content, line)
        prev_text = child.content if t == "text" else ""
        line += child.content.count("\n") if t in ("text", "code_inline") else 0


def _role(ctx: Context, name: str, text: str, line: int) -> None:
    if name in PATH_ROLES:
        m = re.match(r"^(?:.*?)<([^<>]+)>$", text.strip(), re.DOTALL)
        _path(ctx, m.group(1) if m else text.strip(), line, f"{{{name}}}")
    elif name == "math":
        _math(ctx, text, line)
    elif name == "value" and not ctx.is_report:
        ctx.add("P603", line, variant="page", docname=ctx.docname)



def pages(docs: Path) -> list[Path]:
    """Every Markdown page under ``docs`` as Sphinx finds them (symlinks followed, once), but the
    portal pages the build generates (``model.generated``: no text of a writer's to check)."""
    import os

    out: list[Path] = []
    seen: set[str] = set()
    for d, dirs, files in os.walk(docs, followlinks=True):
        real = os.path.realpath(d)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(x for x in dirs if not x.startswith(("_", ".")))
        rel = os.path.relpath(d, docs).replace(os.sep, "/")
        out += [Path(d) / f for f in sorted(files) if f.endswith(".md") and f != "README.md"
                and not (may_be_generated(f if rel == "." else f"{rel}/{f}") and is_generated(Path(d) / f))]
    return out


def check_pages(root: Path, docs: Path, only: set[str] | None = None, metas: Mapping[str, Report] | None = None) -> list[Finding]:
    """What the build reports about pages beyond their reports' checks: the scan
    of every page, and for pages that are not a report's, their text (F009–F011).
    ``only``: docnames to look at (default: every page). ``metas``: reports already
    read, by key (their format spec without reading report.toml again)."""
    def spec_of(a: str, y: int) -> FormatSpec:
        known = metas.get(f"{a}/{y}") if metas is not None else None
        return (known or load_meta(root, a, y)).spec

    root, out = root.resolve(), []
    allowed = [docs.resolve(), (root / "data").resolve()]
    for page in pages(docs):
        docname = page.relative_to(docs).with_suffix("").as_posix()
        if only is not None and docname not in only:
            continue
        key = report_key(docname)
        is_report = key is not None and (root / "data" / key[0] / str(key[1])).is_dir()
        rel = page.absolute().relative_to(root).as_posix() if page.absolute().is_relative_to(root) else page.as_posix()
        if is_report:
            source = decode_page(page.read_bytes())[0] if inside(page, allowed) else None
        else:
            source, found = read_page_text(page, rel, allowed)
            out += found
        if source is not None:
            out += scan_page(root, docs, page, source, spec_of, is_report)[0]
    return out
