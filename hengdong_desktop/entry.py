"""Process entry points: `main` (main.py, `python -m hengdong_desktop`, the bundle's windowed
executable) opens the GUI with no arguments; `cli` (the `hengdong` command) runs a subcommand of
the Qt-free CLI, or `--selftest`, which needs Qt and so is dispatched here rather than in cli.py."""

from __future__ import annotations

import multiprocessing
import sys


def cli(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the bundled app's worker processes start here (verifying.py)
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--selftest"]:
        from hengdong_desktop.selftest import main as selftest_main

        return selftest_main(args[1:])
    from hengdong_desktop.cli import main as cli_main

    return cli_main(args)


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else argv
    if not args:
        from hengdong_desktop.app import end_process, run

        end_process(run())
    return cli(args)
