"""企业培育表: one enterprise's form for signature and seal — every enterprise field, its
cultivation lists with dates, the last three years' and this year's monthly figures, needs and
support measures, the 一企一策 ledger (each measure with its owner, deadline, status, progress and
the problem it answers), contact leader and department, signature blocks and the verification
code. Data for a whole batch is read in a few queries, not per form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import fields as f
from hengdong_desktop.domain import periods, problem_ref
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.verification import verification_code
from hengdong_desktop.services.measures import days_overdue
from hengdong_desktop.services.pdf import document as d
from hengdong_desktop.services.pdf.reading import chunks, explanations, records, removed_note
from hengdong_desktop.services.pdf.values import field_text, money_text, period_text, record_texts

TITLE = "衡东县产业发展“百十亿”工程企业培育表"
PAST_YEARS = 3
FALLBACK_MARK = "*"
# the figure columns of the table, in ENTERPRISE_MONTHLY order (after 填报期)
FIGURE_FIELDS = tuple(s for s in f.ENTERPRISE_MONTHLY if s.name != "period")
# figures that exist for a whole year (December's 1-本月累计 and period-end headcount), and the
# field of the enterprise's yearly figures (年度数据) that stands in when December is not reported
YEAR_FIGURES = {"output_ytd": "output", "revenue_ytd": "revenue", "tax_ytd": "tax", "employees_end": "employees"}


@dataclass(frozen=True)
class EnterpriseForm:
    """Everything one form prints, as text: what the verification code is computed from."""

    id: str
    revision: int
    period: str
    fields: dict[str, str]  # every ENTERPRISE field → printed text
    need_options: tuple[str, ...]  # all need categories, printed as check boxes
    memberships: tuple[tuple[str, ...], ...]  # rows in MEMBERSHIP field order
    figures: tuple[tuple[str, ...], ...]  # label, then FIGURE_FIELDS
    year_rows: int  # how many of `figures` are whole past years
    figures_note: str
    removed: str | None  # set when the enterprise has been taken off the lists (调出)
    explained: tuple[tuple[str, str], ...] = ()  # the warned figures the clerk explained: figure, 说明
    measures: tuple[tuple[str, ...], ...] = ()  # 一企一策: MEASURE_HEADINGS, one row per live measure

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        if not data["measures"]:  # no measures: the code forms printed before the ledger was added carry
            del data["measures"]
        return {"form": "enterprise", **data}

    @property
    def code(self) -> str:
        return verification_code(self.payload())


def _year_row(
    year: int, december: m.EnterpriseMonthly | None, annual: m.EnterpriseAnnual | None
) -> tuple[tuple[str, ...], bool]:
    values: list[str] = []
    fell_back = False
    for spec in FIGURE_FIELDS:
        if spec.name not in YEAR_FIGURES:
            values.append("")  # a month's own figure has no meaning for a whole year
            continue
        value = getattr(december, spec.name) if december is not None else None
        stand_in = getattr(annual, YEAR_FIGURES[spec.name]) if annual is not None else None
        if value is None and stand_in is not None:
            values.append(_figure_text(spec, stand_in) + FALLBACK_MARK)
            fell_back = True
            continue
        values.append(_figure_text(spec, value))
    return (f"{year}年", *values), fell_back


def _figure_text(spec: f.FieldSpec, value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return money_text(value) if spec.kind == "money" else f"{value:,}"  # type: ignore[arg-type]


def _figures(
    rows: dict[str, m.EnterpriseMonthly], annual: dict[int, m.EnterpriseAnnual], period: str
) -> tuple[tuple[tuple[str, ...], ...], str]:
    year, month = periods.parse(period)
    out: list[tuple[str, ...]] = []
    fell_back = False
    for past in range(year - PAST_YEARS, year):
        row, used = _year_row(past, rows.get(periods.make(past, 12)), annual.get(past))
        out.append(row)
        fell_back |= used
    for mo in range(1, month + 1):
        monthly = rows.get(periods.make(year, mo))
        out.append(
            (
                f"{year}年{mo}月",
                *(_figure_text(s, getattr(monthly, s.name) if monthly else None) for s in FIGURE_FIELDS),
            )
        )
    note = "年度行为当年12月“1-本月累计”数及12月末从业人员；空白为未填报，0为填报为零。"
    if fell_back:
        note += f"12月未填报的，取企业的年度数据（数后标“{FALLBACK_MARK}”）。"
    return tuple(out), note


OVERDUE = "（逾期"  # the mark after the 完成时限 of an overdue measure: “（逾期n天）”
MEASURE_HEADINGS = ("帮扶措施", "责任单位/责任人", "完成时限", "推进状态", "进展情况", "关联问题")


def _measure_row(x: m.SupportMeasure, problems: dict[str, str], as_of: date) -> tuple[str, ...]:
    """A measure as the form prints it; one overdue on `as_of` (the form's 数据截至, its
    period's last day, so that the form and its verification code do not change with the day
    it is printed) has its 完成时限 marked “（逾期n天）”."""
    owner = "/".join(v for v in (x.department, x.person) if v)
    deadline = x.deadline.isoformat() if x.deadline else ""
    if late := days_overdue(x.deadline, x.status, as_of):
        deadline += f"{OVERDUE}{late}天）"
    return (x.content, owner, deadline, x.status, x.progress or "", problems.get(x.problem_id or "", ""))


def _wanted_periods(period: str) -> list[str]:
    year, month = periods.parse(period)
    return [periods.make(y, 12) for y in range(year - PAST_YEARS, year)] + [
        periods.make(year, mo) for mo in range(1, month + 1)
    ]


def load_forms(
    session: Session, ref: Reference, period: str, *, ids: Sequence[str] | None = None, unit_id: int | None = None
) -> list[EnterpriseForm]:
    """The forms of the given enterprises (in that order), or of every live enterprise of a unit
    (by name). Tombstoned enterprises are printed only when asked for by id, marked 已调出."""
    periods.parse(period)
    enterprises = records(
        session, m.Enterprise, ids=ids, unit_id=unit_id, order_by=(m.Enterprise.name, m.Enterprise.credit_code)
    )
    memberships: dict[str, list[m.Membership]] = {}
    measures: dict[str, list[m.SupportMeasure]] = {}
    problems: dict[str, list[dict[str, Any]]] = {}  # an enterprise's problems, to name a measure's
    monthly: dict[str, dict[str, m.EnterpriseMonthly]] = {}
    annual: dict[str, dict[int, m.EnterpriseAnnual]] = {}
    year = periods.year_of(period)
    wanted = _wanted_periods(period)
    all_ids = [e.id for e in enterprises]
    for chunk in chunks(all_ids):
        for mem in session.scalars(
            select(m.Membership)
            .where(m.Membership.enterprise_id.in_(chunk), m.Membership.deleted_at.is_(None))
            .order_by(m.Membership.date_in, m.Membership.list_name)
        ):
            memberships.setdefault(mem.enterprise_id, []).append(mem)
        for x in session.scalars(
            select(m.SupportMeasure)
            .where(m.SupportMeasure.enterprise_id.in_(chunk), m.SupportMeasure.deleted_at.is_(None))
            .order_by(m.SupportMeasure.created_at, m.SupportMeasure.content)
        ):
            measures.setdefault(x.enterprise_id, []).append(x)
        for p in session.execute(
            select(m.Problem.id, m.Problem.enterprise_id, m.Problem.raised_on, m.Problem.description).where(
                m.Problem.enterprise_id.in_(chunk)
            )
        ):
            problems.setdefault(p.enterprise_id, []).append(p._asdict())
        for row in session.scalars(
            select(m.EnterpriseMonthly).where(
                m.EnterpriseMonthly.enterprise_id.in_(chunk),
                m.EnterpriseMonthly.deleted_at.is_(None),
                m.EnterpriseMonthly.period.in_(wanted),
            )
        ):
            monthly.setdefault(row.enterprise_id, {})[row.period] = row
        for a in session.scalars(
            select(m.EnterpriseAnnual).where(
                m.EnterpriseAnnual.enterprise_id.in_(chunk),
                m.EnterpriseAnnual.deleted_at.is_(None),
                m.EnterpriseAnnual.year >= year - PAST_YEARS,
                m.EnterpriseAnnual.year < year,
            )
        ):
            annual.setdefault(a.enterprise_id, {})[a.year] = a
    this_year = [q for q in wanted if periods.year_of(q) == year]
    notes = explanations(
        session,
        all_ids
        + [row.id for rows in monthly.values() for row in rows.values()]
        + [a.id for years in annual.values() for a in years.values()],
    )
    needs = ref.options.get("need_category", ())
    forms = []
    for e in enterprises:
        figures, note = _figures(monthly.get(e.id, {}), annual.get(e.id, {}), period)
        rows = monthly.get(e.id, {})
        owned = [e.id, *(a.id for a in annual.get(e.id, {}).values()), *(rows[q].id for q in this_year if q in rows)]
        forms.append(
            EnterpriseForm(
                id=e.id,
                revision=e.revision,
                period=period,
                fields=record_texts(f.ENTERPRISE, e, ref),
                need_options=tuple(needs),
                memberships=tuple(
                    tuple(field_text(s, getattr(mem, s.name), ref) for s in f.MEMBERSHIP)
                    for mem in memberships.get(e.id, [])
                ),
                figures=figures,
                year_rows=PAST_YEARS,
                figures_note=note,
                removed=removed_note(e, "企业"),
                explained=tuple((figure, text) for rid in owned for _name, figure, text in notes.get(rid, ())),
                measures=tuple(
                    _measure_row(x, problem_ref.references(problems.get(e.id, ())), periods.last_day(period))
                    for x in measures.get(e.id, [])
                ),
            )
        )
    return forms


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------
W = d.CONTENT_WIDTH
# the basic-information grid: pairs on a row, or one field across the whole row
GRID: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("credit_code", "founded_on"),
    ("unit_id", "legal_rep"),
    ("contact_person", "contact_phone"),
    ("address",),
    ("domain_id", "industry_id"),
    ("chain_id", "si_shang_category"),
    ("cultivation_tier", "main_products"),
)
LOWER: tuple[tuple[str, ...], ...] = (
    ("need_categories",),
    ("needs_text",),
    ("support_measures",),
    ("contact_leader", "responsible_department"),
    ("notes",),
)
WRITING_SPACE = {"needs_text": 30, "support_measures": 34}  # room to write by hand when empty


def _grid(form: EnterpriseForm, layout: tuple[tuple[str, ...], ...], section: str | None = None) -> Flowable:
    grid = d.FieldGrid()
    if section:
        grid.section(section)
    for names in layout:
        if len(names) == 1:
            grid.wide(_label(names[0]), _value(form, names[0]), WRITING_SPACE.get(names[0], d.ROW_HEIGHT))
        else:
            grid.pair(_label(names[0]), _value(form, names[0]), _label(names[1]), _value(form, names[1]))
    return grid.build()


def _label(name: str) -> str:
    return f.label("enterprise", name)


def _value(form: EnterpriseForm, name: str) -> str | Paragraph:
    if name == "need_categories":
        chosen = set(form.fields[name].split("、")) if form.fields[name] else set()
        boxes = "\u00a0\u00a0\u00a0".join(
            f'<font size="11">{"■" if o in chosen else "□"}</font>{d.markup(o)}' for o in form.need_options
        )
        return Paragraph(boxes, d.styles().cell)
    return form.fields[name]


def _memberships(form: EnterpriseForm) -> Flowable:
    widths = [w * d.mm for w in (33, 24, 18, 32, 18, 30, 25)]
    t = d.Ruled(widths, repeat_rows=2).section("培育名录（动态调整）")
    t.header([s.label for s in f.MEMBERSHIP])
    t.style(("ALIGN", (2, 2), (2, -1), "CENTER"), ("ALIGN", (4, 2), (4, -1), "CENTER"))
    for mem in form.memberships:
        t.add(mem)
    if not form.memberships:
        t.add(["未纳入培育名录", "", "", "", "", "", ""], spans=[(0, 6)])
        t.style(("ALIGN", (0, 2), (-1, 2), "CENTER"))
    return t.build()


def _measures(form: EnterpriseForm) -> Flowable:
    widths = [w * d.mm for w in (46, 27, 19, 15, 38, 35)]
    t = d.Ruled(widths, repeat_rows=2).section("一企一策台账")
    t.header(list(MEASURE_HEADINGS))
    t.style(("ALIGN", (2, 2), (3, -1), "CENTER"))
    for row in form.measures:
        t.add(row)
    if any(OVERDUE in row[2] for row in form.measures):
        t.add(
            [f"逾期天数计至数据截至日{periods.last_day(form.period).isoformat()}。", "", "", "", "", ""], spans=[(0, 5)]
        )
    if not form.measures:
        t.add(["暂无一企一策措施", "", "", "", "", ""], spans=[(0, 5)])
        t.style(("ALIGN", (0, 2), (-1, 2), "CENTER"))
    return t.build()


def _figures_table(form: EnterpriseForm) -> list[Flowable]:
    st = d.styles()
    first = 22 * d.mm
    widths = [first] + [(W - first) / len(FIGURE_FIELDS)] * len(FIGURE_FIELDS)
    t = d.Ruled(widths, repeat_rows=2).section("近三年及本年月度数据（金额单位：万元）")
    # break long headings after “累计” rather than wherever the width runs out
    t.header(
        ["期别", *(s.label.replace("累计", "累计\n") + ("(人)" if s.kind == "int" else "") for s in FIGURE_FIELDS)]
    )
    for row in form.figures:
        t.add(row, min_height=13)
    years = range(2, 2 + form.year_rows)
    t.style(
        ("ALIGN", (1, 2), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 2), (0, -1), "CENTER"),
        # the figure rows set a little tighter, so that twelve months and three years fit one page
        ("FONT", (0, 2), (-1, -1), st.font.regular, 8, 9.5),
        ("TOPPADDING", (0, 2), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 2), (-1, -1), 1.5),
        ("BACKGROUND", (0, years[0]), (-1, years[-1]), d.YEAR_BACKGROUND),
        ("LINEBELOW", (0, years[-1]), (-1, years[-1]), 1.2, d.RULE_COLOUR),
    )
    for col, spec in enumerate(FIGURE_FIELDS, start=1):
        if spec.name not in YEAR_FIGURES:  # a month's own figure has no whole-year value: grey
            t.style(("BACKGROUND", (col, years[0]), (col, years[-1]), d.LABEL_BACKGROUND))
    notes = [d.para("注：" + form.figures_note, st.small)]
    notes += [d.para(f"说明：{figure}：{text}", st.small) for figure, text in form.explained]  # beside the table
    return [t.build(), *notes]


def form_flowables(form: EnterpriseForm, filled_by: str = "") -> list[Flowable]:
    st = d.styles()
    unit = form.fields["unit_id"]
    story: list[Flowable] = [
        d.Title(TITLE),
        d.header_line(f"填报单位：{unit}", f"数据截至：{period_text(form.period)}　　金额单位：万元"),
    ]
    if form.removed:
        story.append(d.para(f"【{form.removed}】", st.body))
    story += [
        _grid(form, GRID),
        _memberships(form),
        *_figures_table(form),
        Spacer(1, 4),
        _grid(form, LOWER, section="需求与帮扶"),
        Spacer(1, 4),
        # the ledger and the signatures move to the next page together: a signature never stands alone
        KeepTogether(
            [
                _measures(form),
                d.signature_block(
                    filled_by,
                    d.para(
                        "说明：页脚校验码由本表内容与数据版本生成，用于核对打印件与系统数据是否一致；数据修改后请重新打印。",
                        st.small,
                    ),
                ),
            ]
        ),
    ]
    return story


def parts(forms: Sequence[EnterpriseForm], filled_by: str = "") -> list[tuple[d.Part, list[Flowable]]]:
    return [(d.Part(f"{TITLE}：{form.fields['name']}", form.code), form_flowables(form, filled_by)) for form in forms]
