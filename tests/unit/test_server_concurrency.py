"""Several officers on one server database at once, as separate processes: two merge packages
of different units while a third edits records — of one of those units and of another unit.

What must hold: one unit's merge goes through while another unit's lock is held (the test holds
吴集镇's lock itself until the 洣水镇 merge has finished, so this does not depend on timing); the
edit of the other unit goes through while a merge runs; the edit of a record the merge changed after it was loaded is refused with a sentence
saying so (the revision moved), and saved when made again; every row of both packages is in
the county database, every successful edit is there too, and nothing is overwritten silently.
Two merges of the same package of one unit run one after the other: one merges, one finds it
a duplicate."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from hengdong_desktop.db import models as m
from hengdong_desktop.db.location import server_url
from hengdong_desktop.services import demo, setup
from hengdong_desktop.services.packages import merge
from tests.package_support import END, enroll, export, make_township, pin

UNIT_LOCK = 1  # db/locks.UNIT


def _grow(township: Path, seed: int) -> None:
    """The township's next package: more enterprises, and a field of every older one changed."""
    db, info = setup.open_initialized(township)
    try:
        with db.write(info.actor("form")) as s:
            for ent in s.scalars(select(m.Enterprise)):
                ent.main_products = (ent.main_products or "")[:150] + "（新品）"
        demo.generate(db, enterprises=60, months=12, projects=4, seed=seed, end_period=END)
        demo.explain_open_warnings(db)
    finally:
        db.close()


class LockWatch(threading.Thread):
    """Polls pg_locks for the unit locks: which units' locks were waited for, and when each
    stopped being held."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(server_url(url))
        self.held_until: dict[int, float] = {}
        self.waiting: set[int] = set()
        self.stop = threading.Event()
        self.ignored_pid = 0  # the test's own session, when it holds a unit's lock itself

    def run(self) -> None:
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    text(
                        "SELECT objid, granted FROM pg_locks WHERE locktype = 'advisory' AND classid = :k"
                        " AND mode = 'ExclusiveLock' AND pid <> :ignored"
                    ),
                    {"k": UNIT_LOCK, "ignored": self.ignored_pid},
                ).all()
                conn.rollback()
                held = {int(r[0]) for r in rows if r[1]}
                self.waiting |= {int(r[0]) for r in rows if not r[1]}
                now = time.time()
                for unit in held:
                    self.held_until[unit] = now
                time.sleep(0.003)
        self.engine.dispose()

    def held(self, unit: int) -> bool:
        return unit in self.held_until and time.time() - self.held_until[unit] < 0.05


def units_waited(watch: LockWatch) -> bool:
    return bool(watch.waiting)


def _start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.concurrency_worker", *args], cwd=Path(__file__).parents[2])


def _wait(proc: subprocess.Popen[bytes]) -> None:
    assert proc.wait(timeout=300) == 0


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_two_merges_of_different_units_and_an_editor_at_once(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wuji = make_township(tmp_path, "吴集镇", enterprises=150, months=12, projects=6, seed=31)
    mishui = make_township(tmp_path, "洣水镇", enterprises=150, months=12, projects=6, seed=32)
    shitan = make_township(tmp_path, "石滩乡", enterprises=5, months=2, projects=1, seed=33)
    county = pg.new_county(training=True)  # as the townships
    for township in (wuji, mishui, shitan):
        pin(county, township)
        enroll(county, township)
    first = [export(t, tmp_path / f"{t.stem}-1.hdpkg") for t in (wuji, mishui, shitan)]
    db, _info = setup.open_initialized(county)
    try:
        assert [r.status for r in merge.merge_files(db, first)] == [merge.MERGED] * 3
        with db.read() as s:
            units = {name: unit_id for name, unit_id in s.execute(select(m.Unit.name, m.Unit.id))}
            wuji_old, wuji_next = s.scalars(
                select(m.Enterprise.id)
                .where(m.Enterprise.unit_id == units["吴集镇"])
                .order_by(m.Enterprise.id)
                .limit(2)
            ).all()
            shitan_one = s.scalar(
                select(m.Enterprise.id).where(m.Enterprise.unit_id == units["石滩乡"]).order_by(m.Enterprise.id)
            )
    finally:
        db.close()
    for township, seed in ((wuji, 41), (mishui, 42)):
        _grow(township, seed)
    second = {t.stem: export(t, tmp_path / f"{t.stem}-2.hdpkg") for t in (wuji, mishui)}

    # The editor: opens a 吴集镇 record (which the merge will change) before the merges start;
    # once that merge holds its unit, saves a 石滩乡 record, then the 吴集镇 one it opened, then
    # opens another 吴集镇 one and saves it.
    go, loaded = tmp_path / "go", tmp_path / "loaded"
    plan = {
        "loaded": str(loaded),
        "go": str(go),
        "steps": [
            {"id": shitan_one, "notes": "县级核实：石滩乡"},
            {"id": wuji_old, "notes": "县级核实：吴集镇（过时）", "preload": True},
            {"id": wuji_next, "notes": "县级核实：吴集镇"},
        ],
    }
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

    watch = LockWatch(county)
    holder_engine = create_engine(server_url(county))
    holder = holder_engine.connect()  # holds 吴集镇's lock while 洣水镇 merges
    watch.ignored_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar_one()
    holder.execute(text("SELECT pg_advisory_lock(:k, :u)"), {"k": UNIT_LOCK, "u": units["吴集镇"]})
    watch.start()
    editor = _start("edit", county, str(plan_file), str(tmp_path / "edits.json"))
    while not loaded.exists():
        time.sleep(0.01)
    start = tmp_path / "start"
    merges = {
        name: _start("merge", county, str(pkg), str(tmp_path / f"{name}.json"), str(start))
        for name, pkg in second.items()
    }
    while not all((tmp_path / f"{name}.json.ready").exists() for name in merges):
        time.sleep(0.01)
    start.touch()  # both merges begin together
    # 洣水镇's merge does not wait for 吴集镇's lock (a merge that did would never end here)
    _wait(merges["洣水镇"])
    assert _read(tmp_path / "洣水镇.json")["status"] == merge.MERGED
    assert merges["吴集镇"].poll() is None, "the 吴集镇 merge ran while its unit was locked"
    holder.execute(text("SELECT pg_advisory_unlock(:k, :u)"), {"k": UNIT_LOCK, "u": units["吴集镇"]})
    holder.close()
    holder_engine.dispose()
    deadline = time.time() + 120
    while not watch.held(units["吴集镇"]) and time.time() < deadline:
        time.sleep(0.002)
    assert watch.held(units["吴集镇"]), "the 吴集镇 merge never took its unit"
    go.touch()
    for proc in (*merges.values(), editor):
        _wait(proc)
    watch.stop.set()
    watch.join()

    results = {name: _read(tmp_path / f"{name}.json") for name in second}
    assert [r["status"] for r in results.values()] == [merge.MERGED, merge.MERGED]
    edits = _read(tmp_path / "edits.json")
    other_unit, stale, after = edits
    # the other unit's edit did not wait for the 吴集镇 merge
    assert other_unit["saved"] and other_unit["at"] < watch.held_until[units["吴集镇"]]
    # the edit of a record the merge changed after it was loaded was told so, and nothing saved
    assert not stale["saved"] and "已被其他人修改" in stale["message"]
    assert after["saved"]

    db, _info = setup.open_initialized(county)
    try:
        with db.read() as s:
            for name, township in (("吴集镇", wuji), ("洣水镇", mishui)):
                tdb, _ = setup.open_initialized(township)
                try:
                    with tdb.read() as ts:
                        for model in m.SYNCED_MODELS:
                            expected = dict(ts.execute(select(model.id, model.revision)).all())  # type: ignore[attr-defined]
                            got = dict(
                                s.execute(
                                    select(model.id, model.revision).where(model.unit_id == units[name])  # type: ignore[attr-defined]
                                ).all()
                            )  # type: ignore[attr-defined]
                            assert got.keys() == expected.keys(), (name, model.__tablename__)
                        products = dict(ts.execute(select(m.Enterprise.id, m.Enterprise.main_products)).all())
                finally:
                    tdb.close()
                assert (
                    dict(
                        s.execute(
                            select(m.Enterprise.id, m.Enterprise.main_products).where(
                                m.Enterprise.unit_id == units[name]
                            )
                        ).all()
                    )
                    == products
                )
            notes = dict(
                s.execute(
                    select(m.Enterprise.id, m.Enterprise.notes).where(
                        m.Enterprise.id.in_([wuji_old, wuji_next, shitan_one])
                    )
                ).all()
            )
            # every saved edit is there (none overwritten by the merge), the refused one is not
            assert {e["id"]: e["notes"] for e in edits if e["saved"]} == {
                wuji_next: "县级核实：吴集镇",
                shitan_one: "县级核实：石滩乡",
            }
            assert notes[wuji_next] == "县级核实：吴集镇" and notes[shitan_one] == "县级核实：石滩乡"
            assert notes[wuji_old] != "县级核实：吴集镇（过时）"
            assert s.scalar(select(func.count()).select_from(m.PackageEntry)) == 5
            audited = s.scalars(
                select(m.AuditEntry.new_value).where(m.AuditEntry.field == "notes", m.AuditEntry.source == "form")
            ).all()
            assert sorted(audited) == ["县级核实：吴集镇", "县级核实：石滩乡"]  # the refused edit left no trace
    finally:
        db.close()


@pytest.mark.slow
def test_two_merges_of_the_same_package_run_one_after_the_other(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wuji = make_township(tmp_path, "吴集镇", enterprises=120, months=12, projects=6, seed=51)
    county = pg.new_county(training=True)
    pin(county, wuji)
    enroll(county, wuji)
    package = export(wuji, tmp_path / "wuji.hdpkg")
    watch = LockWatch(county)
    watch.start()
    start = tmp_path / "start"
    procs = [_start("merge", county, str(package), str(tmp_path / f"{n}.json"), str(start)) for n in range(2)]
    while not all((tmp_path / f"{n}.json.ready").exists() for n in range(2)):
        time.sleep(0.01)
    start.touch()
    for proc in procs:
        _wait(proc)
    watch.stop.set()
    watch.join()
    statuses = sorted(_read(tmp_path / f"{n}.json")["status"] for n in range(2))
    assert statuses == sorted([merge.MERGED, merge.DUPLICATE])
    assert units_waited(watch), "the second merge of the unit never had to wait"
    db, _info = setup.open_initialized(county)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(m.PackageEntry)) == 1
            assert s.scalar(select(func.count()).select_from(m.Enterprise)) == 120
    finally:
        db.close()


def test_an_edit_that_lost_a_race_is_refused_for_every_kind_of_record(pg) -> None:  # type: ignore[no-untyped-def]
    """Every synced record, the yearly figures, status history, plans and photos included, is
    updated only at the revision it was read at: a change another officer committed in between
    makes the edit fail with a sentence, and nothing of it is written."""
    from sqlalchemy import update

    from hengdong_desktop.db.engine import STALE_MESSAGE
    from hengdong_desktop.errors import UserError

    url = pg.new_county(training=True)
    db, info = setup.open_initialized(url)
    other = create_engine(server_url(url), connect_args={"application_name": "another officer"})
    try:
        demo.generate(db, enterprises=3, months=2, projects=2, seed=5, end_period=END)
        tried = []
        for model in m.SYNCED_MODELS:
            with db.read() as s:
                record_id = s.scalar(select(model.id).order_by(model.id).limit(1))  # type: ignore[attr-defined]
            if record_id is None:
                continue
            tried.append(model.__tablename__)
            table = model.__table__  # type: ignore[attr-defined]
            with pytest.raises(UserError, match=STALE_MESSAGE), db.write(info.actor("form")) as s:
                mine = s.get(model, record_id)
                with other.begin() as conn:  # meanwhile, committed by another officer
                    conn.execute(
                        update(table)
                        .where(table.c.id == record_id)
                        .values(revision=table.c.revision + 1, deleted_reason="别人改的")
                    )
                mine.deleted_reason = "我改的"  # type: ignore[union-attr]
            with db.read() as s:
                assert s.get(model, record_id).deleted_reason == "别人改的"  # type: ignore[union-attr]
        assert {"enterprise_annual", "project_stages", "project_annual", "enterprise_monthly"} <= set(tried)
    finally:
        other.dispose()
        db.close()
