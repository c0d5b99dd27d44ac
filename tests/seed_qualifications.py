"""Facts read straight from the qualification seeds (003 City & Guilds, 002 OCR), independent of data/.

Only the table rows and unit-page lines whose shape is regular are read; tests compare the graph
with these figures.
"""

import re
from collections import defaultdict
from pathlib import Path

CG_SEED = "003_8321c74646ce9f55.txt"
OCR_SEED = "002_545bdd81e066066f.txt"
UNIT_ROW = re.compile(r"^([A-Z]/\d{3}/\d{4})\t(\d{3})\**\t([^\t]+)\t(\d)\t(\d+)\t(\d+)")


def cg_text(seeds: Path) -> str:
    return (seeds / CG_SEED).read_text(encoding="utf-8")


def cg_qualifications(seeds: Path) -> dict[str, dict]:
    """number -> title (at a glance), QAN, and the credits the structure section states."""
    text = cg_text(seeds)
    found = {}
    for title, number, qan in re.findall(r"^(Level \d [^\t]+)\t(3412-0\d)\t(\d{3}/\d{4}/[0-9X])$", text, re.MULTILINE):
        found[number] = {"title": title, "qan": qan}
    for qan, total, at_level, level in re.findall(
            r"\(QAN (\S+)\)\n\nTo achieve .*? must achieve \*\*(\d+)\*\* credits of which at least (\d+) credits must be at level (\d)", text):
        number = next(n for n, q in found.items() if q["qan"] == qan)
        found[number].update(total=int(total), at_level=int(at_level), level=int(level))
    return found


def cg_group_units(seeds: Path) -> dict[tuple[str, str], set[str]]:
    """(qualification, group letter) -> unit numbers, from the structure tables."""
    text = cg_text(seeds)
    structure = text[text.index("Structure"):text.index("Total Qualification Time")]
    qans = {q["qan"]: n for n, q in cg_qualifications(seeds).items()}
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    qualification = group = None
    for line in structure.splitlines():
        if m := re.search(r"\(QAN (\S+)\)", line):
            qualification = qans[m[1]]
        elif m := re.search(r"(?:Mandatory|Optional) Group ([A-Z])", line):
            group = m[1]
        elif m := UNIT_ROW.match(line):
            groups[(qualification, group)].add(m[2])
    return groups


def cg_units(seeds: Path) -> dict[str, dict]:
    """unit number -> UAN, level, GLH, credit and every title printed for it in the tables."""
    units: dict[str, dict] = {}
    rows = (match.groups() for match in map(UNIT_ROW.match, cg_text(seeds).splitlines()) if match)
    for uan, unit, title, level, glh, credit in rows:
        entry = units.setdefault(unit, {"uan": uan, "level": int(level), "glh": int(glh), "credit": int(credit), "titles": set()})
        entry["titles"].add(title.strip())
    return units


def cg_unit_pages(seeds: Path) -> dict[str, dict]:
    """unit number -> the Contact Centre NOS its page links to, its outcome numbers and criterion numbers."""
    pages = {}
    text = cg_text(seeds)
    chunks = re.split(r"^Unit (\d{3})\**(?=$| )", text, flags=re.MULTILINE)
    for unit, body in zip(chunks[1::2], chunks[2::2]):
        nos = re.findall(r"linked to Contact Centre NOS (\d+)\.", body)
        after_aim = body.split("Aim:", 1)[-1]
        outcomes = re.findall(r"The learner will:[\t ]*\n[\t ]*(\d+)[\t ]", after_aim)
        criteria = re.findall(r"(?:^|[\s>])(\d+\.\d+)[\t ]+(?=[A-Za-z])", after_aim, re.MULTILINE)
        pages[unit] = {"nos": nos, "outcomes": outcomes, "criteria": criteria, "regular": "<p>" not in body}
    return pages


def ocr_listings(seeds: Path) -> dict[str, dict[str, list[str]]]:
    """qualification -> group letter -> the listing numbers, from the datasheet's unit lists."""
    text = (seeds / OCR_SEED).read_text(encoding="utf-8")
    listings: dict[str, dict[str, list[str]]] = {}
    qualification = group = None
    for line in text.splitlines():
        if m := re.search(r"(?:OCR )?Level (\d) NVQ (?:Certificate|Diploma) in Contact Centre Operations\**, candidates must achieve", line):
            qualification = {"2": "10265", "3": "10268", "4": "10269"}[m[1]]
            listings[qualification] = {}
        elif qualification and (m := re.match(r"^Group ([A-D])\b", line)):
            group = m[1]
            listings[qualification][group] = []
        elif qualification and group and (m := re.match(r"^(\d+)\. \S", line)):
            listings[qualification][group].append(m[1])
        elif line.startswith("Who is involved"):
            qualification = None
    return listings
