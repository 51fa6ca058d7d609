"""The county's 导入 page as a new officer uses it (issue 17): a file not checked yet shows an
empty 结果 (item 3); the county's own 下发包 is refused with a sentence saying where it belongs,
and a key id reads the same in an error as on the 密钥 tab (item 4); the 退回 dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hengdong_desktop.app import build_main_window
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import keys, merge, reply
from tests.package_support import export, make_county, make_township, pin

RESULT = 5  # the 结果 column of the file list


@pytest.fixture(autouse=True)
def _quiet_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    return shown


@pytest.fixture
def county_window(qtbot, tmp_path: Path, settings):  # type: ignore[no-untyped-def]
    """A county with 吴集镇 enrolled; 洣水镇 knows the county's key but is not enrolled."""
    wuji = make_township(tmp_path)
    mishui = make_township(tmp_path, "洣水镇", seed=2)
    county = make_county(tmp_path, wuji)
    pin(county, mishui)
    files = {
        "report": export(wuji, tmp_path / "吴集镇-上报包.hdpkg"),
        "stranger": export(mishui, tmp_path / "洣水镇-上报包.hdpkg"),
    }
    db, _info = setup.open_initialized(county)
    try:
        files["reply"] = reply.export_reply(db, "吴集镇", tmp_path / "吴集镇-下发包.hdpkg").path
    finally:
        db.close()
    db, _info = setup.open_initialized(mishui)
    try:
        stranger_fp = keys.own_key(db).fingerprint
    finally:
        db.close()
    window = build_main_window(county, settings)
    qtbot.addWidget(window)
    window.show()
    yield window, files, stranger_fp
    window.ctx.tasks.wait()
    window.ctx.db.close()


def _results(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    model = page.file_model
    return {model.index(r, 0).data(): model.index(r, RESULT).data() for r in range(model.rowCount())}


def test_files_not_checked_show_an_empty_result_and_each_refusal_says_why(qtbot, county_window) -> None:  # type: ignore[no-untyped-def]
    window, files, stranger_fp = county_window
    page = window.show_page("import")
    page.add_paths([files["report"], files["reply"], files["stranger"]])
    assert set(_results(page).values()) == {""}  # not checked yet: nothing, not “None”
    statuses = {page.file_model.index(r, 4).data() for r in range(page.file_model.rowCount())}
    assert statuses == {"待校验"}

    page.run_files(merge.VERIFIED)
    qtbot.waitUntil(lambda: all(_results(page).values()), timeout=30_000)
    results = _results(page)
    statuses = {
        page.file_model.index(r, 0).data(): page.file_model.index(r, 4).data()
        for r in range(page.file_model.rowCount())
    }
    assert statuses == {
        files["report"].name: "校验通过",
        files["reply"].name: "已拒绝",
        files["stranger"].name: "已拒绝",
    }
    own = results[files["reply"].name]
    assert "县级下发包" in own and "乡镇" in own and "未在县级登记" not in own
    stranger = results[files["stranger"].name]
    assert "未在县级登记" in stranger
    shown_id = stranger.split("签名密钥")[1].split("未在")[0]
    assert shown_id == stranger_fp[: len(shown_id)] and shown_id.upper() == shown_id  # as the 密钥 tab shows it


def test_the_keys_tab_shows_fingerprints_as_the_errors_do(qtbot, county_window) -> None:  # type: ignore[no-untyped-def]
    window, _files, _fp = county_window
    page = window.show_page("import")
    qtbot.waitUntil(lambda: page.keys.rowCount() == 1, timeout=10_000)
    fingerprint = page.keys.rows[0]["fingerprint"]
    groups = fingerprint.split(" ")
    assert len(groups) == 5 and all(len(g) == 4 and g == g.upper() for g in groups)
    assert page.keys_view.model().index(0, 1).data(Qt.ItemDataRole.DisplayRole) == fingerprint


def test_a_key_is_enrolled_only_after_its_fingerprint_is_confirmed(
    qtbot,
    county_window,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    """登记单位密钥: the fingerprint is shown and asked about (否 the default) before anything is
    stored; 否 stores nothing, 一致 enrolls."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from hengdong_desktop.ui.dialogs import FileDialogs

    window, _files, stranger_fp = county_window
    db, _info = setup.open_initialized(tmp_path / "洣水镇.sqlite3")
    try:
        enrollment = tmp_path / "洣水镇-密钥登记.json"
        keys.export_enrollment(db, enrollment)
    finally:
        db.close()
    page = window.show_page("import")
    monkeypatch.setattr(FileDialogs, "open_files", classmethod(lambda _cls, *_a: [enrollment]))

    def enrolled() -> set[str]:
        return {k.unit_name for k in keys.enrolled_keys(window.ctx.db)}

    def answer(choice: str, seen: list[tuple[str, str, bool]]) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, lambda: answer(choice, seen))
            return
        seen.append((box.text(), box.defaultButton().text(), "洣水镇" in enrolled()))
        if choice == "enter":
            qtbot.keyClick(box, Qt.Key.Key_Return)  # the default
        else:
            next(b for b in box.buttons() if b.text() == choice).click()

    seen: list[tuple[str, str, bool]] = []
    QTimer.singleShot(0, lambda: answer("enter", seen))
    page.enroll()
    window.ctx.tasks.wait()
    text, default, stored_while_asking = seen[0]
    assert stranger_fp in text and "洣水镇" in text and default == "否" and not stored_while_asking
    assert "洣水镇" not in enrolled()  # Enter out of habit enrolls nothing

    seen.clear()
    QTimer.singleShot(0, lambda: answer("一致", seen))
    page.enroll()
    qtbot.waitUntil(lambda: "洣水镇" in enrolled(), timeout=10_000)
    assert seen and not seen[0][2]  # still not stored while the question was open


def test_the_return_dialog_targets_monthly_figures_searches_and_refuses_an_empty_reason(  # type: ignore[no-untyped-def]
    qtbot, demo_township: Path
) -> None:
    from hengdong_desktop.services.packages import review
    from hengdong_desktop.ui.pages import package_widgets as w
    from tests.ui.entry_helpers import PERIOD

    db, info = setup.open_initialized(demo_township)
    try:
        targets = review.comment_targets(db, info.unit_id, PERIOD)
    finally:
        db.close()
    kinds = {entity for entity, _id, _name in targets}
    assert {"enterprise", "project", "enterprise_monthly", "project_monthly"} <= kinds
    monthly = next(t for t in targets if t[0] == "enterprise_monthly")
    assert monthly[2].endswith(f"（{PERIOD}）")
    name = monthly[2].removesuffix(f"（{PERIOD}）")
    dialog = w.ReturnDialog(info.unit_name, PERIOD, targets)
    qtbot.addWidget(dialog)
    dialog.show()
    piece = name[3:6]
    dialog.search.setText(piece)
    shown = [dialog.record.itemData(i)[2] for i in range(dialog.record.count())]
    assert shown and all(piece in s for s in shown) and len(shown) < len(targets)
    dialog.record.setCurrentIndex(
        next(i for i in range(dialog.record.count()) if dialog.record.itemData(i)[0] == "enterprise_monthly")
    )
    assert dialog.record.currentText().startswith("企业月度：")
    dialog.field.setCurrentIndex(dialog.field.findData("output_month"))
    assert dialog.field.currentText() == "本月产值"
    dialog.comment.setText("本月产值与上月差异较大，请核实")
    dialog._add_comment()

    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # OK with no reason
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.refusal.isVisible() and "请填写退回理由" in dialog.refusal.text()
    dialog.reason.setText("请核实产值")
    dialog._accept()
    value = dialog.value()
    assert value.reason == "请核实产值"
    assert value.comments[0]["entity"] == "enterprise_monthly" and value.comments[0]["field"] == "output_month"
