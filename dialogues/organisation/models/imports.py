from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationImport(models.Model):
    """One uploaded HR file: validated first, applied only when HR confirms."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("Rejected: the file has errors")
        READY = "ready", _("Checked, waiting for confirmation")
        APPLIED = "applied", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file"), max_length=255)
    # Kept only until the import is applied or discarded: it holds personal data.
    content = models.BinaryField(null=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename
