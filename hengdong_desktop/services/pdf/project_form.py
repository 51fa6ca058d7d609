"""亿元级项目调度表: one project's scheduling form — every project field, its lifecycle (status
as of the period, the stages it went through, planned against actual), 招商引资, 五制一平台, its
warnings as of the period, this year's monthly figures, this period's progress, problems and
coordination needs, its open problems with their deadlines, one or two site photos, the signature
blocks and the verification code. A batch is read in a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import fields as f
from hengdong_desktop.domain import images, periods
from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.verification import verification_code
from hengdong_desktop.services import project_warnings
from hengdong_desktop.services.pdf import document as d
from hengdong_desktop.services.pdf.reading import chunks, explanations, records, removed_note
from hengdong_desktop.services.pdf.values import date_text, money_text, period_text, record_texts

TITLE = "衡东县产业发展“百十亿”工程亿元级项目调度表"
MONEY_FIGURES = tuple(s for s in f.PROJECT_MONTHLY if s.kind == "money")
TEXT_FIGURES = tuple(s for s in f.PROJECT_MONTHLY if s.kind == "longtext")
OPEN_STATUSES = ("待办", "办理中")
PHOTOS_PRINTED = 2  # the latest ones


@dataclass(frozen=True)
class PrintedPhoto:
    sha256: str
    caption: str  # caption, date taken and position, as printed


@dataclass(frozen=True)
class ProjectForm:
    """Everything one form prints, as text: what the verification code is computed from (the
    photos by their hash; `pictures` holds their bytes for the layout only)."""

    id: str
    revision: int
    period: str
    fields: dict[str, str]  # every PROJECT field and the derived ones of GRID → printed text
    completion: str  # 累计完成投资 / 总投资
    figures: tuple[tuple[str, ...], ...]  # month label, then MONEY_FIGURES
    texts: dict[str, str]  # this period's 形象进度 / 存在问题 / 需协调事项
    problems: tuple[tuple[str, ...], ...]  # open problems: category, status, raised, department, deadline, text
    solved_problems: int
    removed: str | None
    warnings: tuple[str, ...] = ()
    explained: tuple[tuple[str, str], ...] = ()  # the monthly figures' warnings the clerk explained: figure, 说明
    photos: tuple[PrintedPhoto, ...] = ()
    pictures: dict[str, bytes] = field(default_factory=dict, compare=False)

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("pictures")
        return {"form": "project", **data}

    @property
    def code(self) -> str:
        return verification_code(self.payload())


def _completion(total: Decimal | None, cumulative: Decimal | None) -> str:
    if not total or cumulative is None:
        return ""
    return f"{(cumulative * 100 / total).quantize(Decimal('0.1'))}%"


def _latest(rows: dict[str, Any], wanted: Sequence[str], name: str) -> Any:
    """The latest value of `name` reported in the months `wanted` (a month not reported carries it)."""
    return next(
        (getattr(rows[q], name) for q in reversed(wanted) if q in rows and getattr(rows[q], name) is not None), None
    )


def load_forms(
    session: Session, ref: Reference, period: str, *, ids: Sequence[str] | None = None, unit_id: int | None = None
) -> list[ProjectForm]:
    """The forms of the given projects (in that order), or of every live project of a unit (or of
    the database) by name. Tombstoned projects are printed only when asked for by id."""
    year, month = periods.parse(period)
    projects = records(session, m.Project, ids=ids, unit_id=unit_id, order_by=(m.Project.name, m.Project.id))
    project_ids = [x.id for x in projects]
    wanted = [periods.make(year, mo) for mo in range(1, month + 1)]
    monthly: dict[str, dict[str, m.ProjectMonthly]] = {}
    problems: dict[str, list[m.Problem]] = {}
    builders = {x.builder_enterprise_id for x in projects if x.builder_enterprise_id}
    names: dict[str, str] = {}
    for chunk in chunks(list(builders)):
        builder_rows = session.execute(select(m.Enterprise.id, m.Enterprise.name).where(m.Enterprise.id.in_(chunk)))
        names.update((i, n) for i, n in builder_rows)
    stages: dict[str, list[lc.StageRow]] = {}
    plans: dict[str, Decimal | None] = {}
    funds: dict[str, Decimal | None] = {}
    photos: dict[str, list[m.ProjectPhoto]] = {}
    for chunk in chunks(project_ids):
        for row in session.scalars(
            select(m.ProjectMonthly).where(
                m.ProjectMonthly.project_id.in_(chunk),
                m.ProjectMonthly.deleted_at.is_(None),
                m.ProjectMonthly.period.in_(wanted),
            )
        ):
            monthly.setdefault(row.project_id, {})[row.period] = row
        for prob in session.scalars(
            select(m.Problem)
            .where(m.Problem.project_id.in_(chunk), m.Problem.deleted_at.is_(None))
            .order_by(m.Problem.raised_on, m.Problem.id)
        ):
            problems.setdefault(prob.project_id or "", []).append(prob)
        for st in session.scalars(
            select(m.ProjectStage).where(
                m.ProjectStage.project_id.in_(chunk),
                m.ProjectStage.deleted_at.is_(None),
                m.ProjectStage.period <= period,
            )
        ):
            stages.setdefault(st.project_id, []).append(lc.StageRow(st.period, st.status, st.reached_on, st.reason))
        plans.update(
            session.execute(
                select(m.ProjectAnnual.project_id, m.ProjectAnnual.plan_investment).where(
                    m.ProjectAnnual.project_id.in_(chunk),
                    m.ProjectAnnual.deleted_at.is_(None),
                    m.ProjectAnnual.year == year,
                )
            ).all()
        )
        latest = (
            select(m.ProjectMonthly.project_id, m.ProjectMonthly.funds_cumulative)
            .where(
                m.ProjectMonthly.project_id.in_(chunk),
                m.ProjectMonthly.deleted_at.is_(None),
                m.ProjectMonthly.period <= period,
                m.ProjectMonthly.funds_cumulative.is_not(None),
            )
            .order_by(m.ProjectMonthly.period)
        )
        funds.update(session.execute(latest).all())  # the last one of each project wins
        for photo in session.scalars(
            select(m.ProjectPhoto)
            .where(
                m.ProjectPhoto.project_id.in_(chunk),
                m.ProjectPhoto.deleted_at.is_(None),
                m.ProjectPhoto.content.is_not(None),
            )
            .order_by(m.ProjectPhoto.created_at, m.ProjectPhoto.id)
        ):
            photos.setdefault(photo.project_id, []).append(photo)
    notes = explanations(session, project_ids + [row.id for rows in monthly.values() for row in rows.values()])
    warnings: dict[str, list[str]] = {}
    for w in project_warnings.warnings_in(session, period, project_ids=project_ids, ref=ref):
        warnings.setdefault(w.project_id, []).append(f"【{w.rule}】{w.message}（{w.standing}）")
    forms = []
    for x in projects:
        rows = monthly.get(x.id, {})
        current = rows.get(period)
        cumulative = _latest(rows, wanted, "invest_cumulative")
        history = lc.history(stages.get(x.id, ()))
        probs = problems.get(x.id, [])
        printed = photos.get(x.id, [])[-PHOTOS_PRINTED:]
        texts = (
            record_texts(f.PROJECT, x, ref, names)
            | _lifecycle_texts(x, history, period)
            | _investment_texts(x, plans.get(x.id), funds.get(x.id))
        )
        for name, _figure, note in notes.get(x.id, ()):  # a warned field of the project: its 说明 beside it
            if name in texts:
                texts[name] = f"{texts[name]}（说明：{note}）"
        explained = [(figure, note) for q in wanted if q in rows for _name, figure, note in notes.get(rows[q].id, ())]
        completion = _completion(x.total_investment, cumulative)
        over_total = [
            note
            for q in wanted
            if q in rows
            for name, _figure, note in notes.get(rows[q].id, ())
            if name == "invest_cumulative"
        ]
        if completion and over_total:  # e.g. 107.7%: the clerk's reason beside it
            completion = f"{completion}（说明：{over_total[-1]}）"
        forms.append(
            ProjectForm(
                id=x.id,
                revision=x.revision,
                period=period,
                fields=texts,
                completion=completion,
                figures=tuple(
                    (f"{year}年{mo}月", *(money_text(getattr(rows.get(q), s.name, None)) for s in MONEY_FIGURES))
                    for mo, q in enumerate(wanted, start=1)
                ),
                texts={s.name: (getattr(current, s.name, None) or "") for s in TEXT_FIGURES},
                problems=tuple(
                    (
                        pr.category,
                        pr.status,
                        date_text(pr.raised_on),
                        pr.department or "",
                        date_text(pr.deadline),
                        pr.description,
                    )
                    for pr in probs
                    if pr.status in OPEN_STATUSES
                ),
                solved_problems=sum(1 for pr in probs if pr.status not in OPEN_STATUSES),
                removed=removed_note(x, "项目"),
                warnings=tuple(warnings.get(x.id, ())),
                explained=tuple(explained),
                photos=tuple(PrintedPhoto(p.sha256, _photo_caption(p)) for p in printed),
                pictures={p.sha256: bytes(p.content or b"") for p in printed},
            )
        )
    return forms


def _photo_caption(photo: m.ProjectPhoto) -> str:
    parts = [photo.caption or "现场照片"]
    if photo.taken_on:
        parts.append(f"拍摄于{photo.taken_on.isoformat()}")
    position = images.describe_position(photo.latitude_e6, photo.longitude_e6)
    if position:
        parts.append(position)
    return "　".join(parts)


def _lifecycle_texts(project: m.Project, history: Sequence[lc.StageRow], period: str) -> dict[str, str]:
    """The form's 项目状态 and 状态日期 as of its period (the record's own when it has no history),
    the stages it went through and its milestones against the plan."""
    out: dict[str, str] = {}
    now = lc.status_as_of(history, period)
    if now is not None:
        out |= {
            "status": now.status,
            "status_since": date_text(now.reached_on),
            "status_reason": (now.reason or "") if now.status in ("停缓建", "终止") else "",
        }
    out["history"] = (
        " → ".join(
            f"{r.status}（{date_text(r.reached_on) or period_text(r.period)}）" for r in lc.up_to(history, period)
        )
        or "无"
    )
    planned = {
        lc.STARTED: project.planned_start,
        lc.FINISHED: project.planned_finish,
        lc.PRODUCING: project.planned_production,
    }
    out["milestones"] = "；".join(f"{mi.stage}：{mi.text}" for mi in lc.milestones(history, planned, period))
    return out


def _investment_texts(project: m.Project, plan: Decimal | None, funds: Decimal | None) -> dict[str, str]:
    rate = ""
    if funds is not None and project.contract_investment:
        rate = f"{(funds * 100 / project.contract_investment).quantize(Decimal('0.1'))}%"
    return {"year_plan": money_text(plan), "funds": money_text(funds), "funds_rate": rate}


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------
# The field grid: a row of one field across, or of two; a string alone opens a section.
GRID: tuple[tuple[str, ...] | str, ...] = (
    ("name",),
    ("project_code", "unit_id"),
    ("domain_id", "industry_id"),
    ("chain_id", "chain_role"),
    ("builder_enterprise_id",),
    ("project_type", "source"),
    ("park_infrastructure", "co_innovation"),
    ("total_investment", "year_plan"),
    ("planned_start", "planned_finish"),
    ("planned_production", "completion"),
    ("expected_output", "expected_tax"),
    ("content",),
    "项目生命周期",
    ("status", "status_since"),
    ("status_reason",),
    ("history",),
    ("milestones",),
    ("warnings",),
    "招商引资",
    ("signed_on", "signing_party"),
    ("contract_investment", "investment_source"),
    ("funds", "funds_rate"),
    ("build_first", "responsible_department"),
    "五制一平台",
    ("contact_leader", "task_force"),
    ("agent", "agent_phone"),
    ("notes",),
)
DERIVED_LABELS = {
    "completion": "累计投资完成率",
    "history": "状态历程",
    "milestones": "计划与实际",
    "warnings": "预警",
    "funds": "累计到位资金(万元)",
    "funds_rate": "资金到位率",
}
COMPLETION_LABEL = DERIVED_LABELS["completion"]


def _label(name: str, form: ProjectForm) -> str:
    if name == "year_plan":
        return f"{periods.year_of(form.period)}年计划投资(万元)"
    return DERIVED_LABELS.get(name) or f.label("project", name)


def _value(form: ProjectForm, name: str) -> str:
    if name == "warnings":
        return "\n".join(form.warnings) or "无（包而不推、推而不快、快而不优均未触发）"
    return form.completion if name == "completion" else form.fields.get(name, "")


def _grid(form: ProjectForm) -> Flowable:
    grid = d.FieldGrid()
    for names in GRID:
        if isinstance(names, str):
            grid.section(names)
        elif len(names) == 1:
            grid.wide(_label(names[0], form), _value(form, names[0]), d.ROW_HEIGHT)
        else:
            grid.pair(_label(names[0], form), _value(form, names[0]), _label(names[1], form), _value(form, names[1]))
    return grid.build()


def _figures_table(form: ProjectForm) -> Flowable:
    st = d.styles()
    first = 30 * d.mm
    widths = [first] + [(d.CONTENT_WIDTH - first) / len(MONEY_FIGURES)] * len(MONEY_FIGURES)
    t = d.Ruled(widths, repeat_rows=2).section(f"{periods.year_of(form.period)}年月度投资完成情况（金额单位：万元）")
    t.header(["期别", *(s.label for s in MONEY_FIGURES)])
    for row in form.figures:
        t.add(row, min_height=13)
    for figure, note in form.explained:  # a warned figure's 说明, right under the months
        t.add([f"说明：{figure}：{note}", *[""] * len(MONEY_FIGURES)], spans=[(0, len(MONEY_FIGURES))])
    t.style(
        ("ALIGN", (1, 2), (-1, 1 + len(form.figures)), "RIGHT"),
        ("ALIGN", (0, 2), (0, 1 + len(form.figures)), "CENTER"),
        ("FONT", (0, 2), (-1, -1), st.font.regular, 8, 9.5),
        ("TOPPADDING", (0, 2), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 2), (-1, -1), 1.5),
    )
    return t.build()


def _current(form: ProjectForm) -> Flowable:
    grid = d.FieldGrid()
    grid.section(f"本期（{period_text(form.period)}）调度情况")
    for spec in TEXT_FIGURES:
        grid.wide(spec.label, form.texts[spec.name])  # as high as the text: the seal needs the room
    return grid.build()


def _problems(form: ProjectForm) -> Flowable:
    grid = d.FieldGrid()
    solved = f"，另有已解决{form.solved_problems}条" if form.solved_problems else ""
    grid.section(f"未解决问题（{len(form.problems)}条{solved}）")
    for n, (category, status, raised, department, deadline, text) in enumerate(form.problems, start=1):
        head = (
            f"【{category}】{status}　提出日期：{raised}"
            + (f"　责任单位：{department}" if department else "")
            + (f"　办理时限：{deadline}" if deadline else "")
        )
        grid.wide(f"问题{n}", f"{head}\n{text}")
    if not form.problems:
        grid.wide("问题", "无")
    return grid.build()


PHOTO_HEIGHT = 42 * d.mm


def _photos(form: ProjectForm) -> Flowable | None:
    """One or two thumbnails side by side, each with its caption, date taken and position."""
    if not form.photos:
        return None
    st = d.styles()
    width = d.CONTENT_WIDTH / PHOTOS_PRINTED
    cells = []
    for photo in form.photos:
        reader = ImageReader(BytesIO(form.pictures[photo.sha256]))
        w, h = reader.getSize()
        scale = min((width - 8) / w, PHOTO_HEIGHT / h)
        cells.append(
            [Image(BytesIO(form.pictures[photo.sha256]), w * scale, h * scale), d.para(photo.caption, st.small)]
        )
    while len(cells) < PHOTOS_PRINTED:
        cells.append(["", ""])
    t = d.Ruled([width] * PHOTOS_PRINTED).section(f"现场照片（最近{len(form.photos)}张）")
    t.add([c[0] for c in cells], min_height=PHOTO_HEIGHT + 6)
    t.add([c[1] for c in cells])
    t.style(("ALIGN", (0, 1), (-1, 1), "CENTER"))
    return t.build()


def form_flowables(form: ProjectForm, filled_by: str = "") -> list[Flowable]:
    st = d.styles()
    story: list[Flowable] = [
        d.Title(TITLE),
        d.header_line(f"填报单位：{form.fields['unit_id']}", f"数据截至：{period_text(form.period)}　　金额单位：万元"),
    ]
    if form.removed:
        story.append(d.para(f"【{form.removed}】", st.body))
    photos = _photos(form)
    story += [
        _grid(form),
        _figures_table(form),
        _current(form),
        # the signature block never stands alone on a page: the problems (and photos) go with it
        KeepTogether(
            [
                _problems(form),
                *([KeepTogether([photos])] if photos is not None else []),
                Spacer(1, 4),
                d.signature_block(
                    filled_by,
                    d.para(
                        "说明：累计投资完成率＝截至本期的累计完成投资÷总投资；资金到位率＝累计到位资金÷合同投资额；"
                        "预警按县级基础数据中的阈值判定。页脚校验码由本表内容与数据版本生成，用于核对打印件与系统数据"
                        "是否一致；数据修改后请重新打印。",
                        st.small,
                    ),
                ),
            ]
        ),
    ]
    return story


def parts(forms: Sequence[ProjectForm], filled_by: str = "") -> list[tuple[d.Part, list[Flowable]]]:
    return [(d.Part(f"{TITLE}：{form.fields['name']}", form.code), form_flowables(form, filled_by)) for form in forms]
