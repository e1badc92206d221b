"""Results for a *slice* of a campaign (a unit's tree, a role group, a source), from pools only.

A slice takes the pools whose home lies in its unit's tree (or at the unit itself, for the
row "the unit itself, with the small groups below it") and whose role group matches. Each
figure is the sum over those pools, so every figure on every page is a sum of whole pools
(``experiences.domain.pools``). ``pools_of`` tells which pools a figure was made of: the
disclosure audit uses it to know exactly what each number shown says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogues.experiences.models import Choice
from dialogues.insights.domain.publication import (
    QUESTIONNAIRE,
    SOURCES,
    PoolSums,
    Publication,
)

ALL_SOURCES = "all"
SOURCE_CHOICES = (QUESTIONNAIRE, *SOURCES[1:], ALL_SOURCES)


@dataclass(frozen=True)
class Slice:
    """Which answers a figure counts: ``unit`` None is the whole campaign."""

    unit: int | None = None
    role_group: str | None = None
    source: str = QUESTIONNAIRE
    # Only the pools at the unit itself, not those below it.
    own: bool = False

    def contains(self, publication: Publication, sums: PoolSums) -> bool:
        pool = sums.pool
        if not pool.shown:
            return False
        if self.role_group is not None and pool.role_group != self.role_group:
            return False
        if self.unit is None:
            return True
        if self.own:
            return pool.unit == self.unit
        return pool.unit in subtree(publication, self.unit)

    def with_unit(self, unit, own: bool = False) -> Slice:
        return Slice(unit, self.role_group, self.source, own)


def subtree(publication: Publication, unit) -> frozenset:
    """``unit`` and every unit below it, worked out once per request."""
    key = ("subtree", unit)
    found = publication.memo.get(key)
    if found is None:
        tree = publication.tree
        found = frozenset(other for other in tree.depth if tree.is_within(other, unit)) | {unit}
        publication.memo[key] = found
    return found


def pools_of(publication: Publication, slice_: Slice, concept: str, level: str):
    """The pools a figure for ``slice_`` adds up (never a hidden one)."""
    key = (slice_, concept, level)
    if key not in publication.memo:
        publication.memo[key] = [
            sums
            for family in publication.families(concept, slice_.source, level)
            for sums in family
            if slice_.contains(publication, sums)
        ]
    return publication.memo[key]


def level_of(question: dict, written: bool = False) -> str:
    if question.get("sensitive"):
        return "sensitive"
    return "comments" if written else "counts"


@dataclass
class Share:
    choice: str
    label: str
    count: int
    percent: float


@dataclass
class ClosedResult:
    """A closed question's answers in a slice: ``respondents`` is the pools' size."""

    respondents: int
    answered: int
    shares: list[Share] = field(default_factory=list)

    def share(self, choice: str) -> Share | None:
        return next((share for share in self.shares if share.choice == choice), None)


def respondents(publication: Publication, slice_: Slice, concept: str, level="counts"):
    """How many answered ``concept`` in the slice, or None when no pool is there to show."""
    pools = pools_of(publication, slice_, concept, level)
    return sum(sums.size for sums in pools) if pools else None


def closed_result(publication: Publication, slice_: Slice, concept: str, question: dict):
    pools = pools_of(publication, slice_, concept, level_of(question))
    if not pools:
        return None
    # Plain adding up: Counter.update checks its argument's type on each of some 100,000
    # calls a large campaign's results page makes.
    counts: dict[str, int] = {}
    question_id = question["id"]
    for sums in pools:
        for choice, count in sums.choices.get(question_id, {}).items():
            counts[choice] = counts.get(choice, 0) + count
    answered = sum(counts.values())
    shares = [
        Share(value, str(label), counts.get(value, 0), 100 * counts.get(value, 0) / answered)
        if answered
        else Share(value, str(label), 0, 0)
        for value, label in Choice.choices
    ]
    return ClosedResult(sum(sums.size for sums in pools), answered, shares)


def comment_count(publication: Publication, slice_: Slice, concept: str, question: dict):
    """How many written answers the slice may show for the question, or None."""
    pools = pools_of(publication, slice_, concept, level_of(question, written=True))
    if not pools:
        return None
    return sum(sums.comments.get(question["id"], 0) for sums in pools)


def children(publication: Publication, unit) -> list:
    """The units directly below ``unit`` (the roots for None), in name order."""
    tree = publication.tree
    below = [pk for pk, parent in tree.parent_of.items() if parent == unit]
    return sorted(below, key=lambda pk: publication.unit_names.get(pk, ""))


def ancestors(publication: Publication, unit) -> list:
    """``unit`` and the units above it, from the root down."""
    chain = []
    while unit is not None:
        chain.append(unit)
        unit = publication.tree.parent_of.get(unit)
    return list(reversed(chain))
