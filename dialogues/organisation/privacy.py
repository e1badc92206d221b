"""Everything Dialogues stores about one person, for their access request (GDPR article 15).

``personal_data(person)`` gathers it from every app: the account, roles and units, the dialogue
rounds they took part in and what they wrote there, the campaigns they were invited to (that
they were invited and whether they answered), the import history rows about them, their API
tokens (names, never keys), their log-in attempts and lock-outs, what they read or took out
(the access log) and when their own data was exported. The command ``export_person`` and the
HR administrator's download on the person's page both call it, and both write the export to
the access log (``record_export``).

Not included, on purpose: the answers to the anonymous questionnaire. They are stored without
any link to the person (docs/anonymity.md), so they are not theirs any more and cannot be found.
"""

from __future__ import annotations

import json
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone, translation

from dialogues.experiences.models import Campaign, CampaignInvitee
from dialogues.insights.models import ApiToken, ExportLog, Redaction, ThemeEdit
from dialogues.organisation.models import OrganisationImport, Person, Unit
from dialogues.organisation.roles import Role
from dialogues.rounds.models import (
    Agreement,
    Invitation,
    PlanningMember,
    PlanningNote,
    Round,
    RoundEvent,
    SentReminder,
)

FORMAT = "dialogues-personal-data/1"
NOT_INCLUDED = (
    "Answers to the anonymous questionnaire are not included: they are stored without any link "
    "to the person who gave them, so they cannot be found or told apart from anyone else's."
)


class PersonNotFound(Exception):
    """No one has that e-mail address or employee id."""


def find_person(identifier: str) -> Person:
    """The person with the e-mail address (any case) or the employee id ``identifier``."""
    identifier = identifier.strip()
    if identifier:
        found = Person.objects.filter(
            Q(email__iexact=identifier) | Q(employee_id=identifier)
        ).first()
        if found is not None:
            return found
    raise PersonNotFound(identifier)


def _unit(unit: Unit | None) -> dict | None:
    if unit is None:
        return None
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "active": unit.is_active}


def _account(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "employee_id": person.employee_id,
        "preferred_language": person.preferred_language,
        "unit": _unit(person.unit),
        "manager": (
            {"name": person.manager.name, "employee_id": person.manager.employee_id}
            if person.manager_id
            else None
        ),
        "active": person.is_active,
        "deactivated_at": person.deactivated_at,
        "created_at": person.date_joined,
        "last_login": person.last_login,
        # Whether a password is set, never the password or its hash.
        "has_password": person.has_usable_password(),
        "may_use_the_admin_site": person.is_staff,
        "superuser": person.is_superuser,
    }


def _roles(person: Person) -> list[dict]:
    return [
        {
            "role": assignment.role,
            "label": str(Role(assignment.role).label),
            "unit": _unit(assignment.unit),
            "whole_organisation": assignment.unit_id is None,
        }
        for assignment in person.role_assignments.select_related("unit").order_by("role", "pk")
    ]


def _round(round_: Round) -> dict:
    return {
        "id": round_.pk,
        "concept": round_.concept.kind,
        "unit": _unit(round_.unit),
        "manager": round_.manager.name,
        "starts_at": round_.starts_at,
        "place": round_.place,
        "state": round_.state,
    }


def _rounds(person: Person) -> list[dict]:
    """Each round the person took part in, once, with every part they had in it."""
    parts: dict[int, dict] = {}
    rounds = Round.objects.select_related("concept", "unit", "manager")

    def take(round_: Round, part: str, **extra) -> None:
        entry = parts.setdefault(round_.pk, {"round": _round(round_), "as": []})
        entry["as"].append(part)
        entry.update(extra)

    for round_ in rounds.filter(manager=person):
        take(round_, "manager")
    for round_ in rounds.filter(facilitator=person):
        take(round_, "facilitator")
    for round_ in rounds.filter(linked_representatives=person):
        take(round_, "linked_representative")
    for round_ in rounds.filter(created_by=person):
        take(round_, "started_the_round")
    seats = PlanningMember.objects.filter(person=person).select_related(
        "round__concept", "round__unit", "round__manager"
    )
    for seat in seats:
        take(seat.round, f"planning_group:{seat.seat}")
    invitations = Invitation.objects.filter(person=person).select_related(
        "round__concept", "round__unit", "round__manager"
    )
    for invitation in invitations:
        take(invitation.round, "invited", invitation_sent_at=invitation.sent_at)
    return sorted(parts.values(), key=lambda one: (one["round"]["starts_at"], one["round"]["id"]))


def _agreements(person: Person) -> list[dict]:
    return [
        {
            "round": agreement.round_id,
            "what": agreement.what,
            "due_on": agreement.due_on,
            "status": agreement.status,
            "dropped_reason": agreement.dropped_reason,
            "updated_at": agreement.updated_at,
        }
        for agreement in Agreement.objects.filter(owner=person).order_by("due_on", "pk")
    ]


def _planning_notes(person: Person) -> list[dict]:
    # Only the notes they wrote: the rest of the planning group's notes are the others' words.
    return [
        {
            "round": note.round_id,
            "kind": note.kind,
            "met_on": note.met_on,
            "text": note.text,
            "written_at": note.created_at,
        }
        for note in PlanningNote.objects.filter(author=person).order_by("created_at", "pk")
    ]


def _round_history(person: Person) -> list[dict]:
    return [
        {"round": event.round_id, "action": event.action, "at": event.at}
        for event in RoundEvent.objects.filter(actor=person).order_by("at", "pk")
    ]


def _reminders(person: Person) -> list[dict]:
    return [
        {"reminder": reminder.key, "sent_at": reminder.sent_at}
        for reminder in SentReminder.objects.filter(recipient=person).order_by("sent_at", "pk")
    ]


def _invitations(person: Person) -> list[dict]:
    """The campaigns they were asked to answer: that they were asked and whether they answered."""
    invitees = (
        CampaignInvitee.objects.filter(
            Q(person=person) | Q(person__isnull=True, email__iexact=person.email)
        )
        .select_related("campaign", "unit")
        .order_by("campaign__opens_on", "pk")
    )
    return [
        {
            "campaign": invitee.campaign.name,
            "campaign_id": invitee.campaign_id,
            "opens_on": invitee.campaign.opens_on,
            "closes_on": invitee.campaign.closes_on,
            "invited_as": "person" if invitee.person_id else "email on an uploaded list",
            "email": invitee.email or None,
            "unit": _unit(invitee.unit),
            "role_group": invitee.role_group,
            "language": invitee.language,
            "invited_on": invitee.invited_on,
            "reminders_sent": invitee.reminders_sent,
            "last_reminded_on": invitee.last_reminded_on,
            "answered": invitee.answered,
        }
        for invitee in invitees
    ]


def _campaigns_created(person: Person) -> list[dict]:
    return [
        {"campaign": campaign.name, "campaign_id": campaign.pk, "created_at": campaign.created_at}
        for campaign in Campaign.objects.filter(created_by=person).order_by("created_at", "pk")
    ]


def _analyst_work(person: Person) -> dict:
    """What they did to the themes and flagged answers as an analyst (not the answers' texts)."""
    return {
        "theme_edits": [
            {
                "campaign_id": edit.campaign_id,
                "question": edit.question_id,
                "action": edit.action,
                "at": edit.at,
            }
            for edit in ThemeEdit.objects.filter(by=person).order_by("at", "pk")
        ],
        "answer_reviews": [
            {
                "campaign_id": review.answer.response.campaign_id,
                "decision": (
                    "cleared" if review.cleared else "redacted" if review.text else "withheld"
                ),
                "at": review.at,
            }
            for review in Redaction.objects.filter(by=person)
            .select_related("answer__response")
            .order_by("at", "pk")
        ],
    }


def _mentions(person: Person, data: Any) -> bool:
    """Whether an import's stored JSON names the person (by employee id or e-mail)."""
    keys = {value.casefold() for value in (person.employee_id, person.email) if value}
    if isinstance(data, dict):
        return any(_mentions(person, value) for value in data.values())
    if isinstance(data, list):
        return any(_mentions(person, value) for value in data)
    return isinstance(data, str) and data.casefold() in keys


def _import_rows(person: Person, summary: dict, errors: list) -> list[dict]:
    rows = []
    for part in ("people", "roles"):
        section = (summary or {}).get(part) or {}
        for change, items in section.items():
            if change == "counts" or not isinstance(items, list):
                continue
            for item in items:
                if _mentions(person, item):
                    rows.append({"part": part, "change": change, **item})
    for problem in errors or []:
        if _mentions(person, problem.get("params") or {}):
            rows.append({"part": "problem", **problem})
    return rows


def _imports(person: Person) -> dict:
    imports = OrganisationImport.objects.defer("content").order_by("uploaded_at", "pk")
    return {
        "uploaded": [
            {
                "file": upload.filename,
                "uploaded_at": upload.uploaded_at,
                "status": upload.status,
                "applied_at": upload.applied_at,
            }
            for upload in imports.filter(uploaded_by=person)
        ],
        "rows_about_them": [
            {"import": upload.pk, "file": upload.filename, "at": upload.uploaded_at, **row}
            for upload in imports.iterator(chunk_size=100)
            for row in _import_rows(person, upload.summary, upload.errors)
        ],
    }


def _api_tokens(person: Person) -> list[dict]:
    # Names and dates only: neither the key nor its hash says anything about the person.
    return [
        {
            "name": token.name,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
        }
        for token in ApiToken.objects.filter(user=person).order_by("created_at", "pk")
    ]


def _log_ins(person: Person) -> dict:
    """django-axes' records under their e-mail: failed attempts, lock-outs, log-ins."""

    def seen(row) -> dict:
        return {
            "at": row.attempt_time,
            "ip_address": row.ip_address,
            "user_agent": row.user_agent,
        }

    email = person.email
    return {
        "failed_attempts": [
            {**seen(row), "failures": row.failures_since_start}
            for row in AccessAttempt.objects.filter(username__iexact=email).order_by("attempt_time")
        ],
        "failures": [
            {**seen(row), "locked_out": row.locked_out}
            for row in AccessFailureLog.objects.filter(username__iexact=email).order_by(
                "attempt_time"
            )
        ],
        "log_ins": [
            {**seen(row), "logged_out_at": row.logout_time}
            for row in AccessLog.objects.filter(username__iexact=email).order_by("attempt_time")
        ],
    }


def _access_log(person: Person) -> dict:
    by_them = ExportLog.objects.filter(user=person).select_related("campaign").order_by("at", "pk")
    about_them = (
        ExportLog.objects.filter(kind=ExportLog.Kind.PERSON, what__person=person.pk)
        .select_related("user")
        .order_by("at", "pk")
    )
    return {
        "results_they_opened_or_took_out": [
            {
                "kind": entry.kind,
                "campaign": entry.campaign.name if entry.campaign else None,
                "what": entry.what,
                "at": entry.at,
            }
            for entry in by_them
        ],
        "exports_of_their_data": [
            {"by": entry.user.name if entry.user else None, "at": entry.at} for entry in about_them
        ],
    }


def _admin_actions(person: Person) -> list[dict]:
    return [
        {
            "at": entry.action_time,
            "what": entry.object_repr,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag),
            "change": entry.get_change_message(),
        }
        for entry in LogEntry.objects.filter(user=person).order_by("action_time", "pk")
    ]


def personal_data(person: Person) -> dict:
    """Everything stored about ``person``, as plain data (labels in their own language)."""
    with translation.override(person.preferred_language):
        return {
            "format": FORMAT,
            "generated_at": timezone.now(),
            "not_included": NOT_INCLUDED,
            "account": _account(person),
            "roles": _roles(person),
            "rounds": _rounds(person),
            "agreements_they_own": _agreements(person),
            "planning_notes_they_wrote": _planning_notes(person),
            "round_changes_they_made": _round_history(person),
            "reminders_sent_to_them": _reminders(person),
            "campaign_invitations": _invitations(person),
            "campaigns_they_created": _campaigns_created(person),
            "analyst_work": _analyst_work(person),
            "organisation_imports": _imports(person),
            "api_tokens": _api_tokens(person),
            "log_in_records": _log_ins(person),
            "access_log": _access_log(person),
            "admin_site_actions": _admin_actions(person),
        }


def as_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def record_export(person: Person, by: Person | None, path: str = "", via: str = "web") -> ExportLog:
    """Write the export of ``person``'s data to the access log (by whom, when, how)."""
    return ExportLog.objects.create(
        user=by,
        kind=ExportLog.Kind.PERSON,
        what={
            "person": person.pk,
            "name": person.name,
            "employee_id": person.employee_id,
            "via": via,
            "path": path,
        },
    )
