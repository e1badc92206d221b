"""Who read or took out which results, and the tokens the BI tools read the API with."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """The access log: one row per results page opened, file exported or API read.

    Who, which campaign, what (the slice and the address asked) and when. HR administrators
    read it on the *Access log* page; it holds readers, never respondents.
    """

    class Kind(models.TextChoices):
        RESULTS = "results", _("Results page")
        COMMENTS = "comments", _("Written answers")
        SEARCH = "search", _("Search of the written answers")
        PROPOSALS = "proposals", _("Proposals")
        HISTORY = "history", _("History of the themes")
        REDACTION = "redaction", _("Review of an answer")
        PDF = "pdf", _("PDF report")
        XLSX = "xlsx", _("Excel workbook")
        CSV = "csv", _("CSV file")
        API = "api", _("API read")
        PERSON = "person", _("Personal data export")
        ACCESS_LOG = "access_log", _("Access log export")

    # The kinds that are page views rather than something taken out of the application.
    PAGE_VIEWS = frozenset(
        {
            Kind.RESULTS,
            Kind.COMMENTS,
            Kind.SEARCH,
            Kind.PROPOSALS,
            Kind.HISTORY,
            Kind.REDACTION,
        }
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    campaign = models.ForeignKey(
        "experiences.Campaign",
        verbose_name=_("campaign"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The slice and anything else that says what was read (unit, role group, source, question,
    # the person exported, the address asked).
    what = models.JSONField(_("what"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A read-only API key of one person: the API answers as that person, with their units.

    Only a hash of the key is stored; the key itself is shown once, when it is made.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user``; returns it and the key, which is never stored."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[: cls.PREFIX_LENGTH], digest=token_digest(key)
        )
        return token, key

    @classmethod
    def holder(cls, key: str):
        """The active token for ``key``, or None."""
        if not key:
            return None
        return (
            cls.objects.select_related("user")
            .filter(digest=token_digest(key), revoked_at=None, user__is_active=True)
            .first()
        )
