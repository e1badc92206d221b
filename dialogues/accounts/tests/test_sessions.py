"""A log-in ends: at its age, after a while unused, and on the server when one logs out."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD

HOUR = 60 * 60


@pytest.fixture
def clock(monkeypatch):
    """Move the time that sessions and the session limits read: ``clock.forward(seconds)``."""

    class Clock:
        now = timezone.now()

        def forward(self, seconds: float) -> None:
            self.now += timedelta(seconds=seconds)

    fake = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fake.now)
    return fake


def logged_in(person) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def signed_in(client: Client) -> bool:
    response = client.get(reverse("accounts:profile"))
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    return False


def test_the_settings_are_eight_hours_and_two_hours_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * HOUR
    assert settings.SESSION_IDLE_SECONDS == 2 * HOUR
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_log_in_ends_after_its_age_however_busy_the_person_is(settings, clock, org):
    client = logged_in(org.employee)
    # Used every half hour: never idle, and each use renews Django's own expiry date.
    for _ in range(settings.SESSION_COOKIE_AGE // (HOUR // 2) - 1):
        clock.forward(HOUR // 2)
        assert signed_in(client)
    clock.forward(HOUR // 2)
    assert not signed_in(client)
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Your log-in has expired. Log in again to continue." in html


def test_an_unused_log_in_ends_after_the_idle_time(settings, clock, org):
    client = logged_in(org.employee)
    clock.forward(settings.SESSION_IDLE_SECONDS - 60)
    assert signed_in(client)
    clock.forward(settings.SESSION_IDLE_SECONDS + 1)
    assert not signed_in(client)
    html = client.get(reverse("accounts:login")).content.decode()
    assert "You were logged out because the site was not used for a while." in html


def test_an_ended_log_in_is_deleted_on_the_server(settings, clock, org):
    client = logged_in(org.employee)
    old_key = client.cookies["sessionid"].value
    clock.forward(settings.SESSION_IDLE_SECONDS + 1)
    assert not signed_in(client)
    assert not Session.objects.filter(session_key=old_key).exists()
    # Replaying the old cookie later does not bring the log-in back.
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert not signed_in(replay)


def test_a_session_left_in_the_database_past_its_age_signs_nobody_in(settings, clock, org):
    """Django's own expiry, without the middleware's help: the row's expiry date has passed."""
    client = logged_in(org.employee)
    clock.forward(settings.SESSION_COOKIE_AGE + 1)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key, expire_date__lt=clock.now).exists()
    assert not signed_in(client)


def test_the_idle_ending_says_so_in_danish(settings, clock, org):
    org.employee.preferred_language = "da"
    org.employee.save()
    client = logged_in(org.employee)
    clock.forward(settings.SESSION_IDLE_SECONDS + 1)
    client.cookies["django_language"] = "da"
    follow = client.get(reverse("accounts:profile"), follow=True)
    assert "Du blev logget ud, fordi siden ikke blev brugt i et stykke tid." in (
        follow.content.decode()
    )


def test_an_htmx_request_after_the_end_sends_the_whole_page_to_log_in(settings, clock, org):
    client = logged_in(org.employee)
    clock.forward(settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("organisation:people"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("accounts:login")


def test_the_last_use_is_written_at_most_once_a_minute(clock, org):
    client = logged_in(org.employee)
    key = client.cookies["sessionid"].value

    def stored():
        return Session.objects.get(session_key=key).get_decoded()["dialogues_last_seen_at"]

    first = stored()
    clock.forward(30)
    signed_in(client)
    assert stored() == first
    clock.forward(31)
    signed_in(client)
    assert stored() == first + 61


def test_logging_out_deletes_the_session_on_the_server(org):
    client = logged_in(org.employee)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not signed_in(replay)


def test_the_session_cookie_ends_with_the_browser_and_is_out_of_scripts_reach(org):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": org.employee.email, "password": PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
