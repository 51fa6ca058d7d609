"""The library lists (企业库, 项目库, 问题清单): which columns they show, how they filter, search
and sort, and their rows page by page. Everything happens in SQL, so a list stays quick with
100,000 enterprises; screens ask for one page at a time and never hold a session.

A `Listing` is built once per screen from the reference data (names of units, industries …) and
the role: the county sees every unit and a 所属单位 column; a township only its own unit."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Select, and_, case, exists, func, literal, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.sql import days_between, group_concat, position_in
from hengdong_desktop.domain import assignment, money
from hengdong_desktop.domain.fields import label
from hengdong_desktop.domain.reference import Reference

# Record status filter values, shared by the three lists.
LIVE, REMOVED, ANY = "live", "removed", "all"
NO_INDUSTRY = 0  # the 产业 filter value for “其他” (no target industry)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    expr: ColumnElement[Any]
    kind: str = "text"  # text / money / int / date / unit / domain / industry / chain / bool / removed
    sort: ColumnElement[Any] | None = None  # None: not sortable
    chars: int = 8  # a width hint in characters

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "int", "days")


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    choices: tuple[tuple[str, object], ...]  # (shown text, value); the first is the default
    condition: Callable[[object], ColumnElement[bool]]


@dataclass(frozen=True)
class Query:
    search: str = ""
    filters: Mapping[str, object] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False

    def with_filter(self, key: str, value: object) -> Query:
        return replace(self, filters={**self.filters, key: value})


Cursor = tuple[Any, str]  # the sort value and id of a page's last row: where the next page starts


@dataclass(frozen=True)
class Row:
    id: str
    removed: bool
    values: tuple[Any, ...]  # as stored, one per column; `Listing.text` shows them
    unit_id: int
    cursor: Cursor


class Listing:
    """One list: its columns and filters, and the SQL that pages through it."""

    def __init__(
        self,
        entity: str,
        ref: Reference,
        unit_id: int | None,
        table: Any,
        columns: Sequence[Column],
        filters: Sequence[Filter],
        search: Callable[[str], ColumnElement[bool]],
        source: Any = None,
        default_sort: str = "name",
        default_descending: bool = False,
        alert: str | None = None,
    ) -> None:
        self.entity = entity
        self.ref = ref
        self.unit_id = unit_id
        self.table = table
        self.columns = tuple(columns)
        self.filters = tuple(filters)
        self._search = search
        self._source = source if source is not None else table
        self.default_sort = default_sort
        self.default_descending = default_descending
        self.alert = alert  # the key of a column whose set value marks its row for attention (red)
        tables: dict[str, tuple[Any, ...]] = {
            "unit": ref.all_units(),
            "domain": ref.domains,
            "industry": ref.industries,
            "chain": ref.chains,
        }
        self._names = {kind: {row.id: row.name for row in rows} for kind, rows in tables.items()}

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def default_query(self) -> Query:
        return Query(
            filters={f.key: f.choices[0][1] for f in self.filters},
            sort=self.default_sort,
            descending=self.default_descending,
        )

    # SQL ----------------------------------------------------------------------------------
    def where(self, query: Query) -> list[ColumnElement[bool]]:
        t = self.table
        conds: list[ColumnElement[bool]] = []
        if self.unit_id is not None:
            conds.append(t.c.unit_id == self.unit_id)
        for f in self.filters:
            value = query.filters.get(f.key, f.choices[0][1])
            if value is not None:
                conds.append(f.condition(value))
        text = normalize_search(query.search)
        if text:
            conds.append(self._search(text))
        return conds

    def _sort(self, query: Query) -> ColumnElement[Any] | None:
        key = query.sort or self.default_sort
        column = next((c for c in self.columns if c.key == key and c.sort is not None), None)
        return column.sort if column is not None else None

    def _after(self, sort: ColumnElement[Any] | None, descending: bool, cursor: Cursor) -> ColumnElement[bool]:
        """Rows after `cursor` in the list's order (SQLite puts NULL first ascending, last
        descending; ties go by id). Paging by position instead would get slower the further
        the clerk scrolls."""
        value, last_id = cursor
        after_id = self.table.c.id > last_id
        if sort is None:
            return after_id
        if value is None:
            tied = and_(sort.is_(None), after_id)
            return tied if descending else or_(tied, sort.is_not(None))
        # written as “≥ value and (> value or a later id)” so that SQLite can seek an index
        if descending:
            return or_(and_(sort <= value, or_(sort < value, after_id)), sort.is_(None))
        return and_(sort >= value, or_(sort > value, after_id))

    def rows_statement(self, query: Query, limit: int | None, after: Cursor | None = None) -> Select[Any]:
        """One page of rows. The page's ids are chosen first, so the shown columns (names,
        list memberships …) are worked out for these rows only, not for every row sorted."""
        t = self.table
        sort = self._sort(query)
        conds = self.where(query)
        if after is not None:
            conds.append(self._after(sort, query.descending, after))
        key = (sort if sort is not None else literal(None)).label("sort_key")
        order = ([_ordered(key, query.descending)] if sort is not None else []) + [t.c.id]
        page = (
            select(t.c.id, key).select_from(self._source).where(*conds).order_by(*order).limit(limit).subquery("page")
        )
        outer = [_ordered(page.c.sort_key, query.descending), page.c.id]
        return (
            select(
                t.c.id,
                t.c.deleted_at.is_not(None).label("removed"),
                t.c.unit_id,
                page.c.sort_key,
                *(c.expr.label(f"c{i}") for i, c in enumerate(self.columns)),
            )
            .select_from(self._source.join(page, page.c.id == t.c.id))
            .order_by(*(outer if sort is not None else outer[1:]))
        )

    def count_statement(self, query: Query) -> Select[Any]:
        return select(func.count()).select_from(self._source).where(*self.where(query))

    # reading ------------------------------------------------------------------------------
    def count(self, db: Database, query: Query) -> int:
        with db.read() as s:
            return int(s.scalar(self.count_statement(query)) or 0)

    def page(self, db: Database, query: Query, limit: int | None, after: Cursor | None = None) -> list[Row]:
        """Up to `limit` rows (None: all) from the start of the list, or after the row at `after`."""
        stmt = self.rows_statement(query, limit, after)
        with db.read() as s:
            result = s.execute(stmt).all()
        return [Row(r[0], bool(r[1]), tuple(r[4:]), r[2], (r[3], r[0])) for r in result]

    def alerted(self, row: Row) -> bool:
        """Whether the row needs attention (an overdue problem): shown in red."""
        return self.alert is not None and bool(row.values[self.column_index(self.alert)])

    def text(self, row: Row, key: str) -> str:
        index = self.column_index(key)
        return self.show(self.columns[index], row.values[index])

    def show(self, column: Column, value: Any) -> str:
        """A stored value as the list shows it."""
        if value is None:
            return ""
        kind = column.kind
        if kind == "money":
            return money.fmt(value if isinstance(value, Decimal) else money.from_units(int(value)))
        if kind in ("int", "days"):
            return f"{int(value):,}"
        if kind in self._names:
            return self._names[kind].get(int(value), "")
        if kind == "bool":
            return "是" if value else "否"
        if kind == "date" and isinstance(value, date):
            return value.isoformat()
        return str(value)


def _ordered(column: Any, descending: bool) -> Any:
    """SQLite's order of NULLs (first ascending, last descending), said explicitly so that a
    server database pages the same way (PostgreSQL's default is the opposite)."""
    return column.desc().nulls_last() if descending else column.asc().nulls_first()


def normalize_search(text: str) -> str:
    """What the clerk typed in the search box, width-folded and trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    return position_in(column, text) > 0


def _status_filter(t: Any, removed_label: str) -> Filter:
    def cond(value: object) -> ColumnElement[bool]:
        if value == LIVE:
            return t.c.deleted_at.is_(None)
        if value == REMOVED:
            return t.c.deleted_at.is_not(None)
        return true()

    return Filter("record_status", "状态", (("在库", LIVE), (removed_label, REMOVED), ("全部", ANY)), cond)


def _options(ref: Reference, kind: str, all_label: str) -> tuple[tuple[str, object], ...]:
    return ((all_label, None), *((v, v) for v in ref.options.get(kind, ())))


def _ref_choices(rows: Sequence[Any], all_label: str) -> tuple[tuple[str, object], ...]:
    return ((all_label, None), *((r.name, r.id) for r in rows))


def _unit_filter(ref: Reference, t: Any) -> Filter:
    return Filter("unit", "所属单位", _ref_choices(ref.units, "全部单位"), lambda v: t.c.unit_id == v)


def _removed_text(t: Any, live: str, removed: str) -> ColumnElement[Any]:
    return case(
        (t.c.deleted_at.is_(None), literal(live)),
        else_=literal(removed) + literal("：") + func.coalesce(t.c.deleted_reason, ""),
    )


# ---------------------------------------------------------------------------------------------
# 企业库
# ---------------------------------------------------------------------------------------------
def enterprises(ref: Reference, unit_id: int | None) -> Listing:
    """The enterprise library of one unit, or (unit_id None, the county) of all units."""
    t = m.Enterprise.__table__
    mem = m.Membership.__table__
    current = and_(mem.c.enterprise_id == t.c.id, mem.c.deleted_at.is_(None), mem.c.date_out.is_(None))
    lists = select(group_concat(mem.c.list_name, "、")).where(current).scalar_subquery()
    annual = m.EnterpriseAnnual.__table__
    latest_output = (
        select(annual.c.output)
        .where(annual.c.enterprise_id == t.c.id, annual.c.deleted_at.is_(None), annual.c.output.is_not(None))
        .order_by(annual.c.year.desc())
        .limit(1)
        .scalar_subquery()
    )
    e = "enterprise"
    columns = [
        Column("name", label(e, "name"), t.c.name, sort=t.c.name, chars=20),
        Column("credit_code", label(e, "credit_code"), t.c.credit_code, sort=t.c.credit_code, chars=12),
        *(
            [Column("unit", label(e, "unit_id"), t.c.unit_id, "unit", sort=t.c.unit_id, chars=7)]
            if unit_id is None
            else []
        ),
        Column("industry", label(e, "industry_id"), t.c.industry_id, "industry", sort=t.c.industry_id, chars=8),
        Column("chain", label(e, "chain_id"), t.c.chain_id, "chain", sort=t.c.chain_id, chars=6),
        Column("si_shang", label(e, "si_shang_category"), t.c.si_shang_category, sort=t.c.si_shang_category, chars=12),
        Column("tier", label(e, "cultivation_tier"), t.c.cultivation_tier, sort=t.c.cultivation_tier, chars=5),
        Column("lists", "培育名录", lists, chars=16),
        Column("output", "最近年度产值(万元)", latest_output, "money", sort=latest_output, chars=11),
        Column("phone", label(e, "contact_phone"), t.c.contact_phone, chars=11),
        Column("status", "状态", _removed_text(t, "在库", "已调出"), sort=t.c.deleted_at, chars=6),
    ]

    def industry(value: object) -> ColumnElement[bool]:
        return t.c.industry_id.is_(None) if value == NO_INDUSTRY else t.c.industry_id == value

    def in_list(value: object) -> ColumnElement[bool]:
        return exists().where(current, mem.c.list_name == value)

    filters = [
        *([_unit_filter(ref, t)] if unit_id is None else []),
        Filter(
            "industry",
            "产业",
            (*_ref_choices(ref.industries, "全部产业"), ("其他（非目标产业）", NO_INDUSTRY)),
            industry,
        ),
        Filter("chain", "产业链", _ref_choices(ref.chains, "全部产业链"), lambda v: t.c.chain_id == v),
        Filter("list", "培育名录", _options(ref, "cultivation_list", "全部名录"), in_list),
        Filter(
            "si_shang",
            "四上类别",
            _options(ref, "si_shang_category", "全部四上类别"),
            lambda v: t.c.si_shang_category == v,
        ),
        _status_filter(t, "已调出名录"),
    ]

    def search(text: str) -> ColumnElement[bool]:
        return or_(_contains(t.c.name, text), _contains(t.c.credit_code, text.upper()))

    return Listing(e, ref, unit_id, t, columns, filters, search)


# ---------------------------------------------------------------------------------------------
# 项目库
# ---------------------------------------------------------------------------------------------
def projects(ref: Reference, unit_id: int | None, today: date | None = None) -> Listing:
    t = m.Project.__table__
    ent = m.Enterprise.__table__.alias("builder")
    plans = m.ProjectAnnual.__table__
    p = "project"
    threshold = ref.thresholds.get("hundred_million_project", Decimal(10000))
    year = (today or date.today()).year
    year_plan = (
        select(plans.c.plan_investment)
        .where(plans.c.project_id == t.c.id, plans.c.year == year, plans.c.deleted_at.is_(None))
        .scalar_subquery()
    )
    columns = [
        Column("name", label(p, "name"), t.c.name, sort=t.c.name, chars=28),
        Column("code", label(p, "project_code"), t.c.project_code, sort=t.c.project_code, chars=8),
        *(
            [Column("unit", label(p, "unit_id"), t.c.unit_id, "unit", sort=t.c.unit_id, chars=7)]
            if unit_id is None
            else []
        ),
        Column("status", label(p, "status"), t.c.status, sort=_status_order(ref, t.c.status), chars=5),
        Column("domain", label(p, "domain_id"), t.c.domain_id, "domain", sort=t.c.domain_id, chars=6),
        Column("industry", label(p, "industry_id"), t.c.industry_id, "industry", sort=t.c.industry_id, chars=8),
        Column("chain", label(p, "chain_id"), t.c.chain_id, "chain", sort=t.c.chain_id, chars=6),
        Column("type", label(p, "project_type"), t.c.project_type, sort=t.c.project_type, chars=4),
        Column("source", label(p, "source"), t.c.source, sort=t.c.source, chars=5),
        Column(
            "total", label(p, "total_investment"), t.c.total_investment, "money", sort=t.c.total_investment, chars=11
        ),
        Column("year_plan", f"{year}年计划投资(万元)", year_plan, "money", sort=year_plan, chars=11),
        Column("signed_on", label(p, "signed_on"), t.c.signed_on, "date", sort=t.c.signed_on, chars=7),
        Column(
            "contract",
            label(p, "contract_investment"),
            t.c.contract_investment,
            "money",
            sort=t.c.contract_investment,
            chars=11,
        ),
        Column("start", label(p, "planned_start"), t.c.planned_start, sort=t.c.planned_start, chars=7),
        Column("finish", label(p, "planned_finish"), t.c.planned_finish, sort=t.c.planned_finish, chars=7),
        Column("builder", label(p, "builder_enterprise_id"), ent.c.name, sort=ent.c.name, chars=20),
        Column("removed", "记录状态", _removed_text(t, "在库", "已删除"), sort=t.c.deleted_at, chars=6),
    ]
    implemented = ref.implemented_statuses
    status_choices: tuple[tuple[str, object], ...] = (
        ("全部状态", None),
        (f"已实施（{ref.project_implemented_from}及以后）", "__implemented__"),
        *((s, s) for s in ref.options.get("project_status", ())),
    )

    def status(value: object) -> ColumnElement[bool]:
        return t.c.status.in_(implemented) if value == "__implemented__" else t.c.status == value

    def scale(value: object) -> ColumnElement[bool]:
        units = money.to_units(threshold)
        return t.c.total_investment >= units if value == "big" else t.c.total_investment < units

    filters = [
        *([_unit_filter(ref, t)] if unit_id is None else []),
        Filter("status", "项目状态", status_choices, status),
        Filter("domain", "领域", _ref_choices(ref.domains, "全部领域"), lambda v: t.c.domain_id == v),
        Filter("industry", "产业", _ref_choices(ref.industries, "全部产业"), lambda v: t.c.industry_id == v),
        Filter("chain", "产业链", _ref_choices(ref.chains, "全部产业链"), lambda v: t.c.chain_id == v),
        Filter("type", "项目类型", _options(ref, "project_type", "全部类型"), lambda v: t.c.project_type == v),
        Filter("source", "项目来源", _options(ref, "project_source", "全部来源"), lambda v: t.c.source == v),
        Filter(
            "investment_source",
            "引资来源",
            _options(ref, "investment_source", "全部引资来源"),
            lambda v: t.c.investment_source == v,
        ),
        Filter("scale", "规模", (("全部规模", None), ("亿元级项目", "big"), ("亿元以下", "small")), scale),
        _status_filter(t, "已删除"),
    ]

    def search(text: str) -> ColumnElement[bool]:
        return or_(
            _contains(t.c.name, text), _contains(t.c.project_code, text.upper()), _contains(t.c.project_code, text)
        )

    source = t.outerjoin(ent, ent.c.id == t.c.builder_enterprise_id)
    return Listing(p, ref, unit_id, t, columns, filters, search, source)


def _status_order(ref: Reference, column: Any) -> ColumnElement[Any]:
    flow = ref.options.get("project_status", ())
    return case({s: i for i, s in enumerate(flow)}, value=column, else_=len(flow))


# ---------------------------------------------------------------------------------------------
# 问题清单
# ---------------------------------------------------------------------------------------------
def problems(ref: Reference, unit_id: int | None, today: date | None = None) -> Listing:
    """问题清单 and 问题交办: each problem with its 交办 (department, dates), where it stands
    today (办理情况, as domain/assignment.standing says) and, once escalated, the county leader
    it goes to (its chain's 链长, else its 联系县领导). Overdue rows are shown in red."""
    t = m.Problem.__table__
    ent = m.Enterprise.__table__.alias("target_enterprise")
    proj = m.Project.__table__.alias("target_project")
    chain = m.Chain.__table__.alias("target_chain")
    leader = m.Leader.__table__.alias("chain_leader")
    q = "problem"
    day = literal(today or date.today(), Date)
    days_open = days_between(func.coalesce(t.c.solved_on, day), t.c.raised_on)
    target = func.coalesce(ent.c.name, proj.c.name)
    solved = t.c.status == assignment.SOLVED
    assigned = and_(func.coalesce(t.c.department, "") != "", t.c.assigned_on.is_not(None), t.c.assigned_on <= day)
    late = and_(~solved, assigned, t.c.deadline < day)
    overdue_days = case((late, days_between(day, t.c.deadline)), else_=None)
    escalated = and_(late, overdue_days > ref.programme("escalate_days"))
    handling = case(
        (and_(solved, or_(t.c.deadline.is_(None), t.c.solved_on.is_(None))), literal(assignment.CLOSED)),
        (and_(solved, t.c.solved_on <= t.c.deadline), literal(assignment.CLOSED_ON_TIME)),
        (solved, literal(assignment.CLOSED_LATE)),
        (~assigned, literal(assignment.UNASSIGNED)),
        (escalated, literal(assignment.ESCALATED)),
        (late, literal(assignment.OVERDUE)),
        else_=literal(assignment.OPEN),
    )
    escalate_to = case(
        (escalated, func.coalesce(leader.c.name, ent.c.contact_leader, proj.c.contact_leader)), else_=None
    )
    columns = [
        Column("target", "问题对象", target, sort=target, chars=22),
        Column(
            "target_kind",
            "对象类型",
            case((t.c.enterprise_id.is_not(None), literal("企业")), else_=literal("项目")),
            sort=t.c.enterprise_id.is_(None),
            chars=4,
        ),
        *([Column("unit", "所属单位", t.c.unit_id, "unit", sort=t.c.unit_id, chars=7)] if unit_id is None else []),
        Column("category", label(q, "category"), t.c.category, sort=t.c.category, chars=5),
        Column("status", label(q, "status"), t.c.status, sort=_problem_status_order(ref, t.c.status), chars=5),
        Column("days_open", "已历时(天)", days_open, "days", sort=days_open, chars=6),
        Column("raised_on", label(q, "raised_on"), t.c.raised_on, "date", sort=t.c.raised_on, chars=7),
        Column("department", label(q, "department"), t.c.department, sort=t.c.department, chars=7),
        Column("assigned_on", label(q, "assigned_on"), t.c.assigned_on, "date", sort=t.c.assigned_on, chars=7),
        Column("deadline", label(q, "deadline"), t.c.deadline, "date", sort=t.c.deadline, chars=7),
        Column("handling", "办理情况", handling, sort=handling, chars=5),
        Column("overdue_days", "逾期(天)", overdue_days, "days", sort=overdue_days, chars=5),
        Column("escalate_to", "督办县领导", escalate_to, sort=escalate_to, chars=6),
        Column("solved_on", label(q, "solved_on"), t.c.solved_on, "date", sort=t.c.solved_on, chars=7),
        Column("description", label(q, "description"), t.c.description, chars=26),
        Column("removed", "记录状态", _removed_text(t, "在库", "已删除"), sort=t.c.deleted_at, chars=6),
    ]
    open_statuses = tuple(s for s in ref.options.get("problem_status", ()) if s != "已解决")
    status_choices: tuple[tuple[str, object], ...] = (
        ("全部状态", None),
        ("未解决", "__open__"),
        *((s, s) for s in ref.options.get("problem_status", ())),
    )

    def status(value: object) -> ColumnElement[bool]:
        return t.c.status.in_(open_statuses) if value == "__open__" else t.c.status == value

    def kind(value: object) -> ColumnElement[bool]:
        return t.c.enterprise_id.is_not(None) if value == "enterprise" else t.c.project_id.is_not(None)

    filters = [
        *([_unit_filter(ref, t)] if unit_id is None else []),
        Filter("status", "办理状态", status_choices, status),
        Filter("category", "问题类别", _options(ref, "problem_category", "全部类别"), lambda v: t.c.category == v),
        Filter(
            "department",
            "责任单位",
            (("全部责任单位", None), *((a, a) for a in ref.assignees)),
            lambda v: t.c.department == v,
        ),
        Filter(
            "handling",
            "办理情况",
            (("全部办理情况", None), ("逾期未办结", "__late__"), *((s, s) for s in assignment.STATES)),
            lambda v: late if v == "__late__" else handling == v,
        ),
        Filter("target_kind", "对象", (("企业和项目", None), ("企业", "enterprise"), ("项目", "project")), kind),
        _status_filter(t, "已删除"),
    ]

    def search(text: str) -> ColumnElement[bool]:
        return or_(_contains(t.c.description, text), _contains(target, text))

    source = (
        t.outerjoin(ent, ent.c.id == t.c.enterprise_id)
        .outerjoin(proj, proj.c.id == t.c.project_id)
        .outerjoin(chain, chain.c.id == func.coalesce(ent.c.chain_id, proj.c.chain_id))
        .outerjoin(leader, leader.c.id == chain.c.leader_id)
    )
    return Listing(
        q,
        ref,
        unit_id,
        t,
        columns,
        filters,
        search,
        source,
        default_sort="raised_on",
        default_descending=True,
        alert="overdue_days",
    )


def _problem_status_order(ref: Reference, column: Any) -> ColumnElement[Any]:
    flow = ref.options.get("problem_status", ())
    return case({s: i for i, s in enumerate(flow)}, value=column, else_=len(flow))


LISTINGS: dict[str, Callable[[Reference, int | None], Listing]] = {
    "enterprise": enterprises,
    "project": projects,
    "problem": problems,
}
