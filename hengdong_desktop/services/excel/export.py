"""The workbooks the system writes: the blank template, a township's own data (the template
filled in, so it can be edited and imported again) and the county's 汇总表 for a period.

The 汇总表 reads services/figures.py, as the dashboard and the PDF 通报 do, so the three always
agree: its record sheets list the data of the units the figures count (accepted data), and its
问题清单 is as of the period's end. Every sheet written from a training database says so."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import periods, problem_ref, rules
from hengdong_desktop.domain import reference as r
from hengdong_desktop.domain.fields import FieldSpec
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import chains, cultivation, training
from hengdong_desktop.services import figures as figures_service
from hengdong_desktop.services.excel import layout as lay
from hengdong_desktop.services.excel.writer import Column, Sheet, Table, WriteStats, write_workbook
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reporting import NOT_FILLED, NOT_REQUIRED, status_in
from hengdong_desktop.services.setup import DatabaseInfo, read_info

TEMPLATE_ROWS = 2000  # empty rows of the template that get drop-down lists
# The 汇总表's sheets; between 问题清单 and 上报情况: 培育名录汇总, one sheet per cultivation list (reference
# data) and size tier (services/cultivation.SIZE_LISTS), 名录动态调整, and 产业链 (链长制, one row per chain).
SUMMARY_SHEETS = ("目标完成情况", "企业名录", "企业月度", "项目进度", "项目汇总", "招商引资", "问题清单", "上报情况")
RECORD_SHEETS = ("企业名录", "企业月度", "项目进度", "问题清单")  # one record per row: the export's counts
PROGRAMME = r.PROGRAMME

_REQUIREMENTS = {
    "money": "数字，单位万元，可带千分位，最多4位小数；空白表示未填报，0表示填报为零",
    "int": "整数",
    "date": "日期，如2024-05-01、2024/5/1、2024年5月1日",
    "month": "年月，如2024-05",
    "bool": "填“是”或“否”",
    "choice": "从下拉列表中选择",
    "multichoice": "可填多个，用顿号“、”分隔",
    "longtext": "文字",
    "text": "文字",
}
_REF_REQUIREMENTS = {
    "unit": "填报单位名称（从下拉列表选择）",
    "domain": "领域名称（从下拉列表选择）",
    "industry": "目标产业（从下拉列表选择）；不属于目标产业的留空",
    "chain": "重点产业链（从下拉列表选择）",
    "enterprise": "建设单位的企业名称或统一社会信用代码（须为本单位企业）",
    "problem": (
        "本措施针对该企业的哪个问题（可不填）：写问题的提出日期和问题描述的开头，如“2025-03-05 用地指标不足”，"
        "导出时已按此写好；须是本行企业的问题（库中已有，或在本文件“问题”表中）"
    ),
}
_KEY_NOTES = {
    lay.UNIT: "所属单位：乡镇可不填（即本单位）；县级导入须填写",
    lay.CREDIT_CODE: "用于对应企业：18位统一社会信用代码",
    lay.ENTERPRISE_NAME: "便于阅读，导入时不用于对应",
    lay.PROJECT_CODE: "用于对应项目：有项目编号的填编号",
    lay.PROJECT_NAME: "用于对应项目：没有项目编号时按本单位项目名称对应",
    lay.EXPLANATION: "本行警告（准强制性、核实性）的说明，导入后作为本行每条警告的说明；核实性警告的说明至少6个字",
}
GENERAL_NOTES = (
    "表头须与模板中的列名一致；列的顺序可以调整，多余的列导入时会被忽略并在报告中列出。",
    "可以只填部分列：没有的列保持系统中原有内容不变；有的列以表格为准，空白单元格会清空该项。",
    "金额单位为万元；空白表示未填报，0表示填报为零。",
    "日期可写成2024-05-01、2024/5/1或2024年5月1日；填报期写成2024-05。",
    "以“=”开头的内容按文字导入；公式单元格按Excel保存的计算结果导入，没有计算结果的公式会被拒绝。",
    "隐藏的工作表不导入；隐藏的行照常导入；合并单元格按其左上角的值填入覆盖的每一格。",
    "导入前先检查：只要有一条强制性错误，整个文件都不导入；警告（准强制性、核实性）可以导入，说明写在本行的“说明”列，"
    "或导入后在审核中填写。",
    "乡镇只能导入本单位的数据；县级导入须在每行写明所属单位。",
)


@dataclass
class ExportResult:
    path: Path
    kind: str  # template / township / county
    sheets: list[str]
    cells: int
    rows: dict[str, int] = field(default_factory=dict)
    period: str | None = None

    def summary(self) -> str:
        what = {"template": "Excel模板", "township": "本单位数据", "county": f"{self.period}汇总表"}[self.kind]
        counts = "，".join(f"{k}{n}行" for k, n in self.rows.items())
        return f"已导出{what}：{self.path}" + (f"（{counts}）" if counts else "")


# ---------------------------------------------------------------------------------------------
# Template columns
# ---------------------------------------------------------------------------------------------
def _named(ref: Reference) -> dict[str, Sequence[r.Unit | r.Domain | r.Industry | r.Chain | r.Named]]:
    return {"unit": ref.all_units(), "domain": ref.domains, "industry": ref.industries, "chain": ref.chains}


def _choices(spec: FieldSpec, ref: Reference, info: DatabaseInfo | None) -> tuple[str, ...]:
    if spec.kind == "choice":
        return tuple(ref.options.get(spec.options or "", ()))
    if spec.kind == "bool":
        return ("是", "否")
    if spec.kind == "ref":
        if spec.ref == "unit":
            if info is not None and not info.is_county:
                return (info.unit_name,)
            return tuple(u.name for u in ref.units)
        if spec.ref in ("domain", "industry", "chain"):
            return tuple(row.name for row in _named(ref)[spec.ref])
    return ()


def _kind(spec: FieldSpec) -> str:
    if spec.kind in ("money", "int", "date", "month", "longtext"):
        return spec.kind
    return "text"


def _columns(layout: lay.SheetLayout, ref: Reference, info: DatabaseInfo | None) -> list[Column]:
    township = info is not None and not info.is_county
    out = []
    for c in layout.columns:
        required = (c.key is None and c.spec.required and not (township and c.spec.name == "unit_id")) or (
            layout in (lay.ENTERPRISE_MONTHLY, lay.MEMBERSHIPS, lay.SUPPORT_MEASURES) and c.key == lay.CREDIT_CODE
        )
        choices = (
            ()
            if c.key in (lay.CREDIT_CODE, lay.ENTERPRISE_NAME, lay.PROJECT_CODE, lay.PROJECT_NAME)
            else _choices(c.spec, ref, info)
        )
        out.append(Column(c.label, _kind(c.spec), choices=choices, required=required))
    return out


def _requirement(column: lay.Column) -> str:
    if column.key:
        return _KEY_NOTES[column.key]
    spec = column.spec
    if spec.name == "credit_code":
        return "18位统一社会信用代码，字母大写（小写会自动转为大写），末位为校验位"
    text = _REF_REQUIREMENTS[spec.ref or ""] if spec.kind == "ref" else _REQUIREMENTS[spec.kind]
    if spec.max_length and spec.kind in ("text", "longtext"):
        text += f"，最多{spec.max_length}字"
    return text


def instructions_sheet(ref: Reference, info: DatabaseInfo | None) -> Sheet:
    """填表说明: what each sheet and column holds, and every rule of the rule engine."""
    general = Table(
        [Column("序号", "int"), Column("说明", "longtext")],
        [[n + 1, text] for n, text in enumerate(GENERAL_NOTES)],
        caption="一、总体要求",
    )
    sheets = Table(
        [Column("工作表"), Column("说明", "longtext")],
        [[layout.title, layout.explanation] for layout in lay.LAYOUTS],
        caption="二、各工作表",
    )
    columns = []
    for layout in lay.LAYOUTS:
        for column, shown in zip(layout.columns, _columns(layout, ref, info), strict=True):
            options = "、".join(shown.choices) if len(shown.choices) <= 20 else ""
            columns.append([layout.title, column.label, "是" if shown.required else "", _requirement(column), options])
    column_table = Table(
        [
            Column("工作表"),
            Column("列名"),
            Column("必填"),
            Column("填写要求", "longtext"),
            Column("可选值", "longtext"),
        ],
        columns,
        caption="三、各列填写要求",
    )
    catalogue = Table(
        [Column("规则编号"), Column("对象"), Column("级别"), Column("涉及字段"), Column("审核内容", "longtext")],
        [[c["id"], c["entity"], c["severity"], c["fields"], c["message"]] for c in rules.catalogue()],
        caption="四、审核规则（强制性：必须改正，否则整个文件不导入；准强制性、核实性：可导入，须填写说明；提示性：仅提示）",
    )
    return Sheet(
        lay.INSTRUCTIONS_TITLE,
        [general, sheets, column_table, catalogue],
        heading=f"{PROGRAMME} Excel填报模板 填表说明",
        filters=False,
    )


# ---------------------------------------------------------------------------------------------
# A unit's records as template rows
# ---------------------------------------------------------------------------------------------
_BOOKKEEPING = {"revision", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_reason"}
# Key columns: the link to the record they are read from, and its field.
_KEY_FIELDS = {
    lay.CREDIT_CODE: ("enterprise_id", "credit_code"),
    lay.ENTERPRISE_NAME: ("enterprise_id", "name"),
    lay.PROJECT_CODE: ("project_id", "project_code"),
    lay.PROJECT_NAME: ("project_id", "name"),
}


def _live(session: Session, model: type[m.Synced], units: Sequence[int] | None) -> list[dict[str, Any]]:
    """The live records' data columns (not their bookkeeping), as dicts: of `units` (None: all)."""
    table = model.__table__  # type: ignore[attr-defined]
    stmt = select(*[c for c in table.c if c.key not in _BOOKKEEPING]).where(table.c.deleted_at.is_(None))
    if units is not None:
        stmt = stmt.where(table.c.unit_id.in_(list(units)))
    return [dict(row) for row in session.execute(stmt).mappings()]


class _Records:
    """The live records of some units (None: all) with the lookups rows need."""

    def __init__(self, session: Session, ref: Reference, units: Sequence[int] | None) -> None:
        self.order = {u.id: n for n, u in enumerate(ref.all_units())}
        self.enterprises = {e["id"]: e for e in _live(session, m.Enterprise, units)}
        self.projects = {p["id"]: p for p in _live(session, m.Project, units)}
        self.session = session
        self.unit_id = units
        self.names = {kind: {row.id: row.name for row in rows} for kind, rows in _named(ref).items()}
        self.explanations: dict[str, list[str]] = {}  # record id → the 说明 of its warnings
        for ex in _live(session, m.Explanation, units):
            texts = self.explanations.setdefault(ex["record_id"], [])
            if ex["text"] not in texts:
                texts.append(ex["text"])

    def problem_references(self) -> dict[str, str]:
        """Problem id → how a measure's 关联问题 names it (domain/problem_ref.py), unambiguous among
        its enterprise's problems (removed ones too: a measure may still name one)."""
        table: Any = m.Problem.__table__
        stmt = select(table.c.id, table.c.enterprise_id, table.c.raised_on, table.c.description).where(
            table.c.enterprise_id.is_not(None)
        )
        if self.unit_id is not None:
            stmt = stmt.where(table.c.unit_id.in_(list(self.unit_id)))
        by_enterprise: dict[str, list[dict[str, Any]]] = {}
        for row in self.session.execute(stmt).mappings():
            by_enterprise.setdefault(row["enterprise_id"], []).append(dict(row))
        return {pid: text for rows in by_enterprise.values() for pid, text in problem_ref.references(rows).items()}

    def name(self, kind: str, ref_id: int | None) -> str:
        return self.names[kind].get(ref_id, "") if ref_id is not None else ""

    def sort(self, records: Iterable[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
        return sorted(
            records, key=lambda rec: (self.order.get(rec["unit_id"], 99), *(str(rec.get(k) or "") for k in keys))
        )

    def reader(self, column: lay.Column) -> Callable[[dict[str, Any]], Any]:
        """How a column's cell is read from a record (decided once per column, not per cell)."""
        if column.key == lay.UNIT:
            units = self.names["unit"]
            return lambda rec: units.get(rec["unit_id"], "")
        if column.key == lay.EXPLANATION:
            explanations = self.explanations
            return lambda rec: "；".join(explanations.get(rec["id"], ())) or None
        if column.key is not None:  # the enterprise or project the record belongs to
            link, field = _KEY_FIELDS[column.key]
            owners = self.enterprises if link == "enterprise_id" else self.projects
            return lambda rec: (owners.get(rec.get(link) or "") or {}).get(field)
        spec = column.spec
        name = spec.name
        if spec.kind != "ref":
            return itemgetter(name)
        if spec.ref == "enterprise":
            enterprises = self.enterprises
            return lambda rec: None if rec[name] is None else (enterprises.get(rec[name]) or {}).get("name")
        if spec.ref == "problem":
            problems = self.problem_references()
            return lambda rec: None if rec[name] is None else problems.get(rec[name])
        names = self.names[spec.ref or ""]
        return lambda rec: None if rec[name] is None else names.get(rec[name], "")

    def rows(self, layout: lay.SheetLayout) -> list[list[Any]]:
        entity = layout.entity
        if entity == "enterprise":
            records = self.sort(self.enterprises.values(), "name")
        elif entity == "project":
            records = self.sort(self.projects.values(), "name")
        elif entity in ("enterprise_monthly", "enterprise_annual", "membership", "support_measure"):
            when = {
                "enterprise_monthly": "period",
                "enterprise_annual": "year",
                "membership": "date_in",
                "support_measure": "content",
            }[entity]
            records = [
                r
                for r in _live(self.session, m.ENTITY_MODELS[entity], self.unit_id)
                if r["enterprise_id"] in self.enterprises
            ]
            names = {k: e["name"] for k, e in self.enterprises.items()}
            records.sort(key=lambda rec: (self.order.get(rec["unit_id"], 99), names[rec["enterprise_id"]], rec[when]))
        elif entity in ("project_monthly", "project_annual", "project_stage"):
            when = "year" if entity == "project_annual" else "period"
            records = [
                r
                for r in _live(self.session, m.ENTITY_MODELS[entity], self.unit_id)
                if r["project_id"] in self.projects
            ]
            names = {k: p["name"] for k, p in self.projects.items()}
            records.sort(key=lambda rec: (self.order.get(rec["unit_id"], 99), names[rec["project_id"]], rec[when]))
        else:
            records = self.sort(_live(self.session, m.Problem, self.unit_id), "raised_on")
        readers = [self.reader(c) for c in layout.columns]
        return [[read(rec) for read in readers] for rec in records]


def _template_sheets(ref: Reference, info: DatabaseInfo | None, records: _Records | None) -> list[Sheet]:
    sheets = []
    for layout in lay.LAYOUTS:
        rows = records.rows(layout) if records else []
        sheets.append(
            Sheet(
                layout.title,
                [Table(_columns(layout, ref, info), rows)],
                drop_downs=len(rows) + TEMPLATE_ROWS,
                notes=(layout.note,) if layout.note else (),
            )
        )
    sheets.append(instructions_sheet(ref, info))
    return sheets


def _banner(db: Database | None) -> str | None:
    """The note on every sheet of a workbook written from a training database."""
    return training.SHEET_NOTE if db is not None and training.is_training(db) else None


def write_template(out: Path, db: Database | None = None) -> ExportResult:
    """The blank template, with drop-down lists from `db`'s reference data (or the shipped file)."""
    if db is not None:
        info = read_info(db)
        with db.read() as session:
            ref = load(session)
    else:
        info = None
        ref, _targets = r.load_file(r.default_file())
    stats = write_workbook(out, _template_sheets(ref, info, None), banner=_banner(db))
    return ExportResult(Path(out), "template", stats.sheets, stats.cells)


def export_township(db: Database, out: Path) -> ExportResult:
    """A township's own live records, in the template's sheets (so they can be imported again)."""
    info = read_info(db)
    with db.read() as session:
        ref = load(session)
        records = _Records(session, ref, [info.unit_id])
        sheets = _template_sheets(ref, info, records)
    stats = write_workbook(out, sheets, banner=_banner(db))
    rows = {s.title: len(s.tables[0].rows) for s in sheets if s.title != lay.INSTRUCTIONS_TITLE}
    return ExportResult(Path(out), "township", stats.sheets, stats.cells, rows)


# ---------------------------------------------------------------------------------------------
# The county's 汇总表
# ---------------------------------------------------------------------------------------------
def _made(today: date, *, money: bool = True) -> str:
    """The line every sheet of the 汇总表 carries: who made it, when, and (for figures) in what unit."""
    return f"制表单位：{r.ISSUER}　　制表日期：{today.isoformat()}" + ("　　金额单位：万元" if money else "")


def _targets_sheet(fig: figures_service.Figures, made: str) -> Sheet:
    basis = fig.basis
    assert basis is not None
    year = fig.target_year or ""
    headline = Table(
        [
            Column("指标"),
            Column(f"{year}年目标", "count"),
            Column(f"已达到（{basis.headline_label}）", "count"),
            Column("完成率(%)", "percent"),
            Column("1-本月累计已达到", "count"),
            Column("上年全年", "count"),
            Column("预计全年", "count"),
            Column("本月新开工", "count"),
            Column("目标年度", "count"),
        ],
        [
            [
                p.label,
                p.target,
                p.achieved,
                p.percent,
                p.year_to_date,
                p.last_year,
                p.projected,
                p.new_this_period,
                p.target_year,
            ]
            for p in fig.headline.values()
        ],
        caption="一、全县目标完成情况",
    )
    metrics = list(fig.headline)
    domain_columns = [Column("领域"), Column("牵头部门"), Column("口径")]
    for metric in metrics:
        label = r.METRIC_LABELS[metric]
        domain_columns += [Column(f"{label}目标", "count"), Column(f"{label}已达到", "count")]
    domains = Table(
        domain_columns,
        [
            [
                d.name,
                "、".join(d.lead_departments),
                d.measure_label,
                *[v for metric in metrics for v in (d.progress[metric].target, d.progress[metric].achieved)],
            ]
            for d in fig.domains
        ],
        caption="二、分领域完成情况",
    )
    domain_names = {d.domain_id: d.name for d in fig.domains}
    industries = Table(
        [
            Column("领域"),
            Column("产业"),
            Column("口径"),
            Column("企业数", "count", total=True),
            Column("1-本月累计（登记企业，万元）", "money", total=True),
            Column("1-本月累计（统计局口径，万元）", "money"),
            Column("覆盖率(%)", "percent"),
            Column("上年同期(万元)", "money"),
            Column("同比(%)", "percent"),
            Column(f"{year}年目标(万元)", "money"),
            Column("目标完成率(%)", "percent"),
            Column("上年全年(万元)", "money"),
            Column("预计全年(万元)", "money"),
        ],
        [
            [
                domain_names.get(i.domain_id, ""),
                i.name,
                i.measure_label,
                i.enterprises,
                i.output_to_date,
                i.official_to_date,
                i.coverage_percent,
                i.same_period_last_year,
                i.growth_percent,
                i.target,
                i.completion_percent,
                i.last_year,
                i.projected,
            ]
            for i in fig.industries
        ],
        caption="三、目标产业完成情况（有统计局口径数的采用统计局口径）",
        totals=True,
    )
    notes = (basis.sentence(), *([basis.left_out_text()] if basis.left_out_text() else []), made)
    return Sheet(
        "目标完成情况",
        [headline, domains, industries],
        heading=f"{PROGRAMME}目标完成情况（截至{fig.period}）",
        filters=False,
        notes=notes,
    )


def _year_to(period: str) -> list[str]:
    return [periods.make(periods.year_of(period), month) for month in range(1, periods.month_of(period) + 1)]


def _summary_sheets(db: Database, period: str, today: date, include_pending: bool) -> list[Sheet]:
    year_periods = _year_to(period)
    with db.read() as session:
        fig = figures_service.figures_in(session, period, today=today, include_pending=include_pending)
        assert fig.basis is not None
        status = status_in(session, year_periods)
        ref = load(session)
        records = _record_sheets(session, ref, fig, fig.basis.counted.units, today)
        named = cultivation.lists_in(session, period, include_pending=include_pending)
        adjusted = cultivation.adjustments_in(session, year_periods[0], period)
        chain_views = chains.chain_views_in(session, period, today=today, include_pending=include_pending)
    return [
        _targets_sheet(fig, _made(today)),
        *records,
        *_cultivation_sheets(ref, named, adjusted, fig.basis.sentence(), today),
        _chains_sheet(chain_views, period, _made(today)),
        _status_sheet(ref, status, year_periods, _made(today, money=False)),
    ]


CHAIN_COLUMNS = (
    Column("产业链"),
    Column("链长"),
    Column("牵头部门"),
    Column("企业(户)", "count", total=True),
    Column("其中链主企业(户)", "count", total=True),
    Column("1-本月累计(万元)", "money", total=True),
    Column("项目(个)", "count", total=True),
    Column("年度计划投资(万元)", "money", total=True),
    Column("本年累计完成投资(万元)", "money", total=True),
    Column("完成率(%)", "percent"),
    Column("签约招商项目(个)", "count", total=True),
    Column("合同投资(万元)", "money", total=True),
    Column("到位资金(万元)", "money", total=True),
    Column("未办结问题(条)", "count", total=True),
    Column("其中逾期(条)", "count", total=True),
)


def _chains_sheet(views: Sequence[chains.ChainView], period: str, made: str) -> Sheet:
    """产业链 (链长制): each chain as of the period — its 链长 and 牵头部门, enterprises and their
    1-本月累计, projects and investment, 招商 and its problems — as the 产业链工作台 shows it."""
    rows = []
    for v in views:
        promotion = chains.promotion(v.projects, period)
        rows.append(
            [
                v.chain.name,
                v.leader,
                v.department,
                len(v.enterprises),
                len(v.chain_leaders),
                v.output_to_date,
                len(v.projects),
                v.year_plan,
                v.invest_ytd,
                figures_service.percent_of(v.invest_ytd, v.year_plan),
                promotion.signed,
                promotion.contract,
                promotion.funds,
                v.open_problems,
                v.late_problems,
            ]
        )
    basis = views[0].basis if views else ""
    return Sheet(
        "产业链",
        [Table(CHAIN_COLUMNS, rows, totals=True)],
        heading=f"{PROGRAMME}重点产业链（链长制）情况（{period}）",
        filters=False,
        notes=(basis, made),
    )


def _cultivation_sheets(
    ref: Reference, named: cultivation.Lists, adjusted: Sequence[cultivation.Adjustment], basis: str, today: date
) -> list[Sheet]:
    """培育名录汇总 (each list's count by unit), one sheet per list with its members, and the
    year's 动态调整."""
    units = ref.units
    counts = [[x.name, len(x.members), *[x.count_by("unit_id").get(u.id, 0) for u in units]] for x in named.all]
    summary = Table([Column("名录"), Column("合计", "count"), *[Column(u.name, "count") for u in units]], counts)
    by_domain = [[x.name, *[x.count_by("domain_id").get(d.id, 0) for d in ref.domains]] for x in named.all]
    domains = Table([Column("名录"), *[Column(d.name, "count") for d in ref.domains]], by_domain, caption="按领域")
    by_chain = [[x.name, *[x.count_by("chain_id").get(c.id, 0) for c in ref.chains]] for x in named.all]
    chains = Table([Column("名录"), *[Column(c.name, "count") for c in ref.chains]], by_chain, caption="按产业链")
    reserve = (
        f"十亿级、亿级企业按{named.basis}数值认定（各领域口径）；后备企业为达到门槛的{100 - named.reserve_percent}%"
        "及以上、尚未达到门槛的企业。"
    )
    sheets = [
        Sheet(
            "培育名录汇总",
            [summary, domains, chains],
            heading=f"{PROGRAMME}培育名录汇总（{named.period}）",
            notes=(_made(today, money=False), basis, reserve),
        )
    ]
    for x in named.all:
        rows = [
            [
                n,
                ref.name_of("unit", e.unit_id),
                e.name,
                e.credit_code,
                ref.name_of("domain", e.domain_id),
                ref.name_of("industry", e.industry_id),
                ref.name_of("chain", e.chain_id),
                e.level,
                e.date_in,
                e.figure,
                r.MEASURES[e.measure],
            ]
            for n, e in enumerate(x.members, 1)
        ]
        table = Table(
            [
                Column("序号", "count"),
                Column("所属单位"),
                Column("企业名称"),
                Column("统一社会信用代码"),
                Column("所属领域"),
                Column("所属产业"),
                Column("产业链"),
                Column("级别"),
                Column("纳入日期", "date"),
                Column(f"{named.basis}(万元)", "money"),
                Column("口径"),
            ],
            rows,
        )
        sheets.append(
            Sheet(x.name, [table], heading=f"{x.name}（{named.period}，共{len(x.members)}户）", notes=(_made(today),))
        )
    moves = [
        [a.list_name, a.action, a.on, a.name, ref.name_of("unit", a.unit_id), a.level, a.reason, a.decided_by]
        for a in adjusted
    ]
    sheets.append(
        Sheet(
            "名录动态调整",
            [
                Table(
                    [
                        Column("名录"),
                        Column("调整"),
                        Column("日期", "date"),
                        Column("企业名称"),
                        Column("所属单位"),
                        Column("级别"),
                        Column("原因", "longtext"),
                        Column("认定单位或文件"),
                    ],
                    moves,
                )
            ],
            heading=f"培育名录动态调整（{periods.year_of(named.period)}年1月至{named.period}，共{len(moves)}条）",
            notes=(_made(today, money=False),),
        )
    )
    return sheets


def _status_sheet(ref: Reference, status: dict[tuple[int, str], str], year_periods: list[str], made: str) -> Sheet:
    rows = [[u.name, *[status.get((u.id, p), "") for p in year_periods]] for u in ref.units]
    reported = [
        "已填报单位数",
        *[sum(1 for u in ref.units if status.get((u.id, p)) not in (NOT_FILLED, NOT_REQUIRED)) for p in year_periods],
    ]
    table = Table([Column("填报单位"), *[Column(p) for p in year_periods]], [*rows, reported])
    year = periods.year_of(year_periods[-1])
    return Sheet("上报情况", [table], heading=f"{PROGRAMME}各单位填报情况（{year}年）", filters=False, notes=(made,))


def _record_sheets(
    session: Session, ref: Reference, fig: figures_service.Figures, units: Sequence[int], today: date
) -> list[Sheet]:
    """企业名录, 企业月度, 项目进度 and 问题清单 of the units the figures count."""
    period = fig.period
    rec = _Records(session, ref, units)
    unit = lambda rec_: rec.name("unit", rec_["unit_id"])  # noqa: E731

    enterprise_rows = rec.rows(lay.ENTERPRISES)
    ent_columns = _columns(lay.ENTERPRISES, ref, None)
    ent_columns = [Column(c.label, c.kind, total=c.kind in ("money", "int")) for c in ent_columns]
    # 所属单位 first: the county reads the list unit by unit.
    unit_at = [c.label for c in ent_columns].index("所属单位")
    order = [unit_at, *[i for i in range(len(ent_columns)) if i != unit_at]]
    enterprises = Table(
        [ent_columns[i] for i in order], [[row[i] for i in order] for row in enterprise_rows], totals=True
    )

    em = session.execute(
        select(m.EnterpriseMonthly.__table__).where(
            m.EnterpriseMonthly.deleted_at.is_(None), m.EnterpriseMonthly.period == period
        )
    ).mappings()
    monthly_fields = [c for c in lay.ENTERPRISE_MONTHLY.columns if c.key is None and c.spec.name != "period"]
    keyed = []
    for x in em:
        e = rec.enterprises.get(x["enterprise_id"])
        if e is not None:
            keyed.append(
                (
                    (rec.order.get(e["unit_id"], 99), e["name"]),
                    [
                        unit(e),
                        e["credit_code"],
                        e["name"],
                        rec.name("industry", e["industry_id"]),
                        *[x[c.spec.name] for c in monthly_fields],
                    ],
                )
            )
    monthly_rows = [row for _, row in sorted(keyed, key=lambda kv: kv[0])]
    monthly = Table(
        [
            Column("所属单位"),
            Column("统一社会信用代码"),
            Column("企业名称"),
            Column("所属产业"),
            *[Column(c.label, _kind(c.spec), total=True) for c in monthly_fields],
        ],
        monthly_rows,
        totals=True,
    )

    projects = _projects_table(session, rec, fig)

    # Problems as the period's end saw them: raised by then; solved by then, or still open (未解决,
    # aged to that day). What happened later belongs to a later period's list.
    as_of = fig.problems.as_of
    assert as_of is not None
    problem_rows = []
    for p in _live(session, m.Problem, units):
        if p["raised_on"] > as_of:
            continue
        owner = rec.enterprises.get(p["enterprise_id"] or "") or rec.projects.get(p["project_id"] or "")
        solved = p["status"] == "已解决" and (p["solved_on"] is None or p["solved_on"] <= as_of)
        end = p["solved_on"] if solved and p["solved_on"] else as_of
        problem_rows.append(
            [
                unit(p),
                owner["name"] if owner else "",
                "企业" if p["enterprise_id"] else "项目",
                p["category"],
                p["description"],
                p["raised_on"],
                p["department"],
                "已解决" if solved else figures_service.AS_OF_OPEN,
                (end - p["raised_on"]).days,
                p["resolution"] if solved else None,
                p["solved_on"] if solved else None,
            ]
        )
    # Open problems first, the longest open at the top: what the list exists to expose.
    problem_rows.sort(key=lambda row: (row[7] == "已解决", -row[8]))
    problems = Table(
        [
            Column("所属单位"),
            Column("问题对象"),
            Column("对象类型"),
            Column("问题类别"),
            Column("问题描述", "longtext"),
            Column("提出日期", "date"),
            Column("责任单位"),
            Column("办理状态"),
            Column("办理天数", "count"),
            Column("办理结果", "longtext"),
            Column("解决日期", "date"),
        ],
        problem_rows,
    )

    when = f"（{period}）"
    made, made_money = _made(today, money=False), _made(today)
    return [
        Sheet("企业名录", [enterprises], heading=f"{PROGRAMME}企业名录（共{len(enterprise_rows)}户）", notes=(made,)),
        Sheet("企业月度", [monthly], heading=f"{PROGRAMME}企业月度调度数据{when}", notes=(made_money,)),
        Sheet("项目进度", [projects], heading=f"{PROGRAMME}项目推进情况{when}", notes=(made_money,)),
        _project_summary_sheet(fig, rec, made_money),
        _investment_sheet(fig, rec, made_money),
        Sheet(
            "问题清单",
            [problems],
            heading=f"{PROGRAMME}问题清单（截至{as_of.isoformat()}，未解决{fig.problems.open_total}条）",
            notes=(made,),
        ),
    ]


def _projects_table(session: Session, rec: _Records, fig: figures_service.Figures) -> Table:
    """项目进度: each project of the counted units as of the period — its classification, status,
    plan and investment, milestones against the plan, 五制一平台 people, warnings and progress."""
    period = fig.period
    year = periods.year_of(period)
    lines = {
        x.project_id: x
        for x in figures_service.project_lines(
            session, period, unit_id=None, include_pending=fig.basis is not None and fig.basis.include_pending
        )
    }
    pm: dict[str, dict[str, Any]] = {
        x["project_id"]: dict(x)
        for x in session.execute(
            select(m.ProjectMonthly.__table__).where(
                m.ProjectMonthly.deleted_at.is_(None), m.ProjectMonthly.period == period
            )
        ).mappings()
    }
    cumulative = dict(
        session.execute(
            select(m.ProjectMonthly.project_id, m.ProjectMonthly.invest_cumulative)
            .where(
                m.ProjectMonthly.deleted_at.is_(None),
                m.ProjectMonthly.invest_cumulative.is_not(None),
                m.ProjectMonthly.period <= period,
            )
            .order_by(m.ProjectMonthly.period)
        ).all()
    )
    stages: dict[str, list[lc.StageRow]] = {}
    for pid, q, status, reached in session.execute(
        select(
            m.ProjectStage.project_id, m.ProjectStage.period, m.ProjectStage.status, m.ProjectStage.reached_on
        ).where(m.ProjectStage.deleted_at.is_(None), m.ProjectStage.period <= period)
    ):
        stages.setdefault(pid, []).append(lc.StageRow(q, status, reached))
    warned: dict[str, list[str]] = {}
    for w in fig.projects.warnings if fig.projects else ():
        warned.setdefault(w.project_id, []).append(f"【{w.rule}】{w.message}（{w.standing}）")
    rows = []
    for p in rec.sort(rec.projects.values(), "name"):
        line = lines.get(p["id"])
        if line is None:
            continue  # entered after the period
        month = pm.get(p["id"], {})
        total = p["total_investment"]
        done = cumulative.get(p["id"])
        history = lc.history(stages.get(p["id"], ()))
        now = lc.status_as_of(history, period)
        start, _finish, production = lc.milestones(
            history,
            {lc.STARTED: p["planned_start"], lc.FINISHED: p["planned_finish"], lc.PRODUCING: p["planned_production"]},
            period,
        )
        rows.append(
            [
                rec.name("unit", p["unit_id"]),
                p["project_code"],
                p["name"],
                rec.name("domain", p["domain_id"]),
                rec.name("industry", p["industry_id"]),
                rec.name("chain", p["chain_id"]),
                p["chain_role"],
                p["source"],
                line.status,
                now.reached_on if now else None,
                total,
                line.year_plan,
                month.get("invest_month"),
                line.invest_ytd,
                figures_service.percent_of(line.invest_ytd or 0, line.year_plan),
                done,
                figures_service.percent_of(done, total) if done is not None else None,
                p["planned_start"],
                start.actual,
                p["planned_production"],
                production.actual,
                p["contact_leader"],
                p["task_force"],
                p["agent"],
                p["responsible_department"],
                "\n".join(warned.get(p["id"], ())),
                month.get("progress"),
                month.get("issues"),
                month.get("coordination"),
            ]
        )
    return Table(
        [
            Column("所属单位"),
            Column("项目编号"),
            Column("项目名称"),
            Column("所属领域"),
            Column("所属产业"),
            Column("所属产业链"),
            Column("强链延链补链"),
            Column("项目来源"),
            Column(f"项目状态（{period}）"),
            Column("状态日期", "date"),
            Column("总投资(万元)", "money", total=True),
            Column(f"{year}年计划投资(万元)", "money", total=True),
            Column("本月完成投资", "money", total=True),
            Column("本年累计完成投资", "money", total=True),
            Column("年度计划完成率(%)", "percent"),
            Column("累计完成投资", "money", total=True),
            Column("累计完成率(%)", "percent"),
            Column("计划开工", "month"),
            Column("实际开工", "date"),
            Column("计划投产", "month"),
            Column("实际投产", "date"),
            Column("联系县领导"),
            Column("工作专班"),
            Column("项目代办员"),
            Column("责任单位"),
            Column("预警（包而不推、推而不快、快而不优）", "longtext"),
            Column("形象进度", "longtext"),
            Column("存在问题", "longtext"),
            Column("需协调事项", "longtext"),
        ],
        rows,
        totals=True,
    )


_GROUP_COLUMNS = (
    Column("项目数", "count", total=True),
    Column("其中亿元级", "count", total=True),
    Column("总投资(万元)", "money", total=True),
    Column("年度计划投资(万元)", "money", total=True),
    Column("本年累计完成投资(万元)", "money", total=True),
    Column("完成率(%)", "percent"),
)


def _group_table(caption: str, first: str, groups: Sequence[figures_service.ProjectGroup]) -> Table:
    return Table(
        [Column(first), *_GROUP_COLUMNS],
        [
            [g.name, g.projects, g.hundred_million, g.total_investment, g.year_plan, g.invest_ytd, g.completion_percent]
            for g in groups
        ],
        caption=caption,
        totals=True,
    )


def _project_summary_sheet(fig: figures_service.Figures, rec: _Records, made: str) -> Sheet:
    """项目汇总: the projects by stage, domain, industry, chain and unit, and the 预警 list."""
    p = fig.projects
    assert p is not None and fig.basis is not None
    counts = "、".join(f"{rule}{n}个" for rule, n in p.warning_counts().items())
    warnings = Table(
        [
            Column("预警类型"),
            Column("所属单位"),
            Column("项目名称"),
            Column("预警内容（数据与阈值）", "longtext"),
            Column("起始期"),
            Column("已持续(月)", "count"),
        ],
        [[w.rule, rec.name("unit", w.unit_id), w.name, w.message, w.since, w.months] for w in p.warnings],
        caption=f"六、项目预警（{counts}；阈值见基础数据“项目预警参数”）",
    )
    year = periods.year_of(fig.period)
    return Sheet(
        "项目汇总",
        [
            _group_table(
                f"一、按项目状态（截至{fig.period}；本期新开工{p.started_this_period}个；计划投资为{year}年）",
                "项目状态",
                [g for g in p.by_stage if g.projects],
            ),
            _group_table("二、按领域", "领域", p.by_domain),
            _group_table("三、按产业", "产业", [g for g in p.by_industry if g.projects or g.key is not None]),
            _group_table("四、按产业链", "产业链", p.by_chain),
            _group_table("五、按单位", "填报单位", p.by_unit),
            warnings,
        ],
        heading=f"{PROGRAMME}项目汇总与预警（{fig.period}）",
        filters=False,
        notes=(fig.basis.sentence(), made),
    )


def _investment_sheet(fig: figures_service.Figures, rec: _Records, made: str) -> Sheet:
    """招商引资: signed, started, 履约率 and funds in place, by 引资来源, and the signed projects."""
    i = fig.investment
    assert i is not None and fig.basis is not None
    year = periods.year_of(fig.period)
    totals = Table(
        [Column("指标"), Column("数值", "money"), Column("口径", "longtext")],
        [
            ["本年签约项目(个)", i.signed_this_year, f"{year}年1月1日至本期末签约"],
            ["本年签约合同投资额(万元)", i.contract_this_year, "本年签约项目的合同投资额"],
            ["累计签约项目(个)", i.signed, "截至本期末签约（各年）"],
            ["累计合同投资额(万元)", i.contract, "截至本期末签约项目的合同投资额"],
            ["已开工项目(个)", i.started, "签约项目中截至本期已开工（开工或以后阶段）"],
            [
                "履约率(%)",
                i.fulfil_percent,
                f"签约后{i.fulfil_months}个月内开工的项目{i.kept}个÷签约满{i.fulfil_months}个月或已开工的项目{i.due}个",
            ],
            ["到位资金(万元)", i.funds, "截至本期最近一次填报的累计到位资金"],
            ["本年到位资金(万元)", i.funds_this_year, "本年截至本期各月本月到位资金之和"],
            ["资金到位率(%)", i.funds_percent, "到位资金÷合同投资额"],
            ["先建后验项目(个)", i.build_first, "计入的项目中先建后验的"],
        ],
        caption="一、招商引资总体情况",
    )
    sources = Table(
        [
            Column("引资来源"),
            Column("签约项目数", "count", total=True),
            Column("合同投资额(万元)", "money", total=True),
            Column("已开工", "count", total=True),
            Column("到位资金(万元)", "money", total=True),
            Column("到位率(%)", "percent"),
        ],
        [[g.source, g.signed, g.contract, g.started, g.funds, g.funds_percent] for g in i.by_source],
        caption="二、按引资来源",
        totals=True,
    )
    signed = [x for x in rec.projects.values() if x["signed_on"] is not None]
    lines = {
        x.project_id: x
        for x in figures_service.project_lines(
            rec.session, fig.period, signed=True, include_pending=fig.basis.include_pending
        )
    }
    projects = Table(
        [
            Column("所属单位"),
            Column("项目名称"),
            Column("签约日期", "date"),
            Column("签约主体"),
            Column("引资来源"),
            Column("合同投资额(万元)", "money", total=True),
            Column(f"项目状态（{fig.period}）"),
            Column("开工日期", "date"),
            Column("到位资金(万元)", "money", total=True),
            Column("先建后验"),
        ],
        [
            [
                rec.name("unit", x["unit_id"]),
                x["name"],
                x["signed_on"],
                x["signing_party"],
                x["investment_source"],
                x["contract_investment"],
                lines[x["id"]].status,
                lines[x["id"]].started_on,
                lines[x["id"]].funds,
                x["build_first"],
            ]
            for x in rec.sort(signed, "signed_on")
            if x["id"] in lines
        ],
        caption="三、签约项目",
        totals=True,
    )
    return Sheet(
        "招商引资",
        [totals, sources, projects],
        heading=f"{PROGRAMME}招商引资情况（{fig.period}）",
        filters=False,
        notes=(fig.basis.sentence(), made),
    )


def latest_period(db: Database) -> str:
    """The latest period with figures, else the period clerks report now."""
    with db.read() as session:
        latest = session.scalar(
            select(func.max(m.EnterpriseMonthly.period)).where(m.EnterpriseMonthly.deleted_at.is_(None))
        )
    return latest or periods.last_completed()


def export_county(
    db: Database, out: Path, period: str | None = None, *, today: date | None = None, include_pending: bool = False
) -> ExportResult:
    """The county's 汇总表 for `period` (default: the latest period with figures): accepted data
    only, unless `include_pending` (the sheets' 口径 line says which)."""
    period = period or latest_period(db)
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    sheets = _summary_sheets(db, period, today or date.today(), include_pending)
    stats: WriteStats = write_workbook(out, sheets, banner=_banner(db))
    rows = {s.title: len(s.tables[0].rows) for s in sheets if s.title in RECORD_SHEETS}
    return ExportResult(Path(out), "county", stats.sheets, stats.cells, rows, period)


def export(db: Database, out: Path, period: str | None = None) -> ExportResult:
    """A township's own data, or the county's 汇总表."""
    return export_county(db, out, period) if read_info(db).is_county else export_township(db, out)
