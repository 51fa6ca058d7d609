"""The 驾驶舱's 项目与招商 tab: projects as of the period by stage, domain, industry, chain or unit
(how many, 亿元级, 总投资, the year's plan against 本年累计完成投资), 招商 (signed, started, 履约率,
funds in place by 引资来源), and the 预警 list (包而不推、推而不快、快而不优: each warning's rule,
numbers and how long it has stood). Every row opens what it counts; a warning opens its project.
It shows `services.figures` as they are: nothing is computed here."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QMargins, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from hengdong_desktop.domain import money
from hengdong_desktop.domain import project_warnings as pw
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fs
from hengdong_desktop.ui.record_model import ROW_HEIGHT, ROW_ROLE, Column, RecordTableModel, record_table

WARNING_COLOURS = {pw.STALLED: "#f6c4c4", pw.SLOW: "#fbe3b8", pw.UNDERPERFORMING: "#e5d4f2"}
GROUPINGS = (
    ("stage", "按项目状态"),
    ("domain_id", "按领域"),
    ("industry_id", "按产业"),
    ("chain_id", "按产业链"),
    ("unit_id", "按单位"),
)


def _wan(value: Decimal | None) -> str:
    return "—" if value is None else money.fmt(value)


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


GROUP_COLUMNS: tuple[Column[fs.ProjectGroup], ...] = (
    Column("分组", lambda g: g.name),
    Column("项目数", lambda g: g.projects, numeric=True),
    Column("其中亿元级", lambda g: g.hundred_million, numeric=True),
    Column("总投资(万元)", lambda g: g.total_investment, _wan, numeric=True),
    Column("年度计划投资(万元)", lambda g: g.year_plan, _wan, numeric=True),
    Column("本年累计完成(万元)", lambda g: g.invest_ytd, _wan, numeric=True),
    Column(
        "完成率",
        lambda g: g.completion_percent,
        _pct,
        numeric=True,
        background=lambda g: "#f6c4c4" if g.completion_percent is not None and g.completion_percent < 50 else None,
    ),
)
SOURCE_COLUMNS: tuple[Column[fs.SourceGroup], ...] = (
    Column("引资来源", lambda g: g.source),
    Column("签约项目", lambda g: g.signed, numeric=True),
    Column("合同投资额(万元)", lambda g: g.contract, _wan, numeric=True),
    Column("已开工", lambda g: g.started, numeric=True),
    Column("到位资金(万元)", lambda g: g.funds, _wan, numeric=True),
    Column("到位率", lambda g: g.funds_percent, _pct, numeric=True),
)


def warning_columns(unit_name: Callable[[int], str]) -> tuple[Column[pw.ProjectWarning], ...]:
    return (
        Column("预警", lambda w: w.rule, background=lambda w: WARNING_COLOURS.get(w.rule)),
        Column("已持续(月)", lambda w: w.months, numeric=True),
        Column("起始期", lambda w: w.since),
        Column("单位", lambda w: unit_name(w.unit_id)),
        Column("项目", lambda w: w.name),
        Column("数据与阈值", lambda w: w.message, tooltip=lambda w: w.describe()),
    )


class ProjectsTab(QWidget):
    """项目与招商. `drill(key, title)` lists what a row counts; `open_project(id)` opens one."""

    drill = Signal(object, str)  # a figures.DrillKey and the title of its list
    open_project = Signal(str)

    def __init__(self, unit_name: Callable[[int], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: fs.Figures | None = None
        self.unit_name = unit_name
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("projectSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt;")
        layout.addWidget(self.summary)
        self.inner = QTabWidget()
        self.inner.setObjectName("projectTabs")
        self.inner.addTab(self._progress_part(), self.tr("项目推进"))
        self.inner.addTab(self._promotion_part(), self.tr("招商引资"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.inner)
        splitter.addWidget(self._warnings_part())
        splitter.setSizes([300, 260])
        layout.addWidget(splitter, 1)

    def _progress_part(self) -> QWidget:
        box = QWidget()
        columns = QHBoxLayout(box)
        left = QVBoxLayout()
        row = QHBoxLayout()
        self.grouping = QComboBox()
        self.grouping.setObjectName("projectGrouping")
        for key, label in GROUPINGS:
            self.grouping.addItem(self.tr(label), key)
        self.grouping.currentIndexChanged.connect(lambda _i: self._show_groups())
        row.addWidget(self.grouping)
        hint = QLabel(self.tr("双击一行，列出其中的项目"))
        hint.setStyleSheet("color: #555;")
        row.addWidget(hint)
        row.addStretch(1)
        left.addLayout(row)
        self.group_model: RecordTableModel[fs.ProjectGroup] = RecordTableModel(GROUP_COLUMNS, parent=self)
        self.group_view = record_table(self.group_model, stretch=0, row_height=ROW_HEIGHT)
        self.group_view.setObjectName("projectGroups")
        self.group_view.activated.connect(self._group_activated)
        self.group_view.doubleClicked.connect(self._group_activated)
        left.addWidget(self.group_view, 1)
        columns.addLayout(left, 3)
        self.chart = QChartView()
        self.chart.setObjectName("investmentChart")
        self.chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        columns.addWidget(self.chart, 2)
        return box

    def _promotion_part(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        self.promotion = QLabel()
        self.promotion.setObjectName("promotionSummary")
        self.promotion.setWordWrap(True)
        column.addWidget(self.promotion)
        self.source_model: RecordTableModel[fs.SourceGroup] = RecordTableModel(SOURCE_COLUMNS, parent=self)
        self.source_view = record_table(self.source_model, stretch=0, row_height=ROW_HEIGHT)
        self.source_view.setObjectName("sources")
        self.source_view.activated.connect(self._source_activated)
        self.source_view.doubleClicked.connect(self._source_activated)
        column.addWidget(self.source_view, 1)
        hint = QLabel(self.tr("双击一行，列出该引资来源的签约项目。履约率、到位率的口径见汇总表“招商引资”表。"))
        hint.setStyleSheet("color: #555;")
        column.addWidget(hint)
        return box

    def _warnings_part(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.warning_title = QLabel()
        self.warning_title.setObjectName("warningTitle")
        self.warning_title.setStyleSheet("font-weight: bold;")
        head.addWidget(self.warning_title)
        head.addStretch(1)
        head.addWidget(QLabel(self.tr("预警类型：")))
        self.rule = QComboBox()
        self.rule.setObjectName("warningRule")
        self.rule.addItem(self.tr("全部"), None)
        for rule in pw.RULES:
            self.rule.addItem(rule, rule)
        self.rule.currentIndexChanged.connect(lambda _i: self._show_warnings())
        head.addWidget(self.rule)
        layout.addLayout(head)
        self.warning_model: RecordTableModel[pw.ProjectWarning] = RecordTableModel(
            warning_columns(self.unit_name), parent=self, text_tooltips=True
        )
        self.warning_view = record_table(self.warning_model, sortable=True, row_height=ROW_HEIGHT)
        self.warning_view.setObjectName("warnings")
        self.warning_view.activated.connect(self._warning_activated)
        self.warning_view.doubleClicked.connect(self._warning_activated)
        layout.addWidget(self.warning_view, 1)
        note = QLabel(
            self.tr(
                "包而不推：开工、在建项目连续多月无投资、无状态进展；推而不快：本年完成投资低于年度计划按月均摊的一定比例，"
                "或计划开工后仍未开工；快而不优：投产后产值或税收低于达产预期。阈值由县级在基础数据“项目预警参数”中设定。"
                "双击预警打开该项目。"
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        return box

    def show_figures(self, f: fs.Figures) -> None:
        self.figures = f
        p, i = f.projects, f.investment
        assert p is not None and i is not None
        total = p.total
        self.summary.setText(
            self.tr(
                "截至{period}：项目 {n} 个（亿元级 {big} 个），总投资 {t} 万元；本期新开工 {new} 个；本年计划投资 {plan} 万元，"
                "本年累计完成 {ytd} 万元，完成率 {rate}。"
            ).format(
                period=f.period,
                n=total.projects,
                big=total.hundred_million,
                t=_wan(total.total_investment),
                new=p.started_this_period,
                plan=_wan(total.year_plan),
                ytd=_wan(total.invest_ytd),
                rate=_pct(total.completion_percent),
            )
        )
        self.promotion.setText(
            self.tr(
                "<b>招商引资</b>：本年签约 {sy} 个（{cy} 万元）；累计签约 {s} 个（{c} 万元），已开工 {st} 个；"
                "履约率 {f}（签约后{n}个月内开工 {k}/{d}）；到位资金 {fu} 万元，到位率 {fp}；先建后验 {b} 个。"
            ).format(
                sy=i.signed_this_year,
                cy=_wan(i.contract_this_year),
                s=i.signed,
                c=_wan(i.contract),
                st=i.started,
                f=_pct(i.fulfil_percent),
                n=i.fulfil_months,
                k=i.kept,
                d=i.due,
                fu=_wan(i.funds),
                fp=_pct(i.funds_percent),
                b=i.build_first,
            )
        )
        self.source_model.set_rows(i.by_source)
        self._show_groups()
        self._show_warnings()

    def _groups(self) -> list[fs.ProjectGroup]:
        p = self.figures.projects if self.figures else None
        if p is None:
            return []
        key = self.grouping.currentData()
        groups = {
            "stage": p.by_stage,
            "domain_id": p.by_domain,
            "industry_id": p.by_industry,
            "chain_id": p.by_chain,
            "unit_id": p.by_unit,
        }[key]
        return [g for g in groups if g.projects or key in ("domain_id", "chain_id")]

    def _show_groups(self) -> None:
        groups = self._groups()
        self.group_model.set_rows(groups)
        chart = QChart()
        chart.setTitle(self.tr("年度计划投资（灰）与本年累计完成（绿），万元"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setVisible(False)
        shown = list(reversed([g for g in groups if g.year_plan or g.invest_ytd]))
        plan, done = QBarSet(self.tr("年度计划投资")), QBarSet(self.tr("本年累计完成"))
        plan.setColor(QColor("#c7c7c7"))
        done.setColor(QColor("#2ca02c"))
        for g in shown:
            plan.append(float(g.year_plan))
            done.append(float(g.invest_ytd))
        series = QHorizontalBarSeries()
        series.append(plan)
        series.append(done)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([g.name for g in shown])
        small = QFont(names.labelsFont())
        small.setPointSize(8)
        names.setLabelsFont(small)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        values = QValueAxis()
        values.setLabelFormat("%.0f")
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        top = max((max(g.year_plan, g.invest_ytd) for g in shown), default=Decimal(0))
        values.setRange(0, float(top) or 1.0)  # after attaching, which rescales; no projects: an empty axis
        if top:
            values.applyNiceNumbers()
        chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setChart(chart)

    def _show_warnings(self) -> None:
        p = self.figures.projects if self.figures else None
        if p is None:
            return
        rule = self.rule.currentData()
        self.warning_model.set_rows([w for w in p.warnings if rule is None or w.rule == rule])
        counts = "，".join(f"{name} {n} 个" for name, n in p.warning_counts().items())
        self.warning_title.setText(
            self.tr("预警（{p}）：{counts}").format(
                p=p.warnings[0].period if p.warnings else self.figures.period if self.figures else "", counts=counts
            )
        )

    # drill-down -----------------------------------------------------------------------------
    def _group_activated(self, index: QModelIndex) -> None:
        group = index.data(ROW_ROLE)
        if group is None:
            return
        key = self.grouping.currentData()
        self.drill.emit(
            fs.DrillKey(fs.PROJECTS, group=key, value=group.key),
            self.tr("{label}：{name}").format(label=self.grouping.currentText(), name=group.name),
        )

    def _source_activated(self, index: QModelIndex) -> None:
        group = index.data(ROW_ROLE)
        if group is not None:
            self.drill.emit(
                fs.DrillKey(fs.SIGNED_PROJECTS, value=group.source),
                self.tr("签约项目：{source}").format(source=group.source),
            )

    def _warning_activated(self, index: QModelIndex) -> None:
        warning = index.data(ROW_ROLE)
        if warning is not None:
            self.open_project.emit(warning.project_id)


def project_lines_drill(
    title: str, rows: list[fs.ProjectLine], ref: r.Reference
) -> tuple[str, tuple[str, ...], list[tuple[object, ...]], list[tuple[str, ...]]]:
    """A list of projects for the DrillDownDialog: its summary, headers, values and texts."""
    total = sum((x.total_investment for x in rows), Decimal(0))
    headers = (
        "项目名称",
        "单位",
        "领域",
        "产业",
        "产业链",
        "项目状态",
        "总投资(万元)",
        "年度计划(万元)",
        "本年完成(万元)",
        "签约日期",
        "引资来源",
        "到位资金(万元)",
    )
    values: list[tuple[object, ...]] = [
        (
            x.name,
            ref.unit(x.unit_id).name,
            ref.name_of("domain", x.domain_id),
            ref.name_of("industry", x.industry_id) or "其他",
            ref.name_of("chain", x.chain_id),
            x.status,
            x.total_investment,
            x.year_plan,
            x.invest_ytd,
            x.signed_on.isoformat() if x.signed_on else "",
            x.investment_source or "",
            x.funds,
        )
        for x in rows
    ]
    texts = [
        (
            x.name,
            *(str(v) for v in row[1:6]),
            _wan(x.total_investment),
            _wan(x.year_plan),
            _wan(x.invest_ytd),
            str(row[9]),
            str(row[10]),
            _wan(x.funds),
        )
        for x, row in zip(rows, values, strict=True)
    ]
    summary = f"共 {len(rows)} 个，总投资合计 {_wan(total)} 万元。"
    return summary, headers, values, texts
