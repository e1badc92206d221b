import re
from datetime import UTC, datetime, timedelta

import pytest

from dialogues.rounds.domain.calendar import escape_text, fold, round_calendar

STAMP = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def parse(text: str) -> dict[str, tuple[dict[str, str], str]]:
    """Content lines as name -> (parameters, value); a tiny RFC 5545 reader for the tests."""
    properties = {}
    for line in unfold(text):
        match = re.fullmatch(r'([A-Z-]+)((?:;[A-Z-]+=(?:"[^"]*"|[^;:,"]*))*):(.*)', line)
        assert match, line
        name, params, value = match.groups()
        parsed = dict(re.findall(r';([A-Z-]+)=("[^"]*"|[^;:,"]*)', params))
        if name in properties and name in ("BEGIN", "END"):
            name = f"{name}:{value}"
        properties[name] = (parsed, value)
    return properties


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_text_escapes_backslash_semicolon_comma_and_newlines():
    assert escape_text("a\\b; c, d\r\ne\nf") == "a\\\\b\\; c\\, d\\ne\\nf"


def test_a_short_line_is_not_folded():
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "æøå" * 60
    folded = fold(line)
    parts = folded.split("\r\n")
    assert [len(part.encode()) <= 75 for part in parts] == [True] * len(parts)
    assert len(parts[0].encode()) in (74, 75)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0]] + [part[1:] for part in parts[1:]]) == line


@pytest.mark.django_db
def test_the_calendar_file_has_one_event_in_utc_with_crlf_lines(leadership_round, settings):
    settings.SITE_URL = "https://dialogues.example.org"
    text = round_calendar(leadership_round, language="en", stamp=STAMP)
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[:5] == [
        "BEGIN:VCALENDAR",
        "PRODID:-//Dialogues//Dialogue rounds//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
    ]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert lines.count("BEGIN:VEVENT") == 1
    props = parse(text)
    assert props["UID"][1] == f"round-{leadership_round.pk}@dialogues.example.org"
    assert props["DTSTAMP"][1] == "20250301T093000Z"
    start = leadership_round.starts_at.astimezone(UTC)
    end = start + timedelta(minutes=120)
    assert props["DTSTART"][1] == start.strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"][1] == end.strftime("%Y%m%dT%H%M%SZ")
    assert unescape(props["SUMMARY"][1]) == "Leadership dialogue · Section of Cases"
    assert unescape(props["LOCATION"][1]) == "Building 101, room 2"
    assert props["LOCATION"][1] == "Building 101\\, room 2"
    assert props["ORGANIZER"] == ({"CN": '"Manager"'}, "mailto:manager@example.org")


@pytest.mark.django_db
def test_the_description_says_what_how_who_facilitates_and_links_the_round(
    leadership_round, settings
):
    settings.SITE_URL = "https://dialogues.example.org"
    description = unescape(parse(round_calendar(leadership_round, language="en"))["DESCRIPTION"][1])
    paragraphs = description.split("\n\n")
    assert paragraphs[0] == leadership_round.concept.purpose_en
    assert paragraphs[1].startswith("First you talk in small groups without the leader")
    assert paragraphs[2] == "Hr Partner facilitates the dialogue."
    assert paragraphs[3] == f"https://dialogues.example.org/rounds/{leadership_round.pk}/"


@pytest.mark.django_db
def test_the_calendar_is_written_in_the_language_asked_for(leadership_round):
    danish = parse(round_calendar(leadership_round, language="da"))
    english = parse(round_calendar(leadership_round, language="en"))
    assert unescape(danish["SUMMARY"][1]) == "Ledelsesdialog · Section of Cases"
    assert unescape(english["SUMMARY"][1]) == "Leadership dialogue · Section of Cases"
    assert danish["UID"] == english["UID"]


@pytest.mark.django_db
def test_an_invitee_is_named_as_attendee_and_quotes_in_names_cannot_break_the_line(
    leadership_round, rounds_org
):
    rounds_org.manager.name = 'Ann "the boss" Smith; Jr.'
    rounds_org.manager.save()
    leadership_round.refresh_from_db()
    props = parse(round_calendar(leadership_round, attendee=rounds_org.employee))
    assert props["ORGANIZER"][0] == {"CN": "\"Ann 'the boss' Smith; Jr.\""}
    assert props["ATTENDEE"][1] == "mailto:employee@example.org"
    assert props["ATTENDEE"][0]["CN"] == '"Employee"'
