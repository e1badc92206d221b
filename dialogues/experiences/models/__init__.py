from dialogues.experiences.models.guide import Choice, Question, QuestionGuide, Section
from dialogues.experiences.models.versions import FrozenVersionError, GuideVersion

__all__ = [
    "Choice",
    "FrozenVersionError",
    "GuideVersion",
    "Question",
    "QuestionGuide",
    "Section",
]
