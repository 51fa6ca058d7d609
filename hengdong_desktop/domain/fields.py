"""Every field of every record the programme collects, with its Chinese label.

The labels are the form captions and the Excel column headers (DOMAIN.md); the names are the
model attributes. Forms, Excel, PDF and the rule engine all read this one table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "longtext", "money", "int", "date", "month", "choice", "multichoice", "bool", "ref"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind = "text"
    required: bool = False
    options: str | None = None  # key into the reference options, for choice/multichoice
    ref: str | None = None  # unit / domain / industry / chain / enterprise / project
    max_length: int | None = None
    suggest: str | None = None  # a text offered from a reference list: "leader" / "department"

    @property
    def is_number(self) -> bool:
        return self.kind in ("money", "int")


def _f(name: str, label: str, kind: Kind = "text", **kw: object) -> FieldSpec:
    return FieldSpec(name, label, kind, **kw)  # type: ignore[arg-type]


ENTERPRISE = (
    _f("credit_code", "统一社会信用代码", required=True, max_length=18),
    _f("name", "企业名称", required=True, max_length=100),
    _f("unit_id", "所属单位", "ref", required=True, ref="unit"),
    _f("address", "详细地址", max_length=200),
    _f("legal_rep", "法定代表人", max_length=50),
    _f("contact_person", "联系人", max_length=50),
    _f("contact_phone", "联系电话", max_length=40),
    _f("founded_on", "成立日期", "date"),
    _f("domain_id", "所属领域", "ref", required=True, ref="domain"),
    _f("industry_id", "所属产业", "ref", ref="industry"),
    _f("chain_id", "所属产业链", "ref", ref="chain"),
    _f("si_shang_category", "四上类别", "choice", options="si_shang_category"),
    _f("cultivation_tier", "培育目标", "choice", options="cultivation_tier"),
    _f("main_products", "主要产品", max_length=200),
    _f("need_categories", "需求类别", "multichoice", options="need_category"),
    _f("needs_text", "需求与困难", "longtext", max_length=2000),
    _f("support_measures", "帮扶措施(一企一策)", "longtext", max_length=4000),
    _f("contact_leader", "联系县领导", max_length=50, suggest="leader"),
    _f("responsible_department", "责任单位", max_length=100, suggest="department"),
    _f("notes", "备注", "longtext", max_length=2000),
)

MEMBERSHIP = (
    _f("list_name", "培育名录", "choice", required=True, options="cultivation_list"),
    _f("level", "级别", "choice", options="specialized_level"),
    _f("date_in", "纳入日期", "date", required=True),
    _f("reason_in", "纳入原因", max_length=500),
    _f("date_out", "调出日期", "date"),
    _f("reason_out", "调出原因", max_length=500),
    _f("decided_by", "认定单位或文件", max_length=100),
)

ENTERPRISE_MONTHLY = (
    _f("period", "填报期", "month", required=True),
    _f("output_month", "本月产值", "money"),
    _f("output_ytd", "1-本月累计产值", "money"),
    _f("revenue_month", "本月营业收入", "money"),
    _f("revenue_ytd", "1-本月累计营业收入", "money"),
    _f("tax_ytd", "1-本月累计税收", "money"),
    _f("employees_end", "期末从业人员", "int"),
)

ENTERPRISE_ANNUAL = (
    _f("year", "年度", "int", required=True),
    _f("output", "全年产值(万元)", "money"),
    _f("revenue", "全年营业收入(万元)", "money"),
    _f("tax", "全年税收(万元)", "money"),
    _f("employees", "年末从业人员(人)", "int"),
)

PROJECT = (
    _f("project_code", "项目编号", max_length=40),
    _f("name", "项目名称", required=True, max_length=150),
    _f("unit_id", "所属单位", "ref", required=True, ref="unit"),
    _f("domain_id", "所属领域", "ref", required=True, ref="domain"),
    _f("industry_id", "所属产业", "ref", ref="industry"),
    _f("chain_id", "所属产业链", "ref", ref="chain"),
    _f("chain_role", "强链延链补链", "choice", options="chain_role"),
    _f("builder_enterprise_id", "建设单位", "ref", ref="enterprise"),
    _f("project_type", "项目类型", "choice", options="project_type"),
    _f("source", "项目来源", "choice", options="project_source"),
    _f("park_infrastructure", "园区基础设施类别", "choice", options="park_infrastructure"),
    _f("co_innovation", "产业链协同创新项目", "bool"),
    _f("total_investment", "总投资(万元)", "money", required=True),
    _f("planned_start", "计划开工年月", "month"),
    _f("planned_finish", "计划竣工年月", "month"),
    _f("planned_production", "计划投产年月", "month"),
    _f("expected_output", "达产后年产值(万元)", "money"),
    _f("expected_tax", "达产后年税收(万元)", "money"),
    _f("content", "建设内容", "longtext", max_length=4000),
    _f("status", "项目状态", "choice", required=True, options="project_status"),
    _f("status_since", "状态日期", "date"),
    _f("status_reason", "停缓建或终止原因", "longtext", max_length=2000),
    _f("signed_on", "签约日期", "date"),
    _f("signing_party", "签约主体", max_length=100),
    _f("contract_investment", "合同投资额(万元)", "money"),
    _f("investment_source", "引资来源", "choice", options="investment_source"),
    _f("build_first", "先建后验", "bool"),
    _f("contact_leader", "联系县领导", max_length=50, suggest="leader"),
    _f("task_force", "工作专班", max_length=100),
    _f("agent", "项目代办员", max_length=50),
    _f("agent_phone", "代办员电话", max_length=40),
    _f("responsible_department", "责任单位", max_length=100, suggest="department"),
    _f("notes", "备注", "longtext", max_length=2000),
)

PROJECT_ANNUAL = (
    _f("year", "年度", "int", required=True),
    _f("plan_investment", "年度计划投资(万元)", "money"),
)

PROJECT_MONTHLY = (
    _f("period", "填报期", "month", required=True),
    _f("invest_month", "本月完成投资", "money"),
    _f("invest_cumulative", "累计完成投资", "money"),
    _f("invest_ytd", "本年累计完成投资", "money"),
    _f("funds_month", "本月到位资金", "money"),
    _f("funds_cumulative", "累计到位资金", "money"),
    _f("output_ytd", "投产后1-本月累计产值", "money"),
    _f("tax_ytd", "投产后1-本月累计税收", "money"),
    _f("progress", "形象进度", "longtext", max_length=2000),
    _f("issues", "存在问题", "longtext", max_length=2000),
    _f("coordination", "需协调事项", "longtext", max_length=2000),
)

PROJECT_STAGE = (
    _f("period", "填报期", "month", required=True),
    _f("status", "项目状态", "choice", required=True, options="project_stage"),
    _f("reached_on", "状态日期", "date"),
    _f("reason", "原因", "longtext", max_length=2000),
)

PROJECT_PHOTO = (
    _f("caption", "照片说明", max_length=200),
    _f("taken_on", "拍摄日期", "date"),
)

PROBLEM = (
    _f("category", "问题类别", "choice", required=True, options="problem_category"),
    _f("description", "问题描述", "longtext", required=True, max_length=4000),
    _f("raised_on", "提出日期", "date", required=True),
    _f("department", "责任单位", "choice", options="assignee", max_length=100),
    _f("assigned_on", "交办日期", "date"),
    _f("deadline", "办理时限", "date"),
    _f("status", "办理状态", "choice", required=True, options="problem_status"),
    _f("resolution", "办理结果", "longtext", max_length=4000),
    _f("solved_on", "解决日期", "date"),
)

SUPPORT_MEASURE = (
    _f("content", "帮扶措施", "longtext", required=True, max_length=2000),
    _f("department", "措施责任单位", "choice", options="assignee", max_length=100),
    _f("person", "责任人", max_length=50),
    _f("deadline", "完成时限", "date"),
    _f("status", "推进状态", "choice", required=True, options="measure_status"),
    _f("progress", "进展情况", "longtext", max_length=2000),
    _f("problem_id", "关联问题", "ref", ref="problem"),  # one of the enterprise's problems (domain/problem_ref.py)
)

ENTITIES: dict[str, tuple[FieldSpec, ...]] = {
    "enterprise": ENTERPRISE,
    "membership": MEMBERSHIP,
    "enterprise_monthly": ENTERPRISE_MONTHLY,
    "enterprise_annual": ENTERPRISE_ANNUAL,
    "project": PROJECT,
    "project_annual": PROJECT_ANNUAL,
    "project_monthly": PROJECT_MONTHLY,
    "project_stage": PROJECT_STAGE,
    "project_photo": PROJECT_PHOTO,
    "problem": PROBLEM,
    "support_measure": SUPPORT_MEASURE,
}

ENTITY_LABELS = {
    "enterprise": "企业",
    "membership": "培育名录",
    "enterprise_monthly": "企业月度",
    "enterprise_annual": "企业年度",
    "project": "项目",
    "project_annual": "项目年度计划",
    "project_monthly": "项目月度",
    "project_stage": "项目状态",
    "project_photo": "项目照片",
    "problem": "问题",
    "support_measure": "一企一策措施",
    "explanation": "说明",
}


def spec(entity: str, name: str) -> FieldSpec:
    for f in ENTITIES[entity]:
        if f.name == name:
            return f
    raise KeyError(f"{entity}.{name}")


def label(entity: str, name: str) -> str:
    return spec(entity, name).label
