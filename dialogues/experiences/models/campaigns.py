"""Campaigns: the question guide sent to the people who took part in the dialogues.

What may be stored where is fixed by docs/anonymity.md: an invitee row holds who was invited
and the coarse *reporting group* their answer will carry, never the answer, the token or a time
of answering.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogues.common.translated import Translated
from dialogues.experiences.rolegroups import REPORTING_ROLE_GROUP_CHOICES, RoleGroup


def default_count_minimum() -> int:
    return settings.EXPERIENCES_COUNT_MINIMUM


def default_comment_minimum() -> int:
    return settings.EXPERIENCES_COMMENT_MINIMUM


def default_sensitive_minimum() -> int:
    return settings.EXPERIENCES_SENSITIVE_MINIMUM


def default_answer_retention_days() -> int:
    return settings.EXPERIENCES_ANSWER_RETENTION_DAYS


def all_role_groups() -> list[str]:
    return list(RoleGroup.values)


def concept_kinds() -> list[str]:
    # Imported here: the concepts app's models are not needed to define ours.
    from dialogues.concepts.models import Concept

    return list(Concept.Kind.values)


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    guide_version = models.ForeignKey(
        "experiences.GuideVersion",
        verbose_name=_("guide version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    # The concept *kinds* ("wellbeing", "leadership"), not a many-to-many to Concept: the frozen
    # guide version names the concepts of its questions by kind, so the campaign, the invitees'
    # preset concepts and (later) the answers all speak the same fixed vocabulary; the list is
    # validated in clean() (a many-to-many could not be checked before the first save) and an
    # HR edit of a concept row can never change what an open campaign asked about.
    concepts = models.JSONField(_("concepts"), default=list, blank=True)
    units = models.ManyToManyField(
        "organisation.Unit",
        verbose_name=_("units"),
        related_name="experience_campaigns",
        help_text=_("Each unit with every unit below it."),
    )
    role_groups = models.JSONField(_("role groups"), default=all_role_groups, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    invitation_text_da = models.TextField(_("invitation text (Danish)"), blank=True)
    invitation_text_en = models.TextField(_("invitation text (English)"), blank=True)
    reminder_limit = models.PositiveSmallIntegerField(
        _("reminders at most"),
        default=2,
        help_text=_("Reminders go only to those who have not answered."),
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("days between reminders"), default=7
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Fixed when the campaign opens (open_campaign refuses anything but a draft).
    count_minimum = models.PositiveSmallIntegerField(
        _("minimum for counts"), default=default_count_minimum
    )
    comment_minimum = models.PositiveSmallIntegerField(
        _("minimum for comments"), default=default_comment_minimum
    )
    sensitive_minimum = models.PositiveSmallIntegerField(
        _("minimum for sensitive questions"), default=default_sensitive_minimum
    )
    # Empty: the organisation's setting (EXPERIENCES_ANSWER_RETENTION_DAYS), read when the
    # answers come due, so a changed setting reaches the campaigns that did not choose.
    answer_retention_days = models.PositiveIntegerField(
        _("keep the answers for (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Counted from the close date; then the answers are deleted and only the campaign's "
            "name and dates are kept. Leave empty to follow the organisation's rule; a campaign "
            "may keep its answers for less, never for longer."
        ),
    )
    # Set when the answers were deleted (insights.domain.retention): the campaign stays, as a
    # record that it was held, and its results pages say when its answers went.
    answers_deleted_at = models.DateTimeField(
        _("answers deleted"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    invitation_text = Translated()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")),
                name="campaign_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def retention_days(self) -> int:
        """How many days after the close date the answers are kept.

        The organisation's rule is a ceiling: a campaign may keep its answers for less, never
        for longer, even if the rule was shortened after the campaign chose.
        """
        rule = default_answer_retention_days()
        if self.answer_retention_days is not None:
            return min(self.answer_retention_days, rule)
        return rule

    @property
    def answers_expire_on(self) -> date:
        """The first day on which the answers are deleted (counted from the close date)."""
        return self.closes_on + timedelta(days=self.retention_days)

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on <= self.opens_on:
            errors["closes_on"] = _("The campaign must close after it opens.")
        kinds = concept_kinds()
        if not self.concepts:
            errors["concepts"] = _("Choose at least one concept.")
        elif any(kind not in kinds for kind in self.concepts):
            errors["concepts"] = _("Unknown concept.")
        if not self.role_groups:
            errors["role_groups"] = _("Choose at least one role group.")
        elif any(group not in RoleGroup.values for group in self.role_groups):
            errors["role_groups"] = _("Unknown role group.")
        # HR may raise a minimum for a campaign, never lower it below the organisation's.
        for field, floor in (
            ("count_minimum", default_count_minimum()),
            ("comment_minimum", default_comment_minimum()),
            ("sensitive_minimum", default_sensitive_minimum()),
        ):
            value = getattr(self, field)
            if value is not None and value < floor:
                errors[field] = _("At least %(minimum)d.") % {"minimum": floor}
        if self.answer_retention_days is not None:
            if self.answer_retention_days < 1:
                errors["answer_retention_days"] = _("At least %(minimum)d.") % {"minimum": 1}
            elif self.answer_retention_days > default_answer_retention_days():
                errors["answer_retention_days"] = _(
                    "At most %(maximum)d, the organisation's rule."
                ) % {"maximum": default_answer_retention_days()}
        if self.reminder_interval_days is not None and self.reminder_interval_days < 1:
            errors["reminder_interval_days"] = _("At least %(minimum)d.") % {"minimum": 1}
        if errors:
            raise ValidationError(errors)


class CampaignInvitee(models.Model):
    """Someone asked to answer: the link's hash, the reporting group, reminders, ``answered``.

    Holds no answer, no token and no time of answering (docs/anonymity.md).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_invitations",
    )
    # For an uploaded list; empty for a person (their current address is on the person).
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The invitee's own unit, from which the reporting unit is decided when the campaign opens.
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    preset_concepts = models.JSONField(_("preset concepts"), default=list, blank=True)
    source_round = models.ForeignKey(
        "rounds.Round",
        verbose_name=_("invited from the round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role_group = models.CharField(
        _("role group"), max_length=16, choices=RoleGroup.choices, default=RoleGroup.EMPLOYEE
    )
    # The reporting group: what an answer will be stored under. Decided when the campaign opens.
    reporting_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("reporting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporting_role_group = models.CharField(
        _("reporting role group"), max_length=16, choices=REPORTING_ROLE_GROUP_CHOICES, blank=True
    )
    # SHA-256 (hex) of the link's token; the token itself is only ever in the e-mail. It is
    # derived from the secret key and this random salt, so a reminder can repeat the same link
    # without the link being stored (domain/links.py).
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    link_salt = models.CharField(max_length=32, blank=True, editable=False)
    invited_on = models.DateField(_("invited on"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    # No date on purpose: a time of answering could be joined to a response.
    answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        verbose_name = _("campaign invitee")
        verbose_name_plural = _("campaign invitees")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(person__isnull=False),
                name="campaign_invites_person_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "email"],
                condition=~Q(email=""),
                name="campaign_invites_email_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(email=""),
                name="campaign_invitee_person_or_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.email} → {self.campaign}"
