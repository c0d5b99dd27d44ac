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


def competency_printings(seeds: Path) -> dict[str, list[str]]:
    """Section 3.2 table: competency code ('C2.1') -> every printing of its title, in order, '*' kept.

    The extraction merges some rows into one cell ('2.1 Sales planning ... 2.2 Outbound sales') and prints
    garbled copies of others before the clean line ('1.7 Toloropeo*' then '1.7 Tolerance* 1.8 ...')."""
    body = text(seeds)
    table = body[body.index("Category\tSubcategory\tCompetency"):body.index("All of the competencies outlined here")]
    letters = {name: "ABCDEF"[i] for i, name in enumerate(categories(seeds))}
    printed, letter = {}, None
    for line in table.splitlines()[1:]:
        fields = line.split("\t")
        letter = letters.get(fields[0], letter)
        for match in re.finditer(r"(?:^| )(\d+\.\d+) (.+?)(?= \d+\.\d+ |$)", fields[-1]):
            printed.setdefault(f"{letter}{match[1]}", []).append(match[2])
    return printed


# ---------------------------------------------------------------- Appendix One, read by its rule
# An implementation of the reading rule of data/eskills-framework/README.md ("How the matrix was read"),
# from the seed text alone, so that the tests can hold every cell of the graph against it.

CERTAIN, RECONSTRUCTED, UNRESOLVED, NOT_PRINTED = "certain", "reconstructed", "unresolved", "not printed"


def appendix_one(seeds: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The Appendix One header fields and its body lines as (1-based seed line number, TAB fields)."""
    lines = text(seeds).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Appendix One"))
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("Category\tSubcategory\tCompetency"))
    end = next(i for i in range(header, len(lines)) if lines[i].startswith("Key\t"))
    body = [(i + 1, lines[i].split("\t")) for i in range(header + 1, end) if lines[i].strip()]
    return lines[header].split("\t"), body


def _role_fields(fields: list[str]) -> list[list[str]]:
    """The 11 role cells of a 15-field line: New Entrant, Customer Service Advisor, Sales Advisor (the
    header prints it over fields 6 and 7), then one field each (8-15)."""
    cells = [f.strip() for f in fields[3:15]]
    return [[cells[0]], [cells[1]], [cells[2], cells[3]], *([c] for c in cells[4:])]


def _is_clean(parts: list[str]) -> bool:
    digits = [p for p in parts if p]
    return all(re.fullmatch(r"[1-4]?", p) for p in parts) and len(set(digits)) <= 1


def appendix_reading(seeds: Path) -> dict[tuple[str, int], tuple[str, int | None, str]]:
    """(competency code, role index 0-10) -> (status, level, raw) for every cell of categories B-F."""
    header, body = appendix_one(seeds)
    assert len(header) == 15 and all(len(fields) == 15 for _, fields in body)
    titles = {code: {t.rstrip("*").casefold() for t in printed} for code, printed in competency_printings(seeds).items()}

    def label_of(field: str) -> str | None:
        match = re.fullmatch(r"(\d+\.\d+) (\D+)", field.strip())
        if not match:
            return None
        found = [code for code, names in titles.items()
                 if code[1:] == match[1] and match[2].rstrip("*").casefold() in names]
        return found[0] if len(found) == 1 else None

    # R1: the lines that are a competency's row.
    rows = {}
    for number, fields in body:
        code = label_of(fields[2])
        if code is None:
            continue
        label = fields[2].strip().rstrip("*").casefold()
        elsewhere = any(label in other[2].casefold() for n, other in body if n != number)
        overlaid = any(len(re.findall(r"\d", f)) >= 2 for f in fields[3:15])
        if not elsewhere and not overlaid:
            rows[code] = number
    lines = dict(body)
    assigned = set(rows.values())

    reading = {}
    for code in titles:
        if code[0] == "A":
            continue
        number = rows.get(code)
        if number is None:
            for role in range(11):
                reading[(code, role)] = (UNRESOLVED, None, None)
            continue
        cells = _role_fields(lines[number])
        clean = [_is_clean(parts) for parts in cells]
        next_to_fragment = any(n in lines and n not in assigned for n in (number - 1, number + 1))
        run_to_end = set()
        for role in range(10, -1, -1):
            if any(cells[role]):
                break
            run_to_end.add(role)
        for role, parts in enumerate(cells):
            raw = "\t".join(parts)
            digit = next((p for p in parts if p), "")
            if not clean[role] or (role == 2 and not (clean[1] and clean[3])):
                status, level = UNRESOLVED, None
            elif digit:
                status, level = (CERTAIN if all(clean) and role != 2 else RECONSTRUCTED), int(digit)
            elif all(clean) and role not in run_to_end and not next_to_fragment:
                status, level = NOT_PRINTED, None
            else:
                status, level = UNRESOLVED, None
            reading[(code, role)] = (status, level, raw)
    return reading


def matrix_reading(seeds: Path) -> dict[tuple[str, int], tuple[str, int | None, str | None]]:
    """Every cell of the matrix, as the rule reads it: category A from section 3.5 (every cell clean), B-F
    from Appendix One. (code, role index 0-10) -> (status, level, raw; raw None where no line is the row)."""
    reading = {}
    for number, cells in section_3_5(seeds).items():
        for role, value in enumerate(cells):
            reading[(f"A{number}", role)] = (CERTAIN, int(value), value) if value else (NOT_PRINTED, None, "")
    reading.update(appendix_reading(seeds))
    return reading


def nos_correspondence(seeds: Path) -> dict[int, set[int]]:
    """Section 1.3 as printed: framework ability level -> the NOS levels it is said to correspond to."""
    numbers = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
    body = text(seeds)
    section = body[body.index("1.3 The Framework and the National Occupational Standards\n"):]
    bullet = next(line for line in section.splitlines() if line.startswith("- Each level of ability"))
    stated = {}
    for level, nos in re.findall(r"level (\w+) in the Framework correspond\w* to level ((?:\w+)(?: and \w+)*) in the Statements", bullet):
        stated[numbers[level]] = {numbers[word] for word in nos.split(" and ")}
    return stated
