"""统计局口径 (county): the statistics bureau's industry totals the county enters per period, in
the industry's measure (services/official_totals.py); the figures use them beside the registered
enterprises' sum. A tab of the 基础数据 page."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hengdong_desktop.domain import money, periods
from hengdong_desktop.services import official_totals
from hengdong_desktop.services.official_totals import OfficialTotal
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.form_dialog import CHOICE, FormDialog, FormField
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.record_model import ROW_HEIGHT, Column, RecordTableModel, record_table

COLUMNS: tuple[Column[OfficialTotal], ...] = (
    Column("期别", lambda t: t.period),
    Column("产业", lambda t: t.industry),
    Column("1-本月累计(万元)", lambda t: t.value, money.fmt, numeric=True),
    Column("来源", lambda t: t.source or ""),
)


class OfficialTotalsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("officialTotals")
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "县统计局的产业数（1-本月累计，万元，按该产业所属领域的口径）。录入后，汇总、驾驶舱和通报"
                "对该产业采用统计局口径，并列出登记企业合计及其覆盖率；删除请把数值留空。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.model: RecordTableModel[OfficialTotal] = RecordTableModel(COLUMNS, parent=self)
        self.view = record_table(self.model, stretch=3, row_height=ROW_HEIGHT)
        self.view.activated.connect(lambda _i: self.edit())
        self.view.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        for text, slot in ((self.tr("录入…"), lambda: self.ask(None)), (self.tr("修改…"), self.edit)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.reload()  # and again whenever its page refreshes

    def reload(self) -> None:
        db = self.ctx.db
        self.ctx.tasks.read(
            lambda _p: official_totals.totals(db),
            on_success=self.model.set_rows,
            parent=self,
            latest=(id(self), "totals"),
        )

    def edit(self) -> None:
        current = self.model.row_at(self.view.currentIndex())
        if current is not None:
            self.ask(current)

    def ask(self, row: OfficialTotal | None, typed: dict[str, object] | None = None) -> None:
        industries = tuple((i.name, i.name) for i in self.ctx.reference().industries)
        values = typed or (
            {
                "industry": row.industry,
                "period": row.period,
                "value": money.fmt(row.value, 4),
                "source": row.source or "",
            }
            if row
            else {"period": self.ctx.period}
        )
        answer = FormDialog.ask(
            self,
            self.tr("统计局口径"),
            [
                FormField("industry", "产业", CHOICE, industries),
                FormField("period", "期别", max_length=7, placeholder="如 2025-06"),
                FormField("value", "1-本月累计(万元)", placeholder="留空则删除该期的数"),
                FormField("source", "来源", max_length=200, placeholder="如：县统计局2025年6月快报"),
            ],
            values,
        )
        if answer is None:
            return
        db = self.ctx.db
        period = str(answer["period"]).strip() or periods.last_completed()

        def failed(error: BaseException) -> None:
            show_error(self, error)
            self.ask(row, answer)  # what was typed is not lost

        # the figures read the totals as reference data: every page showing figures reads again
        Operation(
            self,
            lambda _p: official_totals.set_total(
                db, str(answer["industry"]), period, answer["value"], str(answer["source"])
            ),
            Changes(reference=True),
        ).failure(failed).run(self.ctx)
