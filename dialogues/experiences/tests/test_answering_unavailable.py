"""While the database is out of reach, the questionnaire says what became of the answers.

An autosave says the draft was not saved; a submission whose COMMIT got no answer does not
claim "not saved", as the answers may be stored (the link, opened again, tells).
"""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from dialogues.experiences.models import Draft
from dialogues.experiences.tests.factories import open_test_campaign


@pytest.fixture
def database_down(monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("dialogues.experiences.views_answering.find_invitee", down)


@pytest.fixture
def link(org):
    _campaign, tokens = open_test_campaign(org)
    return reverse("experiences:answer", args=[tokens[0]])


TYPED = {"concepts": ["wellbeing"], "wellbeing-1-text": "typed while it was down"}


@pytest.mark.django_db
def test_an_autosave_while_the_database_is_down_says_the_draft_was_not_saved(link, database_down):
    response = Client(raise_request_exception=False).post(
        link, TYPED | {"autosave": "1"}, headers={"HX-Request": "true", "Accept-Language": "en"}
    )
    # htmx swaps only a 2xx answer: the status must replace the "Draft saved." shown before.
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your draft could not be saved just now" in text and "Draft saved." not in text
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_the_save_button_while_the_database_is_down_gets_the_503_page(link, database_down):
    response = Client(raise_request_exception=False).post(link, TYPED | {"save": "save"})
    assert response.status_code == 503 and response["Retry-After"]
    assert "Your answers were not saved" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_submission_whose_commit_got_no_answer_does_not_claim_it_was_not_saved(org, monkeypatch):
    """The COMMIT reaches PostgreSQL, then the connection breaks before its answer comes."""
    from django.db import connection

    from dialogues.common.testing.jobs import restore_seed_rows
    from dialogues.experiences.domain.guide import visible_questions
    from dialogues.experiences.models import CampaignInvitee, PendingResponse

    # An earlier transactional test in this process may have emptied the seeded tables.
    restore_seed_rows()
    campaign, tokens = open_test_campaign(org)
    link = reverse("experiences:answer", args=[tokens[0]])
    # By the snapshot's ids: seeded again, the guide's questions have new ids.
    snapshot = campaign.guide_version.snapshot
    first = next(
        question
        for question in visible_questions(snapshot, {}, concept="wellbeing")
        if question["kind"] == "open"
    )
    typed = {"concepts": ["wellbeing"], f"wellbeing-{first['id']}-text": "typed"}
    commit = connection.commit

    def committed_but_cut_off():
        commit()
        raise OperationalError("server closed the connection unexpectedly")

    def cut_off():
        raise OperationalError("the connection is lost")

    monkeypatch.setattr(connection, "commit", committed_but_cut_off)
    monkeypatch.setattr(connection, "rollback", cut_off)
    response = Client(raise_request_exception=False).post(link, typed | {"submit": "submit"})
    monkeypatch.undo()
    text = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "We cannot tell whether your answers were saved" in text
    assert "were not saved" not in text and "blev ikke gemt" not in text
    # Stored after all: opening the link again says so.
    assert PendingResponse.objects.count() == 1
    assert CampaignInvitee.objects.filter(answered=True).count() == 1
    assert Client().get(link).status_code == 410
