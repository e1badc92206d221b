from dialogues.experiences.models import Question

SECTIONS_EN = [
    "Background",
    "Collaboration with the HR partner",
    "The smaller group (without a leader)",
    "The larger group (with the leader)",
    "The next step",
    "What can be adjusted?",
]
SECTIONS_DA = [
    "Baggrund",
    "Samarbejdet med HR-partneren",
    "Den mindre gruppe (uden leder)",
    "Den større gruppe (med lederen)",
    "Næste skridt",
    "Hvad kan justeres?",
]


def test_the_default_guide_has_the_six_sections_of_the_framework_in_order(guide):
    assert guide.name_en == "Gather experiences with the dialogue concepts"
    assert guide.name_da == "Indsaml erfaringer med dialogkoncepterne"
    sections = list(guide.sections.all())
    assert [section.title_en for section in sections] == SECTIONS_EN
    assert [section.title_da for section in sections] == SECTIONS_DA


def test_every_question_of_the_guide_is_written_in_both_languages(guide):
    questions = Question.objects.filter(section__guide=guide)
    counts = [section.questions.count() for section in guide.sections.all()]
    assert counts == [2, 2, 3, 3, 3, 2]
    for question in questions:
        assert question.text_da.strip() and question.text_en.strip()
        assert question.text_da != question.text_en
        assert question.concepts.count() >= 1


def test_the_yes_no_questions_are_closed_and_the_rest_open(guide):
    closed = Question.objects.filter(section__guide=guide, kind="closed")
    assert sorted(question.text_en[:30] for question in closed) == sorted(
        [
            "Have you used the support tool",
            "Have you carried out well-bein",
            "Did you talk about the essenti",
            "Have you felt safe participati",
            "If not: have you talked to you",
            "Did you talk about the essenti",
            "Did you talk about the next st",
        ]
    )
    assert Question.objects.filter(section__guide=guide, kind="open").count() == 8


def test_each_section_heading_question_opens_its_section(guide):
    firsts = [section.questions.first().text_en for section in guide.sections.all()[2:5]]
    assert firsts == [
        "Did you talk about the essentials in the smaller group (without a leader)?",
        "Did you talk about the essentials in the larger group (with the leader)?",
        "Did you talk about the next step?",
    ]


def test_the_tr_or_amr_question_follows_a_no_or_partly_to_feeling_safe(ask):
    follow_up = ask("If not: have you talked to your union representative (TR)")
    assert follow_up.condition_question == ask("Have you felt safe participating?")
    assert follow_up.condition_answers == ["no", "partly"]
    conditional = Question.objects.exclude(condition_question=None)
    assert list(conditional) == [follow_up]


def test_only_the_questions_about_feeling_safe_are_sensitive(guide, ask):
    sensitive = set(Question.objects.filter(section__guide=guide, sensitive=True))
    assert sensitive == {ask("Have you felt safe participating?"), ask("If not: have you")}


def test_running_dialogues_without_hr_is_asked_about_the_wellbeing_dialogue_only(guide, ask):
    without_hr = ask("Have you carried out well-being dialogues on your own?")
    assert [concept.kind for concept in without_hr.concepts.all()] == ["wellbeing"]
    others = Question.objects.filter(section__guide=guide).exclude(pk=without_hr.pk)
    for question in others:
        assert sorted(concept.kind for concept in question.concepts.all()) == [
            "leadership",
            "wellbeing",
        ]
