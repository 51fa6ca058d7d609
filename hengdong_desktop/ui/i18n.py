"""Translations: the interface is written in Simplified Chinese (the source language, wrapped in
tr() for Qt Linguist); Qt's own dialogs get Qt's zh_CN catalogue, plus the few Qt 6 texts that
catalogue lacks (`QT_SUPPLEMENT`: their Qt 5 forms, without the shortcut, are translated)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from hengdong_desktop.resources import resource_path

QT_CATALOGUES = ("qtbase_zh_CN", "qt_zh_CN")
QT_SUPPLEMENT = {  # (context, source) → text; tests/ui/test_qt_dialogs_chinese.py finds any new one
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QPageSetupWidget", "Page &order:"): "页序(&O)：",
    ("QPageSetupWidget", "Pages &per sheet:"): "每张纸打印页数(&P)：",
}


class QtSupplement(QTranslator):
    """The Qt texts of `QT_SUPPLEMENT`; anything else is left to the other catalogues."""

    def translate(
        self,
        context: str,
        source: str,
        disambiguation: str | None = None,  # noqa: D102
        n: int = -1,
    ) -> str | None:
        return QT_SUPPLEMENT.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def install_translations(app: QApplication) -> list[QTranslator]:
    """Loads Qt's zh_CN catalogues and any compiled app catalogue; returns what was installed."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    supplement = QtSupplement(app)
    app.installTranslator(supplement)
    installed: list[QTranslator] = [supplement]
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(name, qt_dir):
            app.installTranslator(translator)
            installed.append(translator)
    app_catalogue = resource_path("translations", "hengdong_zh_CN.qm")
    if app_catalogue.exists():
        translator = QTranslator(app)
        if translator.load(str(app_catalogue)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
