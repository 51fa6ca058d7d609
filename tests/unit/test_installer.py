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
    assert setup["DefaultDirName"].startswith("{autopf}")
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
    for name in ("WelcomeLabel1", "ButtonNext", "ButtonInstall", "SelectDirDesc", "WizardReady", "InstallingLabel",
                 "FinishedLabel", "ConfirmUninstall", "UninstalledAll", "SetupAppRunningError", "ApplicationsFound2"):
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


def test_version_comes_from_pyproject() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_script", INSTALLER / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert module.version() == project["version"]


def test_app_icon_has_every_windows_size() -> None:
    data = (ROOT / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = {struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256 for i in range(count)}
    assert {16, 24, 32, 48, 256} <= sizes
    assert (ROOT / "resources" / "icons" / "app.png").read_bytes().startswith(b"\x89PNG")
