"""Finding the files one exports and picking the files one imports (issue 17, item 8): the file
choosers start in the folder last used (else 文档), never the program's folder; several files
are picked by Ctrl-click, by typing their quoted names, or both; every finished export says where
the file is and offers 打开所在文件夹."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QStandardPaths, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QListView, QMessageBox, QPushButton

from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.dialogs import FileDialogs, Saved, typed_names

NAMES = [
    "吴集镇-2025-06-第3号.hdpkg",
    "洣水镇-2025-06-第1号.hdpkg",
    "三樟镇-2025-06-第2号.hdpkg",
    "草市镇-2025-06-第4号.hdpkg",
]


@pytest.fixture
def packages(tmp_path: Path) -> Path:
    folder = tmp_path / "U盘"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_bytes(b"PK")
    (folder / "说明.txt").write_text("不是数据包", encoding="utf-8")
    return folder


@pytest.fixture
def remembered(settings, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(FileDialogs, "settings", settings)
    return settings


def _in_dialog(qtbot, act: Callable[[QFileDialog], None], run: Callable[[], Any]) -> tuple[Any, str]:  # type: ignore[no-untyped-def]
    """Runs `run` (which opens a file dialog), lets `act` work the dialog; returns what `run`
    returned and the folder the dialog opened in."""
    opened: list[str] = []

    def work(tries: int = 200) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            if tries:
                QTimer.singleShot(20, lambda: work(tries - 1))
            return
        opened.append(dialog.directory().absolutePath())
        act(dialog)

    QTimer.singleShot(0, work)
    result = run()
    return result, opened[0]


def _list(dialog: QFileDialog) -> tuple[QListView, dict[str, Any]]:
    view = dialog.findChild(QListView, "listView")
    root = view.rootIndex()
    model = view.model()
    return view, {model.index(r, 0, root).data(): model.index(r, 0, root) for r in range(model.rowCount(root))}


def test_open_dialogs_start_in_the_last_folder_else_documents(qtbot, remembered, packages: Path) -> None:  # type: ignore[no-untyped-def]
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    Path(documents).mkdir(parents=True, exist_ok=True)
    chosen, folder = _in_dialog(
        qtbot, lambda d: d.reject(), lambda: FileDialogs.open_files(None, "选择上报包", "数据包 (*.hdpkg)")
    )
    assert chosen == [] and Path(folder) == Path(documents)  # never the program's working folder

    def pick_one(dialog: QFileDialog) -> None:
        dialog.selectFile(str(packages / NAMES[0]))
        dialog.accept()

    remembered.set(s.LAST_IMPORT_FOLDER, str(packages.parent))
    chosen, folder = _in_dialog(qtbot, pick_one, lambda: FileDialogs.open_files(None, "选择上报包", "数据包 (*.hdpkg)"))
    assert Path(folder) == packages.parent and chosen == [packages / NAMES[0]]
    assert remembered.get(s.LAST_IMPORT_FOLDER) == str(packages)  # where the next one starts
    _chosen, folder = _in_dialog(
        qtbot, lambda d: d.reject(), lambda: FileDialogs.open_file(None, "选择文件", "Excel工作簿 (*.xlsx)")
    )
    assert Path(folder) == packages


def test_save_dialogs_start_in_the_last_export_folder(qtbot, remembered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "导出"
    target.mkdir()
    remembered.set(s.LAST_EXPORT_FOLDER, str(target))
    suggested: list[str] = []

    def save(dialog: QFileDialog) -> None:
        suggested.append(dialog.findChild(QLineEdit, "fileNameEdit").text())
        dialog.accept()

    chosen, folder = _in_dialog(
        qtbot, save, lambda: FileDialogs.save_file(None, "导出上报包", "吴集镇-第1号.hdpkg", "数据包 (*.hdpkg)")
    )
    assert Path(folder) == target and suggested == ["吴集镇-第1号.hdpkg"] and chosen == target / "吴集镇-第1号.hdpkg"


def test_typed_names_and_ctrl_clicks_both_count(qtbot, remembered, packages: Path) -> None:  # type: ignore[no-untyped-def]
    """Four names in the box while the list has selected only three of them (the folder was still
    being read as they were typed): all four are added."""
    remembered.set(s.LAST_IMPORT_FOLDER, str(packages))

    def choose(dialog: QFileDialog) -> None:
        qtbot.waitUntil(lambda: len(_list(dialog)[1]) == len(NAMES))
        view, rows = _list(dialog)
        flags = QItemSelectionModel.SelectionFlag
        for name in NAMES[:3]:  # Ctrl-click
            view.selectionModel().select(rows[name], flags.Select | flags.Rows)
        box = dialog.findChild(QLineEdit, "fileNameEdit")
        box.blockSignals(True)  # as typed while the list was not yet read: not reflected in its selection
        box.setText(" ".join(f'"{name}"' for name in NAMES))
        box.blockSignals(False)
        dialog.accept()

    chosen, _folder = _in_dialog(qtbot, choose, lambda: FileDialogs.open_files(None, "选择上报包", "数据包 (*.hdpkg)"))
    assert sorted(chosen) == sorted(packages / name for name in NAMES)


def test_typed_names_are_read_as_qt_writes_them() -> None:
    assert typed_names('"a b.hdpkg" "c.hdpkg"') == ["a b.hdpkg", "c.hdpkg"]
    assert typed_names(" 单个文件.hdpkg ") == ["单个文件.hdpkg"]
    assert typed_names("") == [] and typed_names('""') == []


def test_a_finished_export_says_where_and_opens_the_folder(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    path = tmp_path / "导出" / "汇总表.xlsx"
    box = Saved.box(None, "导出汇总表", "已导出2025-06汇总表", path)
    qtbot.addWidget(box)
    assert f"文件位置：{path.parent}" in box.text()
    button = next(b for b in box.findChildren(QPushButton) if b.text() == "打开所在文件夹")
    assert box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole
    box.show()
    button.click()
    assert [u.toLocalFile() for u in opened] == [str(path.parent)] and box.isVisible()  # stays open
