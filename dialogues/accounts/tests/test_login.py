import pytest
from django.urls import reverse

from conftest import PASSWORD


def test_a_person_logs_in_with_their_email_in_any_case(client, org):
    response = client.post(
        reverse("accounts:login"),
        {"username": "  MANAGER@Example.org ".strip(), "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("common:home")
    assert client.session["_auth_user_id"] == str(org.manager.pk)


def test_a_wrong_password_is_refused_with_a_message_next_to_the_form(client, org):
    response = client.post(
        reverse("accounts:login"), {"username": "manager@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "The email or the password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_person_who_has_left_cannot_log_in(client, org):
    org.employee.is_active = False
    org.employee.save()
    response = client.post(
        reverse("accounts:login"), {"username": "employee@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_guessing_is_stopped_after_five_wrong_passwords_even_with_the_right_one(client, org):
    for attempt in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": f"Manager@example.org{' ' * attempt}", "password": f"guess {attempt}"},
        )
    response = client.post(
        reverse("accounts:login"), {"username": "manager@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_people_can_still_log_in_while_one_email_is_locked(client, org):
    for attempt in range(6):
        client.post(
            reverse("accounts:login"),
            {"username": "manager@example.org", "password": f"guess {attempt}"},
        )
    response = client.post(
        reverse("accounts:login"), {"username": "employee@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_passwords_are_hashed_with_argon2_by_default(settings, org):
    from dialogues import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    org.employee.set_password("a long enough password")
    org.employee.save()
    org.employee.refresh_from_db()
    assert org.employee.password.startswith("argon2$")


def test_logging_out_needs_a_post(client, org):
    client.force_login(org.employee)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/organisation/", "/accounts/profile/"])
def test_pages_for_signed_in_people_send_others_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={path}"
