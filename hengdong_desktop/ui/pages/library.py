"""企业库, 项目库 and 问题清单: a searchable, filterable, sortable list over SQL (paged as the view
scrolls), with the actions of each: 新建, 编辑, 调出名录/删除 with a reason, 恢复, 打印, and for
problems the status flow 待办 → 办理中 → 已解决. The county sees every unit, with a 所属单位 column
and filter; a township sees its own unit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.services import checks, entry
from hengdong_desktop.services.checks import Owner
from hengdong_desktop.services.listing import LISTINGS, Row
from hengdong_desktop.ui.changes import Changes, saved_record
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import ReasonDialog
from hengdong_desktop.ui.editors import EDITORS, ProblemEditor
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.listing_model import ListingModel
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Commands, Page
from hengdong_desktop.ui.tasks import Progress
from hengdong_desktop.ui.widgets import QT_TRANSLATE_NOOP, heading


def _tr(text: str) -> str:
    """The pages' titles and words, declared with QT_TRANSLATE_NOOP in the “LibraryPage” context."""
    return QCoreApplication.translate("LibraryPage", text)


class LibraryPage(Page):
    refreshed = Signal()  # the rows shown were read again
    counted = Signal(int)  # the rows matching the query were counted
    entity = ""
    shown_kinds: tuple[str, ...] = ()  # the kinds of record the list shows something of
    title = ""
    count_word = ""
    search_hint = ""
    remove_title = ""
    remove_reasons: tuple[str, ...] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        unit = None if ctx.info.is_county else ctx.info.unit_id
        self.listing = LISTINGS[self.entity](ctx.reference(), unit)
        self.model = ListingModel(ctx.db, self.listing, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(_tr(self.title)))
        top.addStretch(1)
        self.total_label = QLabel()
        self.total_label.setObjectName("totalLabel")
        top.addWidget(self.total_label)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(_tr(self.search_hint))
        self.search.setToolTip(self.tr("Ctrl+F 到这里；Esc 清空"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        filters.addWidget(self.search, 2)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear, context=Qt.ShortcutContext.WidgetShortcut
        )
        self.filters: dict[str, QComboBox] = {}
        for f in self.listing.filters:
            combo = QComboBox()
            combo.setObjectName(f"filter_{f.key}")
            combo.setToolTip(f.label)
            # many filters share one line at 1366×768: narrow combos, the open list shows whole names
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(3)
            for text, value in f.choices:
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(
                lambda _i, key=f.key, c=combo: self.model.set_filter(key, c.currentData())
            )
            filters.addWidget(combo, 1)
            self.filters[f.key] = combo
        layout.addLayout(filters)

        actions = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in self.page_actions():
            button = QPushButton(text)
            button.setObjectName(f"action_{key}")
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch(1)
        layout.addLayout(actions)

        self.view = QTableView()
        self.view.setObjectName("libraryTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSortIndicator(
            self.listing.column_index(self.listing.default_sort),
            Qt.SortOrder.DescendingOrder if self.listing.default_descending else Qt.SortOrder.AscendingOrder,
        )
        header.setSortIndicatorShown(True)
        self.view.setSortingEnabled(True)
        header.setStretchLastSection(True)
        em = self.fontMetrics().horizontalAdvance("中")
        for i, column in enumerate(self.listing.columns):
            self.view.setColumnWidth(i, em * column.chars + 18)
        self.view.activated.connect(lambda _index: self.edit_current())
        # another search, filter or sort starts at the top; Ctrl+End reads the rest and goes to the end
        self.model.query_changed.connect(self.view.scrollToTop)
        QShortcut(QKeySequence("Ctrl+End"), self.view, self.go_to_end, context=Qt.ShortcutContext.WidgetShortcut)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.view, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(lambda: self.model.set_search(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.total: int | None = None  # rows matching the query, counted in the background
        self._select_next: str | None = None  # a record to select when the list is read again
        self.model.modelReset.connect(self._count)
        self.model.rowsInserted.connect(lambda *_a: self._update_total())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._count()
        self._update_buttons()

    # what each page offers -------------------------------------------------------------------
    def page_actions(self) -> list[tuple[str, str, Callable[[], None]]]:
        removed = entry.REMOVE_WORD[self.entity]
        return [
            ("new", self.tr("新建（Ctrl+N）"), self.new_record),
            ("edit", self.tr("查看/修改"), self.edit_current),
            ("remove", self.tr("{word}…").format(word=removed), self.remove_current),
            ("restore", self.tr("恢复"), self.restore_current),
        ]

    def context_actions(self) -> list[tuple[str, Callable[[], None]]]:
        return [(button.text(), button.click) for button in self.buttons.values() if button.isEnabled()]

    # commands of the main window (Ctrl+N, Ctrl+F) ----------------------------------------------
    def commands(self) -> Commands:
        return Commands(new_record=self.new_record, find=self.focus_search)

    def new_record(self) -> None:
        saved = EDITORS[self.entity].ask(self, self.ctx)
        self._after_save(saved)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # selection ---------------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def selected_ids(self) -> list[str]:
        return [self.model.row_id(r) for r in self.selected_rows()]

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        rows = self.selected_rows()
        row = index.row() if index.isValid() and index.row() in rows else (rows[0] if rows else None)
        return self.model.row_id(row) if row is not None else None

    def select_id(self, record_id: str) -> None:
        """Selects the record; one not in the list yet (just saved) once the list is read again."""
        row = self.model.row_of(record_id)
        if row is None:
            self._select_next = record_id
            return
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))

    def go_to_end(self) -> None:
        """The last row of the list: the rows not loaded yet are read in the background first."""
        if not self.model.canFetchMore(QModelIndex()):
            self._select_last()
            return
        db, query, after = self.ctx.db, self.model.query, self.model.last_cursor()

        def show(rows: list[Row]) -> None:
            if self.model.query == query and self.model.last_cursor() == after:
                self.model.append_rows(rows)
                self._select_last()

        self.ctx.tasks.read(
            lambda _p: self.listing.page(db, query, None, after=after),
            on_success=show,
            parent=self,
            latest=(id(self), "end"),
        )

    def _select_last(self) -> None:
        last = self.model.rowCount() - 1
        if last >= 0:
            column = max(self.view.currentIndex().column(), 0)
            flags = QItemSelectionModel.SelectionFlag
            self.view.selectionModel().setCurrentIndex(
                self.model.index(last, column), flags.ClearAndSelect | flags.Rows
            )
            self.view.scrollToBottom()

    def _count(self) -> None:
        """Counts the matching rows off the UI thread (at 100,000 enterprises it takes a while);
        only the answer to the latest query is shown."""
        db, query = self.ctx.db, self.model.query
        self.total = None
        self._update_total()

        def show(total: int) -> None:
            self.total = total
            self._update_total()
            self.counted.emit(total)

        self.ctx.tasks.read(
            lambda _p: self.listing.count(db, query), on_success=show, parent=self, latest=(id(self), "count")
        )

    def _update_total(self) -> None:
        loaded = self.model.rowCount()
        if self.total is None:
            text = self.tr("已显示 {m} {word}，正在统计总数…").format(m=f"{loaded:,}", word=_tr(self.count_word))
        else:
            text = self.tr("共 {n} {word}").format(n=f"{self.total:,}", word=_tr(self.count_word))
            if loaded < self.total:
                text += self.tr("（已显示 {m}，向下滚动加载更多）").format(m=f"{loaded:,}")
        self.total_label.setText(text)

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        removed = [self.model.row_removed(r) for r in rows]
        self.buttons["edit"].setEnabled(len(rows) == 1)
        self.buttons["remove"].setEnabled(len(rows) == 1 and not removed[0])
        self.buttons["restore"].setEnabled(len(rows) == 1 and removed[0])

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        for text, slot in self.context_actions():
            action = menu.addAction(text)
            action.triggered.connect(slot)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # keeping current ----------------------------------------------------------------------------
    def concerned(self, changes: Changes) -> bool:
        return changes.reference or (changes.touches(*self.shown_kinds) and changes.touches_unit(self.listing.unit_id))

    def refresh(self) -> None:
        """Reads the rows shown again (as many as were loaded) in the background, keeping the
        selection."""
        db, query, wanted = self.ctx.db, self.model.query, self.model.wanted(keep_loaded=True)
        current = self.current_id()

        def show(rows: list[Row]) -> None:
            if self.model.query != query:
                return  # the clerk searched or sorted meanwhile: the list shows that already
            selected, self._select_next = self._select_next or current, None
            self.model.show_rows(rows, wanted)
            if selected:
                self.select_id(selected)
            self.refreshed.emit()

        self.ctx.tasks.read(
            lambda _p: self.listing.page(db, query, wanted), on_success=show, parent=self, latest=(id(self), "rows")
        )

    # actions -----------------------------------------------------------------------------------
    def _after_save(self, saved: str | None) -> None:
        """An editor saved (the list has been refreshed by then): select what was saved."""
        if saved:
            self.select_id(saved)

    def edit_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        try:
            self._after_save(EDITORS[self.entity].ask(self, self.ctx, record_id))
        except Exception as exc:  # e.g. the record vanished in a merge
            show_error(self, exc)

    def remove_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        name = self.model.cell(self.selected_rows()[0], self.listing.columns[0].key)
        reason = ReasonDialog.ask(
            self,
            _tr(self.remove_title),
            self.tr("“{name}”将{word}，记录和历史数据都会保留，以后可以恢复。请填写原因：").format(
                name=name, word=entry.REMOVE_WORD[self.entity]
            ),
            self.remove_reasons,
        )
        if reason is None:
            return
        db, info, entity, unit = self.ctx.db, self.ctx.info, self.entity, self.model.row_unit(self.selected_rows()[0])

        def work(_progress: Progress) -> set[Owner]:
            entry.remove(db, info, entity, record_id, reason)
            return checks.owners_of(db, [(entity, record_id)])

        Operation(self, work, lambda owners: Changes.records({entity}, owners, [unit])).run(self.ctx)

    def restore_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        db, info, entity, unit = self.ctx.db, self.ctx.info, self.entity, self.model.row_unit(self.selected_rows()[0])

        def work(_progress: Progress) -> set[Owner]:
            entry.restore(db, info, entity, record_id)
            return checks.owners_of(db, [(entity, record_id)])

        Operation(self, work, lambda owners: Changes.records({entity}, owners, [unit])).success(
            lambda _owners: self.select_id(record_id)
        ).run(self.ctx)

    def print_forms(self) -> None:
        """The selected records' forms (培育表, 调度表) in the print preview; printing (reportlab,
        QtPdf) is loaded the first time."""
        from hengdong_desktop.ui import printing

        preview = printing.preview_enterprise_forms if self.entity == "enterprise" else printing.preview_project_forms
        ids = self.selected_ids()
        if not ids:
            show_error(self, entry.UserError(self.tr("请先在列表中选择要打印的记录（可按住Ctrl多选）。")))
            return
        try:
            preview(self, self.ctx, ids)
        except Exception as exc:
            show_error(self, exc)

    def raise_problem(self) -> None:
        """登记问题 against the selected enterprise or project."""
        record_id = self.current_id()
        if record_id is None:
            return
        unit = self.model.row_unit(self.selected_rows()[0])
        ProblemEditor.ask(self, self.ctx, None, unit_id=unit, **{f"{self.entity}_id": record_id})


class EnterprisesPage(LibraryPage):
    entity = "enterprise"
    shown_kinds = ("enterprise", "membership")
    title = QT_TRANSLATE_NOOP("LibraryPage", "企业库")
    count_word = QT_TRANSLATE_NOOP("LibraryPage", "户")
    search_hint = QT_TRANSLATE_NOOP("LibraryPage", "搜索企业名称或信用代码中的任意几个字")
    remove_title = QT_TRANSLATE_NOOP("LibraryPage", "调出名录")
    remove_reasons = ("企业注销", "迁出本单位", "不再符合培育条件", "重复录入", "录入错误")  # stored as typed

    def page_actions(self) -> list[tuple[str, str, Callable[[], None]]]:
        return [
            *super().page_actions(),
            ("print", self.tr("打印培育表"), self.print_forms),
            ("problem", self.tr("登记问题…"), self.raise_problem),
        ]


class ProjectsPage(LibraryPage):
    entity = "project"
    shown_kinds = ("project", "enterprise")
    title = QT_TRANSLATE_NOOP("LibraryPage", "项目库")
    count_word = QT_TRANSLATE_NOOP("LibraryPage", "个")
    search_hint = QT_TRANSLATE_NOOP("LibraryPage", "搜索项目名称或项目编号")
    remove_title = QT_TRANSLATE_NOOP("LibraryPage", "删除项目")
    remove_reasons = ("项目取消", "并入其他项目", "重复录入", "录入错误")

    def page_actions(self) -> list[tuple[str, str, Callable[[], None]]]:
        return [
            *super().page_actions(),
            ("print", self.tr("打印项目调度表"), self.print_forms),
            ("problem", self.tr("登记问题…"), self.raise_problem),
        ]


class ProblemsPage(LibraryPage):
    entity = "problem"
    shown_kinds = ("problem", "enterprise", "project")
    title = QT_TRANSLATE_NOOP("LibraryPage", "问题清单")
    count_word = QT_TRANSLATE_NOOP("LibraryPage", "条")
    search_hint = QT_TRANSLATE_NOOP("LibraryPage", "搜索问题描述或企业、项目名称")
    remove_title = QT_TRANSLATE_NOOP("LibraryPage", "删除问题")
    remove_reasons = ("重复录入", "录入错误")

    def page_actions(self) -> list[tuple[str, str, Callable[[], None]]]:
        return [
            *super().page_actions(),
            ("start", self.tr("开始办理"), lambda: self.move_status("办理中")),
            ("solve", self.tr("办结…"), self.solve_current),
        ]

    def move_status(self, status: str) -> None:
        """待办 → 办理中 without opening the editor."""
        record_id = self.current_id()
        if record_id is None:
            return
        db, info = self.ctx.db, self.ctx.info

        def work(_progress: Progress) -> entry.Record:
            record = entry.load(db, "problem", record_id)
            return entry.save(
                db,
                info,
                "problem",
                {**record.values, "status": status},
                record_id=record_id,
                revision=record.revision,
                explanations=record.explanations,
            )

        Operation(self, work, lambda saved: saved_record("problem", record_id, saved.values, saved.unit_id)).success(
            lambda _saved: self._after_save(record_id)
        ).run(self.ctx)

    def solve_current(self) -> None:
        """办结: the editor with 已解决 and today's date filled in; the clerk writes the result."""
        record_id = self.current_id()
        if record_id is None:
            return
        self._after_save(ProblemEditor.ask(self, self.ctx, record_id, status="已解决", solved_on=date.today()))

    def _update_buttons(self) -> None:
        super()._update_buttons()
        rows = self.selected_rows()
        one = len(rows) == 1 and not self.model.row_removed(rows[0])
        status = self.model.cell(rows[0], "status") if one else ""
        self.buttons["start"].setEnabled(one and status == "待办")
        self.buttons["solve"].setEnabled(one and status != "已解决")
