"""`hengdong bulletin issue | list | reprint` (issued 通报 as records) and `hengdong official`
(the statistics bureau's industry totals the county enters)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hengdong_desktop.commands.common import ChineseArgumentParser, Outcome, add_db_arg, add_json_flag
from hengdong_desktop.domain import money, periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import bulletins, official_totals, setup


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = sub.add_parser("bulletin", help="发布、列出、重印县级通报（带期号，存档）")
    actions = group.add_subparsers(dest="action", metavar="操作", parser_class=ChineseArgumentParser)
    actions.required = True
    p = actions.add_parser("issue", help="发布某期通报：编期号，存档数字和PDF；再次发布同一期别即为更正")
    add_db_arg(p)
    p.add_argument("--period", required=True, help="通报的期别YYYY-MM")
    p.add_argument("--out", required=True, help="输出的PDF文件")
    add_json_flag(p)
    p.set_defaults(handler=_issue)
    p = actions.add_parser("list", help="列出已发布的通报")
    add_db_arg(p)
    add_json_flag(p)
    p.set_defaults(handler=_list)
    p = actions.add_parser("reprint", help="按存档原样重印已发布的通报")
    add_db_arg(p)
    p.add_argument("--issue", required=True, help="期号，如 2026-3 或 2026年第3期")
    p.add_argument("--out", required=True, help="输出的PDF文件")
    add_json_flag(p)
    p.set_defaults(handler=_reprint)

    p = sub.add_parser("official", help="录入统计局口径的产业数（1-本月累计，万元）；不带 --value 则列出")
    add_db_arg(p)
    p.add_argument("--industry", help="目标产业名称")
    p.add_argument("--period", help="期别YYYY-MM")
    p.add_argument("--value", help="1-本月累计（万元）；空字符串删除该期的数")
    p.add_argument("--source", help="来源说明，如“县统计局2025年6月快报”")
    add_json_flag(p)
    p.set_defaults(handler=_official)


def _with_db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return setup.open_initialized(args.db)


def _issue(args: argparse.Namespace) -> Outcome:
    db, _info = _with_db(args)
    try:
        done = bulletins.issue(db, args.period, Path(args.out))
    finally:
        db.close()
    text = f"已发布{done.label}通报（{done.period}）：{args.out}"
    if done.corrects:
        text += f"；更正{done.corrects}：" + ("；".join(done.changes) or "无")
    return Outcome(
        text,
        {
            "ok": True,
            "issue": done.label,
            "year": done.year,
            "number": done.number,
            "period": done.period,
            "corrects": done.corrects,
            "changes": done.changes,
            "sha256": done.pdf_sha256,
            "path": str(args.out),
        },
    )


def _list(args: argparse.Namespace) -> Outcome:
    db, _info = _with_db(args)
    try:
        rows = bulletins.issued(db)
    finally:
        db.close()
    lines = [
        f"{b.label}  {b.period}  {b.issued_on}  {b.operator}" + (f"  更正{b.corrects}" if b.corrects else "")
        for b in rows
    ] or ["尚未发布通报。"]
    return Outcome(
        "\n".join(lines),
        {
            "ok": True,
            "issues": [
                {
                    "issue": b.label,
                    "period": b.period,
                    "issued_on": b.issued_on,
                    "operator": b.operator,
                    "corrects": b.corrects,
                    "changes": b.changes,
                    "sha256": b.pdf_sha256,
                }
                for b in rows
            ],
        },
    )


def _reprint(args: argparse.Namespace) -> Outcome:
    db, _info = _with_db(args)
    try:
        path = bulletins.reprint(db, args.issue, Path(args.out))
    finally:
        db.close()
    return Outcome(f"已按存档重印：{path}", {"ok": True, "path": str(path)})


def _official(args: argparse.Namespace) -> Outcome:
    if args.period and not periods.is_period(args.period):
        raise UserError(f"期别“{args.period}”无效，应为YYYY-MM。")
    db, _info = _with_db(args)
    try:
        if args.value is not None:
            if not (args.industry and args.period):
                raise UserError("录入统计局口径数须同时给出 --industry 和 --period。")
            row = official_totals.set_total(db, args.industry, args.period, args.value, args.source)
            shown = f"{money.fmt(row.value)}万元" if args.value.strip() else "已删除"
            return Outcome(
                f"{row.industry}{row.period}统计局口径：{shown}",
                {
                    "ok": True,
                    "industry": row.industry,
                    "period": row.period,
                    "value": row.value if args.value.strip() else None,
                },
            )
        rows = official_totals.totals(db, args.period)
    finally:
        db.close()
    lines = [f"{t.period} {t.industry} {money.fmt(t.value)}万元 {t.source or ''}".rstrip() for t in rows]
    return Outcome(
        "\n".join(lines) or "尚未录入统计局口径数据。",
        {
            "ok": True,
            "totals": [
                {"industry": t.industry, "period": t.period, "value": t.value, "source": t.source} for t in rows
            ],
        },
    )
