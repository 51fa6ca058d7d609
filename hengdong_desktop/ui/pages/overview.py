"""概览: who this database belongs to and how much it holds."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import overview as overview_service
from hengdong_desktop.services.overview import Overview
from hengdong_desktop.ui.changes import MONTHLY_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.widgets import heading


class OverviewPage(Page):
    refreshed = Signal()  # the counts were read and shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading(self.tr("{unit}（{role}）").format(unit=ctx.info.unit_name, role=ctx.info.role_label)))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.tiles: dict[str, QLabel] = {}
        captions = (("enterprises", self.tr("在库企业（户）")), ("projects", self.tr("项目（个）")),
                    ("open_problems", self.tr("未解决问题（条）")), ("latest_period", self.tr("最近填报期")))
        for col, (key, caption) in enumerate(captions):
            tile = QFrame()
            tile.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(tile)
            value = QLabel("—")
            value.setObjectName(f"tile_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setStyleSheet("font-size: 24pt; font-weight: bold; color: #1f4e79;")
            label = QLabel(caption)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(value)
            box.addWidget(label)
            grid.addWidget(tile, 0, col)
            self.tiles[key] = value
        layout.addLayout(grid)
        self.removed_note = QLabel()
        layout.addWidget(self.removed_note)
        self.contribution = QLabel()
        self.contribution.setObjectName("contribution")
        self.contribution.setWordWrap(True)
        layout.addWidget(self.contribution)
        self.demo_button = QPushButton(self.tr("生成演示数据…"))
        self.demo_button.setVisible(False)
        layout.addWidget(self.demo_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.refresh()

    def concerned(self, changes: Changes) -> bool:
        return changes.touches("enterprise", "project", "problem", *MONTHLY_KINDS)

    def refresh(self) -> None:
        db, unit = self.ctx.db, None if self.ctx.info.is_county else self.ctx.info.unit_id
        self.ctx.tasks.read(lambda _p: overview_service.overview(db, unit), on_success=self.show_overview, parent=self,
                            latest=(id(self), "overview"))

    def show_overview(self, data: Overview) -> None:
        self.tiles["enterprises"].setText(f"{data.enterprises:,}")
        self.tiles["projects"].setText(f"{data.projects:,}")
        self.tiles["open_problems"].setText(f"{data.open_problems:,}")
        self.tiles["latest_period"].setText(data.latest_period or self.tr("暂无"))
        self.removed_note.setText(
            self.tr("另有已调出名录的企业 {n} 户。").format(n=data.removed_enterprises)
            if data.removed_enterprises else ""
        )
        parts = [self.tr("{label}{n}（全县目标{target}）").format(label=r.METRIC_LABELS[k], n=n,
                                                               target="—" if target is None else target)
                 for k, (n, target) in data.contribution.items()]
        text = self.tr("本单位对全县目标的贡献（{period}）：").format(period=data.latest_period) + "、".join(parts) + "。" \
            if parts else ""
        if data.late_problems:
            text += self.tr("逾期未办结的交办问题{n}条，请尽快办结。").format(n=data.late_problems)
        self.contribution.setText(text)
        self.contribution.setStyleSheet("color: #b3261e;" if data.late_problems else "")
        self.demo_button.setVisible(data.enterprises == 0 and self.ctx.info.training)  # never into real data
        self.refreshed.emit()
