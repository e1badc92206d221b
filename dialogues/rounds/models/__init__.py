from dialogues.rounds.models.documentation import Agreement, Essential
from dialogues.rounds.models.history import RoundEvent, SentReminder
from dialogues.rounds.models.rounds import Invitation, PlanningMember, PlanningNote, Round

__all__ = [
    "Agreement",
    "Essential",
    "Invitation",
    "PlanningMember",
    "PlanningNote",
    "Round",
    "RoundEvent",
    "SentReminder",
]
