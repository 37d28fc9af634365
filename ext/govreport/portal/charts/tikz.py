"""The same charts as pgfplots code for the PDF edition (set in the report's fonts)."""

from __future__ import annotations

from sphinx.util.texescape import escape as tex_escape

from .figures import FIGURES, ChartKind, History, fmt

PREAMBLE = "\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n"
COLOURS = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00")


def bar_chart(kind: ChartKind, h: History) -> str:
    """A ``tikzpicture`` with one ``ybar`` axis: one plot per figure, years on x."""
    unit = FIGURES[kind.figures[0]].unit
    years = [f"{y.year}{'*' if y.archived else ''}" for y in h.years]
    coords = ",".join(years)
    lines = [f"\\definecolor{{govc{i}}}{{HTML}}{{{c}}}" for i, c in enumerate(COLOURS)]
    lines += [
        r"\begin{center}\begin{tikzpicture}\footnotesize",
        r"\begin{axis}[ybar, width=\linewidth, height=6.5cm, ymin=0,"
        + (" ymax=100," if unit == "%" else "")
        + f" symbolic x coords={{{coords}}}, xtick=data, enlarge x limits={0.5 if len(years) < 2 else 0.15},"
        + r" bar width=8pt, nodes near coords, every node near coord/.append style={font=\tiny},"
        + r" legend style={at={(0.5,-0.18)}, anchor=north, legend columns=-1, draw=none, /tikz/every even column/.append style={column sep=1em}},"
        + f" title={{{tex_escape(h.name + '：' + kind.title)}}}]",
    ]
    for si, f in enumerate(kind.figures):
        pts = " ".join(f"({years[i]},{fmt(y.values[f], unit)})" for i, y in enumerate(h.years) if y.values[f] is not None)
        lines.append(f"\\addplot[fill=govc{si % len(COLOURS)}, draw=govc{si % len(COLOURS)}] coordinates {{{pts}}};")
    lines.append("\\legend{" + ",".join(tex_escape(FIGURES[f].label) for f in kind.figures) + "}")
    lines.append(r"\end{axis}\end{tikzpicture}\end{center}")
    if any(y.archived for y in h.years):
        lines.append(r"\begin{center}\footnotesize * 存档原文\end{center}")
    return "\n".join(lines) + "\n"
