"""What the round page shows to the person looking at it."""

from django.utils.translation import gettext_lazy as _

from dialogues.rounds.domain import organisation as org_domain
from dialogues.rounds.forms import HeldForm
from dialogues.rounds.models import Round

State = Round.State

STEP_LABELS = [
    (State.PLANNED, _("Planned")),
    (State.INVITED, _("Invited")),
    (State.HELD, _("Held")),
    (State.DOCUMENTED, _("Documented")),
    (State.FOLLOWED_UP, _("Followed up")),
]

PERMISSIONS = (
    "change_plan",
    "view_planning_notes",
    "send_invitations",
    "document",
    "view_documentation",
    "view_feedback",
    "record_followup",
)


def round_context(request, round_: Round) -> dict:
    user = request.user
    can = {name: user.has_perm(f"rounds.{name}", round_) for name in PERMISSIONS}
    sees_history = can["change_plan"] or round_.manager_id == user.pk or can["document"]
    return {
        "round": round_,
        "can": can,
        "steps": [
            {
                "state": state,
                "label": label,
                "done": round_.reached(state),
                "current": state == round_.state,
            }
            for state, label in STEP_LABELS
        ],
        "invitations": round_.invitations.select_related("person"),
        "planning_group": round_.planning_group.select_related("person"),
        "representatives": round_.linked_representatives.all(),
        "essentials": round_.essentials.all() if can["view_documentation"] else [],
        "agreements": (
            round_.agreements.select_related("owner") if can["view_documentation"] else []
        ),
        "events": round_.events.select_related("actor") if sees_history else None,
        "held_form": HeldForm(),
        "responsible": org_domain.responsible_director(round_.unit)
        if round_.is_wellbeing
        else None,
    }
