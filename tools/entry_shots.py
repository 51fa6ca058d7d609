"""Extra screenshots of the data-entry screens: the editors (with a finding shown at its field),
the project grid, and the setup wizard. Each function takes the main window and returns the
widget to grab (see EXTRA_SHOTS in tools/screenshots.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain.reference import default_file, load_file
from hengdong_desktop.services import entry
from hengdong_desktop.ui.dialogs import MeasureDialog
from hengdong_desktop.ui.editors import EnterpriseEditor, ProblemEditor, ProjectEditor, RecordEditor
from hengdong_desktop.ui.setup_wizard import SetupWizard


def _first(window: Any, entity: str) -> str:
    unit = None if window.ctx.info.is_county else window.ctx.info.unit_id
    return entry.choices(window.ctx.db, entity, unit)[0][0]


def _editor(window: Any, cls: type[RecordEditor], record_id: str | None, tab: int = 0) -> RecordEditor:
    editor = cls.build(window, window.ctx, record_id)
    editor.tabs.setCurrentIndex(tab)
    editor.show()
    return editor


def enterprise(window: Any) -> QWidget:
    return _editor(window, EnterpriseEditor, _first(window, "enterprise"))


def enterprise_support(window: Any) -> QWidget:
    return _editor(window, EnterpriseEditor, _first(window, "enterprise"), tab=2)


def enterprise_annual(window: Any) -> QWidget:
    return _editor(window, EnterpriseEditor, _first(window, "enterprise"), tab=4)


def enterprise_history(window: Any) -> QWidget:
    editor = _editor(window, EnterpriseEditor, _first(window, "enterprise"))
    editor.tabs.setCurrentIndex(editor.tabs.count() - 1)  # 历史记录, the last tab
    return editor


def _answering(window: Any) -> tuple[str, dict[str, Any]]:
    """An enterprise with a 一企一策 measure answering one of its problems, and that measure."""
    with window.ctx.db.read() as s:
        linked = s.scalars(select(m.SupportMeasure).where(m.SupportMeasure.problem_id.is_not(None))).first()
        assert linked is not None, "the demo data has measures answering problems"
        enterprise_id, measure_id = linked.enterprise_id, linked.id
    record = entry.load(window.ctx.db, "enterprise", enterprise_id)
    return enterprise_id, next(x for x in record.measures if x["id"] == measure_id)


def enterprise_measures(window: Any) -> QWidget:
    """The 一企一策 tab of an enterprise whose measure answers one of its problems (关联问题)."""
    editor = _editor(window, EnterpriseEditor, _answering(window)[0])
    editor.tabs.setCurrentWidget(editor.measure_table)  # type: ignore[attr-defined]
    return editor


def measure_dialog(window: Any) -> QWidget:
    """A measure open in its dialog, its 关联问题 picked from the enterprise's problems."""
    enterprise_id, measure = _answering(window)
    editor = _editor(window, EnterpriseEditor, enterprise_id)
    problems = editor.record.problems
    owners = dict.fromkeys(problems, enterprise_id)
    dialog = MeasureDialog(
        editor.ref,
        measure,
        lambda raw: entry.check_measure(raw, editor.ref, enterprise_id, owners),
        editor,
        {"problem_id": list(problems.items())},
    )
    dialog.show()
    return dialog


def new_enterprise_with_errors(window: Any) -> QWidget:
    """A new enterprise whose credit code has a wrong check character, after 保存."""
    editor = _editor(window, EnterpriseEditor, None)
    editor.findChild(QLineEdit, "field_name").setText("衡东县示例机械有限公司")
    editor.findChild(QLineEdit, "field_credit_code").setText("91430424MA4L12345X")
    editor.findChild(QLineEdit, "field_contact_phone").setText("电话待补")
    editor.reveal_all()
    editor.run_check()
    return editor


def project(window: Any) -> QWidget:
    return _editor(window, ProjectEditor, _first(window, "project"))


def problem(window: Any) -> QWidget:
    unit = None if window.ctx.info.is_county else window.ctx.info.unit_id
    problem_ids = [r.id for r in _problems(window, unit)]
    return _editor(window, ProblemEditor, problem_ids[0])


def _problems(window: Any, unit: int | None) -> list[Any]:
    from hengdong_desktop.services import listing

    lst = listing.problems(window.ctx.reference(), unit)
    return lst.page(window.ctx.db, lst.default_query(), 5)


def monthly_projects(window: Any) -> QWidget:
    page = window.show_page("monthly")
    page.tabs.setCurrentIndex(1)
    return window  # type: ignore[no-any-return]


def wizard_unit(window: Any) -> QWidget:
    ref, _ = load_file(default_file())
    wizard = SetupWizard(list(ref.units))
    wizard.show()
    wizard.next()
    wizard.unit_page.units.setCurrentRow(1)
    return wizard


def wizard_role(window: Any) -> QWidget:
    """The first page, 先试用（演示数据） ticked."""
    ref, _ = load_file(default_file())
    wizard = SetupWizard(list(ref.units))
    wizard.role_page.training.setChecked(True)
    wizard.show()
    return wizard
