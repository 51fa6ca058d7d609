"""Preview, print and save: generation in the background, QPdfView pages, printing through a
QPrinter (PDF output here), 另存为, the print menu entries and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from hengdong_desktop.app import build_main_window
from hengdong_desktop.db import models as m
from hengdong_desktop.services import demo, setup
from hengdong_desktop.ui import printing
from hengdong_desktop.ui.dialogs import FileDialogs


@pytest.fixture
def window(qtbot, training_township_path: Path, settings):  # type: ignore[no-untyped-def]
    db, _info = setup.open_initialized(training_township_path)
    demo.generate(db, enterprises=3, months=3, projects=2, seed=5, end_period="2025-03")
    db.close()
    win = build_main_window(training_township_path, settings)
    qtbot.addWidget(win)
    win.ctx.set_period("2025-03")
    yield win
    win.ctx.tasks.wait()
    win.ctx.db.close()


def enterprise_ids(win) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    with win.ctx.db.read() as session:
        return list(session.scalars(select(m.Enterprise.id).order_by(m.Enterprise.name)))


def test_preview_then_save_and_print(
    qtbot,
    window,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
    saved_notes,
) -> None:
    ids = enterprise_ids(window)[:2]
    preview = printing.preview_enterprise_forms(window, window.ctx, ids)
    assert preview.isVisible() and not preview.print_action.isEnabled()  # nothing to print yet
    qtbot.waitUntil(lambda: preview.document.pageCount() == 2, timeout=20_000)
    assert preview.print_action.isEnabled() and preview.page_label.text() == "第 1 / 2 页"
    assert preview.written is not None and [f.record_id for f in preview.written.forms] == ids
    assert "2025-03" in preview.path.name

    saved = tmp_path / "saved" / "培育表.pdf"
    saved.parent.mkdir()
    monkeypatch.setattr(FileDialogs, "save_file", staticmethod(lambda _parent, _title, suggested, _filter: saved))
    preview.save_action.trigger()
    assert saved.read_bytes() == preview.path.read_bytes()
    assert saved_notes[-1][2] == saved  # the note says where it went, with 打开所在文件夹

    printed = tmp_path / "printed.pdf"

    def pdf_printer(_parent, pages):  # type: ignore[no-untyped-def]
        assert pages == 2
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(printing, "ask_printer", pdf_printer)
    preview.print_action.trigger()
    window.ctx.tasks.wait()
    qtbot.waitUntil(lambda: printed.exists() and printed.stat().st_size > 0, timeout=20_000)
    pages = PdfReader(printed).pages
    assert len(pages) == 2
    assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == pytest.approx((595, 842), abs=1)

    folder = preview.path.parent
    preview.close()
    assert not folder.exists()  # the temporary PDF goes with the window


def test_generation_error_closes_the_preview_and_says_why(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(printing, "show_error", lambda _parent, error: shown.append(str(error)))
    preview = printing.preview_project_forms(window, window.ctx, ["no-such-project"])
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "没有可打印的项目" in shown[0]
    assert not printing.isValid(preview) or not preview.isVisible()


def test_closing_the_preview_before_the_pdf_is_ready(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(printing, "show_error", lambda _parent, error: shown.append(str(error)))
    preview = printing.preview_enterprise_forms(window, window.ctx)
    folder, generation = preview.path.parent, preview.generation
    with qtbot.waitSignal(generation.cancelled, timeout=20_000):  # closing stops the generation
        preview.close()
    assert shown == [] and not folder.exists()


def test_print_menu_per_role(qtbot, window, county_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert {"print_unit_forms", "print_unit_projects"} <= set(window.actions_by_key)
    assert "print_bulletin" not in window.actions_by_key
    window.actions_by_key["print_unit_forms"].trigger()
    preview = window.findChild(printing.PdfPreview)
    qtbot.waitUntil(lambda: preview.document.pageCount() == 3, timeout=20_000)  # every enterprise of the unit
    preview.close()

    county = build_main_window(county_path, settings)
    qtbot.addWidget(county)
    assert "print_bulletin" in county.actions_by_key and "print_unit_forms" not in county.actions_by_key
    monkeypatch.setattr(printing.PeriodDialog, "ask", classmethod(lambda _cls, _parent, current: "2025-03"))
    county.actions_by_key["print_bulletin"].trigger()
    preview = county.findChild(printing.PdfPreview)
    qtbot.waitUntil(lambda: preview.document.pageCount() >= 1, timeout=20_000)
    assert "通报" in preview.windowTitle() and preview.path.name == "通报-2025-03.pdf"
    preview.close()
    county.ctx.tasks.wait()
    county.ctx.db.close()


def test_period_dialog_returns_the_chosen_period(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = printing.PeriodDialog(None, "2025-03")
    qtbot.addWidget(dialog)
    assert dialog.choice() == "2025-03" and dialog.period.currentText() == "2025年3月"
    dialog.period.setCurrentIndex(dialog.period.currentIndex() - 1)
    assert dialog.choice() > "2025-03"  # newest first


def test_issue_then_reprint_an_issued_bulletin(qtbot, county_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from hengdong_desktop.services import bulletins
    from hengdong_desktop.ui.form_dialog import FormDialog

    county = build_main_window(county_path, settings)
    qtbot.addWidget(county)
    monkeypatch.setattr(printing.PeriodDialog, "ask", classmethod(lambda _cls, _parent, current: "2025-03"))
    drafts: list[printing.Narrative] = []

    def edited(_parent, period, draft):  # type: ignore[no-untyped-def]
        drafts.append(draft)  # written from the figures; the office adds a sentence before issuing
        return replace(draft, next_steps="下月10日前完成全部问题销号。"), True

    monkeypatch.setattr(printing.NarrativeDialog, "ask", edited)
    county.actions_by_key["issue_bulletin"].trigger()  # issuing writes: the preview follows the operation
    qtbot.waitUntil(lambda: county.findChild(printing.PdfPreview) is not None, timeout=20_000)
    preview = county.findChild(printing.PdfPreview)
    qtbot.waitUntil(lambda: preview.document.pageCount() >= 1, timeout=20_000)
    (issued,) = bulletins.issued(county.ctx.db)
    assert issued.period == "2025-03" and preview.path.read_bytes()[:4] == b"%PDF"
    assert drafts and drafts[0].overall.startswith("截至2025年3月，全县百亿级产业")
    assert "下月10日前完成全部问题销号。" in "".join(p.extract_text() for p in PdfReader(preview.path).pages).replace(
        "\n", ""
    )
    first = preview.path.read_bytes()
    preview.close()
    qtbot.waitUntil(lambda: county.findChild(printing.PdfPreview) is None, timeout=5_000)
    monkeypatch.setattr(
        FormDialog,
        "ask",
        classmethod(lambda _cls, _parent, _title, fields, _values: {"issue": fields[0].options[0][1]}),
    )
    county.actions_by_key["reprint_bulletin"].trigger()
    preview = county.findChild(printing.PdfPreview)
    qtbot.waitUntil(lambda: preview.document.pageCount() >= 1, timeout=20_000)
    assert preview.path.read_bytes() == first and issued.label in preview.windowTitle()
    preview.close()
    county.ctx.tasks.wait()
    county.ctx.db.close()
