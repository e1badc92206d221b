"""The results page as data: what each table shows for a slice, built from a publication.

Everything here reads ``domain.results``, which reads pools only; the templates get no other
number. A cell is ``None`` when no pool lies in its slice ("too few answers to show").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dialogues.concepts.models import Concept
from dialogues.experiences.models import Choice
from dialogues.experiences.rolegroups import REPORTING_ROLE_GROUP_CHOICES
from dialogues.insights.domain.results import (
    ClosedResult,
    Slice,
    ancestors,
    children,
    closed_result,
    comment_count,
    respondents,
    subtree,
)

# The choices the breakdown tables compare, as shares of those who answered.
COMPARED = (Choice.YES, Choice.PARTLY, Choice.NO)
# A breakdown cell for a concept the question is not asked about.
NOT_ASKED = "not asked"


def _takes(publication, slice_: Slice, pool) -> bool:
    """Whether a responders' pool belongs to ``slice_`` (as ``Slice.contains`` for answers)."""
    if slice_.role_group is not None and pool.role_group != slice_.role_group:
        return False
    if slice_.unit is None:
        return True
    if slice_.own:
        return pool.unit == slice_.unit
    return pool.unit in subtree(publication, slice_.unit)


def text_of(texts: dict) -> str:
    return texts.get(get_language() or "en") or texts.get("en") or texts.get("da") or ""


@dataclass
class Row:
    """A row of a table by unit or by role group: label, slice to link to, a cell per concept."""

    label: str
    slice: Slice | None
    cells: list
    # Answered and invited (from the responders' pools), when any pool is there.
    rate: tuple[int, int] | None = None


@dataclass
class QuestionView:
    question: dict
    text: str
    asked: list[bool] = field(default_factory=list)
    results: list[ClosedResult | None] = field(default_factory=list)
    comments: list[int | None] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_role: list[Row] = field(default_factory=list)

    @property
    def is_closed(self) -> bool:
        return self.question["kind"] == "closed"

    @property
    def choice_rows(self) -> list[tuple[str, list]]:
        """One row per choice: its label and, per concept, its share (None: not shown)."""
        return [
            (label, [result.share(value) if result else None for result in self.results])
            for value, label in Choice.choices
        ]

    @property
    def columns(self) -> list[tuple[bool, ClosedResult | None]]:
        return list(zip(self.asked, self.results, strict=True))


@dataclass
class Compared:
    """A breakdown cell: respondents and the shares of yes, partly and no, in percent."""

    respondents: int
    answered: int
    percents: list[float]


@dataclass
class SectionView:
    title: str
    questions: list[QuestionView]


def concept_names(kinds) -> list[tuple[str, str]]:
    names = {concept.kind: concept.name for concept in Concept.objects.filter(kind__in=kinds)}
    return [(kind, names.get(kind, kind)) for kind in kinds]


def role_label(value: str) -> str:
    return str(dict(REPORTING_ROLE_GROUP_CHOICES).get(value, value))


class ResultsPage:
    """The tables of the results page for one slice of one publication."""

    def __init__(self, publication, slice_: Slice, snapshot: dict, concepts):
        self.publication = publication
        self.slice = slice_
        self.snapshot = snapshot
        self.concepts = concepts  # [(kind, name)]
        self.kinds = [kind for kind, _ in concepts]

    # --- where the slice sits -----------------------------------------------------------------

    def unit_name(self, unit) -> str:
        if unit is None:
            return _("The whole campaign")
        return self.publication.unit_names.get(unit, "?")

    def breadcrumbs(self) -> list[tuple[str, Slice]]:
        trail = [(self.unit_name(None), self.slice.with_unit(None))]
        if self.slice.unit is not None:
            trail += [
                (self.unit_name(unit), self.slice.with_unit(unit))
                for unit in ancestors(self.publication, self.slice.unit)
            ]
        return trail

    # --- overview -------------------------------------------------------------------------------

    def respondents(self) -> list[int | None]:
        return [respondents(self.publication, self.slice, kind) for kind in self.kinds]

    def response_rate(self, slice_: Slice | None = None) -> tuple[int, int] | None:
        """Answered and invited in a slice (this page's), from the responders' pools."""
        slice_ = slice_ or self.slice
        chosen = [
            (pool, invited)
            for pool, invited in self.publication.response_pools
            if pool.shown and _takes(self.publication, slice_, pool)
        ]
        if not chosen:
            return None
        return sum(pool.size for pool, _ in chosen), sum(invited for _, invited in chosen)

    def unit_slices(self) -> list[tuple[str, Slice, bool]]:
        """The drill-down: each unit below, then the unit itself with what counts there."""
        if self.slice.own:
            return []
        unit = self.slice.unit
        roots = children(self.publication, None)
        if unit is None and len(roots) == 1:
            unit = roots[0]  # one university: start with its faculties, not itself alone
        rows = [
            (self.unit_name(child), self.slice.with_unit(child), True)
            for child in children(self.publication, unit)
        ]
        if unit is not None:
            label = _("%(unit)s itself, with smaller groups below it") % {
                "unit": self.unit_name(unit)
            }
            rows.append((label, self.slice.with_unit(unit, own=True), False))
        return rows

    def role_slices(self) -> list[tuple[str, Slice]]:
        if self.slice.role_group is not None:
            return []
        return [
            (str(label), Slice(self.slice.unit, value, self.slice.source, self.slice.own))
            for value, label in REPORTING_ROLE_GROUP_CHOICES
        ]

    def by_unit(self) -> list[Row]:
        return [
            Row(label, slice_, self._counts(slice_), self.response_rate(slice_))
            for label, slice_, _link in self.unit_slices()
        ]

    def by_role(self) -> list[Row]:
        rows = [
            Row(label, slice_, self._counts(slice_), self.response_rate(slice_))
            for label, slice_ in self.role_slices()
        ]
        return [row for row in rows if any(cell is not None for cell in row.cells)]

    def _counts(self, slice_: Slice) -> list[int | None]:
        return [respondents(self.publication, slice_, kind) for kind in self.kinds]

    # --- questions ------------------------------------------------------------------------------

    def sections(self) -> list[SectionView]:
        sections = []
        for section in self.snapshot.get("sections", []):
            questions = [
                self._question(question)
                for question in section["questions"]
                if set(question.get("concepts", [])) & set(self.kinds)
            ]
            if questions:
                sections.append(SectionView(text_of(section["title"]), questions))
        return sections

    def _question(self, question: dict) -> QuestionView:
        view = QuestionView(question, text_of(question["text"]))
        asked = set(question.get("concepts", []))
        for kind in self.kinds:
            view.asked.append(kind in asked)
            if kind not in asked:
                view.results.append(None)
                view.comments.append(None)
                continue
            if question["kind"] == "closed":
                view.results.append(closed_result(self.publication, self.slice, kind, question))
            view.comments.append(comment_count(self.publication, self.slice, kind, question))
        if question["kind"] == "closed":
            units = [(name, to) for name, to, _ in self.unit_slices()]
            view.by_unit = self._breakdown(question, units)
            view.by_role = self._breakdown(question, self.role_slices())
        return view

    def _breakdown(self, question: dict, slices) -> list[Row]:
        rows = []
        for label, slice_ in slices:
            cells = []
            for kind in self.kinds:
                if kind not in question.get("concepts", []):
                    cells.append(NOT_ASKED)
                    continue
                result = closed_result(self.publication, slice_, kind, question)
                cells.append(
                    None
                    if result is None
                    else Compared(
                        result.respondents,
                        result.answered,
                        [result.share(choice).percent for choice in COMPARED],
                    )
                )
            if any(cell not in (None, NOT_ASKED) for cell in cells):
                rows.append(Row(label, slice_, cells))
        return rows

    def compared_labels(self) -> list[str]:
        return [str(choice.label) for choice in COMPARED]
