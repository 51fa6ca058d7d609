"""The baseline of the startup benchmark: a bare PySide6 window with one label, closed once it has
been painted, the way the app is under HENGDONG_STARTUP_PROBE (same file written, same moments)."""

import json
import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QLabel


class Label(QLabel):
    painted = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            moment = time.time()
            QTimer.singleShot(0, lambda: self.close_after(moment))

    def close_after(self, shown: float) -> None:
        with open(os.environ["HENGDONG_STARTUP_PROBE"], "w", encoding="utf-8") as out:
            json.dump({"shown": shown, "modules": sorted(sys.modules), "closing": time.time()}, out)
        self.close()


def main() -> int:
    app = QApplication(sys.argv[:1])
    label = Label("衡东县")
    label.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
