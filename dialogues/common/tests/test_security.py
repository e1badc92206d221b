"""The Content Security Policy on every page, and the production settings.

Every page of the site (each URL of the access matrix, as an HR administrator, as a role that
may open it, and anonymously) and every page of the Django admin carries a policy that allows
no inline script or style, and none of them holds an inline script, style or event handler
that such a policy would block. The production settings of docs/deployment.md pass
``check --deploy`` and make every response HTTPS-only: HSTS, Secure cookies, a redirect.
"""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from dialogues.common.tests.test_access_matrix import (
    ANONYMOUS,
    API_URLS,
    EXPECTED,
    site_url_names,
    url_for,
)
from dialogues.common.tests.test_csrf import admin_data, admin_paths

BASE_DIR = Path(__file__).resolve().parents[3]
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}
# Data blocks (json_script) are not run, so a policy does not block them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy_of(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def assert_strict_policy(response):
    policy = policy_of(response)
    for directive in ("script-src", "style-src"):
        assert policy[directive] == {"'self'"}, f"{directive}: {policy[directive]}"
    assert not (policy["default-src"] & UNSAFE)
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'self'"}
    assert policy["form-action"] == {"'self'"}


class InlineFinder(HTMLParser):
    """What a strict policy would block in a page: inline scripts, styles, handlers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        kind = (attributes.get("type") or "").lower()
        if tag == "script" and not attributes.get("src") and kind not in DATA_SCRIPT_TYPES:
            self.found.append(f"<script> without src: {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>: {value}")
            url = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and url.startswith("javascript:"):
                self.found.append(f"javascript: URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def assert_nothing_inline(response, where: str):
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    finder = InlineFinder()
    finder.feed(response.content.decode())
    assert not finder.found, f"{where}: {finder.found}"


def check_page(response, where: str):
    assert response.status_code < 500, f"{where}: HTTP {response.status_code}"
    assert_strict_policy(response)
    assert_nothing_inline(response, where)


# --- every page of the site ---------------------------------------------------------------


def visitors(name: str) -> list[str]:
    """Anonymous, the HR administrator, and, if refused, one role that may open the page."""
    chosen = [ANONYMOUS, "hr_admin"]
    if "hr_admin" not in EXPECTED[name]:
        chosen += sorted(EXPECTED[name] - {ANONYMOUS})[:1]
    return chosen


@pytest.mark.parametrize("name", sorted(site_url_names()))
def test_every_page_of_the_site_forbids_inline_script_and_style(org, name):
    from dialogues.insights.models import ApiToken

    path = url_for(name, org)
    for role in visitors(name):
        client = Client()
        headers = {}
        if role != ANONYMOUS and name in API_URLS:
            headers["Authorization"] = f"Bearer {ApiToken.issue(org.people[role], 'csp')[1]}"
        elif role != ANONYMOUS:
            client.force_login(org.people[role])
        check_page(client.get(path, headers=headers), f"{name} as {role}")


def test_the_error_pages_forbid_inline_script_and_style(client, org):
    client.force_login(org.employee)
    check_page(client.get("/no-such-page/"), "404")
    check_page(client.get(reverse("organisation:imports")), "403")
    refused = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {})
    assert refused.status_code == 403
    check_page(refused, "CSRF refusal")


def test_the_inline_finder_finds_what_the_policy_blocks():
    """The check above can fail: each kind of inline code is found."""
    finder = InlineFinder()
    finder.feed(
        '<script>alert(1)</script><script type="application/json">{}</script>'
        '<script src="/static/x.js"></script><style>p{}</style><p style="color:red">'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a>'
    )
    assert len(finder.found) == 5


# --- the Django admin -------------------------------------------------------------------------


def test_every_admin_page_forbids_inline_script_and_style(org):
    """Django 6.1's admin loads its scripts from files (data-* attributes, no inline code)."""
    client = Client()
    client.force_login(admin_data(org))
    statuses = {}
    for name, path in admin_paths(org):
        response = client.get(path)
        check_page(response, f"{name} ({path})")
        statuses[name] = response.status_code
    # The pages were really seen: the index, every list, and the change, delete and history
    # pages of the objects made by admin_data.
    seen = {name for name, status in statuses.items() if status == 200}
    assert "admin:index" in seen
    assert {name for name in statuses if name.endswith("_changelist")} <= seen
    for model in ("organisation_person", "organisation_unit", "concepts_concept", "auth_group"):
        for page in ("change", "delete", "history", "add"):
            assert f"admin:{model}_{page}" in seen
    assert "admin:axes_accessattempt_change" in seen
    assert "admin:experiences_guideversion_change" in seen


def test_the_admin_log_in_page_forbids_inline_script_and_style(client, db):
    check_page(client.get(reverse("admin:login")), "admin:login")


# --- production settings ----------------------------------------------------------------------


def production_environment(tmp_path) -> dict[str, str]:
    """The environment of docs/deployment.md, with nothing from this machine's DIALOGUES_*."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DIALOGUES_", "PYTEST", "DJANGO_", "DATABASE_URL", "OIDC_"))
    }
    return inherited | {
        "DIALOGUES_VAR_DIR": str(tmp_path),
        "DIALOGUES_SECRET_KEY": secrets.token_urlsafe(50),
        "DIALOGUES_HTTPS": "1",
        "DIALOGUES_BEHIND_PROXY": "1",
        "DIALOGUES_ALLOWED_HOSTS": "dialogues.example.org",
        "DIALOGUES_SITE_URL": "https://dialogues.example.org",
        "DIALOGUES_CSRF_TRUSTED_ORIGINS": "https://dialogues.example.org",
        "DIALOGUES_SMTP_HOST": "smtp.example.org",
        "DATABASE_URL": "postgres://dialogues:secret@db.example.org:5432/dialogues",
    }


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_the_documented_production_settings_pass_check_deploy(tmp_path):
    result = deploy_check(production_environment(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"DIALOGUES_HTTPS": ""}, "security.W004"),
        ({"DIALOGUES_DEBUG": "1"}, "security.W018"),
        ({"DIALOGUES_SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_check_deploy_fails_without_a_production_setting(tmp_path, change, warning):
    result = deploy_check(production_environment(tmp_path) | change)
    assert result.returncode == 1
    assert warning in result.stderr


SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "PROXY_COUNT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_TRUSTED_ORIGINS",
    "LANGUAGE_COOKIE_SECURE",
]


@pytest.fixture
def production(tmp_path, settings):
    """This process with the security settings that the production environment produces."""
    code = (
        "import json, dialogues.settings as s;"
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=production_environment(tmp_path),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(result.stdout)
    for name, value in values.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return values


def proxied(**extra) -> dict:
    """A request as the HTTPS proxy hands it on (docs/deployment.md's nginx block)."""
    return {
        "HTTP_HOST": "dialogues.example.org",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "REMOTE_ADDR": "127.0.0.1",
    } | extra


def test_production_is_https_only(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 60 * 60 * 24 * 365
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["PROXY_COUNT"] == 1


def test_plain_http_is_sent_to_https(production, db):
    response = Client().get(
        "/accounts/login/", HTTP_HOST="dialogues.example.org", REMOTE_ADDR="127.0.0.1"
    )
    assert response.status_code == 301
    assert response["Location"] == "https://dialogues.example.org/accounts/login/"


def test_every_https_answer_carries_strict_transport_security(production, db):
    response = Client().get("/accounts/login/", **proxied())
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_cookie_is_secure_in_production(production, org):
    client = Client()
    page = client.get("/accounts/login/", **proxied())
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True
    logged_in = client.post(
        "/accounts/login/",
        {"username": org.employee.email, "password": PASSWORD},
        **proxied(),
    )
    assert logged_in.status_code == 302
    assert logged_in["Strict-Transport-Security"].startswith("max-age=31536000")
    session = logged_in.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert session["samesite"] == "Lax"
    switched = client.post(reverse("accounts:set_language"), {"language": "da"}, **proxied())
    assert switched.cookies["django_language"]["secure"] is True


def test_behind_the_proxy_the_visitor_s_address_is_the_forwarded_one(production, org):
    """django-axes and the limits see the visitor, not the proxy (both pass through 127.0.0.1)."""
    from axes.models import AccessAttempt

    Client().post(
        "/accounts/login/", {"username": org.employee.email, "password": "wrong"}, **proxied()
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]
