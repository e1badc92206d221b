"""Who may see and do what. The only place access rules are written.

Views, commands and templates name a permission (``organisation.view_unit``); the
predicates below decide it from the person's roles and the units they hold them in.
List pages use ``visible_units`` and ``visible_people``, which follow the same rules.
"""

import rules
from django.db.models import Q, QuerySet

from dialogues.organisation.models import Person, Unit
from dialogues.organisation.roles import SUBTREE_ROLES, Role

# Roles whose holders see the people (not only the units) below them.
PEOPLE_ROLES = frozenset({Role.MANAGER, Role.DIRECTOR, Role.HR_PARTNER})


def _scopes(user, roles) -> list[Unit]:
    return [
        unit
        for role, units in user.role_units.items()
        if role in roles
        for unit in units
        if unit is not None
    ]


@rules.predicate
def is_hr_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.HR_ADMIN)))


@rules.predicate
def sees_people(user) -> bool:
    return bool(user.is_authenticated and _scopes(user, PEOPLE_ROLES))


@rules.predicate
def unit_in_scope(user, unit) -> bool:
    if not isinstance(unit, Unit) or not user.is_authenticated:
        return False
    if user.unit_id == unit.pk:
        return True
    return any(unit.is_within(scope) for scope in _scopes(user, SUBTREE_ROLES))


@rules.predicate
def person_in_scope(user, person) -> bool:
    if not isinstance(person, Person) or not user.is_authenticated:
        return False
    if person.pk == user.pk:
        return True
    unit = person.unit
    return unit is not None and any(unit.is_within(s) for s in _scopes(user, PEOPLE_ROLES))


is_signed_in = rules.is_authenticated

rules.add_perm("organisation.view_units", is_signed_in)
rules.add_perm("organisation.view_unit", is_hr_admin | unit_in_scope)
rules.add_perm("organisation.view_people", is_hr_admin | sees_people)
rules.add_perm("organisation.view_person", is_hr_admin | person_in_scope)
rules.add_perm("organisation.import_people", is_hr_admin)
rules.add_perm("concepts.edit_concepts", is_hr_admin)
rules.add_perm("common.edit_accessibility_statement", is_hr_admin)


def _lineage_filter(scopes: list[Unit], field: str) -> Q:
    condition = Q(pk__in=[])
    for scope in scopes:
        condition |= Q(**{f"{field}__startswith": scope.lineage})
    return condition


def visible_units(user) -> QuerySet[Unit]:
    """The units the person may open: the same rule as ``organisation.view_unit``."""
    units = Unit.objects.active()
    if is_hr_admin(user):
        return units
    if not user.is_authenticated:
        return units.none()
    return units.filter(
        _lineage_filter(_scopes(user, SUBTREE_ROLES), "lineage") | Q(pk=user.unit_id)
    )


def visible_people(user) -> QuerySet[Person]:
    """The people the person may open: the same rule as ``organisation.view_person``."""
    people = Person.objects.all()
    if is_hr_admin(user):
        return people
    if not user.is_authenticated:
        return people.none()
    return people.filter(
        _lineage_filter(_scopes(user, PEOPLE_ROLES), "unit__lineage") | Q(pk=user.pk)
    )
