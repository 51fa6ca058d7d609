"""UI fixtures: Qt in test mode (standard paths under the run's temporary home, see tests/conftest.py),
settings in a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from hengdong_desktop.ui.settings import Settings


@pytest.fixture(autouse=True)
def _qt_test_mode(qapp) -> None:  # type: ignore[no-untyped-def]
    QStandardPaths.setTestModeEnabled(True)
    qapp.setOrganizationName("HengdongCountyTest")
    qapp.setApplicationName("HengdongDesktopTest")


@pytest.fixture(autouse=True)
def _crash_dialog_fails_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug reaching the crash dialog fails the test at once instead of waiting on a modal
    dialog nobody will close; tests of the dialog itself replace `present` again."""
    from hengdong_desktop.ui.errors import CrashDialog

    def present(_cls, _parent, _report, text: str) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError(f"the crash dialog would have opened:\n{text}")

    monkeypatch.setattr(CrashDialog, "present", classmethod(present))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


# Fixtures of the data-entry screens: demo databases, no modal dialog left open at teardown.
from tests.ui.entry_helpers import (  # noqa: E402, F401
    demo_county,
    demo_township,
    no_blocking_dialogs,
    no_message_boxes,
    saved_notes,
)
