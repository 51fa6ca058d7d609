"""基础数据 (county): units (codes and 启用期 included), departments, domains' lead departments and
measures (口径), industries, chains, category options, yearly targets, the monthly due day, the
statistics bureau's industry totals (统计局口径, not reference data: they do not travel to
townships), and the log of every change.

Each list is declared once (`ListSpec`: columns, form fields, how to save); every save goes
through `services.reference_admin` in the background, is audited, and raises the reference-data
version that the county's 下发包 carries to townships. A refused change re-opens the form with
what was typed, so nothing is lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import money
from hengdong_desktop.domain import reference as r
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import reference_admin as ra
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.form_dialog import CHECK, CHECKS, CHOICE, FormDialog, FormField
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.pages.official_totals import OfficialTotalsTab
from hengdong_desktop.ui.record_model import ROW_HEIGHT, ROW_ROLE, Column, RecordTableModel, record_table
from hengdong_desktop.ui.widgets import heading

FIRST_TARGET_YEAR = 2023
REFERENCE_CHANGED = Changes(reference=True)
ACTIVE_TEXT = {True: "启用", False: "已停用"}
INACTIVE_COLOUR = "#e6e6e6"
ENTITY_LABELS = {
    "units": "单位",
    "departments": "部门",
    "domains": "领域",
    "domain_departments": "领域牵头部门",
    "industries": "产业",
    "chains": "产业链",
    "options": "选项",
    "targets": "目标任务",
    "app_meta": "设置",
}
ACTION_LABELS = {"create": "新增", "update": "修改", "remove": "删除", "delete": "删除", "restore": "恢复"}
FIELD_LABELS = {
    "code": "代码",
    "name": "名称",
    "kind": "类型",
    "short_name": "简称",
    "provisional_code": "临时代码",
    "sort_order": "顺序",
    "active": "启用",
    "domain_id": "所属领域",
    "value": "值",
    "department_id": "部门",
    "year": "年度",
    "metric": "指标",
    "industry_id": "产业",
    "domain": "领域",
    "start_period": "启用期",
    "measure": "口径",
}
SOURCE_LABELS = {"reference": "基础数据维护", "setup": "初始化", "reply": "县级下发包", "cli": "命令行"}


def readable(value: str | None, names: dict[str, dict[str, str]] | None = None) -> str:
    """An audited value for people: a created or removed row's JSON as 字段：值 pairs, with ids
    and codes replaced by names where `names` ({field: {value: name}}) knows them."""
    if not value or not value.startswith("{"):
        return value or ""
    try:
        fields = json.loads(value)
    except ValueError:
        return value
    names = names or {}
    shown = []
    for key, raw in fields.items():
        if raw is None:
            continue
        if key == "metric":
            text = r.METRIC_LABELS.get(raw, raw)
        elif key == "active":
            text = ACTIVE_TEXT[raw == "true"]
        else:
            text = names.get(key, {}).get(str(raw), str(raw))
        shown.append(f"{FIELD_LABELS.get(key, key)}：{text}")
    return "，".join(shown)


def _inactive(row: Any) -> str | None:
    return None if getattr(row, "active", True) else INACTIVE_COLOUR


# ---------------------------------------------------------------------------------------------
# The lists, declared as data
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListSpec:
    key: str
    title: str
    hint: str
    columns: tuple[Column[Any], ...]
    rows: Callable[[ra.ReferenceTables], list[Any]]
    fields: Callable[[ra.ReferenceTables, Any], list[FormField]]  # row None: a new one
    values: Callable[[Any], dict[str, Any]]
    build: Callable[[dict[str, Any], Any], Any]  # form values (+ the row edited) → the row to save
    save: Callable[[Database, Actor, Any], object]
    new_row: Any = None  # what "新增" starts from; None: no adding
    can_switch: bool = True  # 停用/启用
    can_edit: bool = True
    stretch: int = -1  # the column that takes the spare width (-1: the last)
    what: str = ""


def row_key(row: Any) -> object:
    if isinstance(row, ra.OptionRow):
        return (row.kind, row.value)
    return row.key if isinstance(row, ra.ParameterRow) else row.id


def _unit_fields(tables: ra.ReferenceTables, row: ra.UnitRow | None) -> list[FormField]:
    county = row is not None and row.kind == "县"
    kinds = (("县", "县"),) if county else tuple((k, k) for k in ra.UNIT_KINDS)
    return [
        FormField(
            "code",
            "单位代码",
            max_length=20,
            placeholder="如 430424104",
            hint="改代码不影响该单位的历史数据和已登记的密钥（单位以内部编号识别）。",
        ),
        FormField("name", "单位名称", max_length=50),
        FormField("short_name", "简称", max_length=20, placeholder="可不填"),
        FormField("kind", "类型", CHOICE, kinds, enabled=not county),
        FormField("provisional_code", "代码待确认（临时代码）", CHECK),
        FormField(
            "start_period",
            "启用期",
            max_length=7,
            placeholder="如 2026-01",
            hint="该单位从这一期起须按月上报；之前的期别不算未报、不算逾期。不填则各期都须上报。",
            enabled=not county,
        ),
    ]


UNIT_CODE, UNIT_NAME, UNIT_SHORT, UNIT_KIND, UNIT_PROVISIONAL, UNIT_START, UNIT_ACTIVE, UNIT_USE, UNIT_ID = range(9)
UNITS = ListSpec(
    key="units",
    title="填报单位",
    what="单位",
    hint="单位代码可随时修改（如临时代码确认后），单位的数据、历史和密钥不受影响。有在库企业或项目的单位不能停用。",
    columns=(
        Column("单位代码", lambda u: u.code, background=_inactive),
        Column("单位名称", lambda u: u.name, background=_inactive),
        Column("简称", lambda u: u.short_name or ""),
        Column("类型", lambda u: u.kind),
        Column("代码状态", lambda u: u.provisional_code, lambda v: "临时代码，待确认" if v else "已确认"),
        Column("启用期", lambda u: u.start_period or "—"),
        Column("状态", lambda u: u.active, lambda v: ACTIVE_TEXT[v]),
        Column("企业和项目", lambda u: u.in_use, numeric=True),
        Column("内部编号", lambda u: u.id, numeric=True),
    ),
    rows=lambda t: t.units,
    fields=_unit_fields,
    values=lambda u: {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name or "",
        "kind": u.kind,
        "provisional_code": u.provisional_code,
        "start_period": u.start_period or "",
    },
    build=lambda v, u: replace(
        u,
        code=v["code"],
        name=v["name"],
        short_name=v["short_name"],
        kind=v["kind"],
        provisional_code=v["provisional_code"],
        start_period=v.get("start_period", u.start_period),
    ),
    save=ra.save_unit,
    new_row=ra.UnitRow(None, "", "", "镇", provisional_code=True),
    stretch=UNIT_NAME,
)

DEPARTMENTS = ListSpec(
    key="departments",
    title="部门",
    what="部门",
    hint="部门用于领域牵头部门和问题的责任单位。改名不会改动已填报记录中的文字。",
    columns=(
        Column("部门名称", lambda d: d.name, background=_inactive),
        Column("状态", lambda d: d.active, lambda v: ACTIVE_TEXT[v]),
        Column("牵头领域数", lambda d: d.in_use, numeric=True),
    ),
    rows=lambda t: t.departments,
    fields=lambda t, d: [FormField("name", "部门名称", max_length=50)],
    values=lambda d: {"name": d.name},
    build=lambda v, d: replace(d, name=v["name"]),
    save=ra.save_department,
    new_row=ra.NamedRow(None, ""),
)


INDUSTRIES = ListSpec(
    key="industries",
    title="目标产业",
    what="产业",
    hint="新增的产业在“目标任务”中可设定年度产值目标。有在库企业或项目的产业不能停用。",
    columns=(
        Column("产业名称", lambda i: i.name, background=_inactive),
        Column("所属领域", lambda i: i.domain_name),
        Column("状态", lambda i: i.active, lambda v: ACTIVE_TEXT[v]),
        Column("企业和项目", lambda i: i.in_use, numeric=True),
    ),
    rows=lambda t: t.industries,
    fields=lambda t, i: [
        FormField("name", "产业名称", max_length=50),
        FormField("domain_id", "所属领域", CHOICE, tuple((d.name, d.id) for d in t.domains)),
    ],
    values=lambda i: {"name": i.name, "domain_id": i.domain_id},
    build=lambda v, i: replace(i, name=v["name"], domain_id=v["domain_id"]),
    save=ra.save_industry,
    new_row=ra.IndustryRow(None, "", 1),
)


def _chain_fields(tables: ra.ReferenceTables, chain: ra.ChainRow | None) -> list[FormField]:
    leaders = tuple(
        (f"{x.name}（{x.title}）" if x.title else x.name, x.id)
        for x in tables.leaders
        if x.active or (chain is not None and x.id == chain.leader_id)
    )
    departments = tuple(
        (d.name, d.id) for d in tables.departments if d.active or (chain is not None and d.id == chain.department_id)
    )
    return [
        FormField("name", "产业链名称", max_length=50),
        FormField("leader_id", "链长（县领导）", CHOICE, (("（未指定）", None), *leaders)),
        FormField("department_id", "牵头部门", CHOICE, (("（未指定）", None), *departments)),
        FormField("task_force", "工作专班成员", max_length=500, placeholder="如 县科工信局 王某某、县发改局 李某某"),
    ]


CHAINS = ListSpec(
    key="chains",
    title="产业链（链长制）",
    what="产业链",
    hint="产业链与产业相互独立。链长从“县领导”名单中选定，牵头部门从“部门”中选定；链主企业在企业的培育名录中标注。"
    "逾期督办的问题提请所属产业链的链长督办。有在库企业或项目的产业链不能停用。",
    columns=(
        Column("产业链名称", lambda c: c.name, background=_inactive),
        Column("链长", lambda c: c.leader_name),
        Column("牵头部门", lambda c: c.department_name),
        Column("工作专班", lambda c: c.task_force or ""),
        Column("状态", lambda c: c.active, lambda v: ACTIVE_TEXT[v]),
        Column("企业和项目", lambda c: c.in_use, numeric=True),
    ),
    rows=lambda t: t.chains,
    fields=_chain_fields,
    values=lambda c: {
        "name": c.name,
        "leader_id": c.leader_id,
        "department_id": c.department_id,
        "task_force": c.task_force or "",
    },
    build=lambda v, c: replace(
        c,
        name=v["name"],
        leader_id=v["leader_id"],
        department_id=v["department_id"],
        task_force=v["task_force"] or None,
    ),
    save=ra.save_chain,
    new_row=ra.ChainRow(None, ""),
    stretch=3,
)

LEADERS = ListSpec(
    key="leaders",
    title="县领导",
    what="县领导",
    hint="项目和企业的“联系县领导”从此名单中选填（五制一平台：县领导联系项目、链长制）。改名不会改动已填报记录中的文字。",
    columns=(
        Column("姓名", lambda x: x.name, background=_inactive),
        Column("职务", lambda x: x.title or ""),
        Column("状态", lambda x: x.active, lambda v: ACTIVE_TEXT[v]),
        Column("联系的项目和企业", lambda x: x.in_use, numeric=True),
    ),
    rows=lambda t: t.leaders,
    fields=lambda t, x: [
        FormField("name", "姓名", max_length=50),
        FormField("title", "职务", max_length=50, placeholder="如 副县长"),
    ],
    values=lambda x: {"name": x.name, "title": x.title or ""},
    build=lambda v, x: replace(x, name=v["name"], title=v["title"]),
    save=ra.save_leader,
    new_row=ra.LeaderRow(None, ""),
)


def _parameter_value(values: dict[str, Any], row: ra.ParameterRow) -> ra.ParameterRow:
    text = str(values["value"]).strip()
    return replace(row, value=int(text) if text.isdigit() else -1)  # the service names the allowed range


PARAMETERS = ListSpec(
    key="parameters",
    title="项目预警参数",
    what="参数",
    hint="项目预警（包而不推、推而不快、快而不优）和履约率按这些数判定；修改后随基础数据下发各单位，驾驶舱、汇总表、通报"
    "和各单位的预警即按新的阈值计算。",
    columns=(
        Column("参数", lambda x: x.label),
        Column("取值", lambda x: x.value, lambda v: str(v), numeric=True),
        Column("单位", lambda x: x.unit),
        Column("范围", lambda x: f"{x.minimum}～{x.maximum}"),
        Column("默认", lambda x: x.default, numeric=True),
    ),
    rows=lambda t: t.parameters,
    fields=lambda t, x: [
        FormField(
            "value", x.label if x else "取值", max_length=3, hint=f"{x.minimum}至{x.maximum}{x.unit}" if x else ""
        )
    ],
    values=lambda x: {"value": str(x.value)},
    build=lambda v, x: _parameter_value(v, x),
    save=lambda db, actor, x: ra.set_project_parameter(db, actor, x.key, x.value),
    can_switch=False,
    stretch=0,
)

PROGRAMME = ListSpec(
    key="programme",
    title="工程管理参数",
    what="参数",
    hint="培育名录后备企业的范围、问题交办的默认办理时限和督办天数、比学赶超各项权重；修改后随基础数据下发各单位，"
    "排名、问题清单和通报即按新的数计算。各项权重之和不必为100：总分按适用项权重折算为百分制。",
    columns=PARAMETERS.columns,
    rows=lambda t: t.programme,
    fields=PARAMETERS.fields,
    values=PARAMETERS.values,
    build=lambda v, x: _parameter_value(v, x),
    save=lambda db, actor, x: ra.set_programme_parameter(db, actor, x.key, x.value),
    can_switch=False,
    stretch=0,
)

DEADLINES = ListSpec(
    key="deadlines",
    title="问题办理时限",
    what="办理时限",
    hint="问题交办时未填办理时限的，按其问题类别取交办日期后的天数；新增的问题类别按“工程管理参数”中的默认天数。",
    columns=(
        Column("问题类别", lambda x: x.key),
        Column("办理时限（天）", lambda x: x.value, lambda v: str(v), numeric=True),
        Column("默认", lambda x: x.default, numeric=True),
    ),
    rows=lambda t: t.deadlines,
    fields=PARAMETERS.fields,
    values=PARAMETERS.values,
    build=lambda v, x: _parameter_value(v, x),
    save=lambda db, actor, x: ra.set_deadline_days(db, actor, x.key, x.value),
    can_switch=False,
    stretch=0,
)


LEAD_DEPARTMENTS = ListSpec(
    key="leads",
    title="领域牵头部门与口径",
    what="领域",
    hint="每个领域至少一个牵头部门；驾驶舱和通报按此显示。口径决定该领域企业按哪个数认定十亿级、亿级，"
    "以及该领域产业的规模（服务业一般按营业收入，建筑业按建筑业总产值，即建筑企业填报的产值）。",
    columns=(
        Column("领域", lambda d: d.name),
        Column("牵头部门", lambda d: d.lead_department_names),
        Column("口径", lambda d: r.MEASURES.get(d.measure, d.measure)),
    ),
    rows=lambda t: t.domains,
    fields=lambda t, d: [
        FormField(
            "departments",
            "牵头部门",
            CHECKS,
            tuple((x.name, x.id) for x in t.departments if x.active or x.id in (d.lead_department_ids if d else ())),
        ),
        FormField("measure", "口径", CHOICE, tuple((label, key) for key, label in r.MEASURES.items())),
    ],
    values=lambda d: {"departments": list(d.lead_department_ids), "measure": d.measure},
    build=lambda v, d: replace(d, lead_department_ids=tuple(v["departments"]), measure=v.get("measure", d.measure)),
    save=ra.save_domain,
    can_switch=False,
    stretch=1,
)


def _option_fields(tables: ra.ReferenceTables, row: ra.OptionRow | None) -> list[FormField]:
    kinds = tuple((label, kind) for kind, label in ra.OPTION_KIND_LABELS.items() if kind not in ra.FIXED_OPTION_KINDS)
    return [FormField("kind", "类别", CHOICE, kinds), FormField("value", "选项", max_length=50)]


OPTIONS = ListSpec(
    key="options",
    title="分类选项",
    what="选项",
    hint="选项以文字存入各条记录，因此不能改名：如需改名，请新增新选项并停用旧选项。"
    "项目状态、问题办理状态、上报状态和培育目标由系统流程使用，不能修改。",
    columns=(
        Column("类别", lambda o: ra.OPTION_KIND_LABELS.get(o.kind, o.kind), background=_inactive),
        Column("选项", lambda o: o.value, background=_inactive),
        Column("状态", lambda o: o.active, lambda v: ACTIVE_TEXT[v] if v is not None else ""),
        Column("可修改", lambda o: o.kind not in ra.FIXED_OPTION_KINDS, lambda v: "是" if v else "否（系统流程）"),
    ),
    rows=lambda t: [o for kind in ra.OPTION_KIND_LABELS for o in t.options.get(kind, [])],
    fields=_option_fields,
    values=lambda o: {"kind": o.kind, "value": o.value},
    build=lambda v, o: ra.OptionRow(v["kind"], v["value"]),
    save=ra.save_option,
    new_row=ra.OptionRow("need_category", ""),
    can_edit=False,
)


# ---------------------------------------------------------------------------------------------
# One list: a table and its buttons
# ---------------------------------------------------------------------------------------------
class ListTab(QWidget):
    def __init__(self, page: ReferenceDataPage, spec: ListSpec) -> None:
        super().__init__()
        self.page = page
        self.spec = spec
        self.setObjectName(f"list_{spec.key}")
        layout = QVBoxLayout(self)
        hint = QLabel(spec.hint)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.model: RecordTableModel[Any] = RecordTableModel(spec.columns, parent=self)
        self.view = record_table(self.model, stretch=spec.stretch, row_height=ROW_HEIGHT)
        self.view.setObjectName(f"table_{spec.key}")
        self.view.activated.connect(lambda _i: self.edit())
        self.view.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增{what}…").format(what=spec.what))
        self.add_button.clicked.connect(self.add)
        self.add_button.setVisible(spec.new_row is not None)
        self.edit_button = QPushButton(self.tr("修改…"))
        self.edit_button.clicked.connect(self.edit)
        self.edit_button.setVisible(spec.can_edit)
        self.switch_button = QPushButton(self.tr("停用"))
        self.switch_button.clicked.connect(self.switch)
        self.switch_button.setVisible(spec.can_switch)
        for button in (self.add_button, self.edit_button, self.switch_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.extra = buttons  # the page may add widgets here
        layout.addLayout(buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def selected(self) -> Any:
        return self.model.row_at(self.view.currentIndex())

    def _update_buttons(self) -> None:
        row = self.selected()
        editable = row is not None and not (isinstance(row, ra.OptionRow) and row.kind in ra.FIXED_OPTION_KINDS)
        self.edit_button.setEnabled(editable)
        self.switch_button.setEnabled(editable)
        self.switch_button.setText(self.tr("停用") if getattr(row, "active", True) else self.tr("启用"))

    def show_rows(self, rows: list[Any]) -> None:
        """Shows fresh rows, keeping the selected row selected."""
        current = self.selected()
        self.model.set_rows(rows)
        if current is not None:
            keys = [row_key(row) for row in rows]
            if row_key(current) in keys:
                self.view.selectRow(keys.index(row_key(current)))
        self._update_buttons()

    def add(self) -> None:
        self._ask(
            self.tr("新增{what}").format(what=self.spec.what),
            self.spec.new_row,
            self.spec.values(self.spec.new_row),
            is_new=True,
        )

    def edit(self) -> None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return
        self._ask(self.tr("修改{what}").format(what=self.spec.what), row, self.spec.values(row), is_new=False)

    def _ask(self, title: str, row: Any, values: dict[str, Any], *, is_new: bool) -> None:
        tables = self.page.tables
        assert tables is not None
        answer = FormDialog.ask(self, title, self.spec.fields(tables, None if is_new else row), values)
        if answer is None:
            return
        wanted = self.spec.build(answer, row)
        db, actor = self.page.ctx.db, self.page.actor()
        # refused (e.g. a code already used): ask again with what was typed
        self.page.run(
            Operation(self, lambda _p: self.spec.save(db, actor, wanted), REFERENCE_CHANGED),
            on_refused=lambda: self._ask(title, row, answer, is_new=is_new),
        )

    def switch(self) -> None:
        row = self.selected()
        if row is None or not self.switch_button.isEnabled():
            return
        db, actor, wanted = self.page.ctx.db, self.page.actor(), replace(row, active=not row.active)
        self.page.run(Operation(self, lambda _p: self.spec.save(db, actor, wanted), REFERENCE_CHANGED))


# ---------------------------------------------------------------------------------------------
# Yearly targets: an editable grid
# ---------------------------------------------------------------------------------------------
SCOPE, METRIC, VALUE, UNIT_OF_VALUE = range(4)


class TargetModel(QAbstractTableModel):
    """A year's target slots; the value column is editable (industry output in 亿元)."""

    edited = Signal()
    HEADERS = ("范围", "指标", "目标值", "单位")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ra.TargetRow] = []
        self.saved: list[ra.TargetRow] = []
        self.scope_name: Callable[[ra.TargetRow], str] = lambda t: ""

    def load(self, rows: list[ra.TargetRow]) -> None:
        self.beginResetModel()
        self.rows, self.saved = list(rows), list(rows)
        self.endResetModel()

    def fill_from(self, other: list[ra.TargetRow]) -> None:
        """Takes another year's values as unsaved edits."""
        values = {(t.metric, t.domain_id, t.industry_id): t.value for t in other}
        self.rows = [replace(t, value=values.get((t.metric, t.domain_id, t.industry_id))) for t in self.rows]
        self.dataChanged.emit(self.index(0, VALUE), self.index(len(self.rows) - 1, VALUE))
        self.edited.emit()

    @property
    def dirty(self) -> bool:
        return self.rows != self.saved

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() == VALUE else base

    @staticmethod
    def shown(t: ra.TargetRow) -> str:
        if t.value is None:
            return ""
        if t.metric == r.INDUSTRY_OUTPUT:
            return format((t.value / money.WAN_PER_YI).normalize(), "f")
        return str(int(t.value))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        t = self.rows[index.row()]
        col = index.column()
        industry = t.metric == r.INDUSTRY_OUTPUT
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == SCOPE:
                return self.scope_name(t)
            if col == METRIC:
                return "年产值" if industry else r.METRIC_LABELS[t.metric]
            if col == VALUE:
                return self.shown(t)
            return "亿元" if industry else "个"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col == VALUE and t != self.saved[index.row()]:
            return QBrush(QColor("#fff3c4"))  # edited, not saved yet
        if role == ROW_ROLE:
            return t
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != VALUE or role != Qt.ItemDataRole.EditRole:
            return False
        t = self.rows[index.row()]
        try:
            number = money.parse(value)
        except money.MoneyError:
            return False
        if number is not None and t.metric == r.INDUSTRY_OUTPUT:
            number = number * money.WAN_PER_YI
        elif number is not None and number != number.to_integral_value():
            return False
        if number is not None and number < 0:
            return False
        self.rows[index.row()] = replace(t, value=number)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


class TargetsTab(QWidget):
    def __init__(self, page: ReferenceDataPage) -> None:
        super().__init__()
        self.page = page
        self.setObjectName("list_targets")
        self.year: int | None = None
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "目标按年度设定：全县和各领域的百亿级产业、十亿级企业、亿元级项目个数，以及各目标产业的年产值（亿元）。"
                "直接在“目标值”列输入，留空表示不设目标。某年度没有设定目标时，驾驶舱按最近一个较早年度的目标计算"
                "（都没有时按2025年规划目标）。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度：")))
        self.year_box = QComboBox()
        self.year_box.setObjectName("targetYear")
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        bar.addWidget(self.year_box)
        bar.addSpacing(24)
        bar.addWidget(QLabel(self.tr("从其他年度复制：")))
        self.copy_box = QComboBox()
        bar.addWidget(self.copy_box)
        self.copy_button = QPushButton(self.tr("复制到本年度"))
        self.copy_button.clicked.connect(self.copy_from)
        bar.addWidget(self.copy_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model = TargetModel(self)
        self.model.edited.connect(self._update_state)
        self.view = QTableView()
        self.view.setObjectName("targets")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(SCOPE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("保存目标(Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.discard_button = QPushButton(self.tr("放弃修改"))
        self.discard_button.clicked.connect(self.discard)
        self.state = QLabel()
        self.state.setObjectName("targetState")
        for w in (self.save_button, self.discard_button, self.state):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        self._update_state()

    def show_years(self, tables: ra.ReferenceTables) -> None:
        last = max([FIRST_TARGET_YEAR + 7, *tables.target_years]) + 1
        years = sorted({*range(FIRST_TARGET_YEAR, last + 1), *tables.target_years})
        current = self.year or (2025 if 2025 in years else years[0])
        for box in (self.year_box, self.copy_box):
            box.blockSignals(True)
            box.clear()
            for y in years:
                box.addItem(
                    self.tr("{y}年{mark}").format(y=y, mark="（已设定）" if y in tables.target_years else ""), y
                )
            box.blockSignals(False)
        self.copy_box.setCurrentIndex(max(0, self.copy_box.findData(2025)))
        self.year_box.blockSignals(True)
        self.year_box.setCurrentIndex(self.year_box.findData(current))
        self.year_box.blockSignals(False)
        domains = {d.id: d.name for d in tables.domains}
        industries = {i.id: i.name for i in tables.industries}

        def scope(t: ra.TargetRow) -> str:
            if t.industry_id is not None:
                return industries.get(t.industry_id, "")
            return domains.get(t.domain_id, "") if t.domain_id is not None else self.tr("全县")

        self.model.scope_name = scope
        self.load_year(current)

    def _year_chosen(self) -> None:
        year = self.year_box.currentData()
        if year is None or year == self.year:
            return
        if self.model.dirty and not self.page.confirm_discard(self):
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(self.year_box.findData(self.year))
            self.year_box.blockSignals(False)
            return
        self.load_year(year)

    def load_year(self, year: int) -> None:
        self.year = year
        db = self.page.ctx.db
        self.page.ctx.tasks.read(
            lambda _p: ra.targets_of_year(db, year), on_success=self._loaded, parent=self, latest=(id(self), "year")
        )

    def _loaded(self, rows: list[ra.TargetRow]) -> None:
        self.model.load(rows)
        self._update_state()

    def copy_from(self) -> None:
        source = self.copy_box.currentData()
        db = self.page.ctx.db
        self.page.ctx.tasks.read(
            lambda _p: ra.targets_of_year(db, source), on_success=self.model.fill_from, parent=self
        )

    def save(self) -> None:
        if self.year is None or not self.model.dirty:
            return
        year, rows = self.year, list(self.model.rows)
        db, actor = self.page.ctx.db, self.page.actor()

        def saved() -> None:
            self.model.load(rows)
            self._update_state()

        self.page.run(
            Operation(self, lambda _p: ra.save_targets(db, actor, year, rows), REFERENCE_CHANGED), on_saved=saved
        )

    def discard(self) -> None:
        self.model.load(self.model.saved)
        self._update_state()

    def _update_state(self) -> None:
        dirty = self.model.dirty
        self.save_button.setEnabled(dirty)
        self.discard_button.setEnabled(dirty)
        set_count = sum(1 for t in self.model.saved if t.value is not None)
        self.state.setText(self.tr("有未保存的修改（黄色）") if dirty else self.tr("已设定 {n} 项").format(n=set_count))


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------
class ReferenceDataPage(Page):
    reloaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tables: ra.ReferenceTables | None = None
        self.names: dict[str, dict[str, str]] = {}  # ids and codes → names, for the change log
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        title = heading(self.tr("基础数据与目标任务"))
        top.addWidget(title)
        top.addStretch(1)
        self.version = QLabel()
        self.version.setObjectName("referenceVersion")
        top.addWidget(self.version)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        self.lists: dict[str, ListTab] = {}
        for spec in (
            UNITS,
            DEPARTMENTS,
            LEADERS,
            LEAD_DEPARTMENTS,
            INDUSTRIES,
            CHAINS,
            OPTIONS,
            PARAMETERS,
            PROGRAMME,
            DEADLINES,
        ):
            tab = ListTab(self, spec)
            self.lists[spec.key] = tab
            self.tabs.addTab(tab, self.tr(spec.title))
        self.targets = TargetsTab(self)
        self.tabs.addTab(self.targets, self.tr("目标任务"))
        self.official = OfficialTotalsTab(ctx)
        self.tabs.addTab(self.official, self.tr("统计局口径"))
        self.tabs.addTab(self._colophon_tab(), self.tr("通报版记"))
        self.tabs.addTab(self._changes_tab(), self.tr("变更记录"))
        layout.addWidget(self.tabs, 1)
        self._due_day_row(self.lists["units"])
        self.reload()

    def _due_day_row(self, tab: ListTab) -> None:
        tab.extra.addWidget(QLabel(self.tr("各单位每月上报截止日：次月")))
        self.due_day = QSpinBox()
        self.due_day.setObjectName("dueDay")
        self.due_day.setRange(1, 28)
        tab.extra.addWidget(self.due_day)
        tab.extra.addWidget(QLabel(self.tr("日")))
        self.due_day_button = QPushButton(self.tr("保存截止日"))
        self.due_day_button.clicked.connect(self.save_due_day)
        tab.extra.addWidget(self.due_day_button)

    def save_due_day(self) -> None:
        db, actor, day = self.ctx.db, self.actor(), self.due_day.value()
        self.run(Operation(self, lambda _p: ra.set_due_day(db, actor, day), REFERENCE_CHANGED))

    def _colophon_tab(self) -> QWidget:
        """The 通报's 版记: 抄送 and 印发, printed at the end of every 通报 issued from now on."""
        box = QWidget()
        layout = QVBoxLayout(box)
        note = QLabel(self.tr("通报末尾的版记。修改后新生成和新发布的通报按此打印，已发布的通报不变；随基础数据下发。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        form = QFormLayout()
        self.copied_to = QLineEdit()
        self.copied_to.setObjectName("copiedTo")
        self.copied_to.setMaxLength(ra.COLOPHON_LENGTH)
        form.addRow(self.tr("抄送(&C)："), self.copied_to)
        self.printed_by = QLineEdit()
        self.printed_by.setObjectName("printedBy")
        self.printed_by.setMaxLength(ra.COLOPHON_LENGTH)
        form.addRow(self.tr("印发单位(&P)："), self.printed_by)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.colophon_button = QPushButton(self.tr("保存版记"))
        self.colophon_button.setObjectName("saveColophon")
        self.colophon_button.clicked.connect(self.save_colophon)
        buttons.addWidget(self.colophon_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return box

    def save_colophon(self) -> None:
        db, actor = self.ctx.db, self.actor()
        copied, printed = self.copied_to.text(), self.printed_by.text()
        self.run(Operation(self, lambda _p: ra.set_colophon(db, actor, copied, printed), REFERENCE_CHANGED))

    def _changes_tab(self) -> QWidget:
        def entity(c: ra.ReferenceChange) -> str:
            label = ENTITY_LABELS.get(c.entity, c.entity)
            if c.entity == "units" and self.tables:
                name = next((u.name for u in self.tables.units if str(u.id) == c.entity_id), "")
                return f"{label}（{name}）" if name else label
            return label

        columns: tuple[Column[ra.ReferenceChange], ...] = (
            Column("时间", lambda c: c.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
            Column("操作员", lambda c: c.operator),
            Column("来源", lambda c: SOURCE_LABELS.get(c.source, c.source)),
            Column("对象", entity),
            Column("编号", lambda c: "" if c.entity_id == "None" else c.entity_id),
            Column("操作", lambda c: ACTION_LABELS.get(c.action, c.action)),
            Column("字段", lambda c: FIELD_LABELS.get(c.field or "", c.field or "")),
            Column("原值", lambda c: readable(c.old_value, self.names)),
            Column("新值", lambda c: readable(c.new_value, self.names), tooltip=lambda c: c.new_value),
        )
        self.changes_model: RecordTableModel[ra.ReferenceChange] = RecordTableModel(columns, parent=self)
        view = QTableView()
        view.setObjectName("changes")
        view.setModel(self.changes_model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        note = QLabel(self.tr("基础数据的每一处修改都记录在此（最近500条，最新的在前）。"))
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        layout.addWidget(view, 1)
        return box

    # data -----------------------------------------------------------------------------------
    def concerned(self, changes: Changes) -> bool:
        return changes.reference

    def refresh(self) -> None:
        self.reload()
        self.official.reload()

    def reload(self) -> None:
        db = self.ctx.db
        self.ctx.tasks.read(
            lambda _p: (ra.tables(db), ra.reference_changes(db)),
            on_success=self._show,
            parent=self,
            latest=(id(self), "tables"),
        )

    def _show(self, result: tuple[ra.ReferenceTables, list[ra.ReferenceChange]]) -> None:
        tables, changes = result
        self.tables = tables
        self.names = {
            "domain_id": {str(d.id): d.name for d in tables.domains},
            "industry_id": {str(i.id): i.name for i in tables.industries},
            "department_id": {str(d.id): d.name for d in tables.departments},
            "kind": dict(ra.OPTION_KIND_LABELS),
        }
        self.version.setText(
            self.tr("基础数据版本：第 {v} 版（每次修改自动加1，随县级下发包发给各乡镇）").format(v=tables.version)
        )
        for tab in self.lists.values():
            tab.show_rows(tab.spec.rows(tables))
        self.due_day.setValue(tables.due_day)
        self.copied_to.setText(tables.copied_to)
        self.printed_by.setText(tables.printed_by)
        if not self.targets.model.dirty:
            self.targets.show_years(tables)
        self.changes_model.set_rows(changes)
        self.reloaded.emit()

    def actor(self) -> Actor:
        return self.ctx.info.actor("reference")

    def run(
        self,
        operation: Operation[Any],
        *,
        on_saved: Callable[[], None] | None = None,
        on_refused: Callable[[], None] | None = None,
    ) -> None:
        """Runs one change of the reference data; the page (and every page showing reference data)
        reads again when it is done. A refusal is shown, then `on_refused` (ask again)."""
        parent = operation.parent

        def refused(error: BaseException) -> None:
            show_error(parent, error)
            if on_refused is not None and isinstance(error, UserError):
                on_refused()

        operation.success(lambda _result: on_saved() if on_saved is not None else None).failure(refused).run(self.ctx)

    def confirm_discard(self, parent: QWidget) -> bool:
        answer = QMessageBox.question(
            parent, self.tr("目标任务"), self.tr("本年度目标有未保存的修改，要放弃这些修改吗？")
        )
        return answer == QMessageBox.StandardButton.Yes
