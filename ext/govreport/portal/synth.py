"""Synthetic sites for the tests and the benchmarks: N reports with valid random data.

The site uses the project's own layout, conf.py and pages (``report-table``,
``{value}``, ``report-index``); the benchmarks' baseline edition of the same
site (plain ``csv-table``, no govreport) is in ``bench/synth.py``. Both are
written from a checkout of the repository (``conf.py`` and ``docs/`` are read
from it).

Every relation of the format holds (表三 per column 一+二 = （七）总计+四, results
sum to （七）总计, applicant columns sum to 总计; 表四 outcomes sum to 总计; next
year's 二、上年结转 = last year's 四、结转下年度继续办理; 表二 stock: last
in_force + issued − repealed = in_force), so a synthetic site has no findings.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

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

#: Prose of the kind these reports are written in. No digits: a number next to
#: 件 in free text is compared with the tables by the prose checks (P601).
_SENTENCES = [
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署",
    "严格落实《中华人民共和国政府信息公开条例》各项规定，以公开为常态、不公开为例外，推进行政决策公开、执行公开、管理公开、服务公开和结果公开",
    "围绕中心工作和群众关切，持续深化重点领域信息公开，切实保障人民群众的知情权、参与权、表达权和监督权",
    "进一步健全政务公开工作机制，明确分管领导和具体经办人员，将政务公开工作纳入年度绩效考核",
    "对拟公开的政府信息严格执行保密审查制度，坚持先审查、后公开，一事一审、全面审查",
    "及时更新政府信息公开指南和公开目录，确保公开内容全面、准确、及时",
    "围绕优化营商环境，集中公开涉企政策、审批服务事项和办事指南，方便市场主体查询办理",
    "加强政策解读，采用图文解读、视频解读、专家解读等多种形式，增强解读的针对性和可读性",
    "重大行政决策事项在决策前通过门户网站公开征求社会公众意见，并及时反馈意见采纳情况",
    "财政预决算、“三公”经费和重大建设项目信息按要求全部公开，接受社会监督",
    "在民生服务中心设立政务公开专区，提供政府公报、政策汇编、办事指南等资料的查阅服务",
    "依托政务新媒体平台及时发布权威信息，做好政策宣传和舆情回应工作",
    "依申请公开工作严格按照法定程序和时限办理，做到规范受理、及时答复、依法送达",
    "对申请人提出的政府信息公开申请，逐件登记、逐件审核，答复内容依据充分、告知权利完整",
    "建立依申请公开答复法律审核机制，由法律顾问对答复文书进行合法性审查",
    "加强政府信息管理，定期对本机关制发的规范性文件进行清理，并及时公开清理结果",
    "严格落实政府信息发布“三审三校”制度，经拟稿人填报、科室负责人审核、分管领导签发后发布",
    "规范政府信息公开属性源头认定，在公文办理环节同步确定公开方式",
    "持续推进政府网站集约化建设，优化栏目设置，加强内容保障，提升网站的可用性和友好性",
    "加强政务新媒体管理，建立健全信息发布审核和值班值守制度，确保发布内容安全准确",
    "积极推进政务公开标准化规范化建设，编制基层政务公开事项标准目录并动态调整",
    "成立政务公开工作领导小组，由主要负责同志任组长，各科室负责同志为成员，统筹推进各项工作",
    "将政府信息公开条例纳入干部学法内容，组织工作人员参加政务公开业务培训，提升业务能力",
    "主动接受社会监督，在门户网站公布监督举报电话和电子邮箱，认真处理群众反映的问题",
    "对上级部门通报反馈的问题，建立整改台账，明确整改责任和时限，做到逐项整改、逐项销号",
    "按要求编制并发布上一年度政府信息公开工作年度报告，如实报告工作情况和存在的问题",
    "公开内容的深度和广度与群众的期待相比还有差距，部分栏目更新不够及时",
    "政策解读的形式还不够丰富，解读的针对性和实用性有待进一步增强",
    "工作人员流动较大，对政务公开业务的熟悉程度参差不齐，业务能力有待提升",
    "政务公开专区的利用率还不够高，线上线下融合的公开渠道有待进一步拓展",
    "下一步，将进一步加强组织领导，压实工作责任，推动政务公开工作提质增效",
    "下一步，将加大政策解读力度，丰富解读形式，提高解读质量，切实增强政策知晓度",
    "下一步，将加强业务培训和经验交流，建设一支熟悉政策、业务精通的政务公开工作队伍",
    "下一步，将持续优化政府网站和政务新媒体的栏目设置，及时更新公开内容",
    "对照年度政务公开工作要点，逐项分解任务、细化措施，确保各项工作落到实处",
    "围绕乡村振兴、生态环境保护、安全生产、食品药品监管等重点领域，持续加大信息公开力度",
    "规范行政执法信息公示，全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度",
    "及时公开行政许可、行政处罚等执法决定信息，接受社会公众监督",
    "积极回应社会关切，对群众普遍关注的热点问题及时发布权威信息，主动解疑释惑",
    "深化政民互动，通过领导信箱、在线访谈、意见征集等栏目，畅通群众表达意见建议的渠道",
]

_SUBSECTIONS = ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设", "（五）监督保障"]


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


#: Openings and endings that vary a sentence from one year to the next, as real
#: reports do (measured 2–30 % of last year's sentences repeated): with one of
#: each, the same sentence recurs in next year's page about once in 60 draws,
#: so the synthetic district does not trip 内容雷同 (U910) unless a page is a copy.
_LEADS = ["", "本年度，", "一年来，", "按照上级部署，", "结合本地实际，", "对照年度工作要点，", "在上年基础上，", "围绕年度目标，"]
_TAILS = ["", "，取得了较好成效", "，群众满意度进一步提升", "，工作规范化水平不断提高", "，形成了长效机制",
          "，相关做法得到上级肯定", "，公开质效持续提升", "，社会反响良好"]


def _sentence(rng: random.Random) -> str:
    return rng.choice(_LEADS) + rng.choice(_SENTENCES) + rng.choice(_TAILS) + "。"


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
    out = [f"# {name}{year}年政府信息公开工作年度报告", "",
           f"本报告根据《中华人民共和国政府信息公开条例》和{spec.name}要求，由{full_name}编制。",
           f"本报告所列数据的统计期限自{year}年1月1日至12月31日。",
           "本报告电子版可在本机关门户网站下载，如对本报告有疑问，请与本机关政务公开工作机构联系。", "",
           f"## {s[0]}", ""]
    out += [*_filler(rng, int(target * 0.08)), ""]
    for i, sub in enumerate(_SUBSECTIONS):
        out += [f"### {sub}", ""]
        if i == 0:
            out += ["本年制发行政规范性文件{value}`t2.normative.issued`件，废止{value}`t2.normative.repealed`件，"
                    "作出行政处罚决定{value}`t2.penalty.decisions`件。", ""]
        if i == 1:
            out += ["本年新收政府信息公开申请{value}`t3.new.total`件，上年结转{value}`t3.carried_in.total`件，"
                    "办结{value}`t3.total.total`件，其中予以公开{value}`t3.open.total`件，"
                    "结转下年度继续办理{value}`t3.carried_over.total`件。", ""]
        out += ["\n\n".join(_filler(rng, int(target * 0.08))), ""]
    out += [f"## {s[1]}", "", *_filler(rng, int(target * 0.04)), "",
            "本年行政事业性收费{value}`t2.fee.amount`万元。", "",
            "```{report-table} 表二", "```", "",
            f"## {s[2]}", "", *_filler(rng, int(target * 0.04)), "",
            "```{report-table} 表三", "```", "",
            f"## {s[3]}", "",
            "本年因政府信息公开引起的行政复议{value}`t4.review.total`件，"
            "未经复议直接起诉{value}`t4.suit_direct.total`件，复议后起诉{value}`t4.suit_after.total`件。", "",
            "```{report-table} 表四", "```", "",
            f"## {s[4]}", "", *_filler(rng, int(target * 0.2)), "",
            f"## {s[5]}", "", "本年度未收取信息处理费。", "", *_filler(rng, int(target * 0.06)), ""]
    return "\n".join(out)


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
    move one 自然人 application between （一）予以公开 and （二）部分公开."""
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
