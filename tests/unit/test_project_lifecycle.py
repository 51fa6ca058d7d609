"""A project's lifecycle and 招商 records through the real services: its status history edited row
by row (the project's status follows the latest row), plans per year, site photos stripped of all
metadata but the date and position, and all of it through a 上报包 to the county — where a county
edit and the township's later edit of the same stage keep both values as a conflict."""

from __future__ import annotations

import io
import os
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import images
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import entry, photos, setup
from hengdong_desktop.services.packages import merge
from tests.package_support import export, make_county, make_township

TODAY = date(2025, 7, 10)
PROJECT = {
    "name": "年产5万吨精深加工项目",
    "domain_id": "工业和信息化",
    "total_investment": "30000",
    "status": "签约",
    "source": "招商引进",
    "signed_on": "2025-01-08",
    "signing_party": "湖南某某集团",
    "contract_investment": "28000",
    "investment_source": "在外衡商",
    "chain_id": "有色金属",
    "chain_role": "延链",
    "park_infrastructure": "路",
    "co_innovation": "是",
    "task_force": "项目推进专班",
    "agent": "刘代办",
    "contact_leader": "谭副县长",
}


def photo(*, exif: bool = True, comment: bytes = b"", fmt: str = "JPEG", size: tuple[int, int] = (80, 60)) -> bytes:
    """A picture with camera, owner and GPS metadata, as a phone writes it (Pillow, for the test)."""
    tags = Image.Exif()
    if exif:
        tags[0x010F], tags[0x0110], tags[0x013B] = "PhoneMaker", "Model X", "拍摄者张三"
        tags.get_ifd(0x8769)[0x9003] = "2025:06:18 09:30:00"
        tags.get_ifd(0x8825).update({1: "N", 2: (27.0, 5.0, 12.5), 3: "E", 4: (112.0, 56.0, 4.25)})
    out = io.BytesIO()
    kwargs: dict[str, Any] = {"exif": tags.tobytes()}
    if comment:
        kwargs["comment"] = comment
    Image.new("RGB", size, (120, 160, 90)).save(out, fmt, **kwargs)
    return out.getvalue()


def save_project(db, info, **extra: object):  # type: ignore[no-untyped-def]
    return entry.save(db, info, "project", PROJECT | extra, today=TODAY)


def test_stage_rows_make_the_history_and_the_status_follows_the_latest(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    saved = save_project(db, info, status_since="2025-01-08")
    assert [(s["period"], s["status"]) for s in saved.stages] == [("2025-01", "签约")]
    stages = [
        *saved.stages,
        {"id": None, "period": "2025-04", "status": "开工", "reached_on": date(2025, 4, 2)},
        {"id": None, "period": "2025-06", "status": "停缓建", "reached_on": date(2025, 6, 20), "reason": "资金未到位"},
    ]
    plans = [{"id": None, "year": 2025, "plan_investment": "12000"}]
    again = entry.save(
        db,
        info,
        "project",
        saved.values,
        record_id=saved.id,
        revision=saved.revision,
        stages=stages,
        plans=plans,
        today=TODAY,
    )
    assert [(s["period"], s["status"]) for s in again.stages] == [
        ("2025-01", "签约"),
        ("2025-04", "开工"),
        ("2025-06", "停缓建"),
    ]
    assert (again.values["status"], again.values["status_since"], again.values["status_reason"]) == (
        "停缓建",
        date(2025, 6, 20),
        "资金未到位",
    )
    from hengdong_desktop.services import monthly

    by_month = {
        p: monthly.load_grid(db, "project", p, info.unit_id).rows[0].stage
        for p in ("2024-12", "2025-02", "2025-04", "2025-06")
    }
    assert by_month == {
        "2024-12": None,
        "2025-02": "签约",
        "2025-04": "开工",
        "2025-06": "停缓建",
    }  # the grid's 本期状态
    assert [(p["year"], p["plan_investment"]) for p in again.plans] == [(2025, D(12000))]
    # a wrongly entered row taken out: the status goes back to the row before it
    rows = [dict(s, removed=s["period"] == "2025-06") for s in again.stages]
    third = entry.save(
        db, info, "project", again.values, record_id=again.id, revision=again.revision, stages=rows, today=TODAY
    )
    assert (third.values["status"], third.values["status_since"]) == ("开工", date(2025, 4, 2))
    history = entry.history(db, "project", third.id or "")
    assert any(c.part == "项目状态：2025-06" and c.action == "调出/删除" for c in history)
    assert any(c.part == "年度计划：2025年" for c in history)


def test_stage_rows_are_checked(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    saved = save_project(db, info)

    def attempt(rows: list[dict[str, object]]) -> None:
        entry.save(
            db, info, "project", saved.values, record_id=saved.id, revision=saved.revision, stages=rows, today=TODAY
        )

    with pytest.raises(entry.Refused, match="填报期2025-08还没有到"):
        attempt([*saved.stages, {"id": None, "period": "2025-08", "status": "开工"}])
    with pytest.raises(entry.Refused, match="状态日期2025-05-02晚于填报期"):
        attempt([*saved.stages, {"id": None, "period": "2025-04", "status": "开工", "reached_on": "2025-05-02"}])
    with pytest.raises(UserError, match="2025-07的项目状态填了两行"):
        attempt(
            [
                *saved.stages,
                {"id": None, "period": "2025-07", "status": "开工"},
                {"id": None, "period": "2025-07", "status": "在建"},
            ]
        )
    with pytest.raises(UserError, match="至少要有一条"):
        attempt([dict(s, removed=True) for s in saved.stages])
    with pytest.raises(entry.Refused, match="年度计划投资"):
        entry.save(
            db,
            info,
            "project",
            saved.values,
            record_id=saved.id,
            revision=saved.revision,
            plans=[{"id": None, "year": 2025, "plan_investment": "-1"}],
            today=TODAY,
        )


def test_a_photo_keeps_only_its_date_and_position(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    project = save_project(db, info).id or ""
    added = photos.add(db, info, project, photo(comment=b"secret note"), caption="主体施工")
    stored = photos.picture(db, added.id)
    for secret in (b"PhoneMaker", b"Model X", "拍摄者张三".encode(), b"secret note"):
        assert secret not in stored
    facts = images.inspect(stored)
    assert (facts.taken, facts.position.lat_ref, facts.position.lat) == (
        "2025:06:18 09:30:00",
        "N",
        ((27, 1), (5, 1), (25, 2)),
    )
    assert (added.taken_on, added.latitude_e6, added.longitude_e6) == (date(2025, 6, 18), 27086806, 112934514)
    assert added.position == "北纬27.086806°，东经112.934514°"
    assert Image.open(io.BytesIO(stored)).size == (80, 60)  # still a picture
    png = photos.add(db, info, project, photo(fmt="PNG"))
    assert png.image_format == "png" and images.inspect(photos.picture(db, png.id)).taken == "2025:06:18 09:30:00"
    plain = photos.add(db, info, project, photo(exif=False, size=(40, 30)))
    assert (plain.taken_on, plain.position) == (None, "")
    with pytest.raises(UserError, match="已经添加过了"):
        photos.add(db, info, project, photo(comment=b"secret note"))
    with pytest.raises(UserError, match="只能是JPEG或PNG"):
        photos.add(db, info, project, b"GIF89a....")
    with pytest.raises(UserError, match="“x.jpg”文件已损坏"):
        photos.add(db, info, project, photo()[:200], name="x.jpg")
    photos.remove(db, info, added.id)
    assert [p.id for p in photos.photos(db, project)] == [png.id, plain.id]
    with db.read() as s:
        assert s.get(m.ProjectPhoto, added.id).content is None  # a removed photo keeps no picture


def test_the_photo_size_cap(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    project = save_project(db, info).id or ""
    noisy = io.BytesIO()  # noise does not compress: over 1MB
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(noisy, "PNG")
    assert len(noisy.getvalue()) > images.MAX_PHOTO_BYTES
    with pytest.raises(UserError, match="超过1MB的上限，请缩小后再添加"):
        photos.add(db, info, project, noisy.getvalue())
    for n in range(photos.MAX_PHOTOS_PER_PROJECT):
        photos.add(db, info, project, photo(exif=False, size=(10 + n, 10)))
    with pytest.raises(UserError, match="最多保存6张"):
        photos.add(db, info, project, photo(exif=False, size=(50, 10)))


def test_the_readiness_panel_lists_the_warnings_without_blocking(township) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services.readiness import WARNING, readiness

    db, info = township
    saved = save_project(db, info, status="在建", status_since="2025-01-10")  # no investment since
    ready = readiness(db, info.unit_id, "2025-05")
    (issue,) = [i for i in ready.issues if i.kind == WARNING]
    assert (issue.owner, issue.owner_id, issue.grid) == ("project", saved.id, None)
    assert issue.text().startswith(f"{PROJECT['name']}（项目预警）：【包而不推】在建已连续4个月")
    assert "自2025-04起已持续2个月" in issue.message
    assert ready.ready and ready.problems() == []  # listed, never blocking
    assert not [i for i in readiness(db, info.unit_id, "2025-03").issues if i.kind == WARNING]


def _stage_rows(path: Path) -> set[tuple[object, ...]]:
    db, _ = setup.open_initialized(path)
    try:
        with db.read() as s:
            return set(
                s.execute(
                    select(
                        m.ProjectStage.id,
                        m.ProjectStage.period,
                        m.ProjectStage.status,
                        m.ProjectStage.reached_on,
                        m.ProjectStage.project_id,
                    )
                ).all()
            )
    finally:
        db.close()


def test_history_plans_and_photos_survive_a_package_and_a_county_edit_keeps_both(tmp_path: Path) -> None:
    township = make_township(tmp_path, enterprises=3, months=3, projects=1, seed=7)
    county = make_county(tmp_path, township)
    db, info = setup.open_initialized(township)
    try:
        saved = save_project(db, info, status_since="2025-01-08")
        record = entry.save(
            db,
            info,
            "project",
            saved.values,
            record_id=saved.id,
            revision=saved.revision,
            stages=[*saved.stages, {"id": None, "period": "2025-05", "status": "开工", "reached_on": date(2025, 5, 6)}],
            plans=[{"id": None, "year": 2025, "plan_investment": "12000"}],
            today=TODAY,
        )
        pid = record.id or ""
        added = photos.add(db, info, pid, photo(), caption="开工现场")
        picture = photos.picture(db, added.id)
    finally:
        db.close()
    cdb, cinfo = setup.open_initialized(county)
    try:
        (first,) = merge.merge_files(cdb, [export(township, tmp_path / "1.hdpkg")])
        assert first.status == merge.MERGED, first.reason
        assert first.counts["project_photo"].new == 1 and first.counts["project_stage"].new >= 2
        assert photos.picture(cdb, added.id) == picture  # byte for byte
        assert [(p["year"], p["plan_investment"]) for p in entry.load(cdb, "project", pid).plans] == [(2025, D(12000))]
        # the county corrects the day the project started
        at_county = entry.load(cdb, "project", pid)
        rows = [dict(s, reached_on=date(2025, 5, 8)) if s["period"] == "2025-05" else s for s in at_county.stages]
        entry.save(
            cdb,
            cinfo,
            "project",
            at_county.values,
            record_id=pid,
            revision=at_county.revision,
            stages=rows,
            today=TODAY,
        )
    finally:
        cdb.close()
    assert len(_stage_rows(township)) == len(_stage_rows(county)) >= 4
    assert _stage_rows(county) - _stage_rows(township) == {
        (s[0], "2025-05", "开工", date(2025, 5, 8), pid)
        for s in _stage_rows(township)
        if s[1:3] == ("2025-05", "开工") and s[4] == pid
    }
    db, info = setup.open_initialized(township)
    try:  # meanwhile the township corrects the same day differently
        mine = entry.load(db, "project", pid)
        rows = [dict(s, reached_on=date(2025, 5, 12)) if s["period"] == "2025-05" else s for s in mine.stages]
        entry.save(db, info, "project", mine.values, record_id=pid, revision=mine.revision, stages=rows, today=TODAY)
    finally:
        db.close()
    cdb, _ = setup.open_initialized(county)
    try:
        (second,) = merge.merge_files(cdb, [export(township, tmp_path / "2.hdpkg")])
        assert second.status == merge.MERGED and second.counts["project_stage"].conflicts == 1
        with cdb.read() as s:
            conflict = s.scalars(select(m.Conflict).where(m.Conflict.entity == "project_stage")).one()
            stage = s.get(m.ProjectStage, conflict.record_id)
            assert (conflict.field, conflict.local_value, conflict.incoming_value) == (
                "reached_on",
                '"2025-05-08"',
                '"2025-05-12"',
            )
            assert stage.reached_on == date(2025, 5, 8)  # the county's value stays current until resolved
    finally:
        cdb.close()
