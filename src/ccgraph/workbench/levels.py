"""Which unit levels fit an ability level: framework section 1.3, as the graph records it.

Section 1.3 prints ability level 1 -> NOS levels 1 and 2 and level 4 -> NOS level 5, and says only
that "this mapping continues as the ability levels ascend": 2 -> 3 and 3 -> 4 are inferences, and
are labelled so wherever a plan relies on them. A unit's level (its NVQ/QCF level) is read as the
NOS level it is at, as the trace's level check does.
"""

from dataclasses import dataclass

from ccgraph.graph.store import Store

# ccg:inferredCorrespondsToNOSLevel holds an inferred correspondence; an older graph kept it as
# ccg:correspondsToNOSLevel on a level marked ccg:Reconstructed, which is read the same way.
CORRESPONDENCES = """
SELECT DISTINCT ?number ?nos ?inferred ?note WHERE {
  ?level a ccg:AbilityLevel ; ccg:levelNumber ?number .
  { ?level ccg:inferredCorrespondsToNOSLevel ?nos . BIND (true AS ?inferred) }
  UNION
  { ?level ccg:correspondsToNOSLevel ?nos .
    BIND (EXISTS { ?level ccg:readingStatus ccg:Reconstructed } AS ?inferred) }
  OPTIONAL { ?level ccg:readingNote ?note }
}
"""


@dataclass(frozen=True)
class Fit:
    ability: int
    nos: int
    inferred: bool
    note: str

    @property
    def reading(self) -> str:
        if self.inferred:
            why = self.note.split(":", 1)[1].strip() if self.note.lower().startswith("inferred") and ":" in self.note else self.note
            return f"ability level {self.ability} -> NOS level {self.nos}: inferred, not printed" + (f" ({why})" if why else "")
        return f"ability level {self.ability} -> NOS level {self.nos}: stated in framework section 1.3"


def fits(store: Store) -> dict[int, tuple[Fit, ...]]:
    """Ability level -> the NOS levels it corresponds to (stated first)."""
    found: dict[int, dict[int, Fit]] = {}
    for number, nos, inferred, note in store.select(CORRESPONDENCES, where="level correspondence").values():
        by_nos = found.setdefault(int(number), {})
        fit = Fit(int(number), int(nos), inferred is True, str(note or "") if inferred is True else "")
        if int(nos) not in by_nos or (by_nos[int(nos)].inferred and not fit.inferred):
            by_nos[int(nos)] = fit
    return {n: tuple(sorted(v.values(), key=lambda f: (f.inferred, f.nos))) for n, v in sorted(found.items())}
