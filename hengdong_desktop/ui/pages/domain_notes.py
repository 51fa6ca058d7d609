"""领域说明: each domain's note for the current period, written by its lead departments (牵头部门)
or the office (services/domain_notes.py). A department account edits only its own domains'
notes; the others are shown read-only (and the server would refuse them anyway). A note another
officer saves meanwhile is shown when it arrives, unless the text here is being edited."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.services import domain_notes
from hengdong_desktop.services.domain_notes import Note
from hengdong_desktop.ui.changes import DOMAIN_NOTES, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Commands, Page
from hengdong_desktop.ui.widgets import heading

NOTES_CHANGED = Changes(frozenset({DOMAIN_NOTES}))


class DomainNotesPage(Page):
    follows_period = True
    shown = Signal()  # the notes were read and shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.notes: dict[int, Note] = {}
        self.writable: list[int] = []
        self.editing: int | None = None  # the domain whose text the editor holds
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(heading(self.tr("领域情况说明")))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        body = QHBoxLayout()
        self.domains = QListWidget()
        self.domains.setObjectName("noteDomains")
        self.domains.setFixedWidth(180)
        self.domains.currentRowChanged.connect(lambda _row: self._show_current())
        body.addWidget(self.domains)
        right = QVBoxLayout()
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteText")
        self.editor.setPlaceholderText(self.tr("本期本领域的发展情况、推进的工作、需要协调的事项……"))
        right.addWidget(self.editor, 1)
        row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("保存说明"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row.addWidget(self.save_button)
        row.addWidget(self.status, 1)
        right.addLayout(row)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        self.refresh()

    def concerned(self, changes: Changes) -> bool:
        return changes.touches(DOMAIN_NOTES) or changes.reference

    def commands(self) -> Commands:
        return Commands(save=self.save)

    def refresh(self) -> None:
        ctx = self.ctx
        db, info, period = ctx.db, ctx.info, ctx.period
        self.intro.setText(
            self.tr("{period}期各领域的情况说明。牵头部门填写本部门牵头领域的说明，办公室可填写全部领域。").format(
                period=period
            )
        )

        def work(_progress: object) -> tuple[list[Note], list[int]]:
            return domain_notes.notes(db, period), domain_notes.writable_domains(db, info)

        ctx.tasks.read(work, on_success=self._show, parent=self, latest=(id(self), "notes"))

    def _show(self, found: tuple[list[Note], list[int]]) -> None:
        notes, self.writable = found
        self.notes = {n.domain_id: n for n in notes}
        current = self.current_domain()
        self.domains.blockSignals(True)
        self.domains.clear()
        for domain in self.ctx.reference().domains:
            item = QListWidgetItem(domain.name + ("" if domain.id in self.notes else self.tr("（未填）")))
            item.setData(Qt.ItemDataRole.UserRole, domain.id)
            self.domains.addItem(item)
        ids = [d.id for d in self.ctx.reference().domains]
        self.domains.setCurrentRow(ids.index(current) if current in ids else 0)
        self.domains.blockSignals(False)
        self._show_current()
        self.shown.emit()

    def current_domain(self) -> int | None:
        item = self.domains.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def has_unsaved(self) -> bool:
        return self.editor.document().isModified()

    def _show_current(self) -> None:
        domain = self.current_domain()
        note = self.notes.get(domain) if domain is not None else None
        if not (domain == self.editing and self.has_unsaved()):  # the text being typed stays
            self.editor.setPlainText(note.text if note else "")
            self.editor.document().setModified(False)
        self.editing = domain
        may = domain in self.writable and not self.ctx.db.read_only
        self.editor.setReadOnly(not may)
        self.save_button.setEnabled(may)
        if note is not None:
            self.status.setText(
                self.tr("{who}于{when}填写").format(
                    who=note.updated_by or self.tr("（未署名）"), when=f"{note.updated_at.astimezone():%Y-%m-%d %H:%M}"
                )
            )
        else:
            self.status.setText("" if may else self.tr("只有本领域的牵头部门和办公室可以填写。"))

    def save(self) -> None:
        domain = self.current_domain()
        if domain is None or domain not in self.writable:
            return
        ctx = self.ctx
        db, info, period, text = ctx.db, ctx.info, ctx.period, self.editor.toPlainText()

        def saved(_note: Note) -> None:  # the refresh the change announced shows it
            self.editor.document().setModified(False)

        Operation(self, lambda _p: domain_notes.save_note(db, info, domain, period, text), NOTES_CHANGED).success(
            saved
        ).run(ctx)
