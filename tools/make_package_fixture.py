"""Keeps the packages written by each package format version under `tests/data/packages/`:

- `format-<N>.hdpkg`: a township's 上报包, with the enrollment file of the key that signed it
  (`format-<N>.enroll.json`);
- `format-<N>.reply.hdpkg`: the county's 下发包 answering it (a decision and one correction), with
  the township database it is for (`format-<N>.township.sqlite3`, as it was when it reported);
- `format-<N>.json`: what merging and applying them must give.
- from format 2, where packages are sealed to their recipient: `format-<N>.county.sqlite3` (the
  county database the 上报包 is sealed to, as it was before merging it) and, beside each stored
  database, its key file (`*.key.pem`: test keys, made for the fixture only).

tests/unit/test_package_formats.py merges every stored 上报包 into a new county database and
applies every stored 下发包 to a copy of its township database, so a later release keeps
accepting the packages already on USB sticks and in mailboxes.

Run after changing the package format, on the branch that changes it:
python -m tools.make_package_fixture (an existing fixture is never overwritten)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import demo, setup
from hengdong_desktop.services.packages import export, keys, merge, reply, review
from hengdong_desktop.services.packages.container import FORMAT_VERSION

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "packages"
PERIOD = "2025-06"
CORRECTED_LEGAL_REP = "县里核实的法人"


def make(folder: Path = FIXTURE_DIR) -> Path | None:
    stem = folder / f"format-{FORMAT_VERSION}"
    report = stem.with_suffix(".hdpkg")
    if report.exists():
        print(f"{report} exists; fixtures of released formats are never rewritten")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        county_path = Path(tmp) / "county.sqlite3"
        setup.init_database(county_path, setup.COUNTY, None, "夹具", training=True)  # demo data: training only
        county, info = setup.open_initialized(county_path)
        try:
            identity = keys.export_identity(county, Path(tmp) / "identity.json")
        finally:
            county.close()
        _store_database(county_path, stem.with_suffix(".county.sqlite3"))

        township_path = Path(tmp) / "township.sqlite3"
        setup.init_database(township_path, setup.TOWNSHIP, "吴集镇", "夹具", training=True)
        db, _info = setup.open_initialized(township_path)
        try:
            demo.generate(db, enterprises=6, months=3, projects=2, seed=21, end_period=PERIOD)
            demo.explain_open_warnings(db)
            keys.pin_county(db, identity, fingerprint=identity.fingerprint)
            fingerprint = keys.export_enrollment(db, stem.with_suffix(".enroll.json"))["fingerprint"]
            exported = export.export_report(db, report, period=PERIOD)
        finally:
            db.close()
        _store_database(township_path, stem.with_suffix(".township.sqlite3"))

        county, info = setup.open_initialized(county_path)
        try:
            keys.enroll(county, stem.with_suffix(".enroll.json"), fingerprint=fingerprint)
            (merged,) = merge.merge_files(county, [report])
            assert merged.status == merge.MERGED, merged.reason
            with county.write(info.actor("form")) as s:
                corrected = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name).limit(1)).one()
                corrected.legal_rep = CORRECTED_LEGAL_REP
                corrected_id = corrected.id
            review.review_period(county, "吴集镇", PERIOD, accept=True)
            answer = reply.export_reply(county, "吴集镇", stem.with_suffix(".reply.hdpkg"))
        finally:
            county.close()
    facts = {
        "format_version": FORMAT_VERSION,
        "unit": "吴集镇",
        "period": PERIOD,
        "counts": {k: v for k, v in exported.counts.items() if k != "audit"},
        "reply": {"corrections": answer.corrections, "enterprise_id": corrected_id, "legal_rep": CORRECTED_LEGAL_REP},
    }
    stem.with_suffix(".json").write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(report)
    return report


def _store_database(path: Path, target: Path) -> None:
    """A single self-contained file (no -wal), with its key file beside it."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    shutil.copyfile(path, target)
    shutil.copyfile(keys.key_path(path), keys.key_path(target))


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE_DIR)
