"""An autosave while the database is out of reach says that the draft was not saved."""

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
