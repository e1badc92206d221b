"""Personal links never reach a log line, whichever logger writes the path."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from dialogues.experiences.logs import HideAnswerLinks
from dialogues.experiences.tests.factories import open_test_campaign


@pytest.fixture
def site_log(settings):
    """The site's console handler, writing to a list, with the filters the settings give it."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(HideAnswerLinks())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


def test_the_console_handler_is_configured_with_the_filter(settings):
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["hide_answer_links"]


@pytest.mark.django_db
def test_a_refused_csrf_post_to_the_questionnaire_logs_no_token(org, site_log):
    _campaign, tokens = open_test_campaign(org)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("experiences:answer", args=[tokens[0]]), {"save": "1"})
    assert response.status_code == 403
    assert any("/experiences/answer/…" in line for line in site_log)
    assert not any(tokens[0] in line for line in site_log)


def test_the_filter_hides_tokens_in_messages_and_arguments():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None
    )
    record.args = ("/experiences/answer/SECRET-token_1/",)
    record.msg = "Seen %s, /experiences/answer/OTHER/ and /experiences/answer/thanks/"
    HideAnswerLinks().filter(record)
    text = record.getMessage()
    assert "SECRET" not in text and "OTHER" not in text
    assert "/experiences/answer/thanks/" in text
