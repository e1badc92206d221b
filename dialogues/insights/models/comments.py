"""What an HR analyst does with the written answers: themes, hand coding, redaction.

None of these rows names a respondent: they point at an ``Answer``, which carries only its
campaign, concept and reporting group (docs/anonymity.md).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A theme of one question's written answers in one campaign.

    Found automatically (``automatic``) or made by an analyst; an analyst's edits (a new
    label, a merge, a split, a comment moved by hand) are kept and win over the next
    automatic grouping, which only places the comments no analyst has placed.
    """

    campaign = models.ForeignKey(
        "experiences.Campaign", on_delete=models.CASCADE, related_name="themes"
    )
    question_id = models.PositiveIntegerField(_("question"))
    label_da = models.CharField(_("label (Danish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    automatic = models.BooleanField(_("found automatically"), default=True)
    # The group of answers that say nothing ("No comments", "-"): listed last, never a proposal.
    no_content = models.BooleanField(default=False)
    # The answers nearest the theme's centre when it was found (answer ids), quoted first.
    quotes = models.JSONField(default=list, blank=True)
    # Set when an analyst renamed the theme: the automatic labels no longer replace it.
    renamed = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        indexes = [models.Index(fields=["campaign", "question_id"], name="theme_question")]

    def __str__(self) -> str:
        return self.label_en or self.label_da

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("da"):
            return self.label_da or self.label_en
        return self.label_en or self.label_da


class ThemeAssignment(models.Model):
    """A written answer's theme; ``by_hand`` when an analyst put it there."""

    answer = models.OneToOneField(
        "experiences.Answer", on_delete=models.CASCADE, related_name="theme_assignment"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="assignments")
    by_hand = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("theme of an answer")
        verbose_name_plural = _("themes of answers")

    def __str__(self) -> str:
        return f"{self.answer_id} → {self.theme_id}"


class ThemeEdit(models.Model):
    """The history of an analyst's edits to the themes of one question."""

    class Action(models.TextChoices):
        RENAME = "rename", _("Renamed")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        TAG = "tag", _("Moved a comment")
        CREATE = "create", _("Made a theme")

    campaign = models.ForeignKey(
        "experiences.Campaign", on_delete=models.CASCADE, related_name="theme_edits"
    )
    question_id = models.PositiveIntegerField(_("question"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("theme edit")
        verbose_name_plural = _("theme edits")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.question_id})"


class Redaction(models.Model):
    """HR's decision on a written answer that could identify someone.

    ``text`` replaces the answer's text wherever it is shown (empty: the answer is withheld
    from every quote); ``cleared`` says HR read a flagged answer and found nothing to hide.
    """

    answer = models.OneToOneField(
        "experiences.Answer", on_delete=models.CASCADE, related_name="redaction"
    )
    text = models.TextField(_("text shown instead"), blank=True)
    cleared = models.BooleanField(_("nothing to hide"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("redaction")
        verbose_name_plural = _("redactions")

    def __str__(self) -> str:
        return f"redaction of {self.answer_id}"


class AnswerVector(models.Model):
    """The embedding of a written answer's text, made once so that grouping never waits on it.

    Derived from the text alone (``insights.themes.embed``): it names no one.
    """

    answer = models.OneToOneField(
        "experiences.Answer", primary_key=True, on_delete=models.CASCADE, related_name="vector"
    )
    vector = models.BinaryField()

    class Meta:
        verbose_name = _("vector of an answer")
        verbose_name_plural = _("vectors of answers")

    def __str__(self) -> str:
        return f"vector of {self.answer_id}"
