"""Builds the one-folder bundle with PyInstaller, runs its self-test, and on Windows (when Inno
Setup's ISCC is found, or with --installer) builds the installer. Version: pyproject.toml.

    python installer/build.py                 # dist/HengdongDesktop/ + self-test
    python installer/build.py --installer     # + dist/HengdongDesktop-Setup-<version>.exe (Windows)
    python installer/build.py --no-selftest
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "HengdongDesktop"
DIST = ROOT / "dist"
BUNDLE = DIST / NAME
ISCC_CANDIDATES = (
    r"%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe",
    r"%ProgramFiles%\Inno Setup 6\ISCC.exe",
    r"%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe",
)


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def run(cmd: list[str], **kw: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def build_bundle() -> Path:
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "installer" / "hengdong.spec")])
    return BUNDLE


def selftest(bundle: Path) -> None:
    exe = bundle / ("hengdong.exe" if os.name == "nt" else "hengdong")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HENGDONG_DB", None)
    run([str(exe), "--version"], env=env)
    run([str(exe), "--selftest"], env=env)


def find_iscc() -> str | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return found
    for candidate in ISCC_CANDIDATES:
        path = Path(os.path.expandvars(candidate))
        if path.is_file():
            return str(path)
    return None


def build_installer(iscc: str) -> Path:
    ver = version()
    run([iscc, f"/DAppVersion={ver}", f"/DBundleDir={BUNDLE}", f"/O{DIST}",
         str(ROOT / "installer" / "hengdong.iss")])
    return DIST / f"{NAME}-Setup-{ver}.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建安装包（PyInstaller 单文件夹 + Inno Setup）")
    parser.add_argument("--installer", action="store_true", help="构建 Windows 安装程序（需要 Inno Setup 6）")
    parser.add_argument("--no-selftest", action="store_true", help="不运行打包后的自检")
    args = parser.parse_args(argv)
    print(f"Hengdong Desktop {version()}", flush=True)
    bundle = build_bundle()
    if not args.no_selftest:
        selftest(bundle)
    iscc = find_iscc() if os.name == "nt" else None
    if args.installer and iscc is None:
        print("找不到 Inno Setup 的 ISCC.exe：请安装 Inno Setup 6（见 README“构建 Windows 安装程序”）。", file=sys.stderr)
        return 1
    if iscc is not None:
        print(build_installer(iscc))
    print(f"bundle: {bundle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
