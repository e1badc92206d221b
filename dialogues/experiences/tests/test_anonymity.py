"""The reporting groups: every answer is stored under a group of at least the counts minimum."""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogues.experiences.domain.anonymity import (
    ALL_ROLE_GROUPS,
    RoleGroup,
    TooFewInvitees,
    reporting_groups,
)

GROUPS = list(RoleGroup.values)


@dataclass(eq=False)
class FakeUnit:
    """Just what reporting_groups needs: a pk and a parent."""

    pk: int
    parent: "FakeUnit | None" = None

    def ancestors(self):
        unit = self
        while unit is not None:
            yield unit
            unit = unit.parent


def tree(parents: list[int | None]) -> list[FakeUnit]:
    """Units 0..n-1; ``parents[i]`` is the index of unit i's parent (None: a root)."""
    units = [FakeUnit(pk=index + 1) for index in range(len(parents))]
    for unit, parent in zip(units, parents, strict=True):
        unit.parent = units[parent] if parent is not None else None
    return units


def invitees_of(units, cells: dict[tuple[int, str], int]):
    """``{(unit index, role group): how many}`` as invitee tuples with readable keys."""
    rows = []
    for (index, group), count in cells.items():
        rows += [(f"{index}-{group}-{n}", units[index], group) for n in range(count)]
    return rows


def sizes(result) -> Counter:
    return Counter((unit.pk, group) for unit, group in result.values())


@st.composite
def organisations(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    parents = [None] + [draw(st.integers(min_value=0, max_value=i - 1)) for i in range(1, count)]
    units = tree(parents)
    people = draw(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=count - 1), st.sampled_from(GROUPS)),
            max_size=80,
        )
    )
    invitees = [(n, units[index], group) for n, (index, group) in enumerate(people)]
    minimum = draw(st.integers(min_value=1, max_value=10))
    return units, invitees, minimum


@settings(max_examples=300, deadline=None)
@given(organisations())
def test_every_group_reaches_the_minimum_and_only_coarsens(case):
    units, invitees, minimum = case
    if len(invitees) < minimum:
        with pytest.raises(TooFewInvitees):
            reporting_groups(invitees, minimum)
        return
    result = reporting_groups(invitees, minimum)

    assert set(result) == {key for key, _, _ in invitees}  # everyone is assigned
    assert all(count >= minimum for count in sizes(result).values())
    for key, unit, group in invitees:
        reporting_unit, reporting_group = result[key]
        assert reporting_unit in list(unit.ancestors())  # the own unit or one above it
        assert reporting_group in (group, ALL_ROLE_GROUPS)


@settings(max_examples=100, deadline=None)
@given(organisations())
def test_the_invitees_of_a_unit_and_role_group_always_travel_together(case):
    """No remainder by subtraction: a (unit, role group) of invitees is never split."""
    units, invitees, minimum = case
    if len(invitees) < minimum:
        return
    result = reporting_groups(invitees, minimum)
    reported_as = defaultdict(set)
    for key, unit, group in invitees:
        reported_as[(unit.pk, group)].add((result[key][0].pk, result[key][1]))
    assert all(len(groups) == 1 for groups in reported_as.values())


def test_groups_that_are_big_enough_stay_apart():
    units = tree([None, 0])
    result = reporting_groups(
        invitees_of(units, {(1, "employee"): 6, (1, "manager"): 5, (0, "employee"): 5}), 5
    )
    assert sizes(result) == {(2, "employee"): 6, (2, "manager"): 5, (1, "employee"): 5}


def test_a_small_role_group_goes_up_alone_and_the_others_keep_their_unit():
    units = tree([None, 0])
    cells = {(1, "employee"): 10, (1, "manager"): 5, (1, "representative"): 2, (0, "hr"): 5}
    result = reporting_groups(invitees_of(units, cells), 5)
    # The two representatives reach the root, still too few: the root's smallest group (HR,
    # shallower than the section's managers) joins them as "all".
    assert sizes(result) == {(2, "employee"): 10, (2, "manager"): 5, (1, ALL_ROLE_GROUPS): 7}


def test_the_managers_of_small_sections_meet_in_their_department():
    units = tree([None, 0, 1, 1, 1, 1, 1])  # root ─ department ─ five sections
    cells = {(section, "employee"): 8 for section in range(2, 7)}
    cells |= {(section, "manager"): 1 for section in range(2, 7)}
    cells[(0, "hr")] = 5
    result = reporting_groups(invitees_of(units, cells), 5)
    expected = {(section + 1, "employee"): 8 for section in range(2, 7)}
    assert sizes(result) == expected | {(2, "manager"): 5, (1, "hr"): 5}


def test_a_small_unit_sends_its_role_groups_to_the_parent():
    units = tree([None, 0, 1, 1])  # root ─ department ─ two sections
    cells = {
        (2, "employee"): 3,  # too small: goes up to the department
        (3, "employee"): 7,  # kept
        (1, "employee"): 4,
        (1, "representative"): 1,
        (0, "hr"): 5,
    }
    result = reporting_groups(invitees_of(units, cells), 5)
    # The department's employees: its own 4 and the section's 3. The representative reaches
    # the root alone, where HR joins them as "all".
    assert sizes(result) == {(4, "employee"): 7, (2, "employee"): 7, (1, ALL_ROLE_GROUPS): 6}


def test_groups_sent_up_keep_their_role_groups_when_the_parent_can():
    units = tree([None, 0, 0])
    cells = {
        (1, "employee"): 3,
        (1, "manager"): 1,
        (2, "employee"): 2,
        (2, "manager"): 2,
        (0, "manager"): 2,
    }
    result = reporting_groups(invitees_of(units, cells), 5)
    assert sizes(result) == {(1, "employee"): 5, (1, "manager"): 5}


def test_a_short_root_pulls_back_the_smallest_unit():
    units = tree([None, 0, 0])
    cells = {(0, "hr"): 1, (1, "employee"): 5, (2, "employee"): 7}
    result = reporting_groups(invitees_of(units, cells), 5)
    assert sizes(result) == {(1, ALL_ROLE_GROUPS): 6, (3, "employee"): 7}


def test_too_few_in_total_cannot_open():
    units = tree([None, 0])
    with pytest.raises(TooFewInvitees) as refused:
        reporting_groups(invitees_of(units, {(1, "employee"): 3, (0, "manager"): 1}), 5)
    assert (refused.value.count, refused.value.minimum) == (4, 5)
    assert refused.value.unit is units[0]
    with pytest.raises(TooFewInvitees):
        reporting_groups([], 5)


def test_each_tree_of_a_forest_must_reach_the_minimum():
    units = tree([None, None])
    with pytest.raises(TooFewInvitees):
        reporting_groups(invitees_of(units, {(0, "employee"): 9, (1, "employee"): 2}), 5)


def test_an_invitee_without_a_unit_is_an_error():
    with pytest.raises(ValueError):
        reporting_groups([("a", None, "employee")], 1)


def test_six_thousand_invitees_are_grouped_quickly():
    # 1 university, 30 departments, 5 sections each, 2 groups each: 481 units.
    parents = [None]
    for _department in range(30):
        department = len(parents)
        parents.append(0)
        for _section in range(5):
            section = len(parents)
            parents.append(department)
            parents += [section, section]
    units = tree(parents)
    invitees = [(n, units[(n * 7919) % len(units)], GROUPS[n % 17 % 5]) for n in range(6000)]
    started = time.perf_counter()
    result = reporting_groups(invitees, 5)
    elapsed = time.perf_counter() - started
    assert len(result) == 6000
    assert min(sizes(result).values()) >= 5
    assert elapsed < 2  # about 20 ms here; generous for a loaded machine
