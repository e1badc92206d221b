"""The form that makes an API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.insights.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, so you know it again, e.g. “Power BI report”."),
    )
