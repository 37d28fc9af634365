"""The PDF edition's look: an official document after GB/T 9704-2012.

A4, type area 156 mm × 225 mm (top 37 mm, left 28 mm), body 3号 (16 pt) 仿宋 at
22 lines a page, headings 黑体 (一、) and 楷体 (（一）), the title in bold 宋体
standing in for 小标宋, page numbers "— 1 —" in 4号 centred at the foot. Fonts
are the Fandol fonts of Debian's texlive-lang-chinese; Noto CJK (fonts-noto-cjk)
is the fallback for rare characters.
"""

from __future__ import annotations

from pathlib import Path

from ..model.officialdoc import title_lines
from ..model.report import discover, load_meta
from ..model.reportmeta import tex_text as tex_escape  # escapes before texescape.init() has run

PREAMBLE = r"""
\usepackage{placeins}
\usepackage{etoolbox}
\xeCJKsetup{AutoFallBack=true, PunctStyle=plain}
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
% The GB/T 9704 grid: 3号 (16 bp) body, 22 lines of 28 characters on the
% 156 mm × 225 mm type area. Line pitch 225 mm / 22 = 28.99 bp, and no
% paragraph or heading space (Sphinx loads parskip), so every line of a text
% page sits on the grid; the first baseline is placed so that each line is
% centred in its 1/22 of the type area. 28 characters of 16 bp are 448 bp,
% 5.8 bp more than 156 mm: as in a word processor's character grid, every
% character advances 0.22 bp less (ctex's \ziju between characters, in em;
% the indent is 2 grid characters). Punctuation is set as it is in the font
% (PunctStyle=plain): a whole cell for every mark, two marks in a row take two
% cells and a mark at the end of a line ends on the right edge, as on a word
% processor's character grid. xeCJK's other styles squeeze marks (29
% characters a line) and drop a line-final mark's margin (the line stretches).
% Where a break rule moves a character down (no closing mark starts a line, no
% opening mark ends one), that line holds 27 characters spread over 28 cells.
% The glue between characters may stretch a little more than ctex's \ziju
% gives (+0.04 of the line pitch), so that a line of digits and Latin text
% spreads its space over all its characters rather than a few wide gaps.
\renewcommand\normalsize{\fontsize{16bp}{28.99bp}\selectfont}
\renewcommand\small{\fontsize{12bp}{16bp}\selectfont}
\renewcommand\footnotesize{\fontsize{10.5bp}{13bp}\selectfont}
\normalsize
\setlength{\topskip}{20.5bp}
\ExplSyntaxOn
\cs_gset_protected:Npn \ctex_update_ccglue:
  { \cs_set_protected:Npn \CJKglue { \skip_horizontal:n { \l__ctex_ccglue_skip + 0pt plus 0.04 \tex_baselineskip:D } } }
\ExplSyntaxOff
\ziju{-0.01375}
\setlength{\parskip}{0pt}
\setlength{\parindent}{31.56bp}
\setcounter{secnumdepth}{-1}
\titleformat{\section}{\CJKfamily{govhei}\fontsize{16bp}{28.99bp}\selectfont}{}{0pt}{}
\titleformat{\subsection}{\CJKfamily{govkai}\fontsize{16bp}{28.99bp}\selectfont}{}{0pt}{}
\titleformat{\subsubsection}{\bfseries\fontsize{16bp}{28.99bp}\selectfont}{}{0pt}{}
\titlespacing*{\section}{31.56bp}{0pt}{0pt}
\titlespacing*{\subsection}{31.56bp}{0pt}{0pt}
\titlespacing*{\subsubsection}{31.56bp}{0pt}{0pt}
% "— 1 —" in 4号 (14 bp) 半角 Song digits; the dashes are rules (a CJK dash
% would eat the spaces). The dash's upper edge is 7 mm below the type area:
% footskip = 7 mm + the dash's height above the baseline (0.3em + 0.5 pt).
\newfontfamily\govdigits{FandolSong-Regular.otf}
\newcommand\govpagenumber{\fontsize{14bp}{14bp}\selectfont\govdigits
  \rule[0.3em]{1em}{0.5pt}\enspace\thepage\enspace\rule[0.3em]{1em}{0.5pt}}
\fancypagestyle{normal}{\fancyhf{}\fancyfoot[C]{\govpagenumber}%
  \renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
\fancypagestyle{plain}{\fancyhf{}\fancyfoot[C]{\govpagenumber}%
  \renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
% A heading needs 3 lines after it on the page, not Sphinx's 6 (at 3号 line
% spacing 6 lines leave large voids).
\renewcommand\bottomtitlespace{3\baselineskip}
% Tables (sphinxext/latex.py): longtables that break where they stand, the
% head repeated. A label merged over many rows (表三's block title, rs 22 in the spec's grid) is centred
% when its first and last rows were on one page in the previous run, else set
% at the top of its rows so that a page break does not cut it.
\usepackage{refcount}
\renewcommand\sphinxstyletheadfamily{}
\newcommand\govtablecaption[2]{\CJKfamily{govhei}\fontsize{16bp}{28.99bp}\selectfont #1\ifx\relax#2\relax\else\quad #2\fi}
% \leavevmode: inside the cell's paragraph, or the top-aligned cell would hang from the
% label (a whatsit) and set its text a line's height lower than the row's numbers.
\newcommand\govmark[1]{\leavevmode\label{gov:#1}}
\makeatletter
% \govmultirow: Sphinx's \sphinxmultirow without making the rows taller (the
% label is known to fit in its rows: sphinxext/latex.py).
\def\govmultirow#1#2{\begingroup\def\sphinx@cellid{#2}%
  \afterassignment\gov@multirow\let\next=}
\def\gov@multirow{\setbox\z@\hbox\bgroup\aftergroup\gov@@multirow\strut}
\def\gov@@multirow{\dp\z@\z@
  \expandafter\xdef\csname sphinx@tablestrut_\sphinx@cellid\endcsname{}%
  \box\z@\endgroup}
% No page break between a row and the partial rules under it (\cline's
% \vskip would be a legal break): rows kept together (\\* and \govkeep) stay so.
\patchcmd{\@cline}{\noalign{\vskip-\arrayrulewidth}}{\noalign{\nobreak\vskip-\arrayrulewidth}}{}%
  {\PackageWarningNoLine{govreport}{cannot patch \string\@cline}}
\patchcmd{\sphinxtablevlinecrossing}{\noalign{\vskip-\arrayrulewidth}}{\noalign{\nobreak\vskip-\arrayrulewidth}}{}%
  {\PackageWarningNoLine{govreport}{cannot patch \string\sphinxtablevlinecrossing}}
\def\govkeep{\noalign{\nobreak}}
% \govvcentre{lines}{key}: space above a merged label (so it sits in the
% middle of its rows); with a key, only if its rows were on one page.
\newcommand\govvcentre[2]{\ifx\relax#2\relax\vspace*{#1\baselineskip}\else
  \ifnum\getpagerefnumber{gov:#2:a}=\getpagerefnumber{gov:#2:b}\relax\vspace*{#1\baselineskip}\fi\fi}
\makeatother
% URLs break only at sensible points: never after "http:" (url.sty's
% \UrlBigBreaks), and one shorter than half a line not at all (the line
% before it is justified instead).
\def\UrlBigBreaks{\do\-}
\makeatletter
\let\govsphinxurl\sphinxurl
\protected\def\sphinxurl#1{\sbox\z@{\govsphinxurl{#1}}%
  \ifdim\wd\z@<.5\linewidth\mbox{\govsphinxurl{#1}}\else\govsphinxurl{#1}\fi}
\makeatother
% 落款 (GB/T 9704 7.3.5.3): one empty line below the text; the name 2
% characters from the right margin; the date on the next line, its first
% character 2 characters right of the name's, or, when longer, the date 2
% characters from the margin and the name moved left (officialdoc.Signoff).
\newcommand\govsignoff[2]{\par\FloatBarrier\vspace{\baselineskip}\nopagebreak
  \begingroup\setlength{\parindent}{0pt}%
  \setbox0\hbox{#1}\setbox2\hbox{#2}%
  \dimen0=\dimexpr4\ccwd+\wd2-\wd0\relax
  \ifdim\dimen0<2\ccwd \dimen0=2\ccwd \fi
  \dimen2=\dimexpr\dimen0+\wd0-2\ccwd-\wd2\relax
  \hbox to\linewidth{\hfill\box0\hspace*{\dimen0}}\par\nopagebreak
  \hbox to\linewidth{\hfill\box2\hspace*{\dimen2}}\par
  \endgroup}
% A line break of the title (officialdoc.title_lines); nothing in PDF metadata.
\newcommand\govbreak{\\}
\makeatletter
\newcommand\govmaketitle{%
  \pdfstringdefDisableCommands{\let\govbreak\empty}%
  \hypersetup{pdftitle={\@title}, pdfauthor={\@author}}%
  % 2号 title lines on the grid pitch, then one empty grid line (GB/T 9704 7.2).
  {\centering\CJKfamily{govsong}\fontsize{22bp}{28.99bp}\selectfont \@title\par}%
  \vspace{28.99bp}}
\makeatother
"""


def latex_elements_for() -> dict[str, str]:
    """Sphinx's ``latex_elements`` for the PDF edition."""
    return {
        "papersize": "a4paper",
        "pointsize": "12pt",
        "babel": "",
        "polyglossia": "",
        "fontenc": r"\usepackage[fontset=none,linespread=1]{ctex}",  # not ctex's ×1.3 line spread
        "fontpkg": "",
        "geometry": r"\usepackage[footskip=8.66mm]{geometry}",  # margins: sphinxsetup (Sphinx passes its own)
        "preamble": PREAMBLE,
        "maketitle": r"\govmaketitle",
        "tableofcontents": "",
        "printindex": "",
        "makeindex": "",
        "releasename": "",
        "sphinxsetup": "hmargin={28mm,26mm}, vmargin={37mm,35mm}, TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0,0,0}",
        "extraclassoptions": "oneside",
    }


def latex_documents_for(root: Path) -> list[tuple[str, str, str, str, str]]:
    """One LaTeX document per report under ``root``: the title broken by meaning.

    Called from conf.py, where it is the first to load the format specs: a typo in
    one is Sphinx's ConfigError with the spec's located lines, not a traceback."""
    from ..format.specvalid import SpecError

    try:
        return _documents(root)
    except SpecError as exc:
        from sphinx.errors import ConfigError

        raise ConfigError(str(exc)) from None  # the located lines are the whole story


def _documents(root: Path) -> list[tuple[str, str, str, str, str]]:
    out = []
    for agency, year in discover(root):
        r = load_meta(root, agency, year)  # titles only: no tables
        title = r"\govbreak ".join(tex_escape(line) for line in title_lines(r.name, r.year, r.title_break))
        out.append((r.docname, f"{agency}-{year}.tex", title, tex_escape(r.full_name), "howto"))
    return out
