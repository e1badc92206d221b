"""Every address of the site refuses a form sent without its CSRF token, and changes nothing.

A signed-in HR administrator (a superuser for the Django admin) posts to every URL pattern,
with a client that checks CSRF as a browser's cookies would make necessary, and without the
token: each answer must be the CSRF refusal page (403), and the database must be as before.
Django checks the token before any view runs, whether or not the view takes POST, so the test
needs no list of which views take POST; it does need the list of views that opt out.
"""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from conftest import PASSWORD
from dialogues.common.tests.test_access_matrix import site_url_names, url_for
from dialogues.organisation.models import Person

# The deliberate exceptions: views marked csrf_exempt, and why that is safe.
NO_CSRF = {
    "dialogues.insights.views_api.campaigns": (
        "the read-only JSON API: answers GET only (405 to anything else), and a Bearer token "
        "sent by a reporting tool, never a cookie, says who asks"
    ),
    "dialogues.insights.views_api.results": "the read-only JSON API, as above",
    "dialogues.insights.views_api.openapi_document": "the API's public description: GET only",
    "dialogues.insights.views_api.not_found": (
        "any other address under the API: a JSON 404 whatever the method; it changes nothing"
    ),
}
CSRF_REFUSAL = "The form could not be sent"


def every_pattern(resolver=None, prefix="", namespace=""):
    """(name or None, route with its prefixes, view) for every URL pattern of the site."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + _route(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_pattern(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, route, entry.callback


def _route(pattern) -> str:
    if isinstance(pattern, RegexPattern):
        return pattern._regex.lstrip("^").rstrip("$")
    return str(pattern)


def view_path(view) -> str:
    return f"{view.__module__}.{view.__name__}"


def example_path(route: str, values: dict[str, str]) -> str:
    """The route with each of its parameters filled in (``values`` by parameter name)."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m[1], "no-such-page/"), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m[1], "1"), path)
    return "/" + path


def database_state() -> dict[str, list]:
    """Every row of every table, except the sessions (a request may touch its own session)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model is not Session
    }


def csrf_client(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def assert_refused_without_change(client: Client, path: str):
    before = database_state()
    response = client.post(path, {"name": "changed", "post": "yes", "confirm": "1"})
    assert response.status_code == 403, f"POST {path}: HTTP {response.status_code}"
    assert CSRF_REFUSAL in response.content.decode(), f"POST {path}: not the CSRF refusal"
    assert database_state() == before, f"POST {path} changed the database"


def test_the_views_without_csrf_are_exactly_the_listed_exceptions():
    exempt = {
        view_path(view)
        for _name, _route, view in every_pattern()
        if getattr(view, "csrf_exempt", False)
    }
    assert exempt == set(NO_CSRF)


def protected_site_url_names() -> list[str]:
    """The named URLs of the site (as in the access matrix), less the listed exceptions."""
    exempt = {name for name, _route, view in every_pattern() if view_path(view) in NO_CSRF}
    return sorted(set(site_url_names()) - exempt)


@pytest.mark.parametrize("name", protected_site_url_names())
def test_a_post_without_the_token_is_refused_on_every_page(org, name):
    assert_refused_without_change(csrf_client(org.hr_admin), url_for(name, org))


def test_the_exceptions_change_nothing_when_posted_to(org):
    from dialogues.insights.tests.factories import closed_test_campaign

    client = csrf_client(org.hr_admin)
    campaign = closed_test_campaign(org, answered=7)
    for path in [
        reverse("insights:api_campaigns"),
        reverse("insights:api_results", args=[campaign.pk]),
        reverse("insights:api_openapi"),
        "/results/api/v1/anything/",
    ]:
        before = database_state()
        response = client.post(path, {"name": "changed"})
        assert response.status_code in (404, 405), f"POST {path}: HTTP {response.status_code}"
        assert database_state() == before


def admin_data(org):
    """At least one object for most models of the admin, so that their pages are real ones."""
    from django.contrib.auth.models import Group

    from dialogues.experiences.tests.factories import open_test_campaign
    from dialogues.organisation.models import OrganisationImport

    Group.objects.create(name="Readers")
    login = reverse("accounts:login")
    Client().post(login, {"username": org.employee.email, "password": "wrong"})  # axes rows
    Client().post(login, {"username": org.manager.email, "password": PASSWORD})
    OrganisationImport.objects.create(filename="hr.csv", status=OrganisationImport.Status.INVALID)
    open_test_campaign(org)  # a guide version
    return Person.objects.create_superuser(
        "root@example.org", "Root", "a long password", preferred_language="en"
    )


def admin_paths(org) -> list[tuple[str, str]]:
    """Every URL pattern of the Django admin, with real objects where a pattern names one."""
    objects = {}
    for model in admin.site._registry:
        found = model.objects.order_by("pk").first()
        if found is not None:
            objects[f"{model._meta.app_label}_{model._meta.model_name}_"] = str(found.pk)
    person_type = ContentType.objects.get_for_model(Person)
    paths = []
    for name, route, _view in every_pattern():
        if not route.startswith("admin/"):
            continue
        prefix = next((key for key in objects if (name or "").startswith(f"admin:{key}")), None)
        values = {
            "object_id": objects.get(prefix, str(org.employee.pk)),
            "content_type_id": str(person_type.pk),
            "id": str(org.employee.pk),
            "app_label": "organisation",
        }
        paths.append((name or route, example_path(route, values)))
    return paths


def test_every_admin_address_refuses_a_post_without_the_token(org):
    client = csrf_client(admin_data(org))
    paths = admin_paths(org)
    assert len(paths) > 50  # every model's list, add, change, delete and history
    for _name, path in paths:
        assert_refused_without_change(client, path)


def test_the_form_with_its_token_goes_through(org):
    """The other half: the refusal above is about the token, not about posting at all."""
    client = csrf_client(org.hr_admin)
    page = client.get(reverse("accounts:profile"))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("accounts:profile"), {"preferred_language": "da", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    org.hr_admin.refresh_from_db()
    assert org.hr_admin.preferred_language == "da"
