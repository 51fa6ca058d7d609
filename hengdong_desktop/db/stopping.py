"""Stopping a read in the middle of a SQLite statement: a worker thread names the event that
cancels its work (`stoppable`), and SQLite checks it every STEPS_PER_CHECK virtual-machine steps
of any statement that thread runs, ending the statement with `sqlite3.OperationalError`
("interrupted"). A statement that runs long in one step (PRAGMA quick_check) is interrupted at
once instead, on its own connection (`interruptible`), when the work is stopped (`stop`). A window
closing then never waits for a long query of a read nobody wants any more. Writes never run
inside `stoppable`: they are waited for, never cut short."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STEPS_PER_CHECK = 10_000  # well under a millisecond of SQLite's work between two checks
_current = threading.local()
_lock = threading.Lock()
_interrupts: dict[int, list[Callable[[], None]]] = {}  # id of a work's event → its connections' interrupt


@contextmanager
def stoppable(cancelled: threading.Event) -> Iterator[None]:
    """Statements this thread runs inside the block stop once `cancelled` is set."""
    _current.cancelled = cancelled
    try:
        yield
    finally:
        _current.cancelled = None


def stopped() -> bool:
    """Whether this thread runs work that has been stopped."""
    cancelled = getattr(_current, "cancelled", None)
    return cancelled is not None and cancelled.is_set()


def stop(cancelled: threading.Event) -> None:
    """Stops the work of `cancelled`: sets it and interrupts its `interruptible` connections."""
    with _lock:
        cancelled.set()
        for interrupt in _interrupts.get(id(cancelled), ()):
            interrupt()


@contextmanager
def interruptible(connection: sqlite3.Connection) -> Iterator[None]:
    """The statement this thread runs on `connection` (its own, never shared) inside the block
    ends at once when the thread's work is stopped."""
    cancelled = getattr(_current, "cancelled", None)
    if cancelled is None:
        yield
        return
    with _lock:
        if cancelled.is_set():
            raise sqlite3.OperationalError("interrupted")
        _interrupts.setdefault(id(cancelled), []).append(connection.interrupt)
    try:
        yield
    finally:
        with _lock:
            _interrupts[id(cancelled)].remove(connection.interrupt)
            if not _interrupts[id(cancelled)]:
                del _interrupts[id(cancelled)]


def _stop_requested() -> int:
    """SQLite's progress handler, called in the thread running the statement: non-zero stops it."""
    return 1 if stopped() else 0


def make_stoppable(connection: sqlite3.Connection) -> None:
    """Lets `stoppable` stop the statements of this connection (done for every new one)."""
    connection.set_progress_handler(_stop_requested, STEPS_PER_CHECK)
