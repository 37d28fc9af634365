"""Grouped bar charts as inline SVG, written by hand: real text, ``role="img"``,
a title and a description listing every value. Deterministic output."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from ...model.csvload import Number
from .figures import FIGURES, ChartKind, History, fmt

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 64
#: Colour-blind-safe (Okabe–Ito); series also differ by position and legend order.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


def nice_max(v: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least ``v``."""
    if v <= 0:
        return 1.0
    p = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 5, 10):
        if m * p >= v:
            return float(m * p)
    return float(10 * p)


def axis_top(kind: ChartKind, h: History) -> float:
    """The value at the top of the y axis (100 for percentages): the SVG and the PDF chart share it."""
    most = max((float(v) for y in h.years for f in kind.figures if (v := y.values[f]) is not None), default=0.0)
    if FIGURES[kind.figures[0]].unit == "%":
        return 100.0 if most <= 100 else nice_max(most)  # a share over 100 % is wrong, but drawn inside the chart
    return float(max(4, math.ceil(nice_max(most) / 4) * 4))  # four whole-number steps between the gridlines (never 0.25 件)


def bar_height(v: Number, top: float, plot_height: float) -> float:
    """A bar's height: none for a value at or below zero (a bar never reaches under the axis)."""
    return max(0.0, plot_height * float(v) / top) if top else 0.0


@dataclass(frozen=True)
class Bar:
    """One value's bar: ``x`` from the chart's left, ``height`` up from the x axis (plot units)."""

    series: int  # the figure's place in the chart (its colour)
    value: Number
    x: float
    width: float  # the bar's slot; drawn 1 narrower, a gap to the next
    height: float


def layout(kind: ChartKind, h: History) -> tuple[float, list[list[Bar]], list[float]]:
    """The axis top, each year's bars and each year's middle: one layout for the SVG and the PDF."""
    top, ph = axis_top(kind, h), HEIGHT - TOP - BOTTOM
    n, k = max(1, len(h.years)), len(kind.figures)
    group = (WIDTH - LEFT - RIGHT) / n
    bar = min(28.0, group * 0.8 / k)
    bars = [[Bar(si, v, LEFT + group * gi + (group - bar * k) / 2 + si * bar, bar, bar_height(v, top, ph))
             for si, f in enumerate(kind.figures) if (v := y.values[f]) is not None] for gi, y in enumerate(h.years)]
    return top, bars, [LEFT + group * gi + group / 2 for gi in range(len(h.years))]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def describe(kind: ChartKind, h: History) -> str:
    """The description: every value, in words (also read by screen readers)."""
    parts = []
    for y in h.years:
        mark = "（存档原文）" if y.archived else ""
        vals = "，".join(f"{FIGURES[f].label} {fmt(y.values[f], FIGURES[f].unit)}{'' if FIGURES[f].unit == '%' else '件'}" for f in kind.figures)
        parts.append(f"{y.year} 年{mark}：{vals}")
    return f"{h.name}{kind.title}，按年度：" + "；".join(parts) + "。"


def bar_chart(kind: ChartKind, h: History, ident: str) -> str:
    """The SVG text of one chart; ``ident`` makes its element ids unique on a page."""
    unit = FIGURES[kind.figures[0]].unit
    top, bars, middles = layout(kind, h)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    title = f"{h.name}：{kind.title}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gov-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="100%" style="min-width:560px;max-width:760px" aria-labelledby="{ident}-t {ident}-d" font-family="sans-serif" font-size="12">',
           f'<title id="{ident}-t">{escape(title)}</title>',
           f'<desc id="{ident}-d">{escape(describe(kind, h))}</desc>',
           f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i in range(5):  # gridlines and y labels
        tick = top * i / 4
        ty = TOP + ph - ph * i / 4
        out.append(f'<line x1="{LEFT}" y1="{_num(ty)}" x2="{LEFT + pw}" y2="{_num(ty)}" stroke="#ccc" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{_num(ty + 4)}" text-anchor="end">{_num(tick)}</text>')
    for y, row, middle in zip(h.years, bars, middles, strict=True):
        for b in row:
            out.append(f'<rect x="{_num(b.x)}" y="{_num(TOP + ph - b.height)}" width="{_num(b.width - 1)}" height="{_num(b.height)}" '
                       f'fill="{COLOURS[b.series % len(COLOURS)]}"><title>{y.year} 年 {escape(FIGURES[kind.figures[b.series]].label)}：{fmt(b.value, unit)}</title></rect>')
            out.append(f'<text x="{_num(b.x + (b.width - 1) / 2)}" y="{_num(TOP + ph - b.height - 3)}" text-anchor="middle" font-size="10">{fmt(b.value, unit)}</text>')
        label = f"{y.year}{'*' if y.archived else ''}"
        out.append(f'<text x="{_num(middle)}" y="{TOP + ph + 16}" text-anchor="middle">{label}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}" stroke="#333" stroke-width="1"/>')
    lx = LEFT
    ly = HEIGHT - 22
    for si, f in enumerate(kind.figures):
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLOURS[si % len(COLOURS)]}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly}">{escape(FIGURES[f].label)}</text>')
        lx += 16 + 13 * len(FIGURES[f].label) + 18
    if any(y.archived for y in h.years):
        out.append(f'<text x="{LEFT + pw}" y="{ly}" text-anchor="end" font-size="11">* 存档原文</text>')
    out.append("</svg>")
    return "\n".join(out)
