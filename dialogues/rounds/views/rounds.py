from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.organisation.rules import OVERSEER_ROLES, is_hr_admin, visible_rounds, visible_units
from dialogues.rounds.domain import organisation as org_domain
from dialogues.rounds.domain.steps import Plan, StepRefused, mark_held, plan_round, update_plan
from dialogues.rounds.forms import HeldForm, PlanForm, PlanningNoteForm, StartRoundForm
from dialogues.rounds.models import Round
from dialogues.rounds.views.context import round_context


@login_required
def index(request):
    rounds = visible_rounds(request.user).order_by("-starts_at")
    return render(
        request,
        "rounds/index.html",
        {"rounds": rounds, "can_start": request.user.has_perm("rounds.start_round")},
    )


def _startable_units(user):
    units = visible_units(user)
    if is_hr_admin(user):
        return units
    scopes = [u for role in OVERSEER_ROLES for u in user.role_units.get(role, []) if u]
    lineages = [unit.lineage for unit in scopes]
    return units.filter(
        pk__in=[u.pk for u in units if any(u.lineage.startswith(p) for p in lineages)]
    )


@permission_required("rounds.start_round")
def start(request):
    form = StartRoundForm(request.POST or None, units=_startable_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        leadership = data["concept"].kind == "leadership"
        round_ = plan_round(
            Plan(
                concept=data["concept"],
                unit=data["unit"],
                manager=data["manager"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                facilitation=data["facilitation"],
                facilitator=data["facilitator"],
                invitees=list(
                    org_domain.default_invitees(leadership, data["unit"], data["manager"])
                ),
                planning_group=form.planning_group() if leadership else {},
                representatives=[]
                if leadership
                else list(org_domain.representatives(data["unit"])),
            ),
            request.user,
        )
        messages.success(request, _("The round is planned. Check who is invited before inviting."))
        return redirect("rounds:detail", round_.pk)
    return render(request, "rounds/start.html", {"form": form})


@permission_required("rounds.view_round", model=Round)
def detail(request, round_):
    return render(request, "rounds/detail.html", round_context(request, round_))


@permission_required("rounds.change_plan", model=Round)
def edit_plan(request, round_):
    initial = {
        "date": round_.starts_at.astimezone().date(),
        "start_time": round_.starts_at.astimezone().time(),
        "duration_minutes": round_.duration_minutes,
        "place": round_.place,
        "facilitation": round_.facilitation,
        "facilitator": round_.facilitator,
        "invitees": [i.person_id for i in round_.invitations.all()],
    }
    form = PlanForm(request.POST or None, initial=initial, round_=round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_plan(
                round_,
                request.user,
                {
                    "starts_at": form.starts_at(),
                    "duration_minutes": data["duration_minutes"],
                    "place": data["place"],
                    "facilitation": data["facilitation"],
                    "facilitator": data["facilitator"],
                },
                invitees=list(data["invitees"]),
            )
        except StepRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The plan was saved."))
        return redirect("rounds:detail", round_.pk)
    return render(request, "rounds/plan.html", {"round": round_, "form": form})


@permission_required("rounds.view_planning_notes", model=Round)
def planning_notes(request, round_):
    form = PlanningNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.round, note.author = round_, request.user
        note.save()
        messages.success(request, _("The note was saved. Only the planning group can read it."))
        return redirect("rounds:planning_notes", round_.pk)
    notes = round_.planning_notes.select_related("author")
    return render(
        request, "rounds/planning_notes.html", {"round": round_, "form": form, "notes": notes}
    )


@permission_required("rounds.document", model=Round)
@require_POST
def held(request, round_):
    form = HeldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the dialogue was held."))
    else:
        try:
            mark_held(round_, request.user, form.cleaned_data["held_on"])
        except StepRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The dialogue is registered as held. Document it next."))
    return redirect("rounds:detail", round_.pk)
