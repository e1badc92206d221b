"""The respondent's questionnaire pages: the link, drafts, conditions, submitting, refusals."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dialogues.experiences.models import (
    ANSWER_MAX_LENGTH,
    Campaign,
    CampaignInvitee,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.experiences.tests.factories import open_test_campaign

SAFE = "Have you felt safe participating?"
FOLLOW_UP = "If not: have you talked to your union representative (TR)"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def opened(org):
    return open_test_campaign(org)


def url(token):
    return reverse("experiences:answer", kwargs={"token": token})


def field(concept, question, part):
    return f"{concept}-{question.pk}-{part}"


def page(client, token, **kwargs):
    response = client.get(url(token), **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_a_valid_link_shows_the_questions_of_the_preset_concept(client, opened, ask):
    _campaign, tokens = opened
    html = page(client, tokens[0])
    assert SAFE in html
    assert f'name="{field("wellbeing", ask(SAFE), "choice")}"' in html
    assert f'name="{field("leadership", ask(SAFE), "choice")}"' not in html
    assert "without your name, your e-mail or the time" in html
    assert "at least 5 people" in html


def test_choosing_both_concepts_shows_both(client, opened, ask):
    _campaign, tokens = opened
    response = client.post(
        url(tokens[0]), {"concepts": ["wellbeing", "leadership"], "refresh": "all"}
    )
    html = response.content.decode()
    assert f'name="{field("wellbeing", ask(SAFE), "choice")}"' in html
    assert f'name="{field("leadership", ask(SAFE), "choice")}"' in html
    response = client.post(
        url(tokens[0]),
        {"concepts": ["wellbeing", "leadership"], "refresh": "all"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="questions">')
    assert 'id="concept-leadership"' in html and 'id="concept-wellbeing"' in html


def test_a_no_to_feeling_safe_shows_the_follow_up_and_a_yes_hides_it(client, opened, ask):
    _campaign, tokens = opened
    safe, follow_up = ask(SAFE), ask(FOLLOW_UP)
    assert FOLLOW_UP not in page(client, tokens[0])
    data = {"concepts": ["wellbeing"], "refresh": "wellbeing"}
    response = client.post(
        url(tokens[0]), data | {field("wellbeing", safe, "choice"): "no"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="concept-wellbeing"')
    assert "<html" not in html
    assert follow_up.text_en in html
    response = client.post(
        url(tokens[0]), data | {field("wellbeing", safe, "choice"): "yes"}, HTTP_HX_REQUEST="true"
    )
    assert FOLLOW_UP not in response.content.decode()


def test_autosave_answers_with_a_status(client, opened, ask):
    _campaign, tokens = opened
    response = client.post(
        url(tokens[0]),
        {
            "concepts": ["wellbeing"],
            field("wellbeing", ask(SAFE), "why"): "Mostly.",
            "autosave": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert 'role="status"' in response.content.decode()
    assert Draft.objects.count() == 1


def test_a_saved_draft_is_resumed_by_the_same_link(client, opened, ask):
    _campaign, tokens = opened
    safe = ask(SAFE)
    response = client.post(
        url(tokens[0]),
        {
            "concepts": ["wellbeing", "leadership"],
            field("wellbeing", safe, "choice"): "partly",
            field("wellbeing", safe, "why"): "Hard to say <b>why</b>",
            "save": "1",
        },
    )
    assert response.status_code == 302
    html = page(client, tokens[0])
    assert re.search(
        rf'name="{field("wellbeing", safe, "choice")}" value="partly"[^>]*checked', html
    )
    assert "Hard to say &lt;b&gt;why&lt;/b&gt;" in html
    assert f'name="{field("leadership", safe, "choice")}"' in html
    assert FOLLOW_UP in html


def test_too_long_an_answer_is_refused_next_to_the_field_and_kept(client, opened, ask):
    _campaign, tokens = opened
    name = field("wellbeing", ask(SAFE), "why")
    typed = "x" * (ANSWER_MAX_LENGTH + 1)
    response = client.post(
        url(tokens[0]),
        {
            "concepts": ["wellbeing"],
            field("wellbeing", ask(SAFE), "choice"): "yes",
            name: typed,
            "submit": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 5,000 characters" in html
    assert typed in html
    assert f'aria-describedby="id_{name}_error"' in html
    assert not PendingResponse.objects.exists() and not Response.objects.exists()
    assert not CampaignInvitee.objects.filter(answered=True).exists()


def test_submitting_thanks_and_the_link_is_then_used(client, opened, ask):
    _campaign, tokens = opened
    response = client.post(
        url(tokens[0]),
        {"concepts": ["wellbeing"], field("wellbeing", ask(SAFE), "choice"): "yes", "submit": "1"},
    )
    assert response.status_code == 302
    assert tokens[0] not in response["Location"]
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Your answers have been submitted" in thanks.content.decode()
    assert PendingResponse.objects.exists() or Response.objects.exists()
    again = client.get(url(tokens[0]))
    assert again.status_code == 410
    assert "already been submitted" in again.content.decode()


def test_a_forged_link_is_refused(client, opened):
    response = client.get(url("forged-token"))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_a_closed_or_not_yet_open_campaign_is_refused(client, opened):
    campaign, tokens = opened
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    response = client.get(url(tokens[0]))
    assert response.status_code == 410
    assert "This questionnaire closed on" in response.content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.OPEN, opens_on=today + timedelta(days=1)
    )
    response = client.get(url(tokens[0]))
    assert response.status_code == 410
    assert "This questionnaire opens on" in response.content.decode()


def test_guessing_links_is_limited_but_valid_links_are_not(client, opened):
    _campaign, tokens = opened
    for n in range(20):
        assert client.get(url(f"guess-{n}")).status_code == 404
    response = client.get(url("guess-21"))
    assert response.status_code == 429
    assert "Too many" in response.content.decode()
    assert client.get(url(tokens[0])).status_code == 200


def test_the_page_holds_no_token_or_invitee_id_and_leaks_no_referrer(client, opened):
    _campaign, tokens = opened
    response = client.get(url(tokens[0]))
    html = response.content.decode()
    # The token is nowhere in the page: the form and the htmx requests post to the page's own
    # address (no action, an empty hx-post).
    assert tokens[0] not in html
    assert '<form method="post" novalidate data-submit-once>' in html and 'hx-post=""' in html
    invitee = CampaignInvitee.objects.get(email="p0@example.org")
    assert f'value="{invitee.pk}"' not in html
    hidden = [line for line in html.splitlines() if 'type="hidden"' in line]
    assert all("csrfmiddlewaretoken" in line for line in hidden)
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    # The same, resumed with a draft (rendered in full, not from the kept first-visit page).
    client.post(url(tokens[0]), {"concepts": ["wellbeing"], "wellbeing-1-text": "x", "save": "1"})
    assert tokens[0] not in client.get(url(tokens[0])).content.decode()
    refused = client.get(url("forged-token"))
    assert refused["Referrer-Policy"] == "same-origin"
    assert "no-store" in refused["Cache-Control"]


def test_a_danish_invitee_reads_danish(client, org, ask):
    _campaign, tokens = open_test_campaign(org, language="da")
    html = page(client, tokens[0], HTTP_ACCEPT_LANGUAGE="en")
    assert ask(SAFE).text_da in html
    assert ask(SAFE).text_en not in html
    assert '<html lang="da">' in html


def test_no_token_is_logged(client, opened, caplog):
    _campaign, tokens = opened
    Campaign.objects.filter(pk=_campaign.pk).update(status=Campaign.Status.CLOSED)
    with caplog.at_level("DEBUG"):
        assert client.get(url("forged-token")).status_code == 404
        assert client.get(url(tokens[0])).status_code == 410
    assert "forged-token" not in caplog.text
    assert tokens[0] not in caplog.text


def test_a_refused_link_says_why_in_both_languages(client, db):
    response = client.get("/experiences/answer/not-a-real-token-at-all/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This link is not valid. Check that it is copied in full." in html
    assert "Linket er ikke gyldigt. Tjek, at det er kopieret helt." in html
    assert '<section lang="da"' in html


def test_an_autosave_after_the_submit_is_answered_quietly(client, org):
    _campaign, tokens = open_test_campaign(org)
    url = reverse("experiences:answer", args=[tokens[0]])
    client.post(url, {"concepts": ["wellbeing"], "wellbeing-1-text": "done", "submit": "1"})
    late = client.post(
        url, {"concepts": ["wellbeing"], "autosave": "1"}, headers={"HX-Request": "true"}
    )
    assert late.status_code == 204
    assert client.get(url).status_code == 410


def test_the_error_summary_links_to_each_field_at_fault(client, org):
    _campaign, tokens = open_test_campaign(org)
    too_long = "x" * 5001
    response = client.post(
        url(tokens[0]),
        {"concepts": ["wellbeing"], "wellbeing-1-text": too_long, "submit": "1"},
    )
    html = response.content.decode()
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert 'href="#id_wellbeing-1-text"' in summary and "at most 5,000 characters" in summary
    assert 'id="id_wellbeing-1-text"' in html
