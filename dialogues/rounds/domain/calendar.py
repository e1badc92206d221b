"""The invitation as an iCalendar file (RFC 5545), and the words that describe a round.

Small on purpose: one event, the properties calendar programs need, text escaped and
lines folded at 75 octets with CRLF endings.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogues.common.translated import in_language
from dialogues.rounds.models import Round

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def quote_param(value: str) -> str:
    # A parameter value may not contain a double quote at all; quoting handles : ; ,
    return '"' + value.replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character.

    Continuation lines begin with one space, which counts towards their 75 octets.
    """
    chunks: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    chunks.append(current)
    return (CRLF + " ").join(chunks)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def round_url(round_: Round) -> str:
    return settings.SITE_URL + reverse("rounds:detail", args=[round_.pk])


def round_uid(round_: Round) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"round-{round_.pk}@{host}"


def concept_name(round_: Round, language: str | None = None) -> str:
    return in_language(round_.concept, "name", language)


def method_text() -> str:
    return _(
        "First you talk in small groups without the leader and agree on the essentials you "
        "want to bring forward. Then the essentials are presented and discussed in plenary "
        "with the leader, and together you agree on the next steps."
    )


def facilitation_text(round_: Round) -> str:
    if round_.facilitation == Round.Facilitation.UNIT:
        return _("The unit facilitates the dialogue itself, without HR.")
    if round_.facilitator:
        return _("%(name)s facilitates the dialogue.") % {"name": round_.facilitator.name}
    return _("An HR partner facilitates the dialogue.")


def facilitator_label(round_: Round) -> str:
    if round_.facilitation == Round.Facilitation.UNIT:
        return _("the unit itself, without HR")
    if round_.facilitator:
        return round_.facilitator.name
    return _("an HR partner")


def summary(round_: Round, language: str | None = None) -> str:
    return f"{concept_name(round_, language)} · {round_.unit.name}"


def description(round_: Round, language: str | None = None) -> str:
    return "\n\n".join(
        [
            in_language(round_.concept, "purpose", language),
            method_text(),
            facilitation_text(round_),
            round_url(round_),
        ]
    )


def round_calendar(
    round_: Round,
    *,
    language: str | None = None,
    attendee=None,
    stamp: datetime | None = None,
) -> str:
    """The .ics text of a round, in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        ends_at = round_.starts_at + timedelta(minutes=round_.duration_minutes)
        manager = round_.manager
        # Each change of the plan raises SEQUENCE, so a calendar replaces its older copy.
        sequence = round_.events.filter(action="plan_changed").count()
        lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Dialogues//Dialogue rounds//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:REQUEST",
            "BEGIN:VEVENT",
            f"UID:{round_uid(round_)}",
            f"SEQUENCE:{sequence}",
            f"DTSTAMP:{utc(stamp or timezone.now())}",
            f"DTSTART:{utc(round_.starts_at)}",
            f"DTEND:{utc(ends_at)}",
            f"SUMMARY:{escape_text(summary(round_, language))}",
            f"LOCATION:{escape_text(round_.place)}",
            f"DESCRIPTION:{escape_text(description(round_, language))}",
            f"URL:{round_url(round_)}",
            f"ORGANIZER;CN={quote_param(manager.name)}:mailto:{manager.email}",
        ]
        if attendee is not None:
            lines.append(
                f"ATTENDEE;CN={quote_param(attendee.name)};ROLE=REQ-PARTICIPANT;"
                f"PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{attendee.email}"
            )
        lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
