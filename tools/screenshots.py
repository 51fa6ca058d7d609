"""`make screenshots`: renders every page of the main window, for a township and for the county,
with demo data, in a real window (under Xvfb), into PNG files to look at.

Usage: python -m tools.screenshots OUT_DIR"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QWidget

from hengdong_desktop.app import build_main_window, create_application
from hengdong_desktop.services import demo, setup
from hengdong_desktop.ui.settings import Settings
from tools import package_shots

# Extra shots beyond the pages: (name, role, function(window) -> widget to grab).
EXTRA_SHOTS: list[tuple[str, str, Callable[[QWidget], QWidget]]] = [
    ("report-history", setup.TOWNSHIP, package_shots.township_report),
    ("import-results", setup.COUNTY, package_shots.county_import),
    *((f"import-{name}", setup.COUNTY, package_shots.county_tab(i))
      for i, name in ((1, "conflicts"), (2, "duplicates"), (3, "review"), (4, "keys"), (5, "audit"))),
]


def _settle(app: QApplication, window: QWidget) -> None:
    for _ in range(20):
        app.processEvents()
    window.ctx.tasks.wait()  # type: ignore[attr-defined]
    for _ in range(20):
        app.processEvents()


def shoot(out: Path) -> list[Path]:
    app = create_application()
    QStandardPaths.setTestModeEnabled(True)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for role, unit in ((setup.TOWNSHIP, "吴集镇"), (setup.COUNTY, None)):
            path = Path(tmp) / f"{role}.sqlite3"
            setup.init_database(path, role, unit, "截图")
            db, _info = setup.open_initialized(path)
            demo.generate(db, enterprises=40 if role == setup.TOWNSHIP else 12, months=12, seed=7)
            db.close()
            settings = Settings(QSettings(str(Path(tmp) / f"{role}.ini"), QSettings.Format.IniFormat))
            window = build_main_window(path, settings)
            assert window is not None
            window.resize(1366, 860)
            window.show()
            _settle(app, window)
            for row, spec in enumerate(window.specs):
                window.nav.setCurrentRow(row)
                _settle(app, window)
                target = out / f"{role}-{row:02d}-{spec.key}.png"
                window.grab().save(str(target))
                written.append(target)
            for name, shot_role, pick in EXTRA_SHOTS:
                if shot_role == role:
                    widget = pick(window)
                    _settle(app, window)
                    target = out / f"{role}-extra-{name}.png"
                    widget.grab().save(str(target))
                    written.append(target)
            window.close()
            window.ctx.db.close()
    return written


if __name__ == "__main__":
    for path in shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
