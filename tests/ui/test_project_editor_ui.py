"""The project editor's lifecycle, plans, 招商 and 五制一平台 fields, problems and site photos
through the real widgets."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QComboBox, QLineEdit

from hengdong_desktop.domain import images
from hengdong_desktop.services import entry, photos
from hengdong_desktop.ui.dialogs import FileDialogs, PlanDialog, StageDialog
from hengdong_desktop.ui.editors import ProblemEditor, ProjectEditor
from hengdong_desktop.ui.project_widgets import scaled_picture
from tests.ui.entry_helpers import close_window, open_window
from tests.unit.test_project_lifecycle import photo


def _project(window, **values):  # type: ignore[no-untyped-def]
    return entry.save(
        window.ctx.db,
        window.ctx.info,
        "project",
        {
            "name": "甲项目",
            "domain_id": 1,
            "total_investment": "20000",
            "status": "在建",
            "status_since": "2024-10-08",
            **values,
        },
        today=date(2025, 3, 20),
    )


def test_lifecycle_plans_and_warnings(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "projects")  # the period is 2025-03
    project = _project(window, planned_start="2024-06")
    editor = ProjectEditor.build(window, window.ctx, project.id)
    qtbot.addWidget(editor)
    assert [editor.tabs.tabText(i) for i in range(editor.tabs.count())] == [
        "基本信息",
        "投资与计划",
        "年度计划",
        "项目生命周期",
        "招商引资",
        "五制一平台",
        "问题交办",
        "现场照片",
        "历史记录",
    ]
    # 在建 since October 2024 with no investment: 包而不推 as of March 2025
    assert "【包而不推】</b>在建已连续5个月" in editor.warnings_label.text()
    assert "开工：2024-10-08开工，比计划晚4个月" in editor.milestones_label.text()
    monkeypatch.setattr(
        StageDialog,
        "ask",
        lambda parent, ref, values: {
            "period": "2025-03",
            "status": "停缓建",
            "reached_on": date(2025, 3, 2),
            "reason": "资金未到位",
        },
    )
    editor.stage_table.edit(None)
    assert editor.forms[2].inputs["status"].raw() == "停缓建"
    assert "停缓建 2025-03-02" in editor.dates_label.text()
    monkeypatch.setattr(PlanDialog, "ask", lambda parent, ref, values, project: {"year": 2025, "plan_investment": 9000})
    editor.plan_table.edit(None)
    editor.findChild(QLineEdit, "field_contract_investment").setText("18000")
    leader = editor.findChild(QComboBox, "field_contact_leader")
    assert leader.isEditable()  # typed, or picked from the county's leaders
    leader.setEditText("谭副县长")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        assert editor.save()
    saved = entry.load(window.ctx.db, "project", project.id)
    assert (saved.values["status"], saved.values["status_reason"], saved.values["contract_investment"]) == (
        "停缓建",
        "资金未到位",
        18000,
    )
    assert [(p["year"], p["plan_investment"]) for p in saved.plans] == [(2025, 9000)]
    assert [s["status"] for s in saved.stages][-1] == "停缓建" and saved.values["contact_leader"] == "谭副县长"
    close_window(window)


def test_problems_raised_on_the_project(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "projects")
    project = _project(window)

    def raise_it(parent, ctx, record_id=None, **preset):  # type: ignore[no-untyped-def]
        assert preset["project_id"] == project.id
        problem = ProblemEditor.build(parent, ctx, record_id, **preset)
        qtbot.addWidget(problem)
        assert problem.as_project.isChecked() and problem.target.currentText() == "甲项目"
        problem.forms[0].inputs["category"].show("土地")
        problem.forms[0].inputs["description"].show("用地报批未完成")
        problem.forms[0].inputs["department"].show("县住建局")
        problem.forms[0].inputs["raised_on"].show("2025-01-10")
        problem.forms[0].inputs["deadline"].show("2025-01-31")
        with qtbot.waitSignal(problem.saved, timeout=10_000):
            assert problem.save()
        return problem.saved_id

    editor = ProjectEditor.build(window, window.ctx, project.id)
    qtbot.addWidget(editor)
    monkeypatch.setattr(ProblemEditor, "ask", raise_it)
    editor.problems.add_button.click()
    (problem,) = editor.problems.model.rows
    # assigned when entered, by its deadline at the latest: 待办 becomes 办理中 (问题交办)
    assert (problem.department, problem.deadline, problem.status) == ("县住建局", date(2025, 1, 31), "办理中")
    assert problem.overdue_days == (date.today() - date(2025, 1, 31)).days  # shown in red
    close_window(window)


def _jpeg(size: tuple[int, int], *, orientation: int = 1) -> bytes:
    tags = Image.Exif()
    tags[0x0112] = orientation
    tags[0x010F] = "PhoneMaker"
    tags.get_ifd(0x8769)[0x9003] = "2025:03:01 08:00:00"
    tags.get_ifd(0x8825).update({1: "N", 2: (27.0, 5.0, 12.5), 3: "E", 4: (112.0, 56.0, 4.25)})
    out = io.BytesIO()
    noise = Image.effect_noise(size, 60).convert("RGB")
    noise.save(out, "JPEG", quality=95, exif=tags.tobytes())
    return out.getvalue()


def test_photos_are_scaled_upright_and_keep_only_date_and_position(
    qtbot,
    demo_township: Path,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    window = open_window(qtbot, demo_township, settings, "projects")
    project = _project(window)
    big, turned, small = tmp_path / "大图.jpg", tmp_path / "竖拍.jpg", tmp_path / "小图.png"
    big.write_bytes(_jpeg((3000, 2000)))
    turned.write_bytes(_jpeg((400, 300), orientation=6))  # taken holding the phone upright
    small.write_bytes(photo(fmt="PNG"))
    assert len(big.read_bytes()) > images.MAX_PHOTO_BYTES
    assert scaled_picture(small)[1] is None  # small and upright: stored as it is (metadata still stripped)
    editor = ProjectEditor.build(window, window.ctx, project.id)
    qtbot.addWidget(editor)
    monkeypatch.setattr(FileDialogs, "open_files", lambda *a: [big, turned, small])
    with qtbot.waitSignal(editor.photos.changed, timeout=10_000):  # stored in the background
        editor.photos.buttons[0].click()
    stored = photos.photos(window.ctx.db, project.id)
    assert [p.caption for p in stored] == ["大图", "竖拍", "小图"] and editor.photos.model.rowCount() == 3
    assert (stored[0].width, stored[0].height) == (
        1600,
        1066,
    )  # 3000×2000 scaled to 1600 wide and stored[0].size <= images.MAX_PHOTO_BYTES
    assert (stored[1].width, stored[1].height) == (300, 400)  # turned upright by Qt
    for p in stored:
        data = photos.picture(window.ctx.db, p.id)
        assert b"PhoneMaker" not in data and images.inspect(data).taken is not None
        assert p.position == "北纬27.086806°，东经112.934514°"
    editor.photos.view.setCurrentIndex(editor.photos.model.index(0, 0))
    with qtbot.waitSignal(editor.photos.changed, timeout=10_000):
        editor.photos.remove()
    assert [p.caption for p in photos.photos(window.ctx.db, project.id)] == ["竖拍", "小图"]
    new = ProjectEditor.build(window, window.ctx)
    qtbot.addWidget(new)
    assert not new.photos.buttons[0].isEnabled()  # a project is saved before its photos are added
    close_window(window)
