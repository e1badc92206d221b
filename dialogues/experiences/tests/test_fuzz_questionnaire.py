"""Hostile input to the public questionnaire, through the personal link and Django's test client.

Hypothesis posts random unicode (right-to-left marks, emoji, NUL and other control characters),
missing and extra fields, several values where one is expected, unknown concepts, questions
and choices, and raw bodies that are not UTF-8, to the autosave (draft) and to the submit.
Whatever arrives, the answer is never a server error; a refused submission says why and stores
nothing; an accepted one stores the whole submission once. The expected values are worked out
here from the posted fields, not by the code under test.

Each example runs in a savepoint that is rolled back, so every example starts from the same
open link; the campaign is made once per test.
"""

import re
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.domain.answering import DRAFT_TEXT_BOUND
from dialogues.experiences.models import (
    ANSWER_MAX_LENGTH,
    CampaignInvitee,
    Choice,
    Draft,
    PendingResponse,
)
from dialogues.experiences.tests.factories import open_test_campaign

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CONCEPTS = ["wellbeing", "leadership"]
REFUSED = "Your answers were not submitted"
# Control characters other than tab, LF and CR: what the questionnaire drops from a text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
NASTY = [
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u061c",  # right-to-left and left-to-right marks
    "\u200b\u2060\ufeff",  # zero-width characters
    "👩‍👩‍👧‍👦🏳️‍🌈",
    "Z̴̡̛͎a̷̧͝l̸̪̈́g̵o̶",
    "\r\n\r\n",
    "\r",
    "\t",
    "\x01\x07\x1b[31m",
    "\ufffd\uffff\U0010ffff",
    "<script>window.__pwned=1</script>",
    "'); DROP TABLE experiences_response;--",
    "%00%ED%A0%80",
    "\\u0000",
    "   ",
]


@pytest.fixture
def link(org):
    campaign, tokens = open_test_campaign(org)
    questions = [q for s in campaign.guide_version.snapshot["sections"] for q in s["questions"]]
    return campaign, tokens[0], questions


class _RolledBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Run an example in a savepoint and undo everything it stored."""
    try:
        with transaction.atomic():
            yield
            raise _RolledBack
    except _RolledBack:
        pass


def typed(value: str) -> str:
    """What a posted text should become: one character per line break, no control characters."""
    return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


# --- what gets posted ----------------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.lists(st.sampled_from(NASTY) | st.text(max_size=8), max_size=4).map("".join),
)
# A list posts the field several times (the view reads the last value).
values = st.one_of(texts, st.lists(texts, min_size=2, max_size=3))


@st.composite
def postings(draw, questions) -> dict:
    """A POST of the questionnaire as a person, a broken browser or an attacker might send it.

    Half are "noisy": fields named like the form's with unknown concepts, question ids and
    choices, and several values where one is expected. The others answer a few questions of
    the concepts they choose, with hostile text, so that many submissions are accepted.
    """
    ids = [str(q["id"]) for q in questions]
    concept = st.sampled_from([*CONCEPTS, "bogus", "", "WELLBEING"]) | texts
    question = st.sampled_from([*ids, "0", "-1", "999999", "1.5", "x", ""])
    suffix = st.sampled_from(["text", "choice", "why", "bogus", ""])
    noisy = draw(st.booleans())
    answered = draw(st.lists(st.sampled_from(CONCEPTS), max_size=2, unique=True))
    data: dict = {"concepts": answered + draw(st.lists(concept, max_size=2 if noisy else 0))}
    for kind in answered:
        for asked in draw(
            st.lists(
                st.sampled_from([q for q in questions if kind in q["concepts"]]),
                min_size=1,
                max_size=3,
            )
        ):
            if asked["kind"] == "open":
                data[f"{kind}-{asked['id']}-text"] = draw(values if noisy else texts)
            else:
                data[f"{kind}-{asked['id']}-choice"] = draw(st.sampled_from(Choice.values))
                data[f"{kind}-{asked['id']}-why"] = draw(texts)
    for _ in range(draw(st.integers(0, 8)) if noisy else 0):
        name = f"{draw(concept)}-{draw(question)}-{draw(suffix)}"
        if name.endswith("-choice"):
            data[name] = draw(st.sampled_from(Choice.values) | values)
        else:
            data[name] = draw(values)
    # Fields the form never has, and the htmx ones with odd values.
    buttons = ("submit", "save", "autosave", "refresh", "concepts")
    extra = texts.filter(lambda name: name not in buttons and "-" not in name)
    data |= draw(st.dictionaries(extra, values, max_size=3))
    if draw(st.booleans()):
        data["refresh"] = draw(st.sampled_from([*CONCEPTS, "all"]) | texts)
    return data


def first_open(questions) -> str:
    """The field of the first open question about well-being."""
    question = next(q for q in questions if q["kind"] == "open" and "wellbeing" in q["concepts"])
    return f"wellbeing-{question['id']}-text"


def last(value):
    return value[-1] if isinstance(value, list) else value


def chosen(campaign, data) -> list[str]:
    posted = data.get("concepts", [])
    posted = posted if isinstance(posted, list) else [posted]
    return [kind for kind in campaign.concepts if kind in posted]


# --- the state around a request ------------------------------------------------------------------


def state(token):
    hashed = token_hash(token)
    draft = Draft.objects.filter(token_hash=hashed).values_list("answers", "concepts").first()
    return {
        "answered": CampaignInvitee.objects.get(token_hash=hashed).answered,
        "pending": list(PendingResponse.objects.values_list("concept", "answers")),
        "draft": draft,
    }


def assert_no_control_characters(value) -> None:
    if isinstance(value, str):
        assert not CONTROL.search(value), repr(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_no_control_characters(key)
            assert_no_control_characters(item)
    elif isinstance(value, list):
        for item in value:
            assert_no_control_characters(item)


def check_draft(campaign, questions, data, draft) -> None:
    """The draft holds exactly the chosen concepts and, for each, what was typed (bounded)."""
    answers, concepts = draft
    assert concepts == chosen(campaign, data)
    assert set(answers) <= set(campaign.concepts)
    assert_no_control_characters(answers)
    for kind in concepts:
        for question in questions:
            if kind not in question["concepts"] or question["kind"] != "open":
                continue
            posted = last(data.get(f"{kind}-{question['id']}-text", ""))
            expected = typed(posted)[:DRAFT_TEXT_BOUND]
            assert answers[kind].get(str(question["id"]), "") == expected


def expected_submission(campaign, questions, data) -> dict | None:
    """What a submit of ``data`` must store per concept, or None when it must be refused.

    Worked out from the posted fields: only the questions shown for a concept count (a
    follow-up only when its question was answered with one of its choices), a text is counted
    without surrounding space, and one text too long or one unknown choice refuses the whole.
    """
    kinds = chosen(campaign, data)
    result, refused = {}, not kinds
    for kind in kinds:
        stored, shown = {}, {}
        for question in questions:
            if kind not in question["concepts"]:
                continue
            key, condition = str(question["id"]), question["condition"]
            if condition and shown.get(condition["question"]) not in condition["answers"]:
                continue
            if question["kind"] == "open":
                choice, text = "", last(data.get(f"{kind}-{key}-text", ""))
            else:
                choice = last(data.get(f"{kind}-{key}-choice", ""))
                text = last(data.get(f"{kind}-{key}-why", ""))
            shown[question["id"]] = choice
            text = typed(text).strip()
            if len(text) > ANSWER_MAX_LENGTH or choice not in ("", *Choice.values):
                refused = True
            if text or choice:
                stored[key] = {"choice": choice, "text": text}
        if stored:
            result[kind] = stored
    return None if refused or not result else result


def check_submission(expected, before, after) -> None:
    """Accepted: the invitee answered, no draft left, and every concept answered stored once."""
    assert after["answered"] and after["draft"] is None
    new = after["pending"][len(before["pending"]) :]
    assert len(new) == len(expected)
    assert dict(new) == expected
    for _concept, answers in new:
        assert_no_control_characters(answers)


def check_refusal(response, before, after) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page and 'class="error-summary"' in page
    assert after == before, "a refused submission stores nothing and keeps the draft as it was"


# --- the tests -----------------------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_a_random_submission_is_stored_whole_or_refused_with_a_message(link, data):
    campaign, token, questions = link
    posting = data.draw(postings(questions))
    url = reverse("experiences:answer", args=[token])
    with rolled_back():
        before = state(token)
        response = Client().post(url, posting | {"submit": "submit"})
        after = state(token)
        assert response.status_code < 500
        expected = expected_submission(campaign, questions, posting)
        event("refused" if expected is None else "accepted")
        if expected is None:
            check_refusal(response, before, after)
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("experiences:answer_done"))
            check_submission(expected, before, after)
            # The link now says it was used, and a second submit stores nothing more.
            assert Client().get(url).status_code == 410
            assert Client().post(url, posting | {"submit": "submit"}).status_code == 410
            assert state(token) == after


@EXAMPLES
@given(data=st.data(), htmx=st.booleans(), button=st.sampled_from(["autosave", "save", "none"]))
def test_a_random_autosave_keeps_what_was_typed_and_never_submits(link, data, htmx, button):
    campaign, token, questions = link
    posting = data.draw(postings(questions))
    if button != "none":
        posting[button] = "1"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("experiences:answer", args=[token])
    with rolled_back():
        before = state(token)
        response = Client().post(url, posting, **headers)
        after = state(token)
        assert response.status_code in (200, 302)
        assert response.status_code == 200 or button == "save"
        assert "could not be saved" not in response.content.decode()
        assert not after["answered"] and after["pending"] == before["pending"]
        check_draft(campaign, questions, posting, after["draft"])
        # And the link opens again, with the draft.
        assert Client().get(url).status_code == 200


@EXAMPLES
@given(body=st.binary(max_size=300), submit=st.booleans())
def test_a_body_that_is_not_utf_8_is_no_server_error(link, body, submit):
    _campaign, token, questions = link
    # Surrogates encoded in UTF-8 (CESU) and a stray byte, percent-escaped and raw.
    body = f"concepts=wellbeing&{first_open(questions)}=".encode() + b"%ED%A0%80%FF" + body
    body += b"&submit=submit" if submit else b"&autosave=1"
    url = reverse("experiences:answer", args=[token])
    with rolled_back():
        before = state(token)
        response = Client().post(url, body, content_type="application/x-www-form-urlencoded")
        after = state(token)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert after["answered"] and len(after["pending"]) >= 1
        elif submit:
            check_refusal(response, before, after)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"concepts": ["wellbeing"], "submit": "submit"}', "application/json"),
        (b"concepts=wellbeing&submit=submit", "text/plain"),
        (b"\x00\xff" * 100, "application/octet-stream"),
        (
            b"--x\r\nContent-Disposition: form-data; name=submit\r\n\r\n1\r\n--x--",
            "multipart/form-data",
        ),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
    ],
    ids=["json", "text", "bytes", "multipart-without-boundary", "multipart-broken"],
)
def test_a_body_of_another_kind_stores_no_answer(link, body, content_type):
    """No form fields reach the view: it keeps an empty draft (as an autosave of an empty
    form would), or Django refuses a multipart body it cannot read (400)."""
    _campaign, token, _questions = link
    url = reverse("experiences:answer", args=[token])
    before = state(token)
    response = Client().post(url, body, content_type=content_type)
    after = state(token)
    assert response.status_code in (200, 400)
    assert not after["answered"] and after["pending"] == before["pending"]
    assert after["draft"] in (before["draft"], ({}, []))
    assert Client().get(url).status_code == 200


def test_a_file_sent_to_the_questionnaire_is_ignored(link):
    _campaign, token, questions = link
    url = reverse("experiences:answer", args=[token])
    upload = SimpleUploadedFile("evil.html", b"<script>window.__pwned=1</script>")
    posting = {"concepts": "wellbeing", first_open(questions): "Fine", "submit": "1"}
    response = Client().post(url, posting | {"file": upload})
    assert response.status_code == 302
    assert PendingResponse.objects.get().answers == {
        first_open(questions).split("-")[1]: {"choice": "", "text": "Fine"}
    }


@EXAMPLES
@given(token=st.text(min_size=1, max_size=300))
def test_a_random_link_is_refused_as_not_valid(link, token):
    # Over the guessing limit the refusal is 429; the counter lives in the cache.
    response = Client().get("/experiences/answer/" + quote(token, safe="") + "/")
    assert response.status_code in (404, 429)


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "before\x00\x01\x1fafter"])
def test_a_nul_byte_is_dropped_from_a_draft_and_from_a_submission(link, text):
    """PostgreSQL refuses NUL in text and JSON: it never reaches the database."""
    _campaign, token, questions = link
    url = reverse("experiences:answer", args=[token])
    field = first_open(questions)
    key = field.split("-")[1]
    posting = {"concepts": "wellbeing", field: text}
    response = Client().post(url, posting | {"autosave": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Draft saved." in response.content.decode()
    answers, _concepts = state(token)["draft"]
    kept = CONTROL.sub("", text)
    assert answers == {"wellbeing": {key: kept} if kept else {}}
    response = Client().post(url, posting | {"submit": "submit"})
    if kept:
        assert response.status_code == 302
        assert PendingResponse.objects.get().answers == {key: {"choice": "", "text": kept}}
    else:
        assert response.status_code == 200
        assert "Answer at least one question before submitting." in response.content.decode()
        assert not PendingResponse.objects.exists()


@pytest.mark.parametrize("size", [ANSWER_MAX_LENGTH + 1, 1024 * 1024])
def test_an_answer_over_the_limit_is_refused_with_its_length_and_kept_in_the_draft(link, size):
    _campaign, token, questions = link
    url = reverse("experiences:answer", args=[token])
    field = first_open(questions)
    posting = {"concepts": "wellbeing", field: "x" * size}
    response = Client().post(url, posting | {"autosave": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    before = state(token)
    kept = before["draft"][0]["wellbeing"][field.split("-")[1]]
    assert kept == "x" * min(size, DRAFT_TEXT_BOUND)
    response = Client().post(url, posting | {"submit": "submit"})
    check_refusal(response, before, state(token))
    assert f"at most 5,000 characters (it has {size:,})" in response.content.decode()


@pytest.mark.parametrize("button", ["submit", "autosave"])
def test_a_body_over_the_upload_limit_gets_a_clear_page_and_stores_nothing(link, settings, button):
    _campaign, token, questions = link
    url = reverse("experiences:answer", args=[token])
    before = state(token)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = Client().post(
        url, {"concepts": "wellbeing", first_open(questions): huge, button: "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "far more text" in page and "langt mere tekst" in page  # in English and in Danish
    assert state(token) == before


def test_too_many_fields_get_a_clear_page_and_store_nothing(link, settings):
    _campaign, token, _questions = link
    url = reverse("experiences:answer", args=[token])
    before = state(token)
    posting = {f"field-{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client().post(url, posting | {"concepts": "wellbeing", "submit": "1"})
    assert response.status_code == 400
    assert "more fields than a form has" in response.content.decode()
    assert state(token) == before
