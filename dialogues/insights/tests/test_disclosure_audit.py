"""No combination of the figures a campaign's results show pins a group under the minimum.

For random organisations, random reporting groups and random answers (hypothesis), every
figure of every slice, level and source is put into one linear programme with the attacker's
background knowledge (``audit.py``), and each nameable group's interval is checked.
"""

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogues.experiences.domain.pools import Tree
from dialogues.insights.domain.publication import (
    INTERVIEW,
    QUESTIONNAIRE,
    Minimums,
    Tallies,
    assemble,
)
from dialogues.insights.domain.results import Slice, pools_of, respondents
from dialogues.insights.tests import audit

CONCEPTS = ("wellbeing", "leadership")
ROLE_GROUPS = ("employee", "manager", "representative", "all")
CHOICES = ("yes", "no", "partly", "na")
SNAPSHOT = {
    "sections": [
        {
            "id": 1,
            "title": {"da": "A", "en": "A"},
            "questions": [
                {"id": 11, "kind": "closed", "sensitive": False, "concepts": list(CONCEPTS)},
                {"id": 12, "kind": "closed", "sensitive": True, "concepts": list(CONCEPTS)},
                {"id": 13, "kind": "open", "sensitive": False, "concepts": list(CONCEPTS)},
            ],
        }
    ]
}
QUESTIONS = SNAPSHOT["sections"][0]["questions"]


@st.composite
def campaigns(draw):
    """A random unit tree, reporting groups of at least the minimum invitees, and answers."""
    counts = draw(st.sampled_from([3, 5]))
    minimums = Minimums(
        counts,
        counts + draw(st.integers(0, 5)),
        counts + draw(st.integers(5, 12)),
    )
    size = draw(st.integers(1, 7))
    parent_of = {1: None}
    for unit in range(2, size + 1):
        parent_of[unit] = draw(st.integers(1, unit - 1))
    if draw(st.booleans()) and size > 2:
        parent_of[size] = None  # a second root: a campaign over two faculties
    groups = draw(
        st.lists(
            st.tuples(st.sampled_from(sorted(parent_of)), st.sampled_from(ROLE_GROUPS)),
            min_size=1,
            max_size=10,
            unique=True,
        )
    )
    truth: Counter = Counter()
    invited, answered = {}, {}
    sizes, choices, comments = {}, {}, {}
    for group in groups:
        invited[group] = draw(st.integers(counts, counts + 10))
        answered[group] = draw(st.integers(0, invited[group]))
        truth[("answered", group)] = answered[group]
        for _ in range(answered[group]):
            took = draw(st.sampled_from([("wellbeing",), ("leadership",), CONCEPTS]))
            for concept in took:
                _answer(draw, truth, sizes, choices, comments, group, concept, QUESTIONNAIRE, 1)
    for group in draw(st.lists(st.sampled_from(groups), max_size=3)):
        concept = draw(st.sampled_from(CONCEPTS))
        people = draw(st.integers(1, 8))
        _answer(draw, truth, sizes, choices, comments, group, concept, INTERVIEW, people)
    tallies = Tallies(invited, answered, sizes, choices, comments)
    return minimums, Tree(parent_of), tallies, truth, groups


def _answer(draw, truth, sizes, choices, comments, group, concept, source, people):
    """One questionnaire response (or one interview of ``people``): its tallies and the truth."""
    key = (concept, source)
    sizes.setdefault(key, Counter())[group] += people
    truth[("size", group, concept, source)] += people
    for question in QUESTIONS:
        qid = question["id"]
        if question["kind"] == "closed":
            choice = draw(st.sampled_from((*CHOICES, "")))
            if choice:
                per_group = choices.setdefault(key, {}).setdefault(group, {})
                per_group.setdefault(qid, Counter())[choice] += 1
                truth[("choice", concept, qid, choice, group, source)] += 1
        if draw(st.booleans()):
            comments.setdefault(key, {}).setdefault(group, Counter())[qid] += 1
            truth[("text", concept, qid, group, source)] += 1


def _publication(minimums, tree, tallies):
    return assemble(
        campaign_id=1,
        tree=tree,
        names={unit: f"Unit {unit}" for unit in tree.parent_of},
        snapshot=SNAPSHOT,
        concepts=CONCEPTS,
        minimums=minimums,
        tallies=tallies,
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(campaigns())
def test_no_figure_shown_pins_a_group_under_the_minimum(campaign):
    minimums, tree, tallies, truth, groups = campaign
    publication = _publication(minimums, tree, tallies)
    programme = audit.Programme()
    audit.add_background(programme, groups, CONCEPTS, QUESTIONS, tallies.invited)
    shown = audit.publish_into(programme, publication, ROLE_GROUPS)
    if not shown:  # only when no root's tree reaches the minimum
        totals = Counter()
        for (unit, _role), count in tallies.answered.items():
            totals[tree.root_of[unit]] += count
        assert all(total < minimums.counts for total in totals.values())
    named = list(audit.targets(publication, groups, CONCEPTS, ROLE_GROUPS))
    assert audit.disclosures(programme, truth, named, minimums.counts) == []


@settings(max_examples=60, deadline=None)
@given(campaigns())
def test_two_slices_never_differ_by_fewer_than_the_minimum(campaign):
    minimums, tree, tallies, _, _ = campaign
    publication = _publication(minimums, tree, tallies)
    figures = {}
    for slice_ in audit.slices(publication, ROLE_GROUPS):
        for concept in CONCEPTS:
            value = respondents(publication, slice_, concept)
            if value is not None:
                pools = pools_of(publication, slice_, concept, "counts")
                figures[(slice_, concept)] = (value, {id(sums) for sums in pools})
    for (_, concept), (value, pools) in figures.items():
        for (_, other_concept), (other, other_pools) in figures.items():
            if concept == other_concept and other_pools <= pools:
                assert value - other == 0 or value - other >= minimums.counts


@settings(max_examples=60, deadline=None)
@given(campaigns())
def test_the_figures_add_up_to_the_truth_of_the_pools_they_name(campaign):
    """The audit trusts ``pools_of`` to say what a figure counts: check it does."""
    minimums, tree, tallies, truth, _ = campaign
    publication = _publication(minimums, tree, tallies)
    for slice_ in audit.slices(publication, ROLE_GROUPS):
        for concept in CONCEPTS:
            value = respondents(publication, slice_, concept)
            pools = pools_of(publication, slice_, concept, "counts")
            expected = sum(
                truth[("size", group, concept, sums.source)]
                for sums in pools
                for group in sums.pool.groups
            )
            assert value == (expected if pools else None)
            for sums in pools:
                assert sums.size == 0 or sums.size >= minimums.counts


def test_a_small_group_alone_is_found_by_the_audit():
    """The audit can fail: a publication that shows a group of 2 beside its total is caught."""
    tree = Tree({1: None, 2: 1, 3: 1})
    small, big = (2, "employee"), (3, "employee")
    tallies = Tallies(
        invited={small: 5, big: 9},
        answered={small: 2, big: 7},
        sizes={("wellbeing", QUESTIONNAIRE): {small: 2, big: 7}},
        choices={},
        comments={},
    )
    truth = Counter(
        {
            ("answered", small): 2,
            ("answered", big): 7,
            ("size", small, "wellbeing", QUESTIONNAIRE): 2,
            ("size", big, "wellbeing", QUESTIONNAIRE): 7,
        }
    )
    # Minimum 1 for building, 5 for judging: the pools are then the groups themselves.
    publication = _publication(Minimums(1, 1, 1), tree, tallies)
    programme = audit.Programme()
    groups = [small, big]
    audit.add_background(programme, groups, ("wellbeing",), [], tallies.invited)
    audit.publish_into(programme, publication, ROLE_GROUPS)
    named = list(audit.targets(publication, groups, ("wellbeing",), ROLE_GROUPS))
    found = audit.disclosures(programme, truth, named, 5)
    assert found, "a group of 2 shown on its own was not caught"
    assert any(value == 2 for _, value, _ in found)


def test_results_slice_of_a_hidden_tree_shows_nothing():
    tree = Tree({1: None, 2: 1})
    group = (2, "employee")
    tallies = Tallies(
        invited={group: 6},
        answered={group: 3},
        sizes={("wellbeing", QUESTIONNAIRE): {group: 3}},
        choices={},
        comments={},
    )
    publication = _publication(Minimums(5, 10, 20), tree, tallies)
    assert respondents(publication, Slice(), "wellbeing") is None
    assert respondents(publication, Slice(2), "wellbeing") is None
