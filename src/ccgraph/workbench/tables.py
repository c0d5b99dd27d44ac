"""Small CSV tables an HR person edits in a spreadsheet, read with the place of every cell.

Strict on shape (a header naming known columns, every row as wide as the header), forgiving on
what spreadsheets add (a UTF-8 byte-order mark, blank rows, spaces around values).
"""

import csv
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError
from ccgraph.workbench.places import Place, did_you_mean


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    values: dict[str, str]
    columns: dict[str, int]  # column name -> 1-based position

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")

    def at(self, column: str) -> Place:
        return Place(str(self.path), self.line, self.columns.get(column, 1))

    def fail(self, column: str, message: str) -> CcgraphError:
        return self.at(column).fail(message)


@contextmanager
def opened(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), extra_allowed: bool = False):
    """A CSV table opened, its header read and checked: (reader, header, columns), or a one-line error."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CcgraphError(f"{path}: cannot read it: {error.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise Place(str(path), 1).fail(f"empty file: expected a header row with columns {', '.join(required)}") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise Place(str(path), 1).fail(f"not a readable CSV file: {error}") from None
        yield reader, header, check_header(path, header, required, optional, extra_allowed)


def read(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), extra_allowed: bool = False) -> list[Row]:
    """The rows of one table; a missing or unknown column, or a row of the wrong width, is an error."""
    with opened(path, required, optional, extra_allowed) as (reader, header, columns):
        rows = []
        try:
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    column = min(len(cells), len(header)) + 1
                    raise Place(str(path), reader.line_num, column).fail(
                        f"{len(cells)} cells where the header has {len(header)} columns")
                rows.append(Row(path, reader.line_num, {name: cell.strip() for name, cell in zip(header, cells)}, columns))
        except (csv.Error, UnicodeDecodeError) as error:
            raise Place(str(path), reader.line_num).fail(f"not a readable CSV row: {error}") from None
    return rows


def check_header(path: Path, header: list[str], required, optional, extra_allowed: bool) -> dict[str, int]:
    columns: dict[str, int] = {}
    known = (*required, *optional)
    for position, name in enumerate(header, start=1):
        if not name:
            raise Place(str(path), 1, position).fail("a column with no name in the header")
        if name in columns:
            raise Place(str(path), 1, position).fail(f"column {name!r} appears twice in the header (also column {columns[name]})")
        if not extra_allowed and name not in known:
            raise Place(str(path), 1, position).fail(f"unknown column {name!r}{did_you_mean(name, known)}; "
                                                     f"the columns are {', '.join(known)}")
        columns[name] = position
    missing = [name for name in required if name not in columns]
    if missing:
        near = "".join(did_you_mean(name, [h for h in header if h not in known]) for name in missing[:1])
        raise Place(str(path), 1, len(header) + 1).fail(
            f"missing column {', '.join(repr(m) for m in missing)}{near}; the header must name {', '.join(required)}")
    return columns
