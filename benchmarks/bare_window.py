"""The baseline of the startup benchmark: a bare PySide6 window with one label, shown and closed
the way the app is under HENGDONG_STARTUP_PROBE (same file written, same moments)."""

import json
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv[:1])
    label = QLabel("衡东县")
    label.show()

    def shown() -> None:
        moment = time.time()
        with open(os.environ["HENGDONG_STARTUP_PROBE"], "w", encoding="utf-8") as out:
            json.dump({"shown": moment, "modules": sorted(sys.modules), "closing": time.time()}, out)
        label.close()

    QTimer.singleShot(0, shown)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
