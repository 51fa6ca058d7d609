"""Packages written by every released format version (tests/data/packages/) are still verified
and merged by this release."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hengdong_desktop.services import keys, merge, setup
from hengdong_desktop.services.package_format import FORMAT_VERSION
from tools.make_package_fixture import FIXTURE_DIR

FIXTURES = sorted(FIXTURE_DIR.glob("format-*.hdpkg"))


def test_a_fixture_exists_for_the_current_format() -> None:
    """Changing the package format means adding its fixture: `python -m tools.make_package_fixture`."""
    assert (FIXTURE_DIR / f"format-{FORMAT_VERSION}.hdpkg").exists()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_stored_package_is_merged(fixture: Path, tmp_path: Path) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    package = shutil.copy(fixture, tmp_path / fixture.name)
    county = tmp_path / "county.sqlite3"
    setup.init_database(county, setup.COUNTY, None, "汇总员")
    db, _ = setup.open_initialized(county)
    try:
        keys.enroll(db, fixture.with_suffix(".enroll.json"))
        (result,) = merge.merge_files(db, [package])
        assert result.status == merge.MERGED, result.reason
        assert (result.unit, result.period) == (expected["unit"], expected["period"])
        assert {e: c.new for e, c in result.counts.items()} == expected["counts"]
        (again,) = merge.merge_files(db, [package])
        assert again.status == merge.DUPLICATE
    finally:
        db.close()
