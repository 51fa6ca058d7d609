"""The editors offer only what may be written: nothing on a database opened read-only, and a
牵头部门 account only the 办理情况 of the problems assigned to it (the server refuses the rest;
tests/unit/test_server_roles.py tries that with raw SQL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import setup
from hengdong_desktop.ui.editors import EnterpriseEditor, ProblemEditor, ProjectEditor, RecordEditor
from tests.ui.entry_helpers import close_window, open_window

WRITABLE = {"status", "resolution", "solved_on"}


def _editable(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return widget.isEnabled()


def _editable_fields(editor: RecordEditor) -> set[str]:
    return {name for form in editor.forms for name, field in form.inputs.items() if _editable(field.widget)}


def _open(qtbot, cls: type[RecordEditor], window, record_id: str) -> RecordEditor:  # type: ignore[no-untyped-def]
    editor = cls.build(window, window.ctx, record_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_on_a_database_opened_read_only_the_editors_only_show(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "enterprises")
    read_only, info = setup.open_initialized(demo_township, read_only=True)
    window.ctx.replace_database(read_only, info).close()
    with read_only.read() as s:
        enterprise = s.scalar(
            select(m.SupportMeasure.enterprise_id).where(m.SupportMeasure.deleted_at.is_(None)).limit(1)
        )
        project = s.scalar(select(m.Project.id).limit(1))
        problem = s.scalar(select(m.Problem.id).limit(1))
    for cls, record_id in ((EnterpriseEditor, enterprise), (ProjectEditor, project), (ProblemEditor, problem)):
        editor = _open(qtbot, cls, window, record_id)
        assert editor.banner.isVisible() and "只读" in editor.banner.text()
        assert _editable_fields(editor) == set(), cls.__name__
        assert not editor.save_button.isEnabled() and not editor.save()
        for table in editor.child_tables().values():
            assert not any(b.isEnabled() for b in table.findChildren(type(editor.save_button))), cls.__name__
        editor.close()
    close_window(window)


def test_a_department_account_answers_only_the_problems_assigned_to_it(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "enterprises")
    ctx = window.ctx
    with ctx.db.read() as s:
        assigned = s.execute(
            select(m.Problem.id, m.Problem.department).where(m.Problem.department.is_not(None)).limit(1)
        ).one()
        other = s.scalar(
            select(m.Problem.id).where(m.Problem.department.is_not(None), m.Problem.department != assigned.department)
        )
        enterprise = s.scalar(select(m.SupportMeasure.enterprise_id).limit(1))
    department = next(d for d in ctx.reference().departments if d.name == assigned.department)
    ctx.info = dataclasses.replace(
        ctx.info, account="nongye", account_kind="department", department_ids=(department.id,)
    )

    mine = _open(qtbot, ProblemEditor, window, assigned.id)
    assert _editable_fields(mine) == WRITABLE
    assert "nongye（牵头部门）" in mine.banner.text() and "状态" in mine.banner.text()
    assert mine.save_button.isEnabled() and not mine.target.isEnabled()
    mine.close()

    theirs = _open(qtbot, ProblemEditor, window, other)
    assert _editable_fields(theirs) == set() and not theirs.save_button.isEnabled()
    assert "只能查看" in theirs.banner.text()
    theirs.close()

    editor = _open(qtbot, EnterpriseEditor, window, enterprise)
    assert _editable_fields(editor) == set() and not editor.save_button.isEnabled()
    measures = editor.measure_table
    assert editor.report_button is not None and editor.report_button.isEnabled()  # 填报进展 stays open
    others = [b for b in measures.findChildren(type(editor.save_button)) if b is not editor.report_button]
    assert others and not any(b.isEnabled() for b in others)  # 添加, 修改, 删除
    editor.close()
    close_window(window)
