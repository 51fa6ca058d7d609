"""The parts of the project editor beyond its field forms: the lifecycle summary (the day each
stage was first reported, planned against actual, the warnings as of the period), the site
photos (scaled with Qt's image classes, then stored by services/photos.py with only their date
and position) and the project's problems (问题交办: department, deadline, overdue days).

Every photo change is an Operation (ui/operations.py) announcing the project's photos changed; a
problem is raised and edited in the problem editor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QBuffer,
    QByteArray,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import images
from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import project_warnings as pw
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import entry, photos
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import FileDialogs
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.record_model import Column, RecordTableModel, record_table

PHOTO_SIDE = 1600  # the longest side a stored photo keeps
THUMBNAIL = 180
IMAGE_FILTER = "图片 (*.jpg *.jpeg *.png)"


# ---------------------------------------------------------------------------------------------
# Lifecycle summary
# ---------------------------------------------------------------------------------------------
def stage_rows(rows: Sequence[dict[str, Any]]) -> tuple[lc.StageRow, ...]:
    """The status history as the editor holds it (rows not removed, with a period and a status)."""
    return lc.history(
        lc.StageRow(r["period"], r["status"], r.get("reached_on"), r.get("reason"))
        for r in rows
        if not r.get("removed") and r.get("period") and r.get("status")
    )


def stage_dates_text(history: Sequence[lc.StageRow], period: str) -> str:
    return "；".join(f"{stage} {day.isoformat() if day else '—'}" for stage, day in lc.first_dates(history, period))


def milestones_text(history: Sequence[lc.StageRow], planned: dict[str, str | None], period: str) -> str:
    return "；".join(f"{m.stage}：{m.text}" for m in lc.milestones(history, planned, period))


def warnings_text(found: Sequence[pw.ProjectWarning]) -> str:
    if not found:
        return "无（包而不推、推而不快、快而不优均未触发）"
    return "<br>".join(f"<b style='color:#b3261e'>【{w.rule}】</b>{w.message}（{w.standing}）" for w in found)


# ---------------------------------------------------------------------------------------------
# Site photos
# ---------------------------------------------------------------------------------------------
def scaled_picture(path: Path) -> tuple[bytes, bytes | None]:
    """The photo file's bytes and, when it must be made smaller or turned upright, the picture
    re-encoded by Qt (upright, at most PHOTO_SIDE pixels a side, within the size cap). Qt drops the
    metadata; services/photos.py writes the date and position back from the original."""
    try:
        original = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取照片“{path.name}”：{exc.strerror or exc}。") from None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    turned = reader.transformation() != QImageIOHandler.Transformation.TransformationNone
    size = reader.size()
    if not turned and len(original) <= images.MAX_PHOTO_BYTES and max(size.width(), size.height()) <= PHOTO_SIDE:
        return original, None
    image = reader.read()
    if image.isNull():
        raise UserError(f"照片“{path.name}”无法读取：{reader.errorString()}。")
    if max(image.width(), image.height()) > PHOTO_SIDE:
        image = image.scaled(
            PHOTO_SIDE, PHOTO_SIDE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    keep_png = original.startswith(b"\x89PNG") and image.hasAlphaChannel()
    for quality in (85, 75, 65, 55):
        data = _encoded(image, "PNG" if keep_png else "JPG", quality)
        if len(data) <= images.MAX_PHOTO_BYTES or keep_png:
            return original, data
    return original, _encoded(image.scaled(image.width() * 3 // 4, image.height() * 3 // 4), "JPG", 55)


def _encoded(image: QImage, fmt: str, quality: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, fmt, quality)  # type: ignore[call-overload]  # PySide6 takes a str here, not bytes
    buffer.close()
    return bytes(data.data())


class PhotoModel(QAbstractListModel):
    """A project's live photos as thumbnails with their caption, date and position."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.photos: list[photos.Photo] = []
        self.thumbnails: dict[str, QPixmap] = {}

    def load(self, found: list[photos.Photo], pictures: dict[str, bytes]) -> None:
        self.beginResetModel()
        self.photos = found
        self.thumbnails = {}
        for p in found:
            pixmap = QPixmap()
            pixmap.loadFromData(pictures[p.id])
            self.thumbnails[p.id] = pixmap.scaled(
                THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.photos)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.photos):
            return None
        p = self.photos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(x for x in (p.caption or "现场照片", p.taken_on.isoformat() if p.taken_on else "") if x)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnails.get(p.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = p.position or "无位置信息"
            taken = f"拍摄于{p.taken_on.isoformat()}" if p.taken_on else "无拍摄日期"
            return f"{p.caption or '现场照片'}\n{taken}；{where}\n{p.width}×{p.height}像素，{p.size // 1024}KB"
        if role == Qt.ItemDataRole.UserRole:
            return p
        return None


class PhotosPanel(QWidget):
    """The 现场照片 tab: thumbnails, 添加 / 修改说明 / 删除 / 查看. Available once the project is saved."""

    changed = Signal()  # a photo was added, captioned or removed (and the list shows it)

    def __init__(
        self,
        ctx: AppContext,
        project_id: str | None,
        unit_id: int | None,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = project_id
        self.unit_id = unit_id
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "每个项目最多保存{n}张现场照片（JPEG或PNG，每张不超过1MB，过大的自动缩小）。照片只保留拍摄日期和"
                "GPS位置，其他信息（相机、作者、缩略图等）一律去除；照片随上报包报送，调度表打印最近两张。"
            ).format(n=photos.MAX_PHOTOS_PER_PROJECT)
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.model = PhotoModel(self)
        self.view = QListView()
        self.view.setObjectName("photos")
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.view.setGridSize(QSize(THUMBNAIL + 30, THUMBNAIL + 50))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.activated.connect(lambda _i: self.show_large())
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.buttons = []
        for text, slot in (
            (self.tr("添加照片…"), self.add),
            (self.tr("修改说明…"), self.caption),
            (self.tr("删除照片"), self.remove),
            (self.tr("查看大图"), self.show_large),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(project_id is not None and not read_only)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        layout.addLayout(row)
        if project_id is None:
            waiting = QLabel(self.tr("保存项目后即可添加照片。"))
            waiting.setStyleSheet("color: #8a5a00;")
            layout.addWidget(waiting)
        self.reload()

    def reload(self) -> None:
        if self.project_id is None:
            return
        found = photos.photos(self.ctx.db, self.project_id)
        self.model.load(found, {p.id: photos.picture(self.ctx.db, p.id) for p in found})

    def current(self) -> photos.Photo | None:
        index = self.view.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def _changes(self) -> Changes:
        return Changes.records(
            {"project_photo"}, [("project", self.project_id or "")], None if self.unit_id is None else [self.unit_id]
        )

    def add(self) -> None:
        """Photos picked from files: scaled here (Qt), stored in the background; a photo refused
        (not a picture, too large, one too many) is named afterwards, the others are kept."""
        if self.project_id is None:
            return
        problems: list[str] = []
        prepared: list[tuple[Path, bytes, bytes | None]] = []
        for path in FileDialogs.open_files(self, self.tr("添加现场照片"), IMAGE_FILTER):
            try:
                prepared.append((path, *scaled_picture(path)))
            except UserError as err:
                problems.append(str(err))
        if not prepared and not problems:
            return
        db, info, project_id = self.ctx.db, self.ctx.info, self.project_id

        def work(_progress: object) -> list[str]:
            refused = list(problems)
            for path, original, picture in prepared:
                try:
                    photos.add(db, info, project_id, original, picture=picture, caption=path.stem, name=path.name)
                except UserError as err:
                    refused.append(str(err))
            return refused

        Operation(self, work, self._changes()).success(self._added).run(self.ctx)

    def _added(self, refused: list[str]) -> None:
        self.reload()
        self.changed.emit()
        if refused:
            show_error(self, UserError(refused[0], details=refused))

    def caption(self) -> None:
        photo = self.current()
        if photo is None:
            return
        text, ok = QInputDialog.getText(
            self, self.tr("照片说明"), self.tr("照片说明（如：主体工程施工现场）："), text=photo.caption or ""
        )
        if ok:
            db, info = self.ctx.db, self.ctx.info
            Operation(self, lambda _p: photos.set_caption(db, info, photo.id, text), self._changes()).success(
                lambda _r: self._done()
            ).run(self.ctx)

    def remove(self) -> None:
        photo = self.current()
        if photo is None:
            return
        db, info = self.ctx.db, self.ctx.info
        Operation(self, lambda _p: photos.remove(db, info, photo.id), self._changes()).success(
            lambda _r: self._done()
        ).run(self.ctx)

    def _done(self) -> None:
        self.reload()
        self.changed.emit()

    def show_large(self) -> None:
        photo = self.current()
        if photo is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(photo.caption or self.tr("现场照片"))
        layout = QVBoxLayout(dialog)
        pixmap = QPixmap()
        pixmap.loadFromData(photos.picture(self.ctx.db, photo.id))
        label = QLabel()
        label.setPixmap(
            pixmap.scaled(900, 640, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )
        area = QScrollArea()
        area.setWidget(label)
        layout.addWidget(area, 1)
        facts = QLabel(
            "；".join(
                x
                for x in (
                    f"拍摄于{photo.taken_on.isoformat()}" if photo.taken_on else self.tr("无拍摄日期"),
                    photo.position or self.tr("无位置信息"),
                    f"{photo.width}×{photo.height}像素",
                )
                if x
            )
        )
        layout.addWidget(facts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(960, 760)
        dialog.exec()


# ---------------------------------------------------------------------------------------------
# 问题交办 on a project
# ---------------------------------------------------------------------------------------------
PROBLEM_COLUMNS: tuple[Column[entry.AssignedProblem], ...] = (
    Column("类别", lambda p: p.category),
    Column("问题描述", lambda p: p.description, tooltip=lambda p: p.description),
    Column("提出日期", lambda p: p.raised_on.isoformat()),
    Column("责任单位", lambda p: p.department or "（未交办）"),
    Column("办理时限", lambda p: p.deadline.isoformat() if p.deadline else "—"),
    Column("办理状态", lambda p: p.status),
    Column(
        "逾期(天)", lambda p: p.overdue_days, numeric=True, background=lambda p: "#f6c4c4" if p.overdue_days else None
    ),
)


class ProblemsPanel(QWidget):
    """The problems raised on a project, each assigned to a department with a deadline; 提出问题
    opens the problem editor (`ask_problem`: ProblemEditor.ask) on this project."""

    def __init__(
        self,
        ctx: AppContext,
        project_id: str | None,
        unit_id: int | None,
        ask_problem: Callable[..., str | None],
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project_id = project_id
        self.unit_id = unit_id
        self.ask_problem = ask_problem
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("问题交办：项目推进中的问题交责任单位限时办理，逾期的标红。"))
        title.setWordWrap(True)
        layout.addWidget(title)
        self.model: RecordTableModel[entry.AssignedProblem] = RecordTableModel(PROBLEM_COLUMNS, parent=self)
        self.view = record_table(self.model, stretch=1)
        self.view.setObjectName("projectProblems")
        self.view.activated.connect(self.open)
        self.view.doubleClicked.connect(self.open)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("提出问题（交办）…"))
        self.add_button.clicked.connect(self.add)
        self.add_button.setEnabled(project_id is not None and not read_only)
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        if self.project_id is not None:
            self.model.set_rows(entry.project_problems(self.ctx.db, self.project_id))

    def add(self) -> None:
        if self.project_id is not None and self.ask_problem(
            self, self.ctx, project_id=self.project_id, unit_id=self.unit_id
        ):
            self.reload()

    def open(self, index: QModelIndex) -> None:
        problem = self.model.row_at(index)
        if problem is not None and self.ask_problem(self, self.ctx, problem.id):
            self.reload()
