"""The first-start wizard: role, unit, operator, confirmation; plain data out."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from hengdong_desktop.domain.reference import default_file, load_file
from hengdong_desktop.services.setup import COUNTY, TOWNSHIP
from hengdong_desktop.ui.setup_wizard import SetupChoice, SetupWizard
from tests.ui.entry_helpers import type_text


def _wizard(qtbot) -> SetupWizard:  # type: ignore[no-untyped-def]
    ref, _ = load_file(default_file())
    wizard = SetupWizard(list(ref.units))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_township_walks_through_unit_and_operator(qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot)
    assert wizard.currentId() == SetupWizard.ROLE and wizard.role_page.township.isChecked()
    wizard.next()
    assert wizard.currentId() == SetupWizard.UNIT
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # a unit must be chosen
    assert wizard.unit_page.units.count() == 18
    wizard.unit_page.units.setCurrentRow(17)
    assert next_button.isEnabled()
    assert "县经开区" in wizard.unit_page.units.currentItem().text()
    wizard.next()
    assert wizard.currentId() == SetupWizard.IDENTITY and next_button.isEnabled()  # may be left for later
    wizard.next()
    assert wizard.currentId() == SetupWizard.OPERATOR and not next_button.isEnabled()
    type_text(wizard.operator_page.name, "王芳")
    assert next_button.isEnabled()
    wizard.next()
    assert wizard.currentId() == SetupWizard.CONFIRM
    summary = wizard.confirm_page.summary.text()
    assert "乡镇填报" in summary and "衡东经济开发区" in summary and "王芳" in summary
    assert wizard.choice() == SetupChoice(TOWNSHIP, "衡东经济开发区", "王芳")
    assert "未设口令" in summary and "以后在“上报”页面导入" in summary


def test_county_skips_the_unit(qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot)
    wizard.role_page.county.setChecked(True)
    wizard.next()
    assert wizard.currentId() == SetupWizard.OPERATOR
    type_text(wizard.operator_page.name, " 李四 ")
    wizard.next()
    assert "衡东县（县级）" in wizard.confirm_page.summary.text()
    assert wizard.choice() == SetupChoice(COUNTY, None, "李四")
    wizard.back()
    wizard.back()
    assert wizard.currentId() == SetupWizard.ROLE


def test_cancel_returns_nothing(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(SetupWizard, "exec", lambda self: QWizard.DialogCode.Rejected)
    ref, _ = load_file(default_file())
    assert SetupWizard.ask(None, list(ref.units)) is None


def test_optional_key_passphrase_must_be_typed_twice(qtbot, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.app import build_main_window
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import keys

    wizard = _wizard(qtbot)
    wizard.role_page.county.setChecked(True)
    wizard.next()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    type_text(wizard.operator_page.name, "李四")
    wizard.operator_page.passphrase.setText("hengdong-2025")
    assert not next_button.isEnabled()
    wizard.operator_page.repeat.setText("hengdong-2024")
    assert not next_button.isEnabled() and wizard.operator_page.mismatch.isVisibleTo(wizard)
    wizard.operator_page.repeat.setText("hengdong-2025")
    assert next_button.isEnabled() and not wizard.operator_page.mismatch.isVisibleTo(wizard)
    wizard.next()
    assert "设有口令" in wizard.confirm_page.summary.text()
    choice = wizard.choice()
    assert choice.key_passphrase == "hengdong-2025"

    path = tmp_path / "county.sqlite3"
    window = build_main_window(path, settings, ask_setup=lambda _p, _u: choice)
    qtbot.addWidget(window)
    db = window.ctx.db
    assert keys.is_encrypted(db)
    keys.unlock(db, "hengdong-2025")  # opens with the passphrase typed in the wizard
    assert setup.read_info(db).operator == "李四"
    db.close()


def test_the_county_identity_is_trusted_only_once_its_fingerprint_is_confirmed(
    qtbot, tmp_path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.app import build_main_window
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import keys
    from hengdong_desktop.ui.dialogs import FileDialogs

    county = tmp_path / "county.sqlite3"
    setup.init_database(county, setup.COUNTY, None, "县办")
    db, _ = setup.open_initialized(county)
    identity = keys.export_identity(db, tmp_path / "县级身份.json")
    db.close()
    wizard = _wizard(qtbot)
    wizard.next()
    wizard.unit_page.units.setCurrentRow(1)
    wizard.next()
    assert wizard.currentId() == SetupWizard.IDENTITY
    monkeypatch.setattr(FileDialogs, "open_file", staticmethod(lambda *_a: tmp_path / "县级身份.json"))
    wizard.identity_page._choose()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert identity.fingerprint in wizard.identity_page.fingerprint.text()
    assert not next_button.isEnabled()  # chosen but not confirmed: no going on
    wizard.identity_page.confirmed.setChecked(True)
    assert next_button.isEnabled()
    wizard.next()
    type_text(wizard.operator_page.name, "王芳")
    wizard.next()
    assert identity.fingerprint + "（已核对）" in wizard.confirm_page.summary.text()
    choice = wizard.choice()
    assert choice.county_identity == identity
    window = build_main_window(tmp_path / "township.sqlite3", settings, ask_setup=lambda _p, _u: choice)
    qtbot.addWidget(window)
    pinned = keys.pinned_county(window.ctx.db)
    assert pinned is not None and pinned.confirmed and pinned.fingerprint == identity.fingerprint
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_try_first_is_a_training_database(qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot)
    assert not wizard.role_page.training.isChecked()  # real data unless the clerk asks to try
    wizard.role_page.county.setChecked(True)
    wizard.role_page.training.setChecked(True)
    wizard.next()
    type_text(wizard.operator_page.name, "李四")
    wizard.next()
    assert "先试用：培训/演示数据库" in wizard.confirm_page.summary.text()
    assert wizard.choice() == SetupChoice(COUNTY, None, "李四", training=True)
