"""Preview, print and save the printed documents (企业培育表, 项目调度表, 通报).

The PDF is generated in the background (services.pdf through the TaskRunner) while the preview
window shows the progress (closing it stops the generation); then QPdfView shows the pages, 打印
sends them to a printer chosen in QPrintDialog (pages rendered in the background too; 取消 aborts
the job) and 另存为 copies the file."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from hengdong_desktop.domain import periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import bulletins, pdf
from hengdong_desktop.services.pdf.bulletin import NARRATIVE_PARTS, Narrative
from hengdong_desktop.services.pdf.values import period_text
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import FileDialogs, Saved, with_suffix
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.form_dialog import CHOICE, FormDialog, FormField
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Shell
from hengdong_desktop.ui.tasks import Cancelled, Progress, TaskHandle

MAX_PRINT_DPI = 300  # enough for text on paper; higher only makes printing slow
ZOOM_STEP = 1.25


def ask_printer(parent: QWidget, pages: int) -> QPrinter | None:
    """The system print dialog; returns the configured printer, or None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, pages)
    dialog.setWindowTitle(parent.tr("打印"))
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def print_pdf(path: Path, printer: QPrinter, progress: Progress) -> int:
    """Renders each page of the PDF onto the printer (runs on the worker thread: QPainter on a
    QPrinter and a QPdfDocument of its own are both allowed there). Returns the pages printed."""
    document = QPdfDocument()
    try:
        if document.load(str(path)) != QPdfDocument.Error.None_:
            raise UserError(f"无法读取要打印的文件“{path.name}”。")
        first = max(printer.fromPage(), 1) - 1
        last = (printer.toPage() or document.pageCount()) - 1
        # a printer that cannot make copies itself gets each page as often as asked
        copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
        pages = [page for page in range(first, last + 1) for _copy in range(copies)]
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        printer.setFullPage(True)  # the PDF carries its own margins
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError("无法连接打印机，请检查打印机是否可用。")
        try:
            area = printer.pageLayout().fullRectPixels(printer.resolution())
            for n, page in enumerate(pages):
                try:
                    progress(n, len(pages), f"正在打印第{n + 1}页，共{len(pages)}页")
                except Cancelled:
                    printer.abort()  # nothing of this job reaches the printer
                    raise
                if n:
                    printer.newPage()
                size = document.pagePointSize(page)
                image = document.render(page, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72)))
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(0, 0, image.width() * scale, image.height() * scale)
                target.moveCenter(QPointF(area.width() / 2, area.height() / 2))
                painter.drawImage(target, image)
        finally:
            painter.end()
    finally:
        document.close()
    return len(pages)


class PdfPreview(QDialog):
    """The preview window: progress while the PDF is generated, then the pages."""

    def __init__(self, parent: QWidget, ctx: AppContext, title: str, file_name: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        screen = parent.screen().availableGeometry()
        self.resize(min(920, screen.width() - 40), min(1000, screen.height() - 60))
        self._folder = Path(tempfile.mkdtemp(prefix="hengdong-print-"))
        self.path = self._folder / file_name
        self.written: pdf.WrittenPdf | None = None
        self.generation: TaskHandle | None = None  # making the PDF, until it is shown
        self.document = QPdfDocument(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toolbar = QToolBar()
        self.print_action = self._action(self.tr("打印…"), QKeySequence.StandardKey.Print, self.print_document)
        self.save_action = self._action(self.tr("另存为PDF…"), QKeySequence.StandardKey.Save, self.save_as)
        self.toolbar.addSeparator()
        self._action(self.tr("放大"), QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(ZOOM_STEP))
        self._action(self.tr("缩小"), QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(1 / ZOOM_STEP))
        self._action(self.tr("适合宽度"), None, self.fit_width)
        self.toolbar.addSeparator()
        self.page_label = QLabel()
        self.page_label.setContentsMargins(8, 0, 8, 0)
        self.toolbar.addWidget(self.page_label)
        layout.addWidget(self.toolbar)
        self.stack = QStackedWidget()
        waiting = QWidget()
        box = QVBoxLayout(waiting)
        box.addStretch(1)
        self.status = QLabel(self.tr("正在生成PDF…"))
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(480)
        box.addWidget(self.status)
        box.addWidget(self.progress, alignment=Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._update_page_label())
        self.stack.addWidget(waiting)
        self.stack.addWidget(self.view)
        layout.addWidget(self.stack, 1)
        self._set_ready(False)
        self.finished.connect(self._clean_up)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey | None, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    def _set_ready(self, ready: bool) -> None:
        for action in self.toolbar.actions():
            action.setEnabled(ready)

    # generation ---------------------------------------------------------------------------
    def show_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done if total else 0)
        if text:
            self.status.setText(text)

    def show_document(self, written: pdf.WrittenPdf) -> None:
        self.written = written
        # Shown from memory: QPdfDocument keeps a file it loaded open until it is destroyed (close()
        # does not release it), and Windows cannot delete an open file when the preview closes.
        buffer = QBuffer(self.document)
        buffer.setData(QByteArray(written.path.read_bytes()))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise UserError(f"无法打开生成的文件“{written.path.name}”。")
        self.stack.setCurrentWidget(self.view)
        self._set_ready(True)
        self._update_page_label()

    def _update_page_label(self) -> None:
        count = self.document.pageCount()
        current = self.view.pageNavigator().currentPage() + 1 if count else 0
        self.page_label.setText(self.tr("第 {page} / {pages} 页").format(page=current, pages=count))

    # actions -------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def save_as(self) -> Path | None:
        chosen = FileDialogs.save_file(self, self.tr("另存为PDF"), self.path.name, self.tr("PDF文件 (*.pdf)"))
        if chosen is None:
            return None
        target = with_suffix(chosen, ".pdf")
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            show_error(self, UserError(f"无法保存到“{target}”：{exc.strerror or exc}。"))
            return None
        Saved.show(self, self.tr("另存为PDF"), self.tr("已保存：{name}").format(name=target.name), target)
        return target

    def print_document(self) -> None:
        printer = ask_printer(self, self.document.pageCount())
        if printer is None:
            return
        path = self.path
        self.ctx.tasks.read(
            lambda progress: print_pdf(path, printer, progress), parent=self, label=self.tr("正在发送到打印机…")
        )

    def _clean_up(self) -> None:
        self.document.close()
        shutil.rmtree(self._folder, ignore_errors=True)


Write = Callable[[Path, Progress], pdf.WrittenPdf]


def _preview(parent: QWidget, ctx: AppContext, title: str, file_name: str, write: Write) -> PdfPreview:
    """Opens the preview at once and fills it when the background generation is done."""
    preview = PdfPreview(parent, ctx, title, file_name)
    preview.show()
    target = preview.path

    # the user may close the preview before the PDF is ready: then there is nothing to show
    def succeeded(written: pdf.WrittenPdf) -> None:
        if isValid(preview):
            preview.show_document(written)

    def failed(error: BaseException) -> None:
        if isValid(preview):
            preview.close()
            show_error(parent, error)

    handle = ctx.tasks.read(
        lambda progress: write(target, progress), on_success=succeeded, on_failure=failed, parent=preview
    )
    handle.progressed.connect(preview.show_progress)
    preview.finished.connect(handle.cancel)  # closed before the PDF is ready: stop making it
    preview.generation = handle
    return preview


def _scope(ctx: AppContext) -> int | None:
    return None if ctx.info.is_county else ctx.info.unit_id


def preview_enterprise_forms(parent: QWidget, ctx: AppContext, enterprise_ids: list[str] | None = None) -> PdfPreview:
    """Shows the 企业培育表 of these enterprises (one per page; None: every enterprise of the unit)."""
    db, period, unit = ctx.db, ctx.period, _scope(ctx)
    ids = None if enterprise_ids is None else list(enterprise_ids)
    return _preview(
        parent,
        ctx,
        parent.tr("企业培育表 — 打印预览"),
        f"企业培育表-{ctx.info.unit_name}-{period}.pdf",
        lambda out, progress: pdf.write_enterprise_forms(db, out, ids, unit_id=unit, period=period, progress=progress),
    )


def preview_project_forms(parent: QWidget, ctx: AppContext, project_ids: list[str] | None = None) -> PdfPreview:
    """Shows the 亿元级项目调度表 of these projects (one per page; None: every project of the unit)."""
    db, period, unit = ctx.db, ctx.period, _scope(ctx)
    ids = None if project_ids is None else list(project_ids)
    return _preview(
        parent,
        ctx,
        parent.tr("亿元级项目调度表 — 打印预览"),
        f"项目调度表-{ctx.info.unit_name}-{period}.pdf",
        lambda out, progress: pdf.write_project_forms(db, out, ids, unit_id=unit, period=period, progress=progress),
    )


def preview_bulletin(parent: QWidget, ctx: AppContext, period: str) -> PdfPreview:
    """Shows the county 通报 for `period`."""
    db = ctx.db
    return _preview(
        parent,
        ctx,
        parent.tr("通报 — 打印预览"),
        f"通报-{period}.pdf",
        lambda out, progress: pdf.write_bulletin(db, out, period, progress=progress),
    )


class PeriodDialog(QDialog):
    """Asks for the period of the 通报: the last two years and the current period (preselected)."""

    def __init__(self, parent: QWidget | None, current: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("打印通报"))
        self.period = QComboBox()
        choices = set(periods.span(max(current, periods.last_completed()), 24)) | {current}
        for p in sorted(choices, reverse=True):
            self.period.addItem(period_text(p), p)
        self.period.setCurrentIndex(max(0, self.period.findData(current)))
        form = QFormLayout(self)
        form.addRow(self.tr("通报期别："), self.period)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> str:
        return str(self.period.currentData())

    @classmethod
    def ask(cls, parent: QWidget | None, current: str) -> str | None:
        dialog = cls(parent, current)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class NarrativeDialog(QDialog):
    """发布通报: the summary written from the figures, to read and edit before issuing, and
    whether the red header is printed in black."""

    def __init__(self, parent: QWidget | None, period: str, draft: Narrative) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("发布通报"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "发布{p}通报：编入本年下一期号，存档其数字和PDF，以后按原样重印；已发布过的期别再次发布即为更正，"
                "通报中写明更正了什么。只计已接收的数据。以下综述由数据生成，可修改后发布。"
            ).format(p=period_text(period))
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.edits: dict[str, QPlainTextEdit] = {}
        for key, label in NARRATIVE_PARTS:
            edit = QPlainTextEdit(getattr(draft, key))
            edit.setObjectName(f"narrative_{key}")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(72)
            self.edits[key] = edit
            form.addRow(f"{label}：", edit)
        layout.addLayout(form)
        self.black = QCheckBox(self.tr("红头按黑色印制（单位只有黑白打印机时）"))
        self.black.setObjectName("black")
        layout.addWidget(self.black)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("发布"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def answer(self) -> tuple[Narrative, bool]:
        texts = {key: edit.toPlainText().strip() for key, edit in self.edits.items()}
        return Narrative(**texts), self.black.isChecked()

    @classmethod
    def ask(cls, parent: QWidget | None, period: str, draft: Narrative) -> tuple[Narrative, bool] | None:
        dialog = cls(parent, period, draft)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


# Menu handlers (ui/actions.py) ---------------------------------------------------------------
def print_unit_forms(window: Shell) -> None:
    preview_enterprise_forms(window, window.ctx)


def print_unit_projects(window: Shell) -> None:
    preview_project_forms(window, window.ctx)


def print_bulletin(window: Shell) -> None:
    period = PeriodDialog.ask(window, window.ctx.period)
    if period is not None:
        preview_bulletin(window, window.ctx, period)


def issue_bulletin(window: Shell) -> None:
    """发布通报: the period's 通报 gets the next 期号 and is kept (figures and PDF) for reprints;
    issuing writes, so it is an operation; the preview then shows the issued file."""
    ctx = window.ctx
    period = PeriodDialog.ask(window, ctx.period)
    if period is None:
        return
    db = ctx.db
    ctx.tasks.read(
        lambda _p: bulletins.draft_narrative(db, period),
        on_success=lambda draft: _issue_with(window, period, draft),
        parent=window,
    )


def _issue_with(window: Shell, period: str, draft: Narrative) -> None:
    """The office reads and edits the summary, chooses red or black, then the issue is written."""
    ctx, db = window.ctx, window.ctx.db
    answer = NarrativeDialog.ask(window, period, draft)
    if answer is None:
        return
    narrative, black = answer
    out = Path(tempfile.mkdtemp(prefix="hengdong-bulletin-")) / f"通报-{period}.pdf"

    def show(issued: bulletins.Issued) -> None:
        _preview(
            window,
            ctx,
            window.tr("{label}通报（已发布） — 打印预览").format(label=issued.label),
            f"通报-{issued.label}.pdf",
            lambda target, _p: _copied(out, target, issued.pages, period),
        )

    Operation(window, lambda _p: bulletins.issue(db, period, out, narrative=narrative, black=black), Changes()).success(
        show
    ).with_progress(window.tr("正在发布通报…")).run(ctx)


def _copied(source: Path, target: Path, pages: int, period: str) -> pdf.WrittenPdf:
    shutil.copyfile(source, target)
    shutil.rmtree(source.parent, ignore_errors=True)
    return pdf.WrittenPdf(target, pages, period)


def reprint_bulletin(window: Shell) -> None:
    """重印: an issued 通报, byte for byte as issued."""
    ctx = window.ctx
    issued = bulletins.issued(ctx.db)
    if not issued:
        QMessageBox.information(window, window.tr("重印通报"), window.tr("尚未发布通报。"))
        return
    answer = FormDialog.ask(
        window,
        window.tr("重印通报"),
        [
            FormField(
                "issue",
                window.tr("期号"),
                CHOICE,
                tuple(
                    (f"{b.label}（{b.period}，{b.issued_on}）" + (f"，更正{b.corrects}" if b.corrects else ""), b)
                    for b in issued
                ),
            )
        ],
        {},
    )
    if answer is None:
        return
    chosen: bulletins.Issued = answer["issue"]
    db = ctx.db

    def write(out: Path, _progress: Progress) -> pdf.WrittenPdf:
        path = bulletins.reprint(db, chosen.label, out)
        return pdf.WrittenPdf(path, 0, chosen.period)

    _preview(window, ctx, window.tr("{label}通报 — 重印").format(label=chosen.label), f"通报-{chosen.label}.pdf", write)
