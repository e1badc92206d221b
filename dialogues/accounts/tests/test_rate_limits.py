"""Guessing is limited wherever one can log in: passwords, reset mails, single sign-on."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "203.0.113.9"


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client: Client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def ask_for_reset(client: Client, email: str):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def wait_out_the_cool_off():
    """Move every counted failure 16 minutes into the past (the cool-off is 15)."""
    earlier = timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - earlier)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - earlier)


# --- log-in: one email from one address (django-axes) --------------------------------------


def test_five_wrong_passwords_pause_that_email_from_that_address_only(org):
    guesser = from_address(ADDRESS)
    for attempt in range(4):
        assert log_in(guesser, "manager@example.org", f"guess {attempt}").status_code == 200
    # The fifth wrong password is answered with the pause already.
    assert log_in(guesser, "manager@example.org", "guess 4").status_code == 429
    locked = log_in(guesser, "manager@example.org", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    html = locked.content.decode()
    assert "Too many attempts" in html
    assert "logging in with this email is paused for 15 minutes" in html
    # The real manager, elsewhere, is not locked out by someone else's guessing.
    assert log_in(from_address(OTHER_ADDRESS), "manager@example.org", PASSWORD).status_code == 302


def test_the_pause_ends_after_fifteen_minutes(org):
    guesser = from_address(ADDRESS)
    for attempt in range(5):
        log_in(guesser, "manager@example.org", f"guess {attempt}")
    assert log_in(guesser, "manager@example.org", PASSWORD).status_code == 429
    wait_out_the_cool_off()
    assert log_in(guesser, "manager@example.org", PASSWORD).status_code == 302


def test_behind_the_proxy_each_visitor_is_paused_alone(settings, org):
    settings.PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ADDRESS)
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OTHER_ADDRESS)
    for attempt in range(5):
        log_in(guesser, "manager@example.org", f"guess {attempt}")
    assert log_in(guesser, "manager@example.org", PASSWORD).status_code == 429
    # Same proxy, another person: without the forwarded address both would be one "visitor".
    assert log_in(colleague, "manager@example.org", PASSWORD).status_code == 302


# --- log-in: one address trying many emails -------------------------------------------------


@pytest.fixture
def five_failures_per_address(settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"login-address": (5, 15 * 60)}


def test_one_address_trying_one_password_on_many_people_is_paused(five_failures_per_address, org):
    guesser = from_address(ADDRESS)
    people = ["employee", "manager", "director", "amr", "tr"]
    for person in people:
        assert log_in(guesser, f"{person}@example.org", "Summer2025!").status_code == 200
    # Even the right password of a sixth person is not tried any more from this address.
    response = log_in(guesser, "outsider@example.org", PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    html = response.content.decode()
    assert "Too many wrong passwords were sent from your network" in html
    assert "Try again in" in html
    assert "_auth_user_id" not in guesser.session
    assert log_in(from_address(OTHER_ADDRESS), "outsider@example.org", PASSWORD).status_code == 302


def test_right_passwords_are_not_counted_against_the_address(five_failures_per_address, org):
    office = from_address(ADDRESS)
    for person in ["employee", "manager", "director", "amr", "tr", "outsider"]:
        assert log_in(office, f"{person}@example.org", PASSWORD).status_code == 302
        office.post(reverse("accounts:logout"))
    assert log_in(office, "hr-admin@example.org", PASSWORD).status_code == 302


def test_the_pause_is_explained_in_danish(five_failures_per_address, org):
    guesser = from_address(ADDRESS)
    guesser.cookies["django_language"] = "da"
    for attempt in range(5):
        log_in(guesser, f"person{attempt}@example.org", "guess")
    html = log_in(guesser, "employee@example.org", PASSWORD).content.decode()
    assert "For mange forsøg" in html
    assert "Prøv igen om" in html


# --- password reset ---------------------------------------------------------------------------


def test_one_email_gets_at_most_three_reset_mails_an_hour_and_the_same_page_after(org):
    answers = [
        ask_for_reset(from_address(f"198.51.100.{n}"), "employee@example.org") for n in range(5)
    ]
    assert [answer.status_code for answer in answers] == [302] * 5
    assert {answer["Location"] for answer in answers} == {reverse("accounts:password_reset_done")}
    assert len(mail.outbox) == 3
    # The email is counted whatever its case or spaces.
    ask_for_reset(from_address(OTHER_ADDRESS), "  EMPLOYEE@example.org ")
    assert len(mail.outbox) == 3


def test_an_unknown_email_is_answered_exactly_like_a_known_one(org):
    def answers(email: str, first_address: int):
        seen = []
        for n in range(5):
            response = ask_for_reset(from_address(f"198.51.100.{first_address + n}"), email)
            seen.append((response.status_code, response.get("Location"), response.content))
        return seen

    assert answers("employee@example.org", 10) == answers("nobody@example.org", 20)


def test_one_address_may_ask_for_ten_resets_an_hour(org):
    asker = from_address(ADDRESS)
    for n in range(10):
        assert ask_for_reset(asker, f"person{n}@example.org").status_code == 302
    response = ask_for_reset(asker, "employee@example.org")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60 * 60
    assert "Many links to set a new password were asked for from your network" in (
        response.content.decode()
    )
    assert mail.outbox == []
    # The employee, elsewhere, still gets their link.
    assert ask_for_reset(from_address(OTHER_ADDRESS), "employee@example.org").status_code == 302
    assert len(mail.outbox) == 1


def test_a_form_with_no_valid_email_is_not_counted(org):
    asker = from_address(ADDRESS)
    for _ in range(15):
        assert ask_for_reset(asker, "not an email").status_code == 200
    assert ask_for_reset(asker, "employee@example.org").status_code == 302


# --- single sign-on's return ------------------------------------------------------------------


@pytest.fixture
def sso(settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"sso-callback-address": (3, 10 * 60)}
    settings.ROOT_URLCONF = "dialogues.accounts.tests.sso_urls"
    return reverse("oidc_authentication_callback")


def test_forged_returns_from_single_sign_on_are_limited_per_address(sso, org):
    forger = from_address(ADDRESS)
    for n in range(3):
        # No log-in was started in this session: the return fails without asking the provider.
        response = forger.get(sso, {"code": f"code-{n}", "state": f"state-{n}"})
        assert response.status_code == 302
        assert "_auth_user_id" not in forger.session
    response = forger.get(sso, {"code": "code-4", "state": "state-4"})
    assert response.status_code == 429
    assert "Logging in with single sign-on failed too many times" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    elsewhere = from_address(OTHER_ADDRESS).get(sso, {"code": "code", "state": "state"})
    assert elsewhere.status_code == 302


def test_a_replayed_state_counts_as_a_failed_return(sso, org):
    forger = from_address(ADDRESS)
    session = forger.session
    session["oidc_states"] = {"the-real-state": {"nonce": "n", "code_verifier": None}}
    session.save()
    for n in range(3):
        assert forger.get(sso, {"code": "c", "state": f"replayed-{n}"}).status_code == 400
    assert forger.get(sso, {"code": "c", "state": "replayed-4"}).status_code == 429
