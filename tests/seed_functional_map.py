"""Facts read straight from the Functional Map's seed text, for tests to compare the graph against.

Deliberately independent of data/functional-map/*.csv: it reads the raw extraction (tabs between
cells, <b>/<i> markup) so that a transcription error shows up as a difference.
"""

import re
from dataclasses import dataclass
from pathlib import Path

SEED = "004_b9e4e2b2d465afe3.txt"
_TAGS = re.compile(r"</?[bi]>")


@dataclass(frozen=True)
class SeedStandard:
    code: str
    title: str
    function: str
    area: str
    key_area: str
    origin: str  # the Origin column's wording, e.g. "Import"
    source_code: str | None
    source_title: str | None
    reference: str | None  # "(body – suite)" as printed, brackets removed


@dataclass(frozen=True)
class SeedMap:
    key_area_headings: dict[str, str]
    key_area_list: dict[str, str]
    areas: dict[str, tuple[str, str]]  # code -> (title, key area)
    functions: dict[str, tuple[str, str]]  # code -> (title, area)
    standards: dict[str, SeedStandard]


def read(seeds_dir: Path) -> SeedMap:
    text = (seeds_dir / SEED).read_text(encoding="utf-8")
    headings = dict(re.findall(r"Key Area ([A-D]): ([^*\n]+)", text))
    listed = dict(re.findall(r"^\[([A-D])\. ([^\]]+)\]\(#\)$", text, re.MULTILINE))
    areas, functions, standards = {}, {}, {}
    area = function = None
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) != 4 or "GS CC" not in cells[2]:
            continue
        if cells[0]:
            code, title = _TAGS.sub("", cells[0]).split(" ", 1)
            area = code
            areas[code] = (title, code[0])
        if cells[1]:
            code, title = cells[1].strip().split(" ", 1)
            function = code
            functions[code] = (title, area)
        code, title = re.match(r"(GS CC \S+) (.+)", cells[2].strip()).groups()
        origin_cell = _TAGS.sub("", cells[3]).strip()
        origin = next(o for o in ("New NOS based on existing NOS", "New NOS", "Import", "Tailored", "Awaiting approval from UKCES")
                      if origin_cell.startswith(o))
        rest = origin_cell[len(origin):].strip()
        reference = None
        if rest.endswith(")"):
            rest, reference = rest[: rest.rindex("(")].strip(), rest[rest.rindex("(") + 1 : -1].strip()
        source_code, _, source_title = rest.partition(" ") if rest else (None, None, None)
        if source_code == "CC":  # a code with a space: "CC AD1"
            more, _, source_title = source_title.partition(" ")
            source_code = f"CC {more}"
        standards[code] = SeedStandard(code, title, function, area, area[0], origin, source_code, source_title or None, reference)
    return SeedMap(headings, listed, areas, functions, standards)
