"""The figures of a slice and of the slices below it, as flat rows for files and the API.

Every number in a row is the value of one function of ``domain.results`` (``respondents``,
``closed_result``, ``comment_count``) or of ``ResultsPage.response_rate`` for the row's slice:
the same figure the results page shows, never a sum or difference made here. When the function
says None (too few answers), there is no row: a figure held back is absent, never a zero. So
the disclosure audit of those functions (``tests/test_disclosure_audit.py``) covers the XLSX and
CSV files and the API too; ``tests/test_exports.py`` checks that every row keeps to this.

The rows carry codes (unit keys, role groups, concepts, question ids, choices) and no labels,
so that building them needs no database and no language: the writers add the labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass

from dialogues.experiences.rolegroups import REPORTING_ROLE_GROUP_CHOICES
from dialogues.insights.domain.publication import Publication
from dialogues.insights.domain.results import (
    Slice,
    closed_result,
    comment_count,
    pools_of,
    respondents,
)
from dialogues.insights.pages import ResultsPage

ROLE_GROUPS = tuple(value for value, _label in REPORTING_ROLE_GROUP_CHOICES)
LEVELS = ("counts", "comments", "sensitive")


@dataclass(frozen=True)
class RateRow:
    """Answered and invited in a slice (``ResultsPage.response_rate``)."""

    slice: Slice
    answered: int
    invited: int

    @property
    def percent(self) -> float:
        return 100 * self.answered / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class RespondentsRow:
    """How many answered about a concept in a slice (``respondents``)."""

    slice: Slice
    concept: str
    respondents: int


@dataclass(frozen=True)
class ChoiceRow:
    """One choice of a closed question in a slice (a share of ``closed_result``)."""

    slice: Slice
    concept: str
    question: int
    choice: str
    respondents: int
    answered: int
    count: int
    percent: float


@dataclass(frozen=True)
class CommentsRow:
    """How many written answers a question has in a slice (``comment_count``)."""

    slice: Slice
    concept: str
    question: int
    comments: int


Row = RateRow | RespondentsRow | ChoiceRow | CommentsRow


def _children(publication: Publication) -> dict:
    """Each unit's children in name order (``results.children``, for the whole tree at once)."""
    below: dict = defaultdict(list)
    for unit, parent in publication.tree.parent_of.items():
        below[parent].append(unit)
    for units in below.values():
        units.sort(key=lambda pk: publication.unit_names.get(pk, ""))
    return below


def _holds_anything(publication: Publication, slice_: Slice) -> bool:
    """Whether any figure of the slice (or of a slice within it) can be shown at all."""
    for concept in publication.concepts:
        for level in LEVELS:
            if pools_of(publication, slice_, concept, level):
                return True
    page = ResultsPage(publication, slice_, {}, [])
    return page.response_rate() is not None


def export_slices(
    publication: Publication, start: Slice, visible: Callable[[Hashable], bool] | None = None
) -> list[Slice]:
    """``start`` and every unit and role group below it, each unit with ``visible(unit)``.

    Per unit: its whole tree, then (when it has units below it) the unit itself with the
    small groups that are counted there; then its units, depth first. Each of these for every
    role group together and for each role group, unless ``start`` chose one. A unit's tree in
    which no figure can be shown is skipped whole, as every slice within it is empty too.
    """
    roles = (start.role_group,) if start.role_group is not None else (None, *ROLE_GROUPS)
    places: list[tuple[Hashable | None, bool]] = []
    if start.own:
        places.append((start.unit, True))
    else:
        below = _children(publication)

        def walk(unit) -> None:
            if not _holds_anything(publication, start.with_unit(unit)):
                return
            if visible is None or visible(unit):
                places.append((unit, False))
                if below.get(unit):
                    places.append((unit, True))
            for child in below.get(unit, []):
                walk(child)

        if start.unit is None:
            places.append((None, False))
            for root in below.get(None, []):
                walk(root)
        else:
            walk(start.unit)
    return [Slice(unit, role, start.source, own) for unit, own in places for role in roles]


def _asked(publication: Publication, concept: str) -> list[dict]:
    return [
        question
        for question in publication.questions.values()
        if concept in question.get("concepts", [])
    ]


def result_rows(
    publication: Publication,
    slices: Iterable[Slice],
    *,
    questions: bool = True,
    comments: bool = False,
) -> Iterator[Row]:
    """The figures of each slice: response rate, respondents per concept, then per question.

    ``questions`` adds a row per choice of each closed question; ``comments`` a row per
    question with the number of written answers (the API's; the files leave them out).
    """
    page = ResultsPage(publication, Slice(), {}, [])
    for slice_ in slices:
        rate = page.response_rate(slice_)
        if rate is not None:
            yield RateRow(slice_, *rate)
        for concept in publication.concepts:
            count = respondents(publication, slice_, concept)
            if count is not None:
                yield RespondentsRow(slice_, concept, count)
            if not (questions or comments):
                continue
            for question in _asked(publication, concept):
                if questions and question["kind"] == "closed":
                    result = closed_result(publication, slice_, concept, question)
                    if result is not None:
                        for share in result.shares:
                            yield ChoiceRow(
                                slice_,
                                concept,
                                question["id"],
                                share.choice,
                                result.respondents,
                                result.answered,
                                share.count,
                                share.percent,
                            )
                if comments:
                    written = comment_count(publication, slice_, concept, question)
                    if written is not None:
                        yield CommentsRow(slice_, concept, question["id"], written)
