"""`hengdong keys export|enroll|revoke`, `export`, `verify`, `merge`, `review`, `reply`, `apply`.

A key's passphrase, when it has one, comes from the environment variable
HENGDONG_KEY_PASSPHRASE (never from the command line, where other users could read it)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from hengdong_desktop.commands.common import EXIT_FAILED, Outcome, add_db_arg, add_json_flag
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import keys, merge, packages, review, setup


@contextmanager
def _database(path: Path) -> Iterator[Database]:
    db, _info = setup.open_initialized(path)
    try:
        yield db
    finally:
        db.close()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("keys", help="签名密钥：导出登记文件、登记、吊销")
    ksub = p.add_subparsers(dest="keys_command", metavar="操作", parser_class=type(p))
    ksub.required = True
    k = ksub.add_parser("export", help="导出本单位的密钥登记文件（交县里登记）")
    add_db_arg(k)
    k.add_argument("--out", required=True, type=Path, help="登记文件路径")
    add_json_flag(k)
    k.set_defaults(handler=_keys_export)
    k = ksub.add_parser("new", help="为本数据库生成新的密钥（旧密钥文件改名保留）")
    add_db_arg(k)
    add_json_flag(k)
    k.set_defaults(handler=_keys_new)
    k = ksub.add_parser("enroll", help="县级：登记乡镇的密钥")
    add_db_arg(k)
    k.add_argument("file", type=Path, help="乡镇导出的登记文件")
    add_json_flag(k)
    k.set_defaults(handler=_keys_enroll)
    k = ksub.add_parser("revoke", help="县级：吊销某单位的密钥")
    add_db_arg(k)
    k.add_argument("--unit", required=True, help="单位名称或代码")
    k.add_argument("--date", help="自该日起吊销YYYY-MM-DD（默认现在）")
    k.add_argument("--reason", default="", help="吊销原因")
    add_json_flag(k)
    k.set_defaults(handler=_keys_revoke)

    p = sub.add_parser("export", help="导出本单位签名的上报包")
    add_db_arg(p)
    p.add_argument("--out", required=True, type=Path, help="上报包路径（.hdpkg）")
    p.add_argument("--period", help="上报期别YYYY-MM（默认上月）")
    add_json_flag(p)
    p.set_defaults(handler=_export)

    for name, help_text in (
        ("verify", "县级：校验上报包（不写入）"),
        ("merge", "县级：合并上报包"),
    ):
        p = sub.add_parser(name, help=help_text)
        add_db_arg(p)
        if name == "merge":
            p.add_argument("--dry-run", action="store_true", help="只显示将要发生的变化，不写入")
        p.add_argument("files", nargs="+", type=Path, help="上报包文件")
        add_json_flag(p)
        p.set_defaults(handler=_merge if name == "merge" else _verify)

    p = sub.add_parser("review", help="县级：接收或退回某单位某期的数据")
    add_db_arg(p)
    p.add_argument("--unit", required=True, help="单位名称或代码")
    p.add_argument("--period", required=True, help="期别YYYY-MM")
    choice = p.add_mutually_exclusive_group(required=True)
    choice.add_argument("--accept", action="store_true", help="接收")
    choice.add_argument("--return", dest="return_reason", metavar="理由", help="退回，并写明理由")
    add_json_flag(p)
    p.set_defaults(handler=_review)

    p = sub.add_parser("reply", help="县级：生成发给某单位的下发包")
    add_db_arg(p)
    p.add_argument("--unit", required=True, help="单位名称或代码")
    p.add_argument("--out", required=True, type=Path, help="下发包路径（.hdpkg）")
    add_json_flag(p)
    p.set_defaults(handler=_reply)

    p = sub.add_parser("apply", help="乡镇：应用县里的下发包")
    add_db_arg(p)
    p.add_argument("file", type=Path, help="下发包文件")
    add_json_flag(p)
    p.set_defaults(handler=_apply)


def _keys_export(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        data = keys.export_enrollment(db, args.out)
    text = (
        f"已导出{data['unit']['name']}的密钥登记文件：{args.out}\n"
        f"密钥指纹：{data['fingerprint']}（请电话向县里核对）"
    )
    return Outcome(
        text,
        {
            "ok": True,
            "file": str(args.out),
            "unit": data["unit"]["name"],
            "key_id": data["key_id"],
            "fingerprint": data["fingerprint"],
        },
    )


def _keys_new(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        own = keys.new_key(db, keys.passphrase_from_env())
    text = (
        f"已生成新的密钥，指纹：{own.fingerprint}。"
        "请导出登记文件（hengdong keys export）交县里重新登记。"
    )
    return Outcome(text, {"ok": True, "key_id": own.key_id, "fingerprint": own.fingerprint})


def _keys_enroll(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        key = keys.enroll(db, args.file)
    verb = "已登记过" if key.already else "已登记"
    text = f"{verb}{key.unit_name}的密钥{key.key_id}，指纹：{key.fingerprint}（请与乡镇电话核对）。"
    return Outcome(
        text,
        {
            "ok": True,
            "unit": key.unit_name,
            "key_id": key.key_id,
            "fingerprint": key.fingerprint,
            "already": key.already,
        },
    )


def _keys_revoke(args: argparse.Namespace) -> Outcome:
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise UserError(f"日期“{args.date}”无效，应为YYYY-MM-DD。") from None
    with _database(args.db) as db:
        revoked = keys.revoke(db, args.unit, day, args.reason)
    when = args.date or "现在"
    text = f"已吊销{revoked[0].unit_name}的{len(revoked)}个密钥（自{when}起）。"
    return Outcome(
        text,
        {
            "ok": True,
            "unit": revoked[0].unit_name,
            "key_ids": [k.key_id for k in revoked],
            "revoked_at": revoked[0].revoked_at,
        },
    )


def _export(args: argparse.Namespace) -> Outcome:
    period = args.period or periods.last_completed()
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    try:
        with _database(args.db) as db:
            result = packages.export_report(
                db, args.out, period=period, passphrase=keys.passphrase_from_env()
            )
    except UserError as err:
        if err.details:  # the findings that block the export, one per line, then the reason
            print("\n".join(err.details), file=sys.stderr)
        raise
    return Outcome(
        result.summary(),
        {
            "ok": True,
            "file": str(result.path),
            "package_id": result.package_id,
            "sequence": result.sequence,
            "period": result.period,
            "sha256": result.sha256,
            "counts": result.counts,
        },
    )


def _describe(result: merge.FileResult) -> str:
    """One line per file; a preview also lists its counts entity by entity."""
    lines = [result.describe()]
    if result.status == merge.PREVIEW:
        for entity, c in result.counts.items():
            lines.append(
                f"  {ENTITY_LABELS[entity]}：新增{c.new}，修改{c.changed}，未变{c.unchanged}，"
                f"冲突{c.conflicts}，重复{c.duplicates}"
            )
    return "\n".join(lines)


def _files_outcome(results: list[merge.FileResult]) -> Outcome:
    refused = [r for r in results if r.status == merge.REFUSED]
    data = {"ok": not refused, "files": [r.as_json() for r in results]}
    if refused:
        print("；".join(f"“{r.file}”被拒绝：{r.reason}" for r in refused) + "。", file=sys.stderr)
    return Outcome("\n".join(_describe(r) for r in results), data, EXIT_FAILED if refused else 0)


def _verify(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        return _files_outcome(merge.verify_files(db, args.files))


def _merge(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        return _files_outcome(merge.merge_files(db, args.files, dry_run=args.dry_run))


def _review(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        result = review.review_period(
            db, args.unit, args.period, accept=args.accept, reason=args.return_reason or ""
        )
    return Outcome(
        result.summary(),
        {
            "ok": True,
            "unit": result.unit,
            "period": result.period,
            "decision": result.decision,
            "reason": result.reason,
            "package_id": result.package_id,
        },
    )


def _reply(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        result = review.export_reply(db, args.unit, args.out, passphrase=keys.passphrase_from_env())
    return Outcome(
        result.summary(),
        {
            "ok": True,
            "file": str(result.path),
            "unit": result.unit,
            "sequence": result.sequence,
            "decisions": result.decisions,
            "corrections": result.corrections,
        },
    )


def _apply(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        result = review.apply_reply(db, args.file)
    lines = [result.summary(), *result.changes, *(f"冲突：{c}" for c in result.conflicts)]
    lines += [
        f"{d['period']}：{d['decision']}{'，' + d['reason'] if d['reason'] else ''}"
        for d in result.decisions
    ]
    return Outcome("\n".join(lines), {"ok": True, **result.as_json()})
