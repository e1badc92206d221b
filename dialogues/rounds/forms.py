"""Forms for planning, documenting and following up a round. Messages appear next to fields."""

from datetime import datetime, time

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.concepts.models import Concept
from dialogues.organisation.models import Person, Unit
from dialogues.organisation.roles import Role
from dialogues.rounds.domain import organisation as org_domain
from dialogues.rounds.models import Agreement, PlanningMember, PlanningNote, Round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.name} ({person.email})"


def _people_with(role: str):
    return Person.objects.filter(
        is_active=True, role_assignments__role=role, role_assignments__unit__is_active=True
    ).distinct()


class WhenWhereForm(forms.Form):
    """Date, time, place and facilitation: shared by starting and changing a plan."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME, initial=time(9, 0))
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=15, max_value=8 * 60, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    facilitation = forms.ChoiceField(
        label=_("Who facilitates"),
        choices=Round.Facilitation.choices,
        widget=forms.RadioSelect,
        initial=Round.Facilitation.HR,
    )
    facilitator = PersonChoiceField(
        label=_("HR partner who facilitates"),
        queryset=_people_with(Role.HR_PARTNER),
        required=False,
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date has passed. Choose today or a later date."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("facilitation") == Round.Facilitation.HR and not data.get("facilitator"):
            self.add_error("facilitator", _("Choose the HR partner who facilitates."))
        if data.get("facilitation") == Round.Facilitation.UNIT:
            data["facilitator"] = None
        return data

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["date"], data["start_time"]))


class StartRoundForm(WhenWhereForm):
    concept = forms.ModelChoiceField(
        label=_("Concept"),
        queryset=Concept.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        to_field_name="kind",
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    manager = PersonChoiceField(
        label=_("Manager"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "For a leadership dialogue: the manager whose employees give input. "
            "For a well-being dialogue the unit's manager leads; leave it empty."
        ),
    )
    director = PersonChoiceField(
        label=_("Head of department"), queryset=_people_with(Role.DIRECTOR), required=False
    )
    lsu_vice_chair = PersonChoiceField(
        label=_("LSU vice-chair"), queryset=_people_with(Role.LSU_VICE_CHAIR), required=False
    )
    hr_partner = PersonChoiceField(
        label=_("HR partner"), queryset=_people_with(Role.HR_PARTNER), required=False
    )

    field_order = ["concept", "unit", "manager"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["manager"].queryset = Person.objects.filter(
            is_active=True,
            role_assignments__role=Role.MANAGER,
            role_assignments__unit__in=units,
        ).distinct()

    def clean(self):
        data = super().clean()
        concept, unit = data.get("concept"), data.get("unit")
        if not concept or not unit:
            return data
        if concept.kind == Concept.Kind.LEADERSHIP:
            manager = data.get("manager")
            if not manager:
                self.add_error("manager", _("Choose the manager whose employees give input."))
                return data
            suggested = org_domain.suggested_planning_group(unit)
            for seat in PlanningMember.Seat:
                if not data.get(seat.value):
                    data[seat.value] = suggested[seat.value]
                if not data.get(seat.value):
                    self.add_error(
                        seat.value,
                        _(
                            "The planning group needs all three members. The organisation "
                            "has no %(seat)s for this unit: choose one."
                        )
                        % {"seat": seat.label},
                    )
        else:
            data["manager"] = org_domain.manager_of(unit)
            if not data["manager"]:
                self.add_error(
                    "unit",
                    _("The unit has no manager registered. Correct it in the HR import first."),
                )
        return data

    def planning_group(self) -> dict:
        return {seat.value: self.cleaned_data[seat.value] for seat in PlanningMember.Seat}


class PlanForm(WhenWhereForm):
    invitees = forms.ModelMultipleChoiceField(
        label=_("Invited"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        candidates = Person.objects.filter(is_active=True).filter(
            Q(unit__lineage__startswith=round_.unit.lineage)
            | Q(manager=round_.manager)
            | Q(round_invitations__round=round_)
        )
        self.fields["invitees"].queryset = candidates.exclude(pk=round_.manager_id).distinct()

    def clean_invitees(self):
        invitees = self.cleaned_data["invitees"]
        if not invitees:
            raise forms.ValidationError(_("Invite at least one person."))
        return invitees


class PlanningNoteForm(forms.ModelForm):
    class Meta:
        model = PlanningNote
        fields = ["kind", "met_on", "text"]
        widgets = {"met_on": DATE, "kind": forms.RadioSelect}


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("The dialogue was held on"), widget=DATE)


class DocumentationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    plenary = forms.CharField(
        label=_("What was discussed in plenary, with the leader"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    used_film = forms.BooleanField(label=_("The film was shown"), required=False)
    used_cards = forms.BooleanField(label=_("The dialogue cards were used"), required=False)
    used_next_step_material = forms.BooleanField(
        label=_("The next-step material was used"), required=False
    )


class EssentialForm(forms.Form):
    group = forms.CharField(label=_("Group"), max_length=80, required=False)
    text = forms.CharField(
        label=_("The essentials the group brought forward"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("group") and not data.get("text"):
            self.add_error("text", _("Write what the group brought forward, or clear the group."))
        return data


class AgreementForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    what = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    owner = PersonChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(label=_("By when"), widget=DATE, required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners

    def clean(self):
        data = super().clean()
        if not data.get("what"):
            if data.get("owner") or data.get("due_on"):
                self.add_error("what", _("Write what was agreed, or clear the row."))
            return data
        if not data.get("owner"):
            self.add_error("owner", _("Every agreement needs an owner."))
        if not data.get("due_on"):
            self.add_error("due_on", _("Every agreement needs a date."))
        elif not data.get("pk") and data["due_on"] < timezone.localdate():
            self.add_error("due_on", _("The date has passed. Choose today or a later date."))
        return data


class BaseRowFormSet(forms.BaseFormSet):
    def filled(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and (form.cleaned_data.get("text") or form.cleaned_data.get("what"))
        ]


EssentialFormSet = forms.formset_factory(EssentialForm, formset=BaseRowFormSet, extra=2)
AgreementFormSet = forms.formset_factory(AgreementForm, formset=BaseRowFormSet, extra=2)


class LeadershipFollowupForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "followup_held_on",
            "followup_notes",
            "feedback_given_on",
            "feedback_to_employees",
        ]
        widgets = {"followup_held_on": DATE, "feedback_given_on": DATE}
        labels = {
            "followup_held_on": _("Follow-up dialogue with your own manager held on"),
            "followup_notes": _("Notes from the follow-up dialogue (seen by you and your manager)"),
            "feedback_given_on": _("Feedback given to your employees on"),
            "feedback_to_employees": _("Your feedback to the employees (they will see this)"),
        }


class WellbeingFollowupForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["followup_held_on", "followup_notes"]
        widgets = {"followup_held_on": DATE}
        labels = {
            "followup_held_on": _("Shared with the unit, LSU and AMK on"),
            "followup_notes": _("How the documentation and agreements were shared and followed up"),
        }


class AgreementStatusForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["status", "dropped_reason"]
        widgets = {"dropped_reason": forms.TextInput}

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Agreement.Status.DROPPED
            and not data.get("dropped_reason", "").strip()
        ):
            self.add_error("dropped_reason", _("Say why the agreement was dropped."))
        return data
