"""The one way to run long work: off the UI thread, with progress, results and errors delivered
back on the UI thread. A single worker thread runs every task in order, so writes never race."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], Any]


class TaskHandle(QObject):
    """Lives on the UI thread; the worker reports through its private signals (queued)."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    _worker_progress = Signal(int, int, str)
    _worker_done = Signal(object)
    _worker_error = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._worker_progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._worker_done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._worker_error.connect(self._on_error, Qt.ConnectionType.QueuedConnection)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self.result, self.done = result, True
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, error: object) -> None:
        self.error, self.done = error, True  # type: ignore[assignment]
        self.failed.emit(error)
        self.finished.emit()


class _Job(QRunnable):
    def __init__(self, work: Work, handle: TaskHandle) -> None:
        super().__init__()
        self.work = work
        self.handle = handle

    def run(self) -> None:
        try:
            result = self.work(self.handle._worker_progress.emit)
        except BaseException as exc:  # delivered to the UI thread, never lost
            self.handle._worker_error.emit(exc)
        else:
            self.handle._worker_done.emit(result)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._handles: set[TaskHandle] = set()

    def run(
        self,
        work: Work,
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        parent: QWidget | None = None,
        label: str | None = None,
    ) -> TaskHandle:
        """Runs `work(progress)` in the background.

        With `label`, a modal progress dialog appears if the work takes more than a moment.
        Without `on_failure`, errors are shown by `show_error` (a Chinese message for a
        UserError, the crash dialog for anything else)."""
        handle = TaskHandle(self)
        self._handles.add(handle)
        dialog: QProgressDialog | None = None
        if label is not None:
            dialog = QProgressDialog(label, "", 0, 0, parent)
            dialog.setCancelButton(None)
            dialog.setWindowTitle(self.tr("请稍候"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)

            def show_progress(done: int, total: int, text: str) -> None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(done if total else 0)
                if text:
                    dialog.setLabelText(text)

            handle.progressed.connect(show_progress)

        def finish() -> None:
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            self._handles.discard(handle)

        def succeeded(result: object) -> None:
            finish()
            if on_success is not None:
                on_success(result)

        def failed(error: object) -> None:
            finish()
            if on_failure is not None:
                on_failure(error)  # type: ignore[arg-type]
            else:
                from hengdong_desktop.ui.errors import show_error

                show_error(parent, error)  # type: ignore[arg-type]

        handle.succeeded.connect(succeeded)
        handle.failed.connect(failed)
        self._pool.start(_Job(work, handle))
        return handle

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)
