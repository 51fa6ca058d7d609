"""亿元级项目调度表: one project's scheduling form — every project field, this year's monthly
investment, this period's progress, problems and coordination needs, its open problems, the
signature blocks and the verification code. A batch is read in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import fields as f
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.verification import verification_code
from hengdong_desktop.services.pdf import document as d
from hengdong_desktop.services.pdf.reading import chunks, records, removed_note
from hengdong_desktop.services.pdf.values import date_text, money_text, period_text, record_texts

TITLE = "衡东县产业发展“百十亿”工程亿元级项目调度表"
MONEY_FIGURES = tuple(s for s in f.PROJECT_MONTHLY if s.kind == "money")
TEXT_FIGURES = tuple(s for s in f.PROJECT_MONTHLY if s.kind == "longtext")
OPEN_STATUSES = ("待办", "办理中")


@dataclass(frozen=True)
class ProjectForm:
    """Everything one form prints, as text: what the verification code is computed from."""

    id: str
    revision: int
    period: str
    fields: dict[str, str]  # every PROJECT field → printed text
    completion: str  # 累计完成投资 / 总投资
    figures: tuple[tuple[str, ...], ...]  # month label, then MONEY_FIGURES
    texts: dict[str, str]  # this period's 形象进度 / 存在问题 / 需协调事项
    problems: tuple[tuple[str, ...], ...]  # open problems: category, status, raised, department, text
    solved_problems: int
    removed: str | None

    def payload(self) -> dict[str, Any]:
        return {"form": "project", **asdict(self)}

    @property
    def code(self) -> str:
        return verification_code(self.payload())


def _completion(total: Decimal | None, cumulative: Decimal | None) -> str:
    if not total or cumulative is None:
        return ""
    return f"{(cumulative * 100 / total).quantize(Decimal('0.1'))}%"


def load_forms(session: Session, ref: Reference, period: str, *, ids: Sequence[str] | None = None,
               unit_id: int | None = None) -> list[ProjectForm]:
    """The forms of the given projects (in that order), or of every live project of a unit (or of
    the database) by name. Tombstoned projects are printed only when asked for by id."""
    year, month = periods.parse(period)
    projects = records(session, m.Project, ids=ids, unit_id=unit_id, order_by=(m.Project.name, m.Project.id))
    wanted = [periods.make(year, mo) for mo in range(1, month + 1)]
    monthly: dict[str, dict[str, m.ProjectMonthly]] = {}
    problems: dict[str, list[m.Problem]] = {}
    builders = {x.builder_enterprise_id for x in projects if x.builder_enterprise_id}
    names: dict[str, str] = {}
    for chunk in chunks(list(builders)):
        builder_rows = session.execute(select(m.Enterprise.id, m.Enterprise.name).where(m.Enterprise.id.in_(chunk)))
        names.update((i, n) for i, n in builder_rows)
    for chunk in chunks([x.id for x in projects]):
        for row in session.scalars(select(m.ProjectMonthly).where(
                m.ProjectMonthly.project_id.in_(chunk), m.ProjectMonthly.deleted_at.is_(None),
                m.ProjectMonthly.period.in_(wanted))):
            monthly.setdefault(row.project_id, {})[row.period] = row
        for prob in session.scalars(select(m.Problem).where(
                m.Problem.project_id.in_(chunk), m.Problem.deleted_at.is_(None))
                .order_by(m.Problem.raised_on, m.Problem.id)):
            problems.setdefault(prob.project_id or "", []).append(prob)
    stages = _stages_as_of(session, [x.id for x in projects], period)
    forms = []
    for x in projects:
        rows = monthly.get(x.id, {})
        current = rows.get(period)
        # the latest cumulative reported this year up to the period (a month not reported carries it)
        cumulative = next((rows[q].invest_cumulative for q in reversed(wanted)
                           if q in rows and rows[q].invest_cumulative is not None), None)
        probs = problems.get(x.id, [])
        forms.append(ProjectForm(
            id=x.id,
            revision=x.revision,
            period=period,
            fields=record_texts(f.PROJECT, x, ref, names) | _stage_texts(stages.get(x.id)),
            completion=_completion(x.total_investment, cumulative),
            figures=tuple(
                (f"{year}年{mo}月", *(money_text(getattr(rows.get(q), s.name, None)) for s in MONEY_FIGURES))
                for mo, q in enumerate(wanted, start=1)
            ),
            texts={s.name: (getattr(current, s.name, None) or "") for s in TEXT_FIGURES},
            problems=tuple(
                (pr.category, pr.status, date_text(pr.raised_on), pr.department or "", pr.description)
                for pr in probs if pr.status in OPEN_STATUSES
            ),
            solved_problems=sum(1 for pr in probs if pr.status not in OPEN_STATUSES),
            removed=removed_note(x, "项目"),
        ))
    return forms


def _stages_as_of(session: Session, ids: Sequence[str], period: str) -> dict[str, m.ProjectStage]:
    """Each project's row of its status history that holds at `period` (the latest up to it)."""
    out: dict[str, m.ProjectStage] = {}
    for chunk in chunks(list(ids)):
        for stage in session.scalars(select(m.ProjectStage).where(
                m.ProjectStage.project_id.in_(chunk), m.ProjectStage.deleted_at.is_(None),
                m.ProjectStage.period <= period).order_by(m.ProjectStage.period)):
            out[stage.project_id] = stage
    return out


def _stage_texts(stage: m.ProjectStage | None) -> dict[str, str]:
    """The form's 项目状态 and 状态日期 as of its period (the record's own when it has no history)."""
    if stage is None:
        return {}
    return {"status": stage.status, "status_since": date_text(stage.reached_on)}


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------
GRID: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("project_code", "unit_id"),
    ("status", "status_since"),
    ("domain_id", "industry_id"),
    ("builder_enterprise_id",),
    ("project_type", "source"),
    ("total_investment", "year_plan_investment"),
    ("planned_start", "planned_finish"),
    ("contact_leader", "responsible_department"),
    ("build_first", "completion"),
    ("content",),
    ("notes",),
)
COMPLETION_LABEL = "累计投资完成率"


def _label(name: str) -> str:
    return COMPLETION_LABEL if name == "completion" else f.label("project", name)


def _value(form: ProjectForm, name: str) -> str:
    return form.completion if name == "completion" else form.fields[name]


def _grid(form: ProjectForm) -> Flowable:
    grid = d.FieldGrid()
    for names in GRID:
        if len(names) == 1:
            grid.wide(_label(names[0]), _value(form, names[0]), 30 if names[0] == "content" else d.ROW_HEIGHT)
        else:
            grid.pair(_label(names[0]), _value(form, names[0]), _label(names[1]), _value(form, names[1]))
    return grid.build()


def _figures_table(form: ProjectForm) -> Flowable:
    st = d.styles()
    first = 30 * d.mm
    widths = [first] + [(d.CONTENT_WIDTH - first) / len(MONEY_FIGURES)] * len(MONEY_FIGURES)
    t = d.Ruled(widths, repeat_rows=2).section(f"{periods.year_of(form.period)}年月度投资完成情况（金额单位：万元）")
    t.header(["期别", *(s.label for s in MONEY_FIGURES)])
    for row in form.figures:
        t.add(row, min_height=13)
    t.style(("ALIGN", (1, 2), (-1, -1), "RIGHT"), ("ALIGN", (0, 2), (0, -1), "CENTER"),
            ("FONT", (0, 2), (-1, -1), st.font.regular, 8, 9.5),
            ("TOPPADDING", (0, 2), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 2), (-1, -1), 1.5))
    return t.build()


def _current(form: ProjectForm) -> Flowable:
    grid = d.FieldGrid()
    grid.section(f"本期（{period_text(form.period)}）调度情况")
    for spec in TEXT_FIGURES:
        grid.wide(spec.label, form.texts[spec.name], 30)
    return grid.build()


def _problems(form: ProjectForm) -> Flowable:
    grid = d.FieldGrid()
    solved = f"，另有已解决{form.solved_problems}条" if form.solved_problems else ""
    grid.section(f"未解决问题（{len(form.problems)}条{solved}）")
    for n, (category, status, raised, department, text) in enumerate(form.problems, start=1):
        head = f"【{category}】{status}　提出日期：{raised}" + (f"　责任单位：{department}" if department else "")
        grid.wide(f"问题{n}", f"{head}\n{text}")
    if not form.problems:
        grid.wide("问题", "无")
    return grid.build()


def form_flowables(form: ProjectForm) -> list[Flowable]:
    st = d.styles()
    story: list[Flowable] = [
        d.Title(TITLE),
        d.header_line(f"填报单位：{form.fields['unit_id']}", f"数据截至：{period_text(form.period)}　　金额单位：万元"),
    ]
    if form.removed:
        story.append(d.para(f"【{form.removed}】", st.body))
    story += [
        _grid(form),
        _figures_table(form),
        _current(form),
        _problems(form),
        Spacer(1, 4),
        KeepTogether([d.signature_block(), d.para(
            "说明：累计投资完成率＝截至本期的累计完成投资÷总投资。页脚校验码由本表内容与数据版本生成，"
            "用于核对打印件与系统数据是否一致；数据修改后请重新打印。", st.small)]),
    ]
    return story


def parts(forms: Sequence[ProjectForm]) -> list[tuple[d.Part, list[Flowable]]]:
    return [(d.Part(f"{TITLE}：{form.fields['name']}", form.code), form_flowables(form)) for form in forms]
