import re

from django.core import mail
from django.urls import reverse

from conftest import PASSWORD


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_an_imported_person_without_a_password_can_set_one_by_email(client, org):
    org.employee.set_unusable_password()
    org.employee.save()

    response = client.post(reverse("accounts:password_reset"), {"email": "Employee@Example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["employee@example.org"]

    form_url = client.get(_link(mail.outbox[0])).url
    response = client.post(
        form_url,
        {"new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("accounts:login"),
            {"username": "employee@example.org", "password": "a new long passphrase"},
        ).status_code
        == 302
    )


def test_the_mail_is_written_in_the_persons_preferred_language(client, org):
    org.employee.preferred_language = "da"
    org.employee.save()
    client.post(reverse("accounts:password_reset"), {"email": "employee@example.org"})
    # The English subject is the msgid; the Danish one comes from the catalogue.
    from django.utils import translation

    with translation.override("da"):
        expected = translation.gettext("Set your password for Dialogues")
    assert expected != "Set your password for Dialogues"
    assert mail.outbox[0].subject == expected


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_person_who_has_left_gets_no_reset_mail(client, org):
    org.employee.is_active = False
    org.employee.save()
    client.post(reverse("accounts:password_reset"), {"email": "employee@example.org"})
    assert mail.outbox == []


def test_a_used_link_does_not_work_twice(client, org):
    client.post(reverse("accounts:password_reset"), {"email": "employee@example.org"})
    link = _link(mail.outbox[0])
    form_url = client.get(link).url
    client.post(
        form_url, {"new_password1": "first new passphrase", "new_password2": "first new passphrase"}
    )
    response = client.get(link, follow=True)
    assert "The link does not work" in response.content.decode()
    org.employee.refresh_from_db()
    assert not org.employee.check_password(PASSWORD)
