from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.common.widgets import LongSelect
from dialogues.organisation.models import Unit


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Name, email or employee id"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (and the units below it)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
        widget=LongSelect,
    )
    include_inactive = forms.BooleanField(label=_("Include people who have left"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
