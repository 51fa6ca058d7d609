"""Builds the one-folder bundle with PyInstaller, runs its self-test, and on Windows (when Inno
Setup's ISCC is found, or with --installer) builds the installer. Version: pyproject.toml.

    python installer/build.py                 # dist/HengdongDesktop/ + self-test
    python installer/build.py --installer     # + dist/HengdongDesktop-Setup-<version>.exe (Windows)
    python installer/build.py --no-selftest
    python installer/build.py --no-bundle --installer   # the installer of the bundle already built

A warning of ISCC fails the build: warnings that are always there hide the one that matters.
"""

from __future__ import annotations

import argparse
import locale
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "HengdongDesktop"
DIST = ROOT / "dist"
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


def build_bundle(dist: Path) -> Path:
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(ROOT / "build" / f"pyinstaller-{sys.platform}"),
            str(ROOT / "installer" / "hengdong.spec"),
        ]
    )
    return dist / NAME


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


def iscc_warnings(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if re.match(r"\s*Warning:", line)]


def build_installer(iscc: str, bundle: Path, dist: Path, compression: str | None) -> Path:
    ver = version()
    cmd = [iscc, f"/DAppVersion={ver}", f"/DBundleDir={bundle}", f"/O{dist}"]
    if compression:
        cmd.append(f"/DCompression={compression}")
    print("+", " ".join(cmd), flush=True)
    done = subprocess.run([*cmd, str(ROOT / "installer" / "hengdong.iss")], capture_output=True)
    output = (done.stdout + done.stderr).decode(locale.getpreferredencoding(False), errors="replace")
    print(output, flush=True)
    if done.returncode != 0:
        raise SystemExit(f"ISCC 编译安装程序失败（退出码 {done.returncode}）。")
    warnings = iscc_warnings(output)
    if warnings:
        raise SystemExit(f"ISCC 报告了{len(warnings)}条警告，安装程序不予发布：\n" + "\n".join(warnings))
    return dist / f"{NAME}-Setup-{ver}.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建安装包（PyInstaller 单文件夹 + Inno Setup）")
    parser.add_argument("--installer", action="store_true", help="构建 Windows 安装程序（需要 Inno Setup 6）")
    parser.add_argument("--no-selftest", action="store_true", help="不运行打包后的自检")
    parser.add_argument("--no-bundle", action="store_true", help="不重新打包，使用输出文件夹中已有的程序文件夹")
    parser.add_argument("--dist", type=Path, default=DIST, help="输出文件夹（默认 dist）")
    parser.add_argument("--compression", help="安装程序的压缩方式（默认 lzma2/max；测试时可用 lzma2/fast）")
    args = parser.parse_args(argv)
    print(f"Hengdong Desktop {version()}", flush=True)
    dist = args.dist.resolve()
    bundle = dist / NAME if args.no_bundle else build_bundle(dist)
    if not bundle.is_dir():
        print(f"找不到程序文件夹“{bundle}”：请先不带 --no-bundle 构建。", file=sys.stderr)
        return 1
    if not args.no_selftest:
        selftest(bundle)
    iscc = find_iscc() if os.name == "nt" else None
    if args.installer and iscc is None:
        print(
            "找不到 Inno Setup 的 ISCC.exe：请安装 Inno Setup 6（见 README“构建 Windows 安装程序”）。", file=sys.stderr
        )
        return 1
    if iscc is not None:
        print(build_installer(iscc, bundle, dist, args.compression))
    print(f"bundle: {bundle}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
