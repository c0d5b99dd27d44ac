"""Where a bad value sits (file, line, column) and the one-line error that names it."""

import difflib
from dataclasses import dataclass
from pathlib import Path

from ccgraph.errors import CcgraphError

_LOOKALIKE = str.maketrans("lio", "110")


@dataclass(frozen=True)
class Place:
    path: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def fail(self, message: str) -> CcgraphError:
        return CcgraphError(f"{self}: {message}")


def place(path: Path | str, line: int, column: int = 1) -> Place:
    return Place(str(path), line, column)


def did_you_mean(value: str, candidates, labels: dict[str, str] | None = None, n: int = 3) -> str:
    """' (did you mean X, Y?)' with the closest candidates (difflib), or '' when none is close.

    labels maps a candidate to a longer description ('A1.1' -> 'A1.1 Customer service ethos'), and
    a value that is close to a label (someone wrote the title) finds its candidate too.
    """
    candidates = list(dict.fromkeys(candidates))
    labels = labels or {}
    pool = {c.lower(): c for c in candidates}
    pool.update({labels[c].lower(): c for c in candidates if c in labels})
    # A letter typed for a look-alike digit (A1.l for A1.1) is the likeliest slip: such a match comes first.
    alike = [c for c in candidates if c.lower().translate(_LOOKALIKE) == value.lower().translate(_LOOKALIKE)]
    close = difflib.get_close_matches(value.lower(), list(pool), n=n * 2, cutoff=0.6)
    found = list(dict.fromkeys([*alike, *(pool[match] for match in close)]))[:n]
    if not found:
        return ""
    return " (did you mean " + ", ".join(repr(labels.get(c, c)) for c in found) + "?)"
