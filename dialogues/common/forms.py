from django import forms

from dialogues.common.models import AccessibilityStatement


class AccessibilityStatementForm(forms.ModelForm):
    class Meta:
        model = AccessibilityStatement
        fields = ["body_da", "body_en"]
        widgets = {
            "body_da": forms.Textarea(attrs={"rows": 16, "lang": "da"}),
            "body_en": forms.Textarea(attrs={"rows": 16, "lang": "en"}),
        }
