"""The theme engine (dialogues/insights/themes): languages, grouping, labels, assignment."""

import csv
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from dialogues.insights import themes as engine
from dialogues.insights.themes import (
    NO_CONTENT_ID,
    Comment,
    detect_language,
    embed,
    find_themes,
    from_bytes,
    is_no_content,
    themes_from_groups,
    to_bytes,
)
from dialogues.insights.themes.labels import _label_words
from dialogues.insights.themes.text import words

# Measured 0.615 / 0.378 (docs/themes-benchmark.md); 5 random subsets vary by about ±0.035.
MIN_NMI, MIN_ARI = 0.55, 0.30

TOPICS = {
    "time": (
        [
            "Vi havde alt for lidt tid til dialogen.",
            "Det lå midt i eksamensperioden, alle havde travlt.",
            "Svært at finde tid i kalenderen med al den undervisning.",
            "Tiden løb fra os, vi nåede kun halvdelen.",
            "For travl en periode til sådan et møde.",
        ],
        [
            "We had far too little time for the dialogue.",
            "It was in the middle of the exam period, everyone was busy.",
            "Hard to find time in the calendar with all the teaching.",
            "We ran out of time and only got through half.",
            "Too busy a period for a meeting like this.",
        ],
    ),
    "follow-up": (
        [
            "Der blev ikke fulgt op på aftalerne bagefter.",
            "Vi mangler en handlingsplan med ansvarlige og deadlines.",
            "Intet er sket siden sidste dialog, det er demotiverende.",
            "Lederen gav ingen tilbagemelding efter mødet.",
            "Aftalerne skal på dagsordenen, ellers glemmer vi dem.",
        ],
        [
            "There was no follow-up on the agreements afterwards.",
            "We need an action plan with owners and deadlines.",
            "Nothing has happened since the last dialogue, it is demotivating.",
            "The manager gave no feedback after the meeting.",
            "Put the agreements on the agenda, otherwise we forget them.",
        ],
    ),
    "language": (
        [
            "Alt foregik på dansk, så de internationale kolleger sagde ingenting.",
            "Dialogkortene fandtes kun på dansk.",
            "Plenum burde være på engelsk når der er udlændinge med.",
            "De engelsktalende kolleger kunne ikke følge med.",
            "Invitationen var kun på dansk.",
        ],
        [
            "Everything was in Danish, so the international staff said nothing.",
            "The dialogue cards were only in Danish.",
            "The plenary should be in English when international colleagues take part.",
            "The English-speaking colleagues could not follow the discussion.",
            "The invitation was only in Danish.",
        ],
    ),
}
NOTHING = ["Nej", "-", "Ingen kommentarer", "ved ikke", "No comments.", "", "n/a", "Nothing to add"]


def topic_comments() -> tuple[list[Comment], dict[str, str]]:
    comments, topic_of = [], {}
    for topic, (danish, english) in TOPICS.items():
        for language, texts in (("da", danish), ("en", english)):
            for index, text in enumerate(texts):
                key = f"{topic}-{language}-{index}"
                concept = "wellbeing" if index % 2 else "leadership"
                comments.append(Comment(key, text, concept=concept))
                topic_of[key] = topic
    return comments, topic_of


@pytest.fixture(scope="module")
def topic_vectors():
    comments, _ = topic_comments()
    return embed([c.text for c in comments])


@pytest.fixture(scope="module")
def labelled():
    path = engine.__path__[0] + "/labelled/comments.csv"
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows, embed([r["text"] for r in rows])


def majority(theme_of, keys):
    return Counter(theme_of[key] for key in keys).most_common(1)[0][0]


@pytest.mark.parametrize(
    "text", ["Trygt.", "Mere tid!", "Godt", "Lederen lyttede", "Uklart formål.", "for kort tid"]
)
def test_short_danish_texts_are_detected_as_danish(text):
    assert detect_language(text) == "da"


@pytest.mark.parametrize(
    "text", ["More time!", "Felt safe.", "Good group talks.", "Unclear purpose.", "Thanks"]
)
def test_short_english_texts_are_detected_as_english(text):
    assert detect_language(text) == "en"


def test_language_of_labelled_comments_with_content_is_detected(labelled):
    rows, _ = labelled
    content = [r for r in rows if r["theme"] != "none"]
    wrong = [r["text"] for r in content if detect_language(r["text"]) != r["language"]]
    assert wrong == []


def test_danish_and_english_comments_about_the_same_thing_share_a_theme(topic_vectors):
    comments, topic_of = topic_comments()
    theme_of = find_themes(comments, vectors=topic_vectors).theme_of()
    for topic in TOPICS:
        danish = [k for k in topic_of if k.startswith(f"{topic}-da-")]
        english = [k for k in topic_of if k.startswith(f"{topic}-en-")]
        assert majority(theme_of, danish) == majority(theme_of, english), topic


def test_comments_that_say_nothing_go_to_the_no_content_group(topic_vectors):
    comments, _ = topic_comments()
    extra = [Comment(f"nothing-{i}", text, concept="wellbeing") for i, text in enumerate(NOTHING)]
    vectors = list(topic_vectors) + [None] * len(extra)
    themes = find_themes(comments + extra, vectors=vectors)
    no_content = [t for t in themes if t.no_content]
    assert len(no_content) == 1
    assert no_content[0].id == NO_CONTENT_ID
    assert sorted(no_content[0].keys) == sorted(c.key for c in extra)
    assert no_content[0].concept_sizes == {"wellbeing": len(NOTHING)}
    assert themes.computed == {}  # nothing to embed: the rest had vectors, these say nothing


def test_a_short_answer_with_content_is_not_no_content():
    assert is_no_content("Nej, ikke rigtig.")
    assert not is_no_content("Nej, det var ikke nødvendigt.")
    assert not is_no_content("Mere tid!")
    assert not is_no_content("No, nobody dared to speak up.")


def test_the_same_seed_gives_the_same_themes(topic_vectors):
    comments, _ = topic_comments()
    first = find_themes(comments, vectors=topic_vectors, seed=3)
    second = find_themes(comments, vectors=topic_vectors, seed=3)
    assert [(t.keys, t.label_da, t.label_en, t.quotes) for t in first] == [
        (t.keys, t.label_da, t.label_en, t.quotes) for t in second
    ]


def test_a_text_gets_the_same_vector_alone_and_in_a_batch():
    texts = ["Vi havde for lidt tid.", "The HR partner facilitated well.", "Mere opfølgning"]
    together = embed(texts)
    alone = np.vstack([embed([text]) for text in texts])
    assert together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)


def test_themes_match_the_hand_labels(labelled):
    rows, vectors = labelled
    comments = [Comment(i, r["text"], concept=r["concept"]) for i, r in enumerate(rows)]
    themes = find_themes(comments, vectors=vectors)
    theme_of = themes.theme_of()
    predicted = [theme_of[i] for i in range(len(rows))]
    truth = [r["theme"] for r in rows]
    assert normalized_mutual_info_score(truth, predicted) >= MIN_NMI
    assert adjusted_rand_score(truth, predicted) >= MIN_ARI
    assert sorted(theme_of) == list(range(len(rows)))
    assert 3 <= len(themes) <= 16  # at most 15 themes and the no-content group


def test_labels_are_words_of_the_members_in_their_language(labelled):
    rows, vectors = labelled
    comments = [Comment(i, r["text"], concept=r["concept"]) for i, r in enumerate(rows)]
    for theme in find_themes(comments, vectors=vectors):
        assert theme.label_da and theme.label_en
        if theme.no_content:
            continue
        for language, label in (("da", theme.label_da), ("en", theme.label_en)):
            members = [rows[k]["text"] for k in theme.keys if rows[k]["language"] == language]
            if not members:
                continue
            vocabulary = {w for text in members for w in _label_words(text, language)}
            assert set(words(label)) <= vocabulary, (language, label)
        assert len(theme.quotes) == min(3, len(theme.keys))
        assert set(theme.quotes) <= set(theme.keys)
        assert sum(theme.concept_sizes.values()) == len(theme.keys)


def test_a_new_comment_is_assigned_to_the_theme_of_its_topic(topic_vectors):
    comments, topic_of = topic_comments()
    themes = find_themes(comments, vectors=topic_vectors)
    theme_of = themes.theme_of()
    follow_up = majority(theme_of, [k for k, t in topic_of.items() if t == "follow-up"])
    language = majority(theme_of, [k for k, t in topic_of.items() if t == "language"])
    new = [
        Comment("n1", "Der mangler stadig opfølgning og en handlingsplan efter sidste møde."),
        Comment("n2", "Please translate the cards, many of us do not speak Danish."),
        Comment("n3", "Ingen kommentarer"),
    ]
    assigned = themes.assign(new)
    assert [t.id for t in assigned] == [follow_up, language, NO_CONTENT_ID]
    assert set(themes.computed) == {"n1", "n2"}


def test_an_analysts_grouping_is_kept_and_relabelled(topic_vectors):
    comments, topic_of = topic_comments()
    groups = {key: topic for key, topic in topic_of.items()}
    themes = themes_from_groups(comments, groups, vectors=topic_vectors)
    assert sorted(t.id for t in themes) == sorted(TOPICS)
    for theme in themes:
        assert {topic_of[k] for k in theme.keys} == {theme.id}
    assert "dansk" in next(t for t in themes if t.id == "language").label_da


def test_kept_vectors_give_the_same_themes_without_embedding(topic_vectors, monkeypatch):
    comments, _ = topic_comments()
    fresh = find_themes(comments[:12])
    kept = [to_bytes(fresh.computed[c.key]) for c in comments[:12]]
    monkeypatch.setattr(
        "dialogues.insights.themes.engine.embed", lambda texts: pytest.fail("embedded")
    )
    again = find_themes(comments[:12], vectors=kept)
    assert [t.keys for t in again] == [t.keys for t in fresh]


def test_vectors_round_trip_through_bytes():
    vector = embed(["Godt samarbejde med HR-partneren"])[0]
    data = to_bytes(vector)
    assert isinstance(data, bytes) and len(data) == 384 * 4
    assert np.array_equal(from_bytes(data), vector)
    assert np.array_equal(from_bytes(memoryview(data)), vector)
    with pytest.raises(ValueError):
        from_bytes(data[:-4])
