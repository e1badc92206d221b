import os
import subprocess
import sys

import pytest
from django.urls import reverse

from dialogues.common.models import AccessibilityStatement


@pytest.mark.django_db
def test_every_page_links_to_the_accessibility_statement(client):
    for url in [reverse("accounts:login"), reverse("concepts:overview")]:
        assert f'href="{reverse("common:accessibility")}"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_accessibility_statement_is_public_in_both_languages(client):
    html = client.get(reverse("common:accessibility")).content.decode()
    assert "WCAG 2.1" in html and "Agency for Digital Government" in html
    client.cookies["django_language"] = "da"
    html = client.get(reverse("common:accessibility")).content.decode()
    assert "Tilgængelighedserklæring for Dialogues" in html


def test_the_hr_administrator_edits_the_accessibility_statement(client, org):
    client.force_login(org.hr_admin)
    response = client.post(
        reverse("common:accessibility_edit"),
        {"body_da": "Ny erklæring.\n\nAnden del.", "body_en": "New statement <b>bold</b>."},
    )
    assert response.status_code == 302
    statement = AccessibilityStatement.current()
    assert statement.updated_by == org.hr_admin
    html = client.get(reverse("common:accessibility")).content.decode()
    # The text is shown as text: HTML in it is escaped, never run.
    assert "New statement &lt;b&gt;bold&lt;/b&gt;." in html


def test_the_statement_edit_is_refused_to_others(client, org):
    client.force_login(org.director)
    assert (
        client.post(
            reverse("common:accessibility_edit"), {"body_da": "x", "body_en": "y"}
        ).status_code
        == 403
    )
    assert AccessibilityStatement.current().body_da != "x"


@pytest.mark.django_db
def test_the_health_check_answers_when_the_database_does(client):
    response = client.get(reverse("common:health"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_pages_forbid_inline_script_and_style(client):
    policy = client.get(reverse("accounts:login")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_the_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DIALOGUES_", "PYTEST"))
    } | {
        "DIALOGUES_VAR_DIR": str(tmp_path),
        "DIALOGUES_HTTPS": "1",
        "DIALOGUES_SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-" + "y" * 20,
        "DIALOGUES_ALLOWED_HOSTS": "dialogues.example.org",
        "DIALOGUES_SMTP_HOST": "smtp.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_a_refused_form_explains_itself_on_a_page_the_csp_allows():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {})
    html = response.content.decode()
    assert response.status_code == 403
    assert "The form could not be sent" in html
    assert "<style" not in html
