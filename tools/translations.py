"""Refreshes the Qt Linguist catalogue of the interface (resources/translations/hengdong_zh_CN.ts)
from every tr() text under hengdong_desktop/ui, with PySide6's lupdate: `make translations`, or
`python -m tools.translations`. Source locations are left out so that the catalogue changes only
when a text does; tests/unit/test_translations.py fails when it is not current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "resources" / "translations" / "hengdong_zh_CN.ts"


def lupdate() -> Path:
    """Qt's lupdate as PySide6 ships it (what the pyside6-lupdate script runs), with Python support."""
    import PySide6

    found = Path(PySide6.__file__).parent / ("lupdate.exe" if sys.platform == "win32" else "lupdate")
    if not found.exists():
        raise SystemExit(f"lupdate not found in {found.parent}")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "hengdong_desktop" / "ui").rglob("*.py"))


def update(catalogue: Path = CATALOGUE) -> None:
    """Brings `catalogue` (a copy of the committed one, in the test) up to date with the sources."""
    subprocess.run(
        [str(lupdate()), "-no-obsolete", "-locations", "none", "-silent", *sources(), "-ts", str(catalogue)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )


if __name__ == "__main__":
    update()
    print(f"{CATALOGUE.relative_to(ROOT)}: {CATALOGUE.read_text(encoding='utf-8').count('<message>')} messages")
