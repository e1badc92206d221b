"""Answering a campaign through a personal link: find the invitee, keep a draft, submit.

What is stored where is fixed by docs/anonymity.md. A submission writes one
``PendingResponse`` per concept (campaign, concept, the invitee's reporting group and the
answers — nothing else), deletes the draft and sets ``answered``, all in one transaction; the
mixer (``domain.mixing``) later moves pending responses to ``Response`` in random order.

``answers`` is ``{concept kind: {question id: answer}}``, where an open question's answer is its
text and a closed question's is its choice, or ``{"choice": ..., "why": ...}``.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.domain.guide import visible_questions
from dialogues.experiences.domain.statements import insert_pending, invitee_by_hash, mark_answered
from dialogues.experiences.models import (
    ANSWER_MAX_LENGTH,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.experiences.rolegroups import ALL_ROLE_GROUPS

__all__ = [
    "AnswersInvalid",
    "LinkExpired",
    "LinkForged",
    "LinkRefused",
    "LinkUsed",
    "find_invitee",
    "load_draft",
    "plain_text",
    "record_interview",
    "save_draft",
    "store_answers",
    "submit",
]

# A draft keeps what was typed even over the limit (so nothing is lost), up to this bound.
DRAFT_TEXT_BOUND = 4 * ANSWER_MAX_LENGTH
# Control characters other than tab, LF and CR: nobody types them, PostgreSQL refuses NUL in
# text and in JSON, and XML (the XLSX and PDF files) refuses the rest.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def plain_text(text: str) -> str:
    """``text`` without the control characters no answer can hold (see above)."""
    return _CONTROL_CHARACTERS.sub("", text)


class LinkRefused(Exception):
    """The personal link cannot be used; the subclass says why."""


class LinkForged(LinkRefused):
    def __init__(self):
        super().__init__(_("This link is not valid. Check that it is copied in full."))


class LinkExpired(LinkRefused):
    """The campaign is closed, or not open yet (``not_yet``)."""

    def __init__(self, campaign: Campaign, *, not_yet: bool):
        self.campaign, self.not_yet = campaign, not_yet
        if not_yet:
            message = _("This questionnaire opens on %(date)s.") % {"date": campaign.opens_on}
        else:
            message = _("This questionnaire closed on %(date)s.") % {"date": campaign.closes_on}
        super().__init__(message)


class LinkUsed(LinkRefused):
    def __init__(self):
        super().__init__(_("The answers for this link have already been submitted. Thank you."))


class AnswersInvalid(Exception):
    """Answers that cannot be stored; ``errors`` maps (concept, question id) to a message."""

    def __init__(self, errors: dict[tuple[str | None, int | None], str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


# --- the link ------------------------------------------------------------------------------------


def _check_open(campaign: Campaign, today: date | None = None) -> None:
    today = today or timezone.localdate()
    if campaign.status == Campaign.Status.DRAFT or today < campaign.opens_on:
        raise LinkExpired(campaign, not_yet=True)
    if campaign.status == Campaign.Status.CLOSED or today > campaign.closes_on:
        raise LinkExpired(campaign, not_yet=False)


def find_invitee(token: str, *, for_update: bool = False) -> CampaignInvitee:
    """The invitee of a personal link, or ``LinkForged`` / ``LinkUsed`` / ``LinkExpired``.

    One query: the invitee with its campaign and frozen guide version, and ``has_draft``.
    ``for_update`` locks the invitee row (inside a transaction) for ``store_answers``. A used
    link is reported as used even after the close (the kinder message).
    """
    if not token or len(token) > 200:
        raise LinkForged
    invitee = invitee_by_hash(token_hash(token), for_update=for_update)
    if invitee is None:
        raise LinkForged
    if invitee.answered:
        raise LinkUsed
    _check_open(invitee.campaign)
    return invitee


# --- answers -------------------------------------------------------------------------------------


def _parts(answer) -> tuple[object, object]:
    if isinstance(answer, Mapping):
        return answer.get("choice"), answer.get("why", answer.get("text"))
    return answer, None


def _clean_text(value) -> str:
    return plain_text(value).strip() if isinstance(value, str) else ""


def _question_label(question: dict) -> str:
    from django.utils.translation import get_language

    language = (get_language() or "en")[:2]
    text = question["text"].get(language) or question["text"].get("en") or ""
    return text if len(text) <= 80 else text[:79] + "…"


def validate(campaign: Campaign, answers: Mapping, concepts: Iterable[str]) -> dict[str, dict]:
    """The answers to store, per concept, as ``{question id (str): {"choice", "text"}}``.

    Only the questions shown for that concept count (answers to hidden follow-ups and unknown
    questions are dropped); raises ``AnswersInvalid`` naming each question at fault.
    """
    snapshot = campaign.guide_version.snapshot
    choices = set(snapshot["choices"])
    errors: dict[tuple[str | None, int | None], str] = {}
    chosen = [kind for kind in campaign.concepts if kind in set(concepts)]
    if not chosen:
        raise AnswersInvalid({(None, None): _("Choose the dialogue concept(s) you took part in.")})
    cleaned: dict[str, dict] = {}
    for concept in chosen:
        given = answers.get(concept) or {}
        if not isinstance(given, Mapping):
            given = {}
        by_id = {str(key): value for key, value in given.items()}
        stored = {}
        for question in visible_questions(snapshot, by_id, concept=concept):
            key = str(question["id"])
            if key not in by_id:
                continue
            choice, text = _parts(by_id[key])
            if question["kind"] == "open":
                text, choice = choice if text is None else text, None
            text = _clean_text(text)
            choice = choice if isinstance(choice, str) else ""
            if len(text) > ANSWER_MAX_LENGTH:
                errors[(concept, question["id"])] = _(
                    "“%(question)s”: the answer can be at most %(limit)s characters "
                    "(it has %(length)s)."
                ) % {
                    "question": _question_label(question),
                    "limit": number_format(ANSWER_MAX_LENGTH, force_grouping=True),
                    "length": number_format(len(text), force_grouping=True),
                }
            if choice and choice not in choices:
                errors[(concept, question["id"])] = _(
                    "“%(question)s”: choose one of the answers."
                ) % {"question": _question_label(question)}
            if choice or text:
                stored[key] = {"choice": choice, "text": text}
        cleaned[concept] = stored
    if errors:
        raise AnswersInvalid(errors)
    if not any(cleaned.values()):
        raise AnswersInvalid({(None, None): _("Answer at least one question before submitting.")})
    return {concept: stored for concept, stored in cleaned.items() if stored}


def _bounded(value, depth: int = 0):
    """A draft's answers with every text cut at ``DRAFT_TEXT_BOUND`` and no deep nesting."""
    if isinstance(value, str):
        return plain_text(value)[:DRAFT_TEXT_BOUND]
    if isinstance(value, Mapping) and depth < 3:
        return {
            plain_text(str(key))[:20]: _bounded(item, depth + 1)
            for key, item in list(value.items())[:200]
        }
    return None


def save_draft(invitee: CampaignInvitee, answers: Mapping, concepts: Iterable[str]) -> Draft:
    """Keep the answers typed so far (as typed, even over the limit), tied to the link."""
    if invitee.answered:
        raise LinkUsed
    campaign = invitee.campaign
    _check_open(campaign)
    kinds = [kind for kind in campaign.concepts if kind in set(concepts)]
    kept = {
        kind: _bounded(value)
        for kind, value in (answers or {}).items()
        if kind in campaign.concepts and isinstance(value, Mapping)
    }
    with transaction.atomic():
        # Under the invitee's lock, as submit takes it: an autosave racing a submit either
        # lands before it (and is deleted with it) or sees the link used; never a draft left
        # behind, tied to the link, after the answer went in.
        locked = CampaignInvitee.objects.select_for_update().get(pk=invitee.pk)
        if locked.answered:
            raise LinkUsed
        draft, _created = Draft.objects.update_or_create(
            token_hash=locked.token_hash,
            defaults={"campaign": campaign, "answers": kept, "concepts": kinds},
        )
    return draft


def load_draft(invitee: CampaignInvitee) -> tuple[dict, list[str]]:
    """The answers and concepts to show: the draft's, or none and the preset concepts."""
    if getattr(invitee, "has_draft", True) is False:
        return {}, list(invitee.preset_concepts)
    draft = Draft.objects.filter(token_hash=invitee.token_hash).first()
    if draft is None:
        return {}, list(invitee.preset_concepts)
    return draft.answers, draft.concepts


def submit(invitee: CampaignInvitee, answers: Mapping, concepts: Iterable[str]) -> int:
    """Store the answers for good; returns how many concept responses were stored.

    Locks the invitee row (one query) and calls ``store_answers``, all in one transaction.
    """
    with transaction.atomic():
        locked = (
            CampaignInvitee.objects.select_for_update(of=("self",))
            .select_related("campaign__guide_version")
            .annotate(has_draft=Exists(Draft.objects.filter(token_hash=OuterRef("token_hash"))))
            .get(pk=invitee.pk)
        )
        stored = store_answers(locked, answers, concepts)
    invitee.answered = True
    return stored


def store_answers(locked: CampaignInvitee, answers: Mapping, concepts: Iterable[str]) -> int:
    """The submit itself, for an invitee row locked in the current transaction.

    A ``PendingResponse`` per concept answered, the draft deleted, the invitee marked answered.
    The lock makes a second submit through the same link wait and then be refused
    (``LinkUsed``); an autosave takes the same lock, so ``has_draft`` read under it is true.
    The mixer runs apart, in the periodic job (``domain.jobs``) and at the close.
    """
    if locked.answered:
        raise LinkUsed
    # Read under the lock: the closing mixer touches every invitee row first, so a submit
    # either commits before the mixer reads the pending rows or sees the campaign closed.
    _check_open(locked.campaign)
    cleaned = validate(locked.campaign, answers, concepts)
    insert_pending(
        [
            PendingResponse(
                campaign_id=locked.campaign_id,
                concept=concept,
                reporting_unit_id=locked.reporting_unit_id,
                reporting_role_group=locked.reporting_role_group,
                answers=stored,
            )
            for concept, stored in cleaned.items()
        ]
    )
    if getattr(locked, "has_draft", True):
        Draft.objects.filter(token_hash=locked.token_hash).delete()
    mark_answered(locked)
    locked.answered = True
    return len(cleaned)


# --- group interviews ------------------------------------------------------------------------


def record_interview(
    campaign: Campaign,
    *,
    concept: str,
    unit,
    role_groups: Iterable[str],
    participants: int,
    answers: Mapping,
) -> Response:
    """An HR partner's record of a group interview: straight to ``Response``, no person named.

    ``answers`` is ``{question id: answer}`` for the one concept. The role group stored is the
    single group present, or "all" when several were.
    """
    from dialogues.experiences.domain.mixing import write_responses

    if campaign.answers_deleted_at is not None:
        raise AnswersInvalid(
            {(None, None): _("This campaign's answers were deleted: it takes no more.")}
        )
    if participants < 1:
        raise AnswersInvalid({(None, None): _("At least one person took part.")})
    present = [group for group in campaign.role_groups if group in set(role_groups)]
    if not present:
        raise AnswersInvalid({(None, None): _("Choose the role groups present.")})
    cleaned = validate(campaign, {concept: answers}, [concept])
    with transaction.atomic():
        (response,) = write_responses(
            [
                Response(
                    campaign=campaign,
                    concept=concept,
                    reporting_unit=unit,
                    reporting_role_group=present[0] if len(present) == 1 else ALL_ROLE_GROUPS,
                    source=Response.Source.INTERVIEW,
                    participants=participants,
                    role_groups_present=present,
                )
            ],
            [cleaned[concept]],
        )
    return response
