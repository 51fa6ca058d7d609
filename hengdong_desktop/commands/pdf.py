"""`hengdong pdf form | forms | project | projects | bulletin | verify`: the printed documents."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

from hengdong_desktop.commands.common import ChineseArgumentParser, Outcome, add_db_arg, add_json_flag
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain.verification import normalise_code
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import pdf, setup
from hengdong_desktop.services.pdf.values import period_text
from hengdong_desktop.services.reference import load_reference

T = TypeVar("T")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = sub.add_parser("pdf", help="生成打印用PDF（企业培育表、项目调度表、通报）")
    docs = group.add_subparsers(dest="document", metavar="文档", parser_class=ChineseArgumentParser)
    docs.required = True

    def command(name: str, help_: str, handler: Any, *, out: bool = True) -> argparse.ArgumentParser:
        p = docs.add_parser(name, help=help_)
        add_db_arg(p)
        if out:
            p.add_argument("--out", required=True, help="输出的PDF文件")
        add_json_flag(p)
        p.set_defaults(handler=handler)
        return p

    p = command("form", "一户企业的企业培育表", _form)
    p.add_argument("--code", required=True, help="企业的统一社会信用代码")
    p.add_argument("--period", help="数据截至的期别YYYY-MM（默认最近一期）")

    p = command("forms", "本单位（或指定单位）全部在库企业的企业培育表，每户一页", _forms)
    p.add_argument("--unit", help="填报单位名称或代码（县级数据库可选；默认全部）")
    p.add_argument("--period", help="数据截至的期别YYYY-MM（默认最近一期）")

    p = command("project", "一个项目的亿元级项目调度表", _project)
    p.add_argument("--id", required=True, help="项目编号")
    p.add_argument("--period", help="数据截至的期别YYYY-MM（默认最近一期）")

    p = command("projects", "本单位（或指定单位）全部在库项目的调度表，每个项目一页", _projects)
    p.add_argument("--unit", help="填报单位名称或代码（县级数据库可选；默认全部）")
    p.add_argument("--period", help="数据截至的期别YYYY-MM（默认最近一期）")

    p = command("bulletin", "县级通报（县级汇总数据库）", _bulletin)
    p.add_argument("--period", required=True, help="通报的期别YYYY-MM")

    p = command("verify", "核对打印件上的校验码与当前数据是否一致", _verify, out=False)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--code", help="企业的统一社会信用代码（企业培育表）")
    target.add_argument("--id", help="项目编号（项目调度表）")
    p.add_argument("--period", required=True, help="打印件上“数据截至”的期别YYYY-MM")
    p.add_argument("--check", required=True, help="打印件页脚的校验码，如 7KQ2-M9XD")


def _scope(db: Database, info: setup.DatabaseInfo, unit: str | None) -> int | None:
    """The unit whose records a batch covers: a township's own; for the county, --unit or all."""
    if unit:
        found = load_reference(db).find_unit(unit)
        if found is None:
            raise UserError(f"找不到填报单位“{unit}”。")
        if not info.is_county and found.id != info.unit_id:
            raise UserError(f"本数据库属于{info.unit_name}，没有“{found.name}”的数据。")
        return found.id
    return None if info.is_county else info.unit_id


def _outcome(what: str, written: pdf.WrittenPdf, count: str = "") -> Outcome:
    text = f"已生成{what}：{written.path}（{count}{written.pages}页，数据截至{period_text(written.period)}）"
    data = {
        "ok": True,
        "path": str(written.path),
        "pages": written.pages,
        "period": written.period,
        "forms": [vars(f) for f in written.forms],
    }
    return Outcome(text, data)


def _using_db(args: argparse.Namespace, work: Callable[[Database, setup.DatabaseInfo], T]) -> T:
    db, info = setup.open_initialized(args.db)
    try:
        return work(db, info)
    finally:
        db.close()


def _form(args: argparse.Namespace) -> Outcome:
    written = _using_db(
        args,
        lambda db, _info: pdf.write_enterprise_forms(
            db, args.out, [pdf.find_enterprise(db, args.code)], period=args.period
        ),
    )
    return _outcome("企业培育表", written, f"校验码{written.forms[0].code}，")


def _forms(args: argparse.Namespace) -> Outcome:
    written = _using_db(
        args,
        lambda db, info: pdf.write_enterprise_forms(
            db, args.out, unit_id=_scope(db, info, args.unit), period=args.period
        ),
    )
    return _outcome("企业培育表", written, f"{len(written.forms)}户企业，")


def _project(args: argparse.Namespace) -> Outcome:
    written = _using_db(
        args,
        lambda db, _info: pdf.write_project_forms(db, args.out, [pdf.find_project(db, args.id)], period=args.period),
    )
    return _outcome("亿元级项目调度表", written, f"校验码{written.forms[0].code}，")


def _projects(args: argparse.Namespace) -> Outcome:
    written = _using_db(
        args,
        lambda db, info: pdf.write_project_forms(db, args.out, unit_id=_scope(db, info, args.unit), period=args.period),
    )
    return _outcome("亿元级项目调度表", written, f"{len(written.forms)}个项目，")


def _bulletin(args: argparse.Namespace) -> Outcome:
    return _outcome("通报", _using_db(args, lambda db, _info: pdf.write_bulletin(db, args.out, args.period)))


def _verify(args: argparse.Namespace) -> Outcome:
    def current_code(db: Database, _info: setup.DatabaseInfo) -> str:
        if args.code:
            return pdf.enterprise_form_code(db, pdf.find_enterprise(db, args.code), args.period)
        return pdf.project_form_code(db, pdf.find_project(db, args.id), args.period)

    current = _using_db(args, current_code)
    printed = normalise_code(args.check)
    if printed != current:
        raise UserError(
            f"校验码不一致：打印件为{printed}，按当前数据应为{current}：打印后数据可能已修改，或期别与打印件上的“数据截至”不同。"
        )
    return Outcome(f"校验码一致（{current}）：打印件与当前数据相符。", {"ok": True, "code": current})
