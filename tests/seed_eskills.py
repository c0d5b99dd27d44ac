"""Facts read straight from the e-skills seed (000) and its summary (001), independent of data/."""

import re
from pathlib import Path

SEED = "000_0474dc13b7c2c3fe.txt"
SUMMARY = "001_43bff50ea3ba2dee.txt"


def text(seeds: Path) -> str:
    return (seeds / SEED).read_text(encoding="utf-8")


def roles(seeds: Path) -> list[str]:
    """The role names of section 3.3, in printed order."""
    body = text(seeds)
    section = body[body.index("The following roles are utilised"):body.index("3.4 Levels of ability")]
    return [line.split("\t")[0].strip() for line in section.splitlines()[1:] if "\t" in line]


def categories(seeds: Path) -> list[str]:
    """The category names of section 3.2, in printed order."""
    body = text(seeds)
    section = body[body.index("The competencies are divided into the following categories:"):body.index("Categories, Subcategories and Competencies")]
    return [line.split("\t")[0] for line in section.splitlines()[1:] if "\t" in line]


def competencies(seeds: Path) -> set[tuple[str, str]]:
    """(category letter, printed number) of every competency in the section 3.2 table."""
    body = text(seeds)
    table = body[body.index("Category\tSubcategory\tCompetency"):body.index("All of the competencies outlined here")]
    letters = {name: "ABCDEF"[i] for i, name in enumerate(categories(seeds))}
    found, letter = set(), None
    for line in table.splitlines()[1:]:
        first = line.split("\t")[0]
        if first in letters:
            letter = letters[first]
        for code in re.findall(r"(?:^|\t| )(\d+\.\d+) [A-Z]", line):
            found.add((letter, code))
    return found


def section_3_5(seeds: Path) -> dict[str, list[str]]:
    """Category A of the section 3.5 matrix: '1.1' -> the 11 role cells as printed (digit or '')."""
    body = text(seeds)
    section = body[body.index("3.5 Example of the Contact Centre"):body.index("\nKey\t")]
    rows = {}
    for line in section.splitlines():
        fields = line.split("\t")
        if len(fields) == 14 and (m := re.match(r"^(\d\.\d) [A-Z]", fields[2])):
            rows.setdefault(m[1], [f.strip() for f in fields[3:14]])  # a later garbled repeat is not a row
    return rows


def stated_competency_count(seeds: Path) -> int:
    match = re.search(r"A total of (\d+) competencies", (seeds / SUMMARY).read_text(encoding="utf-8"))
    return int(match[1])
