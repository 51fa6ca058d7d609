"""The schema: reference data, the records units own and exchange, and the audit log.

Records that travel between units (`Synced`) carry a UUID, the owning unit, a revision bumped
on every change, timestamps, who changed them last, and a tombstone (deleted_at + reason)
instead of physical deletion. A NULL figure means "not reported"; zero means reported zero."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from hengdong_desktop.db.types import Money, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# ---------------------------------------------------------------------------------------------
# Local settings of this database
# ---------------------------------------------------------------------------------------------
class Meta(Base):
    """Key/value facts about this database: role, unit, operator, database id, versions."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---------------------------------------------------------------------------------------------
# Reference data (owned by the county, mirrored in every township database)
# ---------------------------------------------------------------------------------------------
class Unit(Base):
    """A reporting unit (乡镇、县经开区) or the county itself. `id` is the identity that keys and
    history hang on; `code` is editable."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # 镇 / 乡 / 开发区 / 县
    short_name: Mapped[str | None] = mapped_column(String(20))
    provisional_code: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # 启用期: the first period the unit must report; earlier periods are not missing (None: all are)
    start_period: Mapped[str | None] = mapped_column(String(7))


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Domain(Base):
    """领域: 工业和信息化, 农林牧渔, 建筑业, 服务业, with the figure (口径) that decides its
    enterprises' 十亿级/亿级 and its industries' size (domain/reference.MEASURES)."""

    __tablename__ = "domains"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    measure: Mapped[str] = mapped_column(String(20), default="output", server_default="output")
    lead_departments: Mapped[list[DomainDepartment]] = relationship(
        back_populates="domain", cascade="all, delete-orphan"
    )


class DomainDepartment(Base):
    """A lead department (牵头部门) of a domain."""

    __tablename__ = "domain_departments"
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    domain: Mapped[Domain] = relationship(back_populates="lead_departments")
    department: Mapped[Department] = relationship()


class Industry(Base):
    """A target industry (产业) of a domain; enterprises with none belong to “其他”."""

    __tablename__ = "industries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Chain(Base):
    """One of the key industry chains (产业链), separate from the industry, run under the 链长制:
    its 链长 (a county leader), its 牵头部门 and the members of its 工作专班. Its 链主企业 are the
    enterprises of the chain on the 链主企业 list (memberships), not a list of its own."""

    __tablename__ = "chains"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))  # 链长
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))  # 牵头部门
    task_force: Mapped[str | None] = mapped_column(String(500))  # 专班成员


class Leader(Base):
    """A county leader (县领导) who may be a project's or an enterprise's 联系领导; the list the
    county keeps, which 链长制 and 问题交办 extend."""

    __tablename__ = "leaders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str | None] = mapped_column(String(50))  # 职务
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Option(Base):
    """A value of a category or status list (四上类别, 项目状态, 问题类别 …), in display order."""

    __tablename__ = "options"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Target(Base):
    """A yearly target: a count for the county or a domain, or an industry's output in 万元."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("year", "metric", "domain_id", "industry_id", name="uq_targets_scope"),
        CheckConstraint(
            "metric IN ('hundred_billion_industries','billion_enterprises',"
            "'hundred_million_projects','industry_output')",
            name="metric",
        ),
        CheckConstraint("(metric = 'industry_output') = (industry_id IS NOT NULL)", name="scope"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(40))
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("domains.id"))
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"))
    value: Mapped[Decimal] = mapped_column(Money)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# ---------------------------------------------------------------------------------------------
# Records that travel between units
# ---------------------------------------------------------------------------------------------
class Synced:
    """Identity, ownership, revision and tombstone shared by every exchanged record."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(50), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_reason: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def unit_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("units.id"), index=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    # The revision is also the version the ORM checks when it updates a record (UPDATE … WHERE
    # revision = the one read): an edit that lost a race to another officer fails instead of
    # overwriting. The audit hook sets the new value (version_id_generator=False).
    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy declared_attr
        return {"version_id_col": cls.__table__.c.revision, "version_id_generator": False}  # type: ignore[attr-defined]


class Enterprise(Synced, Base):
    __tablename__ = "enterprises"
    __table_args__ = (Index("ix_enterprises_unit_name", "unit_id", "name"),)
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    legal_rep: Mapped[str | None] = mapped_column(String(50))
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    founded_on: Mapped[date | None] = mapped_column(Date)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id"))
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"), index=True)
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chains.id"))
    si_shang_category: Mapped[str | None] = mapped_column(String(30))
    cultivation_tier: Mapped[str | None] = mapped_column(String(10))
    main_products: Mapped[str | None] = mapped_column(String(200))
    need_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    needs_text: Mapped[str | None] = mapped_column(Text)
    support_measures: Mapped[str | None] = mapped_column(Text)
    contact_leader: Mapped[str | None] = mapped_column(String(50))
    responsible_department: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class Membership(Synced, Base):
    """An enterprise's time on one cultivation list (培育名录), with dates and reasons."""

    __tablename__ = "memberships"
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(30))
    date_in: Mapped[date] = mapped_column(Date)
    reason_in: Mapped[str | None] = mapped_column(String(500))
    date_out: Mapped[date | None] = mapped_column(Date)
    reason_out: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[str | None] = mapped_column(String(100))  # 认定（调整）单位或文件, for 动态调整


class EnterpriseMonthly(Synced, Base):
    """One enterprise's figures for one period (定期调度). NULL = not reported."""

    __tablename__ = "enterprise_monthly"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "period"),
        Index("ix_enterprise_monthly_period", "period"),
        # covers the dashboard's output-to-date and trend queries (services/figures.py); on a server
        # the migration makes it partial too (postgresql_where), not named here: that option would
        # import SQLAlchemy's PostgreSQL dialect at every start of the app
        Index(
            "ix_enterprise_monthly_output",
            "period",
            "enterprise_id",
            "output_ytd",
            sqlite_where=text("deleted_at IS NULL AND output_ytd IS NOT NULL"),
        ),
    )
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id"))
    period: Mapped[str] = mapped_column(String(7))
    output_month: Mapped[Decimal | None] = mapped_column(Money)
    output_ytd: Mapped[Decimal | None] = mapped_column(Money)
    revenue_month: Mapped[Decimal | None] = mapped_column(Money)
    revenue_ytd: Mapped[Decimal | None] = mapped_column(Money)
    tax_ytd: Mapped[Decimal | None] = mapped_column(Money)
    employees_end: Mapped[int | None] = mapped_column(Integer)


class EnterpriseAnnual(Synced, Base):
    """One enterprise's figures for a whole year (年度数据); they replaced the yearless 上年 fields.
    NULL = not reported."""

    __tablename__ = "enterprise_annual"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    output: Mapped[Decimal | None] = mapped_column(Money)
    revenue: Mapped[Decimal | None] = mapped_column(Money)
    tax: Mapped[Decimal | None] = mapped_column(Money)
    employees: Mapped[int | None] = mapped_column(Integer)


class Project(Synced, Base):
    """An investment project (亿元级项目 when total investment ≥ 1亿元): its classification, plan,
    招商 facts and 五制一平台 people. Its stage by period is ProjectStage, its plan by year
    ProjectAnnual."""

    __tablename__ = "projects"
    project_code: Mapped[str | None] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(150))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id"))
    industry_id: Mapped[int | None] = mapped_column(ForeignKey("industries.id"))
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chains.id"))
    chain_role: Mapped[str | None] = mapped_column(String(10))  # 强链 / 延链 / 补链
    builder_enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprises.id"))
    project_type: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str | None] = mapped_column(String(10))
    park_infrastructure: Mapped[str | None] = mapped_column(String(10))  # 五好园区 基础设施: 水电路气讯
    co_innovation: Mapped[bool | None] = mapped_column(Boolean)  # 产业链协同创新 (发明专利/成果转化)
    total_investment: Mapped[Decimal] = mapped_column(Money)
    planned_start: Mapped[str | None] = mapped_column(String(7))
    planned_finish: Mapped[str | None] = mapped_column(String(7))
    planned_production: Mapped[str | None] = mapped_column(String(7))
    expected_output: Mapped[Decimal | None] = mapped_column(Money)  # 达产后年产值, as filed
    expected_tax: Mapped[Decimal | None] = mapped_column(Money)  # 达产后年税收, as filed
    content: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="储备")  # now; by period: ProjectStage
    status_since: Mapped[date | None] = mapped_column(Date)  # the day the current status was reached
    status_reason: Mapped[str | None] = mapped_column(Text)  # why it stopped (停缓建, 终止)
    signed_on: Mapped[date | None] = mapped_column(Date)  # 招商: 签约日期
    signing_party: Mapped[str | None] = mapped_column(String(100))  # 签约主体
    contract_investment: Mapped[Decimal | None] = mapped_column(Money)  # 合同投资额
    investment_source: Mapped[str | None] = mapped_column(String(20))  # 引资来源 (reference options)
    build_first: Mapped[bool | None] = mapped_column(Boolean)  # 先建后验
    contact_leader: Mapped[str | None] = mapped_column(String(50))
    task_force: Mapped[str | None] = mapped_column(String(100))  # 工作专班
    agent: Mapped[str | None] = mapped_column(String(50))  # 项目代办员 (代办制)
    agent_phone: Mapped[str | None] = mapped_column(String(40))
    responsible_department: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class ProjectAnnual(Synced, Base):
    """A project's investment plan for one year (年度计划投资). NULL = no plan filed."""

    __tablename__ = "project_annual"
    __table_args__ = (UniqueConstraint("project_id", "year"),)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    plan_investment: Mapped[Decimal | None] = mapped_column(Money)


class ProjectMonthly(Synced, Base):
    __tablename__ = "project_monthly"
    __table_args__ = (UniqueConstraint("project_id", "period"), Index("ix_project_monthly_period", "period"))
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"))
    period: Mapped[str] = mapped_column(String(7))
    invest_month: Mapped[Decimal | None] = mapped_column(Money)
    invest_cumulative: Mapped[Decimal | None] = mapped_column(Money)
    invest_ytd: Mapped[Decimal | None] = mapped_column(Money)
    progress: Mapped[str | None] = mapped_column(Text)
    issues: Mapped[str | None] = mapped_column(Text)
    coordination: Mapped[str | None] = mapped_column(Text)
    funds_month: Mapped[Decimal | None] = mapped_column(Money)  # 招商: 本月到位资金
    funds_cumulative: Mapped[Decimal | None] = mapped_column(Money)  # 累计到位资金
    output_ytd: Mapped[Decimal | None] = mapped_column(Money)  # in production: 1-本月累计产值
    tax_ytd: Mapped[Decimal | None] = mapped_column(Money)  # in production: 1-本月累计税收


class ProjectStage(Synced, Base):
    """A project's status as of one period (the stage the month's 调度 reports), with the day it
    was reached: the figures for period P read the latest row up to P, so later changes never
    rewrite an earlier period. Stages: domain/reference.PROJECT_STAGES."""

    __tablename__ = "project_stages"
    __table_args__ = (UniqueConstraint("project_id", "period"),)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(10))
    reached_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)  # why it stopped (停缓建, 终止)


class ProjectPhoto(Synced, Base):
    """A photo of a project's site (现场照片): JPEG or PNG, size-capped, holding no metadata but
    the EXIF date and GPS position (services/photos.py). A removed photo keeps no picture."""

    __tablename__ = "project_photos"
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    caption: Mapped[str | None] = mapped_column(String(200))
    taken_on: Mapped[date | None] = mapped_column(Date)  # EXIF DateTimeOriginal, if any
    latitude_e6: Mapped[int | None] = mapped_column(Integer)  # EXIF GPS, microdegrees (north +)
    longitude_e6: Mapped[int | None] = mapped_column(Integer)  # microdegrees (east +)
    image_format: Mapped[str] = mapped_column(String(4))  # jpeg / png
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # of the stored picture
    content: Mapped[bytes | None] = mapped_column(LargeBinary)


class Problem(Synced, Base):
    """A problem raised against an enterprise or a project (问题清单)."""

    __tablename__ = "problems"
    __table_args__ = (CheckConstraint("(enterprise_id IS NULL) != (project_id IS NULL)", name="one_target"),)
    enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    project_id: Mapped[str | None] = mapped_column(ForeignKey("projects.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    # 问题交办: assigned to a department or unit of the 交办 list (reference.assignees) on a day,
    # with a deadline; the reply is status, resolution (办结回复) and solved_on (办结日期).
    department: Mapped[str | None] = mapped_column(String(100))
    assigned_on: Mapped[date | None] = mapped_column(Date)  # 交办日期
    deadline: Mapped[date | None] = mapped_column(Date)  # 办理时限
    status: Mapped[str] = mapped_column(String(10), default="待办")
    resolution: Mapped[str | None] = mapped_column(Text)
    solved_on: Mapped[date | None] = mapped_column(Date)


class SupportMeasure(Synced, Base):
    """One measure of an enterprise's 一企一策 ledger: what is done for it, by whom, by when, how
    far it has got; optionally answering one of the enterprise's problems."""

    __tablename__ = "support_measures"
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id"), index=True)
    problem_id: Mapped[str | None] = mapped_column(ForeignKey("problems.id"))
    content: Mapped[str] = mapped_column(Text)  # 措施
    department: Mapped[str | None] = mapped_column(String(100))  # 责任单位 (the 交办 list)
    person: Mapped[str | None] = mapped_column(String(50))  # 责任人
    deadline: Mapped[date | None] = mapped_column(Date)  # 时限
    status: Mapped[str] = mapped_column(String(10), default="未启动")
    progress: Mapped[str | None] = mapped_column(Text)  # 进展


class Explanation(Synced, Base):
    """The written explanation (说明) of a warning: this rule on this record."""

    __tablename__ = "explanations"
    __table_args__ = (UniqueConstraint("record_id", "rule_id"),)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(36))
    rule_id: Mapped[str] = mapped_column(String(20))
    period: Mapped[str | None] = mapped_column(String(7))
    text: Mapped[str] = mapped_column(Text)


SYNCED_MODELS: tuple[type[Synced], ...] = (
    Enterprise,
    Membership,
    EnterpriseMonthly,
    EnterpriseAnnual,
    Project,
    ProjectAnnual,
    ProjectMonthly,
    ProjectStage,
    ProjectPhoto,
    Problem,
    SupportMeasure,
    Explanation,
)
ENTITY_MODELS: dict[str, type[Synced]] = {  # parents before children
    "enterprise": Enterprise,
    "membership": Membership,
    "enterprise_monthly": EnterpriseMonthly,
    "enterprise_annual": EnterpriseAnnual,
    "project": Project,
    "project_annual": ProjectAnnual,
    "project_monthly": ProjectMonthly,
    "project_stage": ProjectStage,
    "project_photo": ProjectPhoto,
    "problem": Problem,
    "support_measure": SupportMeasure,
    "explanation": Explanation,
}
REFERENCE_MODELS = (Unit, Department, Domain, DomainDepartment, Industry, Chain, Leader, Option, Target)


# ---------------------------------------------------------------------------------------------
# The county's own figures and records (issue 13)
# ---------------------------------------------------------------------------------------------
class IndustryTotal(Base):
    """The statistics bureau's figure (统计局口径) for a target industry: its 1-本月累计 in the
    industry's measure, entered by the county. Reports show it beside the registered enterprises'
    sum and use it for 百亿级 when present."""

    __tablename__ = "industry_totals"
    __table_args__ = (UniqueConstraint("industry_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    industry_id: Mapped[int] = mapped_column(ForeignKey("industries.id"))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReportedMonth(Base):
    """A month a unit has reported, and the package that last carried it: its reporting status
    is that package's review (services/reporting.py). Filled by every merge (county) and export
    (township) with each month the package carries."""

    __tablename__ = "reported_months"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Bulletin(Base):
    """An issued 通报: its number (期号), the figures it printed and the PDF itself, kept so a
    reprint is the same file byte for byte. A correction is a new issue naming the one it corrects."""

    __tablename__ = "bulletins"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_bulletins_issue"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # 期号 within the year
    period: Mapped[str] = mapped_column(String(7), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator: Mapped[str] = mapped_column(String(50), default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("bulletins.id"))
    changes: Mapped[list] = mapped_column(JSON, default=list)  # what this issue corrects, in sentences
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # services/figures.figures_snapshot
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


# ---------------------------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------------------------
class AuditEntry(Base):
    """One change to one field (or the creation or tombstoning of a record), from any source."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    operator: Mapped[str] = mapped_column(String(50), default="")
    source: Mapped[str] = mapped_column(String(20))  # form / excel / merge / reply / cli / demo / setup
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(10))  # create / update / delete / restore
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    package_id: Mapped[str | None] = mapped_column(String(36))


# ---------------------------------------------------------------------------------------------
# Packages: keys, the ledger, merge bases, conflicts, duplicates, reviews (issue 4)
# ---------------------------------------------------------------------------------------------
class UnitKey(Base):
    """A unit's public key enrolled at the county; packages signed with it are that unit's.

    A unit has at most one active key: enrolling a new one retires the old one, and a revoked
    key stays revoked. Packages signed with a key that is not active are refused, whatever they
    say about themselves."""

    __tablename__ = "unit_keys"
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    public_key: Mapped[str] = mapped_column(Text)  # Ed25519, PEM SubjectPublicKeyInfo
    encryption_key: Mapped[str | None] = mapped_column(Text)  # X25519, PEM; what 下发包 are sealed to
    fingerprint: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(10), default="active")  # active / retired / revoked
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    last_good_sequence: Mapped[int | None] = mapped_column(Integer)  # revoked: the last package trusted


class PackageEntry(Base):
    """The ledger: every package this database wrote ('out') or took in ('in')."""

    __tablename__ = "package_ledger"
    __table_args__ = (
        UniqueConstraint("direction", "kind", "unit_id", "key_id", "sequence", name="uq_package_ledger_chain"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the package id
    direction: Mapped[str] = mapped_column(String(4))  # out / in
    kind: Mapped[str] = mapped_column(String(10))  # report (上报包) / reply (下发包)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the township
    key_id: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    previous_sha256: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator: Mapped[str] = mapped_column(String(50), default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    audit_upto: Mapped[int | None] = mapped_column(Integer)  # out: last audit_log id carried
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    unit_audit: Mapped[bytes | None] = mapped_column(LargeBinary)  # in: the unit's audit file
    format_version: Mapped[int] = mapped_column(Integer, default=1)
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))  # format 2: what the chain links
    previous_package_id: Mapped[str | None] = mapped_column(String(36))
    # out: "pending" from the commit that records the package until its file has its final name
    state: Mapped[str] = mapped_column(String(10), default="done")


class RecordAlias(Base):
    """County: a record a unit sent under a new id after restoring a backup, matched by its
    business key (credit code; enterprise and period …) to the record the county already had."""

    __tablename__ = "record_aliases"
    alias_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the unit's id
    record_id: Mapped[str] = mapped_column(String(36), index=True)  # the county's record
    entity: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[int] = mapped_column(Integer, index=True)
    package_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KeyRotation(Base):
    """County: a statement, signed by the county's previous key, naming its next key; every
    下发包 carries them so a township can follow the county's key from the one it pinned."""

    __tablename__ = "key_rotations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_key_id: Mapped[str] = mapped_column(String(32), unique=True)
    new_key_id: Mapped[str] = mapped_column(String(32))
    statement: Mapped[str] = mapped_column(Text)  # canonical JSON
    signature: Mapped[str] = mapped_column(String(100))  # base64, Ed25519 by the old key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MergeBase(Base):
    """What the unit last sent of a record (encoded fields): the base of three-way merges."""

    __tablename__ = "merge_base"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    data: Mapped[str] = mapped_column(Text)  # JSON object, field → encoded value


class Conflict(Base):
    """A field changed on both sides: this database's value stays current until resolved."""

    __tablename__ = "conflicts"
    __table_args__ = (Index("ix_conflicts_record", "record_id", "field"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[str] = mapped_column(String(36))
    unit_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(40))
    base_value: Mapped[str | None] = mapped_column(Text)  # JSON-encoded values
    local_value: Mapped[str | None] = mapped_column(Text)
    incoming_value: Mapped[str | None] = mapped_column(Text)
    package_id: Mapped[str] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(10))  # local / incoming
    resolved_by: Mapped[str | None] = mapped_column(String(50))


class DuplicateFlag(Base):
    """An enterprise whose credit code another unit also reports, for the county to decide."""

    __tablename__ = "duplicate_flags"
    __table_args__ = (UniqueConstraint("credit_code", "enterprise_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_id: Mapped[str] = mapped_column(String(36))
    unit_id: Mapped[int] = mapped_column(Integer)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(Text)


class Review(Base):
    """The county's decision on a unit's period (接收 / 退回), mirrored in the township."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_unit_period", "unit_id", "period"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period: Mapped[str] = mapped_column(String(7))
    decision: Mapped[str] = mapped_column(String(10))  # accepted / returned
    reason: Mapped[str | None] = mapped_column(Text)
    comments: Mapped[list] = mapped_column(JSON, default=list)  # [{entity, record_id, field, text}]
    package_id: Mapped[str | None] = mapped_column(String(36))  # the package reviewed
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator: Mapped[str] = mapped_column(String(50), default="")


# ---------------------------------------------------------------------------------------------
# The county office on a server (issue 19): accounts, and the lead departments' domain notes
# ---------------------------------------------------------------------------------------------
class ServerAccount(Base):
    """A login account of a server database, as `hengdong server account` made it: the
    PostgreSQL role `account` (its password is the server's business, never stored here), its
    kind and, for a lead department (牵头部门), the department it answers for."""

    __tablename__ = "server_accounts"
    __table_args__ = (CheckConstraint("kind IN ('office','department','readonly')", name="kind"),)
    account: Mapped[str] = mapped_column(String(63), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    display_name: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditAccount(Base):
    """The login account that wrote an audit row, on a server database: filled by the server
    itself (a trigger, see db/server_security.py) for every row inserted into audit_log, and
    writable by no account. Kept beside audit_log rather than in it, so the audit rows a
    township's package carries keep their shape. Empty in a SQLite file, where the operator
    of the audit row says who it was."""

    __tablename__ = "audit_accounts"
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_log.id"), primary_key=True, autoincrement=False)
    account: Mapped[str] = mapped_column(String(63))


class DomainNote(Base):
    """A lead department's note on its domain (领域) for a period: how the domain stands, what it
    is doing. Written by the domain's lead departments (and the office), read by everyone."""

    __tablename__ = "domain_notes"
    __table_args__ = (UniqueConstraint("domain_id", "period"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id"))
    period: Mapped[str] = mapped_column(String(7))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(50), default="")


# county records audited by the flush hook like reference data
AUDITED_MODELS: tuple[type[Base], ...] = (IndustryTotal, DomainNote)
