"""The respondent's questionnaire, opened through the personal link (no log-in).

The token is only ever in the URL path: never in a form field, never logged. Every response
here is sent with ``Referrer-Policy: same-origin`` and ``Cache-Control: no-store``.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogues.concepts.models import Concept
from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.domain.answering import (
    AnswersInvalid,
    LinkExpired,
    LinkForged,
    LinkRefused,
    find_invitee,
    load_draft,
    save_draft,
    submit,
)
from dialogues.experiences.forms_answering import AnswerForm, chosen_concepts, posted_answers
from dialogues.experiences.models import CampaignInvitee

# Guessing links: at most this many invalid tokens per client address in the window.
GUESS_LIMIT = 20
GUESS_WINDOW_SECONDS = 10 * 60
SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def private(view):
    """No referrer leaves the page (the URL holds the token) and nothing is cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        add_never_cache_headers(response)
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


def _guess_key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return "answer-guess:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _count_guess(request) -> int:
    key = _guess_key(request)
    cache.add(key, 0, GUESS_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, GUESS_WINDOW_SECONDS)
        return 1


def _refused(request, token: str, refusal: LinkRefused):
    if isinstance(refusal, LinkForged):
        if _count_guess(request) > GUESS_LIMIT:
            return render(
                request, "experiences/answer_refused.html", {"reason": "limited"}, status=429
            )
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


# The questions of a first visit (no draft yet) are the same HTML for every respondent with the
# same guide version, language and concepts: rendered once per process and kept. A frozen
# version never changes; its time of freezing is in the key so a reused id is never mistaken.
_QUESTIONS_HTML: dict[tuple, str] = {}
_QUESTIONS_KEPT = 64


def _concept_names() -> dict[str, str]:
    return {concept.kind: concept.name for concept in Concept.objects.all()}


def _questions_html(campaign, chosen: list[str], names: dict[str, str]) -> str:
    version = campaign.guide_version
    language = translation.get_language()
    key = (version.pk, version.created_at, language, tuple(chosen), tuple(sorted(names.items())))
    html = _QUESTIONS_HTML.get(key)
    if html is None:
        form = AnswerForm(campaign, concepts=chosen, names=names)
        html = render_to_string("experiences/answer.html#questions", {"form": form})
        if len(_QUESTIONS_HTML) >= _QUESTIONS_KEPT:
            _QUESTIONS_HTML.clear()
        _QUESTIONS_HTML[key] = html
    return html


def _page(request, campaign, form, status=200, **extra):
    context = {"campaign": campaign, "form": form} | extra
    return render(request, "experiences/answer.html", context, status=status)


@private
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        invitee = find_invitee(token)
    except LinkRefused as refusal:
        return _refused(request, token, refusal)
    _use_language(request, invitee.language)
    campaign = invitee.campaign

    if request.method == "GET":
        answers, concepts = load_draft(invitee)
        names = _concept_names()
        if answers:
            return _page(
                request, campaign, AnswerForm(campaign, answers=answers, concepts=concepts)
            )
        form = AnswerForm(campaign, concepts=concepts, names=names, questions=False)
        return _page(
            request, campaign, form, questions_html=_questions_html(campaign, form.chosen, names)
        )

    # The submit and the autosave need no form unless something must be shown again.
    chosen = chosen_concepts(campaign, request.POST)
    answers = posted_answers(campaign.guide_version.snapshot, chosen, request.POST)
    if "submit" in request.POST:
        try:
            submit(invitee, answers, chosen)
        except AnswersInvalid as invalid:
            form = AnswerForm(campaign, data=request.POST)
            for (concept, question_id), message in invalid.errors.items():
                form.add_error(form.field_for(concept, question_id), message)
            return _page(request, campaign, form)
        except LinkRefused as refusal:
            return _refused(request, token, refusal)
        except DatabaseError:
            form = AnswerForm(campaign, data=request.POST)
            return _page(request, campaign, form, status=503, not_saved=True)
        done = reverse("experiences:answer_done")
        return redirect(f"{done}?language={invitee.language}")

    # Anything else keeps a draft: the button, the autosave, a changed answer or concept.
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
