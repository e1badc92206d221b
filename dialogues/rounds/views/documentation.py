from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.organisation.models import Person, Unit
from dialogues.organisation.rules import visible_rounds
from dialogues.rounds.domain.steps import (
    StaleDocumentation,
    StepRefused,
    record_followup,
    save_documentation,
    set_agreement_status,
)
from dialogues.rounds.forms import (
    AgreementFormSet,
    AgreementStatusForm,
    DocumentationForm,
    EssentialFormSet,
    LeadershipFollowupForm,
    WellbeingFollowupForm,
)
from dialogues.rounds.models import Agreement, Round

TOOLS = ("used_film", "used_cards", "used_next_step_material")


def _owners(round_: Round):
    """Agreements are owned by someone in the round: the manager, an invitee or the facilitator."""
    return Person.objects.filter(
        Q(pk=round_.manager_id)
        | Q(pk=round_.facilitator_id)
        | Q(round_invitations__round=round_)
        | Q(owned_agreements__round=round_)
    ).distinct()


def _initial(round_: Round):
    documentation = {"version": round_.documentation_version, "plenary": round_.plenary} | {
        name: getattr(round_, name) for name in TOOLS
    }
    essentials = [{"group": e.group, "text": e.text} for e in round_.essentials.all()]
    agreements = [
        {"pk": a.pk, "what": a.what, "owner": a.owner_id, "due_on": a.due_on}
        for a in round_.agreements.all()
    ]
    return documentation, essentials, agreements


@permission_required("rounds.document", model=Round)
def document(request, round_):
    if not round_.reached(Round.State.HELD):
        messages.error(
            request,
            _("The dialogue has not been registered as held: document it after it was held."),
        )
        return redirect("rounds:detail", round_.pk)
    owners = _owners(round_)
    documentation, essentials, agreements = _initial(round_)
    data = request.POST if request.method == "POST" else None
    form = DocumentationForm(data, initial=documentation)
    essential_forms = EssentialFormSet(data, initial=essentials or None, prefix="essentials")
    agreement_forms = AgreementFormSet(
        data, initial=agreements or None, prefix="agreements", form_kwargs={"owners": owners}
    )
    conflict = None
    if data is not None and all(f.is_valid() for f in (form, essential_forms, agreement_forms)):
        try:
            save_documentation(
                round_,
                request.user,
                version=form.cleaned_data["version"],
                plenary=form.cleaned_data["plenary"],
                tools={name: form.cleaned_data[name] for name in TOOLS},
                essentials=[
                    {"group": row.get("group") or _("Group %(n)s") % {"n": n}, "text": row["text"]}
                    for n, row in enumerate(essential_forms.filled(), start=1)
                ],
                agreements=[
                    {k: row[k] for k in ("pk", "what", "owner", "due_on")}
                    for row in agreement_forms.filled()
                ],
            )
        except StaleDocumentation as stale:
            # Show both: what is saved now, and what this person wrote, so nothing is lost.
            # Saving again from this page then knowingly replaces the newer version.
            conflict = stale.current
            data = request.POST.copy()
            data["version"] = conflict.documentation_version
            form = DocumentationForm(data)
            form.is_valid()
        except StepRefused as refused:
            messages.error(request, refused.message)
            return redirect("rounds:detail", round_.pk)
        else:
            messages.success(request, _("The documentation was saved."))
            return redirect("rounds:detail", round_.pk)
    return render(
        request,
        "rounds/document.html",
        {
            "round": round_,
            "form": form,
            "essential_forms": essential_forms,
            "agreement_forms": agreement_forms,
            "conflict": conflict,
            "conflict_essentials": conflict.essentials.all() if conflict else None,
            "conflict_agreements": conflict.agreements.select_related("owner")
            if conflict
            else None,
        },
    )


@permission_required("rounds.record_followup", model=Round)
def followup(request, round_):
    if not round_.reached(Round.State.DOCUMENTED):
        messages.error(request, _("Document the dialogue before recording its follow-up."))
        return redirect("rounds:detail", round_.pk)
    form_class = LeadershipFollowupForm if round_.is_leadership else WellbeingFollowupForm
    form = form_class(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            record_followup(round_, request.user, form.cleaned_data)
        except StepRefused as refused:
            messages.error(request, refused.message)
        else:
            if round_.state == Round.State.FOLLOWED_UP:
                messages.success(request, _("The follow-up is recorded. The round is complete."))
            else:
                messages.success(
                    request, _("Saved. Fill in every field to complete the follow-up.")
                )
        return redirect("rounds:detail", round_.pk)
    return render(request, "rounds/followup.html", {"round": round_, "form": form})


@permission_required("rounds.update_agreement", model=Agreement)
@require_POST
def agreement(request, agreement):
    form = AgreementStatusForm(
        request.POST, instance=Agreement.objects.get(pk=agreement.pk), prefix=f"a{agreement.pk}"
    )
    saved = False
    if form.is_valid():
        try:
            set_agreement_status(
                agreement,
                request.user,
                form.cleaned_data["status"],
                form.cleaned_data.get("dropped_reason", ""),
            )
            saved = True
        except StepRefused as refused:
            form.add_error("dropped_reason", refused.message)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "rounds/agreement_row.html",
            {"agreement": agreement, "form": form, "saved": saved, "can_update": True},
        )
    if saved:
        messages.success(request, _("The agreement's status was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("rounds:board", agreement.round.unit_id)


@permission_required("organisation.view_unit", model=Unit)
def board(request, unit):
    """The unit's agreements between dialogues, from the rounds whose documentation one reads."""
    rounds = [
        r
        for r in visible_rounds(request.user).filter(unit=unit)
        if request.user.has_perm("rounds.view_documentation", r)
    ]
    agreements = (
        Agreement.objects.filter(round__in=rounds)
        .select_related("owner", "round__concept")
        .order_by("status", "due_on")
    )
    rows = [
        {
            "agreement": a,
            "form": AgreementStatusForm(instance=a, prefix=f"a{a.pk}"),
            "can_update": request.user.has_perm("rounds.update_agreement", a),
        }
        for a in agreements
    ]
    return render(request, "rounds/board.html", {"unit": unit, "rows": rows})
