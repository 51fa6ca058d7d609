"""What every printed document shares: A4 portrait, the CJK font, paragraph and table styles,
cells that wrap only when they must, and a footer (print time, verification code, page x / y
counted per form) drawn once each form's page count is known.

A PDF holds one or more *parts* (one form each, or the whole bulletin); a `PartStart` flowable
opens each part on a new page, and the canvas keeps every page until `save()` so that it can
number the pages of each part."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from hengdong_desktop.services.pdf.fonts import PdfFont, pdf_font

Progress = Callable[[int, int, str], None]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
CELL_PADDING = 3
LABEL_BACKGROUND = colors.HexColor("#eef1f5")
YEAR_BACKGROUND = colors.HexColor("#f8f9fb")
SECTION_BACKGROUND = colors.HexColor("#dde4ee")
RULE_COLOUR = colors.HexColor("#333333")
AUTHOR = "衡东县产业发展“百十亿”工程数据填报与汇总系统"
_ALIGN = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}


@dataclass(frozen=True)
class Styles:
    font: PdfFont
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    small: ParagraphStyle
    heading: ParagraphStyle
    cell_size: float


@functools.cache
def styles() -> Styles:
    font = pdf_font()
    base = ParagraphStyle("hd-body", fontName=font.regular, fontSize=9.5, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("hd-cell", parent=base, fontSize=8.5, leading=10.5)
    return Styles(
        font=font,
        body=base,
        cell=cell,
        cell_center=ParagraphStyle("hd-cell-c", parent=cell, alignment=TA_CENTER),
        small=ParagraphStyle("hd-small", parent=base, fontSize=7.5, leading=10, textColor=colors.HexColor("#333333")),
        heading=ParagraphStyle(
            "hd-heading", parent=base, fontName=font.heading, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4
        ),
        cell_size=8.5,
    )


def markup(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def fit_line(text: str, width: float, font_name: str, size: float, suffix: str = "") -> str:
    """`text` + `suffix` on one line, the text shortened with “…” when it would not fit."""
    if stringWidth(text + suffix, font_name, size) <= width:
        return text + suffix
    while text and stringWidth(text + "…" + suffix, font_name, size) > width:
        text = text[:-1]
    return text + "…" + suffix


def cell(text: str, width: float, style: ParagraphStyle | None = None) -> str | Paragraph:
    """A table cell: the plain string when it fits on one line (fast), else a wrapping paragraph."""
    st = style or styles().cell
    if "\n" not in text and stringWidth(text, st.fontName, st.fontSize) <= width - 2 * CELL_PADDING - 0.5:
        return text
    return para(text, st)


ROW_HEIGHT = 14.5
CHUNK_HEIGHT = 84  # a long text is cut into rows of about this height, so pages can break between them
LABEL_WIDTH = 29 * mm
VALUE_WIDTH = CONTENT_WIDTH / 2 - LABEL_WIDTH


def split_text(text: str, width: float, style: ParagraphStyle) -> list[Paragraph]:
    """A long text as consecutive paragraphs of at most CHUNK_HEIGHT each: a table row cannot
    break across pages, so a text longer than a page must become several rows."""
    rest = para(text, style)
    chunks = []
    while True:
        parts = rest.split(width - 2 * CELL_PADDING, CHUNK_HEIGHT)
        if len(parts) < 2:
            chunks.append(rest)
            return chunks
        chunks.append(parts[0])
        rest = parts[1]


class Ruled:
    """Builds a ruled table in the body font. A row may hold one long text (`long_column`): when
    it is too tall it continues over several rows drawn as one cell (no rule and no padding
    between the pieces), so the table can break across pages anywhere in it."""

    def __init__(self, widths: Sequence[float], *, repeat_rows: int = 0) -> None:
        self.widths = list(widths)
        self.repeat_rows = repeat_rows
        self.rows: list[list[Any]] = []
        self.heights: list[float] = []
        self.commands: list[tuple[Any, ...]] = []
        self._continued: set[int] = set()  # rows whose long text goes on in the next row

    def style(self, *commands: tuple[Any, ...]) -> Ruled:
        self.commands += commands
        return self

    def section(self, title: str) -> Ruled:
        """A shaded title row across the table."""
        r = len(self.rows)
        self.add([title] + [""] * (len(self.widths) - 1), spans=[(0, len(self.widths) - 1)])
        return self.style(
            ("BACKGROUND", (0, r), (-1, r), SECTION_BACKGROUND),
            ("FONT", (0, r), (-1, r), styles().font.heading, 9.5),
            ("ALIGN", (0, r), (-1, r), "LEFT"),
        )

    def header(self, cells: Sequence[str], *, spans: Sequence[tuple[int, int]] = ()) -> range:
        """A row of column headings: shaded, centred."""
        rows = self.add(cells, spans=spans, styles_=[styles().cell_center] * len(cells))
        self.style(("BACKGROUND", (0, rows[0]), (-1, rows[-1]), LABEL_BACKGROUND))
        return rows

    def add(
        self,
        cells: Sequence[str | Flowable],
        *,
        min_height: float = ROW_HEIGHT,
        spans: Sequence[tuple[int, int]] = (),
        long_column: int | None = None,
        styles_: Sequence[ParagraphStyle | None] = (),
    ) -> range:
        """Adds a row (plain strings become wrapping cells); returns the table rows it took."""
        first = len(self.rows)
        width = {c: sum(self.widths[c : end + 1]) for c, end in spans}
        row: list[Any] = []
        for c, value in enumerate(cells):
            st = styles_[c] if c < len(styles_) else None
            row.append(cell(value, width.get(c, self.widths[c]), st) if isinstance(value, str) else value)
            if st is not None and isinstance(row[-1], str):  # a plain-string cell aligns by table style
                self.commands.append(("ALIGN", (c, first), (c, first), _ALIGN[st.alignment]))
        pieces: list[Paragraph | None] = [None]  # None: the row as it is
        if long_column is not None and isinstance(cells[long_column], str) and not isinstance(row[long_column], str):
            st = styles_[long_column] if long_column < len(styles_) else None
            pieces = split_text(
                cells[long_column], width.get(long_column, self.widths[long_column]), st or styles().cell
            )
        for n, piece in enumerate(pieces):
            r = len(self.rows)
            if piece is not None:
                if n:  # a continuation row holds only the rest of the long text
                    row = [""] * len(cells)
                    self.commands.append(("TOPPADDING", (0, r), (-1, r), 0))
                row[long_column] = piece  # type: ignore[index]
            if n + 1 < len(pieces):  # no rule and no padding before the next piece
                self._continued.add(r)
                self.commands.append(("BOTTOMPADDING", (0, r), (-1, r), 0))
            self.rows.append(row)
            self.heights.append(min_height if len(pieces) == 1 else 0)
            self.commands += [("SPAN", (c, r), (end, r)) for c, end in spans]
        if len(pieces) > 1:
            self.commands.append(("VALIGN", (0, first), (-1, len(self.rows) - 1), "TOP"))
        return range(first, len(self.rows))

    def build(self) -> Table:
        st = styles()
        t = Table(self.rows, colWidths=self.widths, repeatRows=self.repeat_rows, minRowHeights=self.heights)
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), st.font.regular, st.cell_size, st.cell.leading),
                    ("BOX", (0, 0), (-1, -1), 0.6, RULE_COLOUR),
                    ("LINEAFTER", (0, 0), (-2, -1), 0.6, RULE_COLOUR),
                    *[
                        ("LINEBELOW", (0, r), (-1, r), 0.6, RULE_COLOUR)
                        for r in range(len(self.rows) - 1)
                        if r not in self._continued
                    ],
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    *self.commands,
                ]
            )
        )
        return t


class FieldGrid(Ruled):
    """The label/value grid of a form: two fields on a row, or one field across the row."""

    def __init__(self) -> None:
        super().__init__([LABEL_WIDTH, VALUE_WIDTH, LABEL_WIDTH, VALUE_WIDTH])
        self.style(("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 0), (2, -1), "CENTER"))

    def pair(self, label1: str, value1: str | Flowable, label2: str, value2: str | Flowable) -> FieldGrid:
        rows = self.add([label1, value1, label2, value2])
        self.style(
            ("BACKGROUND", (0, rows[0]), (0, rows[-1]), LABEL_BACKGROUND),
            ("BACKGROUND", (2, rows[0]), (2, rows[-1]), LABEL_BACKGROUND),
        )
        return self

    def wide(self, label: str, value: str | Flowable, min_height: float = ROW_HEIGHT) -> FieldGrid:
        rows = self.add([label, value, "", ""], min_height=min_height, spans=[(1, 3)], long_column=1)
        self.style(("BACKGROUND", (0, rows[0]), (0, rows[-1]), LABEL_BACKGROUND))
        return self


class Title(Flowable):
    """A centred title line; without a bold face the glyphs get a thin stroke (faux bold)."""

    def __init__(self, text: str, size: float = 16, space_after: float = 4, colour: Any = None) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.spaceAfter = space_after
        self.colour = colour  # None: black

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        font = styles().font
        self.width = available_width
        self.font_size = min(
            self.size, self.size * available_width / max(stringWidth(self.text, font.heading, self.size), 1)
        )
        return available_width, self.font_size * 1.4

    def draw(self) -> None:
        font = styles().font
        text = self.canv.beginText()
        text.setFont(font.heading, self.font_size)
        if self.colour is not None:
            self.canv.setFillColor(self.colour)
            self.canv.setStrokeColor(self.colour)
        if not font.heading_is_bold:
            text.setTextRenderMode(2)  # fill and stroke
            self.canv.setLineWidth(self.font_size / 30)
        width = stringWidth(self.text, font.heading, self.font_size)
        text.setTextOrigin((self.width - width) / 2, self.font_size * 0.35)
        text.textOut(self.text)
        self.canv.drawText(text)


def header_line(left: str, right: str) -> Table:
    """The line under a title: unit on the left, period and money unit on the right."""
    st = styles()
    t = Table(
        [[para(left, st.cell), para(right, ParagraphStyle("hd-hr", parent=st.cell, alignment=TA_RIGHT))]],
        colWidths=[CONTENT_WIDTH * 0.5, CONTENT_WIDTH * 0.5],
    )
    t.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("FONT", (0, 0), (-1, -1), st.font.regular),
            ]
        )
    )
    return t


SEAL = 42 * mm  # a unit's round seal (公章) is 42 mm across


def signature_block(filled_by: str = "", note: Flowable | None = None) -> Table:
    """填表人 (the operator, pre-filled)、审核人、日期 on one line and the form's `note` under them;
    on the right a cell at least 42 mm square headed 单位（盖章）, left empty for the unit's round seal
    (pressed over its label, as usual)."""
    st = styles()
    gap = "\u00a0" * 5  # non-breaking: paragraphs collapse ordinary spaces
    seal_column = SEAL + 10 * mm  # the square and the cell's left padding
    left = CONTENT_WIDTH - seal_column
    signers = Table(
        [
            [
                para(f"填表人：{filled_by}", st.body),
                para("审核人：", st.body),
                para(f"日期：{gap}年{gap}月{gap}日", st.body),
            ]
        ],
        colWidths=[left * 0.28, left * 0.26, left * 0.46],  # the date on one line
    )
    signers.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, 0), (-1, -1), st.font.regular),
            ]
        )
    )
    line = 10 * mm
    under = max(
        note.wrap(left - 6, PAGE_HEIGHT)[1] + 6 if note else 0, SEAL - line
    )  # the seal is pressed over its label
    t = Table(
        [[signers, para("单位（盖章）：", st.body)], [note or "", ""]],
        colWidths=[left, seal_column],
        rowHeights=[line, under],
    )
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
                ("SPAN", (1, 0), (1, 1)),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 4 * mm),
                ("FONT", (0, 0), (-1, -1), st.font.regular),
            ]
        )
    )
    return t


# ---------------------------------------------------------------------------------------------
# Parts, page numbers and the footer
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)  # identity matters: two forms with equal content are two parts
class Part:
    title: str  # repeated at the top of continuation pages
    code: str | None = None  # the verification code, for forms


class PartStart(Flowable):
    """Zero-size marker opening a part; tells the canvas (and the progress bar) where it starts."""

    def __init__(self, part: Part) -> None:
        super().__init__()
        self.part = part

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.begin_part(self.part)  # type: ignore[attr-defined]


def _canvas_class(
    printed_at: datetime, total_parts: int, progress: Progress | None, watermark: str | None = None
) -> type[Canvas]:
    stamp = printed_at.strftime("%Y-%m-%d %H:%M")

    class PagedCanvas(Canvas):
        """Keeps each page until save(), then draws every footer knowing its part's page count."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._kept: list[dict[str, Any]] = []
            self._part: Part | None = None
            self._parts_started = 0

        def begin_part(self, part: Part) -> None:
            self._part = part
            self._parts_started += 1
            if progress is not None and total_parts > 1:
                progress(self._parts_started - 1, total_parts, f"正在排版第{self._parts_started}份，共{total_parts}份")

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._kept.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages_of = Counter(id(state["_part"]) for state in self._kept)
            seen: Counter[int] = Counter()
            for state in self._kept:
                self.__dict__.update(state)
                key = id(self._part)
                seen[key] += 1
                self._footer(seen[key], pages_of[key])
                if watermark:
                    self._watermark(watermark)
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, page: int, pages: int) -> None:
            font = styles().font
            part = self._part
            self.saveState()
            self.setFont(font.regular, 7.5)
            self.setFillColor(colors.HexColor("#333333"))
            y = MARGIN_BOTTOM - 9 * mm
            self.drawString(MARGIN_X, y, f"打印时间：{stamp}")
            if part is not None and part.code:
                self.drawCentredString(PAGE_WIDTH / 2, y, f"校验码：{part.code}")
            self.drawRightString(PAGE_WIDTH - MARGIN_X, y, f"第 {page} 页 / 共 {pages} 页")
            if part is not None and page > 1:
                self.drawString(
                    MARGIN_X,
                    PAGE_HEIGHT - MARGIN_TOP + 4 * mm,
                    fit_line(part.title, CONTENT_WIDTH, font.regular, 7.5, "（续）"),
                )
            self.restoreState()

        def _watermark(self, text: str) -> None:
            """A training database's mark across the page, over the content (it must not hide)."""
            self.saveState()
            self.setFont(styles().font.regular, 46)
            self.setFillColor(colors.HexColor("#c00000"))
            self.setFillAlpha(0.16)
            self.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            self.rotate(40)
            for dy in (-170, 0, 170):
                self.drawCentredString(0, dy, text)
            self.restoreState()
            self.saveState()
            self.setFont(styles().font.regular, 8)
            self.setFillColor(colors.HexColor("#c00000"))
            self.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 8 * mm, text)
            self.restoreState()

    return PagedCanvas


def render(
    parts: Sequence[tuple[Part, list[Flowable]]],
    *,
    title: str,
    printed_at: datetime | None = None,
    progress: Progress | None = None,
    watermark: str | None = None,
) -> tuple[bytes, int]:
    """Lays out the parts, each from a new page, with `watermark` across every page when given
    (a training database's documents); returns the PDF and its page count."""
    story: list[Flowable] = []
    for n, (part, flowables) in enumerate(parts):
        if n:
            story.append(PageBreak())
        story.append(PartStart(part))
        story.extend(flowables)
    buffer = BytesIO()
    # the canvas starts in the CJK font, not Helvetica, so that every font in the PDF is embedded
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=AUTHOR,
        creator=AUTHOR,
        subject=title,
        initialFontName=pdf_font().regular,
    )
    # no frame padding: tables are exactly CONTENT_WIDTH wide, flush with the margins
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate("page", [frame])])
    canvas = _canvas_class(printed_at or datetime.now(), len(parts), progress, watermark)
    doc.build(story, canvasmaker=canvas)
    return buffer.getvalue(), doc.page
