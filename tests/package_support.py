"""Helpers for the package tests: small township databases made with the demo generator and
real services, county databases with enrolled keys, and digests that prove “nothing changed”."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hengdong_desktop.db import models as m
from hengdong_desktop.services import demo, setup
from hengdong_desktop.services.packages import export as report_export
from hengdong_desktop.services.packages import keys

END = "2025-06"
# Bookkeeping that legitimately differs between two merges of the same content.
_VOLATILE = {
    "processed_at",
    "detected_at",
    "enrolled_at",
    "at",
    "id",
    "summary",
    "unit_audit",
    "file_name",
    "decided_at",
}


def make_township(
    directory: Path,
    unit: str = "吴集镇",
    *,
    enterprises: int = 6,
    months: int = 3,
    projects: int = 2,
    seed: int = 1,
    name: str | None = None,
) -> Path:
    path = directory / f"{name or unit}.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, unit, "填报员", start_period="2020-01", training=True)
    db, _info = setup.open_initialized(path)
    try:
        demo.generate(
            db, enterprises=enterprises, months=months, projects=projects, seed=seed, end_period=END
        )
        demo.explain_open_warnings(db)
    finally:
        db.close()
    return path


def export(township: Path, out: Path, period: str = END) -> Path:
    db, _ = setup.open_initialized(township)
    try:
        return report_export.export_report(db, out, period=period).path
    finally:
        db.close()


def make_county(directory: Path, *townships: Path, name: str = "county") -> Path:
    """A county database; each township pins its identity and is enrolled (both sides having
    "confirmed" the fingerprints, as the clerks do by phone)."""
    path = directory / f"{name}.sqlite3"
    setup.init_database(path, setup.COUNTY, None, "汇总员", start_period="2020-01", training=True)  # as the townships
    for township in townships:
        pin(path, township)
        enroll(path, township)
    return path


def identity_file(county: Path) -> Path:
    out = county.with_suffix(".identity.json")
    cdb, _ = setup.open_initialized(county)
    try:
        keys.export_identity(cdb, out)
    finally:
        cdb.close()
    return out


def pin(county: Path, township: Path, *, replace: bool = False) -> None:
    identity = keys.read_identity(identity_file(county))
    tdb, _ = setup.open_initialized(township)
    try:
        keys.pin_county(tdb, identity, fingerprint=identity.fingerprint, replace=replace)
    finally:
        tdb.close()


def enroll(county: Path, township: Path, passphrase: str | None = None) -> keys.EnrolledKey:
    tdb, _ = setup.open_initialized(township)
    try:
        data = keys.export_enrollment(tdb, township.with_suffix(".enroll.json"), passphrase)
    finally:
        tdb.close()
    cdb, _ = setup.open_initialized(county)
    try:
        return keys.enroll(cdb, township.with_suffix(".enroll.json"), fingerprint=data["fingerprint"])
    finally:
        cdb.close()


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a database and of its private key file (the same county, twice)."""
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)
    if keys.key_path(source).exists():
        shutil.copyfile(keys.key_path(source), keys.key_path(target))
    return target


def table_rows(path: Path, *, volatile: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted; without volatile bookkeeping when `volatile` is False."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        ):
            cur = conn.execute(f'SELECT * FROM "{name}"')
            cols = [d[0] for d in cur.description]
            keep = [i for i, c in enumerate(cols) if volatile or c not in _VOLATILE]
            out[name] = sorted((tuple(row[i] for i in keep) for row in cur), key=repr)
        return out
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(repr(table_rows(path)).encode()).hexdigest()


def merged_content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What a merge decides: records, conflicts, duplicate flags and bases; no timestamps of
    the merge itself, no audit log or ledger (whose rows carry times and generated ids)."""
    rows = table_rows(path, volatile=False)
    wanted = [t.__tablename__ for t in m.SYNCED_MODELS] + [
        "conflicts",
        "duplicate_flags",
        "merge_base",
    ]
    return {k: rows[k] for k in wanted}
