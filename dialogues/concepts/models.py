from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogues.common.translated import Translated


class Concept(models.Model):
    """A dialogue concept (well-being dialogue, leadership dialogue), described in both languages.

    The descriptions follow the rows of the customer's framework table.
    """

    class Kind(models.TextChoices):
        WELLBEING = "wellbeing", _("Well-being dialogue")
        LEADERSHIP = "leadership", _("Leadership dialogue")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    purpose_da = models.TextField(_("purpose (Danish)"))
    purpose_en = models.TextField(_("purpose (English)"))
    characteristics_da = models.TextField(_("characteristics (Danish)"))
    characteristics_en = models.TextField(_("characteristics (English)"))
    primary_actors_da = models.TextField(_("primary actors (Danish)"))
    primary_actors_en = models.TextField(_("primary actors (English)"))
    responsibility_da = models.TextField(_("responsibility (Danish)"))
    responsibility_en = models.TextField(_("responsibility (English)"))
    next_steps_da = models.TextField(_("next steps (Danish)"))
    next_steps_en = models.TextField(_("next steps (English)"))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    name = Translated()
    purpose = Translated()
    characteristics = Translated()
    primary_actors = Translated()
    responsibility = Translated()
    next_steps = Translated()

    # The rows of the side-by-side table, in the framework's order.
    ASPECTS = (
        ("purpose", _("Purpose")),
        ("characteristics", _("Characteristics")),
        ("primary_actors", _("Primary actors")),
        ("responsibility", _("Responsibility")),
        ("next_steps", _("Next steps")),
    )

    class Meta:
        verbose_name = _("dialogue concept")
        verbose_name_plural = _("dialogue concepts")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name
