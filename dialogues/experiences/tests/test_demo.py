"""The demo's experience campaigns: a closed one full of answers, an open one with a fixed link.

Most tests build a small demo organisation (fast); one builds the full demo of ``load_demo
--full`` (2,000 people) to check the numbers the demo promises.
"""

import io
import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dialogues.experiences.demo import (
    CLOSED_NAME,
    DEMO_ANSWER_TOKEN,
    OPEN_NAME,
    comment_samples,
    create_demo_campaigns,
    restore_demo_link,
)
from dialogues.experiences.demo.answers import key_of
from dialogues.experiences.demo.comments import NO_THEME, THEMES
from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.domain.answering import find_invitee, submit
from dialogues.experiences.domain.guide import visible_questions
from dialogues.experiences.domain.links import assign_link
from dialogues.experiences.models import (
    Answer,
    Campaign,
    CampaignInvitee,
    Draft,
    GuideVersion,
    PendingResponse,
    Response,
)
from dialogues.organisation.demo import generate_organisation, to_csv
from dialogues.organisation.importing import import_file
from dialogues.organisation.models import Person, Unit
from dialogues.rounds.demo import create_demo_rounds

SMALL = 90
# Common words, to tell a comment's language.
DANISH = {"og", "ikke", "vi", "det", "er", "jeg", "at", "til", "på", "med", "som", "var", "der"}
ENGLISH = {"the", "and", "we", "it", "was", "to", "of", "is", "i", "that", "have", "were", "not"}
LINK = reverse("experiences:answer", args=[DEMO_ANSWER_TOKEN])


def build_demo(people: int = SMALL):
    result = import_file(to_csv(generate_organisation(people, seed=2025)).encode(), "demo.csv")
    assert result.ok
    create_demo_rounds()
    return create_demo_campaigns()


@pytest.fixture
def demo(db):
    return build_demo()


def language(text: str) -> str | None:
    words = re.findall(r"[a-zæøå']+", text.lower())
    danish = sum(word in DANISH for word in words) + 3 * bool(re.search("[æøå]", text.lower()))
    english = sum(word in ENGLISH for word in words)
    return "da" if danish > english else "en" if english > danish else None


def comments(campaign: Campaign) -> list[str]:
    answers = Answer.objects.filter(response__campaign=campaign).exclude(text="")
    return list(answers.values_list("text", flat=True))


def check_comments(texts: list[str]) -> None:
    languages = Counter(language(text) for text in texts)
    known = languages["da"] + languages["en"]
    assert 0.55 <= languages["da"] / known <= 0.85, languages
    assert 0.15 <= languages["en"] / known <= 0.45, languages
    assert len(set(texts)) > 0.6 * len(texts)
    lengths = sorted(map(len, texts))
    assert lengths[len(lengths) // 10] < 30 and lengths[-len(lengths) // 10] > 150


def question_id(campaign: Campaign, key: str) -> int:
    snapshot = campaign.guide_version.snapshot
    questions = [q for section in snapshot["sections"] for q in section["questions"]]
    return next(q["id"] for q in questions if key_of(q) == key)


def reporting_groups(campaign: Campaign) -> dict[tuple, int]:
    rows = campaign.invitees.values("reporting_unit", "reporting_role_group").annotate(
        n=Count("pk")
    )
    return {(row["reporting_unit"], row["reporting_role_group"]): row["n"] for row in rows}


def test_the_closed_campaign_has_answers_from_about_three_in_four(demo):
    campaign = Campaign.objects.get(name=CLOSED_NAME)
    invited = campaign.invitees.count()
    answered = campaign.invitees.filter(answered=True).count()
    questionnaires = campaign.responses.filter(source=Response.Source.QUESTIONNAIRE)
    interviews = campaign.responses.filter(source=Response.Source.INTERVIEW)

    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.closes_on < timezone.localdate() - timedelta(days=150)
    assert campaign.invitation_text_da and campaign.invitation_text_en
    assert invited == Person.objects.filter(is_active=True).count() == SMALL
    assert 0.62 * invited <= answered <= 0.88 * invited
    assert answered < questionnaires.count() < 2 * answered  # many answered both concepts
    assert set(questionnaires.values_list("concept", flat=True)) == {"wellbeing", "leadership"}
    # As many interviews as the demo reports, at most the 12 it asks for, and at least one.
    assert interviews.count() == demo.closed.interviews
    assert 1 <= demo.closed.interviews <= 12
    for interview in interviews:
        assert 4 <= interview.participants <= 9 and interview.role_groups_present
    assert not campaign.invitees.filter(invited_on__isnull=True).exists()
    assert not PendingResponse.objects.filter(campaign=campaign).exists()
    assert not Draft.objects.filter(campaign=campaign).exists()
    assert demo.closed.answered == answered and demo.closed.invited == invited


def test_every_answer_is_stored_under_a_reporting_group_its_invitees_have(demo):
    for campaign in Campaign.objects.all():
        groups = reporting_groups(campaign)
        stored = Counter(
            campaign.responses.values_list("reporting_unit", "reporting_role_group")
        ) + Counter(
            PendingResponse.objects.filter(campaign=campaign).values_list(
                "reporting_unit", "reporting_role_group"
            )
        )
        assert stored
        for group in stored:
            assert groups.get(group, 0) >= campaign.count_minimum, (campaign, group)


def test_no_hidden_follow_up_is_answered_and_shown_ones_are(demo):
    follow_ups = 0
    for campaign in Campaign.objects.all():
        snapshot = campaign.guide_version.snapshot
        conditional = {
            q["id"] for s in snapshot["sections"] for q in s["questions"] if q["condition"]
        }
        answers = defaultdict(dict)
        for response_id, question_id, choice in Answer.objects.filter(
            response__campaign=campaign
        ).values_list("response", "question_id", "choice"):
            answers[response_id][question_id] = {"choice": choice}
        concepts = dict(campaign.responses.values_list("pk", "concept"))
        pending = PendingResponse.objects.filter(campaign=campaign)
        for row in pending:
            answers[row.pk] = {int(key): value for key, value in row.answers.items()}
            concepts[row.pk] = row.concept
        assert answers
        for response_id, given in answers.items():
            shown = visible_questions(snapshot, given, concept=concepts[response_id])
            assert set(given) <= {question["id"] for question in shown}
            follow_ups += len(set(given) & conditional)
    assert follow_ups > 0


def test_comments_are_danish_and_english_short_and_long_and_varied(demo):
    check_comments(comments(Campaign.objects.get(name=CLOSED_NAME)))


def test_the_open_campaign_is_under_way_with_a_fixed_link(demo, client):
    campaign = Campaign.objects.get(name=OPEN_NAME)
    today = timezone.localdate()
    holder = CampaignInvitee.objects.get(token_hash=token_hash(DEMO_ANSWER_TOKEN))
    others = campaign.invitees.exclude(pk=holder.pk)
    answered = others.filter(answered=True).count()

    assert campaign.status == Campaign.Status.OPEN
    assert (campaign.opens_on, campaign.closes_on) == (today - timedelta(7), today + timedelta(21))
    assert set(campaign.invitees.values_list("invited_on", flat=True)) == {campaign.opens_on}
    assert holder.campaign == campaign and holder.person.email == "employee@dialogues.example"
    assert holder.preset_concepts == ["wellbeing", "leadership"] and not holder.link_salt
    assert holder.reminders_sent == campaign.reminder_limit  # no reminder replaces the link
    assert 0.2 * others.count() <= answered <= 0.4 * others.count()
    stored = campaign.responses.count() + PendingResponse.objects.filter(campaign=campaign).count()
    assert answered <= stored <= 2 * answered
    assert Draft.objects.filter(campaign=campaign).count() == 2
    assert demo.link.endswith(LINK) and not demo.link_moved

    page = client.get(LINK)
    assert page.status_code == 200
    assert b"<form" in page.content


def test_running_it_again_changes_nothing(demo):
    def state():
        return (
            [model.objects.count() for model in (Campaign, GuideVersion, Response, Answer)],
            [model.objects.count() for model in (PendingResponse, Draft)],
            set(CampaignInvitee.objects.values_list("pk", "token_hash", "answered")),
        )

    before = state()
    again = create_demo_campaigns()

    assert state() == before
    assert not again.closed.created and not again.open.created
    assert (again.closed.answered, again.link) == (demo.closed.answered, demo.link)
    assert not again.link_moved


def test_a_used_demo_link_moves_to_a_fresh_invitee_of_the_same_group(demo, client):
    holder = find_invitee(DEMO_ANSWER_TOKEN)
    submit(holder, _one_answer(holder), ["wellbeing"])
    assert client.get(LINK).status_code == 410  # used

    summary = create_demo_campaigns()

    assert summary.link_moved
    assert client.get(LINK).status_code == 200
    holder.refresh_from_db()
    fresh = CampaignInvitee.objects.get(token_hash=token_hash(DEMO_ANSWER_TOKEN))
    assert holder.answered and holder.token_hash is None
    assert fresh.pk != holder.pk and fresh.person is None and fresh.email
    assert (fresh.reporting_unit, fresh.reporting_role_group) == (
        holder.reporting_unit,
        holder.reporting_role_group,
    )
    assert not fresh.answered and fresh.campaign == holder.campaign
    assert restore_demo_link(holder.campaign) == (fresh, False)  # unused again: left alone


def test_the_demo_link_comes_back_after_a_new_link_replaced_it(demo, client):
    holder = CampaignInvitee.objects.get(token_hash=token_hash(DEMO_ANSWER_TOKEN))
    assign_link(holder)  # as a reminder would when the link cannot be derived
    holder.save()
    assert client.get(LINK).status_code == 404

    assert restore_demo_link(holder.campaign) == (holder, False)
    assert client.get(LINK).status_code == 200


@pytest.mark.django_db
def test_the_open_campaign_invites_more_of_its_units_to_reach_the_minimum(settings):
    settings.EXPERIENCES_COUNT_MINIMUM = 72  # the rounds invite 66 of the 78 people there
    build_demo()

    campaign = Campaign.objects.get(name=OPEN_NAME)
    scope = list(campaign.units.all())
    invitees = list(campaign.invitees.select_related("unit"))
    assert len(invitees) == 72 and campaign.status == Campaign.Status.OPEN
    assert all(any(row.unit.is_within(unit) for unit in scope) for row in invitees)


@pytest.mark.django_db
def test_a_campaign_too_small_to_open_is_reported_not_raised(settings):
    settings.EXPERIENCES_COUNT_MINIMUM = 85  # the closed campaign opens (90), the open one not
    summary = build_demo()

    assert Campaign.objects.get(name=CLOSED_NAME).status == Campaign.Status.CLOSED
    assert not Campaign.objects.filter(name=OPEN_NAME).exists()
    assert summary.link is None and summary.open is None
    assert "No demo experience campaign" in summary.lines()[-1]


def _one_answer(invitee) -> dict:
    snapshot = invitee.campaign.guide_version.snapshot
    first = snapshot["sections"][0]["questions"][0]
    return {"wellbeing": {str(first["id"]): "Godt initiativ."}}


def test_comment_samples_give_text_language_and_theme():
    samples = comment_samples(3000, seed=4)

    assert samples == comment_samples(3000, seed=4)
    assert samples != comment_samples(3000, seed=5)
    assert all(sample.text.strip() for sample in samples)
    assert {sample.theme for sample in samples} <= set(THEMES) | {NO_THEME}
    by_theme = defaultdict(Counter)
    for sample in samples:
        by_theme[sample.theme][sample.language] += 1
    assert len(by_theme) >= len(THEMES) - 3
    for theme, languages in by_theme.items():  # every theme is written in both languages
        assert languages["da"] and languages["en"], theme
    assert 0.2 < sum(s.language == "en" for s in samples) / len(samples) < 0.4


@pytest.mark.django_db
def test_the_full_demo_has_about_1500_respondents_and_prints_the_link():
    out = io.StringIO()
    call_command("load_demo", "--full", stdout=out, stderr=io.StringIO(), verbosity=0)

    campaign = Campaign.objects.get(name=CLOSED_NAME)
    answered = campaign.invitees.filter(answered=True).count()
    assert campaign.invitees.count() == 2000
    assert 1300 <= answered <= 1700
    check_comments(comments(campaign))
    assert f"2,000 invited, {answered:,} answered" in out.getvalue()
    assert LINK in out.getvalue()
    # The leadership dialogue felt less safe than the well-being dialogue, and less safe still
    # in the departments the demo sets apart.
    felt = defaultdict(Counter)
    for concept, choice in Answer.objects.filter(
        response__campaign=campaign, question_id=question_id(campaign, "felt_safe")
    ).values_list("response__concept", "choice"):
        felt[concept][choice] += 1
    share = {concept: felt[concept]["yes"] / felt[concept].total() for concept in felt}
    assert share["leadership"] < share["wellbeing"] - 0.08
    departments = {unit.pk: unit.code for unit in Unit.objects.filter(depth=1)}
    lineages = dict(Unit.objects.values_list("pk", "lineage"))
    felt = defaultdict(Counter)
    for unit, choice in Answer.objects.filter(
        response__campaign=campaign,
        response__concept="leadership",
        question_id=question_id(campaign, "felt_safe"),
    ).values_list("response__reporting_unit", "choice"):
        path = [int(pk) for pk in lineages[unit].strip("/").split("/")]
        department = departments.get(path[1]) if len(path) > 1 else None
        felt[department in {"PHYSICS", "CONSTRUCT", "ENVIRON"}][choice] += 1
    apart, rest = (felt[key]["yes"] / felt[key].total() for key in (True, False))
    assert apart < rest - 0.2
