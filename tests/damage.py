"""Damaging database files on purpose, for the recovery tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hengdong_desktop.db.backup import side_file


def corrupt_table(path: Path, table: str) -> None:
    """Overwrites the root page of `table` with garbage; the file must be closed (no WAL left)."""
    conn = sqlite3.connect(str(path))
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert not side_file(path, "-wal").exists()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))
