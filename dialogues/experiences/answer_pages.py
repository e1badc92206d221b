"""The questionnaire page of a first visit, rendered once and kept (per worker process).

Opening the questionnaire is the busiest request of a campaign: every invitee opens it, most
of them once, before any draft exists. Its HTML then depends only on the frozen guide version,
the language, the concepts preset, the concepts' names and the campaign's minimums — never on
the person: the form holds no token and its widgets post to the page's own address. So the
page is rendered once per such key and kept, with a marker where the CSRF token goes; each
request puts its own token in. A frozen guide version never changes; its time of freezing is
in the key, so a reused id is never mistaken for it. Pages with a draft, a signed-in visitor or
a message to show are rendered in full as usual.
"""

import re
import secrets
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation

from dialogues.concepts.models import Concept
from dialogues.experiences.forms_answering import AnswerForm

_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
_CSRF_MARKER = "csrf-" + secrets.token_hex(16)
_PAGES: dict[tuple, list[bytes]] = {}
_QUESTIONS: dict[tuple, str] = {}
_KEPT = 128
# Concept names change rarely (HR edits them); a worker rereads them at least this often.
_NAMES_SECONDS = 60.0
_names: tuple[float, dict[str, str]] = (0.0, {})


def concept_names() -> dict[str, str]:
    global _names
    read_at, names = _names
    if not names or time.monotonic() - read_at > _NAMES_SECONDS:
        names = {concept.kind: concept.name for concept in Concept.objects.all()}
        _names = (time.monotonic(), names)
    return names


def _forget_names(**kwargs) -> None:
    global _names
    _names = (0.0, {})


post_save.connect(_forget_names, sender=Concept, dispatch_uid="answer-pages-concept-saved")
post_delete.connect(_forget_names, sender=Concept, dispatch_uid="answer-pages-concept-deleted")


def _keep(store: dict, key: tuple, value):
    if len(store) >= _KEPT:
        store.clear()
    store[key] = value
    return value


def _key(campaign, chosen: list[str], names: dict[str, str]) -> tuple:
    version = campaign.guide_version
    return (
        version.pk,
        version.created_at,
        translation.get_language(),
        tuple(chosen),
        tuple(sorted(names.items())),
    )


def questions_html(campaign, chosen: list[str], names: dict[str, str]) -> str:
    """The questions of ``chosen`` with no answer yet, as HTML."""
    key = _key(campaign, chosen, names)
    html = _QUESTIONS.get(key)
    if html is None:
        form = AnswerForm(campaign, concepts=chosen, names=names)
        html = _keep(
            _QUESTIONS, key, render_to_string("experiences/answer.html#questions", {"form": form})
        )
    return html


def can_reuse(request) -> bool:
    """No session (so nobody signed in and no message waiting) and no message cookie."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def first_visit_page(request, campaign, chosen: list[str], names: dict[str, str]) -> bytes:
    """The whole page for a first visit, with this request's CSRF token in it, as UTF-8."""
    key = (
        *_key(campaign, chosen, names),
        campaign.pk,
        campaign.count_minimum,
        campaign.comment_minimum,
    )
    parts = _PAGES.get(key)
    if parts is None:
        form = AnswerForm(campaign, concepts=chosen, names=names, questions=False)
        context = {
            "campaign": campaign,
            "form": form,
            "questions_html": questions_html(campaign, chosen, names),
            "csrf_token": _CSRF_MARKER,
            "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        }
        # Runs of blank lines between tags (from the widget templates) carry nothing; one line
        # break keeps the same rendering, and an empty textarea keeps its one leading newline.
        html = _BETWEEN_TAGS.sub(">\n<", render_to_string("experiences/answer.html", context))
        # Kept encoded and cut at the marker: a request only joins the parts with its token.
        parts = _keep(_PAGES, key, html.encode().split(_CSRF_MARKER.encode()))
    return get_token(request).encode().join(parts)
