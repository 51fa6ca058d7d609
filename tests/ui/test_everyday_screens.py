"""Every screen on a 1366×768 township PC (issue 17, item 7): the main window with any page, the
editors and the wizards fit the room such a screen leaves (its height less the taskbar and the
title bar), so nothing is pushed off screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from hengdong_desktop.domain.reference import default_file, load_file
from hengdong_desktop.ui.editors import EDITORS
from hengdong_desktop.ui.excel_wizard import ImportWizard
from hengdong_desktop.ui.setup_wizard import SetupWizard
from tests.ui.entry_helpers import close_window, open_window

ROOM = QSize(1366, 768 - 40 - 30)  # a 1366×768 screen less a taskbar and a title bar


def _fits(size: QSize) -> bool:
    return size.width() <= ROOM.width() and size.height() <= ROOM.height()


def test_every_township_page_and_editor_fits_a_1366x768_screen(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    _every_screen_fits(qtbot, demo_township, settings)


def test_every_county_page_and_editor_fits_a_1366x768_screen(qtbot, demo_county: Path, settings) -> None:  # type: ignore[no-untyped-def]
    _every_screen_fits(qtbot, demo_county, settings)


def _every_screen_fits(qtbot, path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, path, settings, "overview")
    window.resize(ROOM)
    for spec in window.specs:
        window.show_page(spec.key)
        window.ctx.tasks.wait()
        QApplication.processEvents()
        assert _fits(window.minimumSizeHint()), (spec.key, window.minimumSizeHint())
        assert window.size() == ROOM, spec.key  # no page made the window grow
    for entity, editor_class in EDITORS.items():
        editor = editor_class.build(window, window.ctx)
        assert _fits(editor.minimumSizeHint()) and _fits(editor.size()), entity
        editor.dirty = False
        editor.close()
    wizard = ImportWizard(window.ctx, window)
    assert _fits(wizard.minimumSizeHint()) and _fits(wizard.size())
    ref, _targets = load_file(default_file())
    setup = SetupWizard(list(ref.units))
    assert _fits(setup.minimumSizeHint())
    close_window(window)
