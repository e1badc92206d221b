from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Round(models.Model):
    """One dialogue of one concept.

    A unit's well-being dialogue, or a manager's leadership dialogue with their employees.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITED = "invited", _("Invited")
        HELD = "held", _("Held")
        DOCUMENTED = "documented", _("Documented")
        FOLLOWED_UP = "followed_up", _("Followed up")

    class Facilitation(models.TextChoices):
        HR = "hr", _("An HR partner facilitates")
        UNIT = "unit", _("The unit facilitates itself, without HR")

    concept = models.ForeignKey(
        "concepts.Concept", verbose_name=_("concept"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rounds"
    )
    # The leader of the dialogue: the unit's manager (well-being) or the manager whose
    # employees give input (leadership).
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="led_rounds",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PLANNED, db_index=True
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200)
    facilitation = models.CharField(
        _("who facilitates"), max_length=8, choices=Facilitation.choices, default=Facilitation.HR
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_rounds",
    )
    linked_representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("AMR, LSU and AMK linked to the round"),
        blank=True,
        related_name="linked_rounds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    documented_at = models.DateTimeField(_("documented"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)

    # Documentation, written by the facilitator after the dialogue.
    plenary = models.TextField(_("what was discussed in plenary"), blank=True)
    used_film = models.BooleanField(_("the film was shown"), default=False)
    used_cards = models.BooleanField(_("the dialogue cards were used"), default=False)
    used_next_step_material = models.BooleanField(
        _("the next-step material was used"), default=False
    )
    # Raised on every save of the documentation, so that a stale form is detected.
    documentation_version = models.PositiveIntegerField(default=0)

    # Follow-up.
    followup_held_on = models.DateField(
        _("follow-up dialogue with own manager held on"), null=True, blank=True
    )
    followup_notes = models.TextField(_("follow-up notes"), blank=True)
    feedback_to_employees = models.TextField(_("feedback to the employees"), blank=True)
    feedback_given_on = models.DateField(_("feedback given on"), null=True, blank=True)

    class Meta:
        verbose_name = _("dialogue round")
        verbose_name_plural = _("dialogue rounds")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["unit", "concept", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.concept} · {self.unit} · {self.starts_at:%Y-%m-%d}"

    @property
    def is_leadership(self) -> bool:
        return self.concept.kind == "leadership"

    @property
    def is_wellbeing(self) -> bool:
        return self.concept.kind == "wellbeing"

    @property
    def state_index(self) -> int:
        return list(self.State.values).index(self.state)

    def reached(self, state: str) -> bool:
        return self.state_index >= list(self.State.values).index(state)


class PlanningMember(models.Model):
    """A member of a leadership round's planning group; all three are required."""

    class Seat(models.TextChoices):
        DIRECTOR = "director", _("Head of department")
        LSU_VICE_CHAIR = "lsu_vice_chair", _("LSU vice-chair")
        HR_PARTNER = "hr_partner", _("HR partner")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="planning_group")
    seat = models.CharField(_("seat"), max_length=20, choices=Seat.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "seat"], name="one_person_per_seat")
        ]
        ordering = ["seat"]

    def __str__(self) -> str:
        return f"{self.get_seat_display()}: {self.person}"


class PlanningNote(models.Model):
    """A planning meeting or a confidential concern: seen by the planning group only."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Planning meeting")
        CONCERN = "concern", _("Confidential concern")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="planning_notes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    met_on = models.DateField(_("meeting date"), null=True, blank=True)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class Invitation(models.Model):
    """Someone invited to a round; ``sent_at`` is set when their e-mail went out."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_invitations"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="invited_once_per_round")
        ]
        ordering = ["person__name"]

    def __str__(self) -> str:
        return f"{self.person} → {self.round}"
