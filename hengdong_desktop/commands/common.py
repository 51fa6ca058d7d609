"""What every subcommand module shares: the outcome a command reports, the parser that speaks
Chinese (argparse's own texts too: "usage:", "options", its error messages), and the common
arguments."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hengdong_desktop.db.location import is_server_url, shown_url

DB_ENV = "HENGDONG_DB"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class Outcome:
    """What a command reports: text for people, data for `--json`, and its exit code."""

    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    exit_code: int = EXIT_OK


Handler = Callable[[argparse.Namespace], Outcome]
SubParsers = argparse._SubParsersAction  # type: ignore[type-arg]


# argparse's own texts (Python 3.11 to 3.13), as its gettext calls ask for them.
ARGPARSE_TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "unrecognized arguments: %s\n": "无法识别的参数：%s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用的命令：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s值",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "参数不接受值 %r",
    "one of the arguments %s is required": "参数 %s 须给出其中之一",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}


def _argparse_text(message: str) -> str:
    return ARGPARSE_TEXTS.get(message, message)


def _argparse_plural(singular: str, plural: str, n: int) -> str:
    return _argparse_text(singular if n == 1 else plural)


def speak_chinese() -> None:
    """argparse's own texts in Chinese. argparse reads them through its module-level gettext
    functions, so they are replaced there: only the `hengdong` command builds its parser."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_plural  # type: ignore[attr-defined]


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        speak_chinese()
        super().__init__(*args, **kwargs)

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        """A number that is not one, in words (argparse would name the Python type, “int”)."""
        if action.type is int:
            try:
                return int(arg_string)
            except ValueError:
                raise argparse.ArgumentError(action, f"“{arg_string}”不是整数") from None
        return super()._get_value(action, arg_string)  # type: ignore[misc]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误：{message}\n")
        raise SystemExit(EXIT_USAGE)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="以一个JSON对象输出结果")


def database_target(text: str) -> Path | str:
    """A `--db` value: a database file's path, or a server database's URL."""
    return text if is_server_url(text) else Path(text)


def shown_target(target: Path | str) -> str:
    """A `--db` value as output may show it (a URL without its password)."""
    return shown_url(target) if isinstance(target, str) and is_server_url(target) else str(target)


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    env = os.environ.get(DB_ENV)
    parser.add_argument(
        "--db",
        required=not env,
        default=database_target(env) if env else None,
        type=database_target,
        metavar="数据库",
        help=f"数据库文件路径，或服务器数据库地址 postgresql://账号@服务器:端口/数据库名（默认取环境变量{DB_ENV}）",
    )
