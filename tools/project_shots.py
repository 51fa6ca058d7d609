"""Extra screenshots of the project lifecycle and 招商 work: the project editor's lifecycle, 招商,
问题交办 and photo tabs, the 驾驶舱's 项目与招商 tab with its 预警 list, the 基础数据 tabs of the
county leaders and the warning numbers, and the printed 调度表 with its photos. Each function
takes the main window and returns the widget to grab (see EXTRA_SHOTS in tools/screenshots.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QWidget

from hengdong_desktop.domain import images
from hengdong_desktop.services import entry, photos
from hengdong_desktop.ui import printing
from hengdong_desktop.ui.editors import ProjectEditor

PLACE = images.Position("N", ((27, 1), (5, 1), (25, 2)), "E", ((112, 1), (56, 1), (17, 4)))


def _site_photo(seed: int) -> bytes:
    """A drawn 'site photo' (sky, ground, a building frame and a crane) as a JPEG with an EXIF date
    and position, as a phone would take it."""
    image = QImage(960, 640, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    sky = QLinearGradient(QPointF(0, 0), QPointF(0, 420))
    sky.setColorAt(0, QColor("#8fb8de"))
    sky.setColorAt(1, QColor("#dfeaf4"))
    painter.fillRect(QRectF(0, 0, 960, 420), sky)
    painter.fillRect(QRectF(0, 420, 960, 220), QColor("#9c8462"))
    floors = 3 + seed
    for n in range(floors):
        painter.fillRect(QRectF(260, 420 - (n + 1) * 60, 420, 52), QColor("#b9b3a8"))
        for k in range(6):
            painter.fillRect(QRectF(280 + k * 66, 430 - (n + 1) * 60, 36, 30), QColor("#5b6770"))
    painter.setPen(QColor("#d89b00"))
    painter.setBrush(QColor("#f2b500"))
    painter.drawRect(QRectF(760, 80, 18, 340))
    painter.drawRect(QRectF(560, 80, 320, 14))
    painter.setPen(QColor("#333333"))
    painter.drawText(QRectF(20, 590, 600, 40), Qt.AlignmentFlag.AlignLeft, f"主体施工 第{floors}层")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG", 85)  # type: ignore[call-overload]
    return images.stripped(bytes(data.data()), f"2025:0{5 + seed}:18 09:30:00", PLACE)


def _promoted_project(window: Any) -> str:
    """A project under construction, brought in by 招商 if the demo has one, with two site photos."""
    unit = None if window.ctx.info.is_county else window.ctx.info.unit_id
    records = [
        entry.load(window.ctx.db, "project", pid) for pid, _name in entry.choices(window.ctx.db, "project", unit)
    ]
    building = [x for x in records if x.values["status"] in ("开工", "在建")] or records

    def rank(x: entry.Record) -> tuple[bool, int]:
        return (x.values["source"] != "招商引进", -len(x.stages))

    chosen = min(building, key=rank).id or ""
    if not entry.project_problems(window.ctx.db, chosen):
        for category, text, raised, department, deadline, status in (
            ("土地", "二期用地报批未完成，影响厂房开工", "2026-03-10", "县住建局", "2026-05-31", "办理中"),
            ("要素保障", "施工用电负荷不足，需增容", "2026-06-02", "县发改局", "2026-12-31", "待办"),
        ):
            entry.save(
                window.ctx.db,
                window.ctx.info,
                "problem",
                {
                    "project_id": chosen,
                    "category": category,
                    "description": text,
                    "raised_on": raised,
                    "department": department,
                    "deadline": deadline,
                    "status": status,
                },
            )
    if not photos.photos(window.ctx.db, chosen):
        for seed, caption in ((0, "场地平整完成"), (1, "主体结构施工")):
            photos.add(window.ctx.db, window.ctx.info, chosen, _site_photo(seed), caption=caption)
    return chosen


def _editor(window: Any, tab: int) -> QWidget:
    editor = ProjectEditor.build(window, window.ctx, _promoted_project(window))
    editor.resize(980, 760)
    editor.tabs.setCurrentIndex(tab)
    editor.show()
    return editor


def lifecycle(window: Any) -> QWidget:
    return _editor(window, ProjectEditor.LIFECYCLE_TAB)


def promotion(window: Any) -> QWidget:
    return _editor(window, 4)


def problems(window: Any) -> QWidget:
    return _editor(window, 6)


def site_photos(window: Any) -> QWidget:
    return _editor(window, 7)


def printed_form(window: Any) -> QWidget:
    """The 亿元级项目调度表 of the project with photos, in the print preview (its second page
    holds the photos)."""
    preview = printing.preview_project_forms(window, window.ctx, [_promoted_project(window)])
    preview.resize(900, 1000)
    return preview


def dashboard_promotion(window: Any) -> QWidget:
    """The 项目与招商 tab's 招商引资 part."""
    page = window.show_page("dashboard")
    page.tabs.setCurrentWidget(page.projects_tab)
    page.projects_tab.inner.setCurrentIndex(1)
    return window  # type: ignore[no-any-return]


def printed_form_photos(window: Any) -> QWidget:
    """The same form's last page: the site photos, the signatures."""
    import time

    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    preview = printed_form(window)

    def settle(seconds: float) -> None:
        window.ctx.tasks.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.02)

    settle(1.5)
    preview.view.pageNavigator().jump(preview.document.pageCount() - 1, QPointF(0, 0), preview.view.zoomFactor())
    settle(2.0)
    return preview  # type: ignore[no-any-return]
