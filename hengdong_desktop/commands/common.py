"""What every subcommand module shares: the outcome a command reports, the parser that says usage
errors in Chinese, and the common arguments."""

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


class ChineseArgumentParser(argparse.ArgumentParser):
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
    parser.add_argument("--db", required=not env, default=database_target(env) if env else None,
                        type=database_target, metavar="数据库",
                        help="数据库文件路径，或服务器数据库地址 postgresql://账号@服务器:端口/数据库名"
                             f"（默认取环境变量{DB_ENV}）")
