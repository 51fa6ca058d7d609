"""What every subcommand module shares: the outcome a command reports, the parser that says usage
errors in Chinese, and the common arguments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, type=Path, help="数据库文件路径")
