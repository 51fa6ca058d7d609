"""`hengdong report`: the county dashboard's figures for a period (headline, per domain, per
industry, problems, reporting status), as text or as one JSON object for scripts."""

from __future__ import annotations

import argparse
from typing import Any

from hengdong_desktop.commands.common import Outcome, add_db_arg, add_json_flag
from hengdong_desktop.domain import money, periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.programme_report import programme_report


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="输出某期的目标完成情况、产业产值、问题与上报情况（县级）")
    add_db_arg(p)
    p.add_argument("--period", help="期别YYYY-MM（默认上月）")
    add_json_flag(p)
    p.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> Outcome:
    period = args.period or periods.last_completed()
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM，如2025-03。")
    db, info = setup.open_initialized(args.db)
    try:
        if not info.is_county:
            raise UserError(f"“{args.db}”是{info.unit_name}的乡镇填报数据库，汇总报告只能在县级汇总数据库上生成。")
        data = programme_report(db, period)
    finally:
        db.close()
    return Outcome(_text(data), data)


def _count(p: dict[str, Any]) -> str:
    target = "—" if p["target"] is None else f"{p['target']}"
    percent = "" if p["percent"] is None else f"（{p['percent']}%）"
    return f"{p['achieved']}/{target}{percent}"


def _text(d: dict[str, Any]) -> str:
    yi = money.WAN_PER_YI
    lines = [f"{d['period']} 产业发展“百十亿”工程目标完成情况（目标年度{d['target_year']}）"]
    lines.append("全县：" + "，".join(f"{p['label']} {_count(p)}" for p in d["headline"].values()))
    for dom in d["domains"]:
        lines.append(f"  {dom['name']}（{'、'.join(dom['lead_departments'])}）："
                     + "，".join(f"{p['label']} {_count(p)}" for p in dom["progress"].values()))
    lines.append("目标产业（亿元）：1-本月产值 / 上年同期 / 同比 / 目标 / 完成率")
    for i in d["industries"]:
        growth = "—" if i["growth_percent"] is None else f"{i['growth_percent']}%"
        target = "—" if i["target"] is None else money.fmt(i["target"] / yi)
        done = "—" if i["completion_percent"] is None else f"{i['completion_percent']}%"
        lines.append(f"  {i['name']}：{money.fmt(i['output_to_date'] / yi)} / "
                     f"{money.fmt(i['output_same_period_last_year'] / yi)} / {growth} / {target} / {done}")
    pr = d["problems"]
    lines.append(f"截至{pr['as_of']}未解决问题{pr['open_total']}条："
                 + "，".join(f"{k}{v}" for k, v in pr["by_category"].items()))
    rep = d["reporting"]
    counts = rep["counts"][d["period"]]
    lines.append(f"{d['period']}上报情况：" + "，".join(f"{k}{v}个" for k, v in counts.items() if v)
                 + f"；待处理冲突{rep['open_conflicts']}条，疑似重复企业{rep['open_duplicates']}家")
    late = [u["name"] for u in rep["units"] if d["period"] in u["overdue"]]
    if late:
        lines.append("逾期未报：" + "、".join(late))
    return "\n".join(lines)
