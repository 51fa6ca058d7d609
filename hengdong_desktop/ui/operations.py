"""Every write from the UI is an `Operation` (Anki's CollectionOp): its work runs on the writer
thread (ui/tasks.py), after every write started before it; when it is done its `Changes` are
announced (`AppContext.changed`) so that each page refreshes what concerns it, then its success
callback runs. A failure changes nothing (the services write in one transaction) and is shown,
or handed to the failure callback.

    Operation(self, lambda _p: entry.remove(db, info, "enterprise", record_id, reason),
              Changes.records({"enterprise"}, [("enterprise", record_id)], [unit])).run(ctx)

Work that takes a while shows a progress dialog (`with_progress`); it has a cancel button only
when the work can stop at its progress calls without leaving half a change (see ui/tasks.py).
Work that commits in several transactions (a batch of packages) declares `partial`: its changes
are announced even when it fails or is cancelled part way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QWidget

from hengdong_desktop.ui import errors
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.tasks import Progress, TaskHandle

T = TypeVar("T")


class Operation(Generic[T]):
    def __init__(
        self, parent: QWidget | None, work: Callable[[Progress], T], changes: Changes | Callable[[T], Changes]
    ) -> None:
        self._parent = parent
        self._work = work
        self._changes = changes
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None
        self._cancelled: Callable[[], Any] | None = None
        self._label: str | None = None
        self._cancellable = False
        self._partial: Changes | None = None

    @property
    def parent(self) -> QWidget | None:
        return self._parent

    def success(self, callback: Callable[[T], Any]) -> Operation[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Operation[T]:
        """Replaces the default (show the error to the clerk)."""
        self._failure = callback
        return self

    def cancelled(self, callback: Callable[[], Any]) -> Operation[T]:
        self._cancelled = callback
        return self

    def with_progress(self, label: str, *, cancellable: bool = False) -> Operation[T]:
        self._label, self._cancellable = label, cancellable
        return self

    def partial(self, changes: Changes) -> Operation[T]:
        """The work commits in steps: announce `changes` even if it stops part way."""
        self._partial = changes
        return self

    def run(self, ctx: AppContext) -> TaskHandle:
        def succeeded(result: T) -> None:
            changes = self._changes(result) if callable(self._changes) else self._changes
            ctx.announce(changes)
            if self._success is not None:
                self._success(result)

        def failed(error: BaseException) -> None:
            if self._partial is not None:
                ctx.announce(self._partial)
            if self._failure is not None:
                self._failure(error)
            else:
                errors.show_error(self._parent, error)

        handle = ctx.tasks.write(
            self._work,
            on_success=succeeded,
            on_failure=failed,
            parent=self._parent,
            label=self._label,
            cancellable=self._cancellable,
        )

        def cancelled() -> None:
            if self._partial is not None:
                ctx.announce(self._partial)
            if self._cancelled is not None:
                self._cancelled()

        handle.cancelled.connect(cancelled)
        return handle
