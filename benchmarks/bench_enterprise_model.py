"""企业库 at 100,000 enterprises: the table model's first page, a filtered search and a sort, each
as a ratio to the same SQL run through the raw sqlite3 module in the same run; also a page far
down the list and the background count.

The model's time covers what the list waits for: fetching the page through SQLAlchemy, turning
stored values into the shown text, and the Qt model reset. The absolute times are printed too."""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite

from benchmarks.common import RESULTS_DIR, Result, timed

ENTERPRISES = 100_000
GOAL = 3.0  # the model may cost at most this many times the bare query
REPEAT = 5


def database(workdir: Path) -> Path:
    """A township database with 100,000 enterprises, generated once and cached."""
    import shutil

    from hengdong_desktop.db.engine import head_revision
    from hengdong_desktop.services import demo, setup

    fingerprint = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:10]
    cache = RESULTS_DIR / "cache" / f"enterprises-{ENTERPRISES}-{head_revision()}-{fingerprint}.sqlite3"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".building")
        for leftover in tmp.parent.glob(tmp.name + "*"):
            leftover.unlink()
        setup.init_database(tmp, setup.TOWNSHIP, "吴集镇", "基准", training=True)
        db, _ = setup.open_initialized(tmp)
        try:
            demo.generate(db, enterprises=ENTERPRISES, months=0, projects=0, seed=100, end_period="2025-06")
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        tmp.replace(cache)
    target = workdir / "enterprises.sqlite3"
    shutil.copyfile(cache, target)
    return target


def _sql(statement: Any) -> tuple[str, list[Any]]:
    """The statement as the app sends it: SQL text with its bound parameters."""
    compiled = statement.compile(dialect=sqlite.dialect())
    params = compiled.construct_params()
    return compiled.string, [_bind(compiled, name, params[name]) for name in compiled.positiontup]


def _bind(compiled: Any, name: str, value: Any) -> Any:
    processor = compiled._bind_processors.get(name)
    return processor(value) if processor else value


def run() -> list[Result]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from hengdong_desktop.services import entry, listing, setup
    from hengdong_desktop.services.listing import Query
    from hengdong_desktop.ui.listing_model import ListingModel

    _app = QApplication.instance() or QApplication([])
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = database(Path(tmp))
        db, info = setup.open_initialized(path)
        raw = sqlite3.connect(path)
        try:
            lst = listing.enterprises(entry.reference(db), info.unit_id)
            base = lst.default_query()
            searched = Query(search="机械", filters={**base.filters, "industry": 1})
            by_output = Query(filters=base.filters, sort="output", descending=True)
            model = ListingModel(db, lst)

            def first_page() -> ListingModel:
                return ListingModel(db, lst)

            def search() -> ListingModel:
                model.set_query(searched)
                return model

            def sort() -> ListingModel:  # a click on the header of 上年产值
                model.sort(lst.column_index("output"), Qt.SortOrder.DescendingOrder)
                return model

            for name, query, action in (
                ("first page", base, first_page),
                ("filtered search “机械” in 机械制造", searched, search),
                ("sort by 上年产值, descending", by_output, sort),
            ):
                model.set_query(base)
                page_sql = _sql(lst.rows_statement(query, ListingModel.PAGE))
                raw_time, rows = timed(lambda p=page_sql: raw.execute(*p).fetchall(), REPEAT)
                model_time, shown = timed(action, REPEAT)
                assert [shown.row_id(i) for i in range(shown.rowCount())] == [r[0] for r in rows], name
                results.append(
                    Result(
                        f"企业库 model, {name}",
                        model_time / raw_time,
                        goal=GOAL,
                        detail=f"model {model_time * 1000:.1f} ms vs sqlite3 {raw_time * 1000:.1f} ms "
                        f"for its first {len(rows)} rows",
                    )
                )

            # scrolling far down: the page after row 50,000 costs what the first one does
            cursor = lst.page(db, base, 50_000)[-1].cursor
            deep_sql = _sql(lst.rows_statement(base, ListingModel.PAGE, cursor))
            raw_time, rows = timed(lambda: raw.execute(*deep_sql).fetchall(), REPEAT)
            model_time, page = timed(lambda: lst.page(db, base, ListingModel.PAGE, cursor), REPEAT)
            assert [r.id for r in page] == [r[0] for r in rows]
            results.append(
                Result(
                    "企业库 model, fetchMore after row 50,000",
                    model_time / raw_time,
                    goal=GOAL,
                    detail=f"model {model_time * 1000:.1f} ms vs sqlite3 {raw_time * 1000:.1f} ms",
                )
            )

            # the count for “共 N 户” runs in the background; shown for completeness
            for name, query in (("all", base), ("search", searched)):
                count_sql = _sql(lst.count_statement(query))
                raw_time, total = timed(lambda c=count_sql: raw.execute(*c).fetchone()[0], REPEAT)
                model_time, counted = timed(lambda q=query: lst.count(db, q), REPEAT)
                assert counted == total
                results.append(
                    Result(
                        f"企业库 background count, {name}",
                        model_time / raw_time,
                        goal=GOAL,
                        detail=f"{model_time * 1000:.1f} ms vs sqlite3 {raw_time * 1000:.1f} ms; "
                        f"{total:,} of {ENTERPRISES:,} enterprises",
                    )
                )
        finally:
            raw.close()
            db.close()
    return results
