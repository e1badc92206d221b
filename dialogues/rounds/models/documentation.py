from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Essential(models.Model):
    """What one small group (without the leader) brought forward."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="essentials")
    group = models.CharField(_("group"), max_length=80)
    text = models.TextField(_("the essentials"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.group}: {self.text[:60]}"


class Agreement(models.Model):
    """An agreed next step: what, who owns it, by when, and how far it has come."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="agreements")
    what = models.TextField(_("what"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_agreements",
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.what

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.DROPPED)
