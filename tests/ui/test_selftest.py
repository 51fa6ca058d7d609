"""`hengdong --selftest`: every step passes here; a failing step is named and exits 1."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hengdong_desktop.selftest import STEPS, Step, Workspace, run_steps


def test_selftest_passes_every_step(qapp) -> None:  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    assert run_steps(out=out, err=err) == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert [line.split()[1] for line in lines[1:-1]] == [f"{n}/{len(STEPS)}" for n in range(1, len(STEPS) + 1)]
    assert all(line.startswith("[通过]") for line in lines[1:-1])
    assert lines[-1] == f"自检通过：{len(STEPS)}项全部正常。"
    assert {s.key for s in STEPS} >= {"database", "main_window", "pdf", "workbook", "package"}


def test_failing_step_is_named_and_later_steps_do_not_run(qapp) -> None:  # type: ignore[no-untyped-def]
    ran: list[str] = []

    def broken(_ws):  # type: ignore[no-untyped-def]
        raise RuntimeError("字体缺失")

    steps = (STEPS[0], Step("broken", "写出PDF", broken), Step("later", "之后", lambda ws: ran.append("x") or ""))
    out, err = io.StringIO(), io.StringIO()
    assert run_steps(steps, out=out, err=err) == 1
    assert err.getvalue().startswith("自检失败：第2项“写出PDF”：字体缺失")
    assert "[失败] 2/3 写出PDF" in out.getvalue() and ran == []


def test_selftest_flag_through_the_command_line() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    usage = subprocess.run(
        [sys.executable, "-m", "hengdong_desktop", "--selftest", "extra"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert usage.returncode == 2 and "--selftest 不接受参数" in usage.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "hengdong_desktop", "--help"], capture_output=True, text=True, env=env, timeout=120
    )
    assert helped.returncode == 0 and "hengdong --selftest" in helped.stdout


@pytest.mark.skipif(sys.platform != "win32", reason="POSIX deletes a file that is still open")
def test_a_file_left_open_fails_the_last_step(tmp_path: Path) -> None:
    released = next(step for step in STEPS if step.key == "released")
    (tmp_path / "closed.txt").write_text("x", encoding="utf-8")
    with (tmp_path / "county.sqlite3-shm").open("wb"), pytest.raises(RuntimeError, match="county.sqlite3-shm"):
        released.run(Workspace(tmp_path, tmp_path / "selftest.sqlite3"))
    released.run(Workspace(tmp_path, tmp_path / "selftest.sqlite3"))  # closed now
    assert list(tmp_path.iterdir()) == []
