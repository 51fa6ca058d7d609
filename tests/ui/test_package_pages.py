"""The 上报 page (township) and the 导入 page (county) on real databases and real packages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from hengdong_desktop.app import build_main_window
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import merge
from hengdong_desktop.ui.dialogs import FileDialogs
from hengdong_desktop.ui.pages import package_widgets as w
from tests.package_support import END, export, identity_file, make_county, make_township


@pytest.fixture(autouse=True)
def _quiet_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    return shown


def test_rows_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = w.rows_model((w.column("a", "甲", str), w.column("b", "乙")))
    model.set_rows([{"a": "一", "b": None}, {"a": "二", "b": 3}])
    qtmodeltester.check(model)


def test_township_exports_from_the_report_page(qtbot, tmp_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    township = make_township(tmp_path)
    window = build_main_window(township, settings)
    qtbot.addWidget(window)
    window.show()  # pages on screen read again after a change
    assert "import" not in {spec.key for spec in window.specs}
    page = window.show_page("report")
    # the labels are filled by separate reads: wait for each
    qtbot.waitUntil(lambda: "县级身份文件" in page.ready_label.text(), timeout=20_000)
    qtbot.waitUntil(lambda: "尚未导入县级身份文件" in page.keys_label.text(), timeout=20_000)
    assert not page.export_button.isEnabled()
    county = make_county(tmp_path)
    identity = identity_file(county)
    monkeypatch.setattr(FileDialogs, "open_files", staticmethod(lambda *_a: [identity]))
    asked: list[str] = []
    monkeypatch.setattr(w, "confirm_fingerprint", lambda _p, _t, _who, fp: asked.append(fp) or True)
    page.import_identity()
    assert len(asked) == 1
    qtbot.waitUntil(lambda: asked[0] in page.keys_label.text() and "已核对" in page.keys_label.text(), timeout=20_000)
    page.refresh()
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=20_000)
    qtbot.waitUntil(
        lambda: "审核通过" in page.ready_label.text() and "第1号" in page.ready_label.text(), timeout=20_000
    )
    page.period_box.setCurrentIndex(page.period_box.findData(END))
    assert window.ctx.period == END
    qtbot.waitUntil(lambda: f"期别{END}" in page.ready_label.text(), timeout=20_000)
    target = tmp_path / "out" / "wuji.hdpkg"
    target.parent.mkdir()
    monkeypatch.setattr(FileDialogs, "save_file", staticmethod(lambda *_a: target))
    page.export_button.click()
    qtbot.waitUntil(lambda: target.exists() and page.history.rowCount() == 1, timeout=20_000)
    assert page.history.rows[0]["sequence"] == 1 and page.history.rows[0]["period"] == END
    qtbot.waitUntil(lambda: "第2号" in page.ready_label.text(), timeout=20_000)
    assert "已核对" in page.keys_label.text()
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_report_page_lists_what_blocks_the_export(qtbot, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hengdong_desktop.db import models as m

    township = make_township(tmp_path)
    make_county(tmp_path, township)
    db, info = setup.open_initialized(township)
    with db.write(info.actor("form")) as s:
        s.scalars(select(m.Project)).first().planned_finish = "2001-01"
    db.close()
    window = build_main_window(township, settings)
    qtbot.addWidget(window)
    window.show()  # pages on screen read again after a change
    page = window.show_page("report")
    qtbot.waitUntil(lambda: "1条错误" in page.ready_label.text(), timeout=20_000)
    assert not page.export_button.isEnabled()
    assert "计划竣工年月早于计划开工年月" in page.problems.item(0).text()
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_county_verifies_merges_reviews_and_resolves(
    qtbot, tmp_path: Path, settings, monkeypatch, county_backend
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hengdong_desktop.db import models as m
    from hengdong_desktop.services.packages import verifying

    # Every batch here starts the verifying worker process, as a large batch would, from the
    # page's background thread.
    monkeypatch.setattr(verifying, "WORKER_FROM_BYTES", 0)
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    first = export(township, tmp_path / "1.hdpkg")
    junk = tmp_path / "junk.hdpkg"
    junk.write_bytes(b"not a package")
    window = build_main_window(county, settings)
    qtbot.addWidget(window)
    window.show()  # pages on screen read again after a change
    window.ctx.set_period(END)
    page = window.show_page("import")
    page.add_paths([first, junk])
    page.verify_button.click()
    qtbot.waitUntil(lambda: len(page.results) == 2, timeout=20_000)
    assert [r["status"] for r in page.file_model.rows] == [merge.VERIFIED, merge.REFUSED]
    assert "不是有效的数据包" in page.file_model.rows[1]["detail"]
    assert page.counts.rows[0]["new"] == "6"
    page.merge_button.click()
    qtbot.waitUntil(lambda: page.file_model.rows[0]["status"] == merge.MERGED, timeout=20_000)

    # A conflict: the county corrects an address the township also changes.
    def edit(path: Path | str, value: str) -> None:
        db, info = setup.open_initialized(path)
        with db.write(info.actor("form")) as s:
            s.scalars(select(m.Enterprise).order_by(m.Enterprise.id)).first().address = value
        db.close()

    edit(county, "县里的地址")
    edit(township, "乡镇的地址")
    page.clear()
    page.add_paths([export(township, tmp_path / "2.hdpkg")])
    page.merge_button.click()
    qtbot.waitUntil(lambda: page.conflicts.rowCount() == 1, timeout=20_000)
    conflict = page.conflicts.rows[0]
    assert (conflict["local"], conflict["incoming"]) == ("县里的地址", "乡镇的地址")
    assert "冲突（1）" in page.tabs.tabText(1)
    page.conflicts_view.selectRow(0)
    with qtbot.waitSignal(window.ctx.tasks.idle, timeout=20_000):  # saved, and the page read again
        page.resolve_conflict(True)
    assert page.conflicts.rowCount() == 0

    row = next(i for i, r in enumerate(page.review.rows) if r["unit"] == "吴集镇")
    assert page.review.rows[row]["status"] == "已上报"
    page.review_view.selectRow(row)
    monkeypatch.setattr(w.ReturnDialog, "ask", classmethod(lambda cls, *_a: w.ReturnInput("请核实产值", [])))
    with qtbot.waitSignal(window.ctx.tasks.idle, timeout=20_000):
        page.return_period()
    row = next(i for i, r in enumerate(page.review.rows) if r["unit"] == "吴集镇")
    assert page.review.rows[row]["status"] == "已退回" and "请核实产值" in page.review.rows[row]["reason"]

    with qtbot.waitSignal(page.audit_read, timeout=20_000):
        page.audit_source.setCurrentIndex(2)  # the unit's own log from the newest package
    assert page.audit.rowCount() > 0
    assert page.keys.rows[0]["unit_name"] == "吴集镇"
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_return_dialog_needs_a_reason_and_collects_comments(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = w.ReturnDialog("吴集镇", END, [("enterprise", "id-1", "衡东县某公司")])
    qtbot.addWidget(dialog)
    dialog.comment.setText("地址不详")
    dialog.field.setCurrentIndex(dialog.field.findData("address"))
    dialog._add_comment()
    dialog._accept()
    assert dialog.result() == 0  # no reason yet: stays open
    dialog.reason.setText("请补充")
    dialog._accept()
    value = dialog.value()
    assert value.reason == "请补充" and value.comments == [
        {
            "entity": "enterprise",
            "record_id": "id-1",
            "subject": "衡东县某公司",
            "field": "address",
            "text": "地址不详",
        }
    ]


def test_settings_page_changes_the_key_passphrase(qtbot, tmp_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services.packages import keys
    from hengdong_desktop.ui.pages.settings_page import PassphraseDialog

    township = make_township(tmp_path)
    window = build_main_window(township, settings)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("settings")
    qtbot.waitUntil(lambda: "未设口令" in page.key_label.text(), timeout=20_000)
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, _p, has: (None, "新口令2026")))
    page.change_passphrase()
    qtbot.waitUntil(lambda: "设有口令" in page.key_label.text(), timeout=20_000)
    assert keys.is_encrypted(window.ctx.db)
    keys.unlock(window.ctx.db, "新口令2026")
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_county_writes_one_reference_package_for_every_unit(qtbot, tmp_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    county = make_county(tmp_path)
    window = build_main_window(county, settings)
    qtbot.addWidget(window)
    page = window.show_page("import")
    target = tmp_path / "全部单位.hdpkg"
    monkeypatch.setattr(FileDialogs, "save_file", staticmethod(lambda *_a: target))
    page.export_reference()
    qtbot.waitUntil(target.exists, timeout=20_000)
    township = make_township(tmp_path)
    from tests.package_support import pin

    pin(county, township)
    db, _ = setup.open_initialized(township)
    try:
        from hengdong_desktop.services.packages import reply

        assert reply.apply_reply(db, target).kind == "reference"
    finally:
        db.close()
    window.ctx.tasks.wait()
    window.ctx.db.close()
