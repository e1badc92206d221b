"""Guessing API tokens, and making tokens, are limited (RATE_LIMITS, dialogues.common.ratelimit)."""

import pytest
from django.test import Client
from django.urls import reverse

from dialogues.insights.models import ApiToken
from dialogues.insights.tests.factories import closed_test_campaign

pytestmark = pytest.mark.django_db

GUESSER = "198.51.100.7"
REPORTING_SERVER = "203.0.113.9"


@pytest.fixture
def five_wrong_tokens(settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"api-token-address": (5, 10 * 60)}


def api_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address, enforce_csrf_checks=True)


def campaigns(client: Client, key: str | None):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return client.get(reverse("insights:api_campaigns"), headers=headers)


def test_the_default_limit_is_twenty_wrong_tokens_in_ten_minutes(settings):
    assert settings.RATE_LIMITS["api-token-address"] == (20, 10 * 60)


def test_wrong_tokens_from_one_address_lead_to_429_with_retry_after(five_wrong_tokens, org):
    guesser = api_from(GUESSER)
    for n in range(5):
        assert campaigns(guesser, f"guess-{n}").status_code == 401
    response = campaigns(guesser, "guess-6")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 10 * 60
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "too_many_requests"
    assert "Too many wrong API tokens came from your address" in body["message"]


def test_over_the_limit_even_a_right_token_from_that_address_is_refused(five_wrong_tokens, org):
    """Otherwise the 429 would only slow wrong guesses, and a right one would still be told."""
    _token, key = ApiToken.issue(org.hr_admin, "BI")
    guesser = api_from(GUESSER)
    for n in range(5):
        campaigns(guesser, f"guess-{n}")
    assert campaigns(guesser, key).status_code == 429
    campaign = closed_test_campaign(org, answered=7)
    results = guesser.get(
        reverse("insights:api_results", args=[campaign.pk]),
        headers={"Authorization": f"Bearer {key}"},
    )
    assert results.status_code == 429


def test_a_right_token_still_works_from_another_address(five_wrong_tokens, org):
    _token, key = ApiToken.issue(org.hr_admin, "BI")
    guesser = api_from(GUESSER)
    for n in range(6):
        campaigns(guesser, f"guess-{n}")
    assert campaigns(guesser, "guess-7").status_code == 429
    response = campaigns(api_from(REPORTING_SERVER), key)
    assert response.status_code == 200
    assert "campaigns" in response.json()


def test_right_tokens_and_missing_tokens_are_not_counted(five_wrong_tokens, org):
    _token, key = ApiToken.issue(org.hr_admin, "BI")
    server = api_from(REPORTING_SERVER)
    for _ in range(10):
        assert campaigns(server, key).status_code == 200
        assert campaigns(server, None).status_code == 401
    assert campaigns(server, "one-wrong").status_code == 401
    assert campaigns(server, key).status_code == 200


def test_the_api_description_stays_open_to_a_limited_address(five_wrong_tokens, org):
    guesser = api_from(GUESSER)
    for n in range(6):
        campaigns(guesser, f"guess-{n}")
    assert guesser.get(reverse("insights:api_openapi")).status_code == 200


def test_the_limit_message_is_translated(five_wrong_tokens, org):
    guesser = api_from(GUESSER)
    for n in range(5):
        campaigns(guesser, f"guess-{n}")
    response = guesser.get(
        reverse("insights:api_campaigns"),
        headers={"Authorization": "Bearer guess", "Accept-Language": "da"},
    )
    assert response.status_code == 429
    assert "For mange forkerte API-nøgler" in response.json()["message"]


# --- making tokens ---------------------------------------------------------------------------


@pytest.fixture
def three_tokens_an_hour(settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"api-token-create": (3, 60 * 60)}


def test_one_person_may_make_only_so_many_tokens_an_hour(three_tokens_an_hour, client, org):
    client.force_login(org.hr_partner)
    for n in range(3):
        response = client.post(reverse("insights:api_tokens"), {"name": f"Tool {n}"})
        assert response.status_code == 200
    response = client.post(reverse("insights:api_tokens"), {"name": "Tool 4"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 * 60
    assert "You made many tokens in a short time. Try again in" in response.content.decode()
    assert ApiToken.objects.filter(user=org.hr_partner).count() == 3
    # Someone else is not held up by it.
    client.force_login(org.hr_admin)
    assert client.post(reverse("insights:api_tokens"), {"name": "Mine"}).status_code == 200
    assert ApiToken.objects.filter(user=org.hr_admin).count() == 1


def test_an_invalid_token_form_is_not_counted(three_tokens_an_hour, client, org):
    client.force_login(org.hr_partner)
    for _ in range(5):
        client.post(reverse("insights:api_tokens"), {"name": ""})
    assert client.post(reverse("insights:api_tokens"), {"name": "Tool"}).status_code == 200
    assert ApiToken.objects.filter(user=org.hr_partner).count() == 1
