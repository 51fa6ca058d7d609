"""Helpers for the data-entry screen tests: a main window over a demo database, CJK typing,
and dialogs replaced through their `ask` classmethods."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from hengdong_desktop.app import build_main_window
from hengdong_desktop.services import demo, setup
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.main_window import MainWindow
from hengdong_desktop.ui.settings import Settings

PERIOD = "2025-03"


def type_text(widget: QWidget, text: str) -> None:
    """Types text the way a Chinese input method commits it (qtbot.keyClicks aborts on CJK)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def remember_period(settings: Settings, path: Path, period: str = PERIOD) -> None:
    """Makes the database at `path` open in `period` (each database keeps its own period)."""
    db, info = setup.open_initialized(path)
    db.close()
    settings.set(s.last_period(info.database_id), period)


def open_window(qtbot: Any, path: Path, settings: Settings, page: str) -> MainWindow:
    remember_period(settings, path)
    window = build_main_window(path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.show_page(page)
    return window


def wait_counted(qtbot: Any, page: Any) -> None:
    """Until a list page has counted its rows (it counts in the background)."""
    if page.total is None:
        with qtbot.waitSignal(page.counted, timeout=10_000):
            pass


def close_window(window: MainWindow) -> None:
    window.ctx.tasks.wait()
    window.ctx.db.close()


@pytest.fixture
def demo_township(training_township_path: Path) -> Path:
    db, _info = setup.open_initialized(training_township_path)
    demo.generate(db, enterprises=12, months=3, projects=3, seed=11, end_period=PERIOD)
    db.close()
    return training_township_path


@pytest.fixture
def demo_county(training_county_path: Path) -> Path:
    db, _info = setup.open_initialized(training_county_path)
    demo.generate(db, enterprises=2, months=2, projects=1, seed=3, end_period=PERIOD)
    db.close()
    return training_county_path


class Recorder:
    """Stands in for a dialog's `ask`: records each call and answers from a list."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that stops half-way must not leave a modal question open at teardown: unsaved work
    is discarded and confirmations answered yes, unless a test says otherwise."""
    from hengdong_desktop.ui.dialogs import Confirm, UnsavedChanges

    monkeypatch.setattr(UnsavedChanges, "ask", lambda _parent, _what: "discard")
    monkeypatch.setattr(Confirm, "ask", lambda _parent, _title, _text: True)


@pytest.fixture(autouse=True)
def saved_notes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, Path]]:
    """The notes that an export is done (title, text, file), collected instead of shown."""
    from hengdong_desktop.ui.dialogs import Saved

    notes: list[tuple[str, str, Path]] = []
    monkeypatch.setattr(
        Saved, "show", classmethod(lambda _cls, _parent, title, text, path: notes.append((title, text, path)))
    )
    return notes


@pytest.fixture
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """Errors that screens would show in a message box, collected instead of blocking the test."""
    shown: list[BaseException] = []
    for module in ("errors", "editors", "pages.library", "pages.monthly"):
        monkeypatch.setattr(f"hengdong_desktop.ui.{module}.show_error", lambda _parent, exc: shown.append(exc))
    yield shown
