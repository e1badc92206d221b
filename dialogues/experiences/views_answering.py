"""The respondent's questionnaire, opened through the personal link (no log-in).

The token is only ever in the URL path: never in a form field, never logged. Every response
here is sent with ``Referrer-Policy: same-origin`` and ``Cache-Control: no-store``.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues.common.errors import RETRY_AFTER_SECONDS
from dialogues.common.ratelimit import ANSWER_LINK_GUESSES, client_address
from dialogues.experiences import answer_pages
from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.domain.answering import (
    AnswersInvalid,
    LinkExpired,
    LinkForged,
    LinkRefused,
    find_invitee,
    load_draft,
    save_draft,
    store_answers,
)
from dialogues.experiences.forms_answering import AnswerForm, chosen_concepts, posted_answers
from dialogues.experiences.models import CampaignInvitee

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}
NEVER = http_date(0)


def private(view):
    """No referrer leaves the page (the URL holds the token) and nothing is cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        # What add_never_cache_headers writes, without parsing the headers first.
        response["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
        response["Expires"] = NEVER
        # Django logs every 4xx/5xx with the path ("Not Found: /…/<token>/"); the path holds
        # the personal link, so these responses are marked as logged already.
        if response.status_code >= 400:
            response._has_been_logged = True
        return response

    return wrapped


def _use_language(request, language: str | None) -> None:
    if language in SUPPORTED_LANGUAGES:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _refused(request, token: str, refusal: LinkRefused):
    if isinstance(refusal, LinkForged):
        # Guessing links: only so many invalid links per address (RATE_LIMITS "answer-link").
        if not ANSWER_LINK_GUESSES.attempt(client_address(request)):
            response = render(
                request, "experiences/answer_refused.html", {"reason": "limited"}, status=429
            )
            response["Retry-After"] = str(ANSWER_LINK_GUESSES.retry_after())
            return response
        return render(request, "experiences/answer_refused.html", {"reason": "forged"}, status=404)
    if _is_htmx(request):
        # An autosave that arrives just after the submit (the field's change event fires as
        # the button is clicked) finds the link used: nothing to show, the page is leaving.
        return HttpResponse(status=204)
    # A real link: speak the invitee's language.
    language = (
        CampaignInvitee.objects.filter(token_hash=token_hash(token))
        .values_list("language", flat=True)
        .first()
    )
    _use_language(request, language)
    context = {"reason": "used"}
    if isinstance(refusal, LinkExpired):
        context = {
            "reason": "not_yet" if refusal.not_yet else "closed",
            "campaign": refusal.campaign,
        }
    return render(request, "experiences/answer_refused.html", context, status=410)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page(request, campaign, form, status=200, **extra):
    context = {"campaign": campaign, "form": form} | extra
    return render(request, "experiences/answer.html", context, status=status)


def _open(request, token: str):
    invitee = find_invitee(token)
    _use_language(request, invitee.language)
    campaign = invitee.campaign
    answers, concepts = load_draft(invitee)
    names = answer_pages.concept_names()
    if answers:
        form = AnswerForm(campaign, answers=answers, concepts=concepts, names=names)
        return _page(request, campaign, form)
    if answer_pages.can_reuse(request):
        chosen = [kind for kind in campaign.concepts if kind in set(concepts)]
        return HttpResponse(answer_pages.first_visit_page(request, campaign, chosen, names))
    form = AnswerForm(campaign, concepts=concepts, names=names, questions=False)
    questions = answer_pages.questions_html(campaign, form.chosen, names)
    return _page(request, campaign, form, questions_html=questions)


def _submit(request, token: str):
    """Find, lock and store in one transaction: the invitee is read once, with its lock."""
    invitee = None
    written = False
    try:
        with transaction.atomic():
            invitee = find_invitee(token, for_update=True)
            _use_language(request, invitee.language)
            campaign = invitee.campaign
            chosen = chosen_concepts(campaign, request.POST)
            answers = posted_answers(campaign.guide_version.snapshot, chosen, request.POST)
            store_answers(invitee, answers, chosen)
            written = True  # only the COMMIT is left
    except AnswersInvalid as invalid:
        form = AnswerForm(invitee.campaign, data=request.POST)
        for (concept, question_id), message in invalid.errors.items():
            form.add_error(form.field_for(concept, question_id), message)
        return _page(request, invitee.campaign, form)
    except DatabaseError:
        if invitee is None:  # the database is out of reach: the site's 503 page says so
            raise
        if written:
            # Only the COMMIT failed: if the connection broke while PostgreSQL was storing
            # the answers, they may be stored, so "not saved" could be untrue (bench/faults.py
            # saw it happen). The link, opened again, tells which.
            return _unconfirmed()
        form = AnswerForm(invitee.campaign, data=request.POST)
        return _page(request, invitee.campaign, form, status=503, not_saved=True)
    done = reverse("experiences:answer_done")
    return redirect(f"{done}?language={invitee.language}")


def _unconfirmed():
    """503: whether the answers were stored is unknown. Nothing here needs the database."""
    body = loader.render_to_string("503.html", {"answering": True, "unconfirmed": True})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@private
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        if request.method == "GET":
            return _open(request, token)
        if "submit" in request.POST:
            return _submit(request, token)
        invitee = find_invitee(token)
    except LinkRefused as refusal:
        return _refused(request, token, refusal)
    except DatabaseError:
        if _is_htmx(request) and "autosave" in request.POST:
            # htmx swaps no 5xx answer, so the status would go on saying "Draft saved." while
            # nothing is: it says the draft could not be saved, as when writing it fails.
            return render(request, "experiences/answer.html#status", {"saved": False})
        raise  # the site's 503 page
    _use_language(request, invitee.language)
    campaign = invitee.campaign

    # Anything else keeps a draft: the button, the autosave, a changed answer or concept.
    chosen = chosen_concepts(campaign, request.POST)
    answers = posted_answers(campaign.guide_version.snapshot, chosen, request.POST)
    try:
        save_draft(invitee, answers, chosen)
        saved = True
    except LinkRefused as refusal:
        return _refused(request, token, refusal)
    except DatabaseError:
        saved = False
    if _is_htmx(request) and "autosave" in request.POST:
        return render(request, "experiences/answer.html#status", {"saved": saved})
    form = AnswerForm(campaign, data=request.POST)
    context = {"campaign": campaign, "form": form, "saved": saved}
    refresh = request.POST.get("refresh", "")
    if _is_htmx(request):
        if refresh in form.chosen:
            block = next(block for block in form.blocks if block["kind"] == refresh)
            return render(request, "experiences/answer.html#concept", context | {"block": block})
        return render(request, "experiences/answer.html#questions", context)
    if "save" in request.POST and saved:
        messages.success(
            request,
            _("Your answers are saved. Open the same link again to continue."),
        )
        return redirect(request.path)
    return render(request, "experiences/answer.html", context)


@private
def answer_done(request):
    _use_language(request, request.GET.get("language"))
    return render(request, "experiences/answer_done.html")
