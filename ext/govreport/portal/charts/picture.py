"""The same charts for the PDF edition, in LaTeX's ``picture`` environment (set in the report's fonts).

Not pgfplots: loading it (and TikZ under it) was 0.3 of the 1.0 CPU-second a XeLaTeX run of a
report takes, and every report has a chart. ``picture`` is the LaTeX kernel's (its lines are
drawn by pict2e, which Sphinx's style loads anyway). The layout is
the SVG's (``svg.py``: same axis top, gridlines, groups and order of bars), drawn in a box
``\\linewidth`` wide whose unit is 1/640 of it, as the SVG's viewBox is 640 wide.
"""

from __future__ import annotations

from sphinx.util.texescape import escape as tex_escape

from .figures import FIGURES, ChartKind, History, fmt
from .svg import BOTTOM, COLOURS, HEIGHT, LEFT, RIGHT, TOP, WIDTH, layout


def _n(x: float) -> str:
    """A coordinate as TeX reads it: at most two decimals, no exponent, no trailing zeros."""
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


def bar_chart(kind: ChartKind, h: History) -> str:
    """A ``picture``: gridlines with the y values, one bar per figure and year with its value above,
    the years under the groups, the legend under them, the title on top."""
    unit = FIGURES[kind.figures[0]].unit
    top, bars, middles = layout(kind, h)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y0 = BOTTOM  # the x axis, from the picture's bottom
    colours = [f"govc{i}" for i in range(len(COLOURS))]
    out = [f"\\definecolor{{{c}}}{{HTML}}{{{hexa.lstrip('#')}}}" for c, hexa in zip(colours, COLOURS, strict=True)]
    out += [r"\definecolor{govgrid}{HTML}{CCCCCC}",
            r"\begin{center}\setlength{\unitlength}{0.0015625\linewidth}\linethickness{0.4bp}",
            f"\\begin{{picture}}({WIDTH},{HEIGHT})",
            # a long agency name wraps within the text's width (a box of no width would run off the page)
            f"\\put({WIDTH // 2},{HEIGHT}){{\\makebox(0,0)[t]{{\\parbox[t]{{\\linewidth}}{{\\centering\\footnotesize "
            f"{tex_escape(h.name + '：' + kind.title)}}}}}}}"]
    for i in range(5):  # gridlines and the y values
        ty = y0 + ph * i / 4
        out.append(f"\\put({LEFT},{_n(ty)}){{\\color{{govgrid}}\\line(1,0){{{pw}}}}}")
        out.append(f"\\put({LEFT - 6},{_n(ty)}){{\\makebox(0,0)[r]{{\\scriptsize {_n(top * i / 4)}}}}}")
    for y, row, middle in zip(h.years, bars, middles, strict=True):
        for b in row:
            if b.height > 0:
                out.append(f"\\put({_n(b.x)},{y0}){{\\color{{{colours[b.series % len(colours)]}}}\\rule{{{_n(b.width - 1)}\\unitlength}}{{{_n(b.height)}\\unitlength}}}}")
            out.append(f"\\put({_n(b.x + (b.width - 1) / 2)},{_n(y0 + b.height + 3)}){{\\makebox(0,0)[b]{{\\tiny {fmt(b.value, unit)}}}}}")
        label = f"{y.year}{'*' if y.archived else ''}"
        out.append(f"\\put({_n(middle)},{y0 - 6}){{\\makebox(0,0)[t]{{\\scriptsize {label}}}}}")
    out.append(f"\\put({LEFT},{y0}){{\\line(1,0){{{pw}}}}}")
    legend = "\\hspace{1.5em}".join(
        f"\\textcolor{{{colours[si % len(colours)]}}}{{\\rule{{6bp}}{{6bp}}}}\\,{tex_escape(FIGURES[f].label)}"
        for si, f in enumerate(kind.figures))
    out.append(f"\\put({LEFT + pw // 2},18){{\\makebox(0,0){{\\scriptsize {legend}}}}}")
    if any(y.archived for y in h.years):
        out.append(f"\\put({LEFT + pw},4){{\\makebox(0,0)[r]{{\\scriptsize * 存档原文}}}}")
    out.append(r"\end{picture}\end{center}")
    return "\n".join(out) + "\n"
