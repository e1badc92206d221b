"""The OpenAPI 3.1 description of the read-only results API, written by hand.

Its schemas are JSON Schema 2020-12; ``tests/test_api.py`` validates the API's real answers
against them, so a change to ``api.py`` that the description does not follow fails there.
"""

from __future__ import annotations

from dialogues.concepts.models import Concept
from dialogues.experiences.models import Choice
from dialogues.experiences.rolegroups import REPORTING_ROLE_GROUP_CHOICES
from dialogues.insights.domain.results import SOURCE_CHOICES

VERSION = "1.0.0"
ROLE_GROUPS = [value for value, _label in REPORTING_ROLE_GROUP_CHOICES]
RESULTS_PARAMETERS = ("unit", "role", "source", "own")
# A boolean in the query, as OpenAPI writes it (and as the results pages' links do).
BOOLEANS = ("true", "false", "1", "0")
ERROR_CODES = [
    "invalid_parameter",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "too_many_requests",
    "answers_deleted",
]
# Ids are positive; an id that names nothing is not found (404), not a bad request.
ID = {"type": "integer", "minimum": 1}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str], **more) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **more,
    }


COUNT = {"type": "integer", "minimum": 0}
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
TEXTS = {
    "type": "object",
    "description": "The text in each language of the guide, by language code (da, en).",
    "additionalProperties": {"type": "string"},
}


def _schemas() -> dict:
    concept_kind = {"type": "string", "enum": list(Concept.Kind.values)}
    return {
        "Minimums": _object(
            {
                "counts": {**COUNT, "description": "People a figure needs at least."},
                "comments": {**COUNT, "description": "Written answers need at least."},
                "sensitive": {**COUNT, "description": "A sensitive question needs at least."},
            },
            ["counts", "comments", "sensitive"],
            description="The anonymity minimums of the campaign, fixed when it opened.",
        ),
        "Concept": _object(
            {"kind": concept_kind, "name": {"type": "string"}},
            ["kind", "name"],
        ),
        "Campaign": _object(
            {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "opens_on": {"type": "string", "format": "date"},
                "closes_on": {"type": "string", "format": "date"},
                "concepts": {"type": "array", "items": _ref("Concept")},
                "minimums": _ref("Minimums"),
                "results": {
                    "type": "string",
                    "format": "uri",
                    "description": "The address of the campaign's results.",
                },
                "answers_deleted_on": {
                    "type": ["string", "null"],
                    "format": "date",
                    "description": (
                        "When the answers were deleted after the retention time: the results "
                        "then answer 410. Null while they are kept."
                    ),
                },
            },
            [
                "id",
                "name",
                "opens_on",
                "closes_on",
                "concepts",
                "minimums",
                "results",
                "answers_deleted_on",
            ],
        ),
        "CampaignList": _object(
            {"campaigns": {"type": "array", "items": _ref("Campaign")}},
            ["campaigns"],
            description="The closed campaigns, newest first.",
        ),
        "ResponseRate": _object(
            {"answered": COUNT, "invited": COUNT, "percent": PERCENT},
            ["answered", "invited", "percent"],
            description="Absent where too few answered to show it.",
        ),
        "Respondents": {
            "type": "object",
            "description": "People who answered, per concept; a concept with too few is absent.",
            "propertyNames": concept_kind,
            "additionalProperties": COUNT,
        },
        "Slice": _object(
            {
                "unit": {"type": "integer", "description": "Absent: the whole campaign."},
                "unit_name": {"type": "string"},
                "role": {
                    "type": "string",
                    "enum": ROLE_GROUPS,
                    "description": "Absent: every role group together.",
                },
                "source": {"type": "string", "enum": list(SOURCE_CHOICES)},
                "own": {
                    "type": "boolean",
                    "description": "Only the unit itself, with the smaller groups below it.",
                },
            },
            ["source", "own"],
        ),
        "ChoiceShare": _object(
            {
                "choice": {"type": "string", "enum": list(Choice.values)},
                "label": {"type": "string"},
                "count": COUNT,
                "percent": {**PERCENT, "description": "Of those who answered the question."},
            },
            ["choice", "label", "count", "percent"],
        ),
        "Question": _object(
            {
                "id": {"type": "integer"},
                "kind": {"type": "string", "enum": ["closed", "open"]},
                "sensitive": {"type": "boolean"},
                "text": TEXTS,
                "respondents": COUNT,
                "answered": COUNT,
                "choices": {"type": "array", "items": _ref("ChoiceShare")},
                "comments": {**COUNT, "description": "How many written answers there are."},
            },
            ["id", "kind", "sensitive", "text"],
            description=(
                "A question with at least one figure; respondents, answered and choices come "
                "together (closed questions), comments on their own minimum."
            ),
            dependentRequired={
                "choices": ["respondents", "answered"],
                "respondents": ["choices"],
                "answered": ["choices"],
            },
        ),
        "ConceptResults": _object(
            {
                "kind": concept_kind,
                "name": {"type": "string"},
                "respondents": COUNT,
                "questions": {"type": "array", "items": _ref("Question")},
            },
            ["kind", "name", "questions"],
        ),
        "UnitRow": _object(
            {
                "unit": {"type": "integer"},
                "own": {"type": "boolean"},
                "label": {"type": "string"},
                "respondents": _ref("Respondents"),
                "response_rate": _ref("ResponseRate"),
            },
            ["unit", "own", "label"],
            description="A unit below the slice (own: the unit itself); only with a figure.",
            minProperties=4,
        ),
        "RoleRow": _object(
            {
                "role": {"type": "string", "enum": ROLE_GROUPS},
                "label": {"type": "string"},
                "respondents": _ref("Respondents"),
                "response_rate": _ref("ResponseRate"),
            },
            ["role", "label"],
            description="A role group of the slice; only with a figure.",
            minProperties=3,
        ),
        "Results": _object(
            {
                "campaign": _object(
                    {"id": {"type": "integer"}, "name": {"type": "string"}}, ["id", "name"]
                ),
                "slice": _ref("Slice"),
                "minimums": _ref("Minimums"),
                "response_rate": _ref("ResponseRate"),
                "concepts": {"type": "array", "items": _ref("ConceptResults")},
                "by_unit": {"type": "array", "items": _ref("UnitRow")},
                "by_role": {"type": "array", "items": _ref("RoleRow")},
            },
            ["campaign", "slice", "minimums", "concepts", "by_unit", "by_role"],
            description=(
                "Every figure is a sum over groups of at least the minimum. A figure held back "
                "is absent, never null or 0."
            ),
        ),
        "Error": _object(
            {
                "error": {"type": "string", "enum": ERROR_CODES},
                "message": {"type": "string"},
                "parameters": {
                    "type": "object",
                    "description": "The parameters that were wrong, with what was wrong.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            ["error", "message"],
        ),
        "OpenApiDocument": {
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\.\\d+$"}},
        },
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {
    "401": {
        "description": "No token, or a token unknown or revoked.",
        "headers": {
            "WWW-Authenticate": {
                "description": 'Always "Bearer", with error="invalid_token" for a bad token.',
                "schema": {"type": "string"},
            }
        },
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "403": _error("The token's holder may not read these results."),
    "405": _error("Only GET is answered."),
    "429": {
        "description": (
            "Too many wrong tokens came from this address: every request from it is refused "
            "until the time in Retry-After has passed."
        ),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait.",
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
            }
        },
        "content": {"application/json": {"schema": _ref("Error")}},
    },
}
UNKNOWN_PARAMETER = _error(
    "A parameter this operation does not have, or one given twice (named in parameters)."
)


def _parameter(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def document(server: str) -> dict:
    """The description, for the API at ``server`` (the address of ``/results/api/v1``)."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Dialogues results API",
            "version": VERSION,
            "summary": "The results of closed experience campaigns, for reporting tools.",
            "description": (
                "Read-only. Answers as the token's holder: HR administrators read every unit, "
                "others the units they hold a results role in. Every figure is a sum over groups "
                "of at least the campaign's minimum; a figure held back is absent, never 0. "
                "Labels are in the language of the Accept-Language header (da or en)."
            ),
        },
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": {
            "/campaigns/": {
                "get": {
                    "operationId": "listCampaigns",
                    "summary": "The closed campaigns",
                    "responses": {
                        "200": _ok("The closed campaigns.", "CampaignList"),
                        "400": UNKNOWN_PARAMETER,
                        **ERRORS,
                    },
                }
            },
            "/campaigns/{id}/results/": {
                "get": {
                    "operationId": "getResults",
                    "summary": "The results of a slice of a closed campaign",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": ID,
                            "description": "The campaign.",
                        },
                        _parameter(
                            "unit",
                            ID,
                            "A unit and the units below it. Without it: the whole campaign "
                            "(HR administrators) or the first unit you read.",
                        ),
                        _parameter(
                            "role",
                            {"type": "string", "enum": ROLE_GROUPS},
                            "One role group; without it, every role group together.",
                        ),
                        _parameter(
                            "source",
                            {
                                "type": "string",
                                "enum": list(SOURCE_CHOICES),
                                "default": "questionnaire",
                            },
                            "Questionnaire answers, group interviews, or both.",
                        ),
                        _parameter(
                            "own",
                            {"type": "boolean", "default": False},
                            "Only the unit itself, with the smaller groups below it.",
                        ),
                    ],
                    "responses": {
                        "200": _ok("The figures of the slice.", "Results"),
                        "400": _error(
                            "A parameter is not valid, unknown or given twice (named in "
                            "parameters)."
                        ),
                        **ERRORS,
                        "403": _error(
                            "The unit is not one of yours, or the holder reads no results."
                        ),
                        "404": _error(
                            "No closed campaign with this id, or no unit with this number."
                        ),
                        "410": _error(
                            "The campaign's answers were deleted after the retention time."
                        ),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This description",
                    "security": [],
                    "responses": {
                        "200": _ok("The OpenAPI document.", "OpenApiDocument"),
                        "400": UNKNOWN_PARAMETER,
                        "405": ERRORS["405"],
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token made on the API tokens page of Dialogues.",
                }
            },
            "schemas": _schemas(),
        },
    }
