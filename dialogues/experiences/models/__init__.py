from dialogues.experiences.models.campaigns import Campaign, CampaignInvitee
from dialogues.experiences.models.guide import Choice, Question, QuestionGuide, Section
from dialogues.experiences.models.responses import (
    ANSWER_MAX_LENGTH,
    Answer,
    Draft,
    PendingResponse,
    Response,
)
from dialogues.experiences.models.versions import FrozenVersionError, GuideVersion

__all__ = [
    "ANSWER_MAX_LENGTH",
    "Answer",
    "Draft",
    "PendingResponse",
    "Response",
    "Campaign",
    "CampaignInvitee",
    "Choice",
    "FrozenVersionError",
    "GuideVersion",
    "Question",
    "QuestionGuide",
    "Section",
]
