"""The filter of the results pages: which unit's tree, which role group, which source."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.common.widgets import LongSelect
from dialogues.experiences.rolegroups import REPORTING_ROLE_GROUP_CHOICES
from dialogues.insights.domain.publication import INTERVIEW, QUESTIONNAIRE
from dialogues.insights.domain.results import ALL_SOURCES, Slice

SOURCE_CHOICES = [
    (QUESTIONNAIRE, _("Questionnaire answers")),
    (INTERVIEW, _("Group interviews")),
    (ALL_SOURCES, _("Both together")),
]


class SliceForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Unit"), coerce=int, required=False, empty_value=None, widget=LongSelect
    )
    role = forms.ChoiceField(
        label=_("Role group"),
        required=False,
        choices=[("", _("All role groups")), *REPORTING_ROLE_GROUP_CHOICES],
    )
    source = forms.ChoiceField(label=_("Answers from"), required=False, choices=SOURCE_CHOICES)
    own = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, whole: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole campaign"))] if whole else []
        choices += [(unit.pk, "\u00a0\u00a0" * unit.depth + unit.name) for unit in units]
        self.fields["unit"].choices = choices

    def slice(self) -> Slice:
        data = self.cleaned_data
        return Slice(
            data.get("unit"),
            data.get("role") or None,
            data.get("source") or QUESTIONNAIRE,
            bool(data.get("own")) and data.get("unit") is not None,
        )
