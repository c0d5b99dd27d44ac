"""Finding entities by what people type: one index over the codes, names and definitions of every entity.

The index is built from the store by two SELECTs (the texts, then each entity's context) and cached
per store object, so a typeahead costs a scan of a few thousand short strings, not a query. Texts are
compared folded: Unicode NFKD with the accents dropped, case-folded, '-' and '_' read as spaces (the
IRI-style code form, GS-CC-BA3.1, is the printed GS CC BA3.1) and runs of spaces as one.

search() ranks every entity by its best field:

    an IRI (or CURIE) naming it       700
    its notation, exactly             600
    its label (or a variant), exactly 500
    a prefix of its notation or label 400      (typeahead: "GS CC BA", "custom")
    every word a prefix of its words  300      ("team lead", "lead team")
    a substring of them               200
    a match in its definition         100
plus up to 99 for closeness (how much of the field the text covers), then kind, code and label.

resolve() is the strict form, for parameters that name one entity (a saved query's role or NOS, a
trace's start, check-plan's qualification): it accepts only an IRI or an exact code or name (case,
accents and the code form aside), and an unknown or ambiguous text is a one-line CcgraphError naming
the closest matches. Nothing here knows about the web; the endpoint can serve search() as it is.
"""

import difflib
import re
import threading
import unicodedata
import weakref
from dataclasses import asdict, dataclass, field
from urllib.parse import unquote

from ccgraph.errors import CcgraphError

CCG = "https://w3id.org/ccgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

# Each entity class and the kind it is searched as, most specific first: an entity typed twice takes
# the first of its kinds. Classes not listed (mappings, rules, requirement cells, notes) are not entities
# anyone looks up by name.
KINDS: dict[str, str] = {
    CCG + "NationalOccupationalStandard": "nos",
    CCG + "Unit": "unit",
    CCG + "Competency": "competency",
    CCG + "Role": "role",
    CCG + "Qualification": "qualification",
    CCG + "KeyPurpose": "key-purpose",
    CCG + "KeyArea": "key-area",
    CCG + "AreaOfCompetence": "area",
    CCG + "Function": "function",
    CCG + "CompetencyCategory": "category",
    CCG + "CompetencySubcategory": "subcategory",
    CCG + "AbilityLevel": "ability-level",
    CCG + "NOSLevel": "nos-level",
    CCG + "JobTitle": "job-title",
    CCG + "UnitGroup": "group",
    CCG + "StandardsSuite": "suite",
    CCG + "Framework": "framework",
    SKOS + "ConceptScheme": "scheme",
    CCG + "Organisation": "organisation",
    CCG + "OriginType": "origin-type",
    CCG + "ReadingStatus": "reading-status",
    CCG + "LevelDescriptor": "level-descriptor",
    CCG + "LearningOutcome": "outcome",
    CCG + "AssessmentCriterion": "criterion",
}
KIND_NAMES: tuple[str, ...] = tuple(dict.fromkeys(KINDS.values()))
# What 'any' resolves among: everything but the parts whose codes are local to their unit (outcome 1, criterion 1.1).
ANY_KINDS: tuple[str, ...] = tuple(k for k in KIND_NAMES if k not in ("outcome", "criterion", "level-descriptor"))
KIND_TITLES = {"nos": "NOS", "nos-level": "NOS level"}  # how a kind is named in messages (others: as is, '-' as a space)

FIELDS = ("notation", "label", "altLabel", "definition")

TEXTS = f"""
SELECT DISTINCT ?entity ?class ?field ?text WHERE {{
  VALUES ?class {{ {' '.join(f'<{iri}>' for iri in KINDS)} }}
  ?entity a ?class .
  {{ ?entity skos:notation ?text BIND ("notation" AS ?field) }}
  UNION {{ ?entity skos:prefLabel ?text BIND ("label" AS ?field) }}
  UNION {{ ?entity skos:altLabel ?text BIND ("altLabel" AS ?field) }}
  UNION {{ ?entity skos:definition ?text BIND ("definition" AS ?field) }}
}}
"""

# What tells two entities with the same code apart: the scheme or suite, the qualifications listing a
# unit, the unit an outcome or criterion belongs to; and whether a unit is accredited (a City & Guilds
# unit rather than an OCR listing of one: a bare unit number names the City & Guilds unit).
CONTEXT = """
SELECT DISTINCT ?entity ?scheme ?suite ?qualification ?unit ?accredited WHERE {
  { ?entity skos:inScheme/skos:prefLabel ?scheme }
  UNION { ?entity ccg:inSuite/skos:prefLabel ?suite }
  UNION { ?q ccg:hasUnitGroup/ccg:includesUnit ?entity . ?q skos:notation ?qualification }
  UNION { ?u ccg:hasLearningOutcome ?entity . ?u skos:notation ?unit }
  UNION { ?u ccg:hasLearningOutcome/ccg:hasAssessmentCriterion ?entity . ?u skos:notation ?unit }
  UNION { ?entity ccg:unitAccreditationNumber ?number BIND (true AS ?accredited) }
}
"""

TIER_IRI, TIER_NOTATION, TIER_LABEL, TIER_PREFIX, TIER_WORDS, TIER_SUBSTRING, TIER_DEFINITION = 700, 600, 500, 400, 300, 200, 100


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    notation: str | None
    label: str | None
    score: int
    matched: str  # the field that matched: iri, notation, label, altLabel or definition
    context: str = ""  # what tells it from others with the same code (scheme, suite, qualifications, unit)

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        """The entity as a message names it: kind, code, title and where it belongs."""
        title = KIND_TITLES.get(self.kind, self.kind.replace("-", " "))
        parts = [title]
        if self.notation:
            parts.append(self.notation)
        if self.label and self.label != self.notation:
            label = self.label if len(self.label) <= 60 else self.label[:57] + "..."
            parts.append(f"'{label}'")
        return " ".join(parts) + (f" ({self.context})" if self.context else "")

    def mention(self) -> str:
        """How a suggestion names it: the code (with its title) or the name, quoted as the user would type it."""
        if self.notation:
            label = (self.label or "")[:50] + ("..." if len(self.label or "") > 50 else "")
            return f"'{self.notation}'" + (f" ({label})" if label and label != self.notation else "")
        return f"'{self.label}'"


@dataclass
class _Entity:
    iri: str
    kind: str
    notations: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # prefLabel(s) first, then altLabels
    pref_count: int = 0
    definitions: list[str] = field(default_factory=list)
    context: str = ""
    preferred: bool = True  # False for an OCR listing (not an accredited unit)
    # the folded texts, by field: [(field, original, folded, words)]
    texts: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def notation(self) -> str | None:
        return self.notations[0] if self.notations else None

    @property
    def label(self) -> str | None:
        return self.labels[0] if self.labels else None

    def hit(self, score: int, matched: str) -> Hit:
        return Hit(self.iri, self.kind, self.notation, self.label, score, matched, self.context)


def fold(text: str) -> str:
    """Text as compared: accents dropped (NFKD), case-folded, '-'/'_' and runs of spaces as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[-_\s]+", " ", plain).split())


_WORD = re.compile(r"[^\W_]+(?:[.&'][^\W_]+)*")


def words(folded: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(folded))


class Index:
    """Every entity's codes, names and definitions, folded once, for search() and resolve()."""

    def __init__(self, store):
        priority = {iri: n for n, iri in enumerate(KINDS)}
        entities: dict[str, _Entity] = {}
        classes: dict[str, str] = {}
        texts: dict[str, dict[str, list[str]]] = {}
        for entity, cls, fieldname, text in store.select(TEXTS, where="search index").rows:
            iri = entity.value
            if iri not in classes or priority[cls.value] < priority[classes[iri]]:
                classes[iri] = cls.value
            bucket = texts.setdefault(iri, {f: [] for f in FIELDS})[fieldname.value]
            value = str(text.value)
            if value not in bucket:
                bucket.append(value)
        for iri, by_field in texts.items():
            entity = _Entity(iri, KINDS[classes[iri]])
            entity.notations = sorted(by_field["notation"])
            prefs, alts = sorted(by_field["label"]), sorted(by_field["altLabel"])
            entity.labels, entity.pref_count = prefs + [a for a in alts if a not in prefs], len(prefs)
            entity.definitions = sorted(by_field["definition"])
            for name, values in (("notation", entity.notations), ("label", prefs), ("altLabel", alts), ("definition", entity.definitions)):
                for value in values:
                    folded = fold(value)
                    entity.texts.append((name, value, folded, words(folded)))
            entities[iri] = entity
        context: dict[str, dict[str, set]] = {}
        for row in store.select(CONTEXT, where="search index").rows:
            iri = row[0].value
            if iri not in entities:
                continue
            slots = context.setdefault(iri, {"scheme": set(), "suite": set(), "qualification": set(), "unit": set(), "accredited": set()})
            for name, term in zip(("scheme", "suite", "qualification", "unit", "accredited"), row[1:]):
                if term is not None:
                    slots[name].add(term.value)
        for iri, slots in context.items():
            entity = entities[iri]
            if entity.kind == "unit" and not slots["accredited"]:
                entity.preferred = False
                quals = sorted(slots["qualification"])
                entity.context = f"listed in {', '.join(quals)}" if quals else ", ".join(sorted(slots["scheme"]))
            elif slots["unit"]:
                entity.context = f"unit {', '.join(sorted(slots['unit']))}"
            else:
                entity.context = ", ".join(sorted(slots["suite"] or slots["scheme"]))
        self.entities = entities
        self._order = {kind: n for n, kind in enumerate(KIND_NAMES)}

    # ------------------------------------------------------------ ranking

    def _score(self, entity: _Entity, query: str, query_words: tuple[str, ...]) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for name, _, folded, field_words in entity.texts:
            if not folded:
                continue
            closeness = min(99, int(99 * len(query) / len(folded)))
            if name == "definition":
                if query in folded or _word_prefixes(query_words, field_words):
                    tier = TIER_DEFINITION
                else:
                    continue
            elif folded == query:
                tier = TIER_NOTATION if name == "notation" else TIER_LABEL - (0 if name == "label" else 1)
                closeness = 99
            elif folded.startswith(query):
                tier = TIER_PREFIX
            elif _word_prefixes(query_words, field_words):
                tier = TIER_WORDS
            elif query in folded:
                tier = TIER_SUBSTRING
            else:
                continue
            score = tier + closeness if tier < TIER_LABEL - 1 else tier + 99
            if best is None or score > best[0]:
                best = (score, name)
        return best

    def _sort_key(self, hit: Hit):
        return (-hit.score, self._order.get(hit.kind, 99), fold(hit.notation or ""), fold(hit.label or ""), hit.iri)

    def search(self, text: str, kinds=None, limit: int = 20) -> list[Hit]:
        allowed = _check_kinds(kinds)
        query = fold(_plain(text))
        if not query:
            return []
        hits = []
        query_words = words(query)
        named = self._by_iri(text)
        for entity in self.entities.values():
            if allowed is not None and entity.kind not in allowed:
                continue
            if named is not None and entity.iri == named:
                hits.append(entity.hit(TIER_IRI + 99, "iri"))
                continue
            scored = self._score(entity, query, query_words)
            if scored is not None:
                hits.append(entity.hit(*scored))
        hits.sort(key=self._sort_key)
        return hits[:limit] if limit else hits

    # ------------------------------------------------------------ resolving one entity

    def _by_iri(self, text: str) -> str | None:
        value = text.strip()
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        prefix, colon, local = value.partition(":")
        if not colon or " " in value:
            return None
        from ccgraph.graph.namespaces import PREFIXES

        if prefix in PREFIXES and not local.startswith("//"):
            value = str(PREFIXES[prefix]) + local
        return value if value in self.entities else None

    def resolve(self, text: str, kinds=None, where: str = "") -> Hit:
        """The one entity of these kinds that text names exactly (IRI, code or name), else a one-line error."""
        allowed = _check_kinds(kinds) or set(ANY_KINDS)
        what = _kinds_title(allowed)
        lead = f"{where}: " if where else ""
        if not text.strip():
            raise CcgraphError(f"{lead}no {what} given: give a code or name")
        named = self._by_iri(text)
        if named is not None:
            entity = self.entities[named]
            if entity.kind not in allowed:
                raise CcgraphError(f"{lead}{text.strip()} is a {_kinds_title({entity.kind})}, not a {what}")
            return entity.hit(TIER_IRI + 99, "iri")
        query = fold(_plain(text))
        exact: list[Hit] = []
        for entity in self.entities.values():
            if entity.kind not in allowed:
                continue
            for name, _, folded, _ in entity.texts:
                if name != "definition" and folded == query:
                    exact.append(entity.hit(TIER_NOTATION + 99 if name == "notation" else TIER_LABEL + 99, name))
                    break
        if not exact:  # an IRI's own segment: functional-map, sales-advisor, role/sales-advisor
            for entity in self.entities.values():
                if entity.kind in allowed and query in _iri_tails(entity.iri):
                    exact.append(entity.hit(TIER_LABEL, "iri"))
        if len(exact) > 1:  # a bare unit number names the City & Guilds unit, not OCR's listings of it
            preferred = [h for h in exact if self.entities[h.iri].preferred]
            exact = preferred or exact
        if len(exact) > 1:
            top = max(h.score for h in exact)
            best = [h for h in exact if h.score == top]  # a code outranks a name that happens to read the same
            exact = best if len(best) == 1 else exact
        if len(exact) == 1:
            return exact[0]
        if exact:
            exact.sort(key=self._sort_key)
            from ccgraph.render.tables import compact

            shown = "; ".join(f"{h.describe()} = {compact(h.iri)}" for h in exact[:4])
            more = f" and {len(exact) - 4} more" if len(exact) > 4 else ""
            raise CcgraphError(f"{lead}{text.strip()!r} is ambiguous: it names {len(exact)} {_plural(what)}: {shown}{more}; give one of those IRIs")
        suggestions = self.suggest(text, allowed)
        hint = f"; did you mean {_or(suggestions)}?" if suggestions else ""
        raise CcgraphError(f"{lead}no {what} with code or name {text.strip()!r} in the graph{hint}")

    def suggest(self, text: str, kinds, limit: int = 3) -> list[str]:
        """The closest codes or names: search hits first, then near spellings (difflib) for typos."""
        hits = [h for h in self.search(text, kinds, limit=0) if self.entities[h.iri].preferred] or self.search(text, kinds, limit=0)
        strong = list(dict.fromkeys(h.mention() for h in hits if h.score >= TIER_WORDS))[:limit]
        if strong:  # what the text begins, or every word of it begins
            return strong
        query = fold(_plain(text))
        candidates: dict[str, _Entity] = {}
        for entity in self.entities.values():
            if entity.kind in kinds:
                for name, _, folded, _ in entity.texts:
                    if name != "definition":
                        candidates.setdefault(folded, entity)
        close = difflib.get_close_matches(query, list(candidates), n=limit * 2, cutoff=0.6)
        near = list(dict.fromkeys(candidates[c].hit(0, "").mention() for c in close))[:limit]
        return near or list(dict.fromkeys(h.mention() for h in hits))[:limit]  # else where it occurs inside a name


def _word_prefixes(query_words: tuple[str, ...], field_words: tuple[str, ...]) -> bool:
    """Every word typed begins a word of the field, each a different one ("lead team" finds "Team Leader")."""
    if not query_words or len(query_words) > len(field_words):
        return False
    unused = list(field_words)
    for typed in sorted(query_words, key=len, reverse=True):
        match = next((n for n, word in enumerate(unused) if word.startswith(typed)), None)
        if match is None:
            return False
        del unused[match]
    return True


def _plain(text: str) -> str:
    """Percent-escapes undone (an IRI segment's M%26LA2 is M&LA2)."""
    return unquote(text) if "%" in text else text


def _iri_tails(iri: str) -> set[str]:
    from ccgraph.graph.namespaces import ID

    path = iri.removeprefix(str(ID))
    segments = path.split("/")
    return {fold(unquote("/".join(segments[n:]))) for n in range(len(segments))}


def _check_kinds(kinds) -> set[str] | None:
    if kinds is None:
        return None
    chosen = {kinds} if isinstance(kinds, str) else set(kinds)
    if "any" in chosen:
        chosen = (chosen - {"any"}) | set(ANY_KINDS)
    unknown = sorted(chosen - set(KIND_NAMES))
    if unknown:
        raise CcgraphError(f"unknown kind(s) {', '.join(unknown)} (kinds: {', '.join(KIND_NAMES)})")
    return chosen or None


def _kinds_title(kinds) -> str:
    if set(kinds) >= set(ANY_KINDS):
        return "entity"
    names = [KIND_TITLES.get(k, k.replace("-", " ")) for k in KIND_NAMES if k in kinds]
    return names[0] if len(names) == 1 else " or ".join([", ".join(names[:-1]), names[-1]])


def _plural(what: str) -> str:
    if what.endswith(("NOS", "s")):
        return what
    return what[:-1] + "ies" if what.endswith("y") else what + "s"


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


# ---------------------------------------------------------------- one index per store

_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def index(store) -> Index:
    """The store's index, built on first use and kept as long as the store is (one per store object)."""
    with _LOCK:
        found = _INDEXES.get(store)
        if found is None:
            found = _INDEXES[store] = Index(store)
        return found


def search(store, text: str, kinds=None, limit: int = 20) -> list[Hit]:
    """Entities whose code, name or definition matches text, best first (limit 0: all)."""
    if limit < 0:
        raise CcgraphError(f"limit {limit}: give 0 (no limit) or more")
    return index(store).search(text, kinds, limit)


def resolve(store, text: str, kinds=None, where: str = "") -> Hit:
    """The one entity (of these kinds) text names: an IRI or CURIE, or its code or name exactly (case,
    accents and '-' for spaces aside). Unknown or ambiguous: a one-line CcgraphError with the closest matches."""
    return index(store).resolve(text, kinds, where)
