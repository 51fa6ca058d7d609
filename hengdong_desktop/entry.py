"""Process entry points: `main` (main.py, `python -m hengdong_desktop`, the bundle's windowed
executable) opens the GUI with no arguments; `cli` (the `hengdong` command) runs a subcommand of
the Qt-free CLI, or `--selftest`, which needs Qt and so is dispatched here rather than in cli.py."""

from __future__ import annotations

import importlib
import multiprocessing
import sys

# The Qt-free modules the first window uses. They are imported before PySide6: once PySide6 is
# loaded it reads the source of every module imported after it (its `__feature__` check), which
# for SQLAlchemy and the core cost about a tenth of a second of every start. The startup test
# fails when a Qt-free module the first window loads is missing here.
GUI_CORE = (
    "hengdong_desktop.diagnostics",
    "hengdong_desktop.resources",
    "hengdong_desktop.db.pg_backup",
    "hengdong_desktop.db.server_security",
    "hengdong_desktop.services.setup",
    "hengdong_desktop.services.backups",
    "hengdong_desktop.services.county_standing",
    "hengdong_desktop.services.demo",
    "hengdong_desktop.services.entry",
    "hengdong_desktop.services.monthly",
    "hengdong_desktop.services.overview",
    "hengdong_desktop.services.readiness",
    "hengdong_desktop.services.reporting",
)


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
        for name in GUI_CORE:
            importlib.import_module(name)
        from hengdong_desktop.app import end_process, run

        end_process(run())
    return cli(args)
