from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from dialogues.common.access import permission_required
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.organisation.rules import visible_people, visible_units


@dataclass
class TreeNode:
    unit: Unit
    manager: Person | None
    children: list["TreeNode"] = field(default_factory=list)


def _managers_of(unit_ids) -> dict[int, Person]:
    assignments = RoleAssignment.objects.filter(
        role=Role.MANAGER, unit_id__in=unit_ids, person__is_active=True
    ).select_related("person")
    return {a.unit_id: a.person for a in assignments}


def build_tree(units: list[Unit]) -> list[TreeNode]:
    """Nest units under their parents; units whose parent is not given become roots."""
    managers = _managers_of([u.pk for u in units])
    nodes = {u.pk: TreeNode(u, managers.get(u.pk)) for u in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(nodes[unit.pk])
    return roots


@login_required
def tree(request):
    units = list(
        visible_units(request.user).annotate(
            member_count=Count("members", filter=Q(members__is_active=True))
        )
    )
    return render(request, "organisation/units.html", {"roots": build_tree(units)})


@permission_required("organisation.view_unit", model=Unit)
def detail(request, unit):
    visible = visible_units(request.user)
    ancestors = list(visible.filter(pk__in=unit.ancestor_ids()[:-1]).order_by("depth"))
    children = list(
        visible.filter(parent=unit).annotate(
            member_count=Count("members", filter=Q(members__is_active=True))
        )
    )
    members = list(
        unit.members.filter(is_active=True).prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.filter(unit=unit))
        )
    )
    openable = set(visible_people(request.user).filter(unit=unit).values_list("pk", flat=True))
    role_holders = (
        RoleAssignment.objects.filter(unit=unit, person__is_active=True)
        .exclude(role=Role.EMPLOYEE)
        .select_related("person")
        .order_by("role", "person__name")
    )
    return render(
        request,
        "organisation/unit.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children,
            "members": members,
            "openable": openable,
            "role_holders": role_holders,
            "manager": _managers_of([unit.pk]).get(unit.pk),
        },
    )
