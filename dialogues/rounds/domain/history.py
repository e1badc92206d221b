"""Every change to a round is kept: who, when, what."""

from dialogues.rounds.models import Round, RoundEvent


def record(round_: Round, actor, action: str, **details) -> RoundEvent:
    return RoundEvent.objects.create(round=round_, actor=actor, action=action, details=details)
