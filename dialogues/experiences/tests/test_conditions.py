import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogues.experiences.domain.guide import (
    applicable_answers,
    build_snapshot,
    visible_questions,
)

CHOICES = ["yes", "no", "partly", "na"]


@st.composite
def guides_and_answers(draw):
    """A random guide in snapshot form, with conditions only on earlier closed questions,
    and random answers: closed questions get a choice (bare or with a why), or none."""
    questions = []
    for number in range(1, draw(st.integers(1, 14)) + 1):
        closed_so_far = [q["id"] for q in questions if q["kind"] == "closed"]
        condition = None
        if closed_so_far and draw(st.booleans()):
            condition = {
                "question": draw(st.sampled_from(closed_so_far)),
                "answers": draw(st.lists(st.sampled_from(CHOICES), min_size=1, unique=True)),
            }
        questions.append(
            {
                "id": number,
                "text": {"da": f"Spørgsmål {number}", "en": f"Question {number}"},
                "kind": draw(st.sampled_from(["open", "closed"])),
                "concepts": draw(
                    st.sampled_from([["wellbeing"], ["leadership"], ["leadership", "wellbeing"]])
                ),
                "sensitive": False,
                "condition": condition,
            }
        )
    cut = draw(st.integers(0, len(questions)))
    sections = [
        {"id": 1, "title": {"da": "A", "en": "A"}, "questions": questions[:cut]},
        {"id": 2, "title": {"da": "B", "en": "B"}, "questions": questions[cut:]},
    ]
    answers = {}
    for question in questions:
        choice = draw(st.none() | st.sampled_from(CHOICES))
        if question["kind"] == "open":
            answers[question["id"]] = draw(st.text(max_size=5))
        elif choice is not None:
            answers[question["id"]] = draw(
                st.sampled_from([choice, {"choice": choice, "why": "?"}])
            )
    return {"sections": sections}, answers


def _choice(answer):
    return answer["choice"] if isinstance(answer, dict) else answer


@given(guides_and_answers())
def test_a_question_is_shown_if_and_only_if_its_condition_holds(data):
    snapshot, answers = data
    shown = {question["id"] for question in visible_questions(snapshot, answers)}
    for section in snapshot["sections"]:
        for question in section["questions"]:
            condition = question["condition"]
            holds = condition is None or (
                condition["question"] in shown
                and _choice(answers.get(condition["question"])) in condition["answers"]
            )
            assert (question["id"] in shown) is holds


@given(guides_and_answers())
def test_questions_are_shown_in_the_order_of_the_guide(data):
    snapshot, answers = data
    ids = [question["id"] for question in visible_questions(snapshot, answers)]
    assert ids == sorted(ids)


@given(guides_and_answers())
def test_the_answer_to_a_hidden_question_is_dropped(data):
    snapshot, answers = data
    shown = {question["id"] for question in visible_questions(snapshot, answers)}
    kept = applicable_answers(snapshot, answers)
    assert kept == {key: value for key, value in answers.items() if key in shown}


@given(guides_and_answers(), st.sampled_from(["wellbeing", "leadership"]))
def test_for_one_concept_only_its_questions_are_shown(data, concept):
    snapshot, answers = data
    for question in visible_questions(snapshot, answers, concept=concept):
        assert concept in question["concepts"]


@pytest.mark.parametrize(
    ("felt_safe", "follow_up_shown"),
    [("yes", False), ("no", True), ("partly", True), ("na", False), (None, False)],
)
def test_the_tr_or_amr_question_follows_only_a_no_or_partly(guide, ask, felt_safe, follow_up_shown):
    snapshot = build_snapshot(guide)
    safe, follow_up = ask("Have you felt safe"), ask("If not: have you")
    answers = {follow_up.pk: {"choice": "no", "why": "I did not know them."}}
    if felt_safe:
        answers[safe.pk] = {"choice": felt_safe, "why": ""}
    shown = [question["id"] for question in visible_questions(snapshot, answers)]
    assert (follow_up.pk in shown) is follow_up_shown
    assert (follow_up.pk in applicable_answers(snapshot, answers)) is follow_up_shown
    assert len(shown) == 14 + follow_up_shown


def test_answers_keyed_by_text_as_in_json_count_too(guide, ask):
    snapshot = json.loads(json.dumps(build_snapshot(guide)))
    safe, follow_up = ask("Have you felt safe"), ask("If not: have you")
    answers = json.loads(json.dumps({safe.pk: "partly", follow_up.pk: "yes"}))
    assert applicable_answers(snapshot, answers) == {
        str(safe.pk): "partly",
        str(follow_up.pk): "yes",
    }


def test_the_leadership_guide_leaves_out_the_question_about_running_without_hr(guide, ask):
    snapshot = build_snapshot(guide)
    without_hr = ask("Have you carried out well-being dialogues")
    leadership = [q["id"] for q in visible_questions(snapshot, {}, concept="leadership")]
    wellbeing = [q["id"] for q in visible_questions(snapshot, {}, concept="wellbeing")]
    assert without_hr.pk not in leadership
    assert without_hr.pk in wellbeing
    assert len(wellbeing) == len(leadership) + 1 == 14
