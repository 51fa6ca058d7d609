"""`hengdong init`, `demo`, `check` and `explain`."""

from __future__ import annotations

import argparse
from pathlib import Path

from hengdong_desktop.commands.common import Outcome, add_db_arg, add_json_flag, shown_target
from hengdong_desktop.domain import periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks, demo, explanations, setup, training
from hengdong_desktop.services.packages import keys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="创建并初始化数据库")
    add_db_arg(p)
    p.add_argument(
        "--role",
        required=True,
        choices=(setup.TOWNSHIP, setup.COUNTY),
        help="township（乡镇填报）或 county（县级汇总）",
    )
    p.add_argument("--unit", help="填报单位名称或代码（乡镇填报时必填）")
    p.add_argument("--operator", default="", help="操作员姓名")
    p.add_argument("--county-identity", type=Path, help="乡镇：县级身份文件（须同时给出电话核对过的 --fingerprint）")
    p.add_argument("--fingerprint", help="与县里电话核对过的县级密钥指纹")
    p.add_argument(
        "--training",
        action="store_true",
        help="培训/演示数据库：处处标明“培训/演示”，可生成演示数据，其数据包正式数据库不接收",
    )
    p.add_argument("--start-period", help="启用期YYYY-MM：各单位从这一期起须上报（默认上月）")
    add_json_flag(p)
    p.set_defaults(handler=_init)

    p = sub.add_parser("demo", help="在培训/演示数据库中生成演示数据（正式数据库拒绝）")
    add_db_arg(p)
    p.add_argument("--enterprises", type=int, default=30, help="每个单位的企业数（默认30）")
    p.add_argument("--months", type=int, default=12, help="月度数据的月数（默认12）")
    p.add_argument("--projects", type=int, help="每个单位的项目数（默认为企业数的八分之一）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（默认1）")
    p.add_argument("--end-period", help="最后一个期别YYYY-MM（默认上月）")
    add_json_flag(p)
    p.set_defaults(handler=_demo)

    p = sub.add_parser("check", help="审核数据库中的数据")
    add_db_arg(p)
    p.add_argument("--period", help="只审核某一期别的月度数据YYYY-MM")
    add_json_flag(p)
    p.set_defaults(handler=_check)

    p = sub.add_parser("explain", help="为一条警告填写说明（规则、记录、期别见 hengdong check）")
    add_db_arg(p)
    p.add_argument("--rule", required=True, help="规则编号，如QM03（hengdong check 每行的“规则”）")
    p.add_argument(
        "--record",
        required=True,
        help="企业名称或统一社会信用代码、项目名称或项目编号，或记录编号（check --json 的 record_id）",
    )
    p.add_argument("--period", help="月度数据的期别YYYY-MM")
    p.add_argument("--text", required=True, help="说明的内容")
    add_json_flag(p)
    p.set_defaults(handler=_explain)


def _init(args: argparse.Namespace) -> Outcome:
    if args.role == setup.COUNTY and (args.unit or args.county_identity):
        raise UserError("县级汇总数据库不需要 --unit 和 --county-identity。")
    identity = None
    if args.county_identity is not None:
        identity = keys.read_identity(args.county_identity)
        if not keys.same_fingerprint(args.fingerprint or "", identity.fingerprint):
            raise UserError(
                f"请用 --fingerprint 给出与县里电话核对过的指纹（身份文件中的指纹：{identity.fingerprint}）。"
            )
    info = setup.init_database(
        args.db,
        args.role,
        args.unit,
        args.operator,
        key_passphrase=keys.passphrase_from_env(),
        county_identity=identity,
        training=args.training,
        start_period=args.start_period,
    )
    kind = f"{info.role_label}（{training.LABEL}）" if info.training else info.role_label
    text = f"已创建{kind}数据库：{shown_target(args.db)}（单位：{info.unit_name}）"
    return Outcome(
        text,
        {
            "ok": True,
            "db": shown_target(args.db),
            "role": info.role,
            "unit": info.unit_name,
            "unit_id": info.unit_id,
            "database_id": info.database_id,
            "training": info.training,
        },
    )


def _demo(args: argparse.Namespace) -> Outcome:
    if args.end_period and not periods.is_period(args.end_period):
        raise UserError(f"期别“{args.end_period}”无效，应为YYYY-MM。")
    db, _info = setup.open_initialized(args.db)
    try:
        result = demo.generate(
            db,
            enterprises=args.enterprises,
            months=args.months,
            projects=args.projects,
            seed=args.seed,
            end_period=args.end_period,
        )
    finally:
        db.close()
    data = {"ok": True, **{k: v for k, v in vars(result).items()}}
    return Outcome(result.summary(), data)


def _check(args: argparse.Namespace) -> Outcome:
    if args.period and not periods.is_period(args.period):
        raise UserError(f"期别“{args.period}”无效，应为YYYY-MM。")
    db, info = setup.open_initialized(args.db)
    try:
        report = checks.check_database(db, unit_id=None if info.is_county else info.unit_id, period=args.period)
    finally:
        db.close()
    lines = []
    for f in report.findings:
        line = f"{f.describe()}  规则{f.rule_id}"
        if f.severity.needs_explanation:
            line += f"  说明：{report.explanation(f)}" if report.is_explained(f) else "  （未说明）"
        lines.append(line)
    counts = report.counts()
    if report.unexplained:
        lines.append(
            "填写说明：hengdong explain --db 数据库 --rule 规则 --record 企业或项目名称 [--period 期别] --text 说明"
        )
    lines.append(  # the last line, as scripts read it
        "审核完成："
        + "，".join(f"{k}{v}条" for k, v in counts.items())
        + f"；待处理{report.open_count}条（错误{len(report.blocking)}条，未说明的警告{len(report.unexplained)}条）。"
    )
    return Outcome("\n".join(lines), report.as_json())


def _explain(args: argparse.Namespace) -> Outcome:
    db, _info = setup.open_initialized(args.db)
    try:
        done = explanations.explain(db, args.rule, args.record, args.text, period=args.period)
    finally:
        db.close()
    f = done.finding
    return Outcome(
        done.summary(),
        {
            "ok": True,
            "rule": f.rule_id,
            "entity": f.entity,
            "record_id": f.record_id,
            "subject": f.subject,
            "period": f.period,
            "text": done.text,
            "replaced": done.replaced,
        },
    )
