"""A district-shaped synthetic site (issue 16): units with a roll-up, several
years, some archived, one withheld. Every page says plainly 示例数据.

    python -m govreport.district DEST [--units 12] [--years 4] [--seed 1]

The numbers come from the synthetic-site generator's public ``make_values``
(consistent across years: t3.carried_in, t2 in_force); the one place that imports it
is ``_synth``. The narratives are short and varied, so 内容雷同 stays low except
for the one unit that copies last year's text; their words and the pages' sentences
are sample text in ``synth_narratives.yaml`` (``district:``).
"""

from __future__ import annotations

import argparse
import functools
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from types import ModuleType
from typing import Any

import yaml

from ..format.spec import FormatSpec, load_spec
from ..model.csvwrite import table_csv
from .portalmeta import DEFAULT_GROUPS as GROUPS

NOTICE = "示例数据：本页由合成程序生成，机构、数字和文字均为虚构，不是已发布的报告。"
_TOWNS = ["dongyuan", "xiguan", "nanshan", "beihu", "qingshui", "hongqiao", "baima", "jinsha", "liuhe", "taoyuan", "shiqiao", "yunfeng"]
_TOWN_NAMES = ["东园镇", "西关街道", "南山乡", "北湖镇", "清水乡", "虹桥街道", "白马镇", "金沙乡", "六合镇", "桃园街道", "石桥乡", "云峰镇"]
_DEPTS = [("jiaoyu", "教育局"), ("minzheng", "民政局"), ("ziranziyuan", "自然资源局"), ("shichang", "市场监督管理局"),
          ("weijian", "卫生健康局"), ("zhujian", "住房和城乡建设局"), ("nongye", "农业农村局"), ("wenlv", "文化和旅游局")]
#: The sample text (``synth_narratives.yaml``, beside the synthetic-site generator's).
NARRATIVES = Path(__file__).with_name("synth_narratives.yaml")


@functools.cache
def _text() -> dict[str, Any]:
    """``synth_narratives.yaml``'s ``district:`` part."""
    with NARRATIVES.open(encoding="utf-8") as f:
        return yaml.safe_load(f)["district"]  # type: ignore[no-any-return]


def _synth() -> ModuleType:
    """The synthetic-site generator (being moved from bench/ into the package): imported here only."""
    try:
        from . import synth  # type: ignore[attr-defined]

        return synth  # type: ignore[no-any-return]
    except ImportError:
        import importlib

        return importlib.import_module("bench.synth")


@dataclass
class Unit:
    slug: str
    name: str
    rollup: bool = False
    in_rollup: bool = True
    level: str = ""
    group: str = ""  # the index's group (report.toml's group, issue 21)


@dataclass
class District:
    root: Path
    units: list[Unit]
    years: list[int]
    rollup: str
    withheld: list[str] = field(default_factory=list)  # "agency/year" written with an error
    archived: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)  # pages copying last year's narrative


def _sentence(rng: random.Random, name: str) -> str:
    w = _text()
    return f"{rng.choice(w['verbs'])}{rng.choice(w['topics'])}，{name}{rng.choice(w['acts'])}和{rng.choice(w['acts'])}，{rng.choice(w['results'])}"


def _narrative(rng: random.Random, name: str, n: int) -> list[str]:
    return [_sentence(rng, name) + "。" for _ in range(n)]


def _problems(rng: random.Random) -> list[str]:
    problem, act = _text()["problems"], _text()["acts"]
    return [f"一是{rng.choice(problem)}，下一步将{rng.choice(act)}。", f"二是{rng.choice(problem)}，计划{rng.choice(act)}并{rng.choice(act)}。"]


def page(unit: Unit, year: int, one: list[str], five: list[str], archived: bool = False) -> str:
    spec = load_spec("2021")
    s = spec.sections
    w = _text()
    head = [f"# {unit.name}{year}年政府信息公开工作年度报告", "", f"**{NOTICE}**", "",
            Template(w["period"]).substitute(year=year), ""]
    if unit.rollup:
        head += [w["rollup"], ""]
    tables = [_table_part(spec, tid, intro) for tid, intro in zip(("t2", "t3", "t4"), w["table_intro"], strict=True)]
    return "\n".join([
        *head, f"## {s[0]}", "", *one, "",
        w["values"], "",
        f"## {s[1]}", "", *tables[0],
        f"## {s[2]}", "", *tables[1],
        f"## {s[3]}", "", *tables[2],
        f"## {s[4]}", "", *five, "",
        f"## {s[5]}", "", w["no_fee"], "",
        *([f"```{{report-chart}} {spec.charts['applications'].aliases[0]}", "```", ""] if not archived else []),
    ])


def _table_part(spec: FormatSpec, tid: str, intro: str) -> list[str]:
    """A table's sentence of introduction and its ``report-table`` (by its title, 表二, as pages write it)."""
    return [intro, "", f"```{{report-table}} {spec.tables[tid].title}", "```", ""]


def _toml(unit: Unit, year: int, extra: str = "") -> str:
    full = unit.name if unit.name.startswith("示例区") else f"示例区{unit.name}"
    return (f'# {NOTICE}\nagency = "{unit.name}"\nfull_name = "{full}"\nformat = "2021"\n'
            f"published = {year + 1}-01-{20 + (len(unit.slug) % 9):02d}\n" + ('deadline = "03-31"  # 县级以上地方人民政府\n' if unit.level else "")
            + (f'group = "{unit.group}"\n' if unit.group else "") + extra)


def _nth(i: int, n: int) -> str:
    """The slug's number when the ``n`` names come round again (none the first time)."""
    return str(i // n) if i >= n else ""


def _nth_name(i: int, n: int) -> str:
    return f"（{i // n + 1}）" if i >= n else ""


def make_district(dest: Path, towns: int = 6, depts: int = 3, years: int = 3, first: int = 2021, seed: int = 1,
                  copies: int = 1, agency_pages: bool = False) -> District:
    """Write a synthetic district at ``dest`` (replaced). ``copies`` > 1 repeats
    the whole district under numbered slugs (for N=1000 benches); ``agency_pages``:
    an ``{agency-history}`` page for every unit, not only the roll-up."""
    synth = _synth()
    rng = random.Random(seed)
    spec = load_spec("2021")
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "docs").mkdir(parents=True)
    all_units: list[Unit] = []
    district = District(dest, all_units, list(range(first, first + years)), "")
    for c in range(copies):
        sfx = f"{c:03d}" if copies > 1 else ""
        # More units than names: the names come round again, numbered (slug and name), so that no
        # two units share a folder (they overwrote each other's years: 347 Y401 at --depts 20).
        units = [Unit(_TOWNS[i % len(_TOWNS)] + _nth(i, len(_TOWNS)) + sfx, _TOWN_NAMES[i % len(_TOWN_NAMES)] + _nth_name(i, len(_TOWNS)),
                      group=GROUPS[2]) for i in range(towns)]
        units += [Unit(_DEPTS[i % len(_DEPTS)][0] + _nth(i, len(_DEPTS)) + sfx, "示例区" + _DEPTS[i % len(_DEPTS)][1] + _nth_name(i, len(_DEPTS)),
                       group=GROUPS[1]) for i in range(depts)]
        vertical = Unit("shuiwu" + sfx, "示例区税务局", in_rollup=False, group=GROUPS[1])  # vertically managed: not summed
        rollup = Unit("quzhengfu" + sfx, "示例区人民政府", rollup=True, level="县级以上地方人民政府", group=GROUPS[0])
        members = [u for u in units]
        all_units += [*units, vertical, rollup]
        district.rollup = district.rollup or rollup.slug
        values: dict[str, Any] = {}
        texts: dict[str, tuple[list[str], list[str]]] = {}
        for k, year in enumerate(district.years):
            total: dict[str, dict[tuple[str, str], Any]] = {t: {} for t in spec.tables}
            for u in [*members, vertical]:
                values[u.slug] = synth.make_values(rng, spec, values.get(u.slug))
                archived = k == 0 and u is members[1]
                repeat = k > 0 and u is members[0]
                one, five = texts[u.slug] if repeat else (_narrative(rng, u.name, 5), _problems(rng))
                texts[u.slug] = (one, five)
                vals = {t: dict(values[u.slug][t]) for t in spec.tables}
                extra = ""
                if archived:  # imported as published, with its wrong 表四 总计
                    vals["t4"][("review", "total")] = int(vals["t4"][("review", "total")]) + 1
                    extra = '# 按原发布文本导入（示例数据）\narchive = true\nimported_from = "示例数据：合成的原发布文本"\n'
                    district.archived.append(f"{u.slug}/{year}")
                error = u is vertical and k == len(district.years) - 1
                if error:  # the withheld one: 表三 does not balance
                    vals["t3"][("new", "natural")] = int(vals["t3"][("new", "natural")]) + 3
                    district.withheld.append(f"{u.slug}/{year}")
                if repeat:
                    district.repeated.append(f"{u.slug}/{year}")
                d = dest / "data" / u.slug / str(year)
                d.mkdir(parents=True, exist_ok=True)
                (d / "report.toml").write_text(_toml(u, year, extra), encoding="utf-8")
                for t in spec.tables.values():
                    (d / t.file).write_text(table_csv(t, vals[t.id]), encoding="utf-8")
                (dest / "docs" / u.slug).mkdir(exist_ok=True)
                (dest / "docs" / u.slug / f"{year}.md").write_text(page(u, year, one, five, archived), encoding="utf-8")
                if u.in_rollup:
                    for tid in spec.tables:
                        for key, v in values[u.slug][tid].items():
                            total[tid][key] = total[tid].get(key, 0) + v
            d = dest / "data" / rollup.slug / str(year)
            d.mkdir(parents=True, exist_ok=True)
            member_list = ", ".join(f'"{u.slug}"' for u in members)
            (d / "report.toml").write_text(_toml(rollup, year, f"members = [{member_list}]\n"), encoding="utf-8")
            # 表二 and 表三 written out (checked against the members' sums); 表四 left to the members.
            for ts in spec.tables.values():
                if ts.id != "t4":
                    (d / ts.file).write_text(table_csv(ts, total[ts.id]), encoding="utf-8")
            (dest / "docs" / rollup.slug).mkdir(exist_ok=True)
            (dest / "docs" / rollup.slug / f"{year}.md").write_text(
                page(rollup, year, _narrative(rng, rollup.name, 5), _problems(rng)), encoding="utf-8")
        for u in [*units, vertical, rollup] if agency_pages else [rollup]:
            (dest / "docs" / f"agency-{u.slug}.md").write_text(
                f"# {u.name}历年情况\n\n**{NOTICE}**\n\n```{{agency-history}} {u.slug}\n```\n", encoding="utf-8")
    groups = ", ".join(f'"{g}"' for g in GROUPS)
    (dest / "portal.toml").write_text(f"# {NOTICE}\npublish = \"passing\"\nsimilarity = true\ngroups = [{groups}]\n", encoding="utf-8")
    (dest / "docs" / "index.md").write_text(
        f"# 示例区政府信息公开工作年度报告\n\n**{NOTICE}**\n\n```{{report-index}}\n```\n\n"
        "```{toctree}\n:hidden:\n\nstatus\n" + "".join(f"agency-{u.slug}\n" for u in all_units if u.rollup or agency_pages) + "```\n", encoding="utf-8")
    (dest / "docs" / "status.md").write_text(f"# 报告状态\n\n**{NOTICE}**\n\n```{{status-board}}\n```\n", encoding="utf-8")
    return district


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m govreport.district", description="合成一个区的示例数据站点（示例数据）")
    p.add_argument("dest", type=Path)
    p.add_argument("--towns", type=int, default=6)
    p.add_argument("--depts", type=int, default=3)
    p.add_argument("--years", type=int, default=3)
    p.add_argument("--copies", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--agency-pages", action="store_true", help="每个单位一页历年情况（默认只有汇总单位）")
    a = p.parse_args(argv)
    d = make_district(a.dest, a.towns, a.depts, a.years, seed=a.seed, copies=a.copies, agency_pages=a.agency_pages)
    n = len(list((a.dest / "data").glob("*/*/report.toml")))
    print(f"{a.dest}: {n} 份报告（示例数据），汇总 {d.rollup}，存档 {len(d.archived)}，有错误 {len(d.withheld)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
