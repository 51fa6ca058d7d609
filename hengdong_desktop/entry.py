"""Process entry points: `main` (main.py, `python -m hengdong_desktop`, the bundle's windowed
executable) opens the GUI with no arguments; `cli` (the `hengdong` command) runs a subcommand of
the Qt-free CLI, or `--selftest`, which needs Qt and so is dispatched here rather than in cli.py."""

from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing
import sys
import threading

# The Qt-free modules the first window's database and first page use (SQLAlchemy, the models, the
# services). The GUI imports them on a background thread, started before PySide6 is imported,
# while the main thread brings up Qt and the window's frame (app.py): most of it is then done by
# the time the window has been painted. (Imported after PySide6 they would cost more: PySide6
# reads the source of every module imported after it, its `__feature__` check.) The startup
# test fails when a Qt-free module the window loads is missing here.
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


class CoreImport(threading.Thread):
    """Imports GUI_CORE while the first window comes up; a daemon, so quitting never waits for
    it. An import that fails here fails again on the main thread, where its error is shown."""

    def __init__(self) -> None:
        super().__init__(name="core-import", daemon=True)
        self.modules: list[str] = []  # what was loaded when it finished (the startup test)

    def run(self) -> None:
        try:
            for name in GUI_CORE:
                importlib.import_module(name)
        except Exception:
            logging.getLogger(__name__).warning("background import failed", exc_info=True)
        self.modules = list(sys.modules)


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
        # No garbage collection until the window is ready (app.started): what starting makes is
        # not garbage, and collecting it again and again took a fifth of the imports' time.
        gc.disable()
        core = CoreImport()
        core.start()
        from hengdong_desktop.app import end_process, run

        end_process(run(core))
    return cli(args)
