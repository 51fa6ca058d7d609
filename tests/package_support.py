"""Helpers for the package tests: small township databases made with the demo generator and
real services, county databases with enrolled keys (a file, or a server database's URL: see
tests/county_db.py), and digests that prove “nothing changed”."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text

from hengdong_desktop.db import models as m
from hengdong_desktop.db.location import is_server_url, server_local_path, server_url
from hengdong_desktop.services import demo, setup
from hengdong_desktop.services.packages import export as report_export
from hengdong_desktop.services.packages import keys
from tests import county_db

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
        demo.generate(db, enterprises=enterprises, months=months, projects=projects, seed=seed, end_period=END)
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


def make_county(directory: Path, *townships: Path, name: str = "county") -> Any:
    """A county database of the running test's backend (a file, or a server database's URL);
    each township pins its identity and is enrolled (both sides having "confirmed" the
    fingerprints, as the clerks do by phone)."""
    path = county_db.make_county(directory, name, "汇总员", training=True)  # training, as the townships
    for township in townships:
        pin(path, township)
        enroll(path, township)
    return path


def beside(county: Any, suffix: str) -> Path:
    """A file named after a county database: beside the file, or beside a server database's key
    file in the data directory."""
    local = server_local_path(server_url(county)) if is_server_url(county) else Path(county)
    return local.with_suffix(suffix)


def identity_file(county: Any) -> Path:
    out = beside(county, ".identity.json")
    cdb, _ = setup.open_initialized(county)
    try:
        keys.export_identity(cdb, out)
    finally:
        cdb.close()
    return out


def pin(county: Any, township: Path, *, replace: bool = False) -> None:
    identity = keys.read_identity(identity_file(county))
    tdb, _ = setup.open_initialized(township)
    try:
        keys.pin_county(tdb, identity, fingerprint=identity.fingerprint, replace=replace)
    finally:
        tdb.close()


def enroll(county: Any, township: Path, passphrase: str | None = None) -> keys.EnrolledKey:
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


def copy_db(source: Any, target: Path) -> Any:
    """A copy of a (closed) database and of its private key file (the same county, twice): a file
    copied to `target`, or a server database copied into a new one (its URL)."""
    if is_server_url(source):
        assert county_db.server is not None
        return county_db.server.clone(source)
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)
    if keys.key_path(source).exists():
        shutil.copyfile(keys.key_path(source), keys.key_path(target))
    return target


def table_rows(path: Any, *, volatile: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (a file's or a server database's), sorted; without volatile
    bookkeeping when `volatile` is False."""
    engine = create_engine(server_url(path)) if is_server_url(path) else create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            out = {}
            for name in sorted(inspect(conn).get_table_names()):
                result = conn.execute(text(f'SELECT * FROM "{name}"'))
                cols = list(result.keys())
                keep = [i for i, c in enumerate(cols) if volatile or c not in _VOLATILE]
                out[name] = sorted((tuple(row[i] for i in keep) for row in result), key=repr)
            return out
    finally:
        engine.dispose()


def digest(path: Any) -> str:
    return hashlib.sha256(repr(table_rows(path)).encode()).hexdigest()


def merged_content(path: Any) -> dict[str, list[tuple[Any, ...]]]:
    """What a merge decides: records, conflicts, duplicate flags and bases; no timestamps of
    the merge itself, no audit log or ledger (whose rows carry times and generated ids)."""
    rows = table_rows(path, volatile=False)
    wanted = [t.__tablename__ for t in m.SYNCED_MODELS] + [
        "conflicts",
        "duplicate_flags",
        "merge_base",
    ]
    return {k: rows[k] for k in wanted}
