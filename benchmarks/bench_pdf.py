"""Issue 6: a batch of 500 企业培育表 in one PDF. Per-form time of the batch against one form alone
(goal ≤ 1.5×: no per-form font loading or queries) and the file size per form (goal < 10 KB)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.common import SCENARIO_END, Result, timed

BATCH = 500


def _count_statements(db: Any) -> list[int]:
    counter = [0]

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        counter[0] += 1

    return counter


def run() -> list[Result]:
    from hengdong_desktop.services import demo, pdf, setup

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "township.sqlite3"
        setup.init_database(path, setup.TOWNSHIP, "吴集镇", "基准", training=True)
        db, info = setup.open_initialized(path)
        try:
            demo.generate(db, enterprises=BATCH, months=15, seed=2025, end_period=SCENARIO_END)
            with db.read() as s:
                from sqlalchemy import select

                from hengdong_desktop.db.models import Enterprise

                first = s.scalars(select(Enterprise.id).order_by(Enterprise.name).limit(1)).one()
            one, many = Path(tmp) / "one.pdf", Path(tmp) / "batch.pdf"
            pdf.write_enterprise_forms(db, one, [first])  # loads the font once, as the app does
            statements = _count_statements(db)
            single, _ = timed(lambda: pdf.write_enterprise_forms(db, one, [first]), repeat=5)
            single_statements = statements[0] // 5
            statements[0] = 0
            batch, written = timed(lambda: pdf.write_enterprise_forms(db, many, unit_id=info.unit_id))
            forms = len(written.forms)
            per_form = batch / forms
            size = many.stat().st_size
        finally:
            db.close()
    return [
        Result(
            "pdf: batch per-form time / single form",
            per_form / single,
            "×",
            1.5,
            f"single form {single * 1000:.0f} ms; {forms} forms in {batch:.1f} s = {per_form * 1000:.1f} ms/form "
            f"({written.pages} pages); SQL statements: {single_statements} for one form, {statements[0]} for the batch",
        ),
        Result(
            "pdf: file size per form", size / forms / 1024, " KB", 10, f"{size / 1024 / 1024:.2f} MB for {forms} forms"
        ),
    ]
