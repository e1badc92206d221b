from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def subtree_of(self, unit: "Unit"):
        """The unit and every unit below it."""
        return self.filter(lineage__startswith=unit.lineage)


class Unit(models.Model):
    """A unit of the organisation: university → department/centre → section → group."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        DEPARTMENT = "department", _("Department")
        CENTRE = "centre", _("Centre")
        SECTION = "section", _("Section")
        GROUP = "group", _("Group")

    code = models.CharField(_("unit code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/<root id>/<child id>/.../<own id>/": subtree queries become one prefix match.
    lineage = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["lineage"]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included."""
        return [int(part) for part in self.lineage.strip("/").split("/") if part]

    def is_within(self, other: "Unit") -> bool:
        return bool(other.lineage) and self.lineage.startswith(other.lineage)


def rebuild_lineage() -> None:
    """Recompute lineage and depth of every unit from the parent links."""
    units = {unit.pk: unit for unit in Unit.objects.only("pk", "parent_id", "lineage", "depth")}
    computed: dict[int, str] = {}

    def lineage_of(pk: int) -> str:
        if pk not in computed:
            parent_id = units[pk].parent_id
            prefix = lineage_of(parent_id) if parent_id else "/"
            computed[pk] = f"{prefix}{pk}/"
        return computed[pk]

    changed = []
    for pk, unit in units.items():
        lineage = lineage_of(pk)
        depth = lineage.count("/") - 2
        if unit.lineage != lineage or unit.depth != depth:
            unit.lineage, unit.depth = lineage, depth
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["lineage", "depth"], batch_size=500)
