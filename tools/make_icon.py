"""Draws the app icon (a white 衡 on the app's blue) and writes `resources/icons/app.png` (256 px,
the window icon) and `resources/icons/app.ico` (16–256 px, for the Windows executables and the
installer). Run once after changing the design: `python -m tools.make_icon` (needs a CJK font).

The .ico is packed by hand: small sizes as 32-bit BMP entries (every Windows version reads them),
256 px as PNG, which is how Windows itself stores large icons."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath  # noqa: E402

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, GOLD = QColor("#1f4e79"), QColor("#e8b04a")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = max(size * 0.03, 0.5)
    rect = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(rect, size * 0.18, size * 0.18)
    p.fillPath(path, BLUE)
    if size >= 32:  # a gold bar along the bottom: the programme's rising line
        p.fillRect(
            QRectF(
                rect.left() + size * 0.14, rect.bottom() - size * 0.16, rect.width() - size * 0.28, max(size * 0.05, 1)
            ),
            GOLD,
        )
    font = QFont("WenQuanYi Micro Hei")
    font.setPixelSize(int(size * (0.74 if size < 32 else 0.62)))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    text_rect = QRectF(rect.left(), rect.top() - size * (0.0 if size < 32 else 0.05), rect.width(), rect.height())
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, "衡")
    p.end()
    return image


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _bmp_entry(image: QImage) -> bytes:
    """BITMAPINFOHEADER + bottom-up BGRA pixels + an all-zero AND mask (alpha does the work)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in reversed(range(size)):
        row = bytearray()
        for x in range(size):
            c = image.pixelColor(x, y)
            row += bytes((c.blue(), c.green(), c.red(), c.alpha()))
        rows.append(bytes(row))
    mask_row = b"\x00" * (((size + 31) // 32) * 4)
    return header + b"".join(rows) + mask_row * size


def ico_bytes(images: list[QImage]) -> bytes:
    entries = [_png_bytes(img) if img.width() >= 256 else _bmp_entry(img) for img in images]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for img, data in zip(images, entries, strict=True):
        dim = 0 if img.width() >= 256 else img.width()  # 0 means 256
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(entries)


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = [draw(s) for s in SIZES]
    images[-1].save(str(ICON_DIR / "app.png"), "PNG")
    (ICON_DIR / "app.ico").write_bytes(ico_bytes(images))
    print(ICON_DIR / "app.png", ICON_DIR / "app.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
