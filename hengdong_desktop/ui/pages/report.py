"""上报 (township): is the data ready (services/readiness.py, as the 月度调度 panel and the export
itself ask it; each entry opens where it is fixed), export the signed 上报包, the history of
packages with the county's decisions, the county's 下发包 and any conflict it brought, and the keys."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import periods
from hengdong_desktop.services import readiness
from hengdong_desktop.services.packages import export, keys, ledger, reply, review
from hengdong_desktop.services.packages.export import Readiness
from hengdong_desktop.ui.changes import RECORD_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import FileDialogs, Saved, with_suffix
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.pages import package_widgets as w
from hengdong_desktop.ui.pages.monthly import issue_text, open_issue
from hengdong_desktop.ui.pages.package_widgets import column, rows_model, text
from hengdong_desktop.ui.record_model import record_table, selected_row
from hengdong_desktop.ui.widgets import heading

HISTORY_COLUMNS = (
    column("kind", "类型", lambda v: "上报包" if v == "report" else "下发包"),
    column("direction", "方向", lambda v: "发出" if v == "out" else "收到"),
    column("sequence", "序号", text),
    column("period", "期别", lambda v: v or "", chars=4),
    column("processed_at", "时间", chars=8),
    column("decision", "县级意见", lambda v: review.DECISION_LABELS.get(v or "", "")),
    column("reason", "理由", lambda v: v or "", chars=10),
    column("summary", "内容", lambda v: _summary(v or {}), chars=16),
    column("file", "文件", text, chars=16),
)


def _summary(summary: dict[str, Any]) -> str:
    if "counts" in summary:
        counts = summary["counts"]
        firms, projects = counts.get("enterprise", 0), counts.get("project", 0)
        records = sum(n for entity, n in counts.items() if entity != "audit")
        return f"企业{firms}户，项目{projects}个，记录共{records}条"
    parts = [
        f"审核结果{summary.get('decisions', 0)}条",
        f"更正{summary.get('changes', summary.get('corrections', 0))}处",
    ]
    if summary.get("conflicts"):
        parts.append(f"冲突{summary['conflicts']}处")
    return "，".join(parts)


DECISION_COLUMNS = (
    column("period", "期别", text, chars=4),
    column("label", "审核结果", text),
    column("reason", "理由", text, chars=12),
    column(
        "comments",
        "字段意见",
        lambda cs: "；".join(f"{c.get('subject', '')}{c['label']}：{c['text']}" for c in cs),
    ),
    column("decided_at", "审核时间", chars=8),
)
CONFLICT_COLUMNS = (
    column("entity_label", "类型", text),
    column("subject", "记录", text, chars=12),
    column("field_label", "字段", text),
    column("local", "本单位的值", text),
    column("incoming", "县级更正的值", text),
)


class ReportPage(Page):
    refreshed = Signal()  # the packages, decisions and conflicts were read again
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading(self.tr("上报")))
        self.keys_label = QLabel()
        self.keys_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.keys_label)

        ready_box = QGroupBox(self.tr("导出前审核"))
        ready_layout = QVBoxLayout(ready_box)
        self.ready_label = QLabel(self.tr("正在审核…"))
        self.ready_label.setObjectName("readiness")
        self.ready_label.setWordWrap(True)
        ready_layout.addWidget(self.ready_label)
        self.problems = QListWidget()
        self.problems.setObjectName("readinessList")
        self.problems.setMaximumHeight(160)
        self.problems.setToolTip(self.tr("双击一项，跳到要修改的单元格或记录"))
        self.problems.itemActivated.connect(
            lambda item: open_issue(self, self.ctx, self.issues[self.problems.row(item)])
        )
        self.issues: list[readiness.Issue] = []
        ready_layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("导出上报包…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.apply_button = QPushButton(self.tr("应用县级下发包…"))
        self.apply_button.clicked.connect(self.apply_reply)
        self.enroll_button = QPushButton(self.tr("导出密钥登记文件…"))
        self.enroll_button.clicked.connect(self.export_enrollment)
        self.identity_button = QPushButton(self.tr("导入县级身份文件…"))
        self.identity_button.clicked.connect(self.import_identity)
        self.rejoin_box = QCheckBox(self.tr("接续县里的记录"))
        self.rejoin_box.setToolTip(
            self.tr("县里说缺少某号上报包、而该包已遗失时勾选：下一个上报包接续县里最后收到的那个。")
        )
        recheck = QPushButton(self.tr("重新审核"))
        recheck.clicked.connect(self.refresh)
        self.period_box = QComboBox()
        self.period_box.setToolTip(self.tr("上报期别"))
        for p in reversed(periods.span(periods.last_completed(), 24)):
            self.period_box.addItem(p, p)
        self._show_period(ctx.period)
        self.period_box.currentIndexChanged.connect(lambda _i: ctx.set_period(self.period_box.currentData()))
        buttons.addWidget(QLabel(self.tr("期别：")))
        buttons.addWidget(self.period_box)
        for b in (
            self.export_button,
            self.rejoin_box,
            self.apply_button,
            self.enroll_button,
            self.identity_button,
            recheck,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        ready_layout.addLayout(buttons)
        layout.addWidget(ready_box)

        split = QSplitter(Qt.Orientation.Vertical)
        self.history = rows_model(HISTORY_COLUMNS, self)
        self.decisions = rows_model(DECISION_COLUMNS, self)
        self.conflicts = rows_model(CONFLICT_COLUMNS, self)
        self.history_view = record_table(self.history, stretch=8)
        self.decisions_view = record_table(self.decisions, stretch=3)
        self.conflicts_view = record_table(self.conflicts)
        for title, view in (
            (self.tr("上报与下发记录"), self.history_view),
            (self.tr("县级审核意见"), self.decisions_view),
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(view)
            split.addWidget(box)
        self.conflict_box = QGroupBox(self.tr("下发包与本单位修改的冲突"))
        conflict_layout = QVBoxLayout(self.conflict_box)
        conflict_layout.addWidget(self.conflicts_view)
        row = QHBoxLayout()
        take = QPushButton(self.tr("采用县级更正"))
        take.clicked.connect(lambda: self.resolve(True))
        keep = QPushButton(self.tr("保留本单位的值"))
        keep.clicked.connect(lambda: self.resolve(False))
        row.addWidget(take)
        row.addWidget(keep)
        row.addStretch(1)
        conflict_layout.addLayout(row)
        split.addWidget(self.conflict_box)
        layout.addWidget(split, 1)
        self.refresh()

    def follow_period(self, period: str) -> None:
        self._show_period(period)

    def concerned(self, changes: Changes) -> bool:
        return changes.packages or changes.keys or changes.reference or changes.touches(*RECORD_KINDS)

    def _show_period(self, period: str) -> None:
        if self.period_box.findData(period) < 0:
            self.period_box.addItem(period, period)
        self.period_box.blockSignals(True)
        self.period_box.setCurrentIndex(self.period_box.findData(period))
        self.period_box.blockSignals(False)

    # reading ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        db, unit, period = self.ctx.db, self.ctx.info.unit_id, self.ctx.period
        self.ready_label.setText(self.tr("正在审核…"))
        self.export_button.setEnabled(False)
        self.ctx.tasks.read(
            lambda _p: (export.readiness(db), readiness.readiness(db, unit, period)),
            on_success=lambda result: self.show_readiness(*result),
            parent=self,
            latest=(id(self), "readiness"),
        )

        def read(_p: object) -> tuple[Any, ...]:
            return (
                ledger.package_history(db),
                review.reviews(db),
                review.open_conflicts(db),
                keys.pinned_county(db),
                keys.own_key(db).fingerprint,
            )

        self.ctx.tasks.read(read, on_success=self._show_records, parent=self, latest=(id(self), "records"))

    def _show_records(self, records: tuple[Any, ...]) -> None:
        history, decisions, conflicts, pinned, own = records
        self.history.set_rows([vars(r) for r in history])
        self.decisions.set_rows([vars(r) for r in decisions])
        self.conflicts.set_rows([vars(c) for c in conflicts])
        self.conflict_box.setVisible(bool(conflicts))
        if pinned is None:
            county = self.tr("尚未导入县级身份文件")
        elif not pinned.confirmed:
            county = self.tr("{fp}（首次收包时记录，请导入县级身份文件核对）").format(fp=pinned.fingerprint)
        else:
            county = self.tr("{fp}（已核对）").format(fp=pinned.fingerprint)
        self.keys_label.setText(
            self.tr("本单位密钥指纹：{own}　　县级密钥指纹：{county}").format(own=own, county=county)
        )
        self.refreshed.emit()

    def show_readiness(self, ready: Readiness, found: readiness.Readiness) -> None:
        self.readiness = ready
        self.issues = found.issues[:500]
        self.problems.clear()
        self.problems.addItems([issue_text(i) for i in self.issues])
        self.problems.setVisible(bool(self.issues))
        if ready.ready:
            joined = self.tr("（接续县里已收到的记录）") if ready.rejoins else ""
            self.ready_label.setText(
                self.tr("审核通过，可以导出第{n}号上报包（期别{period}）{joined}。").format(
                    n=ready.next_sequence, period=self.ctx.period, joined=joined
                )
            )
        elif ready.county_problem:
            self.ready_label.setText(ready.county_problem)
        else:
            parts = []
            if ready.report.blocking:
                parts.append(self.tr("{n}条错误").format(n=len(ready.report.blocking)))
            if ready.report.unexplained:
                parts.append(self.tr("{n}条未说明的警告").format(n=len(ready.report.unexplained)))
            self.ready_label.setText(
                self.tr("还有{what}，改正或填写说明后才能导出：").format(what=self.tr("和").join(parts))
            )
        self.export_button.setEnabled(ready.ready)

    # actions ----------------------------------------------------------------------------------
    def export(self) -> None:
        suggested = f"{self.ctx.info.unit_name}-{self.ctx.period}-第{self.readiness.next_sequence}号.hdpkg"
        path = FileDialogs.save_file(self, self.tr("导出上报包"), suggested, w.PACKAGE_FILTER)
        if path is None:
            return
        path = with_suffix(path, ".hdpkg")
        ok, passphrase = w.key_passphrase(self, self.ctx.db)
        if not ok:
            return
        db, period, rejoin = self.ctx.db, self.ctx.period, self.rejoin_box.isChecked()

        def done(result: export.ExportResult) -> None:
            Saved.show(self, self.tr("上报包已导出"), result.summary(), result.path)

        Operation(
            self,
            lambda _p: export.export_report(db, path, period=period, passphrase=passphrase, rejoin=rejoin),
            Changes(packages=True, keys=True),
        ).success(done).with_progress(self.tr("正在导出上报包…")).run(self.ctx)

    def export_enrollment(self) -> None:
        path = FileDialogs.save_file(
            self,
            self.tr("导出密钥登记文件"),
            f"{self.ctx.info.unit_name}-密钥登记.json",
            w.ENROLLMENT_FILTER,
        )
        if path is None:
            return
        path = with_suffix(path, ".json")
        ok, passphrase = w.key_passphrase(self, self.ctx.db)
        if not ok:
            return
        db = self.ctx.db

        def done(data: dict[str, Any]) -> None:
            Saved.show(
                self,
                self.tr("登记文件已导出"),
                self.tr("已导出到 {path}。\n请把该文件交县里登记，并电话核对密钥指纹：{fp}").format(
                    path=path, fp=data["fingerprint"]
                ),
                path,
            )

        # an older key file gains its encryption key on the way: a write
        Operation(self, lambda _p: keys.export_enrollment(db, path, passphrase), Changes(keys=True)).success(done).run(
            self.ctx
        )

    def apply_reply(self) -> None:
        files = FileDialogs.open_files(self, self.tr("选择县级下发包"), w.PACKAGE_FILTER)
        if not files:
            return
        ok, passphrase = w.key_passphrase(self, self.ctx.db)  # the 下发包 is sealed to this unit's key
        if not ok:
            return
        db, path = self.ctx.db, files[0]

        def done(result: reply.ApplyResult) -> None:
            details = "\n".join([*result.changes, *(f"冲突：{c}" for c in result.conflicts)])
            QMessageBox.information(
                self,
                self.tr("下发包已应用"),
                result.summary() + ("\n\n" + details if details else ""),
            )

        Operation(
            self,
            lambda _p: reply.apply_reply(db, path, passphrase=passphrase),
            Changes.everything() | Changes(keys=True),
        ).success(done).with_progress(self.tr("正在应用下发包…")).run(self.ctx)

    def import_identity(self) -> None:
        files = FileDialogs.open_files(self, self.tr("选择县级身份文件"), w.IDENTITY_FILTER)
        if not files:
            return
        identity = keys.read_identity(files[0])
        if not w.confirm_fingerprint(self, self.tr("导入县级身份文件"), self.tr("县里"), identity.fingerprint):
            QMessageBox.information(self, self.tr("县级身份文件"), self.tr("未导入。"))
            return
        current = keys.pinned_county(self.ctx.db)
        replace = current is not None and current.signing_pem != identity.signing_pem
        if replace and not w.confirm(
            self,
            self.tr("更换县级密钥"),
            self.tr(
                "身份文件中的县级密钥与本机已记录的（指纹 {old}）不同。只有县里确认原密钥已作废时才能更换。确定更换吗？"
            ).format(old=current.fingerprint if current else ""),
        ):
            return
        db = self.ctx.db
        Operation(
            self,
            lambda _p: keys.pin_county(db, identity, fingerprint=identity.fingerprint, replace=replace),
            Changes(keys=True),
        ).success(
            lambda pinned: QMessageBox.information(
                self, self.tr("县级身份文件"), self.tr("已导入，县级密钥指纹：{fp}。").format(fp=pinned.fingerprint)
            )
        ).run(self.ctx)

    def resolve(self, take_county: bool) -> None:
        row: dict[str, Any] | None = selected_row(self.conflicts_view)
        if row is not None:
            w.resolve_conflict(self, row, keep_incoming=take_county)
