"""A disclosure audit as statistical offices run one, over everything a publication shows.

Every figure the results can show (each slice of units, role groups and sources, at every level
of detail, and the response rates) is written as a linear expression over the true per-group
tallies, which become the unknowns of a linear programme. For every group an attacker could
target, scipy's HiGHS finds the narrowest interval those figures allow; the audit fails when
an interval lies wholly between 1 and the minimum minus one.

The attacker is granted more than any page says: the invitee count of every reporting group,
that each respondent answered at least one concept and each concept at most once, and that a
group's counted choices and texts never exceed its respondents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from dialogues.insights.domain.publication import INTERVIEW, QUESTIONNAIRE, SOURCES
from dialogues.insights.domain.results import (
    ALL_SOURCES,
    Slice,
    closed_result,
    comment_count,
    level_of,
    pools_of,
    respondents,
)

TOLERANCE = 1e-6


@dataclass
class Unknowns:
    index: dict = field(default_factory=dict)

    def __call__(self, key) -> int:
        return self.index.setdefault(key, len(self.index))


@dataclass
class Programme:
    unknowns: Unknowns = field(default_factory=Unknowns)
    equalities: list = field(default_factory=list)  # (expression, value)
    inequalities: list = field(default_factory=list)  # (expression, bound): expression <= bound
    upper: dict = field(default_factory=dict)

    def equal(self, expression: dict, value: float) -> None:
        self.equalities.append((expression, value))

    def at_most(self, expression: dict, bound: float) -> None:
        self.inequalities.append((expression, bound))

    def _matrix(self, rows):
        matrix = lil_matrix((len(rows), len(self.unknowns.index)))
        for i, (expression, _) in enumerate(rows):
            for j, coefficient in expression.items():
                matrix[i, j] += coefficient
        return matrix.tocsr(), np.array([bound for _, bound in rows], dtype=float)

    def interval(self, expression: dict) -> tuple[float, float]:
        """The narrowest interval the constraints allow for ``expression``."""
        size = len(self.unknowns.index)
        a_eq, b_eq = self._matrix(self.equalities)
        a_ub, b_ub = self._matrix(self.inequalities) if self.inequalities else (None, None)
        bounds = [(0, self.upper.get(j)) for j in range(size)]
        objective = np.zeros(size)
        for j, coefficient in expression.items():
            objective[j] = coefficient
        found = []
        for sign in (1, -1):
            result = linprog(
                sign * objective,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=a_eq,
                b_eq=b_eq,
                bounds=bounds,
                method="highs",
            )
            if result.status == 3:  # unbounded: nothing on the pages caps it
                found.append(-sign * np.inf)
                continue
            assert result.status == 0, result.message
            found.append(sign * result.fun)
        return found[0], found[1]


def _size(group, concept, source):
    return ("size", group, concept, source)


def slices(publication, role_groups):
    units = [None, *publication.tree.parent_of]
    for unit in units:
        for own in (False, True) if unit is not None else (False,):
            for role in (None, *role_groups):
                for source in (QUESTIONNAIRE, INTERVIEW, ALL_SOURCES):
                    yield Slice(unit, role, source, own)


def publish_into(programme: Programme, publication, role_groups) -> int:
    """Every figure the publication can show, as equations. Returns how many figures."""
    shown = 0
    for pool, _invited in publication.response_pools:
        if pool.shown:
            expression = defaultdict(float)
            for group in pool.groups:
                expression[programme.unknowns(("answered", group))] += 1
            programme.equal(expression, pool.size)
            shown += 1
    questions = list(publication.questions.values())
    for slice_ in slices(publication, role_groups):
        for concept in publication.concepts:
            for level in ("counts", "comments", "sensitive"):
                value = respondents(publication, slice_, concept, level)
                if value is not None:
                    pools = pools_of(publication, slice_, concept, level)
                    programme.equal(_expression(programme, pools, concept, None), value)
                    shown += 1
            for question in questions:
                shown += _question(programme, publication, slice_, concept, question)
    return shown


def _expression(programme, pools, concept, what):
    """The sum a figure made of ``pools`` stands for, over the unknown per-group tallies."""
    expression = defaultdict(float)
    for sums in pools:
        for group in sums.pool.groups:
            key = (
                _size(group, concept, sums.source) if what is None else (*what, group, sums.source)
            )
            expression[programme.unknowns(key)] += 1
    return expression


def _question(programme, publication, slice_, concept, question) -> int:
    shown = 0
    pools = pools_of(publication, slice_, concept, level_of(question))
    if question["kind"] == "closed":
        result = closed_result(publication, slice_, concept, question)
        if result is not None:
            for share in result.shares:
                what = ("choice", concept, question["id"], share.choice)
                programme.equal(_expression(programme, pools, concept, what), share.count)
                shown += 1
    count = comment_count(publication, slice_, concept, question)
    if count is not None:
        pools = pools_of(publication, slice_, concept, level_of(question, written=True))
        what = ("text", concept, question["id"])
        programme.equal(_expression(programme, pools, concept, what), count)
        shown += 1
    return shown


def add_background(programme: Programme, groups, concepts, questions, invited) -> None:
    """What an attacker knows without any page: the invitee lists and how answering works."""
    unknown = programme.unknowns
    for group in groups:
        answered = unknown(("answered", group))
        programme.upper[answered] = invited.get(group, 0)
        # Each respondent answered at least one concept, and each concept at most once.
        at_least_one = {answered: 1.0}
        for concept in concepts:
            size = unknown(_size(group, concept, QUESTIONNAIRE))
            programme.at_most({size: 1.0, answered: -1.0}, 0)
            at_least_one[size] = -1.0
            for source in SOURCES:
                size = unknown(_size(group, concept, source))
                for question in questions:
                    if question["kind"] == "closed":
                        chosen = {size: -1.0}
                        for choice in ("yes", "no", "partly", "na"):
                            chosen[
                                unknown(("choice", concept, question["id"], choice, group, source))
                            ] = 1.0
                        programme.at_most(chosen, 0)
                    text = unknown(("text", concept, question["id"], group, source))
                    programme.at_most({text: 1.0, size: -1.0}, 0)
        programme.at_most(at_least_one, 0)


def targets(publication, groups, concepts, role_groups):
    """Every group an attacker could name: a unit's tree or the unit alone, by role group."""
    tree = publication.tree
    cells = {}
    for unit in tree.parent_of:
        for own in (False, True):
            for role in (None, *role_groups):
                members = frozenset(
                    group
                    for group in groups
                    if (group[0] == unit if own else tree.is_within(group[0], unit))
                    and (role is None or group[1] == role)
                )
                if members:
                    cells.setdefault(members, (unit, own, role))
    for group in groups:
        cells.setdefault(frozenset({group}), (group[0], True, group[1]))
    for members, name in cells.items():
        yield ("answered", name), [("answered", group) for group in members]
        for concept in concepts:
            for sources in ((QUESTIONNAIRE,), (INTERVIEW,), SOURCES):
                keys = [_size(g, concept, source) for g in members for source in sources]
                yield ("size", concept, sources, name), keys


def disclosures(programme: Programme, truth: dict, named_targets, minimum: int) -> list:
    """The targets whose true count is under the minimum and which the figures pin there."""
    found = []
    for name, keys in named_targets:
        value = sum(truth.get(key, 0) for key in keys)
        if not 1 <= value <= minimum - 1:
            continue
        expression = defaultdict(float)
        for key in keys:
            expression[programme.unknowns(key)] += 1
        low, high = programme.interval(expression)
        if low >= 1 - TOLERANCE and high <= minimum - 1 + TOLERANCE:
            found.append((name, value, (low, high)))
    return found
