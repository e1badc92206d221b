from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from dialogues.concepts.models import Concept
from dialogues.experiences.domain.guide import GuideError, check_condition
from dialogues.experiences.models import Choice, Question, Section


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_da", "title_en"]
        widgets = {
            "title_da": forms.TextInput(attrs={"lang": "da"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
        }


class ConditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return Truncator(obj.text).chars(90)


class QuestionForm(forms.ModelForm):
    concepts = forms.ModelMultipleChoiceField(
        queryset=Concept.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Asked about"),
        help_text=_("The dialogue concepts this question is asked about."),
    )
    condition_question = ConditionChoiceField(
        queryset=Question.objects.none(),
        required=False,
        label=_("Asked only after"),
        empty_label=_("Always asked"),
        help_text=_("An earlier closed question whose answer decides whether this one is asked."),
    )
    condition_answers = forms.MultipleChoiceField(
        choices=Choice.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Asked only when that question was answered"),
    )

    class Meta:
        model = Question
        fields = [
            "text_da",
            "text_en",
            "kind",
            "concepts",
            "sensitive",
            "condition_question",
            "condition_answers",
        ]
        widgets = {
            "text_da": forms.Textarea(attrs={"rows": 3, "lang": "da"}),
            "text_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, section: Section, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        guide_questions = Question.objects.filter(
            section__guide_id=section.guide_id
        ).select_related("section", "condition_question")
        if self.instance.pk:
            guide_questions = guide_questions.exclude(pk=self.instance.pk)
        # Every question of the guide is accepted here so that a wrong one gets a clear reason;
        # the list offers only the ones that can be a condition.
        self.fields["condition_question"].queryset = guide_questions
        offered = [
            question
            for question in sorted(guide_questions, key=Question.guide_order)
            if self._problem(question) is None
        ]
        self.fields["condition_question"].widget.choices = [("", _("Always asked"))] + [
            (question.pk, self.fields["condition_question"].label_from_instance(question))
            for question in offered
        ]

    def _problem(self, condition: Question) -> str | None:
        try:
            check_condition(self.instance, condition, self.section)
        except GuideError as error:
            return str(error)
        return None

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind != Question.Kind.CLOSED and self.instance.pk and self.instance.dependants.exists():
            raise forms.ValidationError(
                _("Other questions are asked depending on this question's answer: keep it closed.")
            )
        return kind

    def clean_condition_question(self):
        condition = self.cleaned_data["condition_question"]
        if condition is not None:
            problem = self._problem(condition)
            if problem:
                raise forms.ValidationError(problem)
        return condition

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("condition_question") is None:
            cleaned["condition_answers"] = []
        elif not cleaned.get("condition_answers") and "condition_answers" not in self.errors:
            self.add_error(
                "condition_answers", _("Choose the answers after which this question is asked.")
            )
        return cleaned
