from dialogues.experiences.models.campaigns import Campaign, CampaignInvitee
from dialogues.experiences.models.guide import Choice, Question, QuestionGuide, Section
from dialogues.experiences.models.versions import FrozenVersionError, GuideVersion

__all__ = [
    "Campaign",
    "CampaignInvitee",
    "Choice",
    "FrozenVersionError",
    "GuideVersion",
    "Question",
    "QuestionGuide",
    "Section",
]
