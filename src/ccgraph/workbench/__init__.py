"""The employer workbench (framework section 4): tailor the framework, find gaps, plan training, see career steps.

    from ccgraph.graph.build import open_store
    from ccgraph.graph.project import Project
    from ccgraph.workbench import Workbench

    project = Project.at(".")
    bench = Workbench.open(open_store(project), "examples/overlay", project.shapes_dir)
    staff = bench.staff("examples/staff.csv")
    report = bench.gaps(staff, team_by="team")
    plan = bench.training_plan(staff, person="P-1001", qualification="3412-03")
    steps = bench.careers("Customer Adviser")

Staff data stays in memory (workbench.staff): it is never written to a store, a build or an export.
"""

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Workbench"]


@dataclass
class Workbench:
    tailoring: object  # workbench.tailoring.Tailoring

    @classmethod
    def open(cls, store, overlay: Path | str | None = None, shapes_dir: Path | None = None) -> "Workbench":
        """The published framework, or an overlay folder's tailoring of it (validated first)."""
        from ccgraph.workbench import overlay as overlays
        from ccgraph.workbench import tailoring

        loaded = None
        if overlay is not None:
            if shapes_dir is None:
                from ccgraph.graph.project import Project

                shapes_dir = Project.at(None).shapes_dir
            loaded = overlays.load(Path(overlay), store, shapes_dir)
        return cls(tailoring.load(store, loaded))

    @property
    def store(self):
        return self.tailoring.store

    def diff(self):
        from ccgraph.workbench.diff import diff

        return diff(self.tailoring)

    def staff(self, path: Path | str):
        from ccgraph.workbench import staff

        return staff.read(Path(path), self.tailoring)

    def gaps(self, staff, person: str | None = None, role: str | None = None, team_by: str | None = None, per_person: bool = True):
        from ccgraph.workbench import gaps

        return gaps.report(self.tailoring, staff, person, role, team_by, per_person)

    def training_plan(self, staff, person: str | None = None, role: str | None = None, team_by: str | None = None, **options):
        """One plan (a person, a role, everyone), or {team: plan} with team_by. options: min_confidence, qualification, held, by."""
        from ccgraph.workbench import training

        report = self.gaps(staff, person, role, team_by, per_person=False)
        found = training.catalogue(self.store)
        if team_by is None:
            return training.plan(report, self.store, found=found, **options)
        return {team.value: training.plan(report, self.store, rows=team.rows, selection=f"{team_by} {team.value}",
                                          found=found, **options) for team in report.teams}

    def careers(self, role: str):
        from ccgraph.workbench import careers

        return careers.next_roles(self.tailoring, role)

    def closest_roles(self, staff, person: str):
        from ccgraph.workbench import careers

        return careers.closest_roles(self.tailoring, staff, person)

    def step_plan(self, staff, person: str, role: str, **options):
        """The training plan for a person's step to another role."""
        from ccgraph.workbench import careers, training

        return training.plan(careers.step_report(self.tailoring, staff, person, role), self.store, **options)

