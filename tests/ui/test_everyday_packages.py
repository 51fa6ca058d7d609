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
    files = {"report": export(wuji, tmp_path / "吴集镇-上报包.hdpkg"),
             "stranger": export(mishui, tmp_path / "洣水镇-上报包.hdpkg")}
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
    statuses = {page.file_model.index(r, 0).data(): page.file_model.index(r, 4).data()
                for r in range(page.file_model.rowCount())}
    assert statuses == {files["report"].name: "校验通过", files["reply"].name: "已拒绝",
                        files["stranger"].name: "已拒绝"}
    own = results[files["reply"].name]
    assert "县级下发包" in own and "乡镇" in own and "未在县级登记" not in own
    stranger = results[files["stranger"].name]
    assert "未在县级登记" in stranger
    shown_id = stranger.split("签名密钥")[1].split("未在")[0]
    assert shown_id == stranger_fp[:len(shown_id)] and shown_id.upper() == shown_id  # as the 密钥 tab shows it


def test_the_keys_tab_shows_fingerprints_as_the_errors_do(qtbot, county_window) -> None:  # type: ignore[no-untyped-def]
    window, _files, _fp = county_window
    page = window.show_page("import")
    qtbot.waitUntil(lambda: page.keys.rowCount() == 1, timeout=10_000)
    fingerprint = page.keys.rows[0]["fingerprint"]
    groups = fingerprint.split(" ")
    assert len(groups) == 5 and all(len(g) == 4 and g == g.upper() for g in groups)
    assert page.keys_view.model().index(0, 1).data(Qt.ItemDataRole.DisplayRole) == fingerprint
