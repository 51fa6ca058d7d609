"""概览 shows the next step (issue 17, frictions): a township sees what is missing or open in the
current period and a period the county returned, with the county's reason and field comments, and
a button to where it is fixed; the county sees which units have not reported or wait for review."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import readiness, reporting, setup
from tests.ui.entry_helpers import PERIOD, close_window, open_window


def test_the_township_overview_says_what_comes_next(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    db, info = setup.open_initialized(demo_township)
    try:
        ready = readiness.readiness(db, info.unit_id, PERIOD)
        with db.write(info.actor("package")) as s:  # as a 下发包 from the county leaves it
            s.add(
                m.Review(
                    unit_id=info.unit_id,
                    period="2025-02",
                    decision="returned",
                    reason="二月产值与税收不匹配",
                    comments=[{"subject": "衡东县某公司", "label": "本月产值", "text": "请核实"}],
                    decided_at=datetime(2025, 3, 20, tzinfo=UTC),
                    operator="县审核员",
                )
            )
            s.add(
                m.Review(
                    unit_id=info.unit_id,
                    period="2025-01",
                    decision="returned",
                    reason="一月缺数",
                    decided_at=datetime(2025, 2, 10, tzinfo=UTC),
                    operator="县审核员",
                )
            )
            s.add(
                m.Review(
                    unit_id=info.unit_id,
                    period="2025-01",
                    decision="accepted",
                    reason=None,
                    decided_at=datetime(2025, 2, 20, tzinfo=UTC),
                    operator="县审核员",
                )
            )  # fixed since
    finally:
        db.close()
    window = open_window(qtbot, demo_township, settings, "overview")
    page = window.pages["overview"]
    qtbot.waitUntil(lambda: "下一步" in page.steps_title.text() and "正在读取" not in page.steps.text(), timeout=20_000)
    text = page.steps.text()
    assert PERIOD in page.steps_title.text()
    assert "县里退回了 2025-02 的数据，理由：二月产值与税收不匹配" in text and "衡东县某公司本月产值：请核实" in text
    assert "2025-01" not in text  # returned once, accepted since
    assert f"未说明的警告 {ready.count(readiness.UNEXPLAINED)} 条" in text and not ready.ready
    page.step_buttons["monthly"].click()
    assert window.current_page() is window.pages["monthly"]

    window.ctx.set_period("2025-01")  # another period: the next step follows
    window.show_page("overview")
    qtbot.waitUntil(lambda: "2025-01" in page.steps_title.text(), timeout=20_000)
    close_window(window)


def test_the_county_overview_lists_units_by_what_they_still_owe(qtbot, demo_county: Path, settings) -> None:  # type: ignore[no-untyped-def]
    db, _info = setup.open_initialized(demo_county)
    try:
        with db.read() as s:
            status = reporting.status_in(s, [PERIOD])
            names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
    finally:
        db.close()
    window = open_window(qtbot, demo_county, settings, "overview")
    page = window.pages["overview"]
    qtbot.waitUntil(lambda: "正在读取" not in page.steps.text() and page.steps.text() != "", timeout=20_000)
    lines = page.steps.text().split("<br>")
    words = {
        reporting.NOT_FILLED: "未收到数据",
        reporting.FILLED: "未收到上报包",
        reporting.REPORTED: "已上报、待审核",
        reporting.RETURNED_STATUS: "已退回、待重报",
        reporting.ACCEPTED_STATUS: "已接收",
    }
    expected = {}
    for (unit, _period), state in status.items():
        expected.setdefault(state, []).append(names[unit])
    assert expected  # the demo county has reporting units
    for state, units in expected.items():
        line = next(x for x in lines if x.startswith(f"{words[state]} {len(units)} 个："))
        assert sorted(line.split("：", 1)[1].split("、")) == sorted(units)
    assert len(lines) == len(expected)
    page.step_buttons["import"].click()
    assert window.current_page() is window.pages["import"]
    close_window(window)
