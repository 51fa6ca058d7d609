"""A project's site photos (现场照片): adding one (a JPEG or PNG of at most
domain/images.MAX_PHOTO_BYTES, stored with its EXIF date and GPS position and nothing else of its
metadata), captioning, removing (the picture goes, the record stays as a tombstone), and reading
them back. Each change is one audited transaction; photos travel in the 上报包 like any record."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import images
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.setup import DatabaseInfo

MAX_PHOTOS_PER_PROJECT = 6
MAX_CAPTION = 200


@dataclass(frozen=True)
class Photo:
    """A photo as lists show it (the picture itself: `picture`)."""

    id: str
    project_id: str
    caption: str | None
    taken_on: date | None
    latitude_e6: int | None
    longitude_e6: int | None
    image_format: str
    width: int
    height: int
    size: int

    @property
    def position(self) -> str:
        return images.describe_position(self.latitude_e6, self.longitude_e6)


def _row(p: m.ProjectPhoto, size: int) -> Photo:
    return Photo(
        p.id,
        p.project_id,
        p.caption,
        p.taken_on,
        p.latitude_e6,
        p.longitude_e6,
        p.image_format,
        p.width,
        p.height,
        size,
    )


def _caption(text: str | None) -> str | None:
    caption = (text or "").strip() or None
    if caption is not None and len(caption) > MAX_CAPTION:
        raise UserError(f"照片说明不能超过{MAX_CAPTION}个字。")
    return caption


def prepared(original: bytes, picture: bytes | None = None, *, name: str = "") -> tuple[bytes, images.PhotoFacts]:
    """The picture to store and its facts: `picture` (the original scaled down by the UI, which
    drops its metadata) or the original itself, with the original's date and position written
    back and every other piece of metadata removed. Refuses with a sentence naming the file."""
    where = f"“{name}”" if name else ""
    try:
        facts = images.inspect(original)
        kept = images.stripped(picture if picture is not None else original, facts.taken, facts.position)
        stored = images.inspect(kept)
    except images.ImageProblem as problem:
        raise UserError(f"照片{where}{problem}。") from None
    if len(kept) > images.MAX_PHOTO_BYTES:
        raise UserError(
            f"照片{where}有{len(kept) / 1024 / 1024:.1f}MB，超过{images.MAX_PHOTO_BYTES // (1024 * 1024)}MB"
            "的上限，请缩小后再添加。"
        )
    return kept, images.PhotoFacts(stored.image_format, stored.width, stored.height, facts.taken, facts.position)


def add(
    db: Database,
    info: DatabaseInfo,
    project_id: str,
    original: bytes,
    *,
    picture: bytes | None = None,
    caption: str | None = None,
    name: str = "",
) -> Photo:
    """Adds a photo to a project (see `prepared`); at most MAX_PHOTOS_PER_PROJECT live photos,
    and the same picture only once."""
    data, facts = prepared(original, picture, name=name)
    digest = hashlib.sha256(data).hexdigest()
    text = _caption(caption)
    with db.write(info.actor("form")) as s:
        project = s.get(m.Project, project_id)
        if project is None or project.is_deleted:
            raise UserError("找不到该项目，可能已被删除，请刷新后重试。")
        if not info.is_county and project.unit_id != info.unit_id:
            raise UserError(f"该项目不属于{info.unit_name}，不能添加照片。")
        live = s.scalars(
            select(m.ProjectPhoto).where(m.ProjectPhoto.project_id == project_id, m.ProjectPhoto.deleted_at.is_(None))
        ).all()
        if any(p.sha256 == digest for p in live):
            raise UserError("这张照片已经添加过了。")
        if len(live) >= MAX_PHOTOS_PER_PROJECT:
            raise UserError(f"每个项目最多保存{MAX_PHOTOS_PER_PROJECT}张现场照片，请先删除不用的照片。")
        position = facts.position
        photo = m.ProjectPhoto(
            id=m.new_uuid(),
            unit_id=project.unit_id,
            project_id=project_id,
            caption=text,
            taken_on=facts.taken_on,
            latitude_e6=position.latitude_e6 if position else None,
            longitude_e6=position.longitude_e6 if position else None,
            image_format=facts.image_format,
            width=facts.width,
            height=facts.height,
            sha256=digest,
            content=data,
        )
        s.add(photo)
        s.flush()
        return _row(photo, len(data))


def add_file(db: Database, info: DatabaseInfo, project_id: str, path: Path, *, caption: str | None = None) -> Photo:
    """A photo from a file, as it is (the CLI's and tests' way; the UI scales large photos first)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > 4 * images.MAX_PHOTO_BYTES:
            raise UserError(f"照片“{path.name}”有{size / 1024 / 1024:.1f}MB，太大了，请缩小后再添加。")
        original = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取照片“{path.name}”：{exc.strerror or exc}。") from None
    return add(db, info, project_id, original, caption=caption, name=path.name)


def _writable(info: DatabaseInfo, photo: m.ProjectPhoto | None) -> m.ProjectPhoto:
    if photo is None or photo.is_deleted:
        raise UserError("找不到该照片，可能已被删除，请刷新后重试。")
    if not info.is_county and photo.unit_id != info.unit_id:
        raise UserError(f"该照片不属于{info.unit_name}，不能修改。")
    return photo


def set_caption(db: Database, info: DatabaseInfo, photo_id: str, caption: str | None) -> None:
    text = _caption(caption)
    with db.write(info.actor("form")) as s:
        photo = _writable(info, s.get(m.ProjectPhoto, photo_id))
        if photo.caption != text:
            photo.caption = text


def remove(db: Database, info: DatabaseInfo, photo_id: str, reason: str = "删除照片") -> None:
    """Tombstones a photo and drops its picture (a removed photo travels without one)."""
    with db.write(info.actor("form")) as s:
        photo = _writable(info, s.get(m.ProjectPhoto, photo_id))
        photo.deleted_at, photo.deleted_reason, photo.content = utcnow(), reason.strip() or "删除照片", None


def photos(db: Database, project_id: str) -> list[Photo]:
    """A project's live photos, oldest first (the first two are the ones a form prints)."""
    with db.read() as s:
        return photos_in(s, [project_id]).get(project_id, [])


def photos_in(session: Session, project_ids: list[str]) -> dict[str, list[Photo]]:
    """The live photos of several projects (without their pictures), oldest first."""
    p = m.ProjectPhoto
    out: dict[str, list[Photo]] = {}
    for i in range(0, len(project_ids), 500):
        chunk = project_ids[i : i + 500]
        rows = session.execute(
            select(
                p.id,
                p.project_id,
                p.caption,
                p.taken_on,
                p.latitude_e6,
                p.longitude_e6,
                p.image_format,
                p.width,
                p.height,
                func.length(p.content),
            )
            .where(p.project_id.in_(chunk), p.deleted_at.is_(None))
            .order_by(p.created_at, p.id)
        )
        for row in rows:
            pid, project, caption, taken_on, lat, lon, fmt, width, height, size = row
            out.setdefault(project, []).append(
                Photo(pid, project, caption, taken_on, lat, lon, fmt, width, height, int(size or 0))
            )
    return out


def picture(db: Database, photo_id: str) -> bytes:
    with db.read() as s:
        data = s.scalar(select(m.ProjectPhoto.content).where(m.ProjectPhoto.id == photo_id))
    if data is None:
        raise UserError("找不到该照片，可能已被删除，请刷新后重试。")
    return bytes(data)
