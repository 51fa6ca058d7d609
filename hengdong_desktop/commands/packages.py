"""`hengdong keys export|identity|pin|new|enroll|revoke`, `export`, `verify`, `merge`, `review`,
`reply`, `apply`.

A key's passphrase, when it has one, comes from the environment variable
HENGDONG_KEY_PASSPHRASE (never from the command line, where other users could read it); the
county's new key after `keys new` takes HENGDONG_NEW_KEY_PASSPHRASE (default: the same)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hengdong_desktop.commands.common import Outcome, add_db_arg, add_json_flag
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import crypto, export, keys, merge, reply, review

NEW_PASSPHRASE_ENV = "HENGDONG_NEW_KEY_PASSPHRASE"


@contextmanager
def _database(path: Path) -> Iterator[Database]:
    db, _info = setup.open_initialized(path)
    try:
        yield db
    finally:
        db.close()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("keys", help="密钥：登记文件、县级身份文件、登记、吊销、更换")
    ksub = p.add_subparsers(dest="keys_command", metavar="操作", parser_class=type(p))
    ksub.required = True
    k = ksub.add_parser("export", help="乡镇：导出本单位的密钥登记文件（交县里登记）")
    add_db_arg(k)
    k.add_argument("--out", required=True, type=Path, help="登记文件路径")
    add_json_flag(k)
    k.set_defaults(handler=_keys_export)
    k = ksub.add_parser("identity", help="县级：导出县级身份文件（发给乡镇导入）")
    add_db_arg(k)
    k.add_argument("--out", required=True, type=Path, help="身份文件路径")
    add_json_flag(k)
    k.set_defaults(handler=_keys_identity)
    k = ksub.add_parser("pin", help="乡镇：导入县级身份文件（须先电话核对指纹）")
    add_db_arg(k)
    k.add_argument("file", type=Path, help="县级身份文件")
    k.add_argument("--fingerprint", required=True, help="与县里电话核对过的指纹")
    k.add_argument("--replace", action="store_true", help="县里确认原密钥已作废时，更换已记录的县级密钥")
    add_json_flag(k)
    k.set_defaults(handler=_keys_pin)
    k = ksub.add_parser("new", help="乡镇：生成新的密钥（旧私钥删除，须重新登记）；县级：更换县级密钥")
    add_db_arg(k)
    add_json_flag(k)
    k.set_defaults(handler=_keys_new)
    k = ksub.add_parser(
        "passphrase",
        help="修改本机密钥的口令（原口令、新口令分别取自环境变量"
        " HENGDONG_KEY_PASSPHRASE、HENGDONG_NEW_KEY_PASSPHRASE）",
    )
    add_db_arg(k)
    add_json_flag(k)
    k.set_defaults(handler=_keys_passphrase)
    k = ksub.add_parser("policy", help="县级：规定签名密钥口令的最少字符数（0为可不设），随基础数据下发")
    add_db_arg(k)
    k.add_argument("--min-length", required=True, type=int, help="口令最少字符数")
    add_json_flag(k)
    k.set_defaults(handler=_keys_policy)
    k = ksub.add_parser("enroll", help="县级：登记乡镇的密钥（须先电话核对指纹）")
    add_db_arg(k)
    k.add_argument("file", type=Path, help="乡镇导出的登记文件")
    k.add_argument("--fingerprint", required=True, help="与乡镇电话核对过的指纹")
    add_json_flag(k)
    k.set_defaults(handler=_keys_enroll)
    k = ksub.add_parser("revoke", help="县级：吊销某单位的密钥（立即生效）")
    add_db_arg(k)
    k.add_argument("--unit", required=True, help="单位名称或代码")
    k.add_argument("--last-good", type=int, help="最后一个可信的上报包序号（默认：已合并的最后一个）")
    k.add_argument("--reason", default="", help="吊销原因")
    add_json_flag(k)
    k.set_defaults(handler=_keys_revoke)

    p = sub.add_parser("export", help="导出本单位签名的上报包")
    add_db_arg(p)
    p.add_argument("--out", required=True, type=Path, help="上报包路径（.hdpkg）")
    p.add_argument("--period", help="上报期别YYYY-MM（默认上月）")
    p.add_argument("--rejoin", action="store_true", help="接续县里已收到的记录（有上报包在途中遗失时）")
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

    p = sub.add_parser("broadcast", help="县级：生成发给全部单位的基础数据下发包（一个文件）")
    add_db_arg(p)
    p.add_argument("--out", required=True, type=Path, help="下发包路径（.hdpkg）")
    add_json_flag(p)
    p.set_defaults(handler=_broadcast)

    p = sub.add_parser("apply", help="乡镇：应用县里的下发包（含基础数据下发包）")
    add_db_arg(p)
    p.add_argument("file", type=Path, help="下发包文件")
    add_json_flag(p)
    p.set_defaults(handler=_apply)


def _keys_export(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        data = keys.export_enrollment(db, args.out, keys.passphrase_from_env())
    text = (
        f"已导出{data['unit']['name']}的密钥登记文件：{args.out}\n密钥指纹：{data['fingerprint']}（请电话向县里核对）"
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


def _keys_identity(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        identity = keys.export_identity(db, args.out, keys.passphrase_from_env())
    text = f"已导出县级身份文件：{args.out}\n县级密钥指纹：{identity.fingerprint}（各乡镇导入时须电话核对）"
    return Outcome(
        text, {"ok": True, "file": str(args.out), "key_id": identity.key_id, "fingerprint": identity.fingerprint}
    )


def _keys_pin(args: argparse.Namespace) -> Outcome:
    identity = keys.read_identity(args.file)
    with _database(args.db) as db:
        pinned = keys.pin_county(db, identity, fingerprint=args.fingerprint, replace=args.replace)
    return Outcome(
        f"已导入县级身份文件，县级密钥指纹：{pinned.fingerprint}。", {"ok": True, "fingerprint": pinned.fingerprint}
    )


def _keys_new(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        if setup.read_info(db).is_county:
            new = os.environ.get(NEW_PASSPHRASE_ENV) or keys.passphrase_from_env()
            own = keys.rotate_county_key(db, keys.passphrase_from_env(), new)
            text = (
                f"已更换县级密钥，新指纹：{own.fingerprint}。此后的下发包附有旧密钥签署的更换记录，"
                "乡镇应用后自动改用新密钥；请导出新的县级身份文件备用。"
            )
        else:
            own = keys.new_key(db, keys.passphrase_from_env())
            text = f"已生成新的密钥，指纹：{own.fingerprint}。请导出登记文件（hengdong keys export）交县里重新登记。"
    return Outcome(text, {"ok": True, "key_id": own.key_id, "fingerprint": own.fingerprint})


def _keys_passphrase(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        keys.change_passphrase(db, keys.passphrase_from_env(), os.environ.get(NEW_PASSPHRASE_ENV) or None)
    return Outcome("已修改密钥口令。", {"ok": True})


def _keys_policy(args: argparse.Namespace) -> Outcome:
    from hengdong_desktop.services.reference_admin import set_passphrase_minimum

    with _database(args.db) as db:
        info = setup.read_info(db)
        if not info.is_county:
            raise UserError("只有县级汇总数据库可以规定口令要求。")
        set_passphrase_minimum(db, info.actor("reference"), args.min_length)
    text = (
        f"已规定签名密钥口令至少{args.min_length}个字符，随下一个下发包通知各单位。"
        if args.min_length
        else "已改为签名密钥可不设口令。"
    )
    return Outcome(text, {"ok": True, "min_length": args.min_length})


def _keys_enroll(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        key = keys.enroll(db, args.file, fingerprint=args.fingerprint)
    verb = "已登记过" if key.already else "已登记"
    text = f"{verb}{key.unit_name}的密钥{key.shown_id}，指纹：{key.fingerprint}。"
    if key.replaced:
        text += f"该单位原密钥{crypto.show_key_id(key.replaced)}已停用，其签名的包不再接收。"
    return Outcome(
        text,
        {
            "ok": True,
            "unit": key.unit_name,
            "key_id": key.key_id,
            "fingerprint": key.fingerprint,
            "already": key.already,
            "replaced": key.replaced,
        },
    )


def _keys_revoke(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        revoked = keys.revoke(db, args.unit, last_good=args.last_good, reason=args.reason)
    return Outcome(
        revoked.summary(),
        {
            "ok": True,
            "unit": revoked.key.unit_name,
            "key_id": revoked.key.key_id,
            "last_good": revoked.last_good,
            "suspects": [{"sequence": n, "file": f} for n, f in revoked.suspects],
        },
    )


def _export(args: argparse.Namespace) -> Outcome:
    period = args.period or periods.last_completed()
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    try:
        with _database(args.db) as db:
            result = export.export_report(
                db, args.out, period=period, passphrase=keys.passphrase_from_env(), rejoin=args.rejoin
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
    """Each file's outcome; exit 0 all done, 3 some refused (the others done), 1 all refused."""
    refused = [r for r in results if r.status == merge.REFUSED]
    data = {"ok": not refused, "files": [r.as_json() for r in results]}
    for r in refused:
        print(f"“{r.file}”被拒绝：{r.reason}。", file=sys.stderr)
    return Outcome("\n".join(_describe(r) for r in results), data, merge.batch_exit_code(results))


def _verify(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        return _files_outcome(merge.verify_files(db, args.files, passphrase=keys.passphrase_from_env()))


def _merge(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        return _files_outcome(
            merge.merge_files(db, args.files, dry_run=args.dry_run, passphrase=keys.passphrase_from_env())
        )


def _review(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        result = review.review_period(db, args.unit, args.period, accept=args.accept, reason=args.return_reason or "")
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
        result = reply.export_reply(db, args.unit, args.out, passphrase=keys.passphrase_from_env())
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


def _broadcast(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        result = reply.export_reference(db, args.out, passphrase=keys.passphrase_from_env())
    return Outcome(result.summary(), {"ok": True, "file": str(result.path), "sequence": result.sequence})


def _apply(args: argparse.Namespace) -> Outcome:
    with _database(args.db) as db:
        result = reply.apply_reply(db, args.file, passphrase=keys.passphrase_from_env())
    lines = [result.summary(), *result.changes, *(f"冲突：{c}" for c in result.conflicts)]
    lines += [f"{d['period']}：{d['decision']}{'，' + d['reason'] if d['reason'] else ''}" for d in result.decisions]
    return Outcome("\n".join(lines), {"ok": True, **result.as_json()})
