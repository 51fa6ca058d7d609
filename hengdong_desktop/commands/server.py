"""`hengdong server …`: the county database on a PostgreSQL server (init, accounts, backups,
restore, import of a one-PC county database). Passwords are read from the environment or typed
at a prompt, never taken on the command line, where other users could read them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from hengdong_desktop.commands.common import Outcome, add_json_flag, shown_target
from hengdong_desktop.db import pg_backup
from hengdong_desktop.db.location import is_server_url, server_url
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, server, server_import, setup
from hengdong_desktop.services.packages import keys

PASSWORD_ENV = "HENGDONG_ACCOUNT_PASSWORD"
DB_HELP = (
    "服务器数据库地址 postgresql://账号@服务器:端口/数据库名（默认取环境变量HENGDONG_DB；密码用PGPASSWORD或.pgpass）"
)


def _add_server_db(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get("HENGDONG_DB")
    parser.add_argument("--db", required=not (env and is_server_url(env)), default=env, help=DB_HELP)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("server", help="服务器上的县级汇总数据库（PostgreSQL）：创建、账号、备份、导入")
    ssub = p.add_subparsers(dest="server_command", metavar="操作", parser_class=type(p))
    ssub.required = True

    s = ssub.add_parser("init", help="创建服务器数据库、账号组和权限，并初始化为县级汇总数据库（用服务器管理员账号）")
    _add_server_db(s)
    s.add_argument("--operator", default="", help="操作员姓名")
    s.add_argument("--backup-dir", help="备份文件夹（办公室各电脑看到的路径，如共享文件夹）")
    s.add_argument("--training", action="store_true", help="培训/演示数据库（同 init --training）")
    s.add_argument("--start-period", help="启用期YYYY-MM：各单位从这一期起须上报（默认上月）")
    add_json_flag(s)
    s.set_defaults(handler=_init)

    k = ssub.add_parser(
        "key", help="本机的县级私钥文件：导出副本、导入副本（合并上报包、签发下发包的办公室电脑各需一份）"
    )
    ksub = k.add_subparsers(dest="key_command", metavar="操作", parser_class=type(p))
    ksub.required = True
    e = ksub.add_parser("export", help="导出本机县级私钥文件的副本（供另一台办公室电脑导入）")
    _add_server_db(e)
    e.add_argument("--out", required=True, type=Path, help="副本文件，如 hengdong.key.pem")
    add_json_flag(e)
    e.set_defaults(handler=_key_export)
    e = ksub.add_parser("install", help=f"把县级私钥文件的副本导入本机（口令取环境变量{keys.PASSPHRASE_ENV}）")
    _add_server_db(e)
    e.add_argument("file", type=Path, help="私钥文件副本")
    add_json_flag(e)
    e.set_defaults(handler=_key_install)

    a = ssub.add_parser("account", help="登录账号：新建、改密码、停用、列出（用服务器管理员账号）")
    asub = a.add_subparsers(dest="account_command", metavar="操作", parser_class=type(p))
    asub.required = True
    k = asub.add_parser("add", help=f"新建账号（密码取环境变量{PASSWORD_ENV}，否则提示输入）")
    _add_server_db(k)
    k.add_argument("--account", required=True, help="账号名（小写字母、数字、下划线）")
    k.add_argument(
        "--kind",
        required=True,
        choices=("office", "department", "readonly"),
        help="office（办公室）、department（牵头部门）或 readonly（只读）",
    )
    k.add_argument("--department", help="牵头部门的部门名称，如 县住建局")
    k.add_argument("--name", default="", help="使用人姓名")
    add_json_flag(k)
    k.set_defaults(handler=_account_add)
    k = asub.add_parser("password", help="重设账号密码")
    _add_server_db(k)
    k.add_argument("--account", required=True)
    k.set_defaults(handler=_account_password)
    k = asub.add_parser("disable", help="停用账号（不再能登录，操作日志中的账号名保留）")
    _add_server_db(k)
    k.add_argument("--account", required=True)
    k.set_defaults(handler=_account_disable)
    k = asub.add_parser("list", help="列出账号")
    _add_server_db(k)
    add_json_flag(k)
    k.set_defaults(handler=_account_list)

    b = ssub.add_parser("backup", help="用pg_dump备份（供计划任务每天运行）")
    _add_server_db(b)
    b.add_argument("--dir", type=Path, help="备份文件夹（默认为数据库设定的备份文件夹）")
    b.add_argument("--reason", default="daily", choices=("daily", "manual"), help="daily（每日，保留7份）或 manual")
    add_json_flag(b)
    b.set_defaults(handler=_backup)

    r = ssub.add_parser("restore", help="用一份pg_dump备份恢复数据库（恢复前先备份当前数据）")
    _add_server_db(r)
    r.add_argument("file", type=Path, help="备份文件（.dump）")
    add_json_flag(r)
    r.set_defaults(handler=_restore)

    i = ssub.add_parser("import", help="把单机的县级汇总数据库（SQLite文件）导入新建的服务器数据库")
    _add_server_db(i)
    i.add_argument("--from", dest="source", required=True, type=Path, help="县级汇总数据库文件，如 county.sqlite3")
    i.add_argument("--operator", default="", help="操作员姓名")
    add_json_flag(i)
    i.set_defaults(handler=_import)


def _url(args: argparse.Namespace) -> str:
    if not args.db or not is_server_url(args.db):
        raise UserError(f"“{args.db}”不是服务器数据库地址，应为 postgresql://账号@服务器:端口/数据库名。")
    server_url(args.db)  # says what is missing
    return str(args.db)


def _password(prompt: str = "新密码") -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"请用环境变量{PASSWORD_ENV}给出密码，或在终端中运行以便输入密码。")
    first = getpass.getpass(f"{prompt}：")
    if getpass.getpass(f"再次输入{prompt}：") != first:
        raise UserError("两次输入的密码不一致。")
    return first


def _init(args: argparse.Namespace) -> Outcome:
    url = _url(args)
    made = server.init_server(
        url,
        args.operator,
        key_passphrase=keys.passphrase_from_env(),
        training=args.training,
        start_period=args.start_period,
    )
    if args.backup_dir:
        server.set_backup_dir(url, args.backup_dir)
    db, info = setup.open_initialized(url)
    try:
        key = keys.own_key(db)
        folder = backups.folder_of(db)
    finally:
        db.close()
    lines = [
        f"服务器数据库“{made.location}”已就绪（{'新建' if made.created_database else '已存在'}，"
        f"{'已初始化为县级汇总数据库' if made.seeded else '原有数据未改动'}）。",
        f"账号组：{', '.join(made.roles.groups)}。用 hengdong server account add 为每位使用人建账号。",
        f"县级私钥文件：{key.path}（指纹 {key.fingerprint}）。合并、签发的办公室电脑各需一份："
        "用 hengdong server key export 导出副本，在那台电脑上用 hengdong server key install 导入"
        "（见 installer/server/README.md）。",
        f"备份文件夹：{folder}",
    ]
    return Outcome(
        "\n".join(lines),
        {
            "ok": True,
            "db": made.location,
            "created": made.created_database,
            "seeded": made.seeded,
            "roles": list(made.roles.groups),
            "key_file": str(key.path),
            "fingerprint": key.fingerprint,
            "backup_dir": str(folder),
            "unit": info.unit_name,
        },
    )


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return setup.open_initialized(_url(args))


def _key_export(args: argparse.Namespace) -> Outcome:
    db, _info = _open(args)
    try:
        out = keys.export_key_file(db, args.out)
        encrypted = keys.is_encrypted(db)
    finally:
        db.close()
    warning = "" if encrypted else "私钥未设口令，请务必妥善保管这个文件。"
    return Outcome(
        f"已导出县级私钥文件的副本：{out}。请只交给需要合并、签发的办公室电脑导入，导入后删除副本。{warning}",
        {"ok": True, "file": str(out), "passphrase": encrypted},
    )


def _key_install(args: argparse.Namespace) -> Outcome:
    db, _info = _open(args)
    try:
        own = keys.install_key_file(db, args.file, keys.passphrase_from_env())
    finally:
        db.close()
    return Outcome(
        f"已导入县级私钥文件：{own.path}（指纹 {own.fingerprint}）。",
        {"ok": True, "key_file": str(own.path), "fingerprint": own.fingerprint},
    )


def _account_add(args: argparse.Namespace) -> Outcome:
    db, info = _open(args)
    try:
        row = server.add_account(
            db,
            args.account,
            args.kind,
            _password(),
            department=args.department,
            display_name=args.name,
            operator=info.operator,
        )
    finally:
        db.close()
    where = f"（{row.department}）" if row.department else ""
    return Outcome(
        f"已新建{row.kind_label}账号“{row.account}”{where}。",
        {"ok": True, "account": row.account, "kind": row.kind, "department": row.department},
    )


def _account_password(args: argparse.Namespace) -> Outcome:
    db, info = _open(args)
    try:
        server.set_password(db, args.account, _password(), operator=info.operator)
    finally:
        db.close()
    return Outcome(f"已重设账号“{args.account}”的密码。")


def _account_disable(args: argparse.Namespace) -> Outcome:
    db, info = _open(args)
    try:
        server.disable_account(db, args.account, operator=info.operator)
    finally:
        db.close()
    return Outcome(f"已停用账号“{args.account}”。")


def _account_list(args: argparse.Namespace) -> Outcome:
    db, _info = _open(args)
    try:
        rows = server.list_accounts(db)
    finally:
        db.close()
    lines = [
        f"{r.account}\t{r.kind_label}\t{r.department or ''}\t{r.display_name}\t"
        f"{'已停用' if r.disabled_at or not r.can_login else '可登录'}"
        for r in rows
    ]
    return Outcome(
        "\n".join(lines) or "还没有账号。",
        {
            "ok": True,
            "accounts": [
                {
                    "account": r.account,
                    "kind": r.kind,
                    "department": r.department,
                    "name": r.display_name,
                    "can_login": r.can_login and r.disabled_at is None,
                }
                for r in rows
            ],
        },
    )


def _backup(args: argparse.Namespace) -> Outcome:
    url = server_url(_url(args))
    made = pg_backup.make_dump(url, args.reason, where=args.dir)
    return Outcome(f"已备份服务器数据库“{shown_target(_url(args))}”：{made}", {"ok": True, "file": str(made)})


def _restore(args: argparse.Namespace) -> Outcome:
    db, _info = _open(args)
    try:
        result = backups.restore_server(db, args.file)
    finally:
        db.close()
    return Outcome(
        f"已恢复到备份“{result.restored_from.name}”。恢复前的数据已备份为：{result.previous}",
        {"ok": True, "restored_from": str(result.restored_from), "previous": str(result.previous)},
    )


def _import(args: argparse.Namespace) -> Outcome:
    result = server_import.import_county(_url(args), args.source, operator=args.operator)
    return Outcome(result.summary(), result.as_json())
