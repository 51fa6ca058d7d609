"""The time model end to end through the real services: a township's yearly figures and project
status history travel in its 上报包; the county publishes them once it has accepted the period, and
its figures then equal the township's own; the months a package carries are marked reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import entry, setup
from hengdong_desktop.services.figures import programme_figures
from hengdong_desktop.services.packages import merge, review
from hengdong_desktop.services.reporting import status_matrix
from tests.package_support import END, export, make_county, make_township
from tests.unit.xlsx import build


def _rows(path: Path, model: type[m.Synced]) -> set[tuple[object, ...]]:
    db, _ = setup.open_initialized(path)
    try:
        with db.read() as s:
            table = model.__table__  # type: ignore[attr-defined]
            keep = [c for c in table.c if c.key not in ("revision", "updated_at", "updated_by")]
            return set(s.execute(select(*keep)).all())
    finally:
        db.close()


def _figures(path: Path, **kw: object) -> dict[str, object]:
    db, _ = setup.open_initialized(path)
    try:
        f = programme_figures(db, END, today=date(2025, 7, 20), **kw)  # type: ignore[arg-type]
    finally:
        db.close()
    return {
        "headline": {k: (p.achieved, p.year_to_date, p.last_year, p.projected) for k, p in f.headline.items()},
        "industries": {
            i.name: (i.enterprises, i.output_to_date, i.output_last_year, i.projected) for i in f.industries
        },
        "problems": f.problems.open_total,
    }


def test_a_townships_figures_reach_the_county_once_accepted(tmp_path: Path) -> None:
    township = make_township(tmp_path, enterprises=8, months=14, projects=4, seed=5)
    county = make_county(tmp_path, township)
    db, info = setup.open_initialized(township)
    try:  # the clerk starts a project in June, with the day it started
        project = entry.choices(db, "project", info.unit_id)[0][0]
        record = entry.load(db, "project", project)
        entry.save(
            db,
            info,
            "project",
            {**record.values, "status": "开工", "status_since": "2025-06-03"},
            record_id=project,
            revision=record.revision,
            today=date(2025, 6, 10),
        )
    finally:
        db.close()
    cdb, _ = setup.open_initialized(county)
    try:
        (result,) = merge.merge_files(cdb, [export(township, tmp_path / "1.hdpkg")])
    finally:
        cdb.close()
    assert result.status == merge.MERGED and result.counts["enterprise_annual"].new == 8
    assert result.counts["project_stage"].new >= 5
    assert _rows(county, m.EnterpriseAnnual) == _rows(township, m.EnterpriseAnnual)
    assert _rows(county, m.ProjectStage) == _rows(township, m.ProjectStage)
    # every month the first package carried is reported; nothing is published before it is accepted
    cdb, _ = setup.open_initialized(county)
    try:
        status = status_matrix(cdb, ["2024-05", "2025-01", END, "2025-07"])
        assert [status[(2, p)] for p in ("2024-05", "2025-01", END, "2025-07")] == [
            "已上报",
            "已上报",
            "已上报",
            "未填报",
        ]
        published = programme_figures(cdb, END).headline[r.BILLION_ENTERPRISES]
        assert (published.achieved, published.year_to_date, published.last_year) == (0, 0, 0)
        review.review_period(cdb, "吴集镇", END, accept=True)
    finally:
        cdb.close()
    assert _figures(county) == _figures(township)  # the township's own figures, every number
    assert _figures(county)["industries"] != _figures(county, unit_id=1)["industries"]  # (a real comparison)


def test_excel_import_keeps_the_status_history(township, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services.excel import importer

    db, _info = township
    header = ["项目名称", "所属领域", "总投资(万元)", "项目状态", "状态日期"]
    first = build(tmp_path / "a.xlsx", {"项目": [header, ["甲项目", "工业和信息化", 30000, "签约", "2025-01-15"]]})
    assert importer.import_file(db, first)[1].written
    again = build(tmp_path / "b.xlsx", {"项目": [header, ["甲项目", "工业和信息化", 30000, "开工", "2025-04-02"]]})
    assert importer.import_file(db, again)[1].written
    with db.read() as s:
        stages = s.execute(select(m.ProjectStage.period, m.ProjectStage.status).order_by(m.ProjectStage.period)).all()
    assert stages == [("2025-01", "签约"), ("2025-04", "开工")]
