"""Keeps a 上报包 written by each package format version under `tests/data/packages/`:
`format-<N>.hdpkg`, the enrollment file of the key that signed it (`format-<N>.enroll.json`) and
what merging it must give (`format-<N>.json`). tests/unit/test_package_formats.py merges every
stored package into a new county database, so a later release cannot stop accepting the packages
townships still send.

Run after changing the package format, on the branch that changes it:
python -m tools.make_package_fixture (an existing fixture is never overwritten)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from hengdong_desktop.services import demo, keys, packages, setup
from hengdong_desktop.services.package_format import FORMAT_VERSION

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "packages"


def make(folder: Path = FIXTURE_DIR) -> Path | None:
    target = folder / f"format-{FORMAT_VERSION}.hdpkg"
    if target.exists():
        print(f"{target} exists; fixtures of released formats are never rewritten")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.sqlite3"
        setup.init_database(path, setup.TOWNSHIP, "吴集镇", "夹具")
        db, _info = setup.open_initialized(path)
        try:
            demo.generate(db, enterprises=6, months=3, projects=2, seed=21, end_period="2025-06")
            demo.explain_open_warnings(db)
            keys.export_enrollment(db, target.with_suffix(".enroll.json"))
            exported = packages.export_report(db, target, period="2025-06")
        finally:
            db.close()
    facts = {"format_version": FORMAT_VERSION, "unit": "吴集镇", "period": "2025-06",
             "counts": {k: v for k, v in exported.counts.items() if k != "audit"}}
    target.with_suffix(".json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(target)
    return target


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE_DIR)
