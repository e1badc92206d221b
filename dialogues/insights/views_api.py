"""The read-only JSON API of the results, for reporting tools (``exports/openapi.py``).

A request names its person with ``Authorization: Bearer <key>`` (an ``ApiToken``), never a
session, so there is no CSRF to pass. The API then answers as that person: the same permission
(``insights.view_results``) and the same units (``scoping.resolve_slice``) as the results pages.
Every answer is JSON, errors included, and every read is written to the export log.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from dialogues.experiences.models import Campaign
from dialogues.insights.domain.publication import publish
from dialogues.insights.exports import openapi
from dialogues.insights.exports.api import campaign_json, results_json
from dialogues.insights.exports.log import log_export
from dialogues.insights.models import ApiToken, ExportLog
from dialogues.insights.pages import concept_names
from dialogues.insights.scoping import BadSliceParameters, readable_unit_ids, resolve_slice

VIEW = "insights.view_results"
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
            key = _bearer_key(request)
            token = ApiToken.holder(key) if key else None
            if token is None:
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
                return error(
                    400,
                    "invalid_parameter",
                    _("Not a valid value for: %(names)s.") % {"names": ", ".join(bad.errors)},
                    parameters=bad.errors,
                )

        return wrapped

    return decorator


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


@api_view()
def results(request, token, pk):
    campaign = _closed_campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404
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
