"""The sheets of the template, the import and the township export: the entity each sheet holds
and its columns. Headers are exactly the Chinese labels of domain/fields.py; a few columns name
the record a row belongs to (the enterprise of a monthly row, the project of a problem), and every
sheet ends with 说明: the explanation of the row's warnings, as the 月度调度 grid's 说明 column."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hengdong_desktop.domain.fields import ENTITIES, FieldSpec, spec

# Key columns: they identify the record a row belongs to, they are not fields of the row's entity.
UNIT = "unit"
CREDIT_CODE = "credit_code"
ENTERPRISE_NAME = "enterprise_name"
PROJECT_CODE = "project_code"
PROJECT_NAME = "project_name"
EXPLANATION = "explanation"


@dataclass(frozen=True)
class Column:
    spec: FieldSpec
    key: str | None = None  # None: a field of the sheet's entity; else which key it carries

    @property
    def label(self) -> str:
        return self.spec.label


@dataclass(frozen=True)
class SheetLayout:
    title: str
    entity: str
    columns: tuple[Column, ...]
    signature: tuple[str, ...]  # labels a header row must carry to be this sheet
    explanation: str  # what a row is and how it is matched, for 填表说明
    note: str = ""  # a line above the header, where a column needs saying how it is filled in


# The row's 说明: it explains every warning (准强制性, 核实性) the rule engine finds on the row.
_EXPLANATION = Column(FieldSpec(EXPLANATION, "说明", "longtext", max_length=2000), EXPLANATION)


def _fields(entity: str) -> tuple[Column, ...]:
    return (*(Column(f) for f in ENTITIES[entity]), _EXPLANATION)


_UNIT_KEY = Column(spec("enterprise", "unit_id"), UNIT)
_CODE_KEY = Column(spec("enterprise", "credit_code"), CREDIT_CODE)
_ENT_NAME_KEY = Column(spec("enterprise", "name"), ENTERPRISE_NAME)
_PROJ_CODE_KEY = Column(spec("project", "project_code"), PROJECT_CODE)
_PROJ_NAME_KEY = Column(spec("project", "name"), PROJECT_NAME)

ENTERPRISES = SheetLayout(
    "企业",
    "enterprise",
    _fields("enterprise"),
    ("统一社会信用代码", "企业名称"),
    "每行一户企业，按统一社会信用代码对应已有企业：已有的修改，没有的新增。",
)
PROJECTS = SheetLayout(
    "项目",
    "project",
    _fields("project"),
    ("项目名称", "总投资(万元)"),
    "每行一个项目，有项目编号的按编号对应已有项目，否则按本单位的项目名称对应。",
)
ENTERPRISE_MONTHLY = SheetLayout(
    "企业月度",
    "enterprise_monthly",
    (_CODE_KEY, _ENT_NAME_KEY, *_fields("enterprise_monthly")),
    ("统一社会信用代码", "填报期"),
    "每行一户企业一期的数据，按统一社会信用代码和填报期对应；企业须已在库中或在本文件“企业”表中。",
)
ENTERPRISE_ANNUAL = SheetLayout(
    "企业年度",
    "enterprise_annual",
    (_CODE_KEY, _ENT_NAME_KEY, *_fields("enterprise_annual")),
    ("统一社会信用代码", "年度"),
    "每行一户企业一年的全年数据（全年产值、营业收入、税收、年末从业人员），按统一社会信用代码和年度对应；"
    "企业须已在库中或在本文件“企业”表中。",
)
PROJECT_ANNUAL = SheetLayout(
    "项目年度",
    "project_annual",
    (_UNIT_KEY, _PROJ_CODE_KEY, _PROJ_NAME_KEY, *_fields("project_annual")),
    ("项目名称", "年度计划投资(万元)"),
    "每行一个项目一年的年度计划投资，按项目编号（或本单位项目名称）和年度对应；项目须已在库中或在本文件“项目”表中。",
)
PROJECT_STAGES = SheetLayout(
    "项目状态",
    "project_stage",
    (_UNIT_KEY, _PROJ_CODE_KEY, _PROJ_NAME_KEY, *_fields("project_stage")),
    ("项目名称", "填报期", "项目状态"),
    "项目状态记录：每行一个项目一个填报期的状态及达到该状态的日期（停缓建、终止须写原因），按项目和填报期对应；"
    "项目的当前状态取最近一期的记录。",
)
PROJECT_MONTHLY = SheetLayout(
    "项目月度",
    "project_monthly",
    (_UNIT_KEY, _PROJ_CODE_KEY, _PROJ_NAME_KEY, *_fields("project_monthly")),
    ("项目名称", "填报期"),
    "每行一个项目一期的数据，按项目编号（或本单位项目名称）和填报期对应。",
)
PROBLEMS = SheetLayout(
    "问题",
    "problem",
    (_UNIT_KEY, _CODE_KEY, _ENT_NAME_KEY, _PROJ_CODE_KEY, _PROJ_NAME_KEY, *_fields("problem")),
    ("问题类别", "问题描述"),
    "每行一个问题，对应一户企业（填统一社会信用代码）或一个项目（填项目编号或项目名称），二者只填其一；"
    "同一对象、类别、提出日期和描述的问题视为同一条，修改其办理情况。",
)

MEMBERSHIPS = SheetLayout(
    "培育名录",
    "membership",
    (_CODE_KEY, _ENT_NAME_KEY, *_fields("membership")),
    ("统一社会信用代码", "培育名录", "纳入日期"),
    "每行一户企业在一个培育名录中的一段时间（动态调整）：纳入日期、原因，调出的填调出日期和原因；"
    "按统一社会信用代码、培育名录和纳入日期对应；企业须已在库中或在本文件“企业”表中。",
)
SUPPORT_MEASURES = SheetLayout(
    "一企一策",
    "support_measure",
    (_CODE_KEY, _ENT_NAME_KEY, *_fields("support_measure")),
    ("统一社会信用代码", "帮扶措施"),
    "一企一策台账：每行一户企业的一项帮扶措施，写明责任单位、责任人、完成时限、推进状态和进展；"
    "按统一社会信用代码和措施内容对应；企业须已在库中或在本文件“企业”表中。"
    "“关联问题”写该企业问题的提出日期和问题描述的开头（如“2025-03-05 用地指标不足”），"
    "问题须是本企业的（库中已有或在本文件“问题”表中），不针对具体问题的留空。",
    "注：“关联问题”填本企业问题的提出日期和问题描述的开头，如“2025-03-05 用地指标不足”（导出时已写好）；"
    "须是本企业的问题（库中已有或在本文件“问题”表中），不针对具体问题的留空。",
)

LAYOUTS: tuple[SheetLayout, ...] = (
    ENTERPRISES,
    PROJECTS,
    ENTERPRISE_MONTHLY,
    ENTERPRISE_ANNUAL,
    MEMBERSHIPS,
    SUPPORT_MEASURES,
    PROJECT_ANNUAL,
    PROJECT_MONTHLY,
    PROJECT_STAGES,
    PROBLEMS,
)
# Order in which sheets are processed: owners before the rows that refer to them.
IMPORT_ORDER = (
    "enterprise",
    "project",
    "enterprise_monthly",
    "enterprise_annual",
    "membership",
    "project_annual",
    "project_monthly",
    "project_stage",
    "problem",
    "support_measure",  # after the problems: a measure may name one of this file's new problems
)
INSTRUCTIONS_TITLE = "填表说明"
OPTIONS_TITLE = "选项"

_NOISE = re.compile(r"[\s*＊:：]+")


def fold_label(text: object) -> str:
    """A header cell as compared with the labels: width-folded, spaces, line breaks and the
    required-field star removed, so “上年产值（万元）” and “上年产值\n(万元)” both match."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text)))


_FOLDED = {layout.title: {fold_label(c.label): c for c in layout.columns} for layout in LAYOUTS}


def match_header(layout: SheetLayout, cells: dict[int, object]) -> tuple[dict[int, Column], list[tuple[int, str]]]:
    """Maps the columns (1-based) of a header row to the layout's columns; returns the mapping
    and the non-empty header cells that match nothing (extra columns, to name in the report)."""
    folded = _FOLDED[layout.title]
    mapping: dict[int, Column] = {}
    extra: list[tuple[int, str]] = []
    seen: set[str] = set()
    for col, value in sorted(cells.items()):
        if value is None or str(value).strip() == "":
            continue
        column = folded.get(fold_label(value))
        if column is None or column.label in seen:
            extra.append((col, str(value).strip()))
        else:
            mapping[col] = column
            seen.add(column.label)
    return mapping, extra


def header_score(layout: SheetLayout, cells: dict[int, object], *, named: bool = False) -> int:
    """How many of the layout's labels a row carries; 0 unless it carries the whole signature
    (only its first, matching label on a sheet named after the layout: a partial update)."""
    folded = _FOLDED[layout.title]
    present = {folded[f].label for f in (fold_label(v) for v in cells.values() if v is not None) if f in folded}
    needed = layout.signature[:1] if named else layout.signature
    return len(present) if all(label in present for label in needed) else 0


def layout_by_title(title: str) -> SheetLayout | None:
    return next((lay for lay in LAYOUTS if lay.title == title.strip()), None)
