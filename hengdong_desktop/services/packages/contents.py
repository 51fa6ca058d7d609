"""What a 上报包 carries, and how much of it a package may hold.

Content: one data file per synced entity (the unit's full current state, tombstones included),
the unit's audit log since its previous package (`data/audit.json`) and, from format 2, the
sender's facts that are not for everyone's eyes (`data/info.json`: the operator).

Budgets: every limit is checked on the sizes and record counts the signed manifest declares,
before anything is decompressed (decompression then never yields more than declared). They are
sized for the largest township the programme can have — 3,000 enterprises with ten years of
monthly figures — with room to spare, and the README lists them. Site photos have a budget of
their own (PHOTO_RECORDS, PHOTO_BYTES): a picture is at most domain/images.MAX_PHOTO_BYTES, and
only live photos carry one."""

from __future__ import annotations

from typing import Any

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import table_codec
from hengdong_desktop.services import county_standing
from hengdong_desktop.services.packages.container import Listed
from hengdong_desktop.services.packages.strict_json import PackageProblem

ENTITY_ORDER = tuple(m.ENTITY_MODELS)  # parents before children: the insert order
AUDIT_PATH = "data/audit.json"
INFO_PATH = "data/info.json"


def data_path(entity: str) -> str:
    return f"data/{entity}.json"


def table(entity: str) -> Any:
    return m.ENTITY_MODELS[entity].__table__  # type: ignore[attr-defined]


RECORD_CAPS = {
    "enterprise": 20_000,
    "membership": 100_000,
    "enterprise_monthly": 400_000,
    "enterprise_annual": 200_000,
    "project": 5_000,
    "project_annual": 50_000,
    "project_monthly": 200_000,
    "project_stage": 200_000,
    "project_photo": 3_000,
    "problem": 50_000,
    "support_measure": 100_000,
    "explanation": 200_000,
}
TOTAL_RECORDS = 600_000
TOTAL_BYTES = 256 * 1024 * 1024  # all data files but the photos', decompressed
PHOTOS_PATH = "data/project_photo.json"
PHOTO_RECORDS = RECORD_CAPS["project_photo"]
PHOTO_BYTES = 160 * 1024 * 1024  # the photos' file, decompressed (pictures as Base64): ~120MB of pictures
# The unit's audit log since its last package describes the changes to the records it sends:
# at most this many rows per record, and this many bytes per byte of records (plus a floor).
AUDIT_ROWS_PER_RECORD, AUDIT_ROWS_FLOOR = 40, 10_000
AUDIT_BYTES_PER_BYTE, AUDIT_BYTES_FLOOR = 10, 4 * 1024 * 1024
MAX_INFO_BYTES = 4096


def record_bytes_bound(tbl: Any) -> int:
    """The most bytes one record of `tbl` can take as JSON: every text at its length limit,
    every character written as a six-byte escape."""
    total = 2
    for column in table_codec(tbl).columns:
        limit = column.form.max_length
        value = column.form.bytes_per_char * (limit if limit is not None else 40) + 2
        total += len(column.name) + 4 + value
    return total


_BOUNDS = {data_path(e): (RECORD_CAPS[e], record_bytes_bound(table(e))) for e in ENTITY_ORDER}
_AUDIT_RECORD_BYTES = record_bytes_bound(m.AuditEntry.__table__)


def _over(entry: Listed, what: str) -> PackageProblem:
    return PackageProblem(f"“{entry.path}”{what}，超出数据包的容量限制")


def report_budget(listed: list[Listed]) -> None:
    """A 上报包's data files, judged by what its manifest declares."""
    by_path = {e.path: e for e in listed}
    records = data_bytes = 0
    for path, (cap, per_record) in _BOUNDS.items():
        entry = by_path.get(path)
        if entry is None:
            continue
        if entry.records > cap:
            raise _over(entry, f"有{entry.records}条记录（上限{cap}条）")
        if entry.size > entry.records * per_record + 2:
            raise _over(entry, f"平均每条记录超过{per_record}字节")
        records += entry.records
        if path == PHOTOS_PATH:
            if entry.size > PHOTO_BYTES:
                raise _over(entry, f"照片共{entry.size // (1024 * 1024)}MB（上限{PHOTO_BYTES // (1024 * 1024)}MB）")
            continue  # pictures need no audit allowance and are not part of TOTAL_BYTES
        data_bytes += entry.size
    if records > TOTAL_RECORDS:
        raise PackageProblem(f"数据包共有{records}条记录，超过上限{TOTAL_RECORDS}条")
    if data_bytes > TOTAL_BYTES:
        raise PackageProblem(f"数据包解压后超过{TOTAL_BYTES // (1024 * 1024)}MB的上限")
    audit = by_path.get(AUDIT_PATH)
    if audit is not None:
        rows = AUDIT_ROWS_PER_RECORD * records + AUDIT_ROWS_FLOOR
        if audit.records > rows:
            raise _over(audit, f"有{audit.records}条操作日志，与本包{records}条记录不相称（上限{rows}条）")
        size = AUDIT_BYTES_PER_BYTE * data_bytes + AUDIT_BYTES_FLOOR
        if audit.size > min(size, audit.records * _AUDIT_RECORD_BYTES + 2):
            raise _over(audit, "的大小与本包的记录不相称")
    info = by_path.get(INFO_PATH)
    if info is not None and (info.size > MAX_INFO_BYTES or info.records != 1):
        raise _over(info, "格式不符")


RANKING_PATH = "data/ranking.json"  # the county's standing of the unit (services/county_standing.py)
REPLY_CAPS = {
    "data/decisions.json": 10_000,
    "data/corrections.json": 200_000,
    "data/reference.json": 1,
    INFO_PATH: 1,
    RANKING_PATH: 1,
}
REPLY_BYTES = 64 * 1024 * 1024


def reply_budget(listed: list[Listed]) -> None:
    """A 下发包's data files, judged by what its manifest declares."""
    total = 0
    for entry in listed:
        cap = REPLY_CAPS.get(entry.path)
        if cap is not None and entry.records > cap:
            raise _over(entry, f"有{entry.records}条记录（上限{cap}条）")
        if entry.path == RANKING_PATH and entry.size > county_standing.MAX_BYTES:
            raise _over(entry, f"共{entry.size}字节（上限{county_standing.MAX_BYTES}字节）")
        total += entry.size
    if total > REPLY_BYTES:
        raise PackageProblem(f"下发包解压后超过{REPLY_BYTES // (1024 * 1024)}MB的上限")
