"""Audit checks of the sources against each other, mixed into ccgraph.checks.audit.Auditor.

Each method reads the store with a few set-based SELECTs and adds findings through the auditor's
`add`, which gives them their kind (audit.CHECK_KINDS), severity and action:

- levels-disagree-along-trace: a curated unit <-> competency mapping whose unit level no role needs
  (section 1.3's correspondence, stated or inferred), one review note per competency;
- eligibility-differs-between-awarding-bodies: age groups of one level's qualifications (002 line 33, 003 line 15);
- imported-title-differs: a Functional Map NOS imported under another title than the standard it imports;
- reference-order-differs / source-code-unlike-its-suite: a Functional Map reference or source code
  printed unlike the rest of the map;
- standard-attributed-differently: one standard (same title) in different suites or bodies;
- unit-printed-differently: a unit's figures in the tables, contents or summary table against its unit page.
"""

import re
from collections import Counter, defaultdict

SSSOM = "https://w3id.org/sssom/"


def words(text) -> set[str]:
    """The words and codes of a text, lower case: '3412-03', 'L/503/0394' and 'clusters' from '(clusters)'."""
    return set(re.findall(r"\w[\w&./-]*", str(text or "").lower()))


def ratio(done: int, total: int) -> dict:
    return {"covered": done, "total": total, "percent": round(100.0 * done / total, 1) if total else 100.0}


def _normal(title: str) -> str:
    return re.sub(r"\s+", " ", str(title)).strip().rstrip(".").casefold()


def _code_shape(code: str) -> str:
    """'SMA1.1' -> 'A9.9', '4.4.4' -> '9.9.9', 'B10' -> 'A9'."""
    return re.sub(r"[A-Za-z&]+", "A", re.sub(r"\d+", "9", str(code)))


def _levels(numbers) -> str:
    numbers = sorted(numbers)
    return str(numbers[0]) if len(numbers) == 1 else ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


class SourceChecks:
    """Mixed into Auditor: uses self.select, self.add, self.entity, self.label, self.locator, self.coverage."""

    # ------------------------------------------------------------ competencies, units and section 1.3

    def level_disagreements(self) -> None:
        """A curated mapping of a unit to a competency, where the unit's level is none of the NOS levels at
        which any role needs the competency (section 1.3: ability level -> NOS levels). Roles need one
        competency at different levels, and a unit serves the roles at its own level, so a unit that some
        role's level matches is not reported. One finding per competency, naming its units; it says when a
        correspondence it rests on is inferred (ccg:inferredCorrespondsToNOSLevel, or a reconstructed
        ability level) rather than stated."""
        correspondence: dict[int, dict[int, bool]] = defaultdict(dict)  # ability level -> NOS level -> inferred
        for number, stated, inferred, reconstructed in self.select("""
                SELECT DISTINCT ?number ?stated ?inferred ?reconstructed WHERE {
                  ?level ccg:levelNumber ?number .
                  OPTIONAL { ?level ccg:correspondsToNOSLevel ?stated }
                  OPTIONAL { ?level ccg:inferredCorrespondsToNOSLevel ?inferred }
                  BIND (EXISTS { ?level ccg:readingStatus ccg:Reconstructed } AS ?reconstructed)
                }"""):
            if stated is not None:
                correspondence[int(number)][int(stated)] = bool(reconstructed) or correspondence[int(number)].get(int(stated), False)
            if inferred is not None:
                correspondence[int(number)].setdefault(int(inferred), True)
        needs: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))  # competency -> role -> ability levels
        for competency, role, number in self.select("""
                SELECT DISTINCT ?competency ?role ?number WHERE {
                  ?role ccg:hasRequirement ?requirement .
                  ?requirement ccg:competency ?competency ; ccg:abilityLevel/ccg:levelNumber ?number .
                }"""):
            needs[competency][role].add(int(number))
        mapped: dict[str, dict[str, dict]] = defaultdict(dict)  # competency -> unit -> {level, links}
        for competency, unit, level, predicate, confidence in self.select(f"""
                SELECT DISTINCT ?competency ?unit ?level ?predicate ?confidence WHERE {{
                  ?mapping a ccg:Mapping ; owl:annotatedProperty ?predicate .
                  {{ ?mapping owl:annotatedSource ?competency ; owl:annotatedTarget ?unit }}
                  UNION {{ ?mapping owl:annotatedSource ?unit ; owl:annotatedTarget ?competency }}
                  ?competency a ccg:Competency . ?unit a ccg:Unit ; ccg:level ?level .
                  OPTIONAL {{ ?mapping <{SSSOM}confidence> ?confidence }}
                }}"""):
            entry = mapped[competency].setdefault(unit, {"level": int(level), "links": set()})
            link = predicate.rsplit("#", 1)[-1]
            entry["links"].add(link if confidence is None else f"{link}, confidence {float(confidence):g}")
        decided = agreeing = 0
        for competency, units in sorted(mapped.items()):
            roles = needs.get(competency)
            if not roles or any(not correspondence.get(a) for levels in roles.values() for a in levels):
                continue  # no role needs it, or a level section 1.3 gives no NOS level for: nothing to hold the unit against
            wanted = {n for levels in roles.values() for a in levels for n in correspondence[a]}
            decided += len(units)
            outside = sorted((u for u, e in units.items() if e["level"] not in wanted), key=lambda u: self.entity(u).notation)
            agreeing += len(units) - len(outside)
            if not outside:
                continue
            by_ability: dict[int, list[str]] = defaultdict(list)
            for role, levels in roles.items():
                for a in levels:
                    by_ability[a].append(self.label(role) or self.entity(role).notation)
            asked = "; ".join(
                f"ability level {a} (NOS level{'s' if len(correspondence[a]) > 1 else ''} {_levels(correspondence[a])}"
                f"{', inferred' if any(correspondence[a].values()) else ''}): {', '.join(sorted(names))}"
                for a, names in sorted(by_ability.items()))
            listed = ", ".join(f"{self.entity(u).notation} (level {units[u]['level']}; {'; '.join(sorted(units[u]['links']))})"
                               for u in outside)
            inferred = sorted(a for a in by_ability if any(correspondence[a].values()))
            caveat = (f" The NOS level of ability level(s) {', '.join(map(str, inferred))} is inferred from section 1.3's "
                      "'This mapping continues as the ability levels ascend', not stated." if inferred else "")
            self.add("levels-disagree-along-trace",
                     f"Competency {self.entity(competency).notation} ({self.label(competency)}) is mapped to unit(s) {listed}, "
                     f"whose level no role needs it at: the roles ask for {asked}.{caveat}",
                     [competency, *outside], key=self.entity(competency).notation)
        if decided:
            self.coverage["curated unit-competency mappings whose unit level a role needs"] = ratio(agreeing, decided)

    # ------------------------------------------------------------ awarding bodies

    def eligibility_differs(self) -> None:
        """Two awarding bodies' qualifications of one level open to different ages (ccg:ageEligibility)."""
        ages: dict[str, tuple] = {}
        for q, statement, group, minimum in self.select("""
                SELECT DISTINCT ?q ?statement ?group ?minimum WHERE {
                  ?q ccg:ageEligibility ?statement . ?statement ccg:ageGroup ?group .
                  OPTIONAL { ?statement ccg:minimumAge ?minimum }
                }"""):
            ages[q] = (statement, str(group), None if minimum is None else int(minimum))
        for level, a, b in self.same_level_pairs():
            if a not in ages or b not in ages or ages[a][2] == ages[b][2]:
                continue

            def said(q):
                statement, group, minimum = ages[q]
                who = f"approved for candidates aged {minimum} and over" if minimum is not None else "open to candidates of any age"
                return f"{self.entity(q).notation} is {who} ('{self.label(statement)}')"

            self.add("eligibility-differs-between-awarding-bodies",
                     f"Level {level}: {said(a)}, but {said(b)}.", [a, b],
                     [self.locator(ages[a][0]), self.locator(ages[b][0])], locate_entities=False)

    # ------------------------------------------------------------ the Functional Map against itself

    def imported_titles(self) -> None:
        """An imported NOS keeps the title of the standard it imports; a tailored or new one need not."""
        standards: dict[str, dict] = {}
        for nos, title, parent, printed in self.select("""
                SELECT DISTINCT ?nos ?title ?parent ?printed WHERE {
                  ?nos ccg:originType ccg:Imported ; skos:prefLabel ?title ; ccg:derivedFrom ?parent .
                  { ?parent skos:prefLabel ?printed } UNION { ?parent skos:altLabel ?printed }
                }"""):
            entry = standards.setdefault(nos, {"title": str(title), "parent": parent, "printed": set()})
            entry["printed"].add(str(printed))
        for nos, entry in sorted(standards.items()):
            if entry["title"] in entry["printed"]:
                continue
            parent = entry["parent"]
            near = any(_normal(entry["title"]) == _normal(p) for p in entry["printed"])
            self.add("imported-title-differs",
                     f"{self.entity(nos).notation} is printed as an Import of {self.entity(parent).notation} "
                     f"'{self.label(parent)}', but is titled '{entry['title']}'"
                     f"{' (they differ only in capitals or spacing)' if near else ''}: an imported standard keeps its title.",
                     [nos, parent])

    def reference_orders(self) -> None:
        """A Functional Map reference '(body – suite)' printed the other way round from the rest of its document."""
        suites: dict[str, dict[str, tuple]] = defaultdict(dict)  # document -> suite -> (order, text, body)
        for suite, order, text, document, body in self.select("""
                SELECT DISTINCT ?suite ?order ?text ?document ?body WHERE {
                  ?suite a ccg:StandardsSuite ; ccg:referenceOrder ?order ; dcterms:source ?document .
                  OPTIONAL { ?suite ccg:referenceText ?text } OPTIONAL { ?suite ccg:developedBy ?body }
                }"""):
            suites[document][suite] = (str(order), str(text or ""), body)
        for document, entries in sorted(suites.items()):
            orders = Counter(order for order, _, _ in entries.values())
            usual, count = orders.most_common(1)[0]
            if len(entries) < 3 or 2 * count <= len(entries):
                continue
            for suite, (order, text, body) in sorted(entries.items()):
                if order != usual:
                    self.add("reference-order-differs",
                             f"The reference '({text})' is printed {order}, but {count} of the {len(entries)} references of "
                             f"the same document print {usual}.", [suite, *([body] if body else [])], [self.locator(suite)],
                             locate_entities=False)

    def source_code_shapes(self) -> None:
        """A source standard whose code is not shaped like the other codes of its suite ('4.4.4' among
        'SMA1.1', 'SMA1.4', 'SMA1.5'): a standard credited to the wrong suite, or a code misprinted."""
        codes: dict[str, dict[str, str]] = defaultdict(dict)  # suite -> standard -> code
        importers: dict[str, set[str]] = defaultdict(set)
        for suite, nos, code, importer in self.select("""
                SELECT DISTINCT ?suite ?nos ?code ?importer WHERE {
                  ?nos ccg:inSuite ?suite ; skos:notation ?code .
                  OPTIONAL { ?importer ccg:derivedFrom ?nos }
                }"""):
            codes[suite][nos] = str(code)
            if importer is not None:
                importers[nos].add(importer)
        for suite, standards in sorted(codes.items()):
            shapes = Counter(_code_shape(c) for c in standards.values())
            usual, count = shapes.most_common(1)[0]
            if len(standards) < 3 or count < 3 or 4 * count < 3 * len(standards):
                continue
            alike = sorted(c for c in standards.values() if _code_shape(c) == usual)
            for nos, code in sorted(standards.items(), key=lambda item: item[1]):
                if _code_shape(code) == usual:
                    continue
                users = sorted(importers.get(nos, ()), key=lambda n: self.entity(n).notation)
                used = f" (the source of {', '.join(self.entity(u).notation for u in users)})" if users else ""
                self.add("source-code-unlike-its-suite",
                         f"{self.label(suite)} standard {code}{used} is not coded like the suite's other {len(alike)} "
                         f"standards ({', '.join(alike)}): a standard credited to the wrong suite, or its code misprinted.",
                         [nos, *users, suite])

    def attributions(self) -> None:
        """One standard credited to different suites or bodies: a standard in two suites, a suite set by two
        bodies, or the same title (a standard printed in two documents) under different suites or bodies."""
        standards: dict[str, dict] = {}
        for nos, code, title, suite, body, seed in self.select("""
                SELECT DISTINCT ?nos ?code ?title ?suite ?body ?seed WHERE {
                  ?nos a ccg:NationalOccupationalStandard ; ccg:inSuite ?suite .
                  FILTER NOT EXISTS { ?nos ccg:originType ?origin }
                  OPTIONAL { ?nos skos:notation ?code } OPTIONAL { ?nos skos:prefLabel ?title }
                  OPTIONAL { ?suite ccg:developedBy ?body } OPTIONAL { ?nos dcterms:source/ccg:seedFile ?seed }
                }"""):
            entry = standards.setdefault(nos, {"code": str(code or ""), "title": str(title or ""), "credits": set(), "seeds": set()})
            entry["credits"].add((suite, body))
            if seed is not None:
                entry["seeds"].add(str(seed))

        def credited(nos) -> str:
            entry = standards[nos]
            places = "; ".join(f"{self.label(s) or self.entity(s).notation}" + (f" ({self.label(b)})" if b else "")
                               for s, b in sorted(entry["credits"], key=str))
            return f"{entry['code']} of {places}" + (f" in {', '.join(sorted(entry['seeds']))}" if entry["seeds"] else "")

        reported = set()
        for nos, entry in sorted(standards.items()):
            if len(entry["credits"]) > 1:
                reported.add(nos)
                self.add("standard-attributed-differently",
                         f"Standard {entry['code']} '{entry['title']}' is credited to more than one suite or body: {credited(nos)}.",
                         [nos, *sorted({s for s, _ in entry["credits"]})])
        by_title: dict[str, list[str]] = defaultdict(list)
        for nos, entry in standards.items():
            if entry["title"]:
                by_title[_normal(entry["title"])].append(nos)
        for _, group in sorted(by_title.items()):
            credits = {frozenset(standards[n]["credits"]) for n in group}
            if len(group) < 2 or len(credits) < 2 or set(group) <= reported:
                continue
            group.sort(key=lambda n: (sorted(standards[n]["seeds"]), self.entity(n).notation))
            self.add("standard-attributed-differently",
                     f"One standard, '{standards[group[0]]['title']}', is credited differently: "
                     f"{'; and as '.join(credited(n) for n in group)}.",
                     [*group, *sorted({s for n in group for s, _ in standards[n]["credits"]})],
                     key="+".join(self.entity(n).notation for n in group))

    # ------------------------------------------------------------ the handbook against its unit pages

    def unit_printings(self) -> None:
        """Every place the handbook prints a unit (qualification tables, contents, summary table) against the
        unit's own page: title, level, credit value and GLH, wherever both print them. A title the
        transcription keeps as a variant (skos:altLabel) is reported by title-differs-between-places instead."""
        fields = (("title", "title"), ("level", "level"), ("credit", "credit value"), ("glh", "GLH"))
        printings: dict[str, list[dict]] = defaultdict(list)
        for unit, printing, kind, title, level, credit, glh in self.select("""
                SELECT DISTINCT ?unit ?printing ?kind ?title ?level ?credit ?glh WHERE {
                  ?printing a ccg:UnitPrinting ; ccg:printingOf ?unit ; ccg:printedIn ?kind .
                  OPTIONAL { ?printing ccg:printedTitle ?title } OPTIONAL { ?printing ccg:level ?level }
                  OPTIONAL { ?printing ccg:creditValue ?credit } OPTIONAL { ?printing ccg:guidedLearningHours ?glh }
                }"""):
            printings[unit].append({"node": printing, "kind": str(kind), "title": title, "level": level, "credit": credit, "glh": glh})
        if not printings:
            return
        variants: dict[str, set[str]] = defaultdict(set)
        for unit, variant in self.select("SELECT DISTINCT ?unit ?variant WHERE { ?printing ccg:printingOf ?unit . ?unit skos:altLabel ?variant }"):
            variants[unit].add(str(variant))
        compared = agreeing = 0
        for unit, rows in sorted(printings.items(), key=lambda item: self.entity(item[0]).notation):
            pages = [r for r in rows if r["kind"] == "unit page"]
            if not pages:
                continue
            page = min(pages, key=lambda r: r["node"])
            others = sorted((r for r in rows if r is not page), key=lambda r: r["node"])
            differing = set()
            for column, name in fields:
                if page[column] is None:
                    continue
                off = [r for r in others if r[column] is not None and r[column] != page[column]
                       and not (column == "title" and str(r[column]) in variants[unit])]
                differing |= {r["node"] for r in off}
                if not off:
                    continue
                values = "; ".join(f"{r[column]!r} in the {r['kind']} ({self.locator(r['node']).split(': ', 1)[-1]})" for r in off)
                self.add("unit-printed-differently",
                         f"Unit {self.entity(unit).notation}'s {name} is {page[column]!r} on its unit page, but {values}.",
                         [unit], [self.locator(page["node"]), *(self.locator(r["node"]) for r in off)],
                         key=f"{self.entity(unit).notation}+{column}", locate_entities=False)
            compared += len(others)
            agreeing += len([r for r in others if r["node"] not in differing])
        self.coverage["unit printings that agree with their unit page"] = ratio(agreeing, compared)
