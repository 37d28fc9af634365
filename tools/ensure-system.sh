#!/usr/bin/env bash
# Make sure the system packages that the PDF edition and the tests need are present.
#
# Each requirement is a tool on the PATH, a TeX file (kpsewhich) or a font
# family (fc-list), mapped to the Debian package that provides it. Only the
# packages of missing requirements are installed, so a tool that is already
# there (from whatever source) is never asked for again. As root the missing
# packages are installed with apt-get; otherwise the exact command is printed.
#
#   bash tools/ensure-system.sh            the PDF edition (make, make pdf)
#   bash tools/ensure-system.sh --import   also what the import of old Office files and scans needs (make system-import)
#   bash tools/ensure-system.sh --test     also what the test suite needs (make test; includes --import)
#   bash tools/ensure-system.sh --node     node and npm, for the workflow linter only
#
# Node.js is not a requirement of the PDF edition or the tests: only
# `make lint-workflows` asks for it, and a node/npm already on the PATH (a
# vendor's nodejs package, which conflicts with Debian's npm) is left alone.
set -uo pipefail

# requirement kind:name → Debian package (cmd: on the PATH, tex: kpsewhich, font: fc-list, lib: ldconfig -p)
REQUIREMENTS=(
  "cmd:xelatex texlive-xetex"
  "cmd:latexmk latexmk"
  "cmd:kpsewhich texlive-binaries"
  "tex:ctex.sty texlive-lang-chinese"
  "tex:FandolFang-Regular.otf texlive-lang-chinese"
  "tex:FandolHei-Regular.otf texlive-lang-chinese"
  "tex:FandolKai-Regular.otf texlive-lang-chinese"
  "tex:FandolSong-Bold.otf texlive-lang-chinese"
  "tex:xeCJK.sty texlive-lang-cjk"
  "tex:titlesec.sty texlive-latex-extra"
  "tex:tabulary.sty texlive-latex-extra"
  "tex:varwidth.sty texlive-latex-extra"
  "tex:fncychap.sty texlive-latex-extra"
  "tex:capt-of.sty texlive-latex-extra"
  "tex:needspace.sty texlive-latex-extra"
  "tex:wrapfig.sty texlive-latex-extra"
  "tex:framed.sty texlive-latex-extra"
  "tex:upquote.sty texlive-latex-extra"
  "tex:pict2e.sty texlive-pictures"
  "tex:lmodern.sty lmodern"
  "tex:ptmr8t.tfm texlive-fonts-recommended"
  "cmd:fc-list fontconfig"
  "font:Noto Serif CJK SC fonts-noto-cjk"
)
TEST_REQUIREMENTS=(
  "cmd:pdftotext poppler-utils"
  "cmd:pdftoppm poppler-utils"
  "cmd:chromium chromium"
  "cmd:npm npm"
  # Playwright's own node binary (the browser tests' driver) links against it;
  # a minimal Debian has no libatomic.
  "lib:libatomic.so.1 libatomic1"
  # The Word edition's tests convert each .docx to PDF with LibreOffice (issue 24): in IMPORT_REQUIREMENTS.
)
IMPORT_REQUIREMENTS=(
  # LibreOffice: the import of .doc/.wps (Writer) and .xls (Calc) goes through its headless conversion (issue 23).
  "cmd:soffice libreoffice-writer-nogui"
  "cmd:soffice libreoffice-calc-nogui"
  # The OCR of scans (issue 23): opencv-python, which RapidOCR needs, links against these.
  "lib:libGL.so.1 libgl1"
  "lib:libglib-2.0.so.0 libglib2.0-0"
)

NODE_REQUIREMENTS=(
  "cmd:node nodejs"
  "cmd:npm npm"
)

case "${1:-}" in
  "") ;;
  --test) REQUIREMENTS+=("${TEST_REQUIREMENTS[@]}" "${IMPORT_REQUIREMENTS[@]}") ;;
  --import) REQUIREMENTS+=("${IMPORT_REQUIREMENTS[@]}") ;;
  --node) REQUIREMENTS=("${NODE_REQUIREMENTS[@]}") ;;
  *) echo "用法：bash tools/ensure-system.sh [--test|--import|--node]" >&2; exit 2 ;;
esac

have_cmd() { command -v "$1" >/dev/null 2>&1; }

# Shared libraries the dynamic linker knows (ldconfig is in /sbin, often outside a user's PATH).
ldconfig_bin=$(command -v ldconfig || command -v /sbin/ldconfig || command -v /usr/sbin/ldconfig || true)
libs=""
[ -n "$ldconfig_bin" ] && libs=$("$ldconfig_bin" -p 2>/dev/null)

fonts=""
have_cmd fc-list && fonts=$(fc-list : family 2>/dev/null)

present() { # present KIND NAME
  case "$1" in
    cmd) have_cmd "$2" ;;
    tex) have_cmd kpsewhich && [ -n "$(kpsewhich "$2" 2>/dev/null)" ] ;;
    font) [[ $'\n'"$fonts"$'\n' == *"$2"* ]] ;;
    lib) [[ "$libs" == *"$2 "* ]] ;;
  esac
}

missing=()   # "requirement package", one per missing requirement
packages=()  # distinct packages, in order
for entry in "${REQUIREMENTS[@]}"; do
  req=${entry% *}; pkg=${entry##* }
  kind=${req%%:*}; name=${req#*:}
  present "$kind" "$name" && continue
  missing+=("$name → $pkg")
  [[ " ${packages[*]:-} " == *" $pkg "* ]] || packages+=("$pkg")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "系统软件缺失：" >&2
printf '  %s\n' "${missing[@]}" >&2
command_line="apt-get install -y --no-install-recommends ${packages[*]}"

# ENSURE_SYSTEM_AS_ROOT=0/1 lets the tests take either branch whoever runs them.
as_root=${ENSURE_SYSTEM_AS_ROOT:-$([ "${EUID:-$(id -u)}" = 0 ] && echo 1 || echo 0)}
if [ "$as_root" != 1 ] || ! have_cmd apt-get; then
  echo "请运行：" >&2
  echo "  sudo apt-get update && sudo $command_line" >&2
  exit 1
fi

echo "以 root 运行，正在用 apt-get 安装：${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null || echo "apt-get update 失败，继续用已有的软件包列表" >&2
# shellcheck disable=SC2086
if apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${packages[@]}" >/dev/null; then
  exit 0
fi

# Say which requirement could not be installed: try each package alone.
failed=()
for pkg in "${packages[@]}"; do
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "$pkg" >/dev/null 2>&1 || failed+=("$pkg")
done
[ ${#failed[@]} -eq 0 ] && exit 0
echo "apt-get 无法安装以下软件包：" >&2
for pkg in "${failed[@]}"; do
  reqs=()
  for m in "${missing[@]}"; do [ "${m##* }" = "$pkg" ] && reqs+=("${m% → *}"); done
  echo "  $pkg（提供 ${reqs[*]}）" >&2
done
echo "请检查软件源后运行：" >&2
echo "  $command_line" >&2
exit 1
