"""Reference data: units, domains, departments, industries, chains, categories and targets.

Shipped as `resources/reference.json`, seeded into each database, edited by the county and sent
to townships. This module holds the plain in-memory form and the lookups every layer needs."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from hengdong_desktop.domain import ranking
from hengdong_desktop.domain.money import WAN_PER_YI

PROGRAMME = "衡东县产业发展“百十亿”工程"
ISSUER = f"{PROGRAMME}领导小组办公室"  # who makes the county's tables and bulletins

# Target metrics. Counts for the headline, 万元 for industry output.
HUNDRED_BILLION_INDUSTRIES = "hundred_billion_industries"
BILLION_ENTERPRISES = "billion_enterprises"
HUNDRED_MILLION_PROJECTS = "hundred_million_projects"
INDUSTRY_OUTPUT = "industry_output"
COUNT_METRICS = (HUNDRED_BILLION_INDUSTRIES, BILLION_ENTERPRISES, HUNDRED_MILLION_PROJECTS)
METRIC_LABELS = {
    HUNDRED_BILLION_INDUSTRIES: "百亿级产业",
    BILLION_ENTERPRISES: "十亿级企业",
    HUNDRED_MILLION_PROJECTS: "亿元级项目",
    INDUSTRY_OUTPUT: "产业年产值(万元)",
}


# A project's stages, in order, and the two ways it stops. The project editor offers the options
# of reference data ("project_status"); a stage row of the history may be any of these.
PROJECT_STAGES = ("储备", "前期", "签约", "开工", "在建", "竣工", "投产", "达效")
PROJECT_HALTS = ("停缓建", "终止")


# The numbers the project warnings (包而不推、推而不快、快而不优) and the 招商 figures are judged by,
# with what each means and the default the plan's practice suggests; the county tunes them as
# reference data (services/reference_admin.set_project_parameter).
@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    unit: str  # 个月 / %
    default: int
    minimum: int
    maximum: int


PROJECT_PARAMETERS = (
    Parameter("stall_months", "包而不推：开工、在建项目连续无投资、无状态进展的月数", "个月", 3, 1, 24),
    Parameter("slow_percent", "推而不快：本年累计完成投资低于按月均摊年度计划的比例", "%", 60, 1, 100),
    Parameter("start_grace_months", "推而不快：计划开工年月过后仍未开工的宽限月数", "个月", 0, 0, 24),
    Parameter("underperform_months", "快而不优：投产后开始考核产值、税收的月数", "个月", 6, 1, 36),
    Parameter("underperform_percent", "快而不优：累计产值或税收低于按月均摊达产预期的比例", "%", 100, 1, 100),
    Parameter("fulfil_months", "履约率：签约后按期开工的月数", "个月", 6, 1, 36),
)
PARAMETERS_BY_KEY = {p.key: p for p in PROJECT_PARAMETERS}

# The numbers the programme's instruments are judged by (名录后备, 问题交办, 比学赶超's weights), kept
# as reference data under their own prefix (services/reference_admin.set_programme_parameter).
PROGRAMME_PARAMETERS = (
    Parameter("reserve_percent", "后备企业：规模达到门槛的（100−X）%及以上、尚未达到门槛", "%", 20, 1, 90),
    Parameter("deadline_days", "问题交办：未单独设定的问题类别，办理时限为交办后的天数", "天", 30, 1, 365),
    Parameter("escalate_days", "问题交办：超过办理时限多少天，提请链长（联系县领导）督办", "天", 15, 0, 365),
    *(
        Parameter(
            ranking.weight_key(scope, c.key),
            f"比学赶超权重（{ranking.SCOPE_LABELS[scope]}）：{c.label}",
            "分",
            c.weight,
            0,
            100,
        )
        for scope, criteria in ranking.SCOPES.items()
        for c in criteria
    ),
)
PROGRAMME_BY_KEY = {p.key: p for p in PROGRAMME_PARAMETERS}
# The kind of options a problem is assigned to (问题交办) and a measure's 责任单位 is chosen from:
# the programme's departments and the reporting units, synthesised from the reference tables.
ASSIGNEE_OPTIONS = "assignee"
MEASURE_STATUSES = ("未启动", "推进中", "已完成", "已中止")

# The figure (口径) that decides an enterprise's 十亿级/亿级 and an industry's size, per domain.
# 建筑业总产值 is what a construction enterprise's 产值 fields hold.
OUTPUT, REVENUE, CONSTRUCTION_OUTPUT = "output", "revenue", "construction_output"
MEASURES = {OUTPUT: "产值", REVENUE: "营业收入", CONSTRUCTION_OUTPUT: "建筑业总产值"}
MEASURE_FIELD = {OUTPUT: "output", REVENUE: "revenue", CONSTRUCTION_OUTPUT: "output"}


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    kind: str
    provisional: bool = False
    short_name: str | None = None
    start_period: str | None = None  # 启用期: the first period the unit must report


@dataclass(frozen=True)
class Domain:
    id: int
    name: str
    lead_departments: tuple[str, ...] = ()
    measure: str = OUTPUT

    @property
    def measure_label(self) -> str:
        return MEASURES[self.measure]


@dataclass(frozen=True)
class Industry:
    id: int
    name: str
    domain_id: int


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class Chain:
    """A key industry chain under the 链长制: its 链长 (leader id), 牵头部门 (department id), 专班."""

    id: int
    name: str
    leader_id: int | None = None
    department_id: int | None = None
    task_force: str | None = None


@dataclass(frozen=True)
class Leader:
    id: int
    name: str
    title: str | None = None  # 职务

    @property
    def shown(self) -> str:
        return f"{self.name}（{self.title}）" if self.title else self.name


@dataclass(frozen=True)
class Target:
    year: int
    metric: str
    value: Decimal
    domain_id: int | None = None
    industry_id: int | None = None


def _fold(text: str) -> str:
    """Compares option labels the way clerks type them: width-folded, quotes and spaces ignored."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch not in " \t\"'“”‘’「」")


@dataclass
class Reference:
    version: int
    county: Unit
    units: tuple[Unit, ...]
    domains: tuple[Domain, ...]
    industries: tuple[Industry, ...]
    chains: tuple[Chain, ...]
    departments: tuple[Named, ...]
    options: dict[str, tuple[str, ...]]
    thresholds: dict[str, Decimal]
    project_implemented_from: str = "开工"
    project_suspended: str = "停缓建"
    leaders: tuple[Leader, ...] = ()
    project_parameters: dict[str, int] = field(default_factory=dict)  # missing keys: their default
    programme_parameters: dict[str, int] = field(default_factory=dict)  # missing keys: their default
    deadline_days: dict[str, int] = field(default_factory=dict)  # 问题类别 → 办理时限 (days after 交办)
    _folded: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    # lookups -----------------------------------------------------------------------------
    def all_units(self) -> tuple[Unit, ...]:
        return (*self.units, self.county)

    def unit(self, unit_id: int) -> Unit:
        for u in self.all_units():
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def find_unit(self, name_or_code: str) -> Unit | None:
        key = _fold(str(name_or_code))
        for u in self.all_units():
            if key in (_fold(u.name), _fold(u.code)) or (u.short_name and key == _fold(u.short_name)):
                return u
        return None

    def domain(self, domain_id: int) -> Domain:
        return next(d for d in self.domains if d.id == domain_id)

    def industry(self, industry_id: int) -> Industry:
        return next(i for i in self.industries if i.id == industry_id)

    def chain(self, chain_id: int) -> Chain:
        return next(c for c in self.chains if c.id == chain_id)

    def leader(self, leader_id: int | None) -> Leader | None:
        return next((x for x in self.leaders if x.id == leader_id), None)

    @property
    def assignees(self) -> tuple[str, ...]:
        """Whom a problem can be assigned to (问题交办): the departments, then the reporting units."""
        return (*(d.name for d in self.departments), *(u.name for u in self.units))

    def name_of(self, kind: str, ref_id: int | None) -> str:
        if ref_id is None:
            return ""
        table = self._table(kind)
        for row in table:
            if row.id == ref_id:
                return row.name
        return ""

    def _table(self, kind: str) -> tuple:
        return {
            "unit": self.all_units(),
            "domain": self.domains,
            "industry": self.industries,
            "chain": self.chains,
            "department": self.departments,
            "leader": self.leaders,
        }[kind]

    def resolve(self, kind: str, value: object) -> int | None:
        """Maps an id, name or (for units) code to the id; None when nothing matches."""
        if value is None or value == "":
            return None
        table = self._table(kind)
        if isinstance(value, int) and not isinstance(value, bool):
            return value if any(r.id == value for r in table) else None
        if kind == "unit":
            unit = self.find_unit(str(value))
            return unit.id if unit else None
        key = _fold(str(value))
        for row in table:
            if _fold(row.name) == key:
                return row.id
        return None

    def match_option(self, kind: str, value: str) -> str | None:
        """The canonical option label for what the user typed, or None."""
        folded = self._folded.get(kind)
        if folded is None:
            folded = {_fold(v): v for v in self.options.get(kind, ())}
            self._folded[kind] = folded
        return folded.get(_fold(value))

    @property
    def implemented_statuses(self) -> tuple[str, ...]:
        """开工 or later, not stopped (停缓建, 终止)."""
        flow = self.options["project_status"]
        start = flow.index(self.project_implemented_from)
        return tuple(s for s in flow[start:] if s != self.project_suspended and s not in PROJECT_HALTS)

    def parameter(self, key: str) -> int:
        """A project rule's number (PROJECT_PARAMETERS), the county's or the default."""
        value = self.project_parameters.get(key)
        return PARAMETERS_BY_KEY[key].default if value is None else value

    def programme(self, key: str) -> int:
        """A programme number (PROGRAMME_PARAMETERS), the county's or the default."""
        value = self.programme_parameters.get(key)
        return PROGRAMME_BY_KEY[key].default if value is None else value

    def weights(self, scope: str) -> dict[str, int]:
        """The ranking weights of `scope` ("unit" / "department"), criterion key → weight."""
        return {c.key: self.programme(ranking.weight_key(scope, c.key)) for c in ranking.SCOPES[scope]}

    def deadline_for(self, category: str | None) -> int:
        """Days from 交办 to the 办理时限 of a problem of `category`."""
        days = self.deadline_days.get(category or "")
        return self.programme("deadline_days") if days is None else days


def load_file(path: Path) -> tuple[Reference, list[Target]]:
    """Reads the shipped reference file; returns the reference data and the plan's targets."""
    data = json.loads(path.read_text(encoding="utf-8"))
    departments = tuple(Named(d["id"], d["name"]) for d in data["departments"])
    domains = tuple(
        Domain(d["id"], d["name"], tuple(d["lead_departments"]), d.get("measure", OUTPUT)) for d in data["domains"]
    )
    domain_ids = {d.name: d.id for d in domains}
    industries = tuple(Industry(i["id"], i["name"], domain_ids[i["domain"]]) for i in data["industries"])
    c = data["county"]
    ref = Reference(
        version=int(data["version"]),
        county=Unit(c["id"], c["code"], c["name"], c["kind"]),
        units=tuple(
            Unit(u["id"], u["code"], u["name"], u["kind"], u.get("provisional", False), u.get("short_name"))
            for u in data["units"]
        ),
        domains=domains,
        industries=industries,
        chains=tuple(Chain(ch["id"], ch["name"]) for ch in data["chains"]),
        departments=departments,
        options={
            **{k: tuple(v) for k, v in data["options"].items()},
            ASSIGNEE_OPTIONS: (*(d["name"] for d in data["departments"]), *(u["name"] for u in data["units"])),
        },
        thresholds={k: Decimal(v) for k, v in data["thresholds_wan"].items()},
        project_implemented_from=data["project_implemented_from"],
        project_suspended=data["project_suspended"],
        leaders=tuple(Leader(x["id"], x["name"], x.get("title")) for x in data.get("leaders", ())),
        project_parameters={k: int(v) for k, v in data.get("project_parameters", {}).items()},
        programme_parameters={k: int(v) for k, v in data.get("programme_parameters", {}).items()},
        deadline_days={k: int(v) for k, v in data.get("problem_deadline_days", {}).items()},
    )
    targets: list[Target] = []
    for metric, value in data["county_targets_2025"].items():
        targets.append(Target(2025, metric, Decimal(value)))
    for d in data["domains"]:
        for metric, value in d["targets_2025"].items():
            targets.append(Target(2025, metric, Decimal(value), domain_id=d["id"]))
    for i in data["industries"]:
        targets.append(
            Target(
                2025,
                INDUSTRY_OUTPUT,
                Decimal(i["output_target_yi_2025"]) * WAN_PER_YI,
                domain_id=domain_ids[i["domain"]],
                industry_id=i["id"],
            )
        )
    return ref, targets


def default_file() -> Path:
    from hengdong_desktop.resources import resource_path

    return resource_path("reference.json")
