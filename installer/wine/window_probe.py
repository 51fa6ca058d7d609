"""The app's main window seen from Windows (Win32 API), for windows-check.sh's real-window test.

    python window_probe.py find TEXT [SECONDS]   waits for a visible top-level window whose title
                                                 contains TEXT; prints its title and size
    python window_probe.py close TEXT            asks it to close (WM_CLOSE, as its close button does)
Exit 0 when found, 1 when not."""

from __future__ import annotations

import ctypes
import sys
import time
from ctypes import wintypes

user32 = ctypes.WinDLL("user32", use_last_error=True)
WM_CLOSE = 0x0010
ENUM = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)
user32.EnumWindows.argtypes = [ENUM, wintypes.LPARAM]
user32.GetWindowTextW.argtypes = [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int]
user32.GetWindowRect.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.RECT)]
user32.IsWindowVisible.argtypes = [wintypes.HWND]
user32.PostMessageW.argtypes = [wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM]


def windows_titled(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(hwnd: int, _param: int) -> bool:
        title = ctypes.create_unicode_buffer(512)
        user32.GetWindowTextW(hwnd, title, 512)
        if text in title.value and user32.IsWindowVisible(hwnd):
            found.append((hwnd, title.value))
        return True

    user32.EnumWindows(ENUM(visit), 0)
    return found


def main(argv: list[str]) -> int:
    command, text = argv[0], argv[1]
    deadline = time.monotonic() + (float(argv[2]) if len(argv) > 2 else 0)
    while not (found := windows_titled(text)) and time.monotonic() < deadline:
        time.sleep(0.5)
    if not found:
        print(f"no visible window titled “…{text}…”")
        return 1
    hwnd, title = found[0]
    if command == "close":
        user32.PostMessageW(hwnd, WM_CLOSE, 0, 0)
        print(f"asked “{title}” to close")
        return 0
    rect = wintypes.RECT()
    user32.GetWindowRect(hwnd, ctypes.byref(rect))
    print(f"window “{title}”: {rect.right - rect.left}x{rect.bottom - rect.top} at {rect.left},{rect.top}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
