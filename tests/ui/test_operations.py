"""The operations layer on a real database: writes run one after another on the writer thread
while reads run beside them; each operation announces its changes before its success callback;
a failure announces nothing; long work can be cancelled at its progress calls; pages refresh only
for the changes that concern them, and a hidden page when it is next shown; the status bar's
findings follow an edit by re-checking only what changed; another database replaces the open one
and every page is rebuilt."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.location import server_url
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks, demo, entry, setup
from hengdong_desktop.ui.changes import Changes, saved_record
from hengdong_desktop.ui.database import switch_database
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.tasks import Cancelled, TaskRunner
from tests.ui.entry_helpers import close_window, open_window


def test_writes_are_serial_and_reads_do_not_wait_for_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    release, order = threading.Event(), []

    def slow_write(_progress: object) -> str:
        release.wait(10)
        order.append("first write")
        return "first"

    first = tasks.write(slow_write)
    second = tasks.write(lambda _p: order.append("second write"))
    with qtbot.waitSignal(tasks.read(lambda _p: order.append("read") or 42).succeeded, timeout=10_000) as read:
        pass
    assert read.args == [42] and order == ["read"] and not first.done  # the read did not wait
    release.set()
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        pass
    assert order == ["read", "first write", "second write"] and first.result == "first" and second.done


def test_cancelling_stops_work_at_its_next_progress_call(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    started, reached = threading.Event(), []

    def work(progress) -> str:  # type: ignore[no-untyped-def]
        for n in range(3):
            progress(n, 3, "")
            reached.append(n)
            started.set()
            release.wait(10)
        progress(3, 3, "完成")  # finished: never raises
        return "done"

    release = threading.Event()
    handle = tasks.write(work, cancellable=True)
    started.wait(10)
    handle.cancel()
    release.set()
    with qtbot.waitSignal(handle.cancelled, timeout=10_000):
        pass
    assert reached == [0] and isinstance(handle.error, Cancelled)

    # a cancel that comes after the last progress call does not undo a finished write
    late = tasks.write(lambda progress: progress(1, 1, "完成") or "written")
    late.cancel()
    with qtbot.waitSignal(late.succeeded, timeout=10_000) as done:
        pass
    assert done.args == ["written"]


def test_quitting_cancels_reads_and_waits_for_writes(qtbot) -> None:  # type: ignore[no-untyped-def]
    """close() (the window closing) stops a long read at its next progress call instead of
    waiting for its answer, and still lets a write that has begun finish."""
    tasks = TaskRunner()
    reading, writing, release, steps = threading.Event(), threading.Event(), threading.Event(), []

    def long_read(progress) -> str:  # type: ignore[no-untyped-def]
        for n in range(10_000):  # minutes of work, were it not cancelled
            progress(n, 0, "")
            steps.append(n)
            reading.set()
            release.wait(0.05)
        return "counted"

    def write(_progress: object) -> str:
        writing.set()
        release.wait(10)
        return "saved"

    read = tasks.read(long_read)
    saved = tasks.write(write)
    assert reading.wait(10) and writing.wait(10)
    threading.Timer(0.3, release.set).start()  # the write ends a moment after close() began
    tasks.close()
    assert saved.result is None and not tasks._writer.activeThreadCount() and not tasks._readers.activeThreadCount()
    outcomes: list[str] = []
    read.cancelled.connect(lambda: outcomes.append("read cancelled"))
    saved.succeeded.connect(outcomes.append)
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=10_000)
    assert sorted(outcomes) == ["read cancelled", "saved"] and isinstance(read.error, Cancelled) and len(steps) < 100


def test_the_findings_count_can_be_stopped_while_it_checks(demo_township: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The whole-database count calls progress every CHECKS_PER_PROGRESS records read and
    checked, so quitting stops it within a few milliseconds."""
    monkeypatch.setattr(checks, "CHECKS_PER_PROGRESS", 10)
    db, info = setup.open_initialized(demo_township)
    try:
        calls: list[int] = []
        counts = checks.open_by_owner(db, unit_id=info.unit_id, progress=lambda done, _t, _x: calls.append(done))
        reading, checking = [n for n in calls if n == 0], [n for n in calls if n > 0]
        assert counts and calls == reading + checking and len(reading) >= 3  # read first, then checked
        assert len(checking) >= 3 and checking == [10 * (n + 1) for n in range(len(checking))]

        def stop(_done: int, _total: int, _text: str) -> None:
            raise Cancelled

        with pytest.raises(Cancelled):
            checks.open_by_owner(db, unit_id=info.unit_id, progress=stop)
    finally:
        db.close()


def test_the_overviews_next_step_can_be_stopped_while_it_checks(demo_township: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The 概览's next step reads and checks every record (readiness): closing the window stops it at
    its next progress call instead of waiting for it."""
    from hengdong_desktop.services import overview

    monkeypatch.setattr(checks, "CHECKS_PER_PROGRESS", 10)
    db, info = setup.open_initialized(demo_township)
    try:
        calls: list[int] = []
        steps = overview.next_steps(db, info.unit_id, "2025-03", lambda done, _t, _x: calls.append(done))
        checked = [done for done in calls if done]  # reading the records reports too, with 0 done
        assert steps.readiness is not None and 0 in calls and checked == [10 * (n + 1) for n in range(len(checked))]
        assert checked

        def stop(_done: int, _total: int, _text: str) -> None:
            raise Cancelled

        with pytest.raises(Cancelled):
            overview.next_steps(db, info.unit_id, "2025-03", stop)
    finally:
        db.close()


def test_a_later_read_with_the_same_key_supersedes_an_earlier_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    release, shown = threading.Event(), []
    tasks.read(lambda _p: release.wait(10) and "old", on_success=shown.append, latest="count")
    tasks.read(lambda _p: "new", on_success=shown.append, latest="count")
    release.set()
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        pass
    assert shown == ["new"]


def test_an_operation_announces_its_changes_then_succeeds_and_a_failure_announces_nothing(  # type: ignore[no-untyped-def]
    qtbot, demo_township: Path, settings
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    ctx, events = window.ctx, []
    ctx.changed.connect(lambda changes: events.append(("changed", changes)))
    db, info = ctx.db, ctx.info
    record_id = window.pages["enterprises"].model.row_id(0)
    record = entry.load(db, "enterprise", record_id)
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        Operation(
            window,
            lambda _p: entry.save(
                db,
                info,
                "enterprise",
                {**record.values, "notes": "新备注"},
                record_id=record_id,
                revision=record.revision,
            ),
            lambda saved: saved_record("enterprise", record_id, saved.values, saved.unit_id),
        ).success(lambda saved: events.append(("success", saved.id))).run(ctx)
    assert [e[0] for e in events] == ["changed", "success"]
    changes = events[0][1]
    assert changes.owners == {("enterprise", record_id)} and changes.touches("enterprise", "membership")
    assert changes.units == {info.unit_id} and not changes.reference
    failures: list[BaseException] = []
    with qtbot.waitSignal(ctx.tasks.idle, timeout=10_000):
        Operation(window, lambda _p: entry.remove(db, info, "enterprise", record_id, ""), Changes.everything()).failure(
            failures.append
        ).run(ctx)
    assert isinstance(failures[0], UserError) and len(events) == 2  # nothing written, nothing announced
    close_window(window)


def test_demo_data_can_be_cancelled_before_anything_is_written(qtbot, training_township_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, training_township_path, settings, "overview")
    ctx, announced = window.ctx, []
    ctx.changed.connect(announced.append)
    release = threading.Event()

    def work(progress) -> object:  # type: ignore[no-untyped-def]
        release.wait(10)  # the clerk presses 取消 while the first unit is being made
        return demo.generate(ctx.db, enterprises=3, months=1, progress=progress)

    cancelled: list[bool] = []
    handle = (
        Operation(window, work, Changes.everything())
        .cancelled(lambda: cancelled.append(True))
        .with_progress("正在生成演示数据…", cancellable=True)
        .run(ctx)
    )
    handle.cancel()
    release.set()
    with qtbot.waitSignal(ctx.tasks.idle, timeout=20_000):
        pass
    assert cancelled == [True] and announced == []
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Enterprise)) == 0
    close_window(window)


def test_pages_refresh_only_for_what_concerns_them_and_hidden_ones_when_shown(  # type: ignore[no-untyped-def]
    qtbot, demo_township: Path, settings
) -> None:
    window = open_window(qtbot, demo_township, settings, "problems")
    problems = window.pages["problems"]
    enterprises = window.show_page("enterprises")
    refreshed: list[str] = []
    enterprises.refreshed.connect(lambda: refreshed.append("enterprises"))
    problems.refreshed.connect(lambda: refreshed.append("problems"))
    unit, tasks = window.ctx.info.unit_id, window.ctx.tasks
    if tasks.busy:
        with qtbot.waitSignal(tasks.idle, timeout=10_000):
            pass  # the pages' first reads
    with qtbot.waitSignal(tasks.idle, timeout=10_000):  # the findings of project p are checked again
        window.ctx.announce(Changes.records({"project_monthly"}, [("project", "p")], [unit], ["2025-03"]))
    assert refreshed == []  # neither list shows monthly figures
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        window.ctx.announce(Changes.records({"enterprise"}, [("enterprise", "e")], [unit]))
    assert refreshed == ["enterprises"] and problems.stale  # problems name their enterprise: later
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        window.show_page("problems")
    assert refreshed == ["enterprises", "problems"] and not problems.stale
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        window.ctx.announce(Changes.records({"enterprise"}, [("enterprise", "e")], [unit + 1]))
    assert refreshed == ["enterprises", "problems"]  # another unit's records
    close_window(window)


def test_findings_follow_an_edit_by_checking_only_the_record_changed(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    with qtbot.waitSignal(window.findings.counted, timeout=10_000):
        pass
    ctx = window.ctx
    before = window.findings.total
    asked: list[object] = []
    count = checks.open_by_owner
    monkeypatch.setattr(checks, "open_by_owner", lambda db, **kw: asked.append(kw.get("owners")) or count(db, **kw))
    record_id = window.pages["enterprises"].model.row_id(0)
    record = entry.load(ctx.db, "enterprise", record_id)
    db, info = ctx.db, ctx.info
    bad_year = [{"id": None, "year": 2021, "revenue": 100, "tax": 200}]  # QY03, unexplained
    with qtbot.waitSignal(window.findings.counted, timeout=10_000):
        Operation(
            window,
            lambda _p: entry.save(
                db, info, "enterprise", record.values, record_id=record_id, revision=record.revision, annual=bad_year
            ),
            lambda saved: saved_record("enterprise", record_id, saved.values, saved.unit_id),
        ).run(ctx)
    assert asked == [{("enterprise", record_id)}]  # only the edited enterprise was checked again
    full = checks.check_database(ctx.db, unit_id=info.unit_id).open_count
    assert window.findings.total == full == (before or 0) + 1
    assert f"{full} 条待处理" in window.findings_label.text()
    close_window(window)


def test_another_database_replaces_the_open_one_and_every_page_is_rebuilt(  # type: ignore[no-untyped-def]
    qtbot, demo_township: Path, county_path: Path | str, settings
) -> None:
    """To a county file, and to a county server database (no lock file for it)."""
    window = open_window(qtbot, demo_township, settings, "enterprises")
    old_page = window.pages["enterprises"]
    assert "report" in {s.key for s in window.specs}
    with qtbot.waitSignal(window.ctx.database_replaced, timeout=10_000):
        assert switch_database(window, county_path)
    on_server = isinstance(county_path, str)
    assert window.ctx.info.is_county and window.ctx.db.is_server == on_server
    if isinstance(county_path, str):
        assert window.ctx.db.url == server_url(county_path)
    else:
        assert window.ctx.db.path == county_path.resolve()
    assert window.pages["enterprises"] is not old_page and window.current_page() is window.pages["enterprises"]
    assert "县级汇总" in window.windowTitle() and "衡东县" in window.unit_label.text()
    assert "dashboard" in {s.key for s in window.specs} and "report" not in {s.key for s in window.specs}
    assert "print_bulletin" in window.actions_by_key and "print_unit_forms" not in window.actions_by_key
    with qtbot.waitSignal(window.findings.counted, timeout=10_000):
        pass  # counted again, on the county database
    assert window.findings_label.text() == "审核：全部通过"
    assert window.ctx.lock is not None  # the county's lock is held now
    window.ctx.lock.release()
    close_window(window)
