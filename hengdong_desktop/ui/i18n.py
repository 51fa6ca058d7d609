"""Translations: the interface is written in Simplified Chinese (the source language, wrapped in
tr() for Qt Linguist); Qt's own dialogs get Qt's zh_CN catalogue."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from hengdong_desktop.resources import resource_path

QT_CATALOGUES = ("qtbase_zh_CN", "qt_zh_CN")


def install_translations(app: QApplication) -> list[QTranslator]:
    """Loads Qt's zh_CN catalogues and any compiled app catalogue; returns what was installed."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed: list[QTranslator] = []
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
