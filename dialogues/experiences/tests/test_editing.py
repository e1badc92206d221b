import pytest
from django.urls import reverse

from dialogues.concepts.models import Concept
from dialogues.experiences.domain.guide import GuideError, check_condition, reorder
from dialogues.experiences.models import Question, Section


def _data(question, **changes):
    data = {
        "text_da": question.text_da,
        "text_en": question.text_en,
        "kind": question.kind,
        "concepts": [concept.pk for concept in question.concepts.all()],
        "condition_question": question.condition_question_id or "",
        "condition_answers": question.condition_answers,
    }
    if question.sensitive:
        data["sensitive"] = "on"
    return data | changes


def _texts(section):
    return [question.text_en for question in section.questions.all()]


@pytest.fixture
def hr(client, org):
    client.force_login(org.hr_admin)
    return client


def test_the_guide_page_lists_each_section_with_kind_concepts_condition_and_flags(hr, guide):
    html = hr.get(reverse("experiences:guide")).content.decode()
    for section in guide.sections.all():
        assert f"<caption>Questions in “{section.title_en}”</caption>" in html
    assert (
        "Asked only if the answer to “Have you felt safe participating?” is No or Partly." in html
    )
    assert html.count('<span class="badge">Sensitive</span>') == 2
    assert html.count("Closed: yes, no, partly or does not apply, then why") == 7


def test_the_hr_administrator_edits_a_question_in_both_languages(hr, ask):
    question = ask("What insights have surprised you?")
    leadership = Concept.objects.get(kind="leadership")
    data = _data(
        question,
        text_da="Hvad overraskede dig?",
        text_en="What surprised you?",
        kind="closed",
        concepts=[leadership.pk],
        sensitive="on",
    )
    response = hr.post(reverse("experiences:question_edit", args=[question.pk]), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text_da, question.text_en, question.kind) == (
        "Hvad overraskede dig?",
        "What surprised you?",
        "closed",
    )
    assert question.sensitive is True
    assert list(question.concepts.all()) == [leadership]


@pytest.mark.parametrize(
    ("condition_start", "message"),
    [
        ("What would you like to do more of", "Only a closed question"),
        ("Did you talk about the next step?", "The condition must be a question asked earlier"),
        ("How have you experienced the purpose", "Only a closed question"),
    ],
)
def test_a_condition_on_a_later_or_open_question_is_refused_next_to_the_field(
    hr, ask, condition_start, message
):
    question = ask("How did you experience the transition")
    condition = ask(condition_start)
    data = _data(question, condition_question=condition.pk, condition_answers=["no"])
    response = hr.post(reverse("experiences:question_edit", args=[question.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    field_group = html[html.index('for="id_condition_question"') - 200 :]
    field_group = field_group[: field_group.index("</select>")]
    assert message in field_group
    assert 'aria-invalid="true"' in field_group
    question.refresh_from_db()
    assert question.condition_question is None


def test_the_condition_list_offers_only_earlier_closed_questions(hr, ask):
    question = ask("How did you experience the transition")
    html = hr.get(reverse("experiences:question_edit", args=[question.pk])).content.decode()
    select = html[html.index('name="condition_question"') : html.index("</select>")]
    assert select.count("<option") == 1 + 6
    assert f'value="{ask("Did you talk about the essentials in the larger").pk}"' in select
    assert f'value="{ask("How have you experienced the purpose").pk}"' not in select


def test_a_condition_that_would_close_a_cycle_is_refused(guide, ask):
    first = ask("Have you used the support tools")
    second = ask("Have you carried out well-being dialogues")
    # Written past the form, as old data could be: the earlier question reads the later one.
    Question.objects.filter(pk=first.pk).update(condition_question=second, condition_answers=["no"])
    with pytest.raises(GuideError, match="depend on each other"):
        check_condition(second, Question.objects.get(pk=first.pk), second.section)


def test_a_condition_without_answers_is_refused_and_nothing_is_saved(hr, ask):
    question = ask("How did you experience the transition")
    condition = ask("Did you talk about the essentials in the larger")
    data = _data(question, condition_question=condition.pk, condition_answers=[])
    response = hr.post(reverse("experiences:question_edit", args=[question.pk]), data)
    assert response.status_code == 200
    assert "Choose the answers after which this question is asked." in response.content.decode()
    question.refresh_from_db()
    assert question.condition_question is None


def test_a_question_that_others_depend_on_stays_closed(hr, ask):
    safe = ask("Have you felt safe")
    response = hr.post(
        reverse("experiences:question_edit", args=[safe.pk]), _data(safe, kind="open")
    )
    assert response.status_code == 200
    assert "Other questions are asked depending on this question" in response.content.decode()
    safe.refresh_from_db()
    assert safe.kind == "closed"


def test_the_hr_administrator_adds_a_conditional_question_at_the_end_of_a_section(hr, ask):
    safe = ask("Have you felt safe")
    section = safe.section
    data = {
        "text_da": "Hvad ville gøre dig tryg?",
        "text_en": "What would make you feel safe?",
        "kind": "open",
        "concepts": [concept.pk for concept in Concept.objects.all()],
        "condition_question": safe.pk,
        "condition_answers": ["no"],
    }
    response = hr.post(reverse("experiences:question_add", args=[section.pk]), data)
    assert response.status_code == 302
    added = section.questions.last()
    assert (added.text_en, added.position, added.condition_question) == (
        "What would make you feel safe?",
        4,
        safe,
    )
    assert added.condition_answers == ["no"]


def test_moving_a_question_down_and_up_changes_its_place(hr, ask):
    question = ask("How did you experience the transition")
    section = question.section
    url = reverse("experiences:question_move", args=[question.pk])
    assert hr.post(url, {"direction": "down"}).status_code == 302
    assert _texts(section)[2].startswith("How did you experience the transition")
    hr.post(url, {"direction": "up"})
    hr.post(url, {"direction": "up"})
    assert _texts(section)[0].startswith("How did you experience the transition")


def test_htmx_gets_only_the_moved_section_back(hr, ask):
    question = ask("How did you experience the transition")
    url = reverse("experiences:question_move", args=[question.pk])
    response = hr.post(url, {"direction": "down"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<section id="section-{question.section_id}"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_follow_up_question_cannot_move_before_the_question_it_follows(hr, ask):
    follow_up = ask("If not: have you")
    url = reverse("experiences:question_move", args=[follow_up.pk])
    response = hr.post(url, {"direction": "up"}, headers={"HX-Request": "true"})
    assert "so it must stay after it." in response.content.decode()
    assert _texts(follow_up.section)[1:] == [
        "Have you felt safe participating?",
        follow_up.text_en,
    ]


def test_the_first_question_does_not_move_further_up(ask):
    first = ask("How have you experienced the purpose")
    assert reorder(first, "up") is False
    first.refresh_from_db()
    assert first.position == 1


def test_the_hr_administrator_adds_and_renames_a_section(hr, guide):
    data = {"title_da": "Afslutning", "title_en": "Closing"}
    assert hr.post(reverse("experiences:section_add"), data).status_code == 302
    section = guide.sections.last()
    assert (section.title_en, section.position) == ("Closing", 7)
    url = reverse("experiences:section_edit", args=[section.pk])
    assert hr.post(url, {"title_da": "Til sidst", "title_en": "Finally"}).status_code == 302
    section.refresh_from_db()
    assert (section.title_da, section.title_en) == ("Til sidst", "Finally")


def test_a_manager_can_neither_edit_nor_move_nor_add(client, org, ask):
    client.force_login(org.manager)
    question = ask("How did you experience the transition")
    edit = reverse("experiences:question_edit", args=[question.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _data(question, text_en="Changed")).status_code == 403
    move = reverse("experiences:question_move", args=[question.pk])
    assert client.post(move, {"direction": "down"}).status_code == 403
    add = reverse("experiences:section_add")
    assert client.post(add, {"title_da": "X", "title_en": "X"}).status_code == 403
    question.refresh_from_db()
    assert (question.text_en[:12], question.position) == ("How did you ", 2)
    assert Section.objects.count() == 6


def test_the_guide_page_needs_the_same_queries_with_more_questions(
    hr, ask, django_assert_num_queries
):
    url = reverse("experiences:guide")
    hr.get(url)
    with django_assert_num_queries(7):
        hr.get(url)
    section = ask("What insights").section
    for number in range(3):
        Question.objects.create(section=section, position=10 + number, text_da="x", text_en="y")
    with django_assert_num_queries(7):
        hr.get(url)
