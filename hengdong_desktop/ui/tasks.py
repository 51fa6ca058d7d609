"""The one way to run work off the UI thread (Anki's taskman): a single writer thread runs every
write in the order given, so writes never race; a small pool beside it runs reads and counts, so
they never delay a save. Progress, results and errors come back on the UI thread.

Work is `work(progress)`. `progress(done, total, text)` reports how far it is and is where
cancellation happens: once the clerk cancels, the next call raises `Cancelled` — unless the work
reports itself finished (`done >= total > 0`), so that a report made after the last write never
undoes the outcome. Work is therefore cancellable at its progress calls, and a write is offered
a cancel button only when each such call comes before anything is written or between complete
transactions (the caller says so). Reads can always be cancelled: their result is dropped, and a
read also stops inside a long SQLite statement (db/stopping.py), so closing never waits for one.

Callbacks given with a `parent` widget are skipped once that widget is gone."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from hengdong_desktop.db import stopping
from hengdong_desktop.ui import errors

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress], Any]
READERS = 3  # threads of the read pool (SQLite reads run side by side in WAL mode)


class Cancelled(Exception):
    """The clerk cancelled the work (raised from its progress callback)."""


class TaskHandle(QObject):
    """One piece of work, on the UI thread; the worker reports through its private signals."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    _worker_progress = Signal(int, int, str)
    _worker_done = Signal(object)
    _worker_error = Signal(object)

    def __init__(self, parent: QObject | None = None, *, writes: bool = False) -> None:
        super().__init__(parent)
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.writes = writes  # a write that finished counts, even if cancelled too late
        self._cancel = threading.Event()
        self._worker_progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._worker_done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._worker_error.connect(self._on_error, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Asks the work to stop at its next progress call; its outcome is not reported."""
        if not self.done:
            stopping.stop(self._cancel)

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, text: str) -> None:
        """The work's progress callback (worker thread)."""
        if self._cancel.is_set() and not done >= total > 0:
            raise Cancelled
        self._worker_progress.emit(done, total, text)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if not self.done:
            self.progressed.emit(done, total, text)

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self.result, self.done = result, True
        if self._cancel.is_set() and not self.writes:
            self.cancelled.emit()
        else:
            self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, error: object) -> None:
        self.error, self.done = error, True  # type: ignore[assignment]
        if isinstance(error, Cancelled) or (self._cancel.is_set() and not self.writes):
            self.cancelled.emit()
        else:
            self.failed.emit(error)
        self.finished.emit()


class _Job(QRunnable):
    def __init__(self, work: Work, handle: TaskHandle) -> None:
        super().__init__()
        self.work = work
        self.handle = handle

    def run(self) -> None:
        try:
            # a cancelled read also stops inside a long SQLite statement; a write never does
            with nullcontext() if self.handle.writes else stopping.stoppable(self.handle._cancel):
                result = self.work(self.handle.report)
        except BaseException as exc:  # delivered to the UI thread, never lost
            self.handle._worker_error.emit(exc)
        else:
            self.handle._worker_done.emit(result)


def _alive(widget: QWidget | None) -> bool:
    return widget is None or isValid(widget)


class TaskRunner(QObject):
    # All work given has been answered (and whatever its answers started, too): for a page that
    # reads again after a change, the moment it is current.
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(READERS)
        self._handles: set[TaskHandle] = set()
        self._latest: dict[object, TaskHandle] = {}

    def write(self, work: Work, **options: Any) -> TaskHandle:
        """Runs a write on the writer thread, after every write given before it. Pages write
        through `ui.operations.Operation`, which calls this."""
        return self._start(self._writer, work, writes=True, **options)

    def read(self, work: Work, **options: Any) -> TaskHandle:
        """Runs a read (or work that writes only files of its own) on the read pool."""
        return self._start(self._readers, work, writes=False, **{"cancellable": True, **options})

    def _start(
        self,
        pool: QThreadPool,
        work: Work,
        *,
        writes: bool,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        parent: QWidget | None = None,
        label: str | None = None,
        cancellable: bool = False,
        latest: object = None,
    ) -> TaskHandle:
        """With `label`, a modal progress dialog appears if the work takes more than a moment,
        with a cancel button when `cancellable`, else saying that it cannot be stopped. With
        `latest` (any key), a task started later with the same key supersedes this one: this
        one's outcome is dropped. Without `on_failure`, errors are shown by `show_error` (a
        Chinese message for a UserError, the crash dialog for anything else)."""
        handle = TaskHandle(self, writes=writes)
        self._handles.add(handle)
        if latest is not None:
            previous = self._latest.get(latest)
            if previous is not None:
                previous.cancel()
            self._latest[latest] = handle
        dialog = None if label is None else self._progress_dialog(handle, label, cancellable, parent)

        def finish() -> None:
            if dialog is not None and isValid(dialog):
                dialog.close()
                dialog.deleteLater()
            self._handles.discard(handle)
            if latest is not None and self._latest.get(latest) is handle:
                del self._latest[latest]
            if not self._handles:
                self.idle.emit()

        def succeeded(result: object) -> None:
            if on_success is not None and _alive(parent):
                on_success(result)

        def failed(error: object) -> None:
            if not _alive(parent):
                return
            if on_failure is not None:
                on_failure(error)  # type: ignore[arg-type]
            else:
                errors.show_error(parent, error)  # type: ignore[arg-type]

        handle.finished.connect(finish)
        handle.succeeded.connect(succeeded)
        handle.failed.connect(failed)
        pool.start(_Job(work, handle))
        return handle

    def _progress_dialog(
        self, handle: TaskHandle, label: str, cancellable: bool, parent: QWidget | None
    ) -> QProgressDialog:
        text = label if cancellable else label + "\n" + self.tr("（此操作不能中途取消，请稍候。）")
        dialog = QProgressDialog(text, self.tr("取消"), 0, 0, parent)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setObjectName("taskProgress")
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(handle.cancel)

        def show_progress(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done if total else 0)
            if text:
                dialog.setLabelText(text if cancellable else text + "\n" + self.tr("（此操作不能中途取消，请稍候。）"))

        handle.progressed.connect(show_progress)
        return dialog

    @property
    def busy(self) -> bool:
        """Whether any work has not been answered yet."""
        return bool(self._handles)

    def close(self) -> None:
        """Quitting: the reads still running are cancelled (no one wants their answers any more)
        and stop at their next progress call; writes are waited for, so nothing saved is lost."""
        for handle in list(self._handles):
            if not handle.writes:
                handle.cancel()
        self.wait()

    def wait(self, msecs: int = -1) -> bool:
        """Blocks until both pools are idle (for closing and for tests)."""
        return self._writer.waitForDone(msecs) and self._readers.waitForDone(msecs)
