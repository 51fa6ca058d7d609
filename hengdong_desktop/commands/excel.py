"""`hengdong excel template | import | export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hengdong_desktop.commands.common import EXIT_FAILED, Outcome, add_db_arg, add_json_flag, database_target
from hengdong_desktop.domain import periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.excel import export, importer, report


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    excel = sub.add_parser("excel", help="Excel模板、导入与导出")
    commands = excel.add_subparsers(dest="excel_command", metavar="操作")
    commands.required = True

    p = commands.add_parser("template", help="生成Excel填报模板")
    p.add_argument("--out", required=True, type=Path, help="模板文件路径（.xlsx）")
    p.add_argument("--db", type=database_target, help="按该数据库的基础数据生成下拉列表（可选）")
    add_json_flag(p)
    p.set_defaults(handler=_template)

    p = commands.add_parser("import", help="从Excel导入（先检查，有强制性错误则不导入）")
    add_db_arg(p)
    p.add_argument("file", type=Path, help="要导入的Excel文件（.xlsx）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--report", type=Path, help="把检查报告写成Excel文件（问题单元格标色）")
    add_json_flag(p)
    p.set_defaults(handler=_import)

    p = commands.add_parser("export", help="导出Excel：乡镇导出本单位数据，县级导出汇总表")
    add_db_arg(p)
    p.add_argument("--out", required=True, type=Path, help="导出文件路径（.xlsx）")
    p.add_argument("--period", help="汇总表的期别YYYY-MM（县级，默认最近有数据的期别）")
    add_json_flag(p)
    p.set_defaults(handler=_export)


def _xlsx(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件“{path.name}”应以.xlsx结尾。")
    return path


def _template(args: argparse.Namespace) -> Outcome:
    out = _xlsx(args.out)
    if args.db:
        db, _info = setup.open_initialized(args.db)
        try:
            result = export.write_template(out, db)
        finally:
            db.close()
    else:
        result = export.write_template(out)
    return Outcome(result.summary(), {"ok": True, "out": str(out), "sheets": result.sheets})


def _import(args: argparse.Namespace) -> Outcome:
    if args.report:
        _xlsx(args.report)
    db, _info = setup.open_initialized(args.db)
    try:
        data, plan = importer.import_file(db, args.file, dry_run=args.dry_run)
    finally:
        db.close()
    if args.report:
        report.write_report(plan, data, args.report)
    lines = [issue.line() for issue in plan.issues]
    if not plan.blocking:  # what changes in records already stored; new ones are counted below
        lines += [
            f"{c.sheet} 第{c.row}行 修改{c.subject}：{c.describe()}" for c in plan.changes if c.action == "update"
        ]
    lines.append(plan.summary())
    if args.report:
        lines.append(f"检查报告已写入：{args.report}")
    data_out = plan.as_json() | {"report": str(args.report) if args.report else None}
    if plan.blocking:
        print(f"导入未执行：“{args.file.name}”有{len(plan.blocking)}条强制性错误，未写入任何数据。", file=sys.stderr)
        return Outcome("\n".join(lines), data_out, EXIT_FAILED)
    return Outcome("\n".join(lines), data_out)


def _export(args: argparse.Namespace) -> Outcome:
    out = _xlsx(args.out)
    if args.period and not periods.is_period(args.period):
        raise UserError(f"期别“{args.period}”无效，应为YYYY-MM。")
    db, info = setup.open_initialized(args.db)
    try:
        if args.period and not info.is_county:
            raise UserError("--period 只用于县级汇总表；乡镇导出本单位的全部数据。")
        result = export.export(db, out, args.period)
    finally:
        db.close()
    return Outcome(
        result.summary(),
        {
            "ok": True,
            "out": str(out),
            "kind": result.kind,
            "sheets": result.sheets,
            "rows": result.rows,
            "period": result.period,
            "cells": result.cells,
        },
    )
