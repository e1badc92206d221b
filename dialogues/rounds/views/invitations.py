"""Send a round's invitations, and download the round as a calendar file."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from dialogues.common.access import permission_required
from dialogues.rounds.domain.calendar import round_calendar
from dialogues.rounds.domain.invitations import send_invitations
from dialogues.rounds.domain.steps import StepRefused
from dialogues.rounds.models import Round


# The permission is checked first, so that the method answer tells a stranger nothing.
@permission_required("rounds.send_invitations", model=Round)
@require_POST
def send(request, round_):
    try:
        count = send_invitations(round_, request.user)
    except StepRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            ngettext(
                "Invitations sent to %(count)d person.",
                "Invitations sent to %(count)d people.",
                count,
            )
            % {"count": count},
        )
    return redirect("rounds:detail", pk=round_.pk)


@permission_required("rounds.view_round", model=Round)
@require_GET
def calendar(request, round_):
    response = HttpResponse(
        round_calendar(round_), content_type="text/calendar; method=REQUEST; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="dialogue.ics"'
    return response
