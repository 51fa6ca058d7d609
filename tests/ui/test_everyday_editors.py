"""The record editors as a clerk meets them (issue 17, frictions): the 产业 list follows the chosen
领域 and a mismatch says which 领域 the industry belongs to; the project editor's 建设内容 box is not
cut off by the warnings above it; the 问题对象 picker matches anywhere in a name."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox

from hengdong_desktop.ui.editors import EnterpriseEditor
from tests.ui.entry_helpers import close_window, open_window, type_text


def _items(combo: QComboBox) -> list[object]:
    return [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i) is not None]


def test_the_industry_list_follows_the_domain_and_a_mismatch_names_the_right_one(  # type: ignore[no-untyped-def]
    qtbot, demo_township: Path, settings
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    ref = window.ctx.reference()
    editor = EnterpriseEditor.build(window, window.ctx)
    editor.show()
    form = next(f for f in editor.forms if "industry_id" in f.inputs)
    domain_box = form.inputs["domain_id"].widget
    industry_box = form.inputs["industry_id"].widget
    assert isinstance(domain_box, QComboBox) and isinstance(industry_box, QComboBox)
    assert sorted(_items(industry_box)) == sorted(i.id for i in ref.industries)  # no 领域 yet: every industry
    first, other = (
        ref.domains[0],
        next(d for d in ref.domains if d.id != ref.domains[0].id and any(i.domain_id == d.id for i in ref.industries)),
    )
    domain_box.setCurrentIndex(domain_box.findData(first.id))
    own = [i.id for i in ref.industries if i.domain_id == first.id]
    assert own and sorted(_items(industry_box)) == sorted(own)
    industry = ref.industry(own[0])
    industry_box.setCurrentIndex(industry_box.findData(industry.id))
    domain_box.setCurrentIndex(domain_box.findData(other.id))  # the clerk changes the 领域 afterwards
    assert industry_box.currentData() == industry.id  # what was picked is not silently dropped
    assert sorted(_items(industry_box)) == sorted(
        [i.id for i in ref.industries if i.domain_id == other.id] + [industry.id]
    )
    form.reveal_all()
    editor.run_check()
    QApplication.processEvents()
    message = form.finding_text("industry_id")
    assert f"所属产业“{industry.name}”属于“{first.name}”领域" in message and f"改为“{first.name}”" in message
    label = form.messages["industry_id"]
    assert label.wordWrap() and label.height() >= label.heightForWidth(label.width())  # not clipped
    editor.dirty = False
    editor.close()
    close_window(window)


def test_an_opened_enterprise_is_not_changed_by_the_industry_list(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """The filtered 产业 list re-shows a stored enterprise's industry without making it “modified”."""
    from sqlalchemy import select

    from hengdong_desktop.db import models as m

    window = open_window(qtbot, demo_township, settings, "enterprises")
    with window.ctx.db.read() as session:
        record_id, industry_id = session.execute(
            select(m.Enterprise.id, m.Enterprise.industry_id)
            .where(m.Enterprise.industry_id.is_not(None), m.Enterprise.deleted_at.is_(None))
            .limit(1)
        ).one()
    editor = EnterpriseEditor.build(window, window.ctx, record_id)
    editor.show()
    QApplication.processEvents()
    industry_box = next(f for f in editor.forms if "industry_id" in f.inputs).inputs["industry_id"].widget
    assert isinstance(industry_box, QComboBox) and industry_box.currentData() == industry_id
    own = window.ctx.reference().industry(industry_id).domain_id
    assert {window.ctx.reference().industry(i).domain_id for i in _items(industry_box)} == {own}
    assert not editor.dirty
    editor.close()
    close_window(window)


def test_the_content_box_stays_whole_below_warnings(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """建设内容 under three warnings, in an editor as low as a 1366×768 screen leaves: the box keeps its
    height, nothing overlaps it, and scrolling the tab brings all of it into view."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QLineEdit, QScrollArea

    from hengdong_desktop.ui.editors import ProjectEditor

    window = open_window(qtbot, demo_township, settings, "projects")
    editor = ProjectEditor.build(window, window.ctx)
    editor.show()
    editor.resize(760, 420)
    form = next(f for f in editor.forms if "content" in f.inputs)
    editor.tabs.setCurrentIndex(editor.forms.index(form))
    for name, text in (
        ("total_investment", "0.5"),
        ("planned_start", "2026-05"),
        ("planned_finish", "2025-01"),
        ("planned_production", "2025-01"),
    ):
        widget = form.inputs[name].widget
        assert isinstance(widget, QLineEdit)
        widget.setText(text)
    form.reveal_all()
    editor.run_check()
    QApplication.processEvents()
    shown = [label for label in form.messages.values() if label.isVisible()]
    assert len(shown) >= 3
    box = form.inputs["content"].widget
    where = QRect(box.mapTo(form, QPoint(0, 0)), box.size())
    assert box.height() >= 70 and where.bottom() <= form.height()
    for label in shown:
        assert QRect(label.mapTo(form, QPoint(0, 0)), label.size()).bottom() < where.top()
    area = editor.tabs.currentWidget()
    assert isinstance(area, QScrollArea)
    area.ensureWidgetVisible(box, 0, 0)
    top_left = box.mapTo(area.viewport(), QPoint(0, 0))
    assert area.viewport().rect().contains(QRect(top_left, box.size()))
    editor.dirty = False
    editor.close()
    close_window(window)


@pytest.mark.qt_log_ignore(r"^This plugin does not support (raise\(\)|grabbing the keyboard)$")  # the popup, offscreen
def test_the_problem_target_is_found_by_any_part_of_its_name(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """Typing a piece from the middle of an enterprise's name offers it; Down and Enter pick it."""
    from PySide6.QtCore import Qt

    from hengdong_desktop.ui.editors import ProblemEditor

    window = open_window(qtbot, demo_township, settings, "problems")
    editor = ProblemEditor.build(window, window.ctx)
    editor.show()
    target = editor.target
    names = [target.itemText(i) for i in range(1, target.count())]
    name = max(names, key=len)
    piece = name[3:6]  # not the start: “华鑫铜” of “衡东县华鑫铜业…”
    assert not name.startswith(piece)
    target.setFocus()
    line = target.lineEdit()
    assert line is not None
    type_text(line, piece)  # as an input method commits Chinese
    completer = target.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2_000)
    offered = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert name in offered and all(piece in text for text in offered)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    while popup.currentIndex().data() != name:
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert target.currentText() == name
    chosen = editor.extra_raw()["enterprise_id"]
    assert chosen == target.itemData(target.findText(name)) and chosen is not None
    editor.dirty = False
    editor.close()
    close_window(window)
