"""概览: who this database belongs to, how much it holds, and the next step for the current period
(services/overview.py `next_steps`): a township sees what is missing or open before it can report
and any period the county returned, with the county's reason; the county sees which units have not
reported or wait for its review. Buttons lead to where the step is done. A township also sees its
contribution to the county's targets and its 比学赶超 standing as the county last sent it (rank,
score, each part behind the 得分构成 button)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import overview as overview_service
from hengdong_desktop.services import reporting
from hengdong_desktop.services.county_standing import CountyStanding
from hengdong_desktop.services.overview import NextSteps, Overview
from hengdong_desktop.services.readiness import BLOCKING, MISSING, UNEXPLAINED
from hengdong_desktop.ui.changes import MONTHLY_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Page, Shell
from hengdong_desktop.ui.widgets import heading


class OverviewPage(Page):
    refreshed = Signal()  # the counts were read and shown
    steps_shown = Signal()  # the next step was read and shown
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading(self.tr("{unit}（{role}）").format(unit=ctx.info.unit_name, role=ctx.info.role_label)))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.tiles: dict[str, QLabel] = {}
        captions = (
            ("enterprises", self.tr("在库企业（户）")),
            ("projects", self.tr("项目（个）")),
            ("open_problems", self.tr("未解决问题（条）")),
            ("latest_period", self.tr("最近填报期")),
        )
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
        standing_row = QHBoxLayout()
        self.standing = QLabel()
        self.standing.setObjectName("standing")
        self.standing.setWordWrap(True)
        standing_row.addWidget(self.standing, 1)
        self.standing_button = QPushButton(self.tr("得分构成"))
        self.standing_button.setObjectName("standingParts")
        self.standing_button.setCheckable(True)
        self.standing_button.setVisible(False)
        standing_row.addWidget(self.standing_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(standing_row)
        self.standing_detail = QLabel()
        self.standing_detail.setObjectName("standingDetail")
        self.standing_detail.setWordWrap(True)
        self.standing_detail.setStyleSheet("color: #444; background: #f3f5f8; padding: 6px;")
        self.standing_detail.setVisible(False)
        self.standing_button.toggled.connect(self.standing_detail.setVisible)
        layout.addWidget(self.standing_detail)
        steps = QFrame()
        steps.setObjectName("nextSteps")
        steps.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(steps)
        self.steps_title = QLabel()
        self.steps_title.setStyleSheet("font-weight: bold; color: #1f4e79;")
        column.addWidget(self.steps_title)
        self.steps = QLabel(self.tr("正在读取…"))
        self.steps.setObjectName("nextStepsText")
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.steps)
        buttons = QHBoxLayout()
        county = ctx.info.is_county
        self.step_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("monthly", self.tr("去月度调度")),
            ("import" if county else "report", self.tr("去导入与审核") if county else self.tr("去上报")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"step_{key}")
            button.clicked.connect(lambda _c=False, key=key: self._go(key))
            buttons.addWidget(button)
            self.step_buttons[key] = button
        buttons.addStretch(1)
        column.addLayout(buttons)
        layout.addWidget(steps)
        self.demo_button = QPushButton(self.tr("生成演示数据…"))
        self.demo_button.setVisible(False)
        layout.addWidget(self.demo_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.refresh()

    def concerned(self, changes: Changes) -> bool:
        return (
            changes.packages
            or changes.reference
            or changes.touches("enterprise", "project", "problem", "explanation", *MONTHLY_KINDS)
        )

    def refresh(self) -> None:
        db, unit, period = self.ctx.db, None if self.ctx.info.is_county else self.ctx.info.unit_id, self.ctx.period
        self.ctx.tasks.read(
            lambda progress: overview_service.overview(db, unit, progress),
            on_success=self.show_overview,
            parent=self,
            latest=(id(self), "overview"),
        )
        self.ctx.tasks.read(
            lambda progress: overview_service.next_steps(db, unit, period, progress),
            on_success=self.show_steps,
            parent=self,
            latest=(id(self), "steps"),
        )

    def _go(self, key: str) -> None:
        window = self.window()
        if isinstance(window, Shell):
            window.show_page(key)

    def show_steps(self, steps: NextSteps) -> None:
        self.steps_title.setText(self.tr("下一步（{p}）").format(p=steps.period))
        lines = self._county_steps(steps) if self.ctx.info.is_county else self._township_steps(steps)
        self.steps.setText("<br>".join(lines))
        self.steps_shown.emit()

    def _township_steps(self, steps: NextSteps) -> list[str]:
        ready = steps.readiness
        assert ready is not None
        lines = []
        for returned in steps.returned:
            comments = "；".join(
                f"{c.get('subject', '')}{c.get('label', '')}：{c.get('text', '')}" for c in returned.comments
            )
            lines.append(
                self.tr("<span style='color:#b3261e'>县里退回了 {p} 的数据，理由：{r}</span>").format(
                    p=returned.period, r=escape(returned.reason)
                )
                + (self.tr("（字段意见：{c}）").format(c=escape(comments)) if comments else "")
                + self.tr("。请修改后重新导出该期的上报包。")
            )
        missing_e, missing_p = ready.count(MISSING, "enterprise"), ready.count(MISSING, "project")
        if missing_e or missing_p:
            lines.append(
                self.tr("本期还有企业 {e} 户、项目 {p} 个未填报：在“月度调度”中填写。").format(e=missing_e, p=missing_p)
            )
        if not ready.ready:
            lines.append(
                self.tr("须处理：错误 {e} 条、未说明的警告 {w} 条（含各期）。").format(
                    e=ready.count(BLOCKING), w=ready.count(UNEXPLAINED)
                )
            )
        status = {
            reporting.NOT_FILLED: self.tr("本期尚未填报。"),
            reporting.FILLED: self.tr("可以上报：到“上报”页导出本期上报包。")
            if ready.ready
            else self.tr("本期已填报，处理完上面各项后即可上报。"),
            reporting.REPORTED: self.tr("本期已上报，等待县里审核。"),
            reporting.ACCEPTED_STATUS: self.tr("县里已接收本期数据。"),
            reporting.RETURNED_STATUS: self.tr("本期数据被县里退回。"),
            reporting.NOT_REQUIRED: self.tr("本期在本单位启用期之前，无须填报。"),
        }
        lines.append(status.get(steps.status, steps.status))
        return lines

    def _county_steps(self, steps: NextSteps) -> list[str]:
        order = (
            reporting.NOT_FILLED,
            reporting.FILLED,
            reporting.REPORTED,
            reporting.RETURNED_STATUS,
            reporting.ACCEPTED_STATUS,
        )
        what = {
            reporting.NOT_FILLED: self.tr("未收到数据"),
            reporting.FILLED: self.tr("未收到上报包"),
            reporting.REPORTED: self.tr("已上报、待审核"),
            reporting.RETURNED_STATUS: self.tr("已退回、待重报"),
            reporting.ACCEPTED_STATUS: self.tr("已接收"),
        }
        lines = [
            self.tr("{what} {n} 个：{units}").format(what=what[state], n=len(units), units="、".join(units))
            for state in order
            if (units := steps.units_by_status.get(state))
        ]
        return lines or [self.tr("没有需要填报的单位。")]

    def _show_standing(self, standing: CountyStanding | None) -> None:
        if self.ctx.info.is_county:
            self.standing.setText("")
            return
        self.standing_button.setVisible(standing is not None)
        if standing is None:
            self.standing.setText(self.tr("比学赶超：尚未收到县里的排名（县里发来的下发包会带来本单位的名次）。"))
            self.standing.setToolTip("")
            self.standing_button.setChecked(False)
            return
        self.standing.setText(
            self.tr("{sentence}，得分 {score}。").format(sentence=standing.sentence(), score=f"{standing.score:.2f}")
        )
        lines = [
            self.tr("{basis}；截至{day}。总分 = 各项得分之和 ÷ 适用项权重之和 × 100。").format(
                basis=standing.basis, day=standing.as_of.isoformat()
            ),
            *(f"· {p.line()}" for p in standing.parts),
        ]
        self.standing.setToolTip("\n".join(lines))
        self.standing_detail.setText("\n".join(lines))

    def show_overview(self, data: Overview) -> None:
        self.tiles["enterprises"].setText(f"{data.enterprises:,}")
        self.tiles["projects"].setText(f"{data.projects:,}")
        self.tiles["open_problems"].setText(f"{data.open_problems:,}")
        self.tiles["latest_period"].setText(data.latest_period or self.tr("暂无"))
        self.removed_note.setText(
            self.tr("另有已调出名录的企业 {n} 户。").format(n=data.removed_enterprises)
            if data.removed_enterprises
            else ""
        )
        parts = [
            self.tr("{label}{n}（全县目标{target}）").format(
                label=r.METRIC_LABELS[k], n=n, target="—" if target is None else target
            )
            for k, (n, target) in data.contribution.items()
        ]
        text = (
            self.tr("本单位对全县目标的贡献（{period}）：").format(period=data.latest_period) + "、".join(parts) + "。"
            if parts
            else ""
        )
        if data.late_problems:
            text += self.tr("逾期未办结的交办问题{n}条，请尽快办结。").format(n=data.late_problems)
        self.contribution.setText(text)
        self.contribution.setStyleSheet("color: #b3261e;" if data.late_problems else "")
        self._show_standing(data.standing)
        self.demo_button.setVisible(data.enterprises == 0 and self.ctx.info.training)  # never into real data
        self.refreshed.emit()
