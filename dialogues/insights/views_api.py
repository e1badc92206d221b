"""The read-only JSON API of the results, for reporting tools (``exports/openapi.py``).

A request names its person with ``Authorization: Bearer <key>`` (an ``ApiToken``), never a
session, so there is no CSRF to pass. The API then answers as that person: the same permission
(``insights.view_results``) and the same units (``scoping.resolve_slice``) as the results pages.
Every answer is JSON, errors included, and every read is written to the export log.
"""

import re
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from dialogues.common.ratelimit import WRONG_API_TOKENS, client_address
from dialogues.experiences.models import Campaign
from dialogues.insights.domain.publication import publish
from dialogues.insights.domain.results import SOURCE_CHOICES
from dialogues.insights.exports import openapi
from dialogues.insights.exports.api import campaign_json, results_json
from dialogues.insights.exports.log import log_export
from dialogues.insights.models import ApiToken, ExportLog
from dialogues.insights.pages import concept_names
from dialogues.insights.scoping import BadSliceParameters, readable_unit_ids, resolve_slice
from dialogues.organisation.models import Unit

VIEW = "insights.view_results"
_INTEGER = re.compile(r"-?[0-9]+")
REALM = 'Bearer realm="Dialogues"'


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def error(status: int, code: str, message, **extra) -> JsonResponse:
    return _json({"error": code, "message": str(message), **extra}, status=status)


def _bearer_key(request) -> str | None:
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return key.strip()


def _unauthorised(key) -> JsonResponse:
    response = error(
        401,
        "unauthorized",
        _("Send an API token: Authorization: Bearer <key>.")
        if key is None
        else _("The API token is not valid, or it was revoked."),
    )
    response["WWW-Authenticate"] = REALM if key is None else f'{REALM}, error="invalid_token"'
    return response


def _too_many_wrong_tokens() -> JsonResponse:
    seconds = WRONG_API_TOKENS.retry_after()
    response = error(
        429,
        "too_many_requests",
        ngettext(
            "Too many wrong API tokens came from your address. Try again in %(seconds)s second.",
            "Too many wrong API tokens came from your address. Try again in %(seconds)s seconds.",
            seconds,
        )
        % {"seconds": seconds},
    )
    response["Retry-After"] = str(seconds)
    return response


def api_view(*, public: bool = False):
    """GET only, JSON errors; unless ``public``, a valid token whose holder reads results.

    The view gets the token as its second argument.
    """

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET":
                response = error(405, "method_not_allowed", _("The API answers GET only."))
                response["Allow"] = "GET"
                return response
            if public:
                return view(request, *args, **kwargs)
            # Checked before the token: a guesser over the limit learns nothing more, even
            # when a guess is right. A right token from another address still works.
            address = client_address(request)
            if WRONG_API_TOKENS.exhausted(address):
                return _too_many_wrong_tokens()
            key = _bearer_key(request)
            token = ApiToken.holder(key) if key else None
            if token is None:
                if key:
                    WRONG_API_TOKENS.attempt(address)
                return _unauthorised(key)
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
            if not token.user.has_perm(VIEW):
                return error(403, "forbidden", _("Your roles do not give you access to results."))
            try:
                return view(request, token, *args, **kwargs)
            except PermissionDenied as refusal:
                return error(403, "forbidden", str(refusal) or _("Not allowed."))
            except Http404:
                return error(404, "not_found", _("There is no such closed campaign."))
            except BadSliceParameters as bad:
                return _invalid(bad)

        return wrapped

    return decorator


def _invalid(bad: BadSliceParameters) -> JsonResponse:
    return error(
        400,
        "invalid_parameter",
        _("Not a valid value for: %(names)s.") % {"names": ", ".join(bad.errors)},
        parameters=bad.errors,
    )


def _closed_campaigns():
    return Campaign.objects.filter(status=Campaign.Status.CLOSED).order_by("-closes_on", "name")


def _log(request, token, campaign, slice_=None):
    log_export(
        token.user,
        campaign,
        ExportLog.Kind.API,
        request.get_full_path(),
        slice_,
        token=token.prefix,
    )


@api_view()
def campaigns(request, token):
    _check_query(request.GET)
    found = [
        campaign_json(
            campaign,
            concept_names(campaign.concepts),
            request.build_absolute_uri(reverse("insights:api_results", args=[campaign.pk])),
        )
        for campaign in _closed_campaigns()
    ]
    _log(request, token, None)
    return _json({"campaigns": found})


def _check_query(query, known: tuple[str, ...] = ()) -> None:
    """The query as the description types it, or ``BadSliceParameters`` naming what is wrong.

    The results pages forgive a malformed query (they show the default slice); the API says
    what is wrong instead, also for what the pages' form would take: an empty value, a
    parameter given twice, an "own" that is not a boolean, and a parameter it does not know
    (a misspelt filter must not quietly give the figures of another slice).
    """
    problems: dict[str, list[str]] = {}
    for name in query:
        given = query.getlist(name)
        value = given[-1]
        if name not in known:
            problems[name] = [_("This address has no such parameter.")]
        elif len(given) > 1:
            problems[name] = [_("Give this parameter once.")]
        elif name == "unit" and not _INTEGER.fullmatch(value):
            problems[name] = [_("Give a unit's number.")]
        elif name == "own" and value not in openapi.BOOLEANS:
            problems[name] = [_("Give true or false.")]
        elif name == "role" and value not in openapi.ROLE_GROUPS:
            problems[name] = [_one_of(openapi.ROLE_GROUPS)]
        elif name == "source" and value not in SOURCE_CHOICES:
            problems[name] = [_one_of(SOURCE_CHOICES)]
    if problems:
        raise BadSliceParameters(problems)


def _one_of(values) -> str:
    return _("Give one of: %(values)s.") % {"values": ", ".join(values)}


def _names_no_unit(asked: str | None) -> bool:
    """A unit number as the description allows it (an integer) that is no unit: not found.

    Not a "bad parameter": the request is well formed, like one for a campaign that is not.
    """
    try:
        number = int(asked or "")
    except ValueError:
        return False  # not a number: the slice's form says so (400)
    return not Unit.objects.filter(pk=number).exists()


@api_view()
def results(request, token, pk):
    campaign = _closed_campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    _check_query(request.GET, openapi.RESULTS_PARAMETERS)
    if campaign.answers_deleted_at is not None:
        return error(
            410,
            "answers_deleted",
            _("This campaign's answers were deleted after the retention time."),
        )
    if _names_no_unit(request.GET.get("unit")):
        return error(404, "not_found", _("There is no unit with this number."))
    _form, slice_ = resolve_slice(token.user, request.GET, strict=True)
    readable = readable_unit_ids(token.user)
    found = results_json(
        campaign,
        publish(campaign),
        slice_,
        concept_names(campaign.concepts),
        visible=None if readable is None else readable.__contains__,
    )
    _log(request, token, campaign, slice_)
    return _json(found)


@api_view(public=True)
def openapi_document(request):
    try:
        _check_query(request.GET)
    except BadSliceParameters as bad:
        return _invalid(bad)
    server = request.build_absolute_uri(reverse("insights:api_campaigns")).removesuffix(
        "campaigns/"
    )
    return _json(openapi.document(server.rstrip("/")))


@csrf_exempt
def not_found(request):
    """Any other address under the API: a JSON 404 (or the address with its slash added)."""
    if request.method == "GET" and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return redirect(request.path + "/" + (f"?{query}" if query else ""), permanent=True)
    return error(404, "not_found", _("There is no such address in the API."))
