"""Process entry point: no arguments opens the GUI, a subcommand runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        from hengdong_desktop.app import run

        return run()
    from hengdong_desktop.cli import main as cli_main

    return cli_main(args)
