"""Written answers: flags, review and redaction, themes an analyst edits, search."""

import pytest
from django.urls import reverse

from dialogues.experiences.models import Answer
from dialogues.insights.domain.identifying import flags, suggested_redaction
from dialogues.insights.models import Redaction, Theme, ThemeAssignment, ThemeEdit
from dialogues.insights.tests.factories import OPEN_QUESTION, closed_test_campaign
from dialogues.organisation.models import Person

NAMES = (frozenset({"mikkel brandt"}), frozenset({"mikkel", "brandt"}))

TEXTS = [
    "We had far too little time for the dialogue",
    "Vi havde alt for lidt tid til dialogen",
    "The HR partner facilitated really well",
    "HR-partneren faciliterede rigtig godt",
    "Too little time, the meeting was rushed",
    "Mødet var forhastet, der var for lidt tid",
    "Good facilitation by HR made it safe",
    "God facilitering fra HR gjorde det trygt",
    "Not enough time to talk about everything",
    "Vi nåede ikke at tale om det hele, for lidt tid",
    "HR led the meeting well and kept us on track",
    "Mikkel Brandt shouted at me after the meeting",
]


def test_flags_find_names_emails_phones_and_cpr_numbers():
    text = "Mikkel Brandt (mb@uni.dk, 20 30 40 50, 010190-1234) and Brandt again"
    kinds = [(flag.kind, flag.text) for flag in flags(text, NAMES)]
    assert kinds == [
        ("name", "Mikkel Brandt"),
        ("email", "mb@uni.dk"),
        ("phone", "20 30 40 50"),
        ("cpr", "010190-1234"),
        ("name", "Brandt"),
    ]
    assert suggested_redaction(text, flags(text, NAMES)) == (
        "[name] ([e-mail], [phone], [CPR]) and [name] again"
    )


def test_ordinary_words_are_not_flagged():
    assert flags("we walked in the forest, brandt is a word here", NAMES) == []
    assert flags("Per person we had ten minutes", (frozenset(), frozenset({"per"}))) == []


@pytest.fixture
def campaign(org):
    Person.objects.create_user(email="mb@example.org", name="Mikkel Brandt", password="x")
    return closed_test_campaign(org, answered=12, texts=TEXTS)


def question_page(client, campaign, **query):
    return client.get(reverse("insights:comments", args=[campaign.pk, OPEN_QUESTION]), query)


def answer_with(text) -> Answer:
    return Answer.objects.get(text=text)


def test_a_flagged_answer_reaches_no_reader_until_hr_has_reviewed_it(client, org, campaign):
    shouting = "Mikkel Brandt shouted at me after the meeting"
    client.force_login(org.director)
    texts = [a.text for a in question_page(client, campaign).context["answers"]]
    assert shouting not in texts and len(texts) == 11

    client.force_login(org.hr_admin)
    page = question_page(client, campaign)
    assert page.context["awaiting"] == 1
    assert "May identify someone" in page.content.decode()
    url = reverse("insights:redact", args=[campaign.pk, answer_with(shouting).pk])
    review = client.get(url)
    assert review.context["suggested"] == "[name] shouted at me after the meeting"
    client.post(url, {"decision": "redact", "text": "[name] shouted at me"})

    client.force_login(org.director)
    texts = [a.text for a in question_page(client, campaign).context["answers"]]
    assert "[name] shouted at me" in texts and shouting not in texts
    assert "Mikkel" not in question_page(client, campaign).content.decode()


def test_a_withheld_answer_is_shown_to_no_reader(client, org, campaign):
    answer = answer_with("Too little time, the meeting was rushed")
    client.force_login(org.hr_admin)
    client.post(reverse("insights:redact", args=[campaign.pk, answer.pk]), {"decision": "withhold"})
    assert Redaction.objects.get(answer=answer).text == ""
    client.force_login(org.director)
    texts = [a.text for a in question_page(client, campaign).context["answers"]]
    assert "Too little time, the meeting was rushed" not in texts


def test_redacting_needs_a_text_and_readers_cannot_redact(client, org, campaign):
    answer = answer_with("Good facilitation by HR made it safe")
    url = reverse("insights:redact", args=[campaign.pk, answer.pk])
    client.force_login(org.hr_admin)
    client.post(url, {"decision": "redact", "text": "  "})
    assert not Redaction.objects.exists()
    client.force_login(org.director)
    assert client.post(url, {"decision": "withhold"}).status_code == 403
    assert not Redaction.objects.exists()


def test_themes_group_danish_and_english_and_an_analysts_edits_are_kept(client, org, campaign):
    client.force_login(org.hr_admin)
    page = question_page(client, campaign)
    themes = list(Theme.objects.filter(campaign=campaign, question_id=OPEN_QUESTION))
    assert len(themes) >= 2
    assert ThemeAssignment.objects.filter(theme__campaign=campaign).count() == 12
    assert page.context["summaries"]

    edit = reverse("insights:theme_edit", args=[campaign.pk, OPEN_QUESTION])
    first, second = themes[0], themes[1]
    client.post(
        edit, {"action": "rename", "theme": first.pk, "label_da": "Tid", "label_en": "Time"}
    )
    client.post(edit, {"action": "merge", "theme": first.pk, "others": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.label_en, first.renamed) == ("Time", True)
    assert second.merged_into == first
    assert not ThemeAssignment.objects.filter(theme=second).exists()

    moved = answer_with("Mødet var forhastet, der var for lidt tid")
    client.post(
        edit,
        {
            "action": "split",
            "theme": ThemeAssignment.objects.get(answer=moved).theme_id,
            "answers": [str(moved.pk)],
            "label_en": "Rushed",
        },
    )
    assert ThemeAssignment.objects.get(answer=moved).theme.label_en == "Rushed"
    actions = list(ThemeEdit.objects.values_list("action", flat=True))
    assert sorted(actions) == ["merge", "rename", "split"]

    # Opening the page again groups nothing anew: the edits stand.
    question_page(client, campaign)
    first.refresh_from_db()
    assert first.label_en == "Time"
    history = client.get(reverse("insights:theme_history", args=[campaign.pk, OPEN_QUESTION]))
    assert history.status_code == 200 and "Merged" in history.content.decode()


def test_readers_cannot_edit_themes(client, org, campaign):
    client.force_login(org.director)
    question_page(client, campaign)
    theme = Theme.objects.filter(campaign=campaign).first()
    edit = reverse("insights:theme_edit", args=[campaign.pk, OPEN_QUESTION])
    response = client.post(edit, {"action": "rename", "theme": theme.pk, "label_en": "Mine"})
    assert response.status_code == 403
    theme.refresh_from_db()
    assert theme.label_en != "Mine"


def test_search_finds_answers_in_either_language(client, org, campaign):
    client.force_login(org.hr_admin)
    page = question_page(client, campaign, q="lidt tid")
    texts = [a.text for a in page.context["shown"]]
    assert len(texts) == 3 and all("lidt tid" in text for text in texts)


def test_the_campaign_search_finds_answers_of_every_question_readers_may_see(client, org, campaign):
    client.force_login(org.director)
    page = client.get(reverse("insights:search", args=[campaign.pk]), {"q": "meeting"})
    found = [answer.text for _, _, matching, _ in page.context["found"] for answer in matching]
    assert "Too little time, the meeting was rushed" in found
    # The flagged answer is not for readers until HR has reviewed it.
    assert not any("Mikkel" in text for text in found)
    client.force_login(org.hr_admin)
    page = client.get(reverse("insights:search", args=[campaign.pk]), {"q": "meeting"})
    found = [answer.text for _, _, matching, _ in page.context["found"] for answer in matching]
    assert any("Mikkel" in text for text in found)


def test_a_large_question_is_grouped_by_the_task_worker_not_the_page(
    client, org, campaign, monkeypatch
):
    from types import SimpleNamespace

    from dialogues.insights import tasks
    from dialogues.insights.domain import themes

    find_themes_task = tasks.find_themes_task
    monkeypatch.setattr(themes, "GROUP_WHILE_WAITING", 5)
    queued = []
    waiting = SimpleNamespace(enqueue=lambda *args: queued.append(args))
    monkeypatch.setattr(tasks, "find_themes_task", waiting)
    client.force_login(org.hr_admin)
    page = question_page(client, campaign)
    assert page.status_code == 200 and not page.context["grouped"]
    assert "being found in the background" in page.content.decode()
    assert len(page.context["shown"]) == 12  # the answers are there without their themes
    assert queued == [(campaign.pk, OPEN_QUESTION)]
    question_page(client, campaign)
    assert len(queued) == 1  # not again while the first is pending
    find_themes_task.call(campaign.pk, OPEN_QUESTION)
    assert question_page(client, campaign).context["grouped"]


def test_a_text_written_twice_is_embedded_once_and_both_answers_get_its_vector(org, monkeypatch):
    from dialogues.insights import themes as engine
    from dialogues.insights.domain import themes
    from dialogues.insights.models import AnswerVector

    texts = [
        "Good talk",
        "Too little time",
        "Good talk",
        "Good talk",
        "Too little time",
        "For lidt tid",
    ] * 2
    closed_test_campaign(org, answered=len(texts), texts=texts)
    embedded = []
    real_embed = engine.embed
    monkeypatch.setattr(engine, "embed", lambda batch: embedded.extend(batch) or real_embed(batch))
    assert themes.embed_new_answers() == len(texts)
    assert sorted(embedded) == ["For lidt tid", "Good talk", "Too little time"]
    vectors = {}
    for text, vector in AnswerVector.objects.values_list("answer__text", "vector"):
        vectors.setdefault(text, set()).add(bytes(vector))
    assert {text: len(found) for text, found in vectors.items()} == {
        "Good talk": 1,
        "Too little time": 1,
        "For lidt tid": 1,
    }
    assert vectors["Good talk"] != vectors["Too little time"]


def test_answers_are_embedded_once_and_grouping_reads_the_stored_vectors(org, campaign):
    from dialogues.insights.domain import themes
    from dialogues.insights.models import AnswerVector

    assert themes.embed_new_answers() == 12
    assert AnswerVector.objects.count() == 12
    assert themes.embed_new_answers() == 0  # nothing new
    stored = dict(AnswerVector.objects.values_list("answer_id", "vector"))
    assert themes.ensure_themes(campaign, OPEN_QUESTION)
    # Grouping made no vector of its own: it read the twelve stored ones.
    assert dict(AnswerVector.objects.values_list("answer_id", "vector")) == stored
    assert ThemeAssignment.objects.filter(theme__campaign=campaign).count() == 12


def test_grouping_keeps_the_vectors_it_had_to_make(org, campaign):
    from dialogues.insights.domain import themes
    from dialogues.insights.models import AnswerVector

    assert themes.ensure_themes(campaign, OPEN_QUESTION)
    assert AnswerVector.objects.count() == 12
