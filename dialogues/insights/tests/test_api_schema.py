"""Schemathesis against the results API: every operation answers as its OpenAPI description says.

The description is loaded from the running application (``/results/api/v1/openapi.json``,
through WSGI, as a reporting tool would read it) and schemathesis generates requests from it,
valid ones and invalid ones (a unit that is not a number, a role group that does not exist …),
sends them with a valid token of an HR administrator and checks every built-in property: no
server error, a status code, content type, headers and body that the description allows, and
invalid data refused. Each generated request is sent a second time for the campaign that
exists, so the results themselves are checked too, not only the 404 of an unknown id.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dialogues.common.ratelimit import WRONG_API_TOKENS
from dialogues.insights.exports import openapi
from dialogues.insights.models import ApiToken
from dialogues.insights.tests.factories import closed_test_campaign

API = "/results/api/v1/openapi.json"
PATH = ParameterLocation.PATH
HEADER = ParameterLocation.HEADER


class InTestTransaction(WSGIHandler):
    """Django's WSGI application, minus the closing of connections after each request.

    The real handler closes a connection that is not in autocommit when a request ends; here
    the connection holds the test's transaction (Django's own test client does the same).
    """

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return super().__call__(environ, start_response)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def world(org, settings):
    """A closed campaign with answers, and an HR administrator's token.

    Schemathesis sends wrong tokens on purpose (to see them refused), many more than the
    limit on wrong tokens per address; past it, every request would be refused with 429,
    which ``test_a_refusal_for_too_many_wrong_tokens_is_as_described`` checks on its own.
    """
    limits = settings.RATE_LIMITS
    settings.RATE_LIMITS = {**limits, WRONG_API_TOKENS.name: (10**9, 600)}
    cache.clear()  # publications are cached by campaign; rate-limit counters too
    campaign = closed_test_campaign(org, answered=12)
    _token, key = ApiToken.issue(org.hr_admin, "schemathesis")
    yield campaign, key
    cache.clear()


# The description as the application serves it (the test below checks that it is this one),
# for the server of the WSGI transport.
SERVER = "http://localhost/results/api/v1"
schema = schemathesis.openapi.from_dict(openapi.document(SERVER))
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
schema.app = InTestTransaction()  # every request, the checks' own too, goes through WSGI


def test_the_description_checked_is_the_one_served(client):
    served = client.get(API, HTTP_HOST="localhost")
    assert served.status_code == 200
    assert served.json() == openapi.document(SERVER)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_every_operation_answers_as_its_description_says(case, world):
    campaign, key = world
    # A case whose invalid part is its Authorization header is sent with that header: a valid
    # token in its place would make the request valid, and a 200 would be taken for a failure.
    headers = None if case.meta.is_negative_at(HEADER) else {"Authorization": f"Bearer {key}"}
    case.call_and_validate(headers=headers)
    # The same request for the campaign that exists (unless its id is the invalid part).
    if "id" in (case.path_parameters or {}) and not case.meta.is_negative_at(PATH):
        case.path_parameters = {**case.path_parameters, "id": campaign.pk}
        case.call_and_validate(headers=headers)


# What every answer below is checked for: the description's status codes, headers, content
# type and body, and no server error.
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def send(path: str, query=None, headers=None, **path_parameters):
    operation = schema[path]["GET"]
    case = operation.Case(path_parameters=path_parameters or None, query=query, headers=headers)
    response = case.call()
    case.validate_response(response, checks=CONFORMANCE)
    return response


@pytest.mark.parametrize(
    ("path_id", "query", "status"),
    [
        (2**31, {}, 404),
        (2**63, {}, 404),
        (2**70, {}, 404),
        (None, {"unit": str(2**63)}, 404),
        (None, {"unit": str(2**70)}, 404),
        (None, {"unit": "-1"}, 404),
        (None, {"unit": "1e3"}, 400),
        (None, {"own": "yes"}, 400),
        (None, {"role": ""}, 400),
        (None, {"roles": "employee"}, 400),  # misspelt: refused, not ignored
        (None, {"unit": ["1", "2"]}, 400),
    ],
)
def test_odd_numbers_and_parameters_are_refused_as_described(world, path_id, query, status):
    campaign, key = world
    response = send(
        "/campaigns/{id}/results/",
        query,
        {"Authorization": f"Bearer {key}"},
        id=path_id or campaign.pk,
    )
    assert response.status_code == status
    if status == 400:
        assert set(response.json()["parameters"]) == set(query)


def test_a_refusal_for_too_many_wrong_tokens_is_as_described(world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, WRONG_API_TOKENS.name: (3, 600)}
    for _attempt in range(3):
        assert send("/campaigns/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = send("/campaigns/", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 429
    headers = {name.lower(): values for name, values in response.headers.items()}
    assert int(headers["retry-after"][0]) > 0
