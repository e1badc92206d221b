from django.conf import settings
from django.urls import reverse


def test_the_switch_remembers_the_choice_in_a_cookie(client, db):
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "/concepts/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/concepts/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/concepts/").headers["Content-Language"] == "en"


def test_the_switch_stores_the_choice_on_a_signed_in_persons_profile(client, org):
    client.force_login(org.employee)
    client.post(reverse("accounts:set_language"), {"language": "da", "next": "/"})
    org.employee.refresh_from_db()
    assert org.employee.preferred_language == "da"


def test_the_preferred_language_is_the_default_after_logging_in(client, org):
    org.employee.preferred_language = "da"
    org.employee.save()
    client.force_login(org.employee)
    response = client.get(reverse("common:home"), headers={"accept-language": "en"})
    assert response.headers["Content-Language"] == "da"
    assert '<html lang="da">' in response.content.decode()


def test_an_unknown_language_is_ignored(client, org):
    client.force_login(org.employee)
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    org.employee.refresh_from_db()
    assert org.employee.preferred_language == "en"


def test_the_switch_never_redirects_to_another_site(client, db):
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_profile_form_saves_the_preferred_language(client, org):
    client.force_login(org.employee)
    response = client.post(reverse("accounts:profile"), {"preferred_language": "da"})
    assert response.status_code == 302
    org.employee.refresh_from_db()
    assert org.employee.preferred_language == "da"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "da"
