"""The forms HR uses to run a campaign: its settings, an invitee list, a group interview."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.common.widgets import LongSelect
from dialogues.concepts.models import Concept
from dialogues.experiences.models import Campaign
from dialogues.experiences.models.campaigns import default_answer_retention_days
from dialogues.experiences.rolegroups import RoleGroup
from dialogues.organisation.models import Unit


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # Em spaces show the tree; screen readers skip them.
        return "\u2003" * obj.depth + obj.name


class CampaignForm(forms.ModelForm):
    concepts = forms.MultipleChoiceField(
        label=_("Concepts"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Respondents answer the question guide for each concept they took part in."),
    )
    units = UnitChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-choices"}),
        help_text=_("Each unit with every unit below it."),
    )
    role_groups = forms.MultipleChoiceField(
        label=_("Role groups"),
        choices=RoleGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who is asked. People in other role groups are not invited."),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "concepts",
            "units",
            "role_groups",
            "opens_on",
            "closes_on",
            "invitation_text_da",
            "invitation_text_en",
            "reminder_limit",
            "reminder_interval_days",
            "count_minimum",
            "comment_minimum",
            "sensitive_minimum",
            "answer_retention_days",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "invitation_text_da": forms.Textarea(attrs={"rows": 5, "lang": "da"}),
            "invitation_text_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concepts"].choices = [
            (concept.kind, concept.name) for concept in Concept.objects.all()
        ]
        self.fields["units"].queryset = Unit.objects.active().order_by("lineage")
        if not self.instance.pk:
            self.initial.setdefault("concepts", list(Concept.Kind.values))
            self.initial.setdefault("role_groups", list(RoleGroup.values))
        for name in ("reminder_limit", "reminder_interval_days"):
            self.fields[name].widget.attrs["min"] = 0 if name == "reminder_limit" else 1
        rule = default_answer_retention_days()
        retention = self.fields["answer_retention_days"]
        retention.widget.attrs.update(min=1, max=rule, placeholder=rule)
        retention.help_text = _(
            "Counted from the close date; then the answers are deleted and only the campaign's "
            "name and dates are kept. Leave empty for the organisation's rule, %(days)d days; "
            "a campaign may keep its answers for less, never for longer."
        ) % {"days": rule}


class InviteeListForm(forms.Form):
    file = forms.FileField(
        label=_("List of invitees (CSV or XLSX)"),
        help_text=_(
            "Columns: email (required), unit (unit code; required for people not in the "
            "organisation), role group, language (da or en), concepts. Danish headers work too."
        ),
    )


class InterviewForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=LongSelect)
    role_groups = forms.MultipleChoiceField(
        label=_("Role groups present"), widget=forms.CheckboxSelectMultiple
    )
    participants = forms.IntegerField(
        label=_("Number of people in the interview"), min_value=1, max_value=500
    )

    def __init__(self, campaign: Campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = Unit.objects.none()
        for unit in campaign.units.all():
            scope |= Unit.objects.active().subtree_of(unit)
        self.fields["unit"].queryset = scope.order_by("lineage")
        self.fields["unit"].label_from_instance = lambda obj: "\u2003" * obj.depth + obj.name
        self.fields["role_groups"].choices = [
            (value, label) for value, label in RoleGroup.choices if value in campaign.role_groups
        ]
