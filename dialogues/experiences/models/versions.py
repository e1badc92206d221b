from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.experiences.models.guide import QuestionGuide


class FrozenVersionError(Exception):
    """A frozen version of the guide was about to be changed."""


class GuideVersion(models.Model):
    """An immutable snapshot of a guide. Campaigns point at one, so results match the questions.

    The snapshot holds every section and question (ids, texts in both languages, kinds,
    concepts, conditions, flags); see ``domain.guide.build_snapshot``.
    """

    guide = models.ForeignKey(QuestionGuide, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    created_at = models.DateTimeField(_("frozen at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("frozen guide version")
        verbose_name_plural = _("frozen guide versions")
        ordering = ["guide", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="one_number_per_guide_version")
        ]

    def __str__(self) -> str:
        return f"{self.guide} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenVersionError(f"Version {self.number} of {self.guide} is frozen.")
        super().save(*args, **kwargs)

    def questions(self) -> list[dict]:
        return [q for section in self.snapshot["sections"] for q in section["questions"]]
