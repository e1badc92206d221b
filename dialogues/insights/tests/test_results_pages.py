"""The results pages as HR, managers and outsiders use them."""

import pytest
from django.urls import reverse

from dialogues.experiences.tests.factories import open_test_campaign
from dialogues.insights.tests.factories import CLOSED_QUESTION, OPEN_QUESTION, closed_test_campaign

pytestmark = pytest.mark.django_db


def results(client, campaign, **query):
    return client.get(reverse("insights:results", args=[campaign.pk]), query)


def test_hr_sees_the_closed_campaign_question_by_question_with_both_concepts(client, org):
    campaign = closed_test_campaign(org, answered=12, choices=("yes", "yes", "no"))
    client.force_login(org.hr_admin)
    page = results(client, campaign)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Well-being dialogue" in text and "Leadership dialogue" in text
    view = next(
        q
        for section in page.context["page"].sections()
        for q in section.questions
        if q.question["id"] == CLOSED_QUESTION
    )
    wellbeing = view.results[0]
    assert (wellbeing.respondents, wellbeing.answered) == (12, 12)
    assert wellbeing.share("yes").count == 8 and round(wellbeing.share("yes").percent) == 67
    assert wellbeing.share("no").count == 4
    # Nobody answered about leadership: no figure, not a zero that could be subtracted.
    assert view.results[1] is None
    assert "8 (67 %)" in text


def test_the_drill_down_goes_from_the_university_to_the_section(client, org):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.hr_admin)
    page = results(client, campaign)
    rows = {row.label: row.cells for row in page.context["page"].by_unit()}
    assert rows["Department of Tests"] == [7, None]
    assert rows["Department of Others"] == [None, None]
    section = results(client, campaign, unit=org.section.pk)
    assert section.context["page"].respondents() == [7, None]
    crumbs = [label for label, _ in section.context["page"].breadcrumbs()]
    assert crumbs == [
        "The whole campaign",
        "Test University",
        "Department of Tests",
        "Section of Cases",
    ]


def test_a_group_under_the_minimum_shows_no_number_under_any_filter(client, org):
    campaign = closed_test_campaign(org, answered=4)
    client.force_login(org.hr_admin)
    for query in ({}, {"unit": org.section.pk}, {"unit": org.department.pk, "role": "employee"}):
        page = results(client, campaign, **query)
        assert page.context["page"].respondents() == [None, None]
        assert page.context["page"].response_rate() is None
    assert ">4<" not in results(client, campaign).content.decode()


def test_a_manager_sees_their_own_unit_and_is_refused_another(client, org):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.manager)
    own = results(client, campaign)
    assert own.status_code == 200
    assert own.context["slice"].unit == org.section.pk
    assert own.context["page"].respondents() == [7, None]
    refused = results(client, campaign, unit=org.other_section.pk)
    assert refused.status_code == 403
    assert "your own units only" in refused.content.decode()
    # Not the whole campaign either: that is above the manager's unit.
    assert results(client, campaign, unit=org.department.pk).status_code == 403


def test_people_without_a_results_role_are_refused(client, org):
    campaign = closed_test_campaign(org, answered=7)
    for person in (org.employee, org.amr, org.outsider):
        client.force_login(person)
        assert results(client, campaign).status_code == 403


def test_an_open_campaign_shows_no_results_until_it_closes(client, org):
    campaign, _tokens = open_test_campaign(org)
    client.force_login(org.hr_admin)
    page = results(client, campaign)
    assert page.status_code == 200
    assert "shown when the campaign closes" in page.content.decode()
    assert "page" not in page.context


def test_written_answers_need_the_comment_minimum_and_come_escaped(client, org):
    texts = ["<script>alert('x')</script>", "Good talk", "Too short"]
    small = closed_test_campaign(org, answered=8, texts=texts)
    client.force_login(org.hr_admin)
    url = reverse("insights:comments", args=[small.pk, OPEN_QUESTION])
    page = client.get(url, {"concept": "wellbeing"})
    assert page.status_code == 200 and page.context["answers"] is None
    assert "Good talk" not in page.content.decode()

    big = closed_test_campaign(org, answered=11, texts=texts)
    page = client.get(
        reverse("insights:comments", args=[big.pk, OPEN_QUESTION]), {"concept": "wellbeing"}
    )
    comments = [answer.text for answer in page.context["answers"]]
    assert len(comments) == 11 and comments.count("Good talk") == 4
    body = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body


def test_a_bad_filter_is_ignored_not_an_error(client, org):
    campaign = closed_test_campaign(org, answered=7)
    client.force_login(org.hr_admin)
    page = results(client, campaign, unit="abc", role="nobody", source="x")
    assert page.status_code == 200
    assert page.context["form"].errors
