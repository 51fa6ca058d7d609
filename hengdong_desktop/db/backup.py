"""Consistent copies of a live SQLite database through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def copy_database(src: Path, dest: Path) -> Path:
    """Copies `src` to `dest` page by page while other connections may be using it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    source = sqlite3.connect(str(src))
    try:
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    tmp.replace(dest)
    return dest


def make_backup(db_path: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Writes `backups/<name>-<reason>-<time>.sqlite3` beside the database and returns its path."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    dest = backup_dir(db_path) / f"{db_path.stem}-{reason}-{stamp}.sqlite3"
    return copy_database(db_path, dest)
