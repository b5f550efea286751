"""Jupyter notebooks: the code cells, in order, read as one Python program.

IPython syntax that is not Python (`%magic`, `%%cell magic`, `!shell`, `x = !shell`, `obj?`) is
blanked out first, keeping every line where it was, so findings point at the cell and line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from gtlint.document import value_mark
from gtlint.request import LabelingJobRequest, Location
from gtlint.sources import python_sdk

# Cell magics whose body is still Python; any other `%%` cell is another language.
_PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
_LINE_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?\?|\?)")
_ASSIGNED_MAGIC = re.compile(r"^(\s*[\w.]+\s*=\s*)[%!].*$")
_HELP = re.compile(r"^(\s*)[\w.]+\?\??\s*$")


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based, counting every cell as Jupyter shows them
    lines: list[str]
    file_lines: list[int]  # the notebook file's line of each source line
    file_columns: list[int]


def is_notebook(document: object) -> bool:
    return isinstance(document, dict) and isinstance(document.get("cells"), list) and "nbformat" in document


def code_cells(document: dict) -> list[Cell]:
    cells = []
    for number, cell in enumerate(document["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        parts = [(str(part), value_mark(source, index)) for index, part in enumerate(source)] \
            if isinstance(source, list) else [(str(source), value_mark(cell, "source"))]
        lines, file_lines, file_columns = [], [], []
        for part, mark in parts:  # a part is one line as nbformat writes it, but may hold several
            for line in part.removesuffix("\n").split("\n"):
                lines.append(line)
                file_lines.append(mark[0] if mark else 0)
                file_columns.append(mark[1] if mark else 0)
        cells.append(Cell(number, lines, file_lines, file_columns))
    return cells


def python_of(cell: Cell) -> str:
    """The cell as Python: IPython-only lines become `pass` (or `None` where a value is assigned)."""
    lines = list(cell.lines)
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in _PYTHON_CELL_MAGICS:
            return "\n" * (len(lines) - 1)
        lines[0] = ""
    return "\n".join(_neutralized(line) for line in lines)


def _neutralized(line: str) -> str:
    assigned = _ASSIGNED_MAGIC.match(line)
    if assigned:
        return f"{assigned.group(1)}None"
    if _LINE_MAGIC.match(line) or _HELP.match(line):
        indent = line[: len(line) - len(line.lstrip())]
        return f"{indent}pass"
    return line


def notebook_requests(document: dict, file: str) -> list[LabelingJobRequest]:
    cells = code_cells(document)
    if not any(python_sdk.CALL in line for cell in cells for line in cell.lines):
        return []
    trees = [python_sdk.parse_python(python_of(cell), f" in cell {cell.number}") for cell in cells]
    return python_sdk.requests_in_python("", file, "notebook", _locator(file, trees, cells), trees)


def _locator(file: str, trees: list[ast.Module], cells: list[Cell]) -> python_sdk.Locate:
    """Locations in the cell a node comes from: its cell and line there, and the notebook file's line."""
    owner = {id(node): cell for tree, cell in zip(trees, cells, strict=True) for node in ast.walk(tree)}

    def locate(node: ast.AST) -> Location:
        cell = owner.get(id(node))
        line = getattr(node, "lineno", 0)
        column = getattr(node, "col_offset", -1) + 1
        if cell is None or not 0 < line <= len(cell.file_lines):
            return Location(file, 0, 0)
        # +1: the file's column of a source line is its opening quote
        return Location(file, cell.file_lines[line - 1], cell.file_columns[line - 1] + column,
                        cell=cell.number, cell_line=line)

    return locate


def suppression_text(document: dict, text: str) -> str:
    """The notebook file with each line that holds a cell's source line replaced by that source line.

    Comment suppressions in cells then work by the file's lines, as findings carry them.
    """
    lines = text.split("\n")
    for cell in code_cells(document):
        for source, line in zip(cell.lines, cell.file_lines, strict=True):
            if 0 < line <= len(lines) and "gtlint" in source:
                lines[line - 1] = source
    return "\n".join(lines)

