"""比学赶超: the units and the lead departments ranked as of the current period, each score with
its parts (services/rankings.py; the weights are reference data on the 基础数据 screen). Like the
dashboard, it ranks on accepted data; the 含待审核 switch (marked while on) adds the data the
county has not accepted yet."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import periods
from hengdong_desktop.domain import ranking as rk
from hengdong_desktop.services import rankings as rankings_service
from hengdong_desktop.services.rankings import Ranking
from hengdong_desktop.ui.changes import MONTHLY_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.record_model import ROW_HEIGHT, Column, RecordTableModel, record_table
from hengdong_desktop.ui.widgets import heading

PERIOD_CHOICES = 24
BASIS_STYLE = "color: #444; background: #f3f5f8; padding: 6px;"
PENDING_STYLE = "color: #7a4b00; background: #ffe8b0; border: 1px solid #e0a000; padding: 6px; font-weight: bold;"


def _number(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _columns(criteria: tuple[rk.Criterion, ...], weights: list[int]) -> list[Column[rk.Standing]]:
    """名次, 单位, 得分, then each criterion's points headed with its weight (reference data)."""
    columns: list[Column[rk.Standing]] = [
        Column("名次", lambda s: s.rank, numeric=True),
        Column("单位", lambda s: s.name),
        Column("得分", lambda s: s.score, fmt=lambda v: f"{v:.2f}", numeric=True),
    ]
    columns += [_part_column(n, c, w) for n, (c, w) in enumerate(zip(criteria, weights, strict=True))]
    return columns


def _part_column(n: int, c: rk.Criterion, weight: int) -> Column[rk.Standing]:
    """The points of criterion `c` (the n-th part), its raw value and rule in the tooltip."""

    def points(s: rk.Standing) -> Decimal | None:
        return s.parts[n].points

    def tooltip(s: rk.Standing) -> str:
        return _part_line(s.parts[n])

    return Column(
        f"{c.label}（{weight}）",
        points,
        fmt=lambda v: "不计" if v is None else f"{v:.2f}",
        numeric=True,
        tooltip=tooltip,
    )


def _part_line(part: rk.Part) -> str:
    c = part.criterion
    if not part.applies:
        return f"{c.label}：不适用，不计入（权重{part.weight}分从满分中扣除）"
    against = "" if part.against is None else f"，比较基准{_number(part.against)}{c.unit}"
    return f"{c.label}：{_number(part.value)}{c.unit}{against}；{c.rule}，权重{part.weight}分，得{part.points}分"


class RankingPage(Page):
    refreshed = Signal()
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        bar = QHBoxLayout()
        bar.addWidget(heading(self.tr("比学赶超排名")))
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("期别：")))
        self.period_box = QComboBox()
        self.period_box.setObjectName("period")
        self.period_box.setMinimumWidth(120)
        self.period_box.currentIndexChanged.connect(lambda _i: self.ctx.set_period(self.period_box.currentData()))
        bar.addWidget(self.period_box)
        self.include_pending = QCheckBox(self.tr("含待审核"))
        self.include_pending.setObjectName("includePending")
        self.include_pending.setToolTip(
            self.tr("也计入已上报未审核和县级录入的数据（通报和下发包只按已接收的数据排名）")
        )
        self.include_pending.toggled.connect(lambda _on: self.refresh())
        bar.addWidget(self.include_pending)
        refresh = QPushButton(self.tr("刷新(F5)"))
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        layout.addLayout(bar)
        self.basis = QLabel()
        self.basis.setObjectName("basis")
        self.basis.setWordWrap(True)
        self.basis.setStyleSheet(BASIS_STYLE)
        layout.addWidget(self.basis)
        self.tabs = QTabWidget()
        self.models: dict[str, RecordTableModel[rk.Standing]] = {}
        self.details: dict[str, QTextBrowser] = {}
        for scope, title in (("unit", self.tr("乡镇（县经开区）")), ("department", self.tr("牵头部门"))):
            self.tabs.addTab(self._scope_tab(scope), title)
        layout.addWidget(self.tabs, 1)
        self.data: dict[str, Ranking] = {}
        self.follow_period(ctx.period)
        self.refresh()

    def _scope_tab(self, scope: str) -> QWidget:
        criteria = rk.SCOPES[scope]
        model: RecordTableModel[rk.Standing] = RecordTableModel(
            _columns(criteria, [c.weight for c in criteria]), parent=self
        )
        view = record_table(model, stretch=1, row_height=ROW_HEIGHT)
        view.setObjectName(f"ranking_{scope}")
        view.selectionModel().currentRowChanged.connect(
            lambda current, _previous, scope=scope: self._show_parts(scope, current)
        )
        detail = QTextBrowser()
        detail.setObjectName(f"parts_{scope}")
        detail.setMaximumHeight(190)
        self.models[scope], self.details[scope] = model, detail
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(view, 1)
        layout.addWidget(QLabel(self.tr("得分构成（选中一行查看）：")))
        layout.addWidget(detail)
        return box

    # keeping current ------------------------------------------------------------------------
    def concerned(self, changes: Changes) -> bool:
        return changes.touches("enterprise", "project", "problem", *MONTHLY_KINDS) or changes.reference

    def follow_period(self, period: str) -> None:
        choices = periods.span(periods.last_completed(), PERIOD_CHOICES)[::-1]
        if period not in choices:
            choices = sorted({*choices, period}, reverse=True)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for p in choices:
            year, month = periods.parse(p)
            self.period_box.addItem(self.tr("{y}年{m}月").format(y=year, m=month), p)
        self.period_box.setCurrentIndex(choices.index(period))
        self.period_box.blockSignals(False)

    def refresh(self) -> None:
        db, period, pending = self.ctx.db, self.ctx.period, self.include_pending.isChecked()
        self.ctx.tasks.read(
            lambda _p: rankings_service.rankings(db, period, include_pending=pending),
            on_success=self.show_rankings,
            parent=self,
            latest=(id(self), "ranking"),
        )

    def show_rankings(self, data: tuple[Ranking, Ranking]) -> None:
        for ranking in data:
            self.data[ranking.scope] = ranking
            model = self.models[ranking.scope]
            if ranking.standings:
                model.columns = _columns(ranking.criteria, [p.weight for p in ranking.standings[0].parts])
            model.set_rows(ranking.standings)
            self.details[ranking.scope].clear()
        units = data[0]
        self.basis.setText(
            self.tr(
                "口径：{period}期，截至{day}，{basis}。每项按其权重计分，不适用的项不计入，"
                "总分 = 各项得分之和 ÷ 适用项权重之和 × 100；得分相同的名次并列。权重在“基础数据 → 工程管理参数”中设定。"
            ).format(period=units.period, day=units.as_of.isoformat(), basis=units.basis)
        )
        self.basis.setStyleSheet(PENDING_STYLE if units.include_pending else BASIS_STYLE)
        self.refreshed.emit()

    def _show_parts(self, scope: str, current: QModelIndex) -> None:
        standing = self.models[scope].row_at(current)
        if standing is None:
            return
        lines = [
            f"<b>{standing.name}</b>：第{standing.rank}名，{standing.score:.2f}分"
            f"（{standing.points:.2f} ÷ {standing.weight_applied} × 100）"
        ]
        lines += [
            f"· {_part_line(p)}<br><span style='color:#666'>　{p.criterion.measures}</span>" for p in standing.parts
        ]
        self.details[scope].setHtml("<br>".join(lines))
