"""Deleting a campaign's answers when its retention has run out (delete_expired_answers)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from dialogues.experiences.forms_campaigns import CampaignForm
from dialogues.experiences.models import (
    Answer,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.insights.domain import retention
from dialogues.insights.domain.retention import delete_expired_answers, due_campaigns
from dialogues.insights.models import (
    AnswerVector,
    ExportLog,
    Redaction,
    Theme,
    ThemeAssignment,
    ThemeEdit,
)
from dialogues.insights.tests.factories import OPEN_QUESTION, closed_test_campaign


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.EXPERIENCES_ANSWER_RETENTION_DAYS = 30


def analysed(campaign, org):
    """Give the campaign everything an analyst and the periodic jobs make of its answers."""
    written = list(Answer.objects.filter(response__campaign=campaign, question_id=OPEN_QUESTION))
    theme = Theme.objects.create(
        campaign=campaign, question_id=OPEN_QUESTION, label_da="Tid", label_en="Time"
    )
    Theme.objects.create(
        campaign=campaign,
        question_id=OPEN_QUESTION,
        label_da="Tid 2",
        label_en="Time 2",
        merged_into=theme,
    )
    ThemeAssignment.objects.bulk_create(ThemeAssignment(answer=a, theme=theme) for a in written)
    AnswerVector.objects.bulk_create(AnswerVector(answer=a, vector=b"\0" * 8) for a in written)
    Redaction.objects.create(answer=written[0], text="[name] said", by=org.hr_admin)
    ThemeEdit.objects.create(
        campaign=campaign, question_id=OPEN_QUESTION, action="rename", by=org.hr_admin
    )
    interview = Response.objects.create(
        campaign=campaign,
        concept="wellbeing",
        reporting_unit=org.section,
        reporting_role_group="employee",
        source=Response.Source.INTERVIEW,
        participants=4,
    )
    Answer.objects.create(response=interview, question_id=OPEN_QUESTION, text="From the group")
    # Left behind by a crash at the close: the retention takes them too.
    Draft.objects.create(
        token_hash=f"{campaign.pk:064d}", campaign=campaign, answers={"wellbeing": {}}
    )
    PendingResponse.objects.create(
        campaign=campaign,
        concept="wellbeing",
        reporting_unit=org.section,
        reporting_role_group="employee",
        answers={},
    )
    return len(written)


def rows_of(campaign) -> dict[str, int]:
    return {
        "responses": Response.objects.filter(campaign=campaign).count(),
        "answers": Answer.objects.filter(response__campaign=campaign).count(),
        "vectors": AnswerVector.objects.filter(answer__response__campaign=campaign).count(),
        "assignments": ThemeAssignment.objects.filter(theme__campaign=campaign).count(),
        "redactions": Redaction.objects.filter(answer__response__campaign=campaign).count(),
        "themes": Theme.objects.filter(campaign=campaign).count(),
        "theme_edits": ThemeEdit.objects.filter(campaign=campaign).count(),
        "drafts": Draft.objects.filter(campaign=campaign).count(),
        "pending": PendingResponse.objects.filter(campaign=campaign).count(),
    }


# --- when ----------------------------------------------------------------------------------------


def test_answers_are_due_the_set_number_of_days_after_the_close_date(org):
    campaign = closed_test_campaign(org, answered=6)
    assert campaign.answers_expire_on == campaign.closes_on + timedelta(days=30)
    assert due_campaigns(campaign.answers_expire_on - timedelta(days=1)) == []
    assert due_campaigns(campaign.answers_expire_on) == [campaign]


def test_a_campaign_may_keep_its_answers_shorter_never_longer(org, settings):
    campaign = closed_test_campaign(org, answered=6)
    campaign.answer_retention_days = 10
    assert campaign.answers_expire_on == campaign.closes_on + timedelta(days=10)
    campaign.answer_retention_days = 400
    assert campaign.retention_days == 30
    settings.EXPERIENCES_ANSWER_RETENTION_DAYS = 5
    campaign.answer_retention_days = 10
    assert campaign.retention_days == 5


def test_open_and_draft_campaigns_are_never_due(org):
    from dialogues.experiences.tests.factories import open_test_campaign

    campaign, _tokens = open_test_campaign(org)
    far = campaign.closes_on + timedelta(days=3650)
    assert due_campaigns(far) == []
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    assert due_campaigns(far) == []


def campaign_form_data(org, **fields):
    today = timezone.localdate()
    return {
        "name": "Spring",
        "concepts": ["wellbeing"],
        "units": [org.university.pk],
        "role_groups": ["employee"],
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
        "reminder_limit": 2,
        "reminder_interval_days": 7,
        "count_minimum": 5,
        "comment_minimum": 10,
        "sensitive_minimum": 20,
        **fields,
    }


@pytest.mark.parametrize(
    ("days", "error"), [("0", "At least 1."), ("31", "At most 30, the organisation's rule.")]
)
def test_the_campaign_form_refuses_a_retention_outside_the_rule(org, days, error):
    form = CampaignForm(campaign_form_data(org, answer_retention_days=days))
    assert not form.is_valid()
    assert form.errors["answer_retention_days"] == [error]


def test_hr_sets_a_campaigns_retention_when_creating_it(client, org):
    client.force_login(org.hr_admin)
    page = client.get(reverse("experiences:campaign_create"))
    assert 'name="answer_retention_days"' in page.content.decode()
    assert "the organisation's rule, 30 days" in page.content.decode()
    client.post(
        reverse("experiences:campaign_create"), campaign_form_data(org, answer_retention_days=20)
    )
    assert Campaign.objects.get(name="Spring").answer_retention_days == 20
    client.post(reverse("experiences:campaign_create"), campaign_form_data(org, name="Autumn"))
    assert Campaign.objects.get(name="Autumn").answer_retention_days is None


# --- what goes, what stays ----------------------------------------------------------------------


def test_everything_made_from_the_answers_goes_and_the_campaign_stays(org):
    campaign = closed_test_campaign(org, answered=12)
    other = closed_test_campaign(org, answered=6)
    Campaign.objects.filter(pk=other.pk).update(closes_on=other.closes_on + timedelta(days=5))
    written = analysed(campaign, org)
    analysed(other, org)
    other_before = rows_of(other)
    invitees = CampaignInvitee.objects.filter(campaign=campaign).count()

    (deletion,) = delete_expired_answers(campaign.answers_expire_on)

    assert deletion.campaign == campaign and deletion.marked
    assert deletion.counts == {
        "responses": 12,
        "interviews": 1,
        "answers": 12 * 2 + 1,
        "vectors": written,
        "theme_assignments": written,
        "redactions": 1,
        "themes": 2,
        "theme_edits": 1,
        "drafts": 1,
        "pending_responses": 1,
    }
    assert set(rows_of(campaign).values()) == {0}
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.answers_deleted_at is not None
    # Who was invited and whether they answered stays with the campaign; the other is untouched.
    assert CampaignInvitee.objects.filter(campaign=campaign).count() == invitees
    assert rows_of(other) == other_before


def test_a_second_run_deletes_nothing_and_keeps_the_date(org):
    campaign = closed_test_campaign(org, answered=6)
    day = campaign.answers_expire_on
    assert len(delete_expired_answers(day)) == 1
    deleted_at = Campaign.objects.get(pk=campaign.pk).answers_deleted_at
    assert delete_expired_answers(day + timedelta(days=1)) == []
    assert Campaign.objects.get(pk=campaign.pk).answers_deleted_at == deleted_at


def test_an_interview_recorded_after_the_deletion_goes_at_the_next_run(org):
    campaign = closed_test_campaign(org, answered=6)
    delete_expired_answers(campaign.answers_expire_on)
    late = Response.objects.create(
        campaign=campaign,
        concept="wellbeing",
        reporting_unit=org.section,
        reporting_role_group="employee",
        source=Response.Source.INTERVIEW,
        participants=3,
    )
    Answer.objects.create(response=late, question_id=OPEN_QUESTION, text="Late")
    (deletion,) = delete_expired_answers(campaign.answers_expire_on)
    assert not deletion.marked
    assert (deletion.counts["interviews"], deletion.counts["answers"]) == (1, 1)
    assert not Response.objects.filter(campaign=campaign).exists()


def test_a_run_killed_half_way_is_finished_by_the_next(org, monkeypatch):
    campaign = closed_test_campaign(org, answered=7)
    monkeypatch.setattr(retention, "BATCH_SIZE", 3)

    class Killed(Exception):
        pass

    def kill_after_the_first_batch(stage, done, total):
        if done:
            raise Killed

    with pytest.raises(Killed):
        delete_expired_answers(campaign.answers_expire_on, progress=kill_after_the_first_batch)
    # Marked first: the pages already say the answers are gone while the rest waits.
    assert Campaign.objects.get(pk=campaign.pk).answers_deleted_at is not None
    assert Response.objects.filter(campaign=campaign).count() == 4
    (deletion,) = delete_expired_answers(campaign.answers_expire_on)
    assert deletion.counts["responses"] == 4
    assert not Response.objects.filter(campaign=campaign).exists()


def test_a_dry_run_counts_and_deletes_nothing(org):
    campaign = closed_test_campaign(org, answered=6)
    before = rows_of(campaign)
    (deletion,) = delete_expired_answers(campaign.answers_expire_on, dry_run=True)
    assert (deletion.counts["responses"], deletion.counts["answers"]) == (6, 12)
    assert rows_of(campaign) == before
    assert Campaign.objects.get(pk=campaign.pk).answers_deleted_at is None


# --- the command ---------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("delete_expired_answers", *args, "--verbosity", "0", stdout=out)
    return out.getvalue()


def test_the_command_reports_what_it_deleted_and_then_that_nothing_is_due(org):
    campaign = closed_test_campaign(org, answered=6)
    day = campaign.answers_expire_on.isoformat()
    assert run("--date", day, "--dry-run").splitlines() == [
        "Dry run: nothing was deleted.",
        f"“Experiences” (campaign {campaign.pk}, closed {campaign.closes_on.isoformat()}, "
        f"due {day}): 6 questionnaire responses, 12 answers would be deleted.",
        "Campaigns: 1; rows would be deleted: 18.",
    ]
    assert Response.objects.filter(campaign=campaign).count() == 6
    assert "6 questionnaire responses, 12 answers deleted." in run("--date", day)
    assert run("--date", day) == "No campaign has answers due for deletion.\n"


def test_the_command_takes_one_campaign_and_refuses_an_unknown_one(org):
    first = closed_test_campaign(org, answered=6)
    second = closed_test_campaign(org, answered=6)
    run("--date", first.answers_expire_on.isoformat(), "--campaign", str(second.pk))
    assert Response.objects.filter(campaign=first).count() == 6
    assert not Response.objects.filter(campaign=second).exists()
    with pytest.raises(CommandError, match="There is no campaign 999"):
        run("--campaign", "999")


def test_the_command_shows_progress_on_long_runs(org, capsys):
    campaign = closed_test_campaign(org, answered=6)
    call_command(
        "delete_expired_answers",
        "--date",
        campaign.answers_expire_on.isoformat(),
        stdout=io.StringIO(),
    )
    assert f"{campaign.pk}: Experiences" in capsys.readouterr().err


# --- the pages after the deletion ----------------------------------------------------------------


def deleted_campaign(org):
    campaign = closed_test_campaign(org, answered=11)
    delete_expired_answers(campaign.answers_expire_on)
    campaign.refresh_from_db()
    return campaign


def test_the_results_page_says_when_the_answers_were_deleted(client, org):
    campaign = deleted_campaign(org)
    client.force_login(org.director)
    page = client.get(reverse("insights:results", args=[campaign.pk]))
    assert page.status_code == 200
    day = date_format(timezone.localtime(campaign.answers_deleted_at).date(), "DATE_FORMAT")
    assert f"Answers deleted on {day}." in page.content.decode()
    listing = client.get(reverse("insights:campaigns")).content.decode()
    assert f"Closed. Answers deleted on {day}." in listing
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["comments", "search", "proposals", "report_pdf", "export_xlsx", "export_csv", "redact"],
)
def test_every_results_page_and_file_of_a_deleted_campaign_says_so(client, org, name):
    campaign = closed_test_campaign(org, answered=11)
    answer = Answer.objects.filter(question_id=OPEN_QUESTION).first()
    delete_expired_answers(campaign.answers_expire_on)
    kwargs = {"pk": campaign.pk}
    if name == "comments":
        kwargs["question"] = OPEN_QUESTION
    if name == "redact":
        kwargs["answer_id"] = answer.pk
    client.force_login(org.hr_admin)
    page = client.get(reverse(f"insights:{name}", kwargs=kwargs))
    assert page.status_code == 410
    assert "Answers deleted on" in page.content.decode()
    assert not ExportLog.objects.exists()


def test_the_list_says_until_when_the_results_can_be_read(client, org):
    campaign = closed_test_campaign(org, answered=6)
    client.force_login(org.director)
    day = date_format(campaign.answers_expire_on, "DATE_FORMAT")
    listing = client.get(reverse("insights:campaigns")).content.decode()
    assert f"the results can be read until {day}, when the answers are deleted" in listing


def test_the_api_says_gone_for_a_deleted_campaign_and_lists_when(client, org):
    from dialogues.insights.models import ApiToken

    campaign = deleted_campaign(org)
    _token, key = ApiToken.issue(org.hr_admin, "BI")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    gone = client.get(reverse("insights:api_results", args=[campaign.pk]), **bearer)
    assert gone.status_code == 410 and gone.json()["error"] == "answers_deleted"
    listed = client.get(reverse("insights:api_campaigns"), **bearer).json()["campaigns"]
    day = timezone.localdate(campaign.answers_deleted_at).isoformat()
    assert [one["answers_deleted_on"] for one in listed] == [day]


def test_no_interview_is_taken_for_a_campaign_whose_answers_were_deleted(org):
    from dialogues.experiences.domain.answering import AnswersInvalid, record_interview

    campaign = deleted_campaign(org)
    with pytest.raises(AnswersInvalid) as refused:
        record_interview(
            campaign,
            concept="wellbeing",
            unit=org.section,
            role_groups=["employee"],
            participants=3,
            answers={str(OPEN_QUESTION): "Late"},
        )
    assert "deleted" in str(refused.value.errors)
    assert not Response.objects.filter(campaign=campaign).exists()
