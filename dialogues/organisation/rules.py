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
def is_hr_partner(user) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.HR_PARTNER))


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
# Everything stored about a person, for their request under GDPR article 15 (privacy.py).
rules.add_perm("organisation.export_personal_data", is_hr_admin)
rules.add_perm("concepts.edit_concepts", is_hr_admin)
rules.add_perm("experiences.edit_guide", is_hr_admin)
# Campaigns are run by HR administrators; HR partners follow them and record group interviews
# (in the units they partner, see ``visible_units``).
rules.add_perm("experiences.view_campaigns", is_hr_admin | is_hr_partner)
rules.add_perm("experiences.manage_campaigns", is_hr_admin)
rules.add_perm("experiences.record_interview", is_hr_admin | is_hr_partner)
rules.add_perm("common.edit_accessibility_statement", is_hr_admin)

# Who reads a campaign's results, for the units they hold the role in (HR administrators: all).
RESULTS_ROLES = frozenset(
    {
        Role.MANAGER,
        Role.DIRECTOR,
        Role.HR_PARTNER,
        Role.LSU_MEMBER,
        Role.LSU_VICE_CHAIR,
        Role.AMK_MEMBER,
    }
)


@rules.predicate
def reads_results(user) -> bool:
    return bool(user.is_authenticated and _scopes(user, RESULTS_ROLES))


rules.add_perm("insights.view_results", is_hr_admin | reads_results)
# The access log (who read which results, took which files out, exported whose data).
rules.add_perm("insights.view_access_log", is_hr_admin)
# Themes, hand coding and redaction of written answers: HR's analysts.
rules.add_perm("insights.analyse_comments", is_hr_admin | is_hr_partner)


def results_scopes(user) -> list[Unit] | None:
    """The units whose results the person may read, each with its tree; None means all."""
    if is_hr_admin(user):
        return None
    if not user.is_authenticated:
        return []
    return _scopes(user, RESULTS_ROLES)


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


def interview_units(user) -> QuerySet[Unit]:
    """The units whose group interviews the person may record (``experiences.record_interview``)."""
    units = Unit.objects.active()
    if is_hr_admin(user):
        return units
    if not user.is_authenticated:
        return units.none()
    return units.filter(_lineage_filter(_scopes(user, {Role.HR_PARTNER}), "lineage"))


# ---------------------------------------------------------------------------------------
# Dialogue rounds. The predicates read a round's own links (manager, facilitator, planning
# group, invitees); "oversees" means a director or HR partner whose units include the round's.

OVERSEER_ROLES = frozenset({Role.DIRECTOR, Role.HR_PARTNER})


def _round(obj):
    return getattr(obj, "round", obj)


@rules.predicate
def holds_overseer_role(user) -> bool:
    return bool(user.is_authenticated and _scopes(user, OVERSEER_ROLES))


@rules.predicate
def oversees_round(user, obj) -> bool:
    round_ = _round(obj)
    return bool(
        user.is_authenticated
        and round_ is not None
        and any(round_.unit.is_within(scope) for scope in _scopes(user, OVERSEER_ROLES))
    )


@rules.predicate
def serves_round_as_hr_partner(user, obj) -> bool:
    round_ = _round(obj)
    return bool(
        user.is_authenticated
        and any(round_.unit.is_within(scope) for scope in _scopes(user, {Role.HR_PARTNER}))
    )


@rules.predicate
def in_planning_group(user, obj) -> bool:
    round_ = _round(obj)
    return user.is_authenticated and round_.planning_group.filter(person_id=user.pk).exists()


@rules.predicate
def leads_round(user, obj) -> bool:
    return user.is_authenticated and _round(obj).manager_id == user.pk


@rules.predicate
def facilitates_round(user, obj) -> bool:
    round_ = _round(obj)
    if not user.is_authenticated:
        return False
    if round_.facilitation == "unit":
        return round_.manager_id == user.pk
    return round_.facilitator_id == user.pk


@rules.predicate
def manages_the_manager(user, obj) -> bool:
    round_ = _round(obj)
    return user.is_authenticated and round_.manager.manager_id == user.pk


@rules.predicate
def invited_to_round(user, obj) -> bool:
    round_ = _round(obj)
    return user.is_authenticated and round_.invitations.filter(person_id=user.pk).exists()


@rules.predicate
def linked_to_round(user, obj) -> bool:
    round_ = _round(obj)
    return user.is_authenticated and round_.linked_representatives.filter(pk=user.pk).exists()


@rules.predicate
def member_of_round_unit(user, obj) -> bool:
    round_ = _round(obj)
    return bool(user.is_authenticated and user.unit and user.unit.is_within(round_.unit))


@rules.predicate
def is_wellbeing_round(user, obj) -> bool:
    return _round(obj).concept.kind == "wellbeing"


@rules.predicate
def is_documented(user, obj) -> bool:
    return _round(obj).reached("documented")


@rules.predicate
def owns_agreement(user, agreement) -> bool:
    return user.is_authenticated and getattr(agreement, "owner_id", None) == user.pk


# Well-being documentation is common knowledge in the unit and its LSU and AMK; a leadership
# round's documentation is for the manager, the manager's own manager and the HR partner.
sees_documentation = is_documented & (
    (
        is_wellbeing_round
        & (
            is_hr_admin
            | oversees_round
            | leads_round
            | facilitates_round
            | member_of_round_unit
            | linked_to_round
        )
    )
    | (
        ~is_wellbeing_round
        & (leads_round | facilitates_round | manages_the_manager | serves_round_as_hr_partner)
    )
)

rules.add_perm("rounds.start_round", is_hr_admin | holds_overseer_role)
rules.add_perm("rounds.view_overview", is_hr_admin | holds_overseer_role)
rules.add_perm(
    "rounds.view_round",
    is_hr_admin
    | oversees_round
    | in_planning_group
    | leads_round
    | facilitates_round
    | manages_the_manager
    | invited_to_round
    | linked_to_round
    | (is_wellbeing_round & member_of_round_unit),
)
rules.add_perm("rounds.change_plan", is_hr_admin | oversees_round | in_planning_group)
# Confidential: the planning group only, never the manager or the employees.
rules.add_perm("rounds.view_planning_notes", in_planning_group)
rules.add_perm("rounds.send_invitations", leads_round | facilitates_round)
rules.add_perm("rounds.document", facilitates_round)
rules.add_perm("rounds.view_documentation", sees_documentation)
rules.add_perm(
    "rounds.view_feedback", sees_documentation | (~is_wellbeing_round & invited_to_round)
)
# Not tied to the state: the page itself says when the round is not ready for it.
rules.add_perm("rounds.record_followup", leads_round | (is_wellbeing_round & facilitates_round))
rules.add_perm(
    "rounds.update_agreement",
    sees_documentation & (owns_agreement | leads_round | facilitates_round | oversees_round),
)


def visible_rounds(user):
    """The rounds the person may open: the same rule as ``rounds.view_round``."""
    from dialogues.rounds.models import Round

    rounds = Round.objects.select_related("concept", "unit", "manager")
    if is_hr_admin(user):
        return rounds
    if not user.is_authenticated:
        return rounds.none()
    involved = (
        _lineage_filter(_scopes(user, OVERSEER_ROLES), "unit__lineage")
        | Q(manager=user)
        | Q(facilitation="hr", facilitator=user)
        | Q(planning_group__person=user)
        | Q(manager__manager=user)
        | Q(invitations__person=user)
        | Q(linked_representatives=user)
    )
    if user.unit_id:
        involved |= Q(concept__kind="wellbeing", unit_id__in=user.unit.ancestor_ids())
    return rounds.filter(involved).distinct()
