"""Qt's own dialogs speak Chinese (issue 17): with the translations the app installs, each standard
dialog the app opens — file choosers (open, several files, save), message boxes, the input and
progress dialogs, the wizards' buttons, printing, page setup and print preview, a text field's
context menu — shows no English word in its labels, buttons, tool tips, list headers or menus."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
    QWizard,
)

from hengdong_desktop.ui.i18n import install_translations

ENGLISH = re.compile(r"[A-Za-z]{2,}")
ALLOWED = re.compile(r"\([^)]*\*[^)]*\)|\([A-Za-z]{1,6}\)|\*\.\w+|Ctrl\+\S+|Shift\+\S+|Alt\+\S+|Esc|PDF|A4|Excel|xlsx")


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    translators = install_translations(qapp)
    assert translators  # Qt's zh_CN catalogues were found and installed
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def _texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """Every text a user reads on `root`: (where, text)."""
    yield "title", root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        where = f"{type(widget).__name__} {widget.objectName()}"
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QLineEdit):
            yield where, widget.placeholderText()
        if widget.toolTip():
            yield f"{where} tooltip", widget.toolTip()
        # the folder's path, and paper sizes (Letter, Legal…: their names on the paper packs) are not words to translate
        if (
            isinstance(widget, QComboBox)
            and not widget.isEditable()
            and widget.objectName() not in ("lookInCombo", "pageSizeCombo")
        ):
            for i in range(widget.count()):
                yield f"{where} item", widget.itemText(i)
        if (
            isinstance(widget, QAbstractItemView)
            and widget.model() is not None
            and widget.objectName() not in ("sidebar", "listView")
        ):  # file names and places
            model = widget.model()
            for column in range(model.columnCount()):
                yield f"{where} header", str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        for action in widget.actions():
            yield f"{where} action", action.text()
            yield f"{where} action tip", action.toolTip()


def _english(root: QWidget) -> list[str]:
    found = []
    for where, text in _texts(root):
        plain = ALLOWED.sub("", re.sub(r"<[^>]+>", "", text or ""))
        if ENGLISH.search(plain):
            found.append(f"{where}: {text}")
    return found


def _look(dialog: QDialog) -> list[str]:
    dialog.show()
    QApplication.processEvents()
    try:
        return _english(dialog)
    finally:
        dialog.reject()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "文档"
    folder.mkdir()
    (folder / "汇总表.xlsx").write_bytes(b"")
    return folder


@pytest.mark.parametrize("mode", ["open", "open_files", "save"])
def test_the_file_choosers_are_chinese(qtbot, chinese, tmp_path: Path, mode: str) -> None:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "选择文件", str(_folder(tmp_path)), "Excel 工作簿 (*.xlsx);;所有文件 (*)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    else:
        dialog.setFileMode(
            QFileDialog.FileMode.ExistingFiles if mode == "open_files" else QFileDialog.FileMode.ExistingFile
        )
    qtbot.addWidget(dialog)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)  # the column headers show
    assert _look(dialog) == []


def test_message_boxes_are_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "放弃修改",
        "放弃本页 2 行未保存的修改？",
        buttons.Yes
        | buttons.No
        | buttons.Ok
        | buttons.Cancel
        | buttons.Save
        | buttons.Discard
        | buttons.Close
        | buttons.Retry
        | buttons.Ignore
        | buttons.Open
        | buttons.Apply,
    )
    box.setDetailedText("详细信息")
    qtbot.addWidget(box)
    assert _look(box) == []


def test_input_progress_and_wizard_are_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    text = QInputDialog()
    text.setLabelText("原因：")
    qtbot.addWidget(text)
    assert _look(text) == []
    progress = QProgressDialog()
    progress.setLabelText("正在导出…")
    qtbot.addWidget(progress)
    assert _look(progress) == []
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    qtbot.addWidget(wizard)
    buttons = [
        wizard.button(which).text()
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.HelpButton,
        )
    ]
    assert [b for b in buttons if ENGLISH.search(b)] == [], buttons


@pytest.mark.qt_log_ignore("^QPageSetupDialog: Cannot be used on non-native printers$")  # no printer here
def test_printing_dialogs_are_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no printer is installed here
    for dialog in (QPrintDialog(printer), QPageSetupDialog(printer), QPrintPreviewDialog(printer)):
        qtbot.addWidget(dialog)
        assert _look(dialog) == [], type(dialog).__name__


def test_a_text_fields_menu_is_chinese(qtbot, chinese) -> None:  # type: ignore[no-untyped-def]
    edit = QLineEdit("文字")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert menu is not None
    texts = [a.text() for a in menu.actions() if isinstance(a, QAction) and not a.isSeparator()]
    assert texts and [t for t in texts if ENGLISH.sub("", ALLOWED.sub("", t)) != ALLOWED.sub("", t)] == [], texts
