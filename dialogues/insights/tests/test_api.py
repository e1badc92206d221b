"""The read-only results API, its tokens and its OpenAPI description."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, reverse
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from dialogues.experiences.models import Question
from dialogues.experiences.tests.factories import open_test_campaign
from dialogues.insights import urls_exports, views_api
from dialogues.insights.domain.publication import publish
from dialogues.insights.domain.results import Slice, closed_result, comment_count, respondents
from dialogues.insights.models import ApiToken, ExportLog
from dialogues.insights.tests.factories import (
    CLOSED_QUESTION,
    OPEN_QUESTION,
    closed_test_campaign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_publications():
    """Publications are cached by campaign key, which a new test database may reuse."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """A client that enforces CSRF like a browser would: the API must not need it."""
    return Client(enforce_csrf_checks=True)


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def key_of(person, name="BI"):
    return ApiToken.issue(person, name)[1]


def results(api, campaign, key, **query):
    return api.get(reverse("insights:api_results", args=[campaign.pk]), query, **bearer(key))


def openapi_document(api):
    return api.get(reverse("insights:api_openapi")).json()


def validate(document, schema_name, data):
    """Check ``data`` against a schema of the OpenAPI document (JSON Schema 2020-12)."""
    registry = Registry().with_resource("urn:api", DRAFT202012.create_resource(document))
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"urn:api#/components/schemas/{schema_name}",
    }
    Draft202012Validator(schema, registry=registry).validate(data)


def schema_of(document, path, status):
    operation = document["paths"][path]["get"]
    content = operation["responses"][str(status)]["content"]["application/json"]
    return content["schema"]["$ref"].rsplit("/", 1)[1]


def concept(found, kind):
    return next(entry for entry in found["concepts"] if entry["kind"] == kind)


def question(found, kind, question_id):
    return next(
        (item for item in concept(found, kind)["questions"] if item["id"] == question_id), None
    )


# --- authentication ------------------------------------------------------------------------------


def test_no_token_is_refused_with_401_and_a_bearer_challenge(api, org):
    campaign = closed_test_campaign(org, answered=7)
    for url in (
        reverse("insights:api_campaigns"),
        reverse("insights:api_results", args=[campaign.pk]),
    ):
        response = api.get(url)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response["WWW-Authenticate"] == 'Bearer realm="Dialogues"'
        assert response.json()["error"] == "unauthorized"


def test_a_session_is_not_a_token(api, org):
    api.force_login(org.hr_admin)
    assert api.get(reverse("insights:api_campaigns")).status_code == 401


@pytest.mark.parametrize("header", ["Bearer not-a-key", "Bearer ", "Basic aGVsbG8=", "Token x"])
def test_an_invalid_token_is_refused_with_401(api, org, header):
    key_of(org.hr_admin)
    response = api.get(reverse("insights:api_campaigns"), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="Dialogues"')
    if header.startswith("Bearer not"):
        assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_revoked_token_is_refused_with_401(api, org):
    token, key = ApiToken.issue(org.hr_admin, "BI")
    assert api.get(reverse("insights:api_campaigns"), **bearer(key)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    response = api.get(reverse("insights:api_campaigns"), **bearer(key))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_the_token_of_someone_who_left_is_refused(api, org):
    key = key_of(org.manager)
    org.manager.is_active = False
    org.manager.save()
    assert api.get(reverse("insights:api_campaigns"), **bearer(key)).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_answered_and_without_csrf(api, org, method):
    campaign = closed_test_campaign(org, answered=7)
    key = key_of(org.hr_admin)
    for url in (
        reverse("insights:api_campaigns"),
        reverse("insights:api_results", args=[campaign.pk]),
        reverse("insights:api_openapi"),
    ):
        response = getattr(api, method)(url, **bearer(key))
        assert response.status_code == 405
        assert response["Allow"] == "GET"
        assert response.json()["error"] == "method_not_allowed"
    assert not ExportLog.objects.exists()


def test_a_read_marks_the_token_as_used(api, org):
    token, key = ApiToken.issue(org.hr_admin, "BI")
    assert token.last_used_at is None
    api.get(reverse("insights:api_campaigns"), **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- what the API says --------------------------------------------------------------------------


def test_the_campaigns_are_the_closed_ones(api, org):
    closed = closed_test_campaign(org, answered=7)
    open_test_campaign(org)
    response = api.get(reverse("insights:api_campaigns"), **bearer(key_of(org.manager)))
    assert response.status_code == 200
    campaigns = response.json()["campaigns"]
    assert [entry["id"] for entry in campaigns] == [closed.pk]
    entry = campaigns[0]
    assert entry["name"] == "Experiences"
    assert entry["opens_on"] == closed.opens_on.isoformat()
    assert entry["concepts"] == [
        {"kind": "wellbeing", "name": "Well-being dialogue"},
        {"kind": "leadership", "name": "Leadership dialogue"},
    ]
    assert entry["minimums"] == {"counts": 5, "comments": 10, "sensitive": 20}
    assert entry["results"].endswith(reverse("insights:api_results", args=[closed.pk]))


def test_the_results_are_the_figures_of_the_results_functions(api, org):
    campaign = closed_test_campaign(org, answered=12, choices=("yes", "yes", "no"))
    response = results(api, campaign, key_of(org.hr_admin), unit=org.department.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    found = response.json()
    publication = publish(campaign)
    slice_ = Slice(org.department.pk)
    asked = publication.questions[CLOSED_QUESTION]
    expected = closed_result(publication, slice_, "wellbeing", asked)
    assert found["slice"] == {
        "unit": org.department.pk,
        "unit_name": "Department of Tests",
        "source": "questionnaire",
        "own": False,
    }
    assert found["response_rate"] == {"answered": 12, "invited": 15, "percent": 80.0}
    assert concept(found, "wellbeing")["respondents"] == respondents(
        publication, slice_, "wellbeing"
    )
    item = question(found, "wellbeing", CLOSED_QUESTION)
    assert (item["respondents"], item["answered"]) == (expected.respondents, expected.answered)
    assert {c["choice"]: c["count"] for c in item["choices"]} == {
        share.choice: share.count for share in expected.shares
    }
    assert {c["choice"]: c["count"] for c in item["choices"]}["yes"] == 8
    assert question(found, "wellbeing", OPEN_QUESTION)["comments"] == comment_count(
        publication, slice_, "wellbeing", publication.questions[OPEN_QUESTION]
    )
    assert found["by_unit"] == [
        {
            "unit": org.section.pk,
            "own": False,
            "label": "Section of Cases",
            "respondents": {"wellbeing": 12},
            "response_rate": {"answered": 12, "invited": 15, "percent": 80.0},
        }
    ]
    assert [row["role"] for row in found["by_role"]] == ["employee"]


def test_a_suppressed_figure_is_absent_in_the_api_not_zero_or_null(api, org):
    Question.objects.filter(pk=CLOSED_QUESTION).update(sensitive=True)
    campaign = closed_test_campaign(org, answered=12)
    found = results(api, campaign, key_of(org.hr_admin)).json()
    assert "null" not in json.dumps(found)
    leadership = concept(found, "leadership")
    assert "respondents" not in leadership and leadership["questions"] == []
    # The sensitive question needs 20 people: not there at all, while the others are.
    assert question(found, "wellbeing", CLOSED_QUESTION) is None
    assert concept(found, "wellbeing")["respondents"] == 12
    # No drill-down row for the department without answers.
    labels = [row["label"] for row in found["by_unit"]]
    assert "Department of Tests" in labels and "Department of Others" not in labels
    assert all("leadership" not in row.get("respondents", {}) for row in found["by_unit"])


def test_a_campaign_under_the_minimum_shows_no_number_in_the_api(api, org):
    campaign = closed_test_campaign(org, answered=4)
    found = results(api, campaign, key_of(org.hr_admin)).json()
    assert "response_rate" not in found
    assert all("respondents" not in entry and not entry["questions"] for entry in found["concepts"])
    assert found["by_unit"] == [] and found["by_role"] == []


# --- who may read what ---------------------------------------------------------------------------


def test_a_manager_reads_their_section_and_is_refused_another_unit(api, org):
    campaign = closed_test_campaign(org, answered=7)
    key = key_of(org.manager)
    own = results(api, campaign, key)
    assert own.status_code == 200
    assert own.json()["slice"]["unit"] == org.section.pk
    for unit in (org.other_section, org.department):
        refused = results(api, campaign, key, unit=unit.pk)
        assert refused.status_code == 403
        assert refused["Content-Type"] == "application/json"
        assert refused.json() == {
            "error": "forbidden",
            "message": "You can read the results of your own units only.",
        }


def test_people_without_a_results_role_are_refused_with_json(api, org):
    campaign = closed_test_campaign(org, answered=7)
    for person in (org.employee, org.amr, org.outsider):
        key = key_of(person)
        for response in (
            results(api, campaign, key),
            api.get(reverse("insights:api_campaigns"), **bearer(key)),
        ):
            assert response.status_code == 403
            assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [({"unit": "abc"}, "unit"), ({"role": "nobody"}, "role"), ({"source": "x"}, "source")],
)
def test_a_bad_parameter_is_a_400_that_names_it(api, org, query, parameter):
    campaign = closed_test_campaign(org, answered=7)
    response = results(api, campaign, key_of(org.hr_admin), **query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert list(body["parameters"]) == [parameter]
    assert parameter in body["message"]


def test_an_unknown_or_open_campaign_is_a_json_404(api, org):
    campaign, _tokens = open_test_campaign(org)
    key = key_of(org.hr_admin)
    for pk in (campaign.pk, campaign.pk + 100):
        response = api.get(reverse("insights:api_results", args=[pk]), **bearer(key))
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
    response = api.get("/results/api/v1/nothing/", **bearer(key))
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_an_address_without_its_slash_is_sent_to_the_one_with_it(api, org):
    response = api.get("/results/api/v1/campaigns?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/results/api/v1/campaigns/?x=1"


def test_each_read_is_logged_with_who_and_what(api, org):
    campaign = closed_test_campaign(org, answered=7)
    token, key = ApiToken.issue(org.director, "BI")
    api.get(reverse("insights:api_campaigns"), **bearer(key))
    results(api, campaign, key, unit=org.section.pk, role="employee")
    results(api, campaign, key, unit=org.other_section.pk)  # refused: not logged
    listing, read = ExportLog.objects.order_by("at", "pk")
    assert ExportLog.objects.count() == 2
    assert (listing.user, listing.campaign, listing.kind) == (org.director, None, "api")
    assert listing.what == {"path": reverse("insights:api_campaigns"), "token": token.prefix}
    assert (read.user, read.campaign, read.kind) == (org.director, campaign, "api")
    path = reverse("insights:api_results", args=[campaign.pk])
    assert read.what == {
        "unit": org.section.pk,
        "role": "employee",
        "source": "questionnaire",
        "own": False,
        "path": f"{path}?unit={org.section.pk}&role=employee",
        "token": token.prefix,
    }


# --- the OpenAPI description --------------------------------------------------------------------


def test_the_openapi_document_is_public_json_of_version_3_1(api, org):
    response = api.get(reverse("insights:api_openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made on the API tokens page of Dialogues.",
    }
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    validate(document, "OpenApiDocument", document)


def test_every_address_the_api_serves_is_described(api, org):
    document = openapi_document(api)
    server = document["servers"][0]["url"].removeprefix("http://testserver")
    templates = {
        re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(server + path)) + "$"): path
        for path in document["paths"]
    }
    served = [
        entry
        for entry in urls_exports.urlpatterns
        if isinstance(entry, URLPattern)
        and entry.name
        and entry.callback.__module__ == views_api.__name__
    ]
    assert {entry.name for entry in served} == {"api_campaigns", "api_results", "api_openapi"}
    described = set()
    for entry in served:
        url = reverse(
            f"insights:{entry.name}", kwargs={"pk": 7} if "pk" in str(entry.pattern) else {}
        )
        matches = [path for pattern, path in templates.items() if pattern.match(url)]
        assert len(matches) == 1, url
        described.add(matches[0])
    assert described == set(document["paths"])
    parameters = document["paths"]["/campaigns/{id}/results/"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}
    assert by_name["role"]["enum"] == [
        "employee",
        "manager",
        "representative",
        "committee",
        "hr",
        "all",
    ]
    assert by_name["source"]["enum"] == ["questionnaire", "interview", "all"]


def test_the_answers_of_the_api_keep_to_their_schemas(api, org):
    Question.objects.filter(pk=CLOSED_QUESTION + 2).update(sensitive=True)
    campaign = closed_test_campaign(org, answered=12)
    small = closed_test_campaign(org, answered=4)
    document = openapi_document(api)
    listing_path, results_path = "/campaigns/", "/campaigns/{id}/results/"
    hr, manager, employee = key_of(org.hr_admin), key_of(org.manager), key_of(org.employee)
    checked = [
        (listing_path, api.get(reverse("insights:api_campaigns"), **bearer(hr))),
        (listing_path, api.get(reverse("insights:api_campaigns"))),
        (listing_path, api.get(reverse("insights:api_campaigns"), **bearer(employee))),
        (results_path, results(api, campaign, hr)),
        (results_path, results(api, campaign, hr, unit=org.department.pk, role="employee")),
        (results_path, results(api, campaign, hr, unit=org.section.pk, own="1")),
        (results_path, results(api, campaign, hr, source="all")),
        (results_path, results(api, small, hr)),
        (results_path, results(api, campaign, manager)),
        (results_path, results(api, campaign, manager, unit=org.other_section.pk)),
        (results_path, results(api, campaign, hr, role="nobody")),
        (results_path, results(api, campaign, "not-a-key")),
        (results_path, api.get(reverse("insights:api_results", args=[0]), **bearer(hr))),
        (results_path, api.post(reverse("insights:api_results", args=[campaign.pk]))),
        ("/openapi.json", api.get(reverse("insights:api_openapi"))),
        ("/openapi.json", api.delete(reverse("insights:api_openapi"))),
    ]
    statuses = set()
    for path, response in checked:
        assert response["Content-Type"] == "application/json"
        validate(document, schema_of(document, path, response.status_code), response.json())
        statuses.add((path, response.status_code))
    assert statuses == {
        (listing_path, 200),
        (listing_path, 401),
        (listing_path, 403),
        (results_path, 200),
        (results_path, 400),
        (results_path, 401),
        (results_path, 403),
        (results_path, 404),
        (results_path, 405),
        ("/openapi.json", 200),
        ("/openapi.json", 405),
    }


def test_the_schemas_catch_a_figure_given_as_null(api, org):
    """The schemas are strict enough to matter: a suppressed figure as null does not pass."""
    campaign = closed_test_campaign(org, answered=12)
    document = openapi_document(api)
    found = results(api, campaign, key_of(org.hr_admin)).json()
    concept(found, "leadership")["respondents"] = None
    with pytest.raises(Exception, match="None is not of type 'integer'"):
        validate(document, "Results", found)


# --- the tokens page ----------------------------------------------------------------------------


def test_the_key_is_shown_once_when_the_token_is_made(client, org):
    client.force_login(org.manager)
    url = reverse("insights:api_tokens")
    made = client.post(url, {"name": "Power BI"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    key = made.context["key"]
    token = ApiToken.objects.get(user=org.manager)
    assert ApiToken.holder(key) == token and token.name == "Power BI"
    assert f'<code id="api-key">{key}</code>' in made.content.decode()
    listing = client.get(url).content.decode()
    assert key not in listing
    assert token.prefix in listing and "Power BI" in listing


def test_a_token_needs_a_name(client, org):
    client.force_login(org.manager)
    page = client.post(reverse("insights:api_tokens"), {"name": ""})
    assert page.status_code == 200 and page.context["form"].errors
    assert not ApiToken.objects.exists()


def test_nobody_sees_anyone_elses_tokens(client, org):
    ApiToken.issue(org.director, "The director's report")
    ApiToken.issue(org.manager, "Mine")
    client.force_login(org.manager)
    page = client.get(reverse("insights:api_tokens"))
    assert [token.name for token in page.context["tokens"]] == ["Mine"]
    assert "The director" not in page.content.decode()
    client.force_login(org.hr_admin)
    assert list(client.get(reverse("insights:api_tokens")).context["tokens"]) == []


def test_people_without_a_results_role_have_no_tokens_page(client, org):
    for person in (org.employee, org.amr, org.outsider):
        client.force_login(person)
        assert client.get(reverse("insights:api_tokens")).status_code == 403
        assert client.post(reverse("insights:api_tokens"), {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_a_token_ends_its_use(client, api, org):
    token, key = ApiToken.issue(org.manager, "BI")
    client.force_login(org.manager)
    url = reverse("insights:api_token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("insights:api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(reverse("insights:api_campaigns"), **bearer(key)).status_code == 401
    page = client.get(reverse("insights:api_tokens")).content.decode()
    assert "was revoked" in page
    assert f'action="{url}"' not in page


def test_nobody_revokes_anyone_elses_token(client, org):
    token, _key = ApiToken.issue(org.director, "BI")
    client.force_login(org.manager)
    assert client.post(reverse("insights:api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
