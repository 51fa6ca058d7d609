"""Keeps a database file made by each released schema version under `tests/data/schema/`:
`<revision>.sqlite3` (a township database with demo data, made at that revision) and
`<revision>.json` (the facts it holds). tests/unit/test_upgrades.py migrates every stored file to
head and checks the facts are unchanged, so a new migration cannot lose data.

Run after adding a migration, on the branch that adds it:  python -m tools.make_schema_fixture
(an existing fixture is never overwritten: it is what that release wrote)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database, current_revision, head_revision
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.services import demo, photos, setup

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "schema"


def table_counts(path: Path) -> dict[str, int]:
    """Rows in every table of a database file (read with plain sqlite3, any schema version)."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
    finally:
        conn.close()


def content_facts(db: Database) -> dict[str, Any]:
    """What the data says, read through the current models (so it must survive every migration)."""
    with db.read() as s:
        names = sorted(s.scalars(select(m.Enterprise.name)))
        codes = sorted(s.scalars(select(m.Enterprise.credit_code)))
        return {
            "meta": {x.key: x.value for x in s.scalars(select(m.Meta)) if x.key in ("role", "unit_id", "database_id")},
            "enterprise_names_sha256": hashlib.sha256("\n".join(names).encode()).hexdigest(),
            "credit_codes_sha256": hashlib.sha256("\n".join(codes).encode()).hexdigest(),
            "tombstoned_enterprises": s.scalar(
                select(func.count()).select_from(m.Enterprise).where(m.Enterprise.deleted_at.is_not(None))
            ),
            "output_month_sum": str(s.scalar(select(func.sum(m.EnterpriseMonthly.output_month))) or 0),
            "revenue_month_sum": str(s.scalar(select(func.sum(m.EnterpriseMonthly.revenue_month))) or 0),
            "not_reported_output": s.scalar(
                select(func.count()).select_from(m.EnterpriseMonthly).where(m.EnterpriseMonthly.output_month.is_(None))
            ),
            "project_investment_sum": str(s.scalar(select(func.sum(m.Project.total_investment))) or 0),
            "audit_entries": s.scalar(select(func.count()).select_from(m.AuditEntry)),
            # from 0005_time_model on: figures per year, project status history (older files lack these keys)
            "annual_output_sum": str(s.scalar(select(func.sum(m.EnterpriseAnnual.output))) or 0),
            "project_stages": s.scalar(select(func.count()).select_from(m.ProjectStage)),
            # from 0006_projects on: plans per year, funds in place, site photos
            "project_plan_sum": str(s.scalar(select(func.sum(m.ProjectAnnual.plan_investment))) or 0),
            "funds_cumulative_sum": str(s.scalar(select(func.sum(m.ProjectMonthly.funds_cumulative))) or 0),
            "photo_sha256": sorted(s.scalars(select(m.ProjectPhoto.sha256))),
        }


def _photo() -> bytes:
    """A small site photo with an EXIF date and position (Pillow: a developer tool, not the app)."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2025:06:18 09:30:00"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (27.0, 5.0, 12.5), 3: "E", 4: (112.0, 56.0, 4.25)})
    out = io.BytesIO()
    Image.new("RGB", (96, 64), (90, 140, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def make(folder: Path = FIXTURE_DIR) -> Path | None:
    revision = head_revision()
    target = folder / f"{revision}.sqlite3"
    if target.exists():
        print(f"{target} exists; fixtures of released versions are never rewritten")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.sqlite3"
        setup.init_database(path, setup.TOWNSHIP, "吴集镇", "夹具", training=True)
        db, info = setup.open_initialized(path)
        try:
            demo.generate(db, enterprises=8, months=3, projects=5, seed=11, end_period="2025-06")
            with db.write(info.actor("form")) as s:  # one tombstone and one edit, so the audit trail has both
                first, second = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name).limit(2)).all()
                first.main_products = f"{first.main_products or ''}（夹具修改）"
                second.deleted_at = utcnow()
                second.deleted_reason = "企业迁出本镇"
                project_id = s.scalars(select(m.Project.id).order_by(m.Project.name).limit(1)).one()
            photos.add(db, info, project_id, _photo(), caption="夹具现场照片")
            assert current_revision(db.engine) == revision
            facts = {"revision": revision, "tables": None, "content": content_facts(db)}
        finally:
            db.close()
        conn = sqlite3.connect(str(path))
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
        conn.close()
        facts["tables"] = table_counts(path)
        target.write_bytes(path.read_bytes())
    target.with_suffix(".json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(target)
    return target


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE_DIR)
