"""Data entry as a new clerk meets it (issue 17): Ctrl+N starts typing in the first field (item 5),
the editor's tables can be read (item 6), and the frictions of the 月度调度 grid, the pickers, the
setup wizard and the current period."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from hengdong_desktop.ui.editors import EnterpriseEditor, RecordEditor
from tests.ui.entry_helpers import close_window, open_window


def _when_open(act, look) -> Any:  # type: ignore[no-untyped-def]
    """Runs `act` (which opens a modal editor), calls `look(editor)` once it is on screen, closes it."""
    seen: list[Any] = []

    def inspect(tries: int = 200) -> None:
        editor = QApplication.activeModalWidget()
        if not isinstance(editor, RecordEditor) or not editor.isVisible():
            if tries:
                QTimer.singleShot(20, lambda: inspect(tries - 1))
            return
        try:
            seen.append(look(editor))
        finally:
            editor.dirty = False
            editor.reject()

    QTimer.singleShot(0, inspect)
    act()
    return seen[0]


@pytest.mark.parametrize(
    ("page", "first"), [("enterprises", "field_credit_code"), ("projects", "field_name"), ("problems", "field_target")]
)
def test_ctrl_n_starts_typing_in_the_first_field(
    qtbot,
    demo_township: Path,
    settings,
    page: str,  # type: ignore[no-untyped-def]
    first: str,
) -> None:
    window = open_window(qtbot, demo_township, settings, page)
    window.activateWindow()

    def look(editor: RecordEditor) -> tuple[str, str]:
        focused = editor.focusWidget()  # what has the keyboard when the dialog is the active window
        assert focused is not None
        qtbot.keyClicks(focused, "AB12")
        field = editor.findChild(QWidget, first)
        text = field.currentText() if isinstance(field, QComboBox) else field.text()  # type: ignore[union-attr]
        return focused.objectName(), text

    assert window.actions_by_key["new"].shortcut().toString() == "Ctrl+N"
    name, typed = _when_open(window.actions_by_key["new"].trigger, look)
    assert name == first and typed == "AB12"  # nothing typed is lost
    close_window(window)


def test_the_editor_tables_show_their_texts(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """培育名录 of a new enterprise, filled in after the editor opened: each column as wide as its
    longest text or its header, never “专精… | … | 2024…”."""
    from datetime import date

    from hengdong_desktop.ui.dialogs import MembershipDialog

    window = open_window(qtbot, demo_township, settings, "enterprises")
    editor = EnterpriseEditor.build(window, window.ctx)
    editor.resize(820, 680)
    editor.show()
    editor.tabs.setCurrentWidget(editor.member_table)
    table = editor.member_table.view
    model = table.model()
    assert model.rowCount() == 0
    monkeypatch.setattr(
        MembershipDialog,
        "ask",
        classmethod(
            lambda _cls, _p, _ref, _v: {
                "list_name": "专精特新企业",
                "level": "省级专精特新中小企业",
                "date_in": date(2024, 3, 1),
                "reason_in": "2024年第一批省级专精特新中小企业名单",
                "date_out": None,
                "reason_out": None,
            }
        ),
    )
    editor.member_table.edit(None)
    QApplication.processEvents()
    assert model.rowCount() == 1
    metrics = table.fontMetrics()
    for column in range(model.columnCount()):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        text = str(model.index(0, column).data() or "")
        assert table.columnWidth(column) >= max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(header)), (
            header
        )
    editor.dirty = False
    editor.close()
    close_window(window)


def test_the_wizard_preselects_no_unit(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Enter on the unit page, before choosing, stays there: the first unit (洣水镇) is not chosen."""
    from hengdong_desktop.domain.reference import default_file, load_file
    from hengdong_desktop.ui.setup_wizard import SetupWizard

    ref, _targets = load_file(default_file())
    wizard = SetupWizard(list(ref.units))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == SetupWizard.UNIT
    units = wizard.unit_page.units
    units.setFocus()
    QApplication.sendEvent(units, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))
    assert units.currentItem() is not None  # the list's cursor is on the first unit, as Qt puts it
    qtbot.keyClick(units, Qt.Key.Key_Return)
    assert wizard.currentId() == SetupWizard.UNIT and wizard.unit_page.unit() is None
    qtbot.keyClick(units, Qt.Key.Key_Space)  # choosing it, on purpose
    assert wizard.unit_page.unit() == "洣水镇"


def test_each_database_keeps_its_own_period(qtbot, demo_township: Path, demo_county: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """Looking at 2025-01 in the township's database leaves the county's database where it was, in
    a new window and when the open database is replaced."""
    from hengdong_desktop.app import build_main_window
    from hengdong_desktop.services import setup
    from hengdong_desktop.ui import database
    from tests.ui.entry_helpers import PERIOD, remember_period

    remember_period(settings, demo_county, "2025-02")
    window = open_window(qtbot, demo_township, settings, "overview")  # opens in PERIOD (2025-03)
    assert window.ctx.period == PERIOD
    window.ctx.set_period("2025-01")
    db, info = setup.open_initialized(demo_county)
    assert info.database_id != window.ctx.info.database_id
    seen: list[str] = []
    window.ctx.period_changed.connect(seen.append)
    database._replace(window, db, info)
    assert window.ctx.period == "2025-02" and seen == ["2025-02"]  # the county's own, and pages told so
    assert "2025-02" in window.period_label.text()
    close_window(window)

    again = build_main_window(demo_township, settings)
    assert again is not None
    qtbot.addWidget(again)
    assert again.ctx.period == "2025-01"  # the township's, as it was left
    again.ctx.tasks.wait()
    again.ctx.db.close()
