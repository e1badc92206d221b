"""When the database cannot be reached: HTTP 503, a clear page, nothing pretended saved."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from dialogues.experiences.models import Draft, PendingResponse, Response
from dialogues.experiences.tests.factories import open_test_campaign


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


def refuse_connections(monkeypatch, target: str):
    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(target, down)


@pytest.mark.django_db
def test_a_submission_while_the_database_is_down_says_it_was_not_saved(
    org, monkeypatch, quiet_client
):
    campaign, tokens = open_test_campaign(org)
    url = reverse("experiences:answer", args=[tokens[0]])
    quiet_client.post(url, {"concepts": ["wellbeing"], "wellbeing-1-text": "draft", "save": "1"})
    refuse_connections(monkeypatch, "dialogues.experiences.views_answering.find_invitee")
    response = quiet_client.post(
        url, {"concepts": ["wellbeing"], "wellbeing-1-text": "final", "submit": "submit"}
    )
    assert response.status_code == 503 and response["Retry-After"]
    text = response.content.decode()
    assert "Your answers were not saved" in text and "Dine svar blev ikke gemt" in text
    assert "no-store" in response["Cache-Control"]
    monkeypatch.undo()
    assert not PendingResponse.objects.exists() and not Response.objects.exists()
    assert Draft.objects.get().answers == {"wellbeing": {"1": "draft"}}


@pytest.mark.django_db
def test_another_page_while_the_database_is_down_is_a_plain_503(monkeypatch, quiet_client):
    refuse_connections(monkeypatch, "dialogues.concepts.views.Concept.objects.all")
    response = quiet_client.get(reverse("concepts:overview"))
    assert response.status_code == 503
    assert "Dialogues is unavailable just now" in response.content.decode()


@pytest.mark.django_db
def test_a_real_bug_is_still_a_500(monkeypatch, quiet_client):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("dialogues.concepts.views.Concept.objects.all", broken)
    response = quiet_client.get(reverse("concepts:overview"))
    assert response.status_code == 500
