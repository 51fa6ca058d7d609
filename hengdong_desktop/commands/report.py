"""`hengdong report`: the county dashboard's figures for a period (headline, per domain, per
industry, projects and 招商 with their warnings, problems, reporting status), as text or as one
JSON object for scripts."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from hengdong_desktop.commands.common import Outcome, add_db_arg, add_json_flag, shown_target
from hengdong_desktop.domain import money, periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.programme_report import programme_report


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="输出某期的目标完成情况、产业产值、问题与上报情况（县级）")
    add_db_arg(p)
    p.add_argument("--period", help="期别YYYY-MM（默认上月）")
    p.add_argument(
        "--pending", action="store_true", help="含待审核：另计已上报未审核和县级录入的数据（默认只计已接收）"
    )
    add_json_flag(p)
    p.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> Outcome:
    period = args.period or periods.last_completed()
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM，如2025-03。")
    db, info = setup.open_initialized(args.db)
    try:
        if not info.is_county:
            raise UserError(
                f"“{shown_target(args.db)}”是{info.unit_name}的乡镇填报数据库，汇总报告只能在县级汇总数据库上生成。"
            )
        data = programme_report(db, period, include_pending=args.pending)
    finally:
        db.close()
    return Outcome(_text(data), data)


def _count(p: dict[str, Any]) -> str:
    target = "—" if p["target"] is None else f"{p['target']}"
    percent = "" if p["percent"] is None else f"（{p['percent']}%）"
    return f"{p['achieved']}/{target}{percent}"


def _bases(p: dict[str, Any]) -> str:
    if p["year_to_date"] is None:
        return f"（本月新开工{p['new_this_period']}）" if p["new_this_period"] is not None else ""
    return f"（1-本月累计{p['year_to_date']}，上年全年{p['last_year']}，预计全年{p['projected']}）"


def _project_lines(p: dict[str, Any], i: dict[str, Any]) -> list[str]:
    total = p["total"]
    rate = "—" if total["completion_percent"] is None else f"{total['completion_percent']}%"
    stages = "，".join(f"{g['name']}{g['projects']}" for g in p["by_stage"] if g["projects"])
    out = [
        f"项目推进：共{total['projects']}个（亿元级{total['hundred_million']}个，总投资{money.fmt(total['total_investment'])}万元），"
        f"按状态：{stages or '无'}；本期新开工{p['started_this_period']}个；本年计划投资{money.fmt(total['year_plan'])}万元，"
        f"本年累计完成{money.fmt(total['invest_ytd'])}万元（{rate}）",
        "预警：" + "，".join(f"{rule}{n}个" for rule, n in p["warning_counts"].items()),
    ]
    out += [
        f"  【{w['rule']}】{w['unit']} {w['project']}：{w['message']}（自{w['since']}起已持续{w['months']}个月）"
        for w in p["warnings"]
    ]
    fulfil = "—" if i["fulfil_percent"] is None else f"{i['fulfil_percent']}%"
    funds = "—" if i["funds_percent"] is None else f"{i['funds_percent']}%"
    out.append(
        f"招商引资：本年签约{i['signed_this_year']}个（合同投资额{money.fmt(i['contract_this_year'])}万元），累计签约"
        f"{i['signed']}个（{money.fmt(i['contract'])}万元），已开工{i['started']}个，履约率{fulfil}"
        f"（{i['fulfil_months']}个月内开工{i['kept']}/{i['due']}），到位资金{money.fmt(i['funds'])}万元（到位率{funds}）"
    )
    return out


def _text(d: dict[str, Any]) -> str:
    yi = money.WAN_PER_YI
    lines = [f"{d['period']} 产业发展“百十亿”工程目标完成情况（目标年度{d['target_year']}）", d["basis"]["sentence"]]
    if d["basis"]["left_out"]:
        lines.append("未计入：" + "，".join(f"{k}（{v}）" for k, v in d["basis"]["left_out"].items()))
    lines.append("全县：" + "，".join(f"{p['label']} {_count(p)}{_bases(p)}" for p in d["headline"].values()))
    for dom in d["domains"]:
        lines.append(
            f"  {dom['name']}（{'、'.join(dom['lead_departments'])}）："
            + "，".join(f"{p['label']} {_count(p)}" for p in dom["progress"].values())
        )
    lines.append("目标产业（亿元）：1-本月累计 / 上年同期 / 同比 / 上年全年 / 预计全年 / 目标 / 完成率")
    hundred = Decimal(d["definitions"]["thresholds_wan"]["hundred_billion_industry"]) / yi
    for i in d["industries"]:
        growth = "—" if i["growth_percent"] is None else f"{i['growth_percent']}%"
        target = "—" if i["target"] is None else money.fmt(i["target"] / yi)
        done = "—" if i["completion_percent"] is None else f"{i['completion_percent']}%"
        projected = "—" if i["projected"] is None else money.fmt_beside(i["projected"] / yi, hundred)
        official = "（统计局口径）" if i["basis"]["official"] else ""
        lines.append(
            f"  {i['name']}（{i['measure']}{official}）：{money.fmt_beside(i['to_date'] / yi, hundred)} / "
            f"{money.fmt(i['same_period_last_year'] / yi)} / {growth} / "
            f"{money.fmt_beside(i['last_year'] / yi, hundred)} / {projected} / {target} / {done}"
        )
    if "projects" in d:
        lines += _project_lines(d["projects"], d["investment"])
    pr = d["problems"]
    lines.append(
        f"截至{pr['as_of']}未解决问题{pr['open_total']}条："
        + "，".join(f"{k}{v}" for k, v in pr["by_category"].items())
    )
    rep = d["reporting"]
    counts = rep["counts"][d["period"]]
    lines.append(
        f"{d['period']}上报情况："
        + "，".join(f"{k}{v}个" for k, v in counts.items() if v)
        + f"；逾期{rep['overdue'][d['period']]}个；待处理冲突{rep['open_conflicts']}条，"
        f"疑似重复企业{rep['open_duplicates']}家"
    )
    late = [u["name"] for u in rep["units"] if d["period"] in u["overdue"]]
    if late:
        lines.append("逾期未报：" + "、".join(late))
    return "\n".join(lines)
