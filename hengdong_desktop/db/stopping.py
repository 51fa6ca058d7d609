"""Stopping a read in the middle of a SQLite statement: a worker thread names the event that
cancels its work (`stoppable`), and SQLite checks it every STEPS_PER_CHECK virtual-machine steps
of any statement that thread runs, ending the statement with `sqlite3.OperationalError`
("interrupted"). A window closing then never waits for a long query of a read nobody wants any
more. Writes never run inside `stoppable`: they are waited for, never cut short."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STEPS_PER_CHECK = 10_000  # well under a millisecond of SQLite's work between two checks
_current = threading.local()


@contextmanager
def stoppable(cancelled: threading.Event) -> Iterator[None]:
    """Statements this thread runs inside the block stop once `cancelled` is set."""
    _current.cancelled = cancelled
    try:
        yield
    finally:
        _current.cancelled = None


def _stop_requested() -> int:
    """SQLite's progress handler, called in the thread running the statement: non-zero stops it."""
    cancelled = getattr(_current, "cancelled", None)
    return 1 if cancelled is not None and cancelled.is_set() else 0


def make_stoppable(connection: sqlite3.Connection) -> None:
    """Lets `stoppable` stop the statements of this connection (done for every new one)."""
    connection.set_progress_handler(_stop_requested, STEPS_PER_CHECK)
