"""Every URL of the site, requested as every role: allowed or refused as the table says.

The table is written out by hand, independently of the rules module, so that a change
to the rules that opens or closes a page makes this test fail until the table agrees.
A new URL must be added to the table before the test passes.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dialogues.organisation.models import OrganisationImport

ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    "employee",
    "manager",
    "director",
    "hr_partner",
    "hr_admin",
    "amr",
    "tr",
    "lsu_member",
    "lsu_vice_chair",
    "amk_member",
    "outsider",
]
SIGNED_IN = set(ROLES) - {ANONYMOUS}
EVERYONE = set(ROLES)
HR_ADMIN = {"hr_admin"}
HR = {"hr_partner", "hr_admin"}
# Who may open the section S and the employee in it (see SmallOrganisation in conftest.py).
SEES_SECTION = {
    "employee",
    "manager",
    "director",
    "hr_partner",
    "hr_admin",
    "amr",
    "tr",
    "lsu_member",
    "lsu_vice_chair",
    "amk_member",
}
# Managers, directors, HR partners and the committees, each for their own units; HR admins.
READS_RESULTS = {
    "manager",
    "director",
    "hr_partner",
    "hr_admin",
    "lsu_member",
    "lsu_vice_chair",
    "amk_member",
}
SEES_EMPLOYEE = {"employee", "manager", "director", "hr_partner", "hr_admin"}
SEES_PEOPLE = {"manager", "director", "hr_partner", "hr_admin"}
# A documented leadership round of the section's manager: the planning group, the manager,
# the manager's own manager (the director), the HR partner, HR and the invited employees.
SEES_LEADERSHIP_ROUND = {
    "manager",
    "director",
    "hr_partner",
    "hr_admin",
    "lsu_vice_chair",
    "employee",
    "amr",
    "tr",
}

EXPECTED = {
    "common:home": SIGNED_IN,
    "common:accessibility": EVERYONE,
    "common:accessibility_edit": HR_ADMIN,
    "common:health": EVERYONE,
    "accounts:login": EVERYONE,
    "accounts:logout": EVERYONE,
    "accounts:profile": SIGNED_IN,
    "accounts:set_language": EVERYONE,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,
    "accounts:password_reset_complete": EVERYONE,
    "concepts:overview": EVERYONE,
    "concepts:edit": HR_ADMIN,
    "experiences:guide": HR_ADMIN,
    "experiences:guide_preview": HR_ADMIN,
    "experiences:versions": HR_ADMIN,
    "experiences:section_add": HR_ADMIN,
    "experiences:section_edit": HR_ADMIN,
    "experiences:question_add": HR_ADMIN,
    "experiences:question_edit": HR_ADMIN,
    "experiences:question_move": HR_ADMIN,
    # The respondent's questionnaire through a personal link, and its thank-you page.
    "experiences:campaigns": HR,
    "experiences:campaign": HR,
    "experiences:campaign_create": HR_ADMIN,
    "experiences:campaign_edit": HR_ADMIN,
    "experiences:campaign_invite_rounds": HR_ADMIN,
    "experiences:campaign_invite_list": HR_ADMIN,
    "experiences:campaign_remove_invitees": HR_ADMIN,
    "experiences:campaign_open": HR_ADMIN,
    "experiences:campaign_send": HR_ADMIN,
    "experiences:campaign_close": HR_ADMIN,
    "experiences:campaign_interview": HR,
    "experiences:answer": EVERYONE,
    "experiences:answer_done": EVERYONE,
    "organisation:units": SIGNED_IN,
    "organisation:unit": SEES_SECTION,
    "organisation:people": SEES_PEOPLE,
    "organisation:person": SEES_EMPLOYEE,
    # Everything stored about the employee (GDPR article 15): HR administrators only.
    "organisation:person_export": HR_ADMIN,
    "organisation:imports": HR_ADMIN,
    "organisation:import_example": HR_ADMIN,
    "organisation:import_detail": HR_ADMIN,
    "organisation:import_confirm": HR_ADMIN,
    "organisation:import_discard": HR_ADMIN,
    # The leadership round of the manager of section S (see rounds_in_org below).
    "rounds:list": SIGNED_IN,
    "rounds:start": {"director", "hr_partner", "hr_admin"},
    "rounds:overview": {"director", "hr_partner", "hr_admin"},
    "rounds:overview_xlsx": {"director", "hr_partner", "hr_admin"},
    "rounds:detail": SEES_LEADERSHIP_ROUND,
    "rounds:calendar": SEES_LEADERSHIP_ROUND,
    "rounds:edit_plan": {"director", "hr_partner", "hr_admin", "lsu_vice_chair"},
    "rounds:planning_notes": {"director", "hr_partner", "lsu_vice_chair"},
    "rounds:invite": {"manager", "hr_partner"},
    "rounds:held": {"hr_partner"},
    "rounds:document": {"hr_partner"},
    "rounds:followup": {"manager"},
    "rounds:agreement": {"manager", "director", "hr_partner"},
    "rounds:board": SEES_SECTION,
    "rounds:pdf": {"manager", "director", "hr_partner"},
    # A closed campaign of section S (each reader lands on the units they hold a role in).
    "insights:campaigns": READS_RESULTS,
    "insights:results": READS_RESULTS,
    "insights:comments": READS_RESULTS,
    "insights:theme_edit": {"hr_partner", "hr_admin"},
    "insights:theme_history": {"hr_partner", "hr_admin"},
    "insights:redact": {"hr_partner", "hr_admin"},
    "insights:proposals": READS_RESULTS,
    "insights:search": READS_RESULTS,
    "insights:report_pdf": READS_RESULTS,
    "insights:export_xlsx": READS_RESULTS,
    "insights:export_csv": READS_RESULTS,
    "insights:access_log": HR_ADMIN,
    "insights:access_log_csv": HR_ADMIN,
    "insights:api_tokens": READS_RESULTS,
    "insights:api_token_revoke": READS_RESULTS,
    # The API answers a bearer token (each role's own), never a session.
    "insights:api_campaigns": READS_RESULTS,
    "insights:api_results": READS_RESULTS,
    "insights:api_openapi": EVERYONE,
}
# Read with the role's API token, not its session.
API_URLS = {"insights:api_campaigns", "insights:api_results"}

# Pages of the closed campaign of section S.
INSIGHTS_CAMPAIGN_URLS = {
    "insights:results",
    "insights:comments",
    "insights:theme_edit",
    "insights:theme_history",
    "insights:redact",
    "insights:proposals",
    "insights:search",
    "insights:report_pdf",
    "insights:export_xlsx",
    "insights:export_csv",
    "insights:api_results",
}

# Pages of one section or question of the seeded guide (question_move answers GET with 405).
EXPERIENCES_OBJECT_URLS = {
    "experiences:section_edit",
    "experiences:question_add",
    "experiences:question_edit",
    "experiences:question_move",
}


def site_url_names(resolver=None, namespace=""):
    """Every named URL of the site outside the Django admin (tested on its own below)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from site_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def documented_leadership_round(org):
    from datetime import timedelta

    from django.utils import timezone

    from dialogues.concepts.models import Concept
    from dialogues.rounds.domain import organisation as org_domain
    from dialogues.rounds.domain.steps import Plan, mark_held, plan_round, save_documentation
    from dialogues.rounds.models import Round

    round_ = plan_round(
        Plan(
            concept=Concept.objects.get(kind="leadership"),
            unit=org.section,
            manager=org.manager,
            starts_at=timezone.now() - timedelta(days=3),
            duration_minutes=90,
            place="Room",
            facilitation="hr",
            facilitator=org.hr_partner,
            invitees=list(org_domain.default_invitees(True, org.section, org.manager)),
            planning_group=org_domain.suggested_planning_group(org.section),
            representatives=[],
        ),
        org.director,
    )
    round_.state, round_.invited_at = Round.State.INVITED, timezone.now() - timedelta(days=9)
    round_.save()
    mark_held(round_, org.hr_partner, timezone.localdate())
    return save_documentation(
        round_,
        org.hr_partner,
        version=0,
        plenary="Plenary",
        tools={},
        essentials=[],
        agreements=[{"what": "A", "owner": org.manager, "due_on": timezone.localdate()}],
    )


def url_for(name, org):
    if (
        name.startswith("rounds:")
        and name not in ("rounds:list", "rounds:start")
        and not name.startswith("rounds:overview")
    ):
        round_ = documented_leadership_round(org)
        pk = {
            "rounds:agreement": round_.agreements.get().pk,
            "rounds:board": org.section.pk,
        }.get(name, round_.pk)
        return reverse(name, kwargs={"pk": pk})
    if name == "experiences:answer":
        from dialogues.experiences.tests.factories import open_test_campaign

        _campaign, tokens = open_test_campaign(org)
        return reverse(name, kwargs={"token": tokens[0]})
    if name.startswith("experiences:campaign") and name not in (
        "experiences:campaigns",
        "experiences:campaign_create",
    ):
        from dialogues.experiences.tests.factories import open_test_campaign

        campaign, _tokens = open_test_campaign(org)
        return reverse(name, kwargs={"pk": campaign.pk})
    if name in INSIGHTS_CAMPAIGN_URLS:
        from dialogues.insights.tests.factories import OPEN_QUESTION, closed_test_campaign

        campaign = closed_test_campaign(org, answered=11)
        if name in ("insights:comments", "insights:theme_edit", "insights:theme_history"):
            url = reverse(name, kwargs={"pk": campaign.pk, "question": OPEN_QUESTION})
            return url + "?concept=wellbeing"
        if name == "insights:redact":
            from dialogues.experiences.models import Answer

            answer = Answer.objects.filter(question_id=OPEN_QUESTION).first()
            return reverse(name, kwargs={"pk": campaign.pk, "answer_id": answer.pk})
        return reverse(name, kwargs={"pk": campaign.pk})
    if name == "insights:api_token_revoke":
        return reverse(name, kwargs={"pk": 1})
    if name in EXPERIENCES_OBJECT_URLS:
        from dialogues.experiences.models import Question, Section

        model = Question if name.startswith("experiences:question_") else Section
        return reverse(name, kwargs={"pk": model.objects.order_by("pk").first().pk})
    kwargs = {
        "organisation:unit": {"pk": org.section.pk},
        "organisation:person": {"pk": org.employee.pk},
        "organisation:person_export": {"pk": org.employee.pk},
        "concepts:edit": {"kind": "wellbeing"},
        "accounts:password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(org.employee.pk)),
            "token": "not-a-token",
        },
    }.get(name, {})
    if name.startswith("organisation:import_") and name != "organisation:import_example":
        pending = OrganisationImport.objects.create(
            filename="hr.csv", status=OrganisationImport.Status.INVALID
        )
        kwargs = {"pk": pending.pk}
    return reverse(name, kwargs=kwargs)


def refused(response) -> bool:
    login_url = reverse("accounts:login")
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and response["Location"].startswith(login_url)


def test_every_url_of_the_site_is_in_the_table():
    assert sorted(site_url_names()) == sorted(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_is_allowed_or_refused_as_the_table_says(client, org, role, name):
    headers = {}
    if role != ANONYMOUS and name in API_URLS:
        from dialogues.insights.models import ApiToken

        _token, key = ApiToken.issue(org.people[role], "matrix")
        headers["Authorization"] = f"Bearer {key}"
    elif role != ANONYMOUS:
        client.force_login(org.people[role])
    response = client.get(url_for(name, org), headers=headers)
    assert response.status_code < 500
    allowed = role in EXPECTED[name]
    assert refused(response) is not allowed, (
        f"{role} on {name}: HTTP {response.status_code}, expected "
        f"{'allowed' if allowed else 'refused'}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_reach_the_admin_site(client, org, role):
    if role != ANONYMOUS:
        client.force_login(org.people[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
