from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.concepts.models import Concept

TEXT_FIELDS = [
    f"{aspect}_{language}"
    for aspect in ("purpose", "characteristics", "primary_actors", "responsibility", "next_steps")
    for language in ("da", "en")
]


class ConceptForm(forms.ModelForm):
    class Meta:
        model = Concept
        fields = ["name_da", "name_en", *TEXT_FIELDS]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "lang": name[-2:]}) for name in TEXT_FIELDS
        } | {
            "name_da": forms.TextInput(attrs={"lang": "da"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
        }

    def aspects(self):
        """The form's fields in pairs, one pair (Danish, English) per row of the framework table."""
        pairs = [(_("Name"), self["name_da"], self["name_en"])]
        for aspect, label in Concept.ASPECTS:
            pairs.append((label, self[f"{aspect}_da"], self[f"{aspect}_en"]))
        return pairs
