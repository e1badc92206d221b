from datetime import timedelta

import pytest
from django.utils import timezone

from dialogues.concepts.models import Concept
from dialogues.organisation.models import RoleAssignment
from dialogues.organisation.roles import Role
from dialogues.rounds.domain import organisation as org_domain
from dialogues.rounds.domain.steps import Plan, plan_round


@pytest.fixture
def rounds_org(org):
    """The small organisation plus an LSU vice-chair and AMK seat where rounds need them."""
    RoleAssignment.objects.create(person=org.hr_partner, role=Role.HR_PARTNER, unit=org.university)
    return org


def make_plan(org, kind: str, days_ahead: int = 40, **overrides) -> Plan:
    concept = Concept.objects.get(kind=kind)
    unit = org.section
    leadership = kind == "leadership"
    values = dict(
        concept=concept,
        unit=unit,
        manager=org.manager,
        starts_at=timezone.now() + timedelta(days=days_ahead),
        duration_minutes=120,
        place="Building 101, room 2",
        facilitation="hr",
        facilitator=org.hr_partner,
        invitees=list(org_domain.default_invitees(leadership, unit, org.manager)),
        planning_group=org_domain.suggested_planning_group(unit) if leadership else {},
        representatives=[] if leadership else list(org_domain.representatives(unit)),
    )
    values.update(overrides)
    return Plan(**values)


@pytest.fixture
def leadership_round(rounds_org):
    return plan_round(make_plan(rounds_org, "leadership"), rounds_org.director)


@pytest.fixture
def wellbeing_round(rounds_org):
    return plan_round(make_plan(rounds_org, "wellbeing"), rounds_org.hr_partner)
