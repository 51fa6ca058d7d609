"""The `hengdong` command line: a thin layer over services.

Contract: exit 0 on success; 1 when refused or failed, with one Chinese sentence on stderr and
nothing written; 2 on a usage error. With `--json`, exactly one JSON object on stdout.
Each feature registers its subcommands from its own module in `hengdong_desktop/commands/`,
listed in `COMMANDS` (each module's `register(subparsers)`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hengdong_desktop import __version__, diagnostics
from hengdong_desktop.commands import basic, excel, figures, packages, pdf, report, server
from hengdong_desktop.commands.common import EXIT_FAILED, EXIT_OK, ChineseArgumentParser, Outcome, SubParsers
from hengdong_desktop.errors import UserError, as_user_error
from hengdong_desktop.private_files import user_data_dir


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_default)


# The subcommands, in the order `hengdong --help` lists them.
COMMANDS: tuple[Callable[[SubParsers], None], ...] = (
    basic.register,
    excel.register,
    packages.register,
    pdf.register,
    report.register,
    figures.register,
    server.register,
)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="hengdong",
        description="衡东县产业发展“百十亿”工程 数据填报与汇总系统（命令行）",
        epilog="hengdong --selftest：运行安装自检（临时数据库、主窗口、PDF、Excel、上报包）后退出。",
    )
    parser.add_argument("--version", action="version", version=f"hengdong {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    sub.required = True
    for register in COMMANDS:
        register(sub)
    return parser


def _crash_report(exc: BaseException) -> Path:
    """Into the user's data directory (never a shared temporary folder), owner-only."""
    return diagnostics.write_crash_report(user_data_dir() / "crash-reports", exc, {"命令": " ".join(sys.argv)})


def main(argv: list[str] | None = None) -> int:
    code = EXIT_OK
    try:
        code = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`hengdong check … | head`): nothing to say
        _reader_gone()
    return code


def _reader_gone() -> None:
    """Stdout goes nowhere from now on, so the flush at exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error
        return int(exc.code or 0)
    want_json = getattr(args, "json", False)
    try:
        outcome: Outcome = args.handler(args)
    except UserError as err:
        print(str(err), file=sys.stderr)
        if want_json:
            print(to_json({"ok": False, "error": str(err)}))
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a failure of the machine is a sentence; anything else a bug
        machine = as_user_error(exc, getattr(args, "db", None))
        if machine is not None:
            print(str(machine), file=sys.stderr)
            if want_json:
                print(to_json({"ok": False, "error": str(machine)}))
            return EXIT_FAILED
        report = _crash_report(exc)
        message = f"程序内部错误（{type(exc).__name__}），操作未完成，详细信息已保存到 {report}。"
        print(message, file=sys.stderr)
        if want_json:
            print(to_json({"ok": False, "error": message}))
        return EXIT_FAILED
    if want_json:
        print(to_json(outcome.data))
    elif outcome.text:
        print(outcome.text)
    return outcome.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
