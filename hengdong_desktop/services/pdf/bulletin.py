"""The county 通报 for a period: its 期号 (when issued, services/bulletins.py) and what a
correction changed, the 口径 line, the headline 5/18/34 against the plan on each basis, per-domain
and per-industry tables (statistics-bureau totals and coverage where entered), a bar chart of
industry output against target, the units' reporting status over recent periods (overdue in red,
periods before a unit's 启用期 not counted), 项目建设与招商引资 (projects by stage and domain against
the year's plan, 招商 signed / started / 履约率 / funds in place, and the 预警 list: 包而不推、推而不快、
快而不优, each with its numbers and how long it has stood), and the problems open longest as of
the period's end.

Every figure comes from `services.figures`, the same service the dashboard and the Excel 汇总表
use, so the three always agree; nothing is recomputed here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from reportlab.platypus.flowables import HRFlowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import assignment, money, periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.services import cultivation, rankings
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.figures import Figures, Progress, programme_figures
from hengdong_desktop.services.pdf import document as d
from hengdong_desktop.services.pdf.values import date_text, percent_text, period_text
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reference_admin import DEFAULT_COPIED_TO, colophon_in
from hengdong_desktop.services.reporting import NOT_REQUIRED
from hengdong_desktop.services.reporting import STATUSES as REPORTING_STATUSES

Ranking = rankings.Ranking

TITLE = "衡东县产业发展“百十亿”工程工作通报"
ISSUER = r.ISSUER
STATUS_PERIODS = 6  # the reporting-status table covers the period and the five before it
OLDEST_PROBLEMS = 10
WARNINGS_LISTED = 20  # the longest-standing; the 汇总表 lists them all

NOT_FILLED, FILLED, SUBMITTED, ACCEPTED, RETURNED = REPORTING_STATUSES
STATUS_COLOURS = {
    FILLED: colors.HexColor("#fbeec2"),
    SUBMITTED: colors.HexColor("#d9e7f5"),
    ACCEPTED: colors.HexColor("#d5ecd9"),
    RETURNED: colors.HexColor("#f8dcc4"),
    NOT_REQUIRED: colors.HexColor("#eeeeee"),
}
OVERDUE_COLOUR = colors.HexColor("#f6c4c4")  # only a cell that is overdue is red
ZERO = Decimal(0)
OUTPUT_COLOUR = colors.HexColor("#1f4e79")
TARGET_COLOUR = colors.HexColor("#b8c4d2")


@dataclass(frozen=True)
class IssueMark:
    """The 期号 of an issued 通报 and, for a correction, the issue it corrects and what changed."""

    year: int
    number: int
    corrects: str | None = None  # "2026年第3期"
    changes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}期"


NARRATIVE_PARTS = (
    ("overall", "总体进展"),
    ("highlights", "工作亮点"),
    ("problems", "存在问题"),
    ("next_steps", "下步工作"),
)


@dataclass(frozen=True)
class Narrative:
    """The 通报's written summary: sentences made from the figures (`narrative`), which the office
    may edit before issuing; stored with the issue."""

    overall: str
    highlights: str
    problems: str
    next_steps: str

    def as_json(self) -> dict[str, str]:
        return {key: getattr(self, key) for key, _label in NARRATIVE_PARTS}


@dataclass(frozen=True)
class LateProblem:
    """An assigned problem past its 办理时限 and not solved on the day counted to."""

    unit_id: int
    subject: str
    category: str
    description: str
    department: str
    deadline: date
    overdue_days: int
    escalated: bool  # more than the escalation days late (督办)
    escalate_to: str | None  # the chain's 链长 or the 联系县领导, once escalated


@dataclass(frozen=True)
class Programme:
    """What the 通报 reports of running the programme: rankings, named lists, 问题交办."""

    units: Ranking
    departments: Ranking
    lists: cultivation.Lists
    adjustments: list[cultivation.Adjustment]
    late: list[LateProblem]
    assigned: int  # problems assigned by the day counted to
    due: int  # of which due by then or solved
    on_time: int  # of which closed by their deadline


@dataclass(frozen=True)
class BulletinData:
    period: str
    issued_on: date
    figures: Figures
    ref: Reference
    status_periods: list[str]
    status: dict[tuple[int, str], str]
    descriptions: dict[str, str]  # problem id → description, for the oldest open problems
    overdue: set[tuple[int, str]] = field(default_factory=set)
    issue: IssueMark | None = None  # None: a draft, not issued
    programme: Programme | None = None
    narrative: Narrative | None = None  # None: written from the figures (`narrative`)
    black: bool = False  # the red header printed in black (an office printing black only)
    copied_to: str = DEFAULT_COPIED_TO  # 版记: 抄送 and 印发 (reference data)
    printed_by: str = ISSUER


def load_bulletin(db: Database, period: str, today: date) -> BulletinData:
    figures = programme_figures(db, period, today=today)
    reporting = fs.reporting_status(db, period, today=today)
    status_periods = reporting.periods[-STATUS_PERIODS:]
    ids = [p.problem_id for p in figures.problems.oldest]
    with db.read() as s:
        ref = load(s)
        descriptions = dict(s.execute(select(m.Problem.id, m.Problem.description).where(m.Problem.id.in_(ids))).all())
        programme = _programme(s, ref, period, today, figures)
        copied_to, printed_by = colophon_in(s)
    return BulletinData(
        period,
        today,
        figures,
        ref,
        status_periods,
        dict(reporting.status),
        descriptions,
        {(u, p) for u, p in reporting.overdue if p in status_periods},
        programme=programme,
        copied_to=copied_to,
        printed_by=printed_by,
    )


def _programme(session: Session, ref: Reference, period: str, today: date, figures: Figures) -> Programme:
    as_of = figures.problems.as_of or fs.period_end(period, today)
    units = figures.basis.counted.units if figures.basis else ()
    escalate = ref.programme("escalate_days")
    subjects = dict(session.execute(select(m.Enterprise.id, m.Enterprise.name)).all())
    subjects |= dict(session.execute(select(m.Project.id, m.Project.name)).all())
    chain_of = dict(session.execute(select(m.Enterprise.id, m.Enterprise.chain_id)).all())
    chain_of |= dict(session.execute(select(m.Project.id, m.Project.chain_id)).all())
    contact = dict(session.execute(select(m.Enterprise.id, m.Enterprise.contact_leader)).all())
    contact |= dict(session.execute(select(m.Project.id, m.Project.contact_leader)).all())
    late: list[LateProblem] = []
    assigned = due = on_time = 0
    for p in session.scalars(
        select(m.Problem).where(
            m.Problem.deleted_at.is_(None), m.Problem.raised_on <= as_of, m.Problem.unit_id.in_(list(units))
        )
    ):
        standing = assignment.standing(p, as_of, escalate)
        if standing.state == assignment.UNASSIGNED:
            continue
        assigned += 1
        due += standing.due
        on_time += standing.on_time
        if standing.late:
            target = p.enterprise_id or p.project_id or ""
            chain = chain_of.get(target)
            leader = (
                ref.leader(ref.chain(chain).leader_id) if chain and any(c.id == chain for c in ref.chains) else None
            )
            to = leader.name if leader else contact.get(target)
            late.append(
                LateProblem(
                    p.unit_id,
                    subjects.get(target, ""),
                    p.category,
                    p.description,
                    p.department or "",
                    p.deadline or as_of,
                    standing.overdue_days or 0,
                    standing.state == assignment.ESCALATED,
                    to if standing.state == assignment.ESCALATED else None,
                )
            )
    late.sort(key=lambda x: -x.overdue_days)
    year_start = periods.make(periods.year_of(period), 1)
    return Programme(
        rankings.unit_ranking_in(session, period, today=today),
        rankings.department_ranking_in(session, period, today=today),
        cultivation.lists_in(session, period),
        cultivation.adjustments_in(session, year_start, period),
        late,
        assigned,
        due,
        on_time,
    )


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------
def _count(value: int | Decimal | None) -> str:
    return "" if value is None else f"{value:,}"


def _target_cell(target: int | Decimal | None, year: int | None, report_year: int | str) -> str:
    """A target in the table, with its year when it is an earlier year's (no target set for the
    bulletin's year: targets fall back per metric)."""
    if target is None or year is None or str(year) == str(report_year):
        return _count(target)
    return f"{_count(target)}（{year}年）"


def _yi(value: Decimal | None) -> str:
    return "" if value is None else money.fmt(money.wan_to_yi(value), 2)


def _yi_beside(value: Decimal | None, limit: Decimal) -> str:
    """亿元 with enough decimals that the text never contradicts the comparison with `limit`."""
    return "" if value is None else money.fmt_beside(money.wan_to_yi(value), money.wan_to_yi(limit))


def _headline(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    f = data.figures
    h = f.headline
    basis = f.basis
    assert basis is not None
    target_year = f.target_year or periods.year_of(data.period)
    units = {r.HUNDRED_BILLION_INDUSTRIES: "个", r.BILLION_ENTERPRISES: "家", r.HUNDRED_MILLION_PROJECTS: "个"}

    def sentence(metric: str, extra: str = "") -> str:
        p = h[metric]
        unit = units[metric]
        target = (
            f"，{p.target_year or target_year}年目标{_count(p.target)}{unit}，完成{percent_text(p.percent)}"
            if p.target
            else ""
        )
        if p.year_to_date is not None:
            bases = f"（1-本月累计已达标{p.year_to_date}{unit}，预计全年{p.projected}{unit}）"
        else:
            bases = f"，本月新开工{p.new_this_period}{unit}" if p.new_this_period is not None else ""
        return f"{p.label}{extra}{p.achieved}{unit}{target}{bases}"

    text = (
        f"截至{period_text(data.period)}，全县"
        + "；".join(
            (
                sentence(r.HUNDRED_BILLION_INDUSTRIES, f"（按{basis.headline_label}）"),
                sentence(r.BILLION_ENTERPRISES, f"（按{basis.headline_label}）"),
                sentence(r.HUNDRED_MILLION_PROJECTS, "（已开工实施）"),
            )
        )
        + "。"
    )
    widths = [w * d.mm for w in (40, 22, 24, 20, 24, 20, 22, 8)]
    widths[-1] = d.CONTENT_WIDTH - sum(widths[:-1])
    t = d.Ruled(widths)
    t.header(
        [
            "指标",
            "年度目标",
            f"已达到（{basis.headline_label}）",
            "完成率",
            "1-本月累计",
            "预计全年",
            "目标完成情况",
            "",
        ]
    )
    for metric in r.COUNT_METRICS:
        p = h[metric]
        annual = p.year_to_date is not None
        t.add(
            [
                f"{p.label}（{units[metric]}）",
                _target_cell(p.target, p.target_year, target_year),
                _count(p.achieved),
                percent_text(p.percent),
                _count(p.year_to_date) if annual else "—",
                _count(p.projected) if annual else "—",
                _state(p),
                "",
            ]
        )
    t.style(
        ("ALIGN", (1, 1), (-3, -1), "RIGHT"),
        ("ALIGN", (-2, 1), (-2, -1), "CENTER"),
        ("SPAN", (-2, 0), (-1, 0)),
        *(("SPAN", (-2, n), (-1, n)) for n in range(1, 4)),
    )
    return [d.para(text, st.body), Spacer(1, 4), t.build()]


def _state(p: Progress) -> str:
    if p.target is None:
        return "未设目标"
    return "已完成" if p.met else f"差{_count(p.target - p.achieved)}"


def _domains(data: BulletinData) -> list[Flowable]:
    f = data.figures
    widths = [24 * d.mm, 39 * d.mm] + [13 * d.mm] * 9
    t = d.Ruled(widths, repeat_rows=2)
    t.header(
        ["领域", "牵头部门", *(x for metric in r.COUNT_METRICS for x in (r.METRIC_LABELS[metric], "", ""))],
        spans=[(2, 4), (5, 7), (8, 10)],
    )
    t.header(["", "", *("实现", "目标", "完成率") * 3])
    t.style(("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("ALIGN", (2, 2), (-1, -1), "RIGHT"))

    def cells(progress: dict[str, Progress]) -> list[str]:
        out: list[str] = []
        for metric in r.COUNT_METRICS:
            p = progress[metric]
            out += [_count(p.achieved), _count(p.target), percent_text(p.percent)]
        return out

    for dom in f.domains:
        t.add([f"{dom.name}（{dom.measure_label}）", "、".join(dom.lead_departments), *cells(dom.progress)])
    total = t.add(["全县", "", *cells(f.headline)], spans=[(0, 1)])
    t.style(
        ("BACKGROUND", (0, total[0]), (-1, total[0]), d.YEAR_BACKGROUND),
        ("ALIGN", (0, total[0]), (1, total[0]), "CENTER"),
    )
    return [t.build()]


def _industries(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    f = data.figures
    hundred = f.thresholds["hundred_billion_industry"]
    domain_names = {x.domain_id: x.name for x in f.domains}
    widths = [w * d.mm for w in (24, 23, 10, 17, 17, 12, 12, 16, 16, 14, 19)]
    widths[-1] = d.CONTENT_WIDTH - sum(widths[:-1])
    t = d.Ruled(widths, repeat_rows=1)
    t.header(
        [
            "产业",
            "领域（口径）",
            "企业(户)",
            "1-本月累计",
            "统计局口径",
            "覆盖率",
            "同比(%)",
            "上年全年",
            "预计全年",
            "年度目标",
            "完成率",
        ]
    )
    for i in f.industries:
        growth = "" if i.growth_percent is None else f"{i.growth_percent:+}"
        t.add(
            [
                i.name,
                f"{domain_names.get(i.domain_id, '')}（{i.measure_label}）",
                _count(i.enterprises),
                _yi_beside(i.output_to_date, hundred),
                _yi_beside(i.official_to_date, hundred),
                percent_text(i.coverage_percent),
                growth,
                _yi_beside(i.last_year, hundred),
                _yi_beside(i.projected, hundred),
                _yi(i.target),
                percent_text(i.completion_percent),
            ]
        )
    t.style(("ALIGN", (2, 1), (-1, -1), "RIGHT"))
    year = periods.year_of(data.period)
    note = (
        f"注：单位为亿元，按所属领域的口径（产值、营业收入或建筑业总产值）计；1-本月累计为登记企业{year}年最近一期累计数"
        "之和，县里录入统计局口径数的产业，百亿级、同比、完成率按统计局口径计，覆盖率为登记企业合计占统计局口径的比例；"
        "上年全年取各企业上年12月累计数（未填报的取企业年度数据）；预计全年按同比增速推算（无上年同期数的按月均推算）。"
    )
    caption = f"图　重点产业1-{periods.month_of(data.period)}月累计与年度目标"
    return [
        t.build(),
        d.para(note, st.small),
        Spacer(1, 6),
        KeepTogether([_industry_chart(data), d.para(caption, st.cell_center)]),
    ]


def _industry_chart(data: BulletinData) -> Drawing:
    """Horizontal bars: each target industry's output to date against its yearly target (亿元)."""
    font = d.styles().font.regular
    industries = data.figures.industries
    height = 40 + 26 * len(industries)
    drawing = Drawing(d.CONTENT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 92, 28
    chart.width, chart.height = d.CONTENT_WIDTH - 92 - 20, height - 28 - 22
    chart.data = [
        [float(money.wan_to_yi(i.target or ZERO)) for i in reversed(industries)],
        [float(money.wan_to_yi(i.to_date)) for i in reversed(industries)],
    ]
    chart.categoryAxis.categoryNames = [i.name for i in reversed(industries)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.bars[0].fillColor = TARGET_COLOUR
    chart.bars[1].fillColor = OUTPUT_COLOUR
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 6
    legend.fontName = font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.colorNamePairs = [(OUTPUT_COLOUR, f"1-{periods.month_of(data.period)}月累计"), (TARGET_COLOUR, "年度目标")]
    drawing.add(legend)
    drawing.add(String(d.CONTENT_WIDTH, height - 10, "单位：亿元", fontName=font, fontSize=7.5, textAnchor="end"))
    return drawing


def _reporting(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    cols = data.status_periods
    first = 34 * d.mm
    widths = [first] + [(d.CONTENT_WIDTH - first) / len(cols)] * len(cols)
    t = d.Ruled(widths, repeat_rows=1)
    t.header(["填报单位", *(period_text(p) for p in cols)])
    t.style(("ALIGN", (1, 1), (-1, -1), "CENTER"))
    for unit in data.ref.units:
        row = t.add([unit.name, *(_status_cell(data, unit.id, p) for p in cols)])[0]
        for c, p in enumerate(cols, start=1):
            overdue = (unit.id, p) in data.overdue
            colour = OVERDUE_COLOUR if overdue else STATUS_COLOURS.get(data.status.get((unit.id, p), ""))
            if colour is not None:
                t.style(("BACKGROUND", (c, row), (c, row), colour))
    now = Counter(data.status.get((u.id, data.period)) for u in data.ref.units)
    late = sum(1 for u in data.ref.units if (u.id, data.period) in data.overdue)
    shown = [*REPORTING_STATUSES, NOT_REQUIRED]
    summary = (
        f"{period_text(data.period)}，{len(data.ref.units)}个填报单位中"
        + "，".join(f"{s}{now[s]}个" for s in shown if now[s])
        + f"；逾期{late}个。"
    )
    legend = "注：红底为逾期（过了次月截止日仍未上报或被退回待重报）；“未启用”为该单位启用期之前，不要求填报。"
    return [d.para(summary, st.body), Spacer(1, 3), t.build(), d.para(legend, st.small)]


def _status_cell(data: BulletinData, unit_id: int, period: str) -> str:
    status = data.status.get((unit_id, period), "")
    return f"{status}（逾期）" if (unit_id, period) in data.overdue and status == NOT_FILLED else status


def _projects(data: BulletinData) -> list[Flowable]:
    """五、项目建设与招商引资."""
    st = d.styles()
    p, i = data.figures.projects, data.figures.investment
    assert p is not None and i is not None
    total = p.total
    stages = "、".join(f"{g.name}{g.projects}个" for g in p.by_stage if g.projects)
    year = periods.year_of(data.period)
    text = (
        f"截至{period_text(data.period)}，全县在库项目{total.projects}个（其中总投资1亿元及以上{total.hundred_million}个），"
        f"总投资{_yi(total.total_investment)}亿元；按项目状态：{stages or '无'}；本期新开工{p.started_this_period}个。"
        f"{year}年计划投资{_yi(total.year_plan)}亿元，1-{periods.month_of(data.period)}月完成投资"
        f"{_yi(total.invest_ytd)}亿元，完成年度计划的{percent_text(total.completion_percent) or '—'}。"
    )
    widths = [w * d.mm for w in (36, 18, 18, 26, 26, 26, 30)]
    widths[-1] = d.CONTENT_WIDTH - sum(widths[:-1])
    t = d.Ruled(widths, repeat_rows=1)
    t.header(["领域", "项目数", "亿元级", "总投资(亿元)", f"{year}年计划(亿元)", "本年完成(亿元)", "完成率"])
    for g in [*p.by_domain, total]:
        t.add(
            [
                g.name if g is not total else "全县",
                _count(g.projects),
                _count(g.hundred_million),
                _yi(g.total_investment),
                _yi(g.year_plan),
                _yi(g.invest_ytd),
                percent_text(g.completion_percent),
            ]
        )
    t.style(
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("BACKGROUND", (0, len(p.by_domain) + 1), (-1, -1), d.YEAR_BACKGROUND)
    )
    fulfil = percent_text(i.fulfil_percent) or "—"
    promotion = (
        f"招商引资：{year}年签约项目{i.signed_this_year}个，合同投资额{_yi(i.contract_this_year)}亿元；累计签约"
        f"{i.signed}个，合同投资额{_yi(i.contract)}亿元，已开工{i.started}个，履约率{fulfil}"
        f"（签约后{i.fulfil_months}个月内开工{i.kept}个，应履约{i.due}个）；到位资金{_yi(i.funds)}亿元，"
        f"资金到位率{percent_text(i.funds_percent) or '—'}；先建后验项目{i.build_first}个。"
    )
    sources = "；".join(f"{g.source}{g.signed}个、{_yi(g.contract)}亿元" for g in i.by_source if g.signed)
    counts = p.warning_counts()
    warned = (
        f"项目预警：包而不推{counts['包而不推']}个、推而不快{counts['推而不快']}个、快而不优{counts['快而不优']}个"
        "（阈值见基础数据“项目预警参数”）。"
    )
    story: list[Flowable] = [
        d.para(text, st.body),
        Spacer(1, 3),
        t.build(),
        Spacer(1, 4),
        d.para(promotion + (f"按引资来源：{sources}。" if sources else ""), st.body),
        d.para(warned, st.body),
    ]
    if p.warnings:
        listed = sorted(p.warnings, key=lambda w: -w.months)[:WARNINGS_LISTED]
        widths = [w * d.mm for w in (17, 18, 40, 80, 25)]
        widths[-1] = d.CONTENT_WIDTH - sum(widths[:-1])
        w_table = d.Ruled(widths, repeat_rows=1)
        w_table.header(["预警", "单位", "项目", "数据与阈值", "持续"])
        for w in listed:
            w_table.add(
                [w.rule, data.ref.name_of("unit", w.unit_id), w.name, w.message, f"自{w.since}\n{w.months}个月"],
                long_column=3,
            )
        more = f"（另有{len(p.warnings) - len(listed)}条见汇总表“项目汇总”）" if len(p.warnings) > len(listed) else ""
        story += [Spacer(1, 3), d.para(f"持续时间最长的{len(listed)}条预警{more}：", st.body), w_table.build()]
    return story


def _problems(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    pf = data.figures.problems
    by_category = "、".join(f"{k}{v}条" for k, v in sorted(pf.by_category.items(), key=lambda kv: -kv[1]))
    as_of = f"截至{date_text(pf.as_of)}，" if pf.as_of else ""
    text = f"{as_of}全县未解决问题{pf.open_total}条" + (f"，其中{by_category}" if by_category else "") + "。"
    story: list[Flowable] = [d.para(text, st.body)]
    if not pf.oldest:
        return story
    widths = [w * d.mm for w in (9, 18, 31, 13, 44, 20, 12, 19, 14)]
    t = d.Ruled(widths, repeat_rows=1)
    t.header(["序号", "单位", "企业/项目", "类别", "问题描述", "责任单位", "状态", "提出日期", "已历时(天)"])
    t.style(("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (-1, 1), (-1, -1), "RIGHT"))
    for n, p in enumerate(pf.oldest, start=1):
        t.add(
            [
                str(n),
                data.ref.name_of("unit", p.unit_id),
                p.subject,
                p.category,
                data.descriptions.get(p.problem_id, ""),
                p.department or "",
                p.status,
                date_text(p.raised_on),
                _count(p.days_open),
            ],
            long_column=4,
        )
    story += [Spacer(1, 3), d.para(f"未解决时间最长的{len(pf.oldest)}个问题：", st.body), t.build()]
    return story


def narrative(data: BulletinData) -> Narrative:
    """The summary written from the figures: template sentences filled in, editable before issuing."""
    f, prog = data.figures, data.programme
    h = f.headline
    when = period_text(data.period)
    rates = "、".join(f"{h[k].label}{percent_text(h[k].percent) or '—'}" for k in r.COUNT_METRICS)
    overall = (
        f"截至{when}，全县百亿级产业{h[r.HUNDRED_BILLION_INDUSTRIES].achieved}个、十亿级企业"
        f"{h[r.BILLION_ENTERPRISES].achieved}家、亿元级项目{h[r.HUNDRED_MILLION_PROJECTS].achieved}个，"
        f"目标完成率分别为：{rates}。"
    )
    if f.projects is not None:
        total = f.projects.total
        overall += (
            f"全县在库项目{total.projects}个，本年完成投资{_yi(total.invest_ytd)}亿元，"
            f"完成年度计划的{percent_text(total.completion_percent) or '—'}。"
        )
    growing = sorted((i for i in f.industries if i.growth_percent is not None), key=lambda i: -(i.growth_percent or 0))
    highlights: list[str] = []
    if growing:
        highlights.append(f"{growing[0].name}同比增长{growing[0].growth_percent}%，增速居重点产业首位")
    new = h[r.HUNDRED_MILLION_PROJECTS].new_this_period
    if new:
        highlights.append(f"本期新开工亿元级项目{new}个")
    if prog is not None:
        top = [x.name for x in prog.units.standings if x.rank <= 3]
        if top:
            highlights.append(f"比学赶超综合得分前三的是{'、'.join(top)}")
        entered = sum(1 for a in prog.adjustments if a.action == cultivation.ENTERED)
        if entered:
            highlights.append(f"今年以来新纳入培育名录{entered}户次")
    problems: list[str] = []
    lagging = [h[k].label for k in r.COUNT_METRICS if h[k].target and not h[k].met]
    if lagging:
        problems.append(f"{'、'.join(lagging)}尚未达到目标")
    if prog is not None and prog.late:
        escalated = sum(1 for x in prog.late if x.escalated)
        problems.append(f"交办问题逾期未办结{len(prog.late)}条" + (f"（需督办{escalated}条）" if escalated else ""))
    if f.projects is not None:
        counts = f.projects.warning_counts()
        warned = "、".join(f"{k}{v}个" for k, v in counts.items() if v)
        if warned:
            problems.append(f"项目预警{warned}")
    if prog is not None and len(prog.units.standings) > 3:
        last = prog.units.standings[-1]
        problems.append(f"{last.name}综合得分{last.score}分，排名靠后")
    steps = ["各乡镇（县经开区）和牵头部门要对照年度目标，逐项逐月抓好落实"]
    if prog is not None and prog.late:
        steps.append(f"{len(prog.late)}条逾期问题由责任单位限期办结，逾期较长的报请链长督办")
    if prog is not None:
        reserve = len(prog.lists.named(cultivation.BILLION_RESERVE).members) + len(
            prog.lists.named(cultivation.HUNDRED_MILLION_RESERVE).members
        )
        if reserve:
            steps.append(f"加强{reserve}户后备企业培育，推动进入十亿级、亿级企业行列")
    steps.append("按时报送下期数据")
    return Narrative(
        overall,
        "；".join(highlights) + "。" if highlights else "本期无突出亮点。",
        "；".join(problems) + "。" if problems else "本期无突出问题。",
        "；".join(steps) + "。",
    )


def _summary(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    text = data.narrative or narrative(data)
    font = st.font.heading  # the label in the heading face, the text as written (escaped)
    return [
        Paragraph(f'<font name="{font}">（{NUMERALS[n]}）{label}。</font>{d.markup(getattr(text, key))}', st.body)
        for n, (key, label) in enumerate(NARRATIVE_PARTS)
    ]


def _rankings(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    prog = data.programme
    if prog is None:
        return []
    story: list[Flowable] = [
        d.para(
            f"按“比学赶超”评分办法（各项权重见基础数据“工程管理参数”，截至{date_text(prog.units.as_of)}，"
            f"不适用的项不计分、按适用项折算为百分制；{prog.units.basis}），各单位和牵头部门排名如下：",
            st.body,
        )
    ]
    for ranking, first in ((prog.units, "单位"), (prog.departments, "牵头部门")):
        criteria = ranking.criteria
        name_w, rank_w, score_w = 30 * d.mm, 10 * d.mm, 14 * d.mm
        rest = (d.CONTENT_WIDTH - name_w - rank_w - score_w) / len(criteria)
        t = d.Ruled([rank_w, name_w, score_w, *[rest] * len(criteria)], repeat_rows=1)
        t.header(
            [
                "名次",
                first,
                "得分",
                *(
                    f"{c.label}（{w}）"
                    for c, w in zip(
                        criteria,
                        [p.weight for p in ranking.standings[0].parts]
                        if ranking.standings
                        else [c.weight for c in criteria],
                        strict=True,
                    )
                ),
            ]
        )
        for x in ranking.standings:
            t.add(
                [
                    str(x.rank),
                    x.name,
                    f"{x.score:.2f}",
                    *("—" if p.points is None else f"{p.points:.2f}" for p in x.parts),
                ]
            )
        t.style(("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (-1, -1), "RIGHT"))
        story += [Spacer(1, 3), t.build()]
    story.append(
        d.para(
            "注：各项得分=权重×比例（按时上报、投资完成率、问题按期办结），或权重×本单位数值÷最高数值"
            "（亿元级项目、产值增长、十亿级和亿级企业），或权重×（1−本单位数值÷最多数值）（退回次数、逾期问题）；"
            "“—”为不适用。",
            st.small,
        )
    )
    return story


def _lists(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    prog = data.programme
    if prog is None:
        return []
    named = prog.lists
    counts = "；".join(f"{x.name}{len(x.members)}户" for x in named.all)
    entered = sum(1 for a in prog.adjustments if a.action == cultivation.ENTERED)
    left = len(prog.adjustments) - entered
    text = (
        f"截至{period_text(data.period)}，{counts}（十亿级、亿级按{named.basis}数值认定，后备为达到门槛"
        f"{100 - named.reserve_percent}%及以上的企业）。今年以来名录动态调整{len(prog.adjustments)}户次，"
        f"其中纳入{entered}户次、调出{left}户次。"
    )
    story: list[Flowable] = [d.para(text, st.body)]
    widths = [w * d.mm for w in (10, 24, 56, 32, 30, 28)]
    widths[-1] = d.CONTENT_WIDTH - sum(widths[:-1])
    t = d.Ruled(widths, repeat_rows=1)
    t.header(["序号", "单位", "企业名称", "所属产业", f"{named.basis}(亿元)", "名录"])
    n = 0
    for x in (named.named(cultivation.BILLION), named.named(cultivation.BILLION_RESERVE)):
        for e in x.members:
            n += 1
            t.add(
                [
                    str(n),
                    data.ref.name_of("unit", e.unit_id),
                    e.name,
                    data.ref.name_of("industry", e.industry_id),
                    _yi(e.figure),
                    x.name,
                ]
            )
    if n:
        t.style(("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (4, 1), (4, -1), "RIGHT"))
        story += [
            Spacer(1, 3),
            d.para("十亿级企业及后备企业名单：", st.body),
            t.build(),
            d.para("注：各名录的完整名单见汇总表相应工作表。", st.small),
        ]
    return story


def _late_problems(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    prog = data.programme
    if prog is None:
        return []
    rate = percent_text(fs.percent_of(prog.on_time, prog.due)) or "—"
    escalated = sum(1 for x in prog.late if x.escalated)
    story: list[Flowable] = [
        d.para(
            f"问题交办：已交办问题{prog.assigned}条，到期（或已办结）{prog.due}条中按期办结{prog.on_time}条，"
            f"按期办结率{rate}；逾期未办结{len(prog.late)}条，其中超过督办期限需报请链长（联系县领导）督办{escalated}条。",
            st.body,
        )
    ]
    if not prog.late:
        return story
    widths = [w * d.mm for w in (9, 17, 30, 44, 22, 19, 13, 26)]
    widths[-1] = d.CONTENT_WIDTH - sum(widths[:-1])
    t = d.Ruled(widths, repeat_rows=1)
    t.header(["序号", "单位", "企业/项目", "问题", "责任单位", "办理时限", "逾期(天)", "督办县领导"])
    for n, x in enumerate(prog.late[:OLDEST_PROBLEMS], start=1):
        row = t.add(
            [
                str(n),
                data.ref.name_of("unit", x.unit_id),
                x.subject,
                f"{x.category}：{x.description}",
                x.department,
                date_text(x.deadline),
                str(x.overdue_days),
                x.escalate_to or "",
            ],
            long_column=3,
        )[0]
        t.style(("TEXTCOLOR", (6, row), (6, row), colors.HexColor("#b3261e")))
    t.style(("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (6, 1), (6, -1), "RIGHT"))
    more = f"（另有{len(prog.late) - OLDEST_PROBLEMS}条见汇总表“问题清单”）" if len(prog.late) > OLDEST_PROBLEMS else ""
    return [*story, Spacer(1, 3), d.para(f"逾期时间最长的交办问题{more}：", st.body), t.build()]


SECTIONS = (
    ("总体情况", _summary),
    ("目标完成情况", _headline),
    ("分领域进展", _domains),
    ("重点产业发展情况", _industries),
    ("项目建设与招商引资", _projects),
    ("比学赶超排名", _rankings),
    ("培育名录", _lists),
    ("问题交办与办理情况", lambda data: [*_late_problems(data), *_problems(data)]),
    ("各单位填报情况", _reporting),
)
NUMERALS = "一二三四五六七八九十"


def _red_header(data: BulletinData) -> list[Flowable]:
    """红头: the title in red (black where the office prints black), the 期号, the issuer and the
    date, and a red rule."""
    st = d.styles()
    red = colors.black if data.black else colors.HexColor("#c00000")
    issued = f"{data.issued_on.year}年{data.issued_on.month}月{data.issued_on.day}日"
    number = data.issue.label if data.issue else "（未编期号的草稿，不作正式发布）"
    return [
        d.Title(TITLE, size=20, space_after=6, colour=red),
        d.para(f"{number}（{period_text(data.period)}）", st.cell_center),
        Spacer(1, 4),
        d.header_line(ISSUER, issued),
        HRFlowable(width="100%", thickness=2, color=red, spaceBefore=2, spaceAfter=6),
    ]


def _colophon(data: BulletinData) -> list[Flowable]:
    """版记: 抄送 and 印发 (reference data, edited on 基础数据) between rules, at the end."""
    st = d.styles()
    issued = f"{data.issued_on.year}年{data.issued_on.month}月{data.issued_on.day}日印发"
    rule = dict(width="100%", thickness=0.8, color=colors.black, spaceBefore=2, spaceAfter=2)
    return [
        Spacer(1, 10),
        KeepTogether(
            [
                HRFlowable(**rule),  # type: ignore[arg-type]
                d.para(f"抄送：{data.copied_to}", st.body),
                HRFlowable(**rule),  # type: ignore[arg-type]
                d.header_line(data.printed_by, issued),
                HRFlowable(**rule),  # type: ignore[arg-type]
            ]
        ),
    ]


def bulletin_flowables(data: BulletinData) -> list[Flowable]:
    st = d.styles()
    basis = data.figures.basis
    assert basis is not None
    story: list[Any] = _red_header(data)
    if data.issue and data.issue.corrects:
        changes = "；".join(data.issue.changes) or "数据无变化"
        story.append(d.para(f"本期更正{data.issue.corrects}通报：{changes}。以本期为准。", st.body))
    story.append(d.para(basis.sentence() + basis.left_out_text(), st.small))
    number = 0
    for title, section in SECTIONS:
        body = section(data)
        if body:
            story += [d.para(f"{NUMERALS[number]}、{title}", st.heading), *body]
            number += 1
    story.append(Spacer(1, 8))
    story.append(
        d.para(
            "说明：本通报数据来自各乡镇（县经开区）上报并经县级审核接收的数据；百亿级产业按目标产业"
            "全年规模（有统计局口径数的按统计局口径）计算，十亿级企业按企业全年规模计算，年内以上年全年为准，"
            "同时列出1-本月累计和预计全年；亿元级项目指总投资1亿元及以上、截至本期已开工"
            "（含在建、竣工、投产、达效，不含停缓建、终止）的项目；项目推进、招商引资和预警按各项目截至本期的"
            "状态和填报数计算，履约率为签约后规定月数内开工的项目占应履约项目的比例；比学赶超排名同样只计县级"
            "已审核接收的数据（按时上报和退回次数按县级的收包和审核记录）。",
            st.small,
        )
    )
    return [*story, *_colophon(data)]
