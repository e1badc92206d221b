import pytest

from dialogues.experiences.models import Question, QuestionGuide


@pytest.fixture
def guide(db):
    return QuestionGuide.objects.default()


@pytest.fixture
def ask(guide):
    """The seeded question whose English text starts with the given words."""

    def find(start: str) -> Question:
        return Question.objects.get(section__guide=guide, text_en__startswith=start)

    return find
