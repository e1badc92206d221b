"""The filters of the director's overview. Choices come from the rows already loaded, so
validating the form costs no query; an unknown value gets a message next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.common.widgets import LongSelect
from dialogues.rounds.domain.overview import STATES, Filters, Overview


class OverviewFilterForm(forms.Form):
    unit = forms.ChoiceField(
        label=_("Unit (and the units below it)"), required=False, widget=LongSelect
    )
    concept = forms.ChoiceField(label=_("Concept"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *STATES],
    )
    hr_partner = forms.ChoiceField(label=_("HR partner"), required=False)
    only_overdue = forms.BooleanField(label=_("Only what is overdue"), required=False)

    def __init__(self, *args, overview: Overview, **kwargs):
        super().__init__(*args, **kwargs)
        self._units = {str(unit.pk): unit for unit in overview.units}
        top = min((unit.depth for unit in overview.units), default=0)
        self.fields["unit"].choices = [("", _("All units"))] + [
            (str(unit.pk), "\u2003" * (unit.depth - top) + unit.name) for unit in overview.units
        ]
        self.fields["concept"].choices = [("", _("Both concepts"))] + [
            (concept.kind, concept.name) for concept in overview.concepts
        ]
        self.fields["hr_partner"].choices = [
            ("", _("All HR partners")),
            ("none", _("No HR partner")),
            *((str(person.pk), person.name) for person in overview.hr_partners),
        ]

    def clean_unit(self):
        return self._units.get(self.cleaned_data["unit"])

    def filters(self) -> Filters:
        """The filters that were valid; an invalid one is left out (and its error shown)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            unit=data.get("unit"),
            concept=data.get("concept", ""),
            state=data.get("state", ""),
            hr_partner=data.get("hr_partner", ""),
            only_overdue=data.get("only_overdue", False),
        )
