#!/usr/bin/env python3
"""Generate ccgraph-shaped data at a target size, as N-Quads, for the scale benchmark.

    .venv/bin/python bench/generate.py --triples 1e6 [--seed 1] [--output build/bench/ccgraph-1e6.nq] [--gzip]

The data use the ontology's own classes and properties, in the shapes the real graph has (see
build/ccgraph.trig), spread over the real graph names:
  id/graph/ontology            ontology/*.ttl, as assemble puts it (skip with --no-ontology)
  id/graph/eskills-framework   competency categories > subcategories > competencies (skos:broader /
                               narrower), ability levels 1-4 (ccg:levelNumber), roles with
                               ccg:hasRequirement -> ccg:RoleRequirement (ccg:competency,
                               ccg:abilityLevel, ccg:readingStatus; an Unresolved cell has no level)
  id/graph/functional-map      standards suites and National Occupational Standards (ccg:inSuite,
                               ccg:originType)
  id/graph/city-and-guilds-3412  units (ccg:level, ccg:creditValue, ccg:coversStandard -> NOS) and
                               qualifications (ccg:hasUnitGroup -> ccg:UnitGroup, ccg:includesUnit)
  id/graph/mappings            curated mappings: competency skos:closeMatch / skos:relatedMatch unit,
                               each also reified as a ccg:Mapping (owl:annotatedSource/Property/Target,
                               ccg:inMappingSet, sssom confidence and justification); about 10% of the
                               competencies are left with no mapping, for the completeness query
Proportions follow the real graph (about 6 roles per 36 competencies, 40 requirements per role,
3 NOS and 4 units per competency, 3 mappings per mapped competency). Everything is drawn from one
seeded random generator, so the same --triples and --seed give byte-identical output. Lines are
streamed to the file in blocks (about 1 M quads per 1-2 s); --gzip compresses them (level 1).

A sidecar file (<output>.json) records the counts and the probe the scale queries start from: NOS
N0 is covered by units U0 and U1, which competencies C0-C2 are mapped to, which roles R0-R2 require.
"""

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]

CCG = "https://w3id.org/ccgraph/ontology#"
ID = "https://w3id.org/ccgraph/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
SSSOM = "https://w3id.org/sssom/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
XSD_BOOLEAN = "<http://www.w3.org/2001/XMLSchema#boolean>"
XSD_DOUBLE = "<http://www.w3.org/2001/XMLSchema#double>"


def iri(text: str) -> str:
    return f"<{text}>"


def ccg(name: str) -> str:
    return f"<{CCG}{name}>"


def skos(name: str) -> str:
    return f"<{SKOS}{name}>"


def graph(name: str) -> str:
    return f"<{ID}graph/{name}>"


G_ONTOLOGY, G_ESKILLS, G_MAP, G_QUALS, G_MAPPINGS = (graph(n) for n in (
    "ontology", "eskills-framework", "functional-map", "city-and-guilds-3412", "mappings"))

# Predicates, written once.
TYPE, PREF, NOTATION, IN_SCHEME, BROADER, NARROWER, TOP_OF = (
    RDF_TYPE, skos("prefLabel"), skos("notation"), skos("inScheme"), skos("broader"), skos("narrower"), skos("topConceptOf"))
CLOSE, RELATED = skos("closeMatch"), skos("relatedMatch")
HAS_REQ, COMPETENCY, ABILITY, LEVEL_NUMBER, READING, RAW_TEXT, LOCATOR = (
    ccg("hasRequirement"), ccg("competency"), ccg("abilityLevel"), ccg("levelNumber"), ccg("readingStatus"),
    ccg("rawText"), ccg("sourceLocator"))
LEGAL, MATRIX_POS, PRIMARY_LEVEL = ccg("legalObligation"), ccg("matrixPosition"), ccg("primaryNOSLevel")
IN_SUITE, ORIGIN_TYPE, DEVELOPED_BY = ccg("inSuite"), ccg("originType"), ccg("developedBy")
LEVEL, CREDITS, UAN, COVERS = ccg("level"), ccg("creditValue"), ccg("unitAccreditationNumber"), ccg("coversStandard")
HAS_GROUP, INCLUDES, AWARDED_BY = ccg("hasUnitGroup"), ccg("includesUnit"), ccg("awardedBy")
ANN_SOURCE, ANN_PROPERTY, ANN_TARGET = (f"<{OWL}annotated{n}>" for n in ("Source", "Property", "Target"))
IN_SET, CONFIDENCE, JUSTIFICATION = ccg("inMappingSet"), f"<{SSSOM}confidence>", f"<{SSSOM}mapping_justification>"
MANUAL = "<https://w3id.org/semapv/vocab/ManualMappingCuration>"

C_CATEGORY, C_SUBCATEGORY, C_COMPETENCY, C_ROLE, C_REQUIREMENT, C_LEVEL = (ccg(n) for n in (
    "CompetencyCategory", "CompetencySubcategory", "Competency", "Role", "RoleRequirement", "AbilityLevel"))
C_NOS, C_SUITE, C_ORG, C_UNIT, C_QUAL, C_GROUP, C_MAPPING, C_MAPPING_SET, C_FRAMEWORK = (ccg(n) for n in (
    "NationalOccupationalStandard", "StandardsSuite", "Organisation", "Unit", "Qualification", "UnitGroup",
    "Mapping", "MappingSet", "Framework"))
CERTAIN, RECONSTRUCTED, UNRESOLVED = ccg("Certain"), ccg("Reconstructed"), ccg("Unresolved")
ORIGINS = [ccg(n) for n in ("Imported", "Tailored", "NewBasedOnExisting", "New", "AwaitingApproval")]

ESKILLS = iri(f"{ID}eskills-framework")
LEVELS_SCHEME = iri(f"{ID}eskills-framework/levels")
FUNCTIONAL_MAP = iri(f"{ID}functional-map")
QUALS_SCHEME = iri(f"{ID}city-and-guilds-3412")
MAPPING_SET = iri(f"{ID}mappings/competency-unit-nos")

REQUIREMENTS_PER_ROLE = 40
COMPETENCIES_PER_ROLE_DIVISOR = 6  # one role per 6 competencies
NOS_PER_COMPETENCY = 3
UNITS_PER_COMPETENCY = 4
UNITS_PER_QUALIFICATION = 40
GROUPS = "ABCD"
UNITS_PER_GROUP = 10
MAPPED_SHARE = 0.9
# Triples per competency with the proportions above (measured: generate --triples 1e5 and 1e6).
TRIPLES_PER_COMPETENCY = 130.8


def lit(text: str) -> str:
    return f'"{text}"'


def en(text: str) -> str:
    return f'"{text}"@en'


def integer(n: int) -> str:
    return f'"{n}"^^{XSD_INTEGER}'


class Writer:
    """Buffers N-Quads lines and writes them out in blocks; counts them."""

    def __init__(self, handle, block: int = 200_000):
        self.handle = handle
        self.block = block
        self.lines: list[str] = []
        self.count = 0

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.lines.append(f"{s} {p} {o} {g} .\n")
        if len(self.lines) >= self.block:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.handle.write("".join(self.lines).encode("utf-8"))
            self.count += len(self.lines)
            self.lines = []


def sizes_for(triples: float) -> dict[str, int]:
    competencies = max(62, round(triples / TRIPLES_PER_COMPETENCY))
    subcategories = -(-competencies // 5)
    units = UNITS_PER_COMPETENCY * competencies
    nos = NOS_PER_COMPETENCY * competencies
    return {
        "competencies": competencies,
        "subcategories": subcategories,
        "categories": -(-subcategories // 3),
        "roles": max(11, competencies // COMPETENCIES_PER_ROLE_DIVISOR),
        "nos": nos,
        "suites": max(16, nos // 50),
        "organisations": 12,
        "units": units,
        "qualifications": max(8, units // UNITS_PER_QUALIFICATION),
    }


def ontology_quads(out: Writer) -> None:
    """The ontology, as assemble puts it in its graph; blank nodes renamed in order of appearance
    (the parser's own labels are random), so the output stays byte-identical from run to run."""
    labels: dict[str, str] = {}

    def text(term) -> str:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term.value, f"_:o{len(labels)}")
        return str(term)

    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            out.quad(text(quad.subject), str(quad.predicate), text(quad.object), G_ONTOLOGY)


def generate(out: Writer, sizes: dict[str, int], seed: int) -> dict:
    rng = random.Random(seed)
    n_comp, n_sub, n_cat, n_roles = sizes["competencies"], sizes["subcategories"], sizes["categories"], sizes["roles"]
    n_nos, n_suites, n_orgs, n_units, n_quals = sizes["nos"], sizes["suites"], sizes["organisations"], sizes["units"], sizes["qualifications"]
    q = out.quad

    # ---------------------------------------------------------------- the competency framework
    g = G_ESKILLS
    q(ESKILLS, TYPE, C_FRAMEWORK, g)
    q(ESKILLS, PREF, en("Generated Career and Skills Framework"), g)
    levels = [iri(f"{ID}eskills-framework/level/{n}") for n in range(1, 5)]
    for n, level in enumerate(levels, start=1):
        q(level, TYPE, C_LEVEL, g)
        q(level, PREF, en(("Learning", "Practising", "Enhancing", "Leading")[n - 1]), g)
        q(level, NOTATION, lit(str(n)), g)
        q(level, LEVEL_NUMBER, integer(n), g)
        q(level, IN_SCHEME, LEVELS_SCHEME, g)
    category = [iri(f"{ID}eskills-framework/K{k}") for k in range(n_cat)]
    for k, cat in enumerate(category):
        q(cat, TYPE, C_CATEGORY, g)
        q(cat, PREF, en(f"Category {k}"), g)
        q(cat, NOTATION, lit(f"K{k}"), g)
        q(cat, IN_SCHEME, ESKILLS, g)
        q(cat, TOP_OF, ESKILLS, g)
    subcategory = [iri(f"{ID}eskills-framework/K{s // 3}.{s}") for s in range(n_sub)]
    for s, sub in enumerate(subcategory):
        cat = category[s // 3]
        q(sub, TYPE, C_SUBCATEGORY, g)
        q(sub, PREF, en(f"Subcategory {s}"), g)
        q(sub, NOTATION, lit(f"S{s}"), g)
        q(sub, IN_SCHEME, ESKILLS, g)
        q(sub, BROADER, cat, g)
        q(cat, NARROWER, sub, g)
    competency = [iri(f"{ID}eskills-framework/C{c}") for c in range(n_comp)]
    true, false = f'"true"^^{XSD_BOOLEAN}', f'"false"^^{XSD_BOOLEAN}'
    for c, comp in enumerate(competency):
        sub = subcategory[c // 5]
        q(comp, TYPE, C_COMPETENCY, g)
        q(comp, PREF, en(f"Competency {c}"), g)
        q(comp, NOTATION, lit(f"C{c}"), g)
        q(comp, IN_SCHEME, ESKILLS, g)
        q(comp, BROADER, sub, g)
        q(sub, NARROWER, comp, g)
        q(comp, LEGAL, true if rng.random() < 0.1 else false, g)
        q(comp, LOCATOR, lit(f"generated table, line {c}"), g)

    requirements = 0
    per_role = min(REQUIREMENTS_PER_ROLE, n_comp)
    for r in range(n_roles):
        role = iri(f"{ID}eskills-framework/role/R{r}")
        q(role, TYPE, C_ROLE, g)
        q(role, PREF, en(f"Role {r}"), g)
        q(role, IN_SCHEME, ESKILLS, g)
        q(role, MATRIX_POS, integer(r + 1), g)
        q(role, PRIMARY_LEVEL, integer(1 + r % 5), g)
        chosen = rng.sample(range(n_comp), per_role)
        if r < 3 and 0 not in chosen:  # the probe: roles R0-R2 require C0
            chosen[0] = 0
        for c in chosen:
            req = iri(f"{ID}eskills-framework/role/R{r}/C{c}")
            q(role, HAS_REQ, req, g)
            q(req, TYPE, C_REQUIREMENT, g)
            q(req, COMPETENCY, competency[c], g)
            draw = rng.random()
            if draw < 0.1:
                q(req, READING, UNRESOLVED, g)
                q(req, RAW_TEXT, lit(""), g)
            else:
                q(req, READING, RECONSTRUCTED if draw < 0.2 else CERTAIN, g)
                q(req, ABILITY, levels[rng.randrange(4)], g)
            q(req, LOCATOR, lit(f"generated matrix, column {r + 1}"), g)
            requirements += 1

    # ---------------------------------------------------------------- standards
    g = G_MAP
    q(FUNCTIONAL_MAP, TYPE, C_FRAMEWORK, g)
    orgs = [iri(f"{ID}org/generated-body-{o}") for o in range(n_orgs)]
    for o, org in enumerate(orgs):
        q(org, TYPE, C_ORG, g)
        q(org, PREF, en(f"Generated body {o}"), g)
    suites = [iri(f"{ID}suite/generated-{s}") for s in range(n_suites)]
    for s, suite in enumerate(suites):
        q(suite, TYPE, C_SUITE, g)
        q(suite, PREF, en(f"Generated suite {s}"), g)
        q(suite, DEVELOPED_BY, orgs[s % n_orgs], g)
    nos = []
    for n in range(n_nos):
        suite = n % n_suites
        standard = iri(f"{ID}suite/generated-{suite}/N{n}")
        nos.append(standard)
        q(standard, TYPE, C_NOS, g)
        q(standard, PREF, en(f"Standard {n}"), g)
        q(standard, NOTATION, lit(f"N{n}"), g)
        q(standard, IN_SUITE, suites[suite], g)
        q(standard, IN_SCHEME, suites[suite], g)
        q(standard, ORIGIN_TYPE, ORIGINS[rng.randrange(5)], g)

    # ---------------------------------------------------------------- units and qualifications
    g = G_QUALS
    unit = [iri(f"{ID}city-and-guilds-3412/unit/U{u}") for u in range(n_units)]
    for u, this in enumerate(unit):
        q(this, TYPE, C_UNIT, g)
        q(this, PREF, en(f"Unit {u}"), g)
        q(this, NOTATION, lit(f"U{u}"), g)
        q(this, IN_SCHEME, QUALS_SCHEME, g)
        q(this, LEVEL, integer(1 + rng.randrange(4)), g)
        q(this, CREDITS, integer(1 + rng.randrange(8)), g)
        q(this, UAN, lit(f"G/{u // 1000:03d}/{u % 1000:04d}"), g)
        if u < 2:  # the probe: units U0 and U1 cover N0
            q(this, COVERS, nos[0], g)
        else:
            q(this, COVERS, nos[rng.randrange(n_nos)], g)
            if rng.random() < 0.5:
                q(this, COVERS, nos[rng.randrange(n_nos)], g)
    for k in range(n_quals):
        qual = iri(f"{ID}city-and-guilds-3412/Q{k}")
        q(qual, TYPE, C_QUAL, g)
        q(qual, PREF, en(f"Qualification {k}"), g)
        q(qual, NOTATION, lit(f"Q{k}"), g)
        q(qual, IN_SCHEME, QUALS_SCHEME, g)
        q(qual, LEVEL, integer(1 + k % 4), g)
        q(qual, AWARDED_BY, orgs[k % n_orgs], g)
        for letter in GROUPS:
            group = iri(f"{ID}city-and-guilds-3412/Q{k}/group/{letter}")
            q(qual, HAS_GROUP, group, g)
            q(group, TYPE, C_GROUP, g)
            q(group, NOTATION, lit(letter), g)
            q(group, PREF, en(f"Group {letter}"), g)
            q(group, BROADER, qual, g)
            for u in rng.sample(range(n_units), UNITS_PER_GROUP):
                q(group, INCLUDES, unit[u], g)

    # ---------------------------------------------------------------- curated mappings
    g = G_MAPPINGS
    q(MAPPING_SET, TYPE, C_MAPPING_SET, g)
    mappings, unmapped = 0, 0
    for c, comp in enumerate(competency):
        if c < 3:  # the probe: C0-C2 map to U0 (and two more units)
            targets = [0, *rng.sample(range(1, n_units), 2)]
        elif rng.random() < MAPPED_SHARE:
            targets = rng.sample(range(n_units), 1 + rng.randrange(5))
        else:
            unmapped += 1
            continue
        for u in targets:
            relation = CLOSE if rng.random() < 0.4 else RELATED
            q(comp, relation, unit[u], g)
            mapping = iri(f"{ID}mappings/competency-unit-nos/C{c}/U{u}")
            q(mapping, TYPE, C_MAPPING, g)
            q(mapping, ANN_SOURCE, comp, g)
            q(mapping, ANN_PROPERTY, relation, g)
            q(mapping, ANN_TARGET, unit[u], g)
            q(mapping, IN_SET, MAPPING_SET, g)
            q(mapping, CONFIDENCE, f'"{rng.randrange(20, 101) / 100}"^^{XSD_DOUBLE}', g)
            q(mapping, JUSTIFICATION, MANUAL, g)
            mappings += 1
    return {"requirements": requirements, "mappings": mappings, "unmapped_competencies": unmapped}


def parse_size(text: str) -> int:
    return int(float(text))


def default_output(triples: int) -> Path:
    exponent = len(str(triples)) - 1
    name = f"1e{exponent}" if triples == 10 ** exponent else str(triples)
    return ROOT / "build" / "bench" / f"ccgraph-{name}.nq"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=parse_size, required=True, help="target size, e.g. 1e5, 1e6, 1e7")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", "-o", type=Path, default=None, help="default: build/bench/ccgraph-<size>.nq[.gz]")
    parser.add_argument("--gzip", action="store_true", help="compress the output (gzip level 1)")
    parser.add_argument("--no-ontology", action="store_true", help="leave out the ontology graph")
    args = parser.parse_args()

    output = args.output or default_output(args.triples)
    if args.gzip and output.suffix != ".gz":
        output = output.with_name(output.name + ".gz")
    output.parent.mkdir(parents=True, exist_ok=True)
    sizes = sizes_for(args.triples)
    started = time.perf_counter()
    partial = output.with_name(output.name + ".part")
    opener = (lambda p: gzip.open(p, "wb", compresslevel=1)) if args.gzip else (lambda p: open(p, "wb"))
    with opener(partial) as handle:
        out = Writer(handle)
        if not args.no_ontology:
            ontology_quads(out)
        extra = generate(out, sizes, args.seed)
        out.flush()
    partial.rename(output)
    seconds = time.perf_counter() - started
    info = {"file": str(output), "target": args.triples, "quads": out.count, "seed": args.seed, "sizes": sizes, **extra,
            "probe": {"nos": "N0", "units": ["U0", "U1"], "competencies": ["C0", "C1", "C2"], "roles": ["Role 0", "Role 1", "Role 2"]},
            "seconds": round(seconds, 2)}
    Path(str(output) + ".json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {output}: {out.count} quads (target {args.triples}) in {seconds:.1f} s "
          f"({out.count / seconds / 1e6:.2f} M quads/s), {output.stat().st_size / 1e6:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
