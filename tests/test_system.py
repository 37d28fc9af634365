"""The system step (tools/ensure-system.sh) installs only what is missing.

Run against a PATH of stub tools: a stub ``apt-get`` records its arguments,
stub ``xelatex``/``kpsewhich``/``fc-list`` stand for what is installed. No real
apt-get runs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "tools" / "ensure-system.sh"
BASH = shutil.which("bash") or "/bin/bash"

TEX_FILES = [
    "ctex.sty", "FandolFang-Regular.otf", "FandolHei-Regular.otf", "FandolKai-Regular.otf", "FandolSong-Bold.otf",
    "xeCJK.sty", "titlesec.sty", "tabulary.sty", "varwidth.sty", "fncychap.sty", "capt-of.sty", "needspace.sty",
    "wrapfig.sty", "framed.sty", "upquote.sty", "pict2e.sty", "lmodern.sty", "ptmr8t.tfm",
]
ALL_PDF = ["texlive-xetex", "latexmk", "texlive-binaries", "texlive-lang-chinese", "texlive-lang-cjk",
           "texlive-latex-extra", "texlive-pictures", "lmodern", "texlive-fonts-recommended", "fontconfig", "fonts-noto-cjk"]


def _stub(bindir: Path, name: str, body: str) -> None:
    path = bindir / name
    path.write_text(f"#!{BASH}\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


class Machine:
    """A PATH holding only the tools a test says are installed, and a recording apt-get."""

    def __init__(self, tmp: Path, apt_fails: tuple[str, ...] = ()) -> None:
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.log = tmp / "apt.log"
        fail = " ".join(apt_fails)
        _stub(self.bin, "apt-get", f'printf "%s\\n" "$*" >> {self.log}\n'
              f'for a in "$@"; do for f in {fail or "__none__"}; do [ "$a" = "$f" ] && exit 100; done; done\nexit 0')
        # present unless a test says otherwise (most machines have them)
        self.has_libs("libatomic.so.1", "libGL.so.1", "libglib-2.0.so.0")

    def has(self, *tools: str) -> Machine:
        for tool in tools:
            _stub(self.bin, tool, "exit 0")
        return self

    def has_tex(self, *files: str) -> Machine:
        cases = "\n".join(f"  {f}) echo /usr/share/texmf/{f} ;;" for f in files)
        _stub(self.bin, "kpsewhich", f'case "$1" in\n{cases}\n  *) exit 1 ;;\nesac')
        return self

    def has_libs(self, *names: str) -> Machine:
        lines = "\\n".join(f"\\t{n} (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/{n}" for n in names)
        _stub(self.bin, "ldconfig", f'printf "{len(names)} libs found in cache\\n{lines}\\n"')
        return self

    def has_fonts(self, *families: str) -> Machine:
        lines = "\\n".join(families)
        _stub(self.bin, "fc-list", f'printf "{lines}\\n"')
        return self

    def run(self, *args: str, root: bool = True) -> subprocess.CompletedProcess[str]:
        env = {"PATH": str(self.bin), "HOME": str(self.bin.parent), "LANG": "C.UTF-8", "ENSURE_SYSTEM_AS_ROOT": "1" if root else "0"}
        return subprocess.run([BASH, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60)

    def apt_calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [line.split() for line in self.log.read_text(encoding="utf-8").splitlines()]

    def installed(self) -> list[str]:
        """The packages of the install calls (options dropped)."""
        out: list[str] = []
        for call in self.apt_calls():
            if call and call[0] == "install":
                out += [a for a in call[1:] if not a.startswith("-") and "=" not in a]
        return out


def test_nothing_installed_asks_for_every_package(tmp_path: Path) -> None:
    m = Machine(tmp_path)
    proc = m.run()
    assert proc.returncode == 0, proc.stderr
    assert m.apt_calls()[0][0] == "update"
    assert m.installed() == ALL_PDF
    assert "xelatex → texlive-xetex" in proc.stderr


def test_only_pdftotext_missing_with_vendor_node(tmp_path: Path) -> None:
    """TeX and fonts present, node/npm from a vendor package: only poppler-utils, never nodejs or npm."""
    m = Machine(tmp_path).has("xelatex", "latexmk", "node", "npm", "pdftoppm", "chromium", "soffice").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC", "DejaVu Sans")
    assert m.run().returncode == 0 and m.apt_calls() == []  # the PDF edition: nothing to do
    proc = m.run("--test")
    assert proc.returncode == 0, proc.stderr
    assert m.installed() == ["poppler-utils"]
    assert "pdftotext → poppler-utils" in proc.stderr and "nodejs" not in proc.stderr


def test_libreoffice_for_the_import_of_old_office_files(tmp_path: Path) -> None:
    """.doc/.wps (Writer) and .xls (Calc) are converted by LibreOffice: both packages when soffice is missing."""
    m = Machine(tmp_path).has("xelatex", "latexmk", "pdftotext", "pdftoppm", "chromium", "npm").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    proc = m.run("--test")
    assert proc.returncode == 0, proc.stderr
    assert m.installed() == ["libreoffice-writer-nogui", "libreoffice-calc-nogui"]


def test_xelatex_and_latexmk_hidden(tmp_path: Path) -> None:
    m = Machine(tmp_path).has("pdftotext", "pdftoppm", "node", "npm", "chromium", "soffice").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    proc = m.run("--test")
    assert proc.returncode == 0, proc.stderr
    assert m.installed() == ["texlive-xetex", "latexmk"]


def test_one_missing_tex_file_and_font(tmp_path: Path) -> None:
    m = Machine(tmp_path).has("xelatex", "latexmk").has_tex(*[f for f in TEX_FILES if f != "pict2e.sty"]).has_fonts("DejaVu Serif")
    assert m.run().returncode == 0
    assert m.installed() == ["texlive-pictures", "fonts-noto-cjk"]


def test_everything_present_runs_no_apt(tmp_path: Path) -> None:
    m = Machine(tmp_path).has("xelatex", "latexmk", "pdftotext", "pdftoppm", "chromium", "npm", "soffice").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    proc = m.run("--test")
    assert (proc.returncode, proc.stderr, m.apt_calls()) == (0, "", [])


def test_browser_and_npm_for_the_tests_only(tmp_path: Path) -> None:
    """The browser tests need Chromium and npm (axe-core); the PDF edition does not."""
    m = Machine(tmp_path).has("xelatex", "latexmk", "pdftotext", "pdftoppm", "soffice").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    assert m.run().returncode == 0 and m.apt_calls() == []
    assert m.run("--test").returncode == 0
    assert m.installed() == ["chromium", "npm"]


def test_libreoffice_for_the_tests_only(tmp_path: Path) -> None:
    """The Word edition's tests convert each .docx with LibreOffice; building it needs none."""
    m = Machine(tmp_path).has("xelatex", "latexmk", "pdftotext", "pdftoppm", "chromium", "npm").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    assert m.run().returncode == 0 and m.apt_calls() == []
    proc = m.run("--test")
    assert proc.returncode == 0 and "soffice → libreoffice-writer-nogui" in proc.stderr
    assert m.installed() == ["libreoffice-writer-nogui", "libreoffice-calc-nogui"]  # Calc: the import of .xls (issue 23)


def test_what_the_import_of_office_files_and_scans_needs(tmp_path: Path) -> None:
    """make system-import: LibreOffice for .doc/.wps/.xls and the libraries OpenCV (OCR of scans) links
    against; nothing of the tests' set (a browser, npm), nothing when all is there."""
    m = Machine(tmp_path).has("xelatex", "latexmk").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC").has_libs("libglib-2.0.so.0")
    proc = m.run("--import")
    assert proc.returncode == 0, proc.stderr
    assert m.installed() == ["libreoffice-writer-nogui", "libreoffice-calc-nogui", "libgl1"]
    (tmp_path / "done").mkdir()
    done = Machine(tmp_path / "done").has("xelatex", "latexmk", "soffice").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    assert (done.run("--import").returncode, done.apt_calls()) == (0, [])


def test_libatomic_for_playwrights_driver(tmp_path: Path) -> None:
    """A minimal Debian has no libatomic, which Playwright's own node binary needs."""
    m = Machine(tmp_path).has("xelatex", "latexmk", "pdftotext", "pdftoppm", "chromium", "npm", "soffice").has_tex(*TEX_FILES)
    m.has_fonts("Noto Serif CJK SC").has_libs("libc.so.6", "libGL.so.1", "libglib-2.0.so.0")
    assert m.run().returncode == 0 and m.apt_calls() == []
    assert m.run("--test").returncode == 0
    assert m.installed() == ["libatomic1"]


def test_node_only_when_asked_and_missing(tmp_path: Path) -> None:
    m = Machine(tmp_path).has("node", "npm")
    assert m.run("--node").returncode == 0 and m.apt_calls() == []
    (tmp_path / "bare").mkdir()
    m2 = Machine(tmp_path / "bare")
    assert m2.run("--node").returncode == 0
    assert m2.installed() == ["nodejs", "npm"]


def test_failed_install_names_the_requirement(tmp_path: Path) -> None:
    m = Machine(tmp_path, apt_fails=("fonts-noto-cjk",)).has("xelatex", "latexmk", "pdftotext", "pdftoppm", "chromium", "npm", "soffice").has_tex(*TEX_FILES)
    proc = m.run("--test")
    assert proc.returncode == 1
    assert "apt-get 无法安装以下软件包：\n  fonts-noto-cjk（提供 Noto Serif CJK SC）" in proc.stderr
    assert "fontconfig（" not in proc.stderr  # installed fine on its own
    assert "apt-get install -y --no-install-recommends fontconfig fonts-noto-cjk" in proc.stderr


def test_not_root_prints_the_command(tmp_path: Path) -> None:
    m = Machine(tmp_path).has("xelatex", "latexmk", "pdftoppm", "chromium", "npm", "soffice").has_tex(*TEX_FILES).has_fonts("Noto Serif CJK SC")
    proc = m.run("--test", root=False)
    assert proc.returncode == 1 and m.apt_calls() == []
    assert proc.stderr.endswith("请运行：\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends poppler-utils\n")


def test_unknown_option_is_refused(tmp_path: Path) -> None:
    proc = Machine(tmp_path).run("--all")
    assert proc.returncode == 2 and "用法" in proc.stderr
