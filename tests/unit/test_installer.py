"""The installer files agree with each other and with the project (ISCC only runs on Windows, so
what can be checked here is checked here; `make bundle` builds and self-tests the bundle)."""

from __future__ import annotations

import re
import struct
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def _iss() -> str:
    raw = (INSTALLER / "hengdong.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads UTF-8 only with a byte-order mark"
    return raw[3:].decode("utf-8")


def _isl() -> str:
    raw = (INSTALLER / "zh_CN.isl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return raw[3:].decode("utf-8")


def _section(text: str, name: str) -> dict[str, str]:
    body = re.search(rf"^\[{name}\]\r?\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
    assert body, name
    pairs = (line.split("=", 1) for line in body.group(1).splitlines() if "=" in line and not line.startswith(";"))
    return {k.strip(): v.strip() for k, v in pairs}


def test_per_user_install_with_shortcuts_and_version_from_the_build() -> None:
    iss = _iss()
    setup = _section(iss, "Setup")
    assert setup["PrivilegesRequired"] == "lowest" and "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] == "{localappdata}\\Programs\\HengdongDesktop"  # what {autopf} is per user
    assert setup["AppVersion"] == "{#AppVersion}" and "#ifndef AppVersion\r\n  #error" in iss
    assert (INSTALLER / setup["SetupIconFile"].replace("\\", "/")).is_file()
    icons = re.search(r"^\[Icons\]\r?\n(.*?)^\[", iss, re.S | re.M).group(1)
    assert '{group}\\{#ShortName}"; Filename: "{app}\\{#AppExe}"' in icons
    assert '"{autodesktop}\\{#ShortName}"' in icons and "Tasks: desktopicon" in icons
    assert re.search(r'^Name: "desktopicon"', iss, re.M)


def test_uninstall_keeps_the_data_directory() -> None:
    iss = _iss()
    assert "[UninstallDelete]" not in iss and "DelTree" not in iss
    assert '#define DataDir "HengdongCounty\\HengdongDesktop"' in iss
    from hengdong_desktop import APP_ID, ORG_NAME

    assert f"{ORG_NAME}\\{APP_ID}" in iss  # where QStandardPaths puts the data on Windows


def test_the_wizard_speaks_chinese() -> None:
    iss, isl = _iss(), _isl()
    assert 'MessagesFile: "compiler:Default.isl,zh_CN.isl"' in iss
    options, messages, custom = _section(isl, "LangOptions"), _section(isl, "Messages"), _section(isl, "CustomMessages")
    assert options["LanguageName"] == "简体中文" and options["LanguageID"] == "$0804"
    for name in (
        "WelcomeLabel1",
        "ButtonNext",
        "ButtonInstall",
        "SelectDirDesc",
        "WizardReady",
        "InstallingLabel",
        "FinishedLabel",
        "ConfirmUninstall",
        "UninstalledAll",
        "SetupAppRunningError",
        "ApplicationsFound2",
    ):
        assert re.search(r"[\u4e00-\u9fff]", messages[name]), name
    used = set(re.findall(r"\{cm:(\w+)", iss)) | set(re.findall(r"CustomMessage\('(\w+)'\)", iss))
    assert used and used <= set(custom)
    assert "%1" in custom["DataKept"]


def test_bundle_names_agree_between_spec_build_script_and_installer() -> None:
    spec = (INSTALLER / "hengdong.spec").read_text(encoding="utf-8")
    build = (INSTALLER / "build.py").read_text(encoding="utf-8")
    iss = _iss()
    name = re.search(r'^NAME = "(\w+)"', spec, re.M).group(1)
    assert re.search(rf'^NAME = "{name}"', build, re.M)
    assert f'#define BundleDir "..\\dist\\{name}"' in iss and f'#define AppExe "{name}.exe"' in iss
    assert 'name="hengdong", console=True' in spec and "console=False" in spec
    assert 'f"/DAppVersion={ver}"' in build and f"OutputBaseFilename={name}-Setup-{{#AppVersion}}" in iss
    for path in re.findall(r'ROOT / "hengdong_desktop" / "db" / "migrations" / "([\w.]+)"\)', spec):
        assert (ROOT / "hengdong_desktop" / "db" / "migrations" / path).exists()
    assert (ROOT / "installer" / "hengdong_cli.py").is_file()


def _build_script():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_script", INSTALLER / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_version_comes_from_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert _build_script().version() == project["version"]


def test_a_warning_of_iscc_fails_the_build() -> None:
    output = (
        'Compiling [Code] section\r\n\r\nWarning: Message name "X" in "zh_CN.isl" is not recognized.\r\n'
        "Successful compile (3.9 sec).\r\n"
    )
    assert _build_script().iscc_warnings(output) == ['Warning: Message name "X" in "zh_CN.isl" is not recognized.']
    assert _build_script().iscc_warnings("Successful compile (3.9 sec).") == []


def test_messages_newer_than_the_registries_inno_setup_are_behind_a_version_check() -> None:
    """ISCC 6.4.1 warns about every message name it does not know; those live in the script, given only
    to a compiler of 6.5 or later (`make windows-check` compiles with 6.4.1 and fails on a warning)."""
    iss, isl = _iss(), _isl()
    guarded = re.search(r"^#if Ver >= EncodeVer\(6, 5, 0\)\r\n\[Messages\]\r\n(.*?)^#endif", iss, re.S | re.M)
    assert guarded
    newer = dict(line.split("=", 1) for line in guarded.group(1).splitlines())
    assert len(newer) == 14 and all(name.startswith("zh.") for name in newer)
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in newer.values())
    assert not {name.removeprefix("zh.") for name in newer} & set(_section(isl, "Messages"))


def test_the_frozen_app_runs_in_utf8_mode() -> None:
    """PyInstaller's bootloader ignores PYTHONUTF8; without UTF-8 mode piped output is in the ANSI
    code page and Chinese text cannot be written on a PC set to e.g. code page 1252."""
    spec = (INSTALLER / "hengdong.spec").read_text(encoding="utf-8")
    assert 'PYTHON_OPTIONS = [("X utf8", None, "OPTION")]' in spec
    assert spec.count("EXE(pyz, scripts_for(") == 2 and spec.count("), PYTHON_OPTIONS, exclude_binaries=True") == 2


def test_app_icon_has_every_windows_size() -> None:
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 24, 32, 48, 256} <= sizes
    assert (ROOT / "resources" / "icons" / "app.png").read_bytes().startswith(b"\x89PNG")
