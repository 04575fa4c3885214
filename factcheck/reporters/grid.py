"""A bordered table written row by row, for the report's tables of thousands of rows.

rich's ``Table`` measures every cell of every row before it draws the first line, about
0.7 ms a row: the verdict table of ten thousand disputes took longer than validating them.
A ``Grid`` fixes its column widths from the console's width and ratios once, then wraps and
writes each row as it comes, in the same rounded box as the rich tables around it. Cells
wrap at spaces and fold a word longer than their column, never cut; widths are counted in
terminal cells, so wide characters line up. Every line starts and ends with a border, so no
text from a file starts a line of a CI log, and no line has trailing white space.

A cell is a list of pieces, each ``(text, style)`` starting on a line of its own; text from
files must already be ``terminal_safe``. Styles are applied only when the console colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.cells import cell_len, get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

Piece = tuple[str, str]
Cell = Sequence[Piece]

_BAR, _LINE = "│", "─"
_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


class Grid:
    """Columns sized by ``ratios`` to fill the console's width; rows written as they come."""

    def __init__(
        self, console: Console, stream: TextIO, headers: Sequence[Cell], ratios: Sequence[int]
    ) -> None:
        self.stream = stream
        self.widths = column_widths(console.width, ratios)
        colour = not console.no_color and console.color_system is not None
        self._system = _COLOR_SYSTEMS.get(console.color_system or "") if colour else None
        self._styles: dict[str, Style] = {}
        self._rows = 0
        self.stream.write(self._rule("╭", "┬", "╮") + "\n")
        self._write_cells(headers)

    def row(self, cells: Sequence[Cell]) -> None:
        """Write one row, under a separator line."""
        self.stream.write(self._rule("├", "┼", "┤") + "\n")
        self._write_cells(cells)

    def close(self) -> None:
        """Write the bottom border."""
        self.stream.write(self._rule("╰", "┴", "╯") + "\n")

    def _write_cells(self, cells: Sequence[Cell]) -> None:
        columns = [self._lines(cell, width) for cell, width in zip(cells, self.widths, strict=True)]
        height = max(map(len, columns))
        for lines, width in zip(columns, self.widths, strict=True):
            lines.extend([" " * width] * (height - len(lines)))
        self.stream.write(
            "".join(
                f"{_BAR} {f' {_BAR} '.join(line)} {_BAR}\n" for line in zip(*columns, strict=True)
            )
        )

    def _lines(self, cell: Cell, width: int) -> list[str]:
        """A cell's lines, each styled and padded to the column's width."""
        lines: list[str] = []
        for text, style in cell:
            if len(text) <= width and text.isascii() and text.isprintable():
                pieces = [(text, len(text))]  # the common case: one short, plain line
            else:
                pieces = wrap(text, width)
            for line, size in pieces:
                lines.append(self._styled(line, style) + " " * (width - size))
        return lines

    def _styled(self, text: str, style: str) -> str:
        if self._system is None or not style or not text:
            return text
        parsed = self._styles.get(style)
        if parsed is None:
            parsed = self._styles[style] = Style.parse(style)
        return parsed.render(text, color_system=self._system)

    def _rule(self, left: str, middle: str, right: str) -> str:
        return left + middle.join(_LINE * (width + 2) for width in self.widths) + right


def column_widths(total: int, ratios: Sequence[int]) -> list[int]:
    """The text width of each column: what the borders and padding leave, by ratio."""
    count = len(ratios)
    available = max(total - (count + 1) - 2 * count, count)
    widths = [max(available * ratio // sum(ratios), 1) for ratio in ratios]
    widths[0] += available - sum(widths)
    return widths


def wrap(text: str, width: int) -> list[tuple[str, int]]:
    """Text in lines of at most ``width`` cells, at spaces; a longer word is folded."""
    size = len(text) if text.isascii() else cell_len(text)
    if size <= width and "\n" not in text and "\t" not in text:
        return [(text, size)]
    lines: list[tuple[str, int]] = []
    current, used = "", 0
    for word in text.split():
        length = len(word) if word.isascii() else cell_len(word)
        if current and used + 1 + length <= width:
            current, used = f"{current} {word}", used + 1 + length
            continue
        if current:
            lines.append((current, used))
        while length > width:
            head, word = fold(word, width)
            lines.append((head, cell_len(head)))
            length = cell_len(word)
        current, used = word, length
    if current or not lines:
        lines.append((current, used))
    return lines


def fold(word: str, width: int) -> tuple[str, str]:
    """The first ``width`` cells of a word (at least one character), and the rest; after
    its last hyphen within them if it has one, so an id folds between its parts."""
    cut = width
    if not word.isascii():
        used = 0
        for index, char in enumerate(word):
            used += get_character_cell_size(char)
            if used > width:
                cut = max(index, 1)
                break
        else:
            return word, ""
    hyphen = word.rfind("-", 0, cut)
    if hyphen > 0:
        cut = hyphen + 1
    return word[:cut], word[cut:]
