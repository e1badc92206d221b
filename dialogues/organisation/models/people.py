from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dialogues.organisation.roles import Role


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, name, password=None, **extra):
        person = self.model(email=self.normalize_email(email).lower(), name=name, **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email, name, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        person = self.create_user(email, name, password, **extra)
        RoleAssignment.objects.get_or_create(person=person, role=Role.HR_ADMIN, unit=None)
        return person


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone in the organisation. Imported from HR; also the log-in account."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    employee_id = models.CharField(
        _("employee id"), max_length=64, unique=True, null=True, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @cached_property
    def role_units(self) -> dict[str, list["Unit"]]:  # noqa: F821
        """Each role the person holds, with the units it is held in (None: organisation-wide)."""
        held: dict[str, list] = {}
        for assignment in self.role_assignments.select_related("unit").filter(
            models.Q(unit__isnull=True) | models.Q(unit__is_active=True)
        ):
            held.setdefault(assignment.role, []).append(assignment.unit)
        return held

    def has_role(self, role: str) -> bool:
        return role in self.role_units

    @property
    def roles(self) -> list[str]:
        return [role for role in Role.values if role in self.role_units]

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]


class RoleAssignment(models.Model):
    """A role a person holds in a unit (no unit: across the organisation)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "unit"],
                condition=models.Q(unit__isnull=False),
                name="role_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=models.Q(unit__isnull=True),
                name="organisation_wide_role_once",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(role="manager"),
                name="one_manager_per_unit",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else _("whole organisation")
        return f"{self.person} · {self.get_role_display()} · {where}"
