"""`hengdong --selftest`: checks an installation end to end in a temporary folder and exits 0, or 1
naming the step that failed. `make bundle` runs it inside the built bundle.

The steps are the named functions in STEPS, run in order; each returns a short detail and raises
on failure. The PDF, workbook and package steps go through the product's own services and read
their output back.

A composition root like app.py (it opens the main window), so it may import Qt."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from hengdong_desktop import __version__
from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import current_revision, head_revision
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, demo, setup

ENTERPRISES = 6


@dataclass
class Workspace:
    """What the steps share: a temporary folder, the database in it, and facts found so far."""

    folder: Path
    db_path: Path
    enterprise_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    run: Callable[[Workspace], str]


# steps -------------------------------------------------------------------------------------------
def _database(ws: Workspace) -> str:
    setup.init_database(ws.db_path, setup.TOWNSHIP, "吴集镇", "自检", training=True)
    db, _info = setup.open_initialized(ws.db_path)
    try:
        revision = current_revision(db.engine)
        if revision != head_revision():
            raise RuntimeError(f"结构版本为{revision}，应为{head_revision()}")
        demo.generate(db, enterprises=ENTERPRISES, months=2, seed=1)
        with db.read() as s:
            ws.enterprise_names = list(s.scalars(select(m.Enterprise.name).order_by(m.Enterprise.name)))
    finally:
        db.close()
    if len(ws.enterprise_names) != ENTERPRISES:
        raise RuntimeError(f"演示数据应有{ENTERPRISES}户企业，实有{len(ws.enterprise_names)}户")
    return f"结构版本{revision}，演示企业{ENTERPRISES}户"


def _integrity(ws: Workspace) -> str:
    problems = backups.check(ws.db_path)
    if problems:
        raise RuntimeError("完整性检查未通过：" + "；".join(problems[:3]))
    made = backups.backup_file(ws.db_path, "manual")
    listed = backups.list_backups(ws.db_path)
    if not listed or listed[0].path != made or (listed[0].counts or {}).get("enterprises") != ENTERPRISES:
        raise RuntimeError(f"备份列表与备份不符：{[b.describe() for b in listed]}")
    return listed[0].describe()


def _commands(ws: Workspace) -> str:
    from hengdong_desktop.cli import build_parser
    from hengdong_desktop.resources import resource_path

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    names = set(sub.choices or ())  # type: ignore[arg-type]
    missing = {"init", "demo", "check"} - names
    if missing:
        raise RuntimeError(f"缺少子命令：{sorted(missing)}")
    for parts in (("reference.json",), ("icons", "app.png")):
        if not resource_path(*parts).is_file():
            raise RuntimeError(f"缺少资源文件：{resource_path(*parts)}")
    return "子命令：" + "、".join(sorted(names))


def _main_window(ws: Workspace) -> str:
    """The window as the app opens an up-to-date file: its frame painted from a first look at
    the file, then the database opened into it."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from hengdong_desktop.app import create_application, first_window, open_into
    from hengdong_desktop.ui.settings import Settings

    create_application()
    settings = Settings(QSettings(str(ws.folder / "settings.ini"), QSettings.Format.IniFormat))
    window = first_window(ws.db_path, settings)
    if window is None:
        raise RuntimeError("未能在打开数据库之前读出它属于哪个单位")
    try:
        painted = QEventLoop()
        window.painted.connect(painted.quit)
        QTimer.singleShot(60_000, painted.quit)
        window.show()
        painted.exec()
        if not open_into(window, ws.db_path):
            raise RuntimeError("主窗口没有打开数据库")
        deadline = time.monotonic() + 60
        while "计算中" in window.findings_label.text() and time.monotonic() < deadline:
            QCoreApplication.processEvents()  # the findings count starts once the window is up
            window.ctx.tasks.wait(100)
        QCoreApplication.sendPostedEvents()
        tile = window.findChild(QLabel, "tile_enterprises")
        if tile is None or tile.text() != str(ENTERPRISES):
            raise RuntimeError(f"概览显示的企业数为{tile.text() if tile else '（无）'}，应为{ENTERPRISES}")
        findings = window.findings_label.text()
        if "计算中" in findings or "无法" in findings:
            raise RuntimeError(f"审核状态未算出：{findings}")
        shot = window.grab()
        if shot.isNull() or shot.width() < 400:
            raise RuntimeError("主窗口无法绘制")
        pages = len(window.specs)
        from PySide6.QtCharts import QChart, QChartView  # the 驾驶舱's (the bundle has no OpenGL binding)

        chart = QChartView(QChart())
        chart.resize(400, 300)
        if chart.grab().isNull():
            raise RuntimeError("驾驶舱图表无法绘制")
    finally:
        window.close()
        if window.attached:
            window.ctx.db.close()
        window.deleteLater()
    return f"{pages}个页面，{findings}，平台{QApplication.platformName()}"


def _pdf(ws: Workspace) -> str:
    from PySide6.QtPdf import QPdfDocument

    from hengdong_desktop.services import pdf

    db, _info = setup.open_initialized(ws.db_path)
    try:
        written = pdf.write_enterprise_forms(db, ws.folder / "自检.pdf")
    finally:
        db.close()
    document = QPdfDocument()
    if document.load(str(written.path)) != QPdfDocument.Error.None_:
        raise RuntimeError(f"PDF无法读回：{document.status()}")
    text = "".join(document.getAllText(page).text() for page in range(document.pageCount())).replace("\n", "")
    document.close()
    missing = [name for name in ws.enterprise_names if name not in text]
    if "企业培育表" not in text or missing:
        raise RuntimeError(f"PDF读回的文字与数据不符，缺少：{missing[:3]}")
    return f"企业培育表{written.pages}页，{written.path.stat().st_size:,}字节"


def _workbook(ws: Workspace) -> str:
    from hengdong_desktop.services.excel.export import export_township
    from hengdong_desktop.services.excel.importer import import_workbook
    from hengdong_desktop.services.excel.reader import read_workbook

    path = ws.folder / "自检.xlsx"
    db, _info = setup.open_initialized(ws.db_path)
    try:
        exported = export_township(db, path)
        plan = import_workbook(db, read_workbook(path), dry_run=True)
    finally:
        db.close()
    if plan.blocking:
        raise RuntimeError("导出的工作簿重新导入时报错：" + plan.blocking[0].message)
    changed = [c for c in plan.changes if c.action != "unchanged"]
    if changed or not plan.changes:
        raise RuntimeError(f"导出后重新导入应无变化，实有{len(changed)}处变化")
    return f"{exported.cells:,}个单元格，重新导入{len(plan.changes)}条记录无变化"


def _package(ws: Workspace) -> str:
    from hengdong_desktop.domain import periods
    from hengdong_desktop.services.packages import export, keys, merge, verifying

    county_path = ws.folder / "county.sqlite3"
    setup.init_database(county_path, setup.COUNTY, None, "自检", training=True)
    enrollment, package = ws.folder / "自检.enroll.json", ws.folder / "自检.hdpkg"
    identity_file = ws.folder / "县级身份.json"
    county, _info = setup.open_initialized(county_path)
    try:
        identity = keys.export_identity(county, identity_file)
    finally:
        county.close()
    township, _info = setup.open_initialized(ws.db_path)
    try:
        demo.explain_open_warnings(township)
        keys.pin_county(township, identity, fingerprint=identity.fingerprint)
        fingerprint = keys.export_enrollment(township, enrollment)["fingerprint"]
        export.export_report(township, package, period=periods.last_completed())
    finally:
        township.close()
    tampered = ws.folder / "篡改.hdpkg"
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    county, _info = setup.open_initialized(county_path)
    try:
        keys.enroll(county, enrollment, fingerprint=fingerprint)
        decrypt = keys.unlock(county).openers
        # The tampered copy is verified by the worker process a large batch uses.
        with verifying.BatchVerifier(county, [package, tampered], decrypt, use_worker=True, steal=False) as batch:
            good, bad = batch[0], batch[1]
            by_worker = batch.by_worker
        if isinstance(good, UserError):
            raise RuntimeError(f"上报包未能通过验证：{good}")
        if not isinstance(bad, UserError):
            raise RuntimeError("被篡改的上报包竟然通过了验证")
        if by_worker != 1:
            raise RuntimeError("校验进程未能启动")
        (result,) = merge.merge_files(county, [package])
        if result.status != merge.MERGED:
            raise RuntimeError(f"上报包未能合并：{result.reason}")
        with county.read() as s:
            merged = sorted(s.scalars(select(m.Enterprise.name)))
    finally:
        county.close()
    if merged != sorted(ws.enterprise_names):
        raise RuntimeError("合并后的企业与上报的不符")
    return f"{package.stat().st_size:,}字节，签名有效、已加密，篡改可被校验进程发现，合并企业{len(merged)}户"


def _server_driver(_ws: Workspace) -> str:
    """The county server database's driver is in this installation (no server is contacted)."""
    import psycopg
    from sqlalchemy import create_engine, select

    from hengdong_desktop.db import models as m

    engine = create_engine("postgresql+psycopg://selftest@127.0.0.1:1/selftest")
    try:
        sql = str(select(m.Enterprise.id).compile(dialect=engine.dialect))
    finally:
        engine.dispose()
    if "enterprises" not in sql:
        raise RuntimeError("无法生成服务器数据库的SQL")
    return f"psycopg {psycopg.__version__}（{psycopg.pq.__impl__}），libpq {psycopg.pq.version()}"


def _released(ws: Workspace) -> str:
    """Every file the steps made can be deleted now. On Windows a file still open somewhere (a
    database not closed, the verifying worker process still alive) cannot be, and the same handle
    would block restoring a backup over the database."""
    files = [p for p in ws.folder.rglob("*") if p.is_file()]
    for path in files:
        try:
            path.unlink()
        except OSError as exc:
            raise RuntimeError(f"文件“{path.name}”仍被占用，无法删除：{exc}") from exc
    return f"{len(files)}个文件均已关闭并删除"


STEPS: tuple[Step, ...] = (
    Step("database", "创建临时数据库并迁移到最新结构", _database),
    Step("integrity", "完整性检查与备份", _integrity),
    Step("commands", "命令行与资源文件", _commands),
    Step("main_window", "离屏打开主窗口", _main_window),
    Step("pdf", "写出并读回企业培育表PDF", _pdf),
    Step("workbook", "导出并重新导入Excel工作簿", _workbook),
    Step("package", "上报包签名、验证与合并往返", _package),
    Step("server_driver", "服务器数据库（PostgreSQL）驱动", _server_driver),
    Step("released", "关闭并删除全部临时文件", _released),
)


# runner ------------------------------------------------------------------------------------------
def run_steps(steps: tuple[Step, ...] = STEPS, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    print(f"自检 hengdong {__version__}（Python {platform.python_version()}，{platform.system()}）", file=out)
    with tempfile.TemporaryDirectory(prefix="hengdong-selftest-", ignore_cleanup_errors=True) as tmp:
        ws = Workspace(Path(tmp), Path(tmp) / "selftest.sqlite3")
        for number, step in enumerate(steps, 1):
            started = time.perf_counter()
            try:
                detail = step.run(ws)
            except Exception as exc:  # report which step failed, with everything needed to fix it
                print(f"[失败] {number}/{len(steps)} {step.title}", file=out)
                print(f"自检失败：第{number}项“{step.title}”：{exc}", file=err)
                traceback.print_exception(exc, file=err)
                return 1
            print(
                f"[通过] {number}/{len(steps)} {step.title}：{detail}（{time.perf_counter() - started:.1f}秒）",
                file=out,
            )
    print(f"自检通过：{len(steps)}项全部正常。", file=out)
    return 0


def main(argv: list[str]) -> int:
    if argv:
        print(f"用法错误：--selftest 不接受参数（收到 {' '.join(argv)}）。", file=sys.stderr)
        return 2
    return run_steps()
