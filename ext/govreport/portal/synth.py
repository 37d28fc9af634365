"""Synthetic sites for the tests and the benchmarks: N reports with valid random data.

The site uses the project's own layout, conf.py and pages (``report-table``,
``{value}``, ``report-index``); the benchmarks' baseline edition of the same
site (plain ``csv-table``, no govreport) is in ``bench/synth.py``. Both are
written from a checkout of the repository (``conf.py`` and ``docs/`` are read
from it).

Every relation of the format holds (t3 per column new + carried_in = total +
carried_over, results sum to total, applicant columns sum to total; t4 outcomes sum
to total; next year's t3.carried_in = last year's t3.carried_over; t2 stock: last
in_force + issued − repealed = in_force), so a synthetic site has no findings.

The pages' words (headings, sentences, the sentences of ``{value}`` roles) are
sample text in ``synth_narratives.yaml``, read when a page is written.
"""

from __future__ import annotations

import functools
import random
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from string import Template
from typing import Any, Literal

import yaml

from govreport.format.spec import FormatSpec, load_spec
from govreport.model.csvload import Number
from govreport.model.csvwrite import table_csv
from govreport.model.report import load_report

#: The checkout this module is part of (ext/govreport/portal/synth.py).
REPO = Path(__file__).resolve().parents[3]
Mode = Literal["ours", "baseline"]
Values = dict[str, dict[tuple[str, str], Number]]

FIRST_YEAR = 2021
YEARS_PER_AGENCY = 5  # 2021–2025: a portal keeps several years of each agency

_PLACES = ["dongcheng", "xicheng", "chaoyang", "haidian", "fengtai", "shijingshan", "mentougou", "fangshan",
           "tongzhou", "shunyi", "changping", "daxing", "huairou", "pinggu", "miyun", "yanqing", "xiangshan",
           "shapotou", "zhongning", "haiyuan", "yinchuan", "xingqing", "jinfeng", "xixia", "helan", "yongning"]
_PLACE_NAMES = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区",
                "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "沙坡头区", "中宁县",
                "海原县", "兴庆区", "金凤区", "西夏区", "贺兰县", "永宁县"]
_ORGANS = ["发展和改革局", "教育局", "科学技术局", "公安分局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
           "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局",
           "文化和旅游局", "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
           "城市管理委员会", "退役军人事务局", "人民政府办公室", "香山乡人民政府", "永康镇人民政府", "宣和镇人民政府"]

#: The sample text of the generators (``synth:`` here, ``district:`` for portal/district.py).
NARRATIVES = Path(__file__).with_name("synth_narratives.yaml")


@functools.cache
def narratives() -> dict[str, Any]:
    """``synth_narratives.yaml``'s ``synth:`` part: the sample text of a page."""
    with NARRATIVES.open(encoding="utf-8") as f:
        return yaml.safe_load(f)["synth"]  # type: ignore[no-any-return]


@dataclass
class Report:
    """One synthetic report: who, which year, its numbers and its prose."""

    agency: str
    year: int
    name: str
    full_name: str
    values: Values
    page: str  # MyST with report-table and {value}


@dataclass
class Site:
    root: Path
    mode: Mode
    reports: list[tuple[str, int]]

    @property
    def docs(self) -> Path:
        return self.root / "docs"


# ------------------------------------------------------------------- numbers


def _spread(rng: random.Random, total: int, weights: dict[str, float]) -> dict[str, int]:
    """``total`` split over the keys of ``weights`` at random (a multinomial draw)."""
    out = dict.fromkeys(weights, 0)
    keys, w = list(weights), list(weights.values())
    for k in rng.choices(keys, w, k=total):
        out[k] += 1
    return out


_RESULT_WEIGHTS = {"open": 50.0, "partial": 8.0, "deny_1": 0.3, "deny_2": 0.3, "deny_3": 0.5, "deny_4": 1.0,
                   "deny_5": 1.0, "deny_6": 1.0, "deny_7": 0.5, "deny_8": 1.0, "unable_1": 12.0, "unable_2": 2.0,
                   "unable_3": 1.5, "reject_1": 3.0, "reject_2": 2.0, "reject_3": 0.5, "reject_4": 0.5, "reject_5": 0.5,
                   "other_1": 2.0, "other_2": 0.2, "other_3": 3.0}
_APPLICANT_MAX = {"natural": 80, "commercial": 12, "research": 2, "public_interest": 2, "legal": 6, "other": 3}


def make_values(rng: random.Random, spec: FormatSpec, prev: Values | None) -> Values:
    """Random numbers for one report; ``prev`` is last year's report of the agency."""
    t2: dict[tuple[str, str], Number] = {}
    for row, (lo, hi) in {"rules": (0, 0), "normative": (0, 12)}.items():
        last = int(prev["t2"][(row, "in_force")]) if prev else rng.randint(0, 40) * hi // 12
        issued = rng.randint(lo, hi)
        repealed = rng.randint(0, min(last + issued, 4))
        t2[(row, "issued")], t2[(row, "repealed")] = issued, repealed
        # The first year has no last year to agree with; later years carry the stock.
        t2[(row, "in_force")] = last + issued - repealed
    t2[("license", "decisions")] = rng.choice([0, 0, rng.randint(1, 800)])
    t2[("penalty", "decisions")] = rng.choice([0, rng.randint(1, 400)])
    t2[("coercion", "decisions")] = rng.choice([0, 0, rng.randint(1, 60)])
    t2[("fee", "amount")] = rng.choice([Decimal(0), Decimal(rng.randint(1, 500_000)) / 10_000])

    t3: dict[tuple[str, str], Number] = {}
    cols = [c for c in spec.tables["t3"].columns if c != "total"]
    busy = rng.random()  # how much this agency is asked this year
    for col in cols:
        carried_in = int(prev["t3"][("carried_over", col)]) if prev else rng.randint(0, 2) * (col == "natural")
        new = int(rng.randint(0, _APPLICANT_MAX[col]) * busy)
        carried_over = rng.randint(0, min(3, new + carried_in))
        results = _spread(rng, new + carried_in - carried_over, _RESULT_WEIGHTS)
        t3[("new", col)], t3[("carried_in", col)], t3[("carried_over", col)] = new, carried_in, carried_over
        for row, n in results.items():
            t3[(row, col)] = n
        t3[("total", col)] = sum(results.values())
    for row in spec.tables["t3"].rows:
        t3[(row, "total")] = sum(int(t3[(row, c)]) for c in cols)

    t4: dict[tuple[str, str], Number] = {}
    for row, hi in {"review": 4, "suit_direct": 2, "suit_after": 1}.items():
        outcomes = {c: rng.randint(0, hi) if rng.random() < 0.3 else 0 for c in ("upheld", "corrected", "other", "pending")}
        for c, n in outcomes.items():
            t4[(row, c)] = n
        t4[(row, "total")] = sum(outcomes.values())
    return {"t2": t2, "t3": t3, "t4": t4}


def show(values: Values, table: str, row: str, col: str) -> str:
    """A number as the page shows it (what ``{value}`` renders)."""
    v = values[table][(row, col)]
    return format(v, "f") if isinstance(v, Decimal) else str(v)


# --------------------------------------------------------------------- prose


#: The text's ``leads`` and ``tails`` vary a sentence from one year to the next, as real
#: reports do (measured 2–30 % of last year's sentences repeated): with one of
#: each, the same sentence recurs in next year's page about once in 60 draws,
#: so the synthetic district does not trip 内容雷同 (U910) unless a page is a copy.


def _sentence(rng: random.Random) -> str:
    text = narratives()
    leads: list[str] = text["leads"]
    sentences: list[str] = text["sentences"]
    tails: list[str] = text["tails"]
    return rng.choice(leads) + rng.choice(sentences) + rng.choice(tails) + "。"


def _filler(rng: random.Random, chars: int) -> list[str]:
    """Paragraphs of about ``chars`` characters, one sentence a line."""
    paras: list[str] = []
    para: list[str] = []
    size = 0
    while size < chars:
        s = _sentence(rng)
        para.append(s)
        size += len(s)
        if len(para) >= rng.randint(2, 5):
            paras.append("\n".join(para))
            para = []
    if para:
        paras.append("\n".join(para))
    return paras


def page_text(rng: random.Random, spec: FormatSpec, name: str, full_name: str, year: int) -> str:
    """The MyST page of one report: 2–4 k characters across the six sections."""
    target = rng.randint(2300, 4400)
    s = spec.sections
    text = narratives()
    fields = {"name": name, "year": year, "full_name": full_name, "format": spec.name}
    out = [Template(text["title"]).substitute(fields), "", *(Template(line).substitute(fields) for line in text["intro"]), "",
           f"## {s[0]}", ""]
    out += [*_filler(rng, int(target * 0.08)), ""]
    values = text["subsection_values"]
    for i, sub in enumerate(text["subsections"]):
        out += [f"### {sub}", ""]
        if i < len(values):
            out += [values[i], ""]
        out += ["\n\n".join(_filler(rng, int(target * 0.08))), ""]
    out += [f"## {s[1]}", "", *_filler(rng, int(target * 0.04)), "",
            text["fee"], "",
            *_table(spec, "t2"),
            f"## {s[2]}", "", *_filler(rng, int(target * 0.04)), "",
            *_table(spec, "t3"),
            f"## {s[3]}", "",
            text["appeals"], "",
            *_table(spec, "t4"),
            f"## {s[4]}", "", *_filler(rng, int(target * 0.2)), "",
            f"## {s[5]}", "", text["no_fee"], "", *_filler(rng, int(target * 0.06)), ""]
    return "\n".join(out)


def _table(spec: FormatSpec, tid: str) -> list[str]:
    """A ``report-table`` directive for the table ``tid`` (by its title, 表二, as pages write it)."""
    return [f"```{{report-table}} {spec.tables[tid].title}", "```", ""]


# ---------------------------------------------------------------------- site


def plan(n: int, seed: int = 1) -> list[Report]:
    """N reports: agencies of ``YEARS_PER_AGENCY`` consecutive years each."""
    rng = random.Random(seed)
    spec = load_spec("2021")
    reports: list[Report] = []
    agencies = -(-n // YEARS_PER_AGENCY)
    for a in range(agencies):
        slug = f"{_PLACES[a % len(_PLACES)]}{a:04d}"
        place, organ = rng.choice(_PLACE_NAMES), rng.choice(_ORGANS)
        name, full = f"{place}{organ}", f"某某市{place}{organ}"
        prev: Values | None = None
        for k in range(YEARS_PER_AGENCY):
            if len(reports) == n:
                break
            year = FIRST_YEAR + k
            values = make_values(rng, spec, prev)
            reports.append(Report(slug, year, name, full, values, page_text(rng, spec, name, full, year)))
            prev = values
    return reports


def _conf_ours() -> str:
    main = REPO / "conf.py"
    return (
        '"""Synthetic benchmark site: the project\'s own conf.py, run for this folder."""\n'
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'ext')!r})\n"
        f"_MAIN = {str(main)!r}\n"
        "with open(_MAIN, encoding='utf-8') as _f:\n"
        "    exec(compile(_f.read(), _MAIN, 'exec'))\n"
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_data(root: Path, r: Report, spec: FormatSpec) -> None:
    """``data/<agency>/<year>/``: report.toml and the three CSVs."""
    d = root / "data" / r.agency / str(r.year)
    _write(d / "report.toml", f'agency = "{r.name}"\nfull_name = "{r.full_name}"\nformat = "{spec.version}"\n')
    for t in spec.tables.values():
        _write(d / t.file, table_csv(t, dict(r.values[t.id])))


def write_reports(dest: Path, reports: list[Report], page: Callable[[Report, FormatSpec], str]) -> FormatSpec:
    """A fresh ``dest`` holding every report's data and its page, ``page(report, spec)``."""
    spec = load_spec("2021")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for r in reports:
        write_data(dest, r, spec)
        _write(dest / "docs" / r.agency / f"{r.year}.md", page(r, spec))
    return spec


def make_site(dest: Path, reports: list[Report]) -> Site:
    """Write the site at ``dest`` (replacing what is there), with the project's conf.py and index."""
    write_reports(dest, reports, lambda r, _spec: r.page)
    _write(dest / "conf.py", _conf_ours())
    shutil.copy(REPO / "docs" / "index.md", dest / "docs" / "index.md")
    shutil.copy(REPO / "docs" / "codes.md", dest / "docs" / "codes.md")
    return Site(dest, "ours", [(r.agency, r.year) for r in reports])


def findings_of(site: Site) -> list[str]:
    """Every finding of every report of an ``ours`` site, as text (empty when valid)."""
    from govreport.checks import check_report

    return [f.text() for a, y in site.reports for f in check_report(site.root, a, y).findings]


def edit_csv(root: Path, agency: str, year: int, step: int) -> Path:
    """Change one number of ``table3.csv`` so that every relation still holds:
    move one application of t3's ``natural`` column between rows ``open`` and ``partial``."""
    spec = load_spec("2021")
    t = spec.tables["t3"]
    report = load_report(root, agency, year)
    values = dict(report.tables["t3"].values)
    src, dst = ("open", "partial") if step % 2 == 0 else ("partial", "open")
    if not values[(src, "natural")]:
        src, dst = dst, src
    if not values[(src, "natural")]:
        raise ValueError(f"{agency}/{year}: no application to move")
    for col in ("natural", "total"):
        values[(src, col)] = int(values[(src, col)] or 0) - 1  # type: ignore[operator]
        values[(dst, col)] = int(values[(dst, col)] or 0) + 1  # type: ignore[operator]
    path = root / "data" / agency / str(year) / t.file
    path.write_text(table_csv(t, values), encoding="utf-8")  # rewritten in place
    return path


def busy_report(reports: Iterable[Report]) -> Report:
    """A first-year report (it has a next year) with applications to move around."""
    return next(r for r in reports if r.year == FIRST_YEAR and int(r.values["t3"][("open", "natural")]) > 2)
