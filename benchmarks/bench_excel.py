"""Excel: exporting the county 汇总表 of the 18-unit scenario (the `export_county` call) against
openpyxl write-only writing the same cells (goal ≤ 1.3), and importing a 10,000-row enterprise
sheet (the `import_file` call, its automatic backup included) against openpyxl read-only
iterating the same file (goal ≤ 2.5). Each side is timed best of three, interleaved."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from pathlib import Path
from time import perf_counter

from openpyxl import Workbook, load_workbook

from benchmarks.common import Result, county_scenario
from hengdong_desktop.services import demo, figures, setup
from hengdong_desktop.services.excel import export, importer, layout
from hengdong_desktop.services.excel.writer import Sheet, Table, write_workbook
from hengdong_desktop.services.reference import load

IMPORT_ROWS = 10_000
REPEAT = 3


def _best(runs: list[float]) -> float:
    return min(runs)


def _runs(runs: list[float]) -> str:
    return "/".join(f"{r:.2f}" for r in runs)


def _export(workdir: Path) -> Result:
    db_path = county_scenario(workdir)
    db, _info = setup.open_initialized(db_path)
    out, today = workdir / "汇总表.xlsx", date.today()
    try:
        period = export.latest_period(db)
        cells = export.export_county(db, out, period, today=today).cells
        # The baseline writes, cell for cell, the values the 汇总表 holds (read back from it, dates
        # as dates), plain, in write-only mode.
        wb = load_workbook(out, read_only=True)
        plain = [
            [
                [v.date() if isinstance(v, datetime) and v.time() == time.min else v for v in row]
                for row in ws.iter_rows(values_only=True)
            ]
            for ws in wb.worksheets
        ]
        wb.close()

        def baseline() -> None:
            wb = Workbook(write_only=True)
            for rows in plain:
                ws = wb.create_sheet()
                for row in rows:
                    ws.append(row)
            wb.save(workdir / "baseline.xlsx")

        # Timed: exactly the export call. Apart from it, for the detail line: its two steps,
        # gathering the data (of which the shared figures service) and writing the workbook.
        ours_runs, base_runs, data_runs, fig_runs, write_runs = [], [], [], [], []
        for _ in range(REPEAT):
            start = perf_counter()
            export.export_county(db, out, period, today=today)
            ours_runs.append(perf_counter() - start)
            start = perf_counter()
            baseline()
            base_runs.append(perf_counter() - start)
            start = perf_counter()
            figures.programme_figures(db, period, today=today)
            fig_runs.append(perf_counter() - start)
            start = perf_counter()
            sheets = export._summary_sheets(db, period, today)
            gathered = perf_counter()
            write_workbook(workdir / "steps.xlsx", sheets)
            data_runs.append(gathered - start)
            write_runs.append(perf_counter() - gathered)
    finally:
        db.close()
    ours, base = _best(ours_runs), _best(base_runs)
    base_cells = sum(sum(1 for v in row if v is not None) for rows in plain for row in rows)
    return Result(
        "excel export county 汇总表 / openpyxl write_only",
        ours / base,
        goal=1.3,
        detail=f"{ours:.2f}s vs {base:.2f}s (runs {_runs(ours_runs)} vs {_runs(base_runs)}); "
        f"{cells:,} cells ({base_cells:,} in the baseline), period {period}; "
        f"gathering the data {_best(data_runs):.2f}s (of which the shared figures service "
        f"{_best(fig_runs):.2f}s), writing {_best(write_runs):.2f}s "
        f"= {_best(write_runs) / base:.2f}× the baseline",
    )


def _enterprise_sheet(workdir: Path) -> Path:
    """A 10,000-row 企业 sheet with every column of the template, as a township exports it."""
    source = workdir / "source.sqlite3"
    setup.init_database(source, setup.TOWNSHIP, "吴集镇", "基准", training=True)
    db, info = setup.open_initialized(source)
    try:
        demo.generate(db, enterprises=IMPORT_ROWS, months=0, projects=0, seed=11)
        with db.read() as session:
            ref = load(session)
            rows = export._Records(session, ref, info.unit_id).rows(layout.ENTERPRISES)
        sheet = Sheet("企业", [Table(export._columns(layout.ENTERPRISES, ref, info), rows)])
        path = workdir / "企业10000.xlsx"
        write_workbook(path, [sheet])
    finally:
        db.close()
    return path


def _import(workdir: Path) -> Result:
    workdir.mkdir(parents=True, exist_ok=True)
    sheet = _enterprise_sheet(workdir)

    def baseline() -> int:
        wb = load_workbook(sheet, read_only=True)
        n = sum(1 for ws in wb.worksheets for _row in ws.iter_rows(values_only=True))
        wb.close()
        return n

    ours_runs, base_runs = [], []
    for attempt in range(REPEAT):
        path = workdir / f"import-{attempt}.sqlite3"
        setup.init_database(path, setup.TOWNSHIP, "吴集镇", "基准", training=True)
        db, _info = setup.open_initialized(path)
        try:
            start = perf_counter()
            _data, plan = importer.import_file(db, sheet)
            ours_runs.append(perf_counter() - start)
        finally:
            db.close()
        assert plan.written and plan.counts()["enterprise"]["create"] == IMPORT_ROWS, plan.summary()
        start = perf_counter()
        baseline()
        base_runs.append(perf_counter() - start)
    ours, base = _best(ours_runs), _best(base_runs)
    return Result(
        "excel import 10,000 enterprises / openpyxl read_only iteration",
        ours / base,
        goal=2.5,
        detail=f"{ours:.2f}s vs {base:.2f}s (runs {_runs(ours_runs)} vs {_runs(base_runs)}; "
        f"{len(layout.ENTERPRISES.columns)} columns, into an empty township database)",
    )


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        return [_export(Path(tmp) / "export"), _import(Path(tmp) / "import")]
