"""The question guide as data: a guide, its sections and their questions, in both languages."""

from django.db import models
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from dialogues.common.translated import Translated


class Choice(models.TextChoices):
    """The closed core of a closed question; a free-text "why" always follows it."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PARTLY = "partly", _("Partly")
    NOT_APPLICABLE = "na", _("Does not apply")


def choice_labels(values) -> str:
    """``["no", "partly"]`` as "No or Partly" in the current language, in the choices' order."""
    labels = [label for value, label in Choice.choices if value in values]
    return str(get_text_list([str(label) for label in labels]))


class QuestionGuideManager(models.Manager):
    def default(self) -> "QuestionGuide":
        return self.get(slug=QuestionGuide.DEFAULT_SLUG)


class QuestionGuide(models.Model):
    DEFAULT_SLUG = "experiences"

    slug = models.SlugField(_("short name"), unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    name = Translated()
    objects = QuestionGuideManager()

    class Meta:
        verbose_name = _("question guide")
        verbose_name_plural = _("question guides")

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    guide = models.ForeignKey(QuestionGuide, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)

    title = Translated()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open: free text")
        CLOSED = "closed", _("Closed: yes, no, partly or does not apply, then why")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_da = models.TextField(_("question (Danish)"))
    text_en = models.TextField(_("question (English)"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN)
    concepts = models.ManyToManyField(
        "concepts.Concept",
        verbose_name=_("asked about"),
        related_name="guide_questions",
        help_text=_("The dialogue concepts this question is asked about."),
    )
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Answers to a sensitive question are only reported from a higher number of "
            "respondents than the rest."
        ),
    )
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("asked only after"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependants",
        help_text=_("An earlier closed question whose answer decides whether this one is asked."),
    )
    condition_answers = models.JSONField(
        _("asked only after the answers"), default=list, blank=True
    )

    text = Translated()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_closed(self) -> bool:
        return self.kind == self.Kind.CLOSED

    def guide_order(self) -> tuple:
        """Where the question stands in the whole guide: earlier questions sort first."""
        return (self.section.position, self.section_id, self.position, self.pk or 0)

    def condition_text(self) -> str:
        if self.condition_question_id is None:
            return ""
        return _("Asked only if the answer to “%(question)s” is %(answers)s.") % {
            "question": self.condition_question.text,
            "answers": choice_labels(self.condition_answers),
        }
