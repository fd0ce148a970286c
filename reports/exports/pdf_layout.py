"""A4 pages for the PDF export, filled top to bottom: wrapped text, headings, chart axes and
tables drawn cell by cell, so long tables break across pages with their headers repeated.

Drawn with matplotlib's object API (``Figure``, no pyplot), so it keeps no global state and is
safe in a web or Celery worker; every page is one figure in A4 portrait whose coordinates are
inches from the top left. matplotlib is imported only when a page is drawn.
"""

import textwrap
from typing import TYPE_CHECKING, Any

from reports.exports.common import SUPPRESSED, TEXT, cell_text, period_text, plain_frame, typed_rows
from reports.report import Report, Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

A4 = (8.27, 11.69)  # inches, portrait
MARGIN, TOP, BOTTOM = 0.6, 0.7, 0.8
WIDTH = A4[0] - 2 * MARGIN
BLUE, GREEN, AMBER, GREY, INK = "#2E6DA4", "#2E8B57", "#C77C02", "#666666", "#1A1A1A"
FONT = 8  # table text, points
CHAR = FONT * 0.6 / 72  # inches per character of DejaVu Sans at FONT (digits are widest)
BOLD = FONT * 0.68 / 72  # the same, bold
LINE = FONT * 1.3 / 72  # inches per line of table text
PAD = 0.16  # inches of space inside a table column
LABEL_CHARS = 36  # the first column wraps at this many characters


class Pages:
    """A4 pages filled top to bottom; ``y`` is inches from the top of the current page."""

    def __init__(self, pdf: "PdfPages", report: Report) -> None:
        self.pdf, self.report = pdf, report
        self.number, self.y = 0, TOP
        self._page: tuple[Figure, Axes] | None = None

    @property
    def fig(self) -> "Figure":
        """The current page's figure (a page must be open: see ``ensure``)."""
        if self._page is None:
            raise RuntimeError("No page is open: call new_page() or ensure() first.")
        return self._page[0]

    @property
    def ax(self) -> "Axes":
        """The current page's whole-page axes, in inches from the top left."""
        if self._page is None:
            raise RuntimeError("No page is open: call new_page() or ensure() first.")
        return self._page[1]

    def new_page(self) -> None:
        from matplotlib.figure import Figure

        self.finish()
        self.number += 1
        fig = Figure(figsize=A4)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, A4[0])
        ax.set_ylim(A4[1], 0)
        ax.axis("off")
        self._page = fig, ax
        self.y = TOP

    def finish(self) -> None:
        if self._page is None:
            return
        footer = f"Funder report · {period_text(self.report)} · page {self.number}"
        self.ax.text(A4[0] / 2, A4[1] - 0.4, footer, ha="center", fontsize=7, color=GREY)
        self.pdf.savefig(self.fig)
        self._page = None

    def room(self) -> float:
        return A4[1] - BOTTOM - self.y

    def ensure(self, height: float) -> None:
        if self._page is None or self.room() < height:
            self.new_page()

    def text(self, text: str, size: float = 10, gap: float = 0.06, **style: Any) -> None:
        chars = max(int(WIDTH / (size * 0.55 / 72)), 20)
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(paragraph, chars) or [""]:
                height = size * 1.35 / 72
                self.ensure(height)
                self.ax.text(
                    MARGIN, self.y, line, fontsize=size, va="top", **{"color": INK, **style}
                )
                self.y += height
        self.y += gap

    def heading(self, text: str, size: float = 15, keep_with: float = 1.5) -> None:
        self.ensure(keep_with + size / 72)
        self.y += 0.05
        self.text(text, size=size, weight="bold", gap=0.12)

    def chart(self, height: float, left: float = 0.0, below: float = 0.5) -> "Axes":
        """Axes for a chart ``height`` inches tall; ``left`` and ``below`` inches are kept for
        its labels."""
        self.ensure(height + below)
        x, w = MARGIN + left, WIDTH - left - 0.1
        rect = (x / A4[0], 1 - (self.y + height) / A4[1], w / A4[0], height / A4[1])
        axes = self.fig.add_axes(rect)
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        axes.tick_params(labelsize=8)
        self.y += height + below
        return axes

    def table(self, table: Table) -> None:
        frame = plain_frame(table)
        rows = [[(cell_text(v, k), k) for v, k in cells] for cells in typed_rows(table, frame)]
        headers = list(frame.columns)
        numeric = [  # right-aligned: numbers, "n/a" and "<5"
            bool(rows) and all(k != TEXT or SUPPRESSED.match(t) for t, k in (r[col] for r in rows))
            for col in range(len(headers))
        ]
        cells = [
            [textwrap.fill(t, LABEL_CHARS) if col == 0 else t for col, (t, _) in enumerate(row)]
            for row in rows
        ]
        # Headers wrap at a few words a line; narrower still if that keeps the table on the page.
        for header_chars in (14, 10, 7):
            wrapped, widths = [], []
            for col, name in enumerate(headers):
                longest = max((len(ln) for r in cells for ln in r[col].split("\n")), default=0)
                header = textwrap.fill(name, max(longest, header_chars), break_long_words=False)
                wrapped.append(header)
                header_width = max(len(line) for line in header.split("\n")) * BOLD
                widths.append(min(max(longest * CHAR, header_width) + PAD, WIDTH / 2))
            if sum(widths) <= WIDTH:
                break
        # Columns beyond the page's width go on in a further block, the first column repeated.
        groups: list[list[int]] = []
        current: list[int] = []
        used = widths[0]
        for col in range(1, len(headers)):
            if current and used + widths[col] > WIDTH:
                groups.append(current)
                current, used = [], widths[0]
            current.append(col)
            used += widths[col]
        groups.append(current)
        for n, group in enumerate(groups):
            self._table_block(table, n > 0, [0, *group], wrapped, widths, numeric, cells)

    def _table_block(
        self,
        table: Table,
        continued: bool,
        columns: list[int],
        headers: list[str],
        widths: list[float],
        numeric: list[bool],
        cells: list[list[str]],
    ) -> None:
        """One block of a table's columns: its title and header (repeated on each new page),
        then its rows striped, then a rule under the last."""
        from matplotlib.patches import Rectangle

        ax = self.ax
        lines = max(h.count("\n") + 1 for h in (headers[c] for c in columns))
        header_h = lines * LINE + 0.08
        row_hs = [max(r[c].count("\n") + 1 for c in columns) * LINE + 0.06 for r in cells]
        first_row = row_hs[0] if row_hs else LINE
        lefts, x = [], MARGIN
        for c in columns:
            lefts.append(x)
            x += widths[c]
        total = x - MARGIN

        def title_and_header(suffix: str) -> None:
            self.ensure(0.5 + header_h + first_row)
            self.text(table.title + suffix, size=10, weight="bold", gap=0.02)
            if table.note and not suffix:
                self.text(table.note, size=7.5, style="italic", gap=0.02)
            self.ax.add_patch(Rectangle((MARGIN, self.y), total, header_h, color="#DDE5EE"))
            for left, c in zip(lefts, columns, strict=True):
                self._cell(left, widths[c], self.y, headers[c], numeric[c], weight="bold")
            self.y += header_h

        title_and_header(" (continued)" if continued else "")
        ax = self.ax
        if not cells:
            self.text("None in this period.", size=FONT, style="italic")
        for i, (row, height) in enumerate(zip(cells, row_hs, strict=True)):
            if self.room() < height:
                self.new_page()
                title_and_header(" (continued)")
                ax = self.ax
            if i % 2:
                ax.add_patch(Rectangle((MARGIN, self.y), total, height, color="#F3F5F8"))
            for left, c in zip(lefts, columns, strict=True):
                self._cell(left, widths[c], self.y, row[c], numeric[c])
            self.y += height
        ax.plot([MARGIN, MARGIN + total], [self.y, self.y], color="#6B7B8C", lw=0.6)
        self.y += 0.25

    def _cell(
        self, left: float, width: float, top: float, text: str, numeric: bool, **style: Any
    ) -> None:
        x, ha = (left + width - PAD / 2, "right") if numeric else (left + PAD / 2, "left")
        self.ax.text(
            x,
            top + 0.04,
            text,
            fontsize=FONT,
            va="top",
            ha=ha,
            color=INK,
            linespacing=1.15,
            **style,
        )
