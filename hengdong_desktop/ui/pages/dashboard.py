"""驾驶舱 (county): where the programme stands for a period — the headline 5/18/34 and each
domain against its targets, the target industries (table, chart, monthly trend), projects and 招商
with their warnings (ui/pages/projects_tab.py), who has reported, and the problems open longest. Every number opens the records behind it. All figures
come from `services.figures`, computed off the UI thread; the 口径 line says what they count,
and the 含待审核 switch (clearly marked while on) adds the data the county has not accepted yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import money, periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.services.reporting import NOT_REQUIRED
from hengdong_desktop.ui.changes import RECORD_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.drilldown import DrillDown, DrillDownDialog
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.pages.projects_tab import ProjectsTab, project_lines_drill
from hengdong_desktop.ui.record_model import ROW_HEIGHT, ROW_ROLE, Column, RecordTableModel, record_table
from hengdong_desktop.ui.widgets import heading

PERIOD_CHOICES = 36  # months offered in the period selector
COUNT_UNITS = {r.HUNDRED_BILLION_INDUSTRIES: "个", r.BILLION_ENTERPRISES: "家", r.HUNDRED_MILLION_PROJECTS: "个"}
STATUS_COLOURS = {
    fs.NOT_FILLED: "#eeeeee",
    fs.FILLED: "#fff3c4",
    fs.SUBMITTED: "#d3e6f8",
    fs.ACCEPTED: "#cfeccf",
    fs.RETURNED: "#fde0c2",
    NOT_REQUIRED: "#fafafa",
}
PENDING_STYLE = "color: #7a4b00; background: #ffe8b0; border: 1px solid #e0a000; padding: 4px; font-weight: bold;"
STATUS_SHORT = {fs.FILLED: "已填未报"}  # fits a cell; the legend and tooltip say it in full
OVERDUE_COLOUR = "#f3a6a6"
ALL_INDUSTRIES = 0  # trend selector: the sum of the target industries


def yi(value: Decimal | None, beside: Decimal | None = None) -> str:
    """万元 → '12.34' 亿元; beside a threshold (万元), with the decimals that keep the comparison true."""
    if value is None:
        return ""
    if beside is not None:
        return money.fmt_beside(value / money.WAN_PER_YI, beside / money.WAN_PER_YI)
    return money.fmt(value / money.WAN_PER_YI)


def wan(value: Decimal | None) -> str:
    """万元 with separators; '—' when not reported."""
    return "—" if value is None else money.fmt(value)


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def count_against(p: fs.Progress) -> str:
    target = "—" if p.target is None else str(p.target)
    return f"{p.achieved} / {target}"


# ---------------------------------------------------------------------------------------------
# Rows of the tables
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DomainLine:
    domain_id: int | None  # None: the whole county
    name: str
    leads: str
    progress: dict[str, fs.Progress]


def _progress_column(header: str, metric: str, basis: str | None = None) -> Column[DomainLine]:
    """A count against its target (headline basis), or (`basis`) the count on another basis."""

    def value(line: DomainLine) -> int | None:
        p = line.progress[metric]
        return {None: p.achieved, fs.YEAR_TO_DATE: p.year_to_date, fs.PROJECTED: p.projected}[basis]

    def text(line: DomainLine) -> str:
        p = line.progress[metric]
        if basis is not None:
            shown = value(line)
            return "" if shown is None else f"{shown}"
        return f"{count_against(p)}（{pct(p.percent)}）" if p.target else count_against(p)

    def colour(line: DomainLine) -> str | None:
        p = line.progress[metric]
        return "#cfeccf" if basis is None and p.target and p.met else None

    return Column(header, value, text=text, numeric=True, background=colour)


(
    DOMAIN_NAME,
    DOMAIN_LEADS,
    DOMAIN_INDUSTRIES,
    DOMAIN_ENTERPRISES,
    DOMAIN_ENTERPRISES_YTD,
    DOMAIN_ENTERPRISES_PROJECTED,
    DOMAIN_PROJECTS,
) = range(7)
DOMAIN_COLUMNS: tuple[Column[DomainLine], ...] = (
    Column("领域（口径）", lambda d: d.name),
    Column("牵头部门", lambda d: d.leads),
    _progress_column("百亿级产业（达成/目标）", r.HUNDRED_BILLION_INDUSTRIES),
    _progress_column("十亿级企业（达成/目标）", r.BILLION_ENTERPRISES),
    _progress_column("十亿级：1-本月累计", r.BILLION_ENTERPRISES, fs.YEAR_TO_DATE),
    _progress_column("十亿级：预计全年", r.BILLION_ENTERPRISES, fs.PROJECTED),
    _progress_column("亿元级项目（实施/目标）", r.HUNDRED_MILLION_PROJECTS),
)
DOMAIN_DRILL: dict[int, tuple[str, str | None]] = {
    DOMAIN_INDUSTRIES: (r.HUNDRED_BILLION_INDUSTRIES, None),
    DOMAIN_ENTERPRISES: (r.BILLION_ENTERPRISES, None),
    DOMAIN_ENTERPRISES_YTD: (r.BILLION_ENTERPRISES, fs.YEAR_TO_DATE),
    DOMAIN_ENTERPRISES_PROJECTED: (r.BILLION_ENTERPRISES, fs.PROJECTED),
    DOMAIN_PROJECTS: (r.HUNDRED_MILLION_PROJECTS, None),
}
HUNDRED_YI = Decimal(1_000_000)  # 100亿元 in 万元: industry figures are shown with the digits that compare with it


def _industry_columns(domain_name: Callable[[int], str]) -> tuple[Column[fs.IndustryFigures], ...]:
    def big(value: Decimal | None) -> str:
        return "—" if value is None else yi(value, HUNDRED_YI)

    return (
        Column("目标产业", lambda i: i.name),
        Column("领域（口径）", lambda i: f"{domain_name(i.domain_id)}（{i.measure_label}）"),
        Column("企业(户)", lambda i: i.enterprises, numeric=True),
        Column("1-本月累计(亿元)", lambda i: i.output_to_date, big, numeric=True),
        Column("统计局口径(亿元)", lambda i: i.official_to_date, big, numeric=True),
        Column("覆盖率", lambda i: i.coverage_percent, pct, numeric=True),
        Column("同比", lambda i: i.growth_percent, pct, numeric=True),
        Column("上年全年(亿元)", lambda i: i.last_year, big, numeric=True),
        Column("预计全年(亿元)", lambda i: i.projected, big, numeric=True),
        Column("年度目标(亿元)", lambda i: i.target, lambda v: "—" if v is None else yi(v), numeric=True),
        Column("完成率", lambda i: i.completion_percent, pct, numeric=True),
    )


CATEGORY_COLUMNS: tuple[Column[tuple[str, int]], ...] = (
    Column("问题类别", lambda x: x[0]),
    Column("未解决(条)", lambda x: x[1], numeric=True),
)
DEPARTMENT_COLUMNS: tuple[Column[tuple[str, int]], ...] = (
    Column("责任单位", lambda x: x[0]),
    Column("未解决(条)", lambda x: x[1], numeric=True),
)


def _problem_columns(unit_name: Callable[[int], str]) -> tuple[Column[fs.ProblemAge], ...]:
    return (
        Column(
            "已持续(天)",
            lambda p: p.days_open,
            numeric=True,
            background=lambda p: OVERDUE_COLOUR if p.days_open > 90 else None,
        ),
        Column("提出日期", lambda p: p.raised_on.isoformat()),
        Column("单位", lambda p: unit_name(p.unit_id)),
        Column("企业/项目", lambda p: p.subject),
        Column("类别", lambda p: p.category),
        Column("责任单位", lambda p: p.department or fs.UNASSIGNED_DEPARTMENT),
        Column("办理状态", lambda p: p.status),
        Column("问题描述", lambda p: p.description, tooltip=lambda p: p.description),
    )


# ---------------------------------------------------------------------------------------------
# Headline tile
# ---------------------------------------------------------------------------------------------
class Tile(QFrame):
    """One headline metric: achieved / target, percent, last year's count. Click or Enter opens
    the list behind it."""

    clicked = Signal()

    def __init__(self, metric: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metric_key = metric
        self.setObjectName(f"tile_{metric}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            f"QFrame#tile_{metric} {{ background: #f7f9fc; border: 1px solid #c9d3e0; "
            f"border-radius: 6px; }} QFrame#tile_{metric}:focus {{ border: 2px solid #1f4e79; }}"
        )
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 6, 14, 6)
        box.setSpacing(2)
        self.caption = QLabel(r.METRIC_LABELS[metric])
        self.caption.setStyleSheet("font-size: 12pt; color: #333;")
        self.value = QLabel("—")
        self.value.setObjectName(f"value_{metric}")
        self.value.setStyleSheet("font-size: 22pt; font-weight: bold; color: #1f4e79;")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.bar.setFormat("%p%")
        self.note = QLabel()
        self.note.setStyleSheet("color: #555;")
        for widget in (self.caption, self.value, self.bar, self.note):
            box.addWidget(widget)

    def show_progress(self, p: fs.Progress) -> None:
        unit = COUNT_UNITS[self.metric_key]
        self.value.setText(f"{p.achieved} / {p.target if p.target is not None else '—'} {unit}")
        percent = float(p.percent) if p.percent is not None else 0.0
        self.bar.setValue(min(100, round(percent)))
        self.bar.setFormat(f"{pct(p.percent)}")
        if p.year_to_date is not None:
            bases = self.tr("1-本月累计 {a}　预计全年 {b}　").format(a=p.year_to_date, b=p.projected)
        elif p.new_this_period is not None:
            bases = self.tr("本月新开工 {n} {unit}　").format(n=p.new_this_period, unit=unit)
        else:
            bases = ""
        self.note.setText(bases + self.tr("点击查看明细"))
        self.setToolTip(self.tr("点击或按回车键，列出计入的{label}").format(label=p.label))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------
class DashboardPage(Page):
    refreshed = Signal()  # after new figures are shown
    drilled = Signal(object)  # a list of records was opened (the DrillDownDialog)
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ref = load_reference(ctx.db)
        self.data: fs.Dashboard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(self._top_bar())
        tiles = QHBoxLayout()
        self.tiles = {metric: Tile(metric) for metric in r.COUNT_METRICS}
        for metric, tile in self.tiles.items():
            tile.clicked.connect(lambda m=metric: self.drill_progress(m, None, None))
            tiles.addWidget(tile)
        layout.addLayout(tiles)
        self.pending_banner = QLabel(self.tr("含待审核：已上报未审核和县级录入的数据也计入，不是可以发布的正式口径。"))
        self.pending_banner.setObjectName("pendingBanner")
        self.pending_banner.setStyleSheet(PENDING_STYLE)
        self.pending_banner.setVisible(False)
        layout.addWidget(self.pending_banner)
        self.definitions = QLabel()
        self.definitions.setObjectName("definitions")
        self.definitions.setWordWrap(True)
        self.definitions.setStyleSheet("color: #444; background: #f3f5f8; padding: 6px;")
        layout.addWidget(self.definitions)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._domains_tab(), self.tr("分领域"))
        self.tabs.addTab(self._industries_tab(), self.tr("目标产业"))
        self.tabs.addTab(self._trend_tab(), self.tr("月度趋势"))
        self.projects_tab = ProjectsTab(lambda u: self.ref.unit(u).name)
        self.projects_tab.drill.connect(self.drill_projects)
        self.projects_tab.open_project.connect(self.open_project)
        self.tabs.addTab(self.projects_tab, self.tr("项目与招商"))
        self.tabs.addTab(self._reporting_tab(), self.tr("上报情况"))
        self.tabs.addTab(self._problems_tab(), self.tr("问题清单"))
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        self.refresh()

    # layout ---------------------------------------------------------------------------------
    def _top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        title = heading(self.tr("产业发展“百十亿”工程 驾驶舱"))
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("期别：")))
        self.period_box = QComboBox()
        self.period_box.setObjectName("period")
        self.period_box.setMinimumWidth(120)
        self._fill_periods()
        self.period_box.currentIndexChanged.connect(lambda _i: self.ctx.set_period(self.period_box.currentData()))
        bar.addWidget(self.period_box)
        self.include_pending = QCheckBox(self.tr("含待审核"))
        self.include_pending.setObjectName("includePending")
        self.include_pending.setToolTip(self.tr("也计入已上报未审核和县级录入的数据（正式通报只计已接收的数据）"))
        self.include_pending.toggled.connect(lambda _on: self.refresh())
        bar.addWidget(self.include_pending)
        self.refresh_button = QPushButton(self.tr("刷新(F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.state = QLabel()
        self.state.setObjectName("state")
        self.state.setMinimumWidth(180)
        bar.addWidget(self.state)
        return bar

    def _fill_periods(self) -> None:
        choices = periods.span(periods.last_completed(), PERIOD_CHOICES)[::-1]
        if self.ctx.period not in choices:
            choices = sorted({*choices, self.ctx.period}, reverse=True)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for p in choices:
            year, month = periods.parse(p)
            self.period_box.addItem(self.tr("{y}年{m}月").format(y=year, m=month), p)
        self.period_box.setCurrentIndex(choices.index(self.ctx.period))
        self.period_box.blockSignals(False)

    def _domains_tab(self) -> QWidget:
        self.domain_model: RecordTableModel[DomainLine] = RecordTableModel(DOMAIN_COLUMNS, parent=self)
        self.domain_view = record_table(self.domain_model, stretch=DOMAIN_LEADS, row_height=ROW_HEIGHT)
        self.domain_view.setObjectName("domains")
        self.domain_view.activated.connect(self._domain_activated)
        self.domain_view.setFixedHeight(26 * 6 + 4)
        self.domain_chart = QChartView()
        self.domain_chart.setObjectName("domainChart")
        self.domain_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QWidget()
        layout = QVBoxLayout(box)
        hint = QLabel(self.tr("双击（或选中后按回车）任一数字，列出计入的产业、企业或项目。达到目标的格子显示为绿色。"))
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        layout.addWidget(self.domain_view)
        layout.addWidget(self.domain_chart, 1)
        return box

    def _industries_tab(self) -> QWidget:
        self.industry_model: RecordTableModel[fs.IndustryFigures] = RecordTableModel(
            _industry_columns(lambda d: self.ref.domain(d).name), parent=self
        )
        self.industry_view = record_table(self.industry_model, stretch=0, sortable=True, row_height=ROW_HEIGHT)
        self.industry_view.setObjectName("industries")
        self.industry_view.activated.connect(self._industry_activated)
        self.industry_chart = QChartView()
        self.industry_chart.setObjectName("industryChart")
        self.industry_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.industry_view)
        splitter.addWidget(self.industry_chart)
        splitter.setCollapsible(1, False)
        splitter.setStretchFactor(1, 1)  # the table scrolls; the chart keeps a line per industry
        splitter.setSizes([ROW_HEIGHT * 5, 400])
        return splitter

    def _trend_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("产业：")))
        self.trend_industry = QComboBox()
        self.trend_industry.setObjectName("trendIndustry")
        self.trend_industry.currentIndexChanged.connect(lambda _i: self._show_trend())
        row.addWidget(self.trend_industry)
        note = QLabel(self.tr("登记企业1-各月累计（亿元，按领域口径）：本年与上年逐月对比；虚线为年度目标。"))
        note.setStyleSheet("color: #555;")
        row.addWidget(note)
        row.addStretch(1)
        layout.addLayout(row)
        self.trend_chart = QChartView()
        self.trend_chart.setObjectName("trendChart")
        self.trend_chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        layout.addWidget(self.trend_chart, 1)
        return box

    def _reporting_tab(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.reporting_summary = QLabel()
        self.reporting_summary.setObjectName("reportingSummary")
        self.reporting_summary.setWordWrap(True)
        layout.addWidget(self.reporting_summary)
        legend = QHBoxLayout()
        for status, colour in (*STATUS_COLOURS.items(), (self.tr("逾期"), OVERDUE_COLOUR)):
            chip = QLabel(f" {status} ")
            chip.setStyleSheet(f"background: {colour}; border: 1px solid #bbb; padding: 2px 6px;")
            legend.addWidget(chip)
        legend.addStretch(1)
        self.queues = QLabel()
        self.queues.setObjectName("queues")
        legend.addWidget(self.queues)
        layout.addLayout(legend)
        self.matrix_model: RecordTableModel[tuple[int, str]] = RecordTableModel([], parent=self)
        self.matrix_view = record_table(self.matrix_model, row_height=ROW_HEIGHT)
        self.matrix_view.setObjectName("matrix")
        self.matrix_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.matrix_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.matrix_view, 1)
        return box

    def _problems_tab(self) -> QWidget:
        self.problem_title = QLabel()
        self.problem_title.setObjectName("problemTitle")
        self.problem_title.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.category_model: RecordTableModel[tuple[str, int]] = RecordTableModel(CATEGORY_COLUMNS, parent=self)
        self.department_model: RecordTableModel[tuple[str, int]] = RecordTableModel(DEPARTMENT_COLUMNS, parent=self)
        self.oldest_model: RecordTableModel[fs.ProblemAge] = RecordTableModel(
            _problem_columns(lambda u: self.ref.unit(u).name), parent=self
        )
        self.category_view = record_table(self.category_model, sortable=True, row_height=ROW_HEIGHT)
        self.category_view.setObjectName("byCategory")
        self.department_view = record_table(self.department_model, sortable=True, row_height=ROW_HEIGHT)
        self.department_view.setObjectName("byDepartment")
        self.oldest_view = record_table(self.oldest_model, row_height=ROW_HEIGHT)
        self.category_view.setMaximumWidth(300)
        self.department_view.setMaximumWidth(300)
        self.oldest_view.setObjectName("oldest")
        for view, key in ((self.category_view, "category"), (self.department_view, "department")):
            view.activated.connect(lambda index, k=key: self._problem_group_activated(index, k))
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.problem_title)
        grid = QGridLayout()
        grid.addWidget(self.category_view, 0, 0)
        grid.addWidget(self.department_view, 1, 0)
        grid.addWidget(self.oldest_view, 0, 1, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 3)
        layout.addLayout(grid, 1)
        hint = QLabel(
            self.tr(
                "办理最久的问题排在最前，超过90天的标红（“包而不推、推而不快”）。双击类别或责任单位，列出其全部未解决问题。"
            )
        )
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        return box

    # refreshing -----------------------------------------------------------------------------
    def follow_period(self, period: str) -> None:
        index = self.period_box.findData(period)
        if index < 0:
            self._fill_periods()
        elif index != self.period_box.currentIndex():
            self.period_box.blockSignals(True)
            self.period_box.setCurrentIndex(index)
            self.period_box.blockSignals(False)

    def concerned(self, changes: Changes) -> bool:
        """Every figure may move with any record, the reference data or a package."""
        return changes.reference or changes.packages or changes.touches(*RECORD_KINDS)

    def refresh(self) -> None:
        """Recomputes every figure for the selected period in the background (a refresh started
        later, for another period or after another change, supersedes this one)."""
        period = self.ctx.period
        self.state.setText(self.tr("正在计算 {p} …").format(p=period))
        db = self.ctx.db
        pending = self.include_pending.isChecked()

        def work(_progress: object) -> tuple[fs.Dashboard, r.Reference]:
            return fs.dashboard(db, period, include_pending=pending), load_reference(db)

        def done(result: tuple[fs.Dashboard, r.Reference]) -> None:
            self.ref = result[1]
            self.show_dashboard(result[0])

        def failed(error: BaseException) -> None:
            self.state.setText(self.tr("计算失败"))
            show_error(self, error)

        self.ctx.tasks.read(work, on_success=done, on_failure=failed, parent=self, latest=(id(self), "figures"))

    def show_dashboard(self, data: fs.Dashboard) -> None:
        self.data = data
        f = data.figures
        for metric, tile in self.tiles.items():
            tile.show_progress(f.headline[metric])
        self.definitions.setText(self._definitions_text(f))
        self.pending_banner.setVisible(f.basis is not None and f.basis.include_pending)
        lines = [
            DomainLine(d.domain_id, f"{d.name}（{d.measure_label}）", "、".join(d.lead_departments), d.progress)
            for d in f.domains
        ]
        lines.append(DomainLine(None, self.tr("全县合计"), self.tr("县发改局统筹项目"), f.headline))
        self.domain_model.set_rows(lines)
        self._show_domain_chart(lines)
        self.industry_model.set_rows(f.industries)
        self._fill_trend_industries(f.industries)
        self._show_industry_chart(f)
        self._show_trend()
        self.projects_tab.show_figures(f)
        self._show_reporting(data.reporting)
        self._show_problems(f.problems)
        year, month = periods.parse(f.period)
        self.state.setText(self.tr("已更新：{y}年{m}月").format(y=year, m=month))
        self.refreshed.emit()

    def _definitions_text(self, f: fs.Figures) -> str:
        th = f.thresholds
        basis = f.basis
        assert basis is not None
        return (
            basis.sentence()
            + basis.left_out_text()
            + self.tr(
                "百亿级产业＝目标产业全年规模≥{a}亿元；十亿级企业＝企业全年规模≥{b}亿元；亿元级项目（实施）"
                "＝总投资≥{c}亿元且截至本期状态为{s}。某月未报的沿用最近一次累计数；调出的企业和项目不计。"
            ).format(
                a=yi(th["hundred_billion_industry"]).removesuffix(".00"),
                b=yi(th["billion_enterprise"]).removesuffix(".00"),
                c=yi(th["hundred_million_project"]).removesuffix(".00"),
                s="、".join(f.implemented_statuses),
            )
        )

    def _show_domain_chart(self, lines: list[DomainLine]) -> None:
        chart = QChart()
        chart.setTitle(self.tr("各领域目标完成率（%，达成数 ÷ 目标数）"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        series = QBarSeries()
        colours = {
            r.HUNDRED_BILLION_INDUSTRIES: "#8c564b",
            r.BILLION_ENTERPRISES: "#1f77b4",
            r.HUNDRED_MILLION_PROJECTS: "#2ca02c",
        }
        top = 100.0
        for metric in r.COUNT_METRICS:
            bars = QBarSet(r.METRIC_LABELS[metric])
            bars.setColor(QColor(colours[metric]))
            for line in lines:
                percent = line.progress[metric].percent
                bars.append(float(percent) if percent is not None else 0.0)
                top = max(top, float(percent or 0))
            series.append(bars)
        chart.addSeries(series)
        goal = QLineSeries()
        goal.setName(self.tr("目标（100%）"))
        pen = QPen(QColor("#d62728"))
        pen.setWidth(2)
        pen.setStyle(Qt.PenStyle.DashLine)
        goal.setPen(pen)
        goal.append(-0.5, 100)
        goal.append(len(lines) - 0.5, 100)
        chart.addSeries(goal)
        names = QBarCategoryAxis()
        names.append([line.name for line in lines])
        chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
        values = QValueAxis()
        values.setRange(0, top)
        values.applyNiceNumbers()
        values.setLabelFormat("%.0f%%")
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        for s in (series, goal):
            s.attachAxis(names)
            s.attachAxis(values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.setMargins(QMargins(4, 4, 4, 4))
        self.domain_chart.setChart(chart)

    def _show_industry_chart(self, f: fs.Figures) -> None:
        chart = QChart()  # no title: the legend says what the bars are, the room goes to the names
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        industries = list(reversed(f.industries))  # horizontal bars list bottom-up
        # each industry's name needs a line of its own, else the axis shows “…”
        line = self.industry_chart.fontMetrics().height() + 6
        self.industry_chart.setMinimumHeight(len(industries) * line + 90)
        output = QBarSet(self.tr("1-本月累计（亿元）"))
        output.setColor(QColor("#1f77b4"))
        target = QBarSet(self.tr("年度目标（亿元）"))
        target.setColor(QColor("#c7c7c7"))
        for i in industries:
            output.append(float(i.to_date / money.WAN_PER_YI))
            target.append(float((i.target or 0) / money.WAN_PER_YI))
        series = QHorizontalBarSeries()
        series.append(target)
        series.append(output)
        series.clicked.connect(lambda index, _set: self.drill_industry(industries[index]))
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([i.name for i in industries])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        values = QValueAxis()
        values.setLabelFormat("%.0f")
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        values.setMin(0)
        values.applyNiceNumbers()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        chart.setMargins(QMargins(4, 4, 4, 4))
        self.industry_chart.setChart(chart)

    def _fill_trend_industries(self, industries: list[fs.IndustryFigures]) -> None:
        """The trend's industry choices follow the reference data; the choice is kept."""
        chosen = self.trend_industry.currentData()
        self.trend_industry.blockSignals(True)
        self.trend_industry.clear()
        self.trend_industry.addItem(self.tr("全部目标产业合计"), ALL_INDUSTRIES)
        for i in industries:
            self.trend_industry.addItem(i.name, i.industry_id)
        self.trend_industry.setCurrentIndex(max(0, self.trend_industry.findData(chosen)))
        self.trend_industry.blockSignals(False)

    def _show_trend(self) -> None:
        if self.data is None:
            return
        trend = self.data.trend
        chosen = self.trend_industry.currentData()
        ids = [i.industry_id for i in self.data.figures.industries] if chosen == ALL_INDUSTRIES else [chosen]
        line = fs.combined_trend(trend, self.data.figures.industries, ids)
        year = periods.parse(trend.period)[0]
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setTitle(self.tr("{name} 1-各月累计（亿元）").format(name=self.trend_industry.currentText()))
        months = QBarCategoryAxis()
        months.append([self.tr("{m}月").format(m=k) for k in range(1, 13)])
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        values = QValueAxis()
        values.setLabelFormat("%.1f")
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        lines: list[tuple[str, list[Decimal | None], QColor, Qt.PenStyle]] = [
            (self.tr("{y}年").format(y=year - 1), line.last_year, QColor("#9e9e9e"), Qt.PenStyle.SolidLine),
            (self.tr("{y}年").format(y=year), line.this_year, QColor("#1f4e79"), Qt.PenStyle.SolidLine),
        ]
        if line.target is not None:
            lines.append((self.tr("年度目标"), [line.target] * 12, QColor("#d62728"), Qt.PenStyle.DashLine))
        top = Decimal(0)
        for name, points, colour, style in lines:
            series = QLineSeries()
            series.setName(name)
            pen = QPen(colour)
            pen.setWidth(3 if style == Qt.PenStyle.SolidLine else 2)
            pen.setStyle(style)
            series.setPen(pen)
            series.setPointsVisible(style == Qt.PenStyle.SolidLine)
            for k, value in enumerate(points):
                if value is not None:  # a month nobody had reported yet stays a gap
                    series.append(k, float(value / money.WAN_PER_YI))
                    top = max(top, value)
            chart.addSeries(series)
            series.attachAxis(months)
            series.attachAxis(values)
        values.setRange(0, float(top / money.WAN_PER_YI) * 1.1 or 1.0)  # after attaching, which rescales
        values.applyNiceNumbers()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.trend_chart.setChart(chart)

    def _show_reporting(self, rs: fs.ReportingStatus) -> None:
        def cell(p: str) -> Column[tuple[int, str]]:
            def text(unit: tuple[int, str]) -> str:
                status = rs.of(unit[0], p)
                return STATUS_SHORT.get(status, status)

            return Column(
                p,
                lambda unit: rs.of(unit[0], p),
                text=text,
                tooltip=lambda unit: self.tr("{unit} {p}：{s}{late}，应于{due}前上报").format(
                    unit=unit[1],
                    p=p,
                    s=rs.of(unit[0], p),
                    due=fs.due_date(p, rs.due_day).isoformat(),
                    late=self.tr("（逾期）") if (unit[0], p) in overdue else "",
                ),
                background=lambda unit: (
                    OVERDUE_COLOUR if (unit[0], p) in overdue else STATUS_COLOURS.get(rs.of(unit[0], p))
                ),
            )

        overdue = rs.overdue
        columns: list[Column[tuple[int, str]]] = [Column(self.tr("单位"), lambda unit: unit[1])]
        columns += [cell(p) for p in rs.periods]
        self.matrix_model.beginResetModel()
        self.matrix_model.columns = columns
        self.matrix_model.rows = list(rs.units)
        self.matrix_model.endResetModel()
        self.matrix_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        period = rs.periods[-1]
        counts = rs.counts(period)
        late = rs.overdue_count(period)
        text = self.tr("{p}：").format(p=period) + "，".join(
            self.tr("{s} {n} 个").format(s=s, n=n) for s, n in counts.items() if n
        )
        text += self.tr("；逾期 {n} 个（每月{d}日前报上月数据）。").format(n=late, d=rs.due_day)
        self.reporting_summary.setText(text)
        self.queues.setText(
            self.tr("待处理冲突：{c}　疑似重复企业：{d}").format(c=rs.open_conflicts, d=rs.open_duplicates)
        )

    def _show_problems(self, p: fs.ProblemFigures) -> None:
        as_of = p.as_of.isoformat() if p.as_of else ""
        self.problem_title.setText(
            self.tr("截至{d}，未解决问题共 {n} 条；办理时间最长的 {k} 条：").format(
                d=as_of, n=p.open_total, k=len(p.oldest)
            )
        )
        self.category_model.set_rows(list(p.by_category.items()))
        self.department_model.set_rows(list(p.by_department.items()))
        self.oldest_model.set_rows(p.oldest)

    # drill-down -----------------------------------------------------------------------------
    def _domain_activated(self, index: QModelIndex) -> None:
        line = index.data(ROW_ROLE)
        if line is not None and index.column() in DOMAIN_DRILL:
            metric, basis = DOMAIN_DRILL[index.column()]
            self.drill_progress(metric, line.domain_id, basis)

    def _industry_activated(self, index: QModelIndex) -> None:
        industry = index.data(ROW_ROLE)
        if industry is not None:
            self.drill_industry(industry)

    def _problem_group_activated(self, index: QModelIndex, key: str) -> None:
        group = index.data(ROW_ROLE)
        if group is not None:
            self.drill_problems(**{key: group[0]})

    def drill_progress(self, metric: str, domain_id: int | None, basis: str | None) -> None:
        if self.data is None:
            return
        period = self.data.figures.period
        scope = self.tr("全县") if domain_id is None else self.ref.domain(domain_id).name
        when = (
            fs.basis_label(basis or fs.headline_basis(period), period)
            if metric != r.HUNDRED_MILLION_PROJECTS
            else period
        )
        title = self.tr("{scope} {label}（{when}）").format(scope=scope, label=r.METRIC_LABELS[metric], when=when)
        if metric == r.HUNDRED_BILLION_INDUSTRIES:
            rows = fs.hundred_billion_industries(self.data.figures, basis=basis, domain_id=domain_id)
            self._open(self._industry_list(title, rows))
        elif metric == r.BILLION_ENTERPRISES:
            self._fetch(
                fs.DrillKey(fs.BILLION_ENTERPRISES, domain_id=domain_id, basis=basis),
                lambda rows: self._enterprise_list(title, rows),
            )
        else:
            self._fetch(
                fs.DrillKey(fs.IMPLEMENTED_PROJECTS, domain_id=domain_id), lambda rows: self._project_list(title, rows)
            )

    def drill_industry(self, industry: fs.IndustryFigures) -> None:
        title = self.tr("{name} 的企业（{p}）").format(name=industry.name, p=self.ctx.period)
        self._fetch(
            fs.DrillKey(fs.INDUSTRY_ENTERPRISES, industry_id=industry.industry_id),
            lambda rows: self._enterprise_list(title, rows),
        )

    def drill_problems(self, category: str | None = None, department: str | None = None) -> None:
        what = category or department or self.tr("全部")
        title = self.tr("未解决问题：{what}").format(what=what)
        self._fetch(
            fs.DrillKey(fs.OPEN_PROBLEMS, category=category, department=department),
            lambda rows: self._problem_list(title, rows),
        )

    def drill_projects(self, key: fs.DrillKey, title: str) -> None:
        """The projects behind a row of the 项目与招商 tab."""
        period = self.data.figures.period if self.data else self.ctx.period

        def build(rows: list[fs.ProjectLine]) -> DrillDown:
            summary, headers, values, texts = project_lines_drill(title, rows, self.ref)
            return DrillDown(f"{title}（{period}）", summary, headers, values, numeric=(6, 7, 8, 11), texts=texts)

        self._fetch(key, build)

    def open_project(self, project_id: str) -> None:
        """A warning's project, in its editor on the lifecycle tab (where the warnings are shown)."""
        from hengdong_desktop.services.readiness import PROJECT_WARNING
        from hengdong_desktop.ui.editors import ProjectEditor

        editor = ProjectEditor.build(self, self.ctx, project_id)
        editor.show_part(PROJECT_WARNING, None)
        self.drilled.emit(editor)
        editor.exec()  # a save announces its changes (ui/operations.py)

    def _fetch(self, key: fs.DrillKey, build: Callable[[Any], DrillDown]) -> None:
        db, period = self.ctx.db, self.data.figures.period if self.data else self.ctx.period
        pending = self.include_pending.isChecked()

        def show(rows: list[object]) -> None:
            self._open(build(rows))

        self.ctx.tasks.read(
            lambda _p: fs.records_behind(db, period, key, include_pending=pending), on_success=show, parent=self
        )

    def _open(self, drill: DrillDown) -> DrillDownDialog:
        dialog = DrillDownDialog.present(self, drill)
        self.drilled.emit(dialog)
        return dialog

    def _enterprise_list(self, title: str, rows: list[fs.EnterpriseRow]) -> DrillDown:
        total = fs.output_total(rows)
        headers = (
            "企业名称",
            "统一社会信用代码",
            "单位",
            "领域",
            "产业",
            "口径",
            "1-本月累计(万元)",
            "上年同期(万元)",
            "上年全年(万元)",
            "预计全年(万元)",
        )
        values = [
            (
                x.name,
                x.credit_code,
                self.ref.unit(x.unit_id).name,
                self.ref.name_of("domain", x.domain_id),
                self.ref.name_of("industry", x.industry_id) or "其他",
                r.MEASURES[x.measure],
                x.output_to_date,
                x.output_same_period_last_year,
                x.output_last_year,
                x.projected,
            )
            for x in rows
        ]
        texts = [(*(str(v) for v in row[:6]), *(wan(v) for v in row[6:])) for row in values]
        summary = self.tr("共 {n} 户，1-本月累计合计 {t} 万元（{y} 亿元）。").format(
            n=len(rows), t=wan(total), y=yi(total)
        )
        return DrillDown(title, summary, headers, values, numeric=(6, 7, 8, 9), texts=texts)

    def _project_list(self, title: str, rows: list[fs.ProjectRow]) -> DrillDown:
        total = fs.investment_total(rows)
        headers = ("项目名称", "项目编号", "单位", "领域", "产业", "项目状态", "总投资(万元)")
        values = [
            (
                x.name,
                x.project_code or "",
                self.ref.unit(x.unit_id).name,
                self.ref.name_of("domain", x.domain_id),
                self.ref.name_of("industry", x.industry_id) or "其他",
                x.status,
                x.total_investment,
            )
            for x in rows
        ]
        texts = [(*(str(v) for v in row[:6]), wan(row[6])) for row in values]
        summary = self.tr("共 {n} 个，总投资合计 {t} 万元。").format(n=len(rows), t=wan(total))
        return DrillDown(title, summary, headers, values, numeric=(6,), texts=texts)

    def _industry_list(self, title: str, rows: list[fs.IndustryFigures]) -> DrillDown:
        headers = (
            "目标产业",
            "所属领域",
            "企业(户)",
            "1-本月累计(亿元)",
            "上年全年(亿元)",
            "预计全年(亿元)",
            "年度目标(亿元)",
        )
        values = [
            (i.name, self.ref.domain(i.domain_id).name, i.enterprises, i.to_date, i.last_year, i.projected, i.target)
            for i in rows
        ]
        texts = [
            (
                v[0],
                v[1],
                str(v[2]),
                yi(v[3], HUNDRED_YI),
                yi(v[4], HUNDRED_YI),
                yi(v[5], HUNDRED_YI),
                "—" if v[6] is None else yi(v[6]),
            )
            for v in values
        ]
        summary = self.tr("共 {n} 个产业达到百亿级。").format(n=len(rows))
        return DrillDown(title, summary, headers, values, numeric=(2, 3, 4, 5, 6), texts=texts)

    def _problem_list(self, title: str, rows: list[fs.ProblemAge]) -> DrillDown:
        headers = ("已持续(天)", "提出日期", "单位", "企业/项目", "类别", "责任单位", "办理状态", "问题描述")
        values = [
            (
                p.days_open,
                p.raised_on.isoformat(),
                self.ref.unit(p.unit_id).name,
                p.subject,
                p.category,
                p.department or fs.UNASSIGNED_DEPARTMENT,
                p.status,
                p.description,
            )
            for p in rows
        ]
        summary = self.tr("共 {n} 条未解决问题。").format(n=len(rows))
        return DrillDown(title, summary, headers, values, numeric=(0,))
