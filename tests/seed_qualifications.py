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


def cg_contents_units(seeds: Path) -> list[str]:
    """The unit numbers the Contents list gives a unit page ("Unit 101<TAB>title<TAB>page"), in order."""
    text = cg_text(seeds)
    contents = text[text.index("\nContents\n"):text.index("\n1 Introduction\n")]
    return re.findall(r"^Unit (\d{3})\**\t[^\t]+\t\d+$", contents, re.MULTILINE)


CRITERION = re.compile(r"(?:^|[\s>])(\d+\.\d+)[\t ]+(?=[A-Za-z])", re.MULTILINE)


def _criterion_texts(page: str) -> dict[str, str]:
    """criterion number -> its text: from the number to the next number on the line, or to the line's end.

    A line of lower-case words only (no number, no full stop) carries on the last criterion (the extraction
    wraps long criteria, e.g. unit 309's 2.3 goes on after a blank line with "business needs").
    """
    texts: dict[str, str] = {}
    last = None
    for line in page.splitlines():
        found = list(CRITERION.finditer(line))
        if not found and last and re.fullmatch(r"[a-z][a-z ,'/()-]*", line.strip()):
            texts[last] = f"{texts[last]} {line.strip()}"
            continue
        last = found[-1][1] if found else last
        for here, after in zip(found, found[1:] + [None]):
            texts[here[1]] = line[here.end():after.start() if after else len(line)].strip()
    return texts


def cg_unit_pages(seeds: Path) -> dict[str, dict]:
    """unit number -> the Contact Centre NOS its page links to, its aim, its outcome numbers and criterion numbers.

    On a regular page (no <p> markup) the texts are read too: outcome_texts and criterion_texts map each
    number to its text as printed (only surrounding white space removed). "flat" is the page after the aim,
    markup and line breaks set aside, for the pages whose texts cannot be cut out line by line.
    """
    pages = {}
    text = cg_text(seeds)
    chunks = re.split(r"^Unit (\d{3})\**(?=$| )", text, flags=re.MULTILINE)
    for unit, body in zip(chunks[1::2], chunks[2::2]):
        nos = re.findall(r"linked to Contact Centre NOS (\d+)\.", body)
        aim = re.search(r"^Aim:\t(.+)$", body, re.MULTILINE)
        after_aim = body.split("Aim:", 1)[-1]
        outcomes = re.findall(r"The learner will:[\t ]*\n[\t ]*(\d+)[\t ]", after_aim)
        criteria = CRITERION.findall(after_aim)
        regular = "<p>" not in body
        page = {"nos": nos, "aim": aim[1].strip() if aim else None, "outcomes": outcomes, "criteria": criteria, "regular": regular,
                "flat": " ".join(re.sub(r"<[^>]+>", " ", after_aim).split())}  # the page's words, markup and line breaks set aside
        if regular:
            page["outcome_texts"] = dict(re.findall(r"The learner will:[\t ]*\n[\t ]*(\d+)[\t ]+(.+?)[\t ]*$", after_aim, re.MULTILINE))
            page["criterion_texts"] = _criterion_texts(after_aim)
        pages[unit] = page
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


def ocr_listing_titles(seeds: Path) -> dict[tuple[str, str], str]:
    """(qualification, listing number) -> the title printed after "n. " in the datasheet's unit lists."""
    text = (seeds / OCR_SEED).read_text(encoding="utf-8")
    titles: dict[tuple[str, str], str] = {}
    qualification = group = None
    for line in text.splitlines():
        if m := re.search(r"(?:OCR )?Level (\d) NVQ (?:Certificate|Diploma) in Contact Centre Operations\**, candidates must achieve", line):
            qualification, group = {"2": "10265", "3": "10268", "4": "10269"}[m[1]], None
        elif qualification and re.match(r"^Group ([A-D])\b", line):
            group = line
        elif qualification and group and (m := re.match(r"^(\d+)\. (\S.*?)\s*$", line)):
            titles[(qualification, m[1])] = m[2]
        elif line.startswith("Who is involved"):
            qualification = None
    return titles
