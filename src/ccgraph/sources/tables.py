"""Reading transcription tables (CSV) with errors that name the file and line."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError


@dataclass(frozen=True)
class Row:
    """One CSV row with the place it came from, so errors and provenance can name it."""

    path: Path
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str) -> str:
        return self.values.get(column, "") or ""

    def fail(self, message: str) -> CcgraphError:
        return CcgraphError(f"{self.path}:{self.line}: {message}")


def read_table(path: Path, required: tuple[str, ...], nonempty: tuple[str, ...] = ()) -> list[Row]:
    """Rows of a CSV file whose header holds the required columns; values are stripped.

    Columns named in nonempty must have a value on every row.
    """
    if not path.is_file():
        raise CcgraphError(f"{path}: transcription table missing")
    with io.StringIO(_text(path), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise CcgraphError(f"{path}:1: missing column(s) {', '.join(missing)}")
        rows = []
        for record in reader:
            if None in record:
                raise CcgraphError(f"{path}:{reader.line_num}: more cells than header columns")
            values = {key: (value or "").strip() for key, value in record.items()}
            row = Row(path, reader.line_num, values)
            for column in nonempty:
                if not values.get(column):
                    raise row.fail(f"empty {column}")
            rows.append(row)
    return rows


def _text(path: Path) -> str:
    """The table's text; a byte that is not UTF-8 is a one-line error naming the line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise CcgraphError(f"{path}:{line}: not UTF-8 text: byte 0x{data[error.start]:02x} at column {column} "
                           "(save the table as UTF-8)") from None
