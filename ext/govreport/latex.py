"""The PDF edition's look: an official document after GB/T 9704-2012.

A4, type area 156 mm × 225 mm (top 37 mm, left 28 mm), body 3号 (16 pt) 仿宋 at
22 lines a page, headings 黑体 (一、) and 楷体 (（一）), the title in bold 宋体
standing in for 小标宋, page numbers "— 1 —" in 4号 centred at the foot. Fonts
are the Fandol fonts of Debian's texlive-lang-chinese; Noto CJK (fonts-noto-cjk)
is the fallback for rare characters.
"""

from __future__ import annotations

PREAMBLE = r"""
\xeCJKsetup{AutoFallBack=true}
\setCJKmainfont{FandolFang-Regular.otf}[BoldFont=FandolHei-Regular.otf, ItalicFont=FandolKai-Regular.otf]
\setCJKsansfont{FandolHei-Regular.otf}
\setCJKmonofont{FandolFang-Regular.otf}
\setCJKfamilyfont{govsong}{FandolSong-Bold.otf}
\setCJKfamilyfont{govhei}{FandolHei-Regular.otf}
\setCJKfamilyfont{govkai}{FandolKai-Regular.otf}
\setCJKfallbackfamilyfont{\CJKrmdefault}{Noto Serif CJK SC}
\setCJKfallbackfamilyfont{\CJKsfdefault}{Noto Sans CJK SC}
\setCJKfallbackfamilyfont{govsong}{Noto Serif CJK SC}
\setCJKfallbackfamilyfont{govhei}{Noto Sans CJK SC}
\setCJKfallbackfamilyfont{govkai}{Noto Serif CJK SC}
% 3号 body, 22 lines in a 225 mm type area.
\renewcommand\normalsize{\fontsize{16bp}{28.9bp}\selectfont}
\renewcommand\small{\fontsize{12bp}{16bp}\selectfont}
\renewcommand\footnotesize{\fontsize{10.5bp}{13bp}\selectfont}
\setlength{\parindent}{2em}
\setcounter{secnumdepth}{-1}
\titleformat{\section}{\CJKfamily{govhei}\fontsize{16bp}{28.9bp}\selectfont}{}{0pt}{}
\titleformat{\subsection}{\CJKfamily{govkai}\fontsize{16bp}{28.9bp}\selectfont}{}{0pt}{}
\titleformat{\subsubsection}{\bfseries\fontsize{16bp}{28.9bp}\selectfont}{}{0pt}{}
\titlespacing*{\section}{2em}{0pt}{0pt}
\titlespacing*{\subsection}{2em}{0pt}{0pt}
\titlespacing*{\subsubsection}{2em}{0pt}{0pt}
% "— 1 —": dashes drawn as rules (a CJK dash would eat the spaces).
\newcommand\govpagenumber{\fontsize{14bp}{14bp}\selectfont
  \rule[0.3em]{1em}{0.5pt}\enspace\thepage\enspace\rule[0.3em]{1em}{0.5pt}}
\fancypagestyle{normal}{\fancyhf{}\fancyfoot[C]{\govpagenumber}%
  \renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
\fancypagestyle{plain}{\fancyhf{}\fancyfoot[C]{\govpagenumber}%
  \renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
% A heading needs 3 lines after it on the page, not Sphinx's 6 (at 3号 line
% spacing 6 lines leave large voids).
\renewcommand\bottomtitlespace{3\baselineskip}
\makeatletter
\newcommand\govmaketitle{%
  \hypersetup{pdftitle={\@title}, pdfauthor={\@author}}%
  \begin{center}\CJKfamily{govsong}\fontsize{22bp}{33bp}\selectfont \@title\par\end{center}%
  \vspace{14bp}}
\makeatother
"""


def latex_elements_for() -> dict[str, str]:
    return {
        "papersize": "a4paper",
        "pointsize": "12pt",
        "babel": "",
        "polyglossia": "",
        "fontenc": r"\usepackage[fontset=none]{ctex}",
        "fontpkg": "",
        "geometry": r"\usepackage[a4paper,top=37mm,bottom=35mm,left=28mm,right=26mm,footskip=14mm]{geometry}",
        "preamble": PREAMBLE,
        "maketitle": r"\govmaketitle",
        "tableofcontents": "",
        "printindex": "",
        "makeindex": "",
        "releasename": "",
        "sphinxsetup": "TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0,0,0}",
        "extraclassoptions": "oneside",
    }
