"""导入 (county): drop or add many 上报包, verify them all, preview each, merge, and see the
results; the conflict queue with both values side by side; the duplicate queue; review
(接收 / 退回 and the 下发包); the enrolled keys; the audit viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.services import audit_log, reporting
from hengdong_desktop.services.packages import keys, ledger, merge, reply, review
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.services.reference_admin import set_passphrase_minimum
from hengdong_desktop.ui.changes import RECORD_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import FileDialogs, Saved, with_suffix
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.pages import package_widgets as w
from hengdong_desktop.ui.pages.package_widgets import column, rows_model, text
from hengdong_desktop.ui.record_model import record_table, selected_row
from hengdong_desktop.ui.widgets import heading

FILE_COLUMNS = (
    column("file", "文件", text, chars=16),
    column("unit", "单位", text, chars=6),
    column("period", "期别", lambda v: v or "", chars=4),
    column("sequence", "序号", lambda v: "" if v is None else str(v)),
    column("status", "状态", lambda v: merge.STATUS_LABELS.get(v, "待校验"), chars=4),
    column("detail", "结果", text),
)
COUNT_COLUMNS = (
    column("entity", "数据", text, chars=8),
    column("new", "新增", text),
    column("changed", "修改", text),
    column("unchanged", "未变", text),
    column("conflicts", "冲突", text),
    column("duplicates", "重复企业", text),
)
CONFLICT_COLUMNS = (
    column("unit", "单位", text),
    column("entity_label", "类型", text),
    column("subject", "记录", text, chars=12),
    column("field_label", "字段", text),
    column("base", "单位上次上报", text),
    column("local", "县级现值（生效中）", text),
    column("incoming", "单位本次上报", text),
)
DUPLICATE_COLUMNS = (
    column("credit_code", "统一社会信用代码", text),
    column("entries", "涉及的单位和企业", lambda v: "；".join(v)),
)
REVIEW_COLUMNS = (
    column("unit", "单位", text, chars=6),
    column("status", "上报情况", text),
    column("reason", "最近审核意见", text),
)
KEY_COLUMNS = (
    column("unit_name", "单位", text, chars=6),
    column("fingerprint", "指纹", text, chars=14),  # the key id is its first 16 digits
    column("status", "状态", lambda v: keys.STATUS_LABELS.get(v, v)),
    column("operator", "登记时的填报人", text),
    column("enrolled_at", "登记时间", chars=8),
    column("retired_at", "停用时间", chars=8),
    column("revoked_at", "吊销时间", chars=8),
    column("last_good_sequence", "最后可信序号", lambda v: "" if v is None else str(v)),
)
AUDIT_COLUMNS = (
    column("at", "时间", chars=8),
    column("unit", "单位", text, chars=6),
    column("operator", "操作员", text),
    column("source", "来源", text),
    column("entity", "类型", text),
    column("action", "操作", text),
    column("field", "字段", text),
    column("old", "原值", text),
    column("new", "新值", text),
    column("entity_id", "记录编号", text),
)


def _toolbar(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


def _button(text: str, slot: Any) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button


class ImportPage(Page):
    refreshed = Signal()  # the queues, keys and packages were read again
    reviewed = Signal()  # the review tab was read again
    audit_read = Signal()  # the audit tab was read again
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAcceptDrops(True)
        self.files: list[Path] = []
        self.results: dict[str, merge.FileResult] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading(self.tr("导入")))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._build_import_tab()
        self.conflicts = rows_model(CONFLICT_COLUMNS, self)
        self.conflicts_view = record_table(self.conflicts)
        self._tab(
            self.tr("冲突"),
            self.conflicts_view,
            _toolbar(
                _button(self.tr("采用单位上报的值"), lambda: self.resolve_conflict(True)),
                _button(self.tr("保留县级现值"), lambda: self.resolve_conflict(False)),
            ),
        )
        self.duplicates = rows_model(DUPLICATE_COLUMNS, self)
        self.duplicates_view = record_table(self.duplicates, stretch=1)
        self._tab(
            self.tr("重复企业"),
            self.duplicates_view,
            _toolbar(_button(self.tr("记录处理意见…"), self.resolve_duplicate)),
        )
        self._build_review_tab()
        self.keys = rows_model(KEY_COLUMNS, self)
        self.keys_view = record_table(self.keys)
        self._tab(
            self.tr("密钥"),
            self.keys_view,
            _toolbar(
                _button(self.tr("登记单位密钥…"), self.enroll),
                _button(self.tr("吊销…"), self.revoke),
                _button(self.tr("导出县级身份文件…"), self.export_identity),
                _button(self.tr("更换县级密钥…"), self.rotate_key),
                _button(self.tr("口令要求…"), self.passphrase_policy),
            ),
        )
        self._build_audit_tab()
        self.passphrase_minimum = 0
        self.refresh()

    def concerned(self, changes: Changes) -> bool:
        return changes.packages or changes.keys or changes.reference or changes.touches(*RECORD_KINDS)

    def _tab(self, title: str, view: QTableView, toolbar: QHBoxLayout, top: QWidget | None = None) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        if top is not None:
            box.addWidget(top)
        box.addLayout(toolbar)
        box.addWidget(view, 1)
        self.tabs.addTab(page, title)

    def _build_import_tab(self) -> None:
        self.file_model = rows_model(FILE_COLUMNS, self)
        self.file_view = record_table(self.file_model, stretch=5)
        self.file_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_counts())
        self.counts = rows_model(COUNT_COLUMNS, self)
        self.counts_view = record_table(self.counts)
        self.hint = QLabel(self.tr("把上报包（.hdpkg）拖到这里，或点“添加文件”。先校验，再预览，确认后合并。"))
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.hint)
        self.verify_button = _button(self.tr("校验全部"), lambda: self.run_files(merge.VERIFIED))
        self.preview_button = _button(self.tr("预览合并"), lambda: self.run_files(merge.PREVIEW))
        self.merge_button = _button(self.tr("合并"), lambda: self.run_files(merge.MERGED))
        box.addLayout(
            _toolbar(
                _button(self.tr("添加文件…"), self.add_files),
                _button(self.tr("清空列表"), self.clear),
                self.verify_button,
                self.preview_button,
                self.merge_button,
            )
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.file_view)
        split.addWidget(self.counts_view)
        box.addWidget(split, 1)
        self.tabs.addTab(page, self.tr("导入"))

    def _build_review_tab(self) -> None:
        self.period_box = QComboBox()
        self.period_box.currentIndexChanged.connect(lambda _i: self._load_review())
        self.review = rows_model(REVIEW_COLUMNS, self)
        self.review_view = record_table(self.review, stretch=2)
        top = QWidget()
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("期别：")))
        row.addWidget(self.period_box)
        row.addStretch(1)
        self._tab(
            self.tr("审核"),
            self.review_view,
            _toolbar(
                _button(self.tr("接收"), self.accept_period),
                _button(self.tr("退回…"), self.return_period),
                _button(self.tr("生成下发包…"), self.export_reply),
                _button(self.tr("基础数据下发包（全部单位）…"), self.export_reference),
            ),
            top,
        )

    def _build_audit_tab(self) -> None:
        self.audit_source = QComboBox()
        self.audit_source.addItem(self.tr("县级操作日志（全部）"), None)
        self.audit_source.addItem(self.tr("县级操作日志（合并）"), "merge")
        self.audit_source.currentIndexChanged.connect(lambda _i: self._load_audit())
        self.audit = rows_model(AUDIT_COLUMNS, self)
        self.audit_view = record_table(self.audit, stretch=8)
        top = QWidget()
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("查看：")))
        row.addWidget(self.audit_source, 1)
        self._tab(self.tr("操作日志"), self.audit_view, _toolbar(), top)

    # refresh ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        db = self.ctx.db

        def read(_p: object) -> tuple[Any, ...]:
            return (
                review.open_conflicts(db),
                review.open_duplicates(db),
                keys.enrolled_keys(db),
                ledger.package_history(db),
                audit_log.merged_packages(db),
                keys.passphrase_minimum(db),
            )

        self.ctx.tasks.read(read, on_success=self._show, parent=self, latest=(id(self), "queues"))

    def _show(self, read: tuple[Any, ...]) -> None:
        conflicts, duplicates, enrolled, history, merged, self.passphrase_minimum = read
        self.conflicts.set_rows([vars(c) for c in conflicts])
        self.duplicates.set_rows([vars(d) for d in duplicates])
        self.keys.set_rows([vars(k) for k in enrolled])
        self.tabs.setTabText(1, self.tr("冲突（{n}）").format(n=len(self.conflicts.rows)))
        self.tabs.setTabText(2, self.tr("重复企业（{n}）").format(n=len(self.duplicates.rows)))
        current = self.period_box.currentData() or self.ctx.period
        self.period_box.blockSignals(True)
        self.period_box.clear()
        received = {r.period for r in history if r.period}
        for p in sorted(received | set(periods.span(self.ctx.period, 12)), reverse=True):
            self.period_box.addItem(p, p)
        self.period_box.setCurrentIndex(max(0, self.period_box.findData(current)))
        self.period_box.blockSignals(False)
        self._load_review()
        chosen = self.audit_source.currentData()
        self.audit_source.blockSignals(True)
        while self.audit_source.count() > 2:
            self.audit_source.removeItem(2)
        for package_id, label in merged:
            self.audit_source.addItem(self.tr("单位日志：{p}").format(p=label), f"package:{package_id}")
        self.audit_source.setCurrentIndex(max(0, self.audit_source.findData(chosen)))
        self.audit_source.blockSignals(False)
        self._load_audit()
        self.refreshed.emit()

    def _load_review(self) -> None:
        period = self.period_box.currentData() or self.ctx.period
        db = self.ctx.db
        self.ctx.tasks.read(
            lambda _p: (reporting.status_matrix(db, [period]), review.reviews(db), load_reference(db)),
            on_success=lambda read: self._show_review(period, *read),
            parent=self,
            latest=(id(self), "review"),
        )

    def _show_review(
        self, period: str, matrix: dict[tuple[int, str], str], reviews: list[review.Decision], ref: Reference
    ) -> None:
        latest: dict[int, str] = {}
        for r in reversed(reviews):
            if r.period == period:
                latest[r.unit_id] = f"{r.label}：{r.reason}" if r.reason else r.label
        self.review.set_rows(
            [
                {
                    "unit_id": u.id,
                    "unit": u.name,
                    "period": period,
                    "status": matrix.get((u.id, period), ""),
                    "reason": latest.get(u.id, ""),
                }
                for u in ref.units
            ]
        )
        self.reviewed.emit()

    def _load_audit(self) -> None:
        source, db = self.audit_source.currentData(), self.ctx.db

        def read(_p: object) -> list[dict[str, Any]]:
            if isinstance(source, str) and source.startswith("package:"):
                return audit_log.unit_entries(db, source.removeprefix("package:"))
            return audit_log.entries(db, source=source)

        def show(rows: list[dict[str, Any]]) -> None:
            self.audit.set_rows(rows)
            self.audit_read.emit()

        self.ctx.tasks.read(read, on_success=show, parent=self, latest=(id(self), "audit"))

    # files ------------------------------------------------------------------------------------
    def add_files(self) -> None:
        self.add_paths(FileDialogs.open_files(self, self.tr("选择上报包"), w.PACKAGE_FILTER))

    def add_paths(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self.files:
                self.files.append(path)
        self._show_files()

    def clear(self) -> None:
        self.files.clear()
        self.results.clear()
        self._show_files()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self.add_paths([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()

    def _show_files(self) -> None:
        rows = []
        for path in self.files:
            r = self.results.get(str(path))
            if r is None:
                rows.append({"path": path, "file": path.name, "unit": "", "status": ""})
                continue
            detail = r.reason if r.status in (merge.REFUSED, merge.DUPLICATE) else r.describe().split("）", 1)[-1]
            rows.append(
                {
                    "path": path,
                    "file": r.file,
                    "unit": r.unit,
                    "period": r.period,
                    "sequence": r.sequence,
                    "status": r.status,
                    "detail": detail,
                    "result": r,
                }
            )
        self.file_model.set_rows(rows)
        if rows:
            self.file_view.selectRow(0)
        self._show_counts()

    def _show_counts(self) -> None:
        row = selected_row(self.file_view)
        result: merge.FileResult | None = row.get("result") if row else None
        self.counts.set_rows(
            [
                {"entity": ENTITY_LABELS[e], **{k: str(v) for k, v in vars(c).items()}}
                for e, c in (result.counts.items() if result else [])
            ]
        )

    def run_files(self, mode: str) -> None:
        if not self.files:
            QMessageBox.information(self, self.tr("导入"), self.tr("请先添加上报包文件。"))
            return
        ok, passphrase = w.key_passphrase(self, self.ctx.db)  # the packages are sealed to the county's key
        if not ok:
            return
        db, files = self.ctx.db, list(self.files)

        def check(progress: Any) -> list[merge.FileResult]:
            if mode == merge.VERIFIED:
                return merge.verify_files(db, files, progress, passphrase=passphrase)
            return merge.merge_files(db, files, dry_run=True, progress=progress, passphrase=passphrase)

        def done(results: list[merge.FileResult]) -> None:
            for path, result in zip(files, results, strict=True):
                self.results[str(path)] = result
            self._show_files()
            if mode == merge.MERGED:
                refused = sum(r.status == merge.REFUSED for r in results)
                merged = sum(r.status == merge.MERGED for r in results)
                QMessageBox.information(
                    self,
                    self.tr("合并完成"),
                    self.tr("已合并{merged}个上报包，拒绝{refused}个，其余为重复导入。").format(
                        merged=merged, refused=refused
                    ),
                )

        labels = {
            merge.VERIFIED: self.tr("正在校验…"),
            merge.PREVIEW: self.tr("正在预览…"),
            merge.MERGED: self.tr("正在合并…"),
        }
        if mode != merge.MERGED:  # writes nothing: can stop between packages
            self.ctx.tasks.read(check, on_success=done, parent=self, label=labels[mode])
            return
        merged = Changes.everything() | Changes(backups=True)
        # one transaction per package: the work cannot stop half way through a package, and
        # stopping between packages would leave part of a batch merged; it is not cancellable
        Operation(
            self, lambda progress: merge.merge_files(db, files, progress=progress, passphrase=passphrase), merged
        ).success(done).partial(merged).with_progress(labels[mode]).run(self.ctx)

    # queues -----------------------------------------------------------------------------------
    def resolve_conflict(self, take_unit: bool) -> None:
        row = selected_row(self.conflicts_view)
        if row is not None:
            w.resolve_conflict(self, row, keep_incoming=take_unit)

    def resolve_duplicate(self) -> None:
        row = selected_row(self.duplicates_view)
        if row is None:
            return
        decision = w.ask_text(self, self.tr("重复企业"), self.tr("处理意见（如：同一企业，由某单位填报）："))
        if decision:
            db = self.ctx.db
            Operation(
                self, lambda _p: review.resolve_duplicate(db, row["credit_code"], decision), Changes(packages=True)
            ).run(self.ctx)

    # review -----------------------------------------------------------------------------------
    def _selected_unit(self) -> dict[str, Any] | None:
        row = selected_row(self.review_view)
        if row is None:
            QMessageBox.information(self, self.tr("审核"), self.tr("请先在表中选择一个单位。"))
        return row

    def accept_period(self) -> None:
        row = self._selected_unit()
        if row is not None:
            db = self.ctx.db
            Operation(
                self,
                lambda _p: review.review_period(db, row["unit_id"], row["period"], accept=True),
                Changes(packages=True),
            ).success(lambda result: QMessageBox.information(self, self.tr("审核"), result.summary())).run(self.ctx)

    def return_period(self) -> None:
        row = self._selected_unit()
        if row is None:
            return
        targets = review.comment_targets(self.ctx.db, row["unit_id"], row["period"])
        answer = w.ReturnDialog.ask(self, row["unit"], row["period"], targets)
        if answer is None:
            return
        db = self.ctx.db
        Operation(
            self,
            lambda _p: review.review_period(
                db,
                row["unit_id"],
                row["period"],
                accept=False,
                reason=answer.reason,
                comments=answer.comments,
            ),
            Changes(packages=True),
        ).success(lambda result: QMessageBox.information(self, self.tr("审核"), result.summary())).run(self.ctx)

    def export_reply(self) -> None:
        row = self._selected_unit()
        if row is None:
            return
        path = FileDialogs.save_file(self, self.tr("生成下发包"), f"{row['unit']}-下发包.hdpkg", w.PACKAGE_FILTER)
        if path is None:
            return
        path = with_suffix(path, ".hdpkg")
        ok, passphrase = w.key_passphrase(self, self.ctx.db)
        if not ok:
            return
        db = self.ctx.db

        def done(result: reply.ReplyResult) -> None:
            Saved.show(self, self.tr("下发包已生成"), result.summary(), result.path)

        Operation(
            self,
            lambda _p: reply.export_reply(db, row["unit_id"], path, passphrase=passphrase),
            Changes(packages=True),
        ).success(done).with_progress(self.tr("正在生成下发包…")).run(self.ctx)

    def export_reference(self) -> None:
        path = FileDialogs.save_file(
            self, self.tr("生成基础数据下发包"), "全部单位-基础数据下发包.hdpkg", w.PACKAGE_FILTER
        )
        if path is None:
            return
        ok, passphrase = w.key_passphrase(self, self.ctx.db)
        if not ok:
            return
        db, out = self.ctx.db, with_suffix(path, ".hdpkg")

        def done(result: reply.ReplyResult) -> None:
            Saved.show(self, self.tr("基础数据下发包已生成"), result.summary(), result.path)

        Operation(
            self, lambda _p: reply.export_reference(db, out, passphrase=passphrase), Changes(packages=True)
        ).success(done).with_progress(self.tr("正在生成基础数据下发包…")).run(self.ctx)

    # keys -------------------------------------------------------------------------------------
    def enroll(self) -> None:
        for path in FileDialogs.open_files(self, self.tr("选择乡镇的密钥登记文件"), w.ENROLLMENT_FILTER):
            try:
                found = keys.read_enrollment(path)
            except Exception as exc:  # one unreadable file does not stop the others
                show_error(self, exc)
                continue
            if not w.confirm_fingerprint(self, self.tr("登记单位密钥"), found.unit_name, found.fingerprint):
                QMessageBox.information(
                    self, self.tr("密钥登记"), self.tr("未登记{unit}的密钥。").format(unit=found.unit_name)
                )
                continue
            self._enroll(path, found.fingerprint)

    def _enroll(self, path: Path, fingerprint: str) -> None:
        db = self.ctx.db
        Operation(self, lambda _p: keys.enroll(db, path, fingerprint=fingerprint), Changes(keys=True)).success(
            self._enrolled
        ).run(self.ctx)

    def _enrolled(self, key: keys.EnrolledKey) -> None:
        text = self.tr("{verb}{unit}的密钥（指纹 {fp}）。").format(
            verb=self.tr("已登记过") if key.already else self.tr("已登记"), unit=key.unit_name, fp=key.fingerprint
        )
        if key.replaced:
            text += self.tr("该单位原来的密钥已停用，用它签名的上报包不再接收。")
        QMessageBox.information(self, self.tr("密钥登记"), text)

    def revoke(self) -> None:
        row = selected_row(self.keys_view)
        if row is None or row["status"] != keys.ACTIVE:
            QMessageBox.information(self, self.tr("吊销密钥"), self.tr("请先在表中选择一个有效的密钥。"))
            return
        reason = w.ask_text(
            self,
            self.tr("吊销密钥"),
            self.tr("吊销{unit}的密钥，立即生效，此后该密钥签名的包一律拒绝。原因：").format(unit=row["unit_name"]),
        )
        if not reason:
            return
        last_good = w.ask_text(
            self,
            self.tr("吊销密钥"),
            self.tr("最后一个可信的上报包序号（不填则为已合并的最后一个；如知道密钥何时泄露，填泄露前收到的序号）："),
        )
        if last_good and not last_good.isdigit():
            QMessageBox.warning(self, self.tr("吊销密钥"), self.tr("序号应为数字，未吊销。"))
            return
        db, good = self.ctx.db, int(last_good) if last_good else None
        Operation(
            self, lambda _p: keys.revoke(db, row["unit_name"], last_good=good, reason=reason), Changes(keys=True)
        ).success(lambda result: QMessageBox.information(self, self.tr("吊销密钥"), result.summary())).run(self.ctx)

    def export_identity(self) -> None:
        path = FileDialogs.save_file(self, self.tr("导出县级身份文件"), "衡东县-县级身份文件.json", w.IDENTITY_FILTER)
        if path is None:
            return
        ok, passphrase = w.key_passphrase(self, self.ctx.db)
        if not ok:
            return
        db, out = self.ctx.db, with_suffix(path, ".json")

        def done(identity: keys.CountyIdentity) -> None:
            Saved.show(
                self,
                self.tr("县级身份文件"),
                self.tr(
                    "已导出到 {path}。\n把它交给各乡镇（U盘或邮件均可），乡镇导入时须电话核对县级密钥指纹：\n{fp}"
                ).format(path=out, fp=identity.fingerprint),
                out,
            )

        Operation(self, lambda _p: keys.export_identity(db, out, passphrase), Changes()).success(done).run(self.ctx)

    def rotate_key(self) -> None:
        if not w.confirm(
            self,
            self.tr("更换县级密钥"),
            self.tr(
                "更换后，旧密钥签署一份更换记录，随此后的每个下发包发给乡镇，乡镇应用后自动改用新密钥；"
                "旧私钥将被删除。确定更换吗？"
            ),
        ):
            return
        ok, passphrase = w.key_passphrase(self, self.ctx.db)
        if not ok:
            return
        db = self.ctx.db

        def done(own: keys.OwnKey) -> None:
            QMessageBox.information(
                self,
                self.tr("更换县级密钥"),
                self.tr("已更换县级密钥，新指纹：{fp}。请重新导出县级身份文件备用。").format(fp=own.fingerprint),
            )

        Operation(self, lambda _p: keys.rotate_county_key(db, passphrase, passphrase), Changes(keys=True)).success(
            done
        ).run(self.ctx)

    def passphrase_policy(self) -> None:
        text = w.ask_text(
            self,
            self.tr("口令要求"),
            self.tr("签名密钥口令至少多少个字符？（0表示可不设口令；随下发包通知各单位）"),
            str(self.passphrase_minimum),
        )
        if text is None:
            return
        if not text.isdigit():
            QMessageBox.warning(self, self.tr("口令要求"), self.tr("请填写数字。"))
            return
        db, actor = self.ctx.db, self.ctx.info.actor("reference")
        Operation(
            self, lambda _p: set_passphrase_minimum(db, actor, int(text)), Changes(reference=True, keys=True)
        ).run(self.ctx)
