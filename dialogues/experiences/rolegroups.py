"""The role groups answers are reported by (a coarser view of ``organisation.roles.Role``).

Kept apart from ``domain/anonymity.py`` (which re-exports them) so that the models can use the
choices without importing the domain layer, the way ``organisation/roles.py`` sits under its models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleGroup(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    REPRESENTATIVE = "representative", _("Representative (AMR or TR)")
    COMMITTEE = "committee", _("Committee member (LSU or AMK)")
    HR = "hr", _("HR")


# The reporting role group of a unit whose role groups were merged.
ALL_ROLE_GROUPS = "all"

REPORTING_ROLE_GROUP_CHOICES = [*RoleGroup.choices, (ALL_ROLE_GROUPS, _("All role groups"))]
