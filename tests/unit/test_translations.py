"""The committed Qt Linguist catalogue holds exactly the texts pyside6-lupdate finds in the UI."""

from __future__ import annotations

import shutil
from pathlib import Path

from tools import translations


def test_the_catalogue_is_current(tmp_path: Path) -> None:
    copy = tmp_path / translations.CATALOGUE.name
    shutil.copyfile(translations.CATALOGUE, copy)
    translations.update(copy)
    committed = translations.CATALOGUE.read_text(encoding="utf-8")
    assert committed.count("<message>") > 400
    assert copy.read_text(encoding="utf-8") == committed, "run `make translations` and commit the catalogue"


def test_a_new_text_would_show(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The check can fail: a page with one more tr() text changes the catalogue."""
    page = tmp_path / "hengdong_desktop" / "ui" / "extra.py"
    page.parent.mkdir(parents=True)
    page.write_text(
        "from PySide6.QtWidgets import QWidget\n\n\nclass Extra(QWidget):\n"
        '    def title(self) -> str:\n        return self.tr("只在测试中出现的文字")\n',
        encoding="utf-8",
    )
    copy = tmp_path / translations.CATALOGUE.name
    shutil.copyfile(translations.CATALOGUE, copy)
    originals = translations.sources()
    monkeypatch.setattr(translations, "sources", lambda: [*originals, str(page)])
    translations.update(copy)
    text = copy.read_text(encoding="utf-8")
    assert "只在测试中出现的文字" in text and text != translations.CATALOGUE.read_text(encoding="utf-8")
