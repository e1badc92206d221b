"""The roles a person can hold. A person often holds several, each in a unit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    DIRECTOR = "director", _("Director / head of department")
    HR_PARTNER = "hr_partner", _("HR partner")
    HR_ADMIN = "hr_admin", _("HR administrator")
    AMR = "amr", _("Work environment representative (AMR)")
    TR = "tr", _("Union representative (TR)")
    LSU_MEMBER = "lsu_member", _("LSU member")
    LSU_VICE_CHAIR = "lsu_vice_chair", _("LSU vice-chair")
    AMK_MEMBER = "amk_member", _("AMK member")


# Roles that see the whole subtree below the unit they hold the role in.
SUBTREE_ROLES = frozenset(
    {
        Role.MANAGER,
        Role.DIRECTOR,
        Role.HR_PARTNER,
        Role.AMR,
        Role.TR,
        Role.LSU_MEMBER,
        Role.LSU_VICE_CHAIR,
        Role.AMK_MEMBER,
    }
)

# Roles that hold across the whole organisation, not in one unit.
ORGANISATION_WIDE_ROLES = frozenset({Role.HR_ADMIN})
