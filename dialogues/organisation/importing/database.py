"""The checks of a plan that only the current database can answer."""

from dialogues.organisation.importing.errors import Problem, error
from dialogues.organisation.importing.validation import Plan
from dialogues.organisation.models import Person, RoleAssignment
from dialogues.organisation.roles import Role


def check_against_database(plan: Plan) -> list[Problem]:
    """What the file cannot tell alone: emails and managers held by people outside it."""
    problems = []
    email_column = plan.labels.get("email", "email")
    roles_column = plan.labels.get("roles", "roles")
    owners = {
        email.lower(): (employee_id, name)
        for email, employee_id, name in Person.objects.values_list("email", "employee_id", "name")
    }
    for person in plan.people.values():
        owner = owners.get(person.email)
        if owner is None or owner[0] == person.employee_id:
            continue
        owner_id, owner_name = owner
        # Someone in the file who moves to another address frees theirs.
        code = "email_taken_local" if owner_id is None else "email_taken"
        if owner_id is None or owner_id not in plan.people:
            problems.append(
                error(code, person.row, email_column, value=person.email, owner=owner_name)
            )
    managed = {
        code: person
        for person in plan.people.values()
        for role, code in person.roles
        if role == Role.MANAGER
    }
    local_managers = RoleAssignment.objects.filter(
        role=Role.MANAGER, person__employee_id__isnull=True, unit__code__in=list(managed)
    ).values_list("unit__code", "person__name")
    for code, owner_name in local_managers:
        problems.append(
            error(
                "manager_is_local_account",
                managed[code].row,
                roles_column,
                code=code,
                owner=owner_name,
            )
        )
    return problems
